// isWorkingTime, nextWorkingInstant and workingTimeBetween on real zones: lunch breaks, holidays
// on weekends, hours up to 24:00, hours that span a DST jump, and calendars with no working time.
import {
  formatInstant,
  instantOf,
  isWorkingTime,
  nextWorkingInstant,
  NoWorkingTimeError,
  SEARCH_LIMIT_DAYS,
  workingTimeBetween,
} from '../../../engine/calendar/index.js';
import { calendar } from './calendar-support.js';

const HOUR = 3_600_000;

const BERLIN = 'Europe/Berlin';
const berlin = (date: string, time: string): number => instantOf(date, time, BERLIN);
const show = (at: number): string => formatInstant(at, BERLIN);

describe('isWorkingTime', () => {
  const office = calendar(BERLIN, ['mon-fri 09:00-12:00 13:00-17:00']);

  test('when an instant is inside the morning or afternoon interval, then it is working time', () => {
    expect(isWorkingTime(office, berlin('2026-06-01', '09:00'))).toBe(true);
    expect(isWorkingTime(office, berlin('2026-06-01', '11:59'))).toBe(true);
    expect(isWorkingTime(office, berlin('2026-06-01', '13:00'))).toBe(true);
  });

  test('when an instant is in the lunch break, at an interval end or before opening, then it is not', () => {
    expect(isWorkingTime(office, berlin('2026-06-01', '12:30'))).toBe(false);
    expect(isWorkingTime(office, berlin('2026-06-01', '12:00'))).toBe(false);
    expect(isWorkingTime(office, berlin('2026-06-01', '17:00'))).toBe(false);
    expect(isWorkingTime(office, berlin('2026-06-01', '08:59'))).toBe(false);
  });

  test('when it is a weekend, then no time of it is working time', () => {
    expect(isWorkingTime(office, berlin('2026-06-06', '10:00'))).toBe(false);
    expect(isWorkingTime(office, berlin('2026-06-07', '10:00'))).toBe(false);
  });

  test('when a weekday is a holiday, then no time of it is working time', () => {
    const withHoliday = calendar(BERLIN, ['mon-fri 09:00-17:00'], ['2026-06-01']);
    expect(isWorkingTime(withHoliday, berlin('2026-06-01', '10:00'))).toBe(false);
    expect(isWorkingTime(withHoliday, berlin('2026-06-02', '10:00'))).toBe(true);
  });

  test('when the zone is Asia/Kolkata, then hours are read on its half-hour offset', () => {
    const mumbai = calendar('Asia/Kolkata', ['mon-fri 09:30-18:00']);
    expect(isWorkingTime(mumbai, Date.UTC(2026, 5, 1, 4, 0))).toBe(true);
    expect(isWorkingTime(mumbai, Date.UTC(2026, 5, 1, 3, 59))).toBe(false);
    expect(isWorkingTime(mumbai, Date.UTC(2026, 5, 1, 12, 29))).toBe(true);
    expect(isWorkingTime(mumbai, Date.UTC(2026, 5, 1, 12, 30))).toBe(false);
  });

  test('when hours run to 24:00, then the last minute of the day is working time', () => {
    const lateShift = calendar(BERLIN, ['fri 18:00-24:00']);
    expect(isWorkingTime(lateShift, berlin('2026-06-05', '23:59'))).toBe(true);
    expect(isWorkingTime(lateShift, berlin('2026-06-06', '00:00'))).toBe(false);
  });
});

