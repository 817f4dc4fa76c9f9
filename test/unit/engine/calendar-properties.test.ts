// Properties of business-time arithmetic over random instants and amounts, on calendars chosen
// to be awkward: lunch breaks, Saturday half days, short Fridays, half-hour offsets, hours that
// span DST jumps, windows through midnight and a 24/7 calendar. Instants range over 2025-2028 so
// that every DST change of those years is crossed.
import fc from 'fast-check';
import {
  addBusinessTime,
  instantOf,
  isWorkingTime,
  localDate,
  nextWorkingInstant,
  workingTimeBetween,
} from '../../../engine/calendar/index.js';
import type { BusinessCalendar } from '../../../engine/calendar/index.js';
import { calendar } from './calendar-support.js';

const MINUTE = 60_000;

const HOLIDAYS = ['2026-01-01', '2026-03-30', '2026-12-24', '2026-12-25', '2026-12-26', '2027-01-01'];
const CALENDARS: BusinessCalendar[] = [
  calendar('Europe/Berlin', ['mon-fri 09:00-12:00 13:00-17:00'], HOLIDAYS),
  calendar('Europe/Berlin', ['mon-fri 09:00-17:00', 'sat 10:00-12:00'], HOLIDAYS),
  calendar('America/New_York', ['mon-thu 08:30-17:30', 'fri 08:30-13:00'], ['2026-11-26']),
  calendar('America/New_York', ['sat 22:00-24:00', 'sun 00:00-06:00']),
  calendar('Europe/Berlin', ['sun 01:00-05:00']),
  calendar('Asia/Kolkata', ['mon-fri 09:30-18:00', 'sat 09:30-13:30'], ['2026-08-15']),
  calendar('Asia/Tokyo', ['mon-fri 09:00-18:00']),
  calendar('Europe/Berlin', ['mon-sun 00:00-24:00']),
];

const anyCalendar = fc.constantFrom(...CALENDARS);
const anyInstant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 11, 31) });
const anyMinutes = fc.integer({ min: 0, max: 60 * 24 * 30 });
const anyDays = fc.integer({ min: 0, max: 40 });
const anyUnit = fc.constantFrom('minute' as const, 'hour' as const, 'day' as const, 'week' as const);

/** Working time, or the instant an interval ends (the last instant before it was working time). */
const isWorkingOrIntervalEnd = (cal: BusinessCalendar, at: number): boolean =>
  isWorkingTime(cal, at) || isWorkingTime(cal, at - 1);

describe('business-time properties', () => {
  test('when any amount of any unit is added, then the result is not before the input', () => {
    fc.assert(
      fc.property(anyCalendar, anyInstant, fc.integer({ min: 0, max: 300 }), anyUnit, (cal, at, n, unit) => {
        expect(addBusinessTime(cal, at, n, unit)).toBeGreaterThanOrEqual(at);
      }),
    );
  });

  test('when any amount of any unit is added, then the result is working time or an interval end', () => {
    fc.assert(
      fc.property(anyCalendar, anyInstant, fc.integer({ min: 0, max: 300 }), anyUnit, (cal, at, n, unit) => {
        expect(isWorkingOrIntervalEnd(cal, addBusinessTime(cal, at, n, unit))).toBe(true);
      }),
    );
  });

  test('when n minutes are added, then exactly n minutes of working time lie between input and result', () => {
    fc.assert(
      fc.property(anyCalendar, anyInstant, anyMinutes, (cal, at, n) => {
        expect(workingTimeBetween(cal, at, addBusinessTime(cal, at, n, 'minute'))).toBe(n * MINUTE);
      }),
    );
  });

  test('when n hours are added, then exactly n hours of working time lie between input and result', () => {
    fc.assert(
      fc.property(anyCalendar, anyInstant, fc.integer({ min: 0, max: 400 }), (cal, at, n) => {
        expect(workingTimeBetween(cal, at, addBusinessTime(cal, at, n, 'hour'))).toBe(n * 60 * MINUTE);
      }),
    );
  });

  test('when the amount grows, then the result never moves earlier', () => {
    fc.assert(
      fc.property(anyCalendar, anyInstant, anyMinutes, anyMinutes, (cal, at, a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(cal, at, small, 'minute')).toBeLessThanOrEqual(
          addBusinessTime(cal, at, large, 'minute'),
        );
      }),
    );
    fc.assert(
      fc.property(anyCalendar, anyInstant, anyDays, anyDays, (cal, at, a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(cal, at, small, 'day')).toBeLessThanOrEqual(
          addBusinessTime(cal, at, large, 'day'),
        );
      }),
    );
  });

  test('when the start moves later, then a minute deadline never moves earlier', () => {
    fc.assert(
      fc.property(anyCalendar, anyInstant, anyInstant, anyMinutes, (cal, a, b, n) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(cal, early, n, 'minute')).toBeLessThanOrEqual(
          addBusinessTime(cal, late, n, 'minute'),
        );
      }),
    );
  });

  test('when at least one day is added, then working time lies between the start and the result', () => {
    fc.assert(
      fc.property(anyCalendar, anyInstant, fc.integer({ min: 1, max: 40 }), (cal, at, n) => {
        const start = nextWorkingInstant(cal, at);
        const result = addBusinessTime(cal, at, n, 'day');
        expect(result).toBeGreaterThan(start);
        expect(workingTimeBetween(cal, start, result)).toBeGreaterThan(0);
      }),
    );
  });

  test('when the next working instant is taken, then it is working time with none skipped before it', () => {
    fc.assert(
      fc.property(anyCalendar, anyInstant, (cal, at) => {
        const next = nextWorkingInstant(cal, at);
        expect(next).toBeGreaterThanOrEqual(at);
        expect(isWorkingTime(cal, next)).toBe(true);
        expect(workingTimeBetween(cal, at, next)).toBe(0);
        expect(nextWorkingInstant(cal, next)).toBe(next);
      }),
    );
  });

  test('when working time is split at any point, then the parts add up to the whole', () => {
    fc.assert(
      fc.property(anyCalendar, anyInstant, anyInstant, anyInstant, (cal, a, b, c) => {
        const [from, mid, to] = [a, b, c].sort((x, y) => x - y) as [number, number, number];
        expect(workingTimeBetween(cal, from, mid) + workingTimeBetween(cal, mid, to)).toBe(
          workingTimeBetween(cal, from, to),
        );
      }),
      { numRuns: 30 },
    );
  });

  test('when an instant on a whole minute is read back as local date and time, then instantOf finds it', () => {
    const zones = fc.constantFrom('Asia/Kolkata', 'Asia/Tokyo', 'UTC', 'Europe/Berlin', 'America/New_York');
    fc.assert(
      fc.property(zones, anyInstant, (zone, at) => {
        const minute = at - (at % MINUTE);
        const time = new Intl.DateTimeFormat('en-GB', {
          timeZone: zone,
          hourCycle: 'h23',
          hour: '2-digit',
          minute: '2-digit',
        }).format(minute);
        const back = instantOf(localDate(minute, zone), time, zone);
        // A repeated clock time maps to its first occurrence, at most an hour earlier.
        expect(back === minute || minute - back === 3_600_000).toBe(true);
      }),
    );
  });
});
