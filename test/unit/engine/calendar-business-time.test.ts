// addBusinessTime and addDuration: hours and days across weekends, holidays, the year end and
// DST changes, lunch breaks, Saturday half days, short Fridays and business weeks.
import {
  addBusinessTime,
  addDuration,
  formatInstant,
  instantOf,
  NoWorkingTimeError,
  UnknownCalendarError,
} from '../../../engine/calendar/index.js';
import { calendar } from './calendar-support.js';

const HOUR = 3_600_000;

const BERLIN = 'Europe/Berlin';
const berlin = (date: string, time: string): number => instantOf(date, time, BERLIN);
const show = (at: number): string => formatInstant(at, BERLIN);

describe('addBusinessTime in hours and minutes', () => {
  const office = calendar(
    BERLIN,
    ['mon-fri 09:00-17:00'],
    ['2026-12-24', '2026-12-25', '2026-12-26', '2027-01-01'],
  );

  test('when hours run past closing, then the rest is counted from the next working morning', () => {
    expect(show(addBusinessTime(office, berlin('2026-06-01', '16:00'), 2, 'hour'))).toBe(
      'Tue 2026-06-02 10:00 Europe/Berlin',
    );
    expect(show(addBusinessTime(office, berlin('2026-06-01', '16:59'), 2, 'minute'))).toBe(
      'Tue 2026-06-02 09:01 Europe/Berlin',
    );
  });

  test('when the hours end exactly at closing, then the result is the interval end, not the next start', () => {
    expect(show(addBusinessTime(office, berlin('2026-06-01', '09:00'), 8, 'hour'))).toBe(
      'Mon 2026-06-01 17:00 Europe/Berlin',
    );
    expect(show(addBusinessTime(office, berlin('2026-12-23', '16:00'), 33, 'hour'))).toBe(
      'Thu 2026-12-31 17:00 Europe/Berlin',
    );
  });

  test('when hours cross the year end, then Christmas, New Year and the weekend are skipped', () => {
    expect(show(addBusinessTime(office, berlin('2026-12-23', '16:00'), 34, 'hour'))).toBe(
      'Mon 2027-01-04 10:00 Europe/Berlin',
    );
  });

  test('when the start is outside working time, then counting starts at the next working instant', () => {
    expect(show(addBusinessTime(office, berlin('2026-06-06', '11:00'), 90, 'minute'))).toBe(
      'Mon 2026-06-08 10:30 Europe/Berlin',
    );
    expect(show(addBusinessTime(office, berlin('2026-06-01', '10:00'), 1.5, 'hour'))).toBe(
      'Mon 2026-06-01 11:30 Europe/Berlin',
    );
  });

  test('when the calendar has a lunch break, then the break is skipped', () => {
    const lunch = calendar(BERLIN, ['mon-fri 09:00-12:00 13:00-17:00']);
    expect(show(addBusinessTime(lunch, berlin('2026-06-01', '11:00'), 2, 'hour'))).toBe(
      'Mon 2026-06-01 14:00 Europe/Berlin',
    );
    expect(show(addBusinessTime(lunch, berlin('2026-06-01', '09:00'), 3, 'hour'))).toBe(
      'Mon 2026-06-01 12:00 Europe/Berlin',
    );
  });

  test('when the calendar has a Saturday half day, then Saturday hours count', () => {
    const shop = calendar(BERLIN, ['mon-fri 09:00-17:00', 'sat 10:00-12:00']);
    expect(show(addBusinessTime(shop, berlin('2026-06-05', '16:00'), 2, 'hour'))).toBe(
      'Sat 2026-06-06 11:00 Europe/Berlin',
    );
    expect(show(addBusinessTime(shop, berlin('2026-06-05', '16:30'), 3, 'hour'))).toBe(
      'Mon 2026-06-08 09:30 Europe/Berlin',
    );
  });

  test('when the zone is Asia/Kolkata or has no DST, then hours count on its local clock', () => {
    const mumbai = calendar('Asia/Kolkata', ['mon-fri 09:30-18:00']);
    const fridayEvening = instantOf('2026-06-05', '17:00', 'Asia/Kolkata');
    expect(formatInstant(addBusinessTime(mumbai, fridayEvening, 2, 'hour'), 'Asia/Kolkata')).toBe(
      'Mon 2026-06-08 10:30 Asia/Kolkata',
    );
    const tokyo = calendar('Asia/Tokyo', ['mon-fri 09:00-18:00']);
    const late = instantOf('2026-06-05', '17:00', 'Asia/Tokyo');
    expect(addBusinessTime(tokyo, late, 3, 'hour')).toBe(Date.UTC(2026, 5, 8, 2));
  });

  test('when hours run to 24:00 and on from 00:00, then the count runs through midnight', () => {
    const weekendWindow = calendar(BERLIN, ['sat 18:00-24:00', 'sun 00:00-06:00']);
    const saturday = berlin('2026-06-06', '18:00');
    expect(show(addBusinessTime(weekendWindow, berlin('2026-06-06', '23:00'), 2, 'hour'))).toBe(
      'Sun 2026-06-07 01:00 Europe/Berlin',
    );
    expect(show(addBusinessTime(weekendWindow, saturday, 12, 'hour'))).toBe(
      'Sun 2026-06-07 06:00 Europe/Berlin',
    );
    expect(show(addBusinessTime(weekendWindow, saturday, 13, 'hour'))).toBe(
      'Sat 2026-06-13 19:00 Europe/Berlin',
    );
  });

  test('when the amount is 0, then the result is the next working instant for every unit', () => {
    const saturday = berlin('2026-06-06', '11:00');
    const working = berlin('2026-06-01', '10:17');
    for (const unit of ['minute', 'hour', 'day', 'week'] as const) {
      expect(show(addBusinessTime(office, saturday, 0, unit))).toBe('Mon 2026-06-08 09:00 Europe/Berlin');
      expect(addBusinessTime(office, working, 0, unit)).toBe(working);
      expect(show(addBusinessTime(office, berlin('2026-06-01', '17:00'), 0, unit))).toBe(
        'Tue 2026-06-02 09:00 Europe/Berlin',
      );
    }
  });

  test('when the amount is negative or not finite, then a RangeError is thrown', () => {
    const at = berlin('2026-06-01', '10:00');
    expect(() => addBusinessTime(office, at, -1, 'hour')).toThrow(RangeError);
    expect(() => addBusinessTime(office, at, Number.NaN, 'day')).toThrow(RangeError);
    expect(() => addBusinessTime(office, at, Number.POSITIVE_INFINITY, 'minute')).toThrow(RangeError);
  });

  test('when the calendar has no working hours, then NoWorkingTimeError is thrown', () => {
    expect(() => addBusinessTime(calendar(BERLIN, []), berlin('2026-06-01', '10:00'), 1, 'day')).toThrow(
      NoWorkingTimeError,
    );
  });
});