describe('nextWorkingInstant', () => {
  const office = calendar(BERLIN, ['mon-fri 09:00-12:00 13:00-17:00']);

  test('when the instant is working time, then it is returned unchanged', () => {
    const at = berlin('2026-06-01', '10:17') + 1234;
    expect(nextWorkingInstant(office, at)).toBe(at);
  });

  test('when the instant is exactly an interval end, then the next interval start is returned', () => {
    expect(show(nextWorkingInstant(office, berlin('2026-06-01', '12:00')))).toBe(
      'Mon 2026-06-01 13:00 Europe/Berlin',
    );
    expect(show(nextWorkingInstant(office, berlin('2026-06-05', '17:00')))).toBe(
      'Mon 2026-06-08 09:00 Europe/Berlin',
    );
  });

  test('when holidays fall on a weekend, then they change nothing for a mon-fri calendar', () => {
    const withWeekendHolidays = calendar(BERLIN, ['mon-fri 09:00-17:00'], ['2026-12-26', '2026-12-27']);
    const at = berlin('2026-12-25', '18:00');
    expect(show(nextWorkingInstant(withWeekendHolidays, at))).toBe('Mon 2026-12-28 09:00 Europe/Berlin');
  });

  test('when a holiday falls on a working Saturday, then that Saturday is skipped', () => {
    const shop = calendar(BERLIN, ['mon-fri 09:00-17:00', 'sat 10:00-12:00'], ['2026-12-26']);
    expect(show(nextWorkingInstant(shop, berlin('2026-12-18', '18:00')))).toBe(
      'Sat 2026-12-19 10:00 Europe/Berlin',
    );
    expect(show(nextWorkingInstant(shop, berlin('2026-12-25', '18:00')))).toBe(
      'Mon 2026-12-28 09:00 Europe/Berlin',
    );
  });

  test('when hours end at 24:00 and the next day starts at 00:00, then midnight is working time', () => {
    const weekendWindow = calendar(BERLIN, ['sat 18:00-24:00', 'sun 00:00-06:00']);
    const midnight = berlin('2026-06-07', '00:00');
    expect(nextWorkingInstant(weekendWindow, midnight)).toBe(midnight);
    expect(show(nextWorkingInstant(weekendWindow, berlin('2026-06-07', '06:00')))).toBe(
      'Sat 2026-06-13 18:00 Europe/Berlin',
    );
  });

  test('when the calendar has no working hours at all, then NoWorkingTimeError is thrown', () => {
    const none = calendar(BERLIN, []);
    expect(() => nextWorkingInstant(none, berlin('2026-06-01', '09:00'))).toThrow(NoWorkingTimeError);
  });

  test('when holidays cover every working day for years, then the bounded search gives up', () => {
    const mondaysOnly: string[] = [];
    for (let day = Date.UTC(2026, 5, 1); day < Date.UTC(2030, 0, 1); day += 7 * 24 * HOUR) {
      mondaysOnly.push(new Date(day).toISOString().slice(0, 10));
    }
    const blocked = calendar(BERLIN, ['mon 09:00-10:00'], mondaysOnly);
    expect(SEARCH_LIMIT_DAYS).toBeGreaterThanOrEqual(3 * 365);
    expect(() => nextWorkingInstant(blocked, berlin('2026-06-01', '08:00'))).toThrow(NoWorkingTimeError);
    expect(show(nextWorkingInstant(blocked, berlin('2029-12-30', '08:00')))).toBe(
      'Mon 2030-01-07 09:00 Europe/Berlin',
    );
  });
});

describe('working hours that span a DST jump', () => {
  const night = calendar(BERLIN, ['sun 01:00-05:00']);

  test('when clocks go forward inside the hours, then the interval holds one hour less', () => {
    const from = berlin('2026-03-29', '00:00');
    expect(workingTimeBetween(night, from, from + 24 * HOUR)).toBe(3 * HOUR);
    expect(isWorkingTime(night, Date.UTC(2026, 2, 29, 0, 59))).toBe(true);
    expect(isWorkingTime(night, Date.UTC(2026, 2, 29, 1, 0))).toBe(true);
    expect(isWorkingTime(night, Date.UTC(2026, 2, 29, 3, 0))).toBe(false);
  });

  test('when clocks go back inside the hours, then the interval holds one hour more', () => {
    const from = berlin('2026-10-25', '00:00');
    expect(workingTimeBetween(night, from, from + 25 * HOUR)).toBe(5 * HOUR);
    expect(isWorkingTime(night, Date.UTC(2026, 9, 24, 23, 0))).toBe(true);
    expect(isWorkingTime(night, Date.UTC(2026, 9, 25, 3, 59))).toBe(true);
    expect(isWorkingTime(night, Date.UTC(2026, 9, 25, 4, 0))).toBe(false);
  });

  test('when a New York office day falls on the March change, then it still has eight hours', () => {
    const nyOffice = calendar('America/New_York', ['mon-fri 09:00-17:00']);
    const from = instantOf('2026-03-06', '00:00', 'America/New_York');
    const to = instantOf('2026-03-10', '00:00', 'America/New_York');
    expect(workingTimeBetween(nyOffice, from, to)).toBe(16 * HOUR);
  });
});

describe('workingTimeBetween', () => {
  const office = calendar(BERLIN, ['mon-fri 09:00-12:00 13:00-17:00'], ['2026-06-03']);

  test('when the span covers a day and a half, then only working hours count', () => {
    expect(workingTimeBetween(office, berlin('2026-06-01', '08:00'), berlin('2026-06-02', '14:30'))).toBe(
      11.5 * HOUR,
    );
  });

  test('when the span covers a holiday and a weekend, then they count nothing', () => {
    expect(workingTimeBetween(office, berlin('2026-06-03', '00:00'), berlin('2026-06-08', '00:00'))).toBe(
      14 * HOUR,
    );
  });

  test('when the span is empty or reversed, then it is zero', () => {
    const at = berlin('2026-06-01', '10:00');
    expect(workingTimeBetween(office, at, at)).toBe(0);
    expect(workingTimeBetween(office, at + HOUR, at)).toBe(0);
  });

  test('when the span starts and ends inside the same interval, then it is their difference', () => {
    expect(workingTimeBetween(office, berlin('2026-06-01', '09:10'), berlin('2026-06-01', '09:40'))).toBe(
      HOUR / 2,
    );
  });
});
