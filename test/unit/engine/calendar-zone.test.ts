// Zone arithmetic against real tz data: expected instants are written as Date.UTC so that the
// tests do not check instantOf against itself.
import { formatInstant, instantOf, localDate } from '../../../engine/calendar/index.js';

const utc = (y: number, mo: number, d: number, h: number, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi);

describe('instantOf', () => {
  test('when a Berlin winter time is asked for, then it is one hour ahead of UTC', () => {
    expect(instantOf('2026-12-08', '11:00', 'Europe/Berlin')).toBe(utc(2026, 12, 8, 10));
  });

  test('when a Berlin summer time is asked for, then it is two hours ahead of UTC', () => {
    expect(instantOf('2026-07-01', '09:00', 'Europe/Berlin')).toBe(utc(2026, 7, 1, 7));
  });

  test('when a Berlin time is skipped by the March jump, then it is the instant after the gap', () => {
    // 2026-03-29 02:00 CET becomes 03:00 CEST at 01:00 UTC: 02:00-02:59 never show.
    expect(instantOf('2026-03-29', '02:00', 'Europe/Berlin')).toBe(utc(2026, 3, 29, 1));
    expect(instantOf('2026-03-29', '02:30', 'Europe/Berlin')).toBe(utc(2026, 3, 29, 1));
    expect(instantOf('2026-03-29', '03:00', 'Europe/Berlin')).toBe(utc(2026, 3, 29, 1));
    expect(instantOf('2026-03-29', '01:59', 'Europe/Berlin')).toBe(utc(2026, 3, 29, 0, 59));
  });

  test('when a Berlin time repeats in October, then it is the earlier of the two instants', () => {
    // 2026-10-25 03:00 CEST becomes 02:00 CET at 01:00 UTC: 02:00-02:59 show twice.
    expect(instantOf('2026-10-25', '02:30', 'Europe/Berlin')).toBe(utc(2026, 10, 25, 0, 30));
    expect(instantOf('2026-10-25', '03:00', 'Europe/Berlin')).toBe(utc(2026, 10, 25, 2));
  });

  test('when a New York time is skipped in March, then it is the instant after the gap', () => {
    // 2026-03-08 02:00 EST becomes 03:00 EDT at 07:00 UTC.
    expect(instantOf('2026-03-08', '02:30', 'America/New_York')).toBe(utc(2026, 3, 8, 7));
    expect(instantOf('2026-03-08', '01:30', 'America/New_York')).toBe(utc(2026, 3, 8, 6, 30));
    expect(instantOf('2026-03-08', '03:30', 'America/New_York')).toBe(utc(2026, 3, 8, 7, 30));
  });

  test('when a New York time repeats in November, then it is the earlier of the two instants', () => {
    // 2026-11-01 02:00 EDT becomes 01:00 EST at 06:00 UTC: 01:00-01:59 show twice.
    expect(instantOf('2026-11-01', '01:30', 'America/New_York')).toBe(utc(2026, 11, 1, 5, 30));
    expect(instantOf('2026-11-01', '02:00', 'America/New_York')).toBe(utc(2026, 11, 1, 7));
  });

  test('when the zone is Asia/Kolkata, then the half-hour offset applies all year', () => {
    expect(instantOf('2026-01-15', '09:30', 'Asia/Kolkata')).toBe(utc(2026, 1, 15, 4));
    expect(instantOf('2026-07-15', '09:30', 'Asia/Kolkata')).toBe(utc(2026, 7, 15, 4));
  });

  test('when the zone has no DST, then every day of the year has the same offset', () => {
    for (let month = 1; month <= 12; month++) {
      const date = `2026-${String(month).padStart(2, '0')}-10`;
      expect(instantOf(date, '09:00', 'Asia/Tokyo')).toBe(utc(2026, month, 10, 0));
    }
  });

  test('when the time is 24:00, then it is midnight at the start of the next day', () => {
    expect(instantOf('2026-12-31', '24:00', 'Europe/Berlin')).toBe(
      instantOf('2027-01-01', '00:00', 'Europe/Berlin'),
    );
  });

  test('when seconds are given, then they count', () => {
    expect(instantOf('2026-12-08', '11:00:30', 'UTC')).toBe(utc(2026, 12, 8, 11) + 30_000);
  });

  test.each([
    ['2026-02-30', '09:00'],
    ['2026-13-01', '09:00'],
    ['26-01-01', '09:00'],
    ['2026-01-01', '25:00'],
    ['2026-01-01', '24:30'],
    ['2026-01-01', '9:00'],
  ])('when the input is %s %s, then it is refused with a RangeError', (date, time) => {
    expect(() => instantOf(date, time, 'Europe/Berlin')).toThrow(RangeError);
  });
});

describe('formatInstant and localDate', () => {
  test('when an instant is formatted, then it reads weekday, local date, 24 h time and zone', () => {
    expect(formatInstant(utc(2026, 12, 8, 10), 'Europe/Berlin')).toBe('Tue 2026-12-08 11:00 Europe/Berlin');
    expect(formatInstant(utc(2026, 12, 8, 22, 5), 'America/New_York')).toBe(
      'Tue 2026-12-08 17:05 America/New_York',
    );
  });

  test('when local midnight is formatted, then the hour is 00, not 24', () => {
    expect(formatInstant(utc(2026, 12, 31, 23), 'Europe/Berlin')).toBe('Fri 2027-01-01 00:00 Europe/Berlin');
  });

  test('when an instant has seconds, then they are cut off rather than rounded', () => {
    expect(formatInstant(utc(2026, 6, 1, 9, 59) + 59_999, 'UTC')).toBe('Mon 2026-06-01 09:59 UTC');
  });

  test('when the same instant is read in two zones, then the local dates can differ', () => {
    const at = utc(2026, 6, 30, 20);
    expect(localDate(at, 'Asia/Kolkata')).toBe('2026-07-01');
    expect(localDate(at, 'America/New_York')).toBe('2026-06-30');
  });

  test('when an October time repeats, then both instants format with the same clock time', () => {
    expect(formatInstant(utc(2026, 10, 25, 0, 30), 'Europe/Berlin')).toBe(
      'Sun 2026-10-25 02:30 Europe/Berlin',
    );
    expect(formatInstant(utc(2026, 10, 25, 1, 30), 'Europe/Berlin')).toBe(
      'Sun 2026-10-25 02:30 Europe/Berlin',
    );
  });

  test('when an instant is before 1970, then the date is still right', () => {
    expect(localDate(utc(1969, 12, 31, 12), 'UTC')).toBe('1969-12-31');
    expect(formatInstant(utc(1969, 12, 31, 23, 59) + 500, 'UTC')).toBe('Wed 1969-12-31 23:59 UTC');
  });
});