describe('addBusinessTime in days and weeks', () => {
  const office = calendar(
    BERLIN,
    ['mon-fri 09:00-17:00'],
    ['2026-12-24', '2026-12-25', '2026-12-26', '2027-01-01'],
  );

  test('when days cross Christmas and the year end, then holidays and weekends are skipped', () => {
    const at = berlin('2026-12-23', '16:00');
    expect(show(addBusinessTime(office, at, 3, 'day'))).toBe('Wed 2026-12-30 16:00 Europe/Berlin');
    expect(show(addBusinessTime(office, at, 5, 'day'))).toBe('Mon 2027-01-04 16:00 Europe/Berlin');
  });

  test('when the start is outside working time, then days count from the next working instant', () => {
    expect(show(addBusinessTime(office, berlin('2026-06-05', '18:00'), 1, 'day'))).toBe(
      'Tue 2026-06-09 09:00 Europe/Berlin',
    );
  });

  test('when the next day is a short Friday, then the result is clamped to its closing time', () => {
    const shortFriday = calendar(BERLIN, ['mon-thu 09:00-17:00', 'fri 09:00-13:00']);
    expect(show(addBusinessTime(shortFriday, berlin('2026-06-04', '15:00'), 1, 'day'))).toBe(
      'Fri 2026-06-05 13:00 Europe/Berlin',
    );
    expect(show(addBusinessTime(shortFriday, berlin('2026-06-04', '11:00'), 1, 'day'))).toBe(
      'Fri 2026-06-05 11:00 Europe/Berlin',
    );
  });

  test('when a short Friday lies between, then the later day keeps the original clock time', () => {
    const shortFriday = calendar(BERLIN, ['mon-thu 09:00-17:00', 'fri 09:00-13:00']);
    expect(show(addBusinessTime(shortFriday, berlin('2026-06-04', '15:00'), 2, 'day'))).toBe(
      'Mon 2026-06-08 15:00 Europe/Berlin',
    );
  });

  test('when the start is in a lunch break, then the day keeps the afternoon start, not the morning end', () => {
    const lunch = calendar(BERLIN, ['mon-fri 09:00-12:00 13:00-17:00']);
    expect(show(addBusinessTime(lunch, berlin('2026-06-01', '12:30'), 1, 'day'))).toBe(
      'Tue 2026-06-02 13:00 Europe/Berlin',
    );
    expect(show(addBusinessTime(lunch, berlin('2026-06-01', '16:00'), 1, 'day'))).toBe(
      'Tue 2026-06-02 16:00 Europe/Berlin',
    );
  });

  test('when the next day is a Saturday half day, then the same elapsed working time is kept or clamped', () => {
    const shop = calendar(BERLIN, ['mon-fri 09:00-17:00', 'sat 10:00-12:00']);
    expect(show(addBusinessTime(shop, berlin('2026-06-05', '16:00'), 1, 'day'))).toBe(
      'Sat 2026-06-06 12:00 Europe/Berlin',
    );
    expect(show(addBusinessTime(shop, berlin('2026-06-06', '11:00'), 1, 'day'))).toBe(
      'Mon 2026-06-08 10:00 Europe/Berlin',
    );
  });

  test('when weeks are added, then a week is as many business days as the pattern has working weekdays', () => {
    const shop = calendar(BERLIN, ['mon-fri 09:00-17:00', 'sat 10:00-12:00']);
    expect(show(addBusinessTime(shop, berlin('2026-06-01', '10:00'), 1, 'week'))).toBe(
      'Mon 2026-06-08 10:00 Europe/Berlin',
    );
    expect(show(addBusinessTime(office, berlin('2026-06-03', '10:00'), 2, 'week'))).toBe(
      'Wed 2026-06-17 10:00 Europe/Berlin',
    );
  });

  test('when a holiday falls inside a business week, then the week ends one working day later', () => {
    const withHoliday = calendar(BERLIN, ['mon-fri 09:00-17:00'], ['2026-06-04']);
    expect(show(addBusinessTime(withHoliday, berlin('2026-06-03', '10:00'), 1, 'week'))).toBe(
      'Thu 2026-06-11 10:00 Europe/Berlin',
    );
  });

  test('when a fraction of a day is added, then it counts as that fraction of an average working day', () => {
    expect(show(addBusinessTime(office, berlin('2026-06-01', '10:00'), 1.5, 'day'))).toBe(
      'Tue 2026-06-02 14:00 Europe/Berlin',
    );
  });
});

describe('addBusinessTime across DST changes', () => {
  const office = calendar(BERLIN, ['mon-fri 09:00-17:00']);
  const newYork = 'America/New_York';

  test('when Berlin office hours straddle the March weekend, then Monday counts in summer time', () => {
    expect(addBusinessTime(office, berlin('2026-03-27', '16:00'), 2, 'hour')).toBe(Date.UTC(2026, 2, 30, 8));
    expect(addBusinessTime(office, berlin('2026-03-27', '10:00'), 1, 'day')).toBe(Date.UTC(2026, 2, 30, 8));
  });

  test('when Berlin office hours straddle the October weekend, then Monday counts in winter time', () => {
    expect(addBusinessTime(office, berlin('2026-10-23', '16:00'), 2, 'hour')).toBe(Date.UTC(2026, 9, 26, 9));
    expect(addBusinessTime(office, berlin('2026-10-23', '10:00'), 1, 'day')).toBe(Date.UTC(2026, 9, 26, 9));
  });

  test('when Berlin hours span the March jump, then a deadline lands on either side of it', () => {
    const night = calendar(BERLIN, ['sun 01:00-05:00']);
    const start = berlin('2026-03-29', '01:00');
    expect(start).toBe(Date.UTC(2026, 2, 29, 0));
    expect(show(addBusinessTime(night, start, 30, 'minute'))).toBe('Sun 2026-03-29 01:30 Europe/Berlin');
    expect(show(addBusinessTime(night, start, 90, 'minute'))).toBe('Sun 2026-03-29 03:30 Europe/Berlin');
    expect(show(addBusinessTime(night, start, 3, 'hour'))).toBe('Sun 2026-03-29 05:00 Europe/Berlin');
    expect(show(addBusinessTime(night, start, 4, 'hour'))).toBe('Sun 2026-04-05 02:00 Europe/Berlin');
  });

  test('when Berlin hours span the October jump, then the repeated hour counts twice', () => {
    const night = calendar(BERLIN, ['sun 01:00-05:00']);
    const start = berlin('2026-10-25', '01:00');
    expect(addBusinessTime(night, start, 90, 'minute')).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(addBusinessTime(night, start, 150, 'minute')).toBe(Date.UTC(2026, 9, 25, 1, 30));
    expect(show(addBusinessTime(night, start, 5, 'hour'))).toBe('Sun 2026-10-25 05:00 Europe/Berlin');
  });

  test('when New York hours span the March jump, then a deadline lands on either side of it', () => {
    const night = calendar(newYork, ['sun 00:00-06:00']);
    const start = instantOf('2026-03-08', '00:00', newYork);
    expect(addBusinessTime(night, start, 90, 'minute')).toBe(Date.UTC(2026, 2, 8, 6, 30));
    expect(addBusinessTime(night, start, 150, 'minute')).toBe(Date.UTC(2026, 2, 8, 7, 30));
    expect(formatInstant(addBusinessTime(night, start, 5, 'hour'), newYork)).toBe(
      'Sun 2026-03-08 06:00 America/New_York',
    );
  });

  test('when New York hours span the November jump, then a deadline lands on either side of it', () => {
    const night = calendar(newYork, ['sun 00:00-06:00']);
    const start = instantOf('2026-11-01', '00:00', newYork);
    expect(addBusinessTime(night, start, 90, 'minute')).toBe(Date.UTC(2026, 10, 1, 5, 30));
    expect(addBusinessTime(night, start, 150, 'minute')).toBe(Date.UTC(2026, 10, 1, 6, 30));
    expect(formatInstant(addBusinessTime(night, start, 7, 'hour'), newYork)).toBe(
      'Sun 2026-11-01 06:00 America/New_York',
    );
  });

  test('when a calendar works around the clock, then business hours equal elapsed hours across DST', () => {
    const always = calendar(BERLIN, ['mon-sun 00:00-24:00']);
    const at = berlin('2026-03-28', '12:00');
    expect(addBusinessTime(always, at, 24, 'hour')).toBe(at + 24 * HOUR);
    expect(show(addBusinessTime(always, at, 24, 'hour'))).toBe('Sun 2026-03-29 13:00 Europe/Berlin');
  });

  test('when hours span the jump, then a business day keeps the elapsed working time, not the clock time', () => {
    const always = calendar(BERLIN, ['mon-sun 00:00-24:00']);
    expect(show(addBusinessTime(always, berlin('2026-03-28', '12:00'), 1, 'day'))).toBe(
      'Sun 2026-03-29 13:00 Europe/Berlin',
    );
    expect(show(addBusinessTime(always, berlin('2026-03-28', '12:00'), 2, 'day'))).toBe(
      'Mon 2026-03-30 12:00 Europe/Berlin',
    );
  });
});

describe('addDuration', () => {
  const office = calendar(BERLIN, ['mon-fri 09:00-17:00']);
  const calendars = new Map([['office', office]]);
  const saturdayNoon = berlin('2026-03-28', '12:00');

  test('when a plain day crosses the March change, then it is exactly 24 hours', () => {
    const oneDay = { amount: 1, unit: 'day', business: false, calendar: null } as const;
    expect(addDuration(oneDay, saturdayNoon, calendars)).toBe(saturdayNoon + 24 * HOUR);
    expect(show(addDuration(oneDay, saturdayNoon, calendars))).toBe('Sun 2026-03-29 13:00 Europe/Berlin');
  });

  test('when plain weeks, hours and minutes are added, then they are exact elapsed time', () => {
    const plain = (amount: number, unit: 'minute' | 'hour' | 'week') =>
      addDuration({ amount, unit, business: false, calendar: null }, saturdayNoon, calendars);
    expect(plain(1, 'week')).toBe(saturdayNoon + 7 * 24 * HOUR);
    expect(plain(1.5, 'hour')).toBe(saturdayNoon + 1.5 * HOUR);
    expect(plain(45, 'minute')).toBe(saturdayNoon + 45 * 60_000);
  });

  test('when a business duration names a known calendar, then it counts on that calendar', () => {
    const twoDays = { amount: 2, unit: 'day', business: true, calendar: 'office' } as const;
    expect(show(addDuration(twoDays, saturdayNoon, calendars))).toBe('Wed 2026-04-01 09:00 Europe/Berlin');
  });

  test('when a business duration names a missing calendar or none, then UnknownCalendarError is thrown', () => {
    expect(() =>
      addDuration({ amount: 2, unit: 'day', business: true, calendar: 'branch' }, saturdayNoon, calendars),
    ).toThrow(UnknownCalendarError);
    expect(() =>
      addDuration({ amount: 2, unit: 'day', business: true, calendar: null }, saturdayNoon, calendars),
    ).toThrow(UnknownCalendarError);
  });
});
