// Business-time arithmetic: adding working minutes, hours, days and weeks on a compiled calendar,
// and measuring the working time between two instants. Everything walks the per-day working
// intervals of calendar.ts, interval by interval, so a deadline months out costs a few hundred
// steps rather than one per minute.
import type { DurationIR } from '../ir/index.js';
import {
  NoWorkingTimeError,
  SEARCH_LIMIT_DAYS,
  localDayOf,
  nextWorkingInstant,
  scanStartDay,
  scanWorkingIntervals,
  workingIntervalsOn,
} from './calendar.js';
import type { BusinessCalendar, Interval } from './calendar.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './zone.js';

export type BusinessUnit = DurationIR['unit'];

/** Thrown by addDuration when a business duration names no calendar or one it was not given. */
export class UnknownCalendarError extends Error {
  override readonly name = 'UnknownCalendarError';
  constructor(readonly calendar: string | null) {
    super(
      calendar === null
        ? 'a business duration names no calendar'
        : `business duration counts on calendar \`${calendar}\`, which is not available`,
    );
  }
}

const EXACT_MS: Readonly<Record<BusinessUnit, number>> = {
  minute: MINUTE_MS,
  hour: HOUR_MS,
  day: DAY_MS,
  week: 7 * DAY_MS,
};

/**
 * Adds `amount` units of working time to `at` on `cal`.
 *
 * - `minute`, `hour`: consumes that much working time from nextWorkingInstant(at), skipping
 *   non-working time; the result is working time or exactly the end of an interval (09:00-17:00:
 *   16:00 + 2 h is 10:00 the next working day, 09:00 + 8 h is 17:00 the same day).
 * - `day`: from S = nextWorkingInstant(at), with e the working time elapsed on S's working day up
 *   to S, the result is the instant on the N-th next working day at which e has elapsed there
 *   (so usually the same clock time), or that day's last working instant (the end of its last
 *   interval) when the day is shorter. Elapsed time counts real milliseconds, so on a DST day
 *   whose hours span the jump the clock time can differ by the jump. When e ends exactly where a
 *   lunch break begins, the result is the end of the break, as S itself would have been. A
 *   fraction of a day adds that fraction of the pattern's average working day as working time.
 * - `week`: N weeks are N × cal.workingWeekdays business days (the days of the weekly pattern
 *   with any hours; mon-fri plus a Saturday half day makes a 6-day business week), whatever
 *   holidays fall in between: a week of notice stays a week of working days.
 * - An amount of 0 returns nextWorkingInstant(at), for every unit.
 *
 * Throws RangeError for a negative or non-finite amount, and NoWorkingTimeError when the
 * calendar has no working time within SEARCH_LIMIT_DAYS days of some point on the way.
 */
export function addBusinessTime(
  cal: BusinessCalendar,
  at: number,
  amount: number,
  unit: BusinessUnit,
): number {
  if (!Number.isFinite(amount) || amount < 0) {
    throw new RangeError(`business time must be a finite amount of at least 0, not ${amount}`);
  }
  if (amount === 0) return nextWorkingInstant(cal, at);
  switch (unit) {
    case 'minute':
    case 'hour':
      return addWorkingMs(cal, at, Math.round(amount * EXACT_MS[unit]));
    case 'day':
      return addBusinessDays(cal, at, amount);
    case 'week':
      return addBusinessDays(cal, at, amount * cal.workingWeekdays);
  }
}

/**
 * The instant `d` after `at`. Plain durations are exact elapsed time: a day is 24 h and a week
 * 7 × 24 h even across a DST change. Business durations count on `calendars.get(d.calendar)`
 * (see addBusinessTime) and throw UnknownCalendarError when it is not there.
 */
export function addDuration(
  d: DurationIR,
  at: number,
  calendars: ReadonlyMap<string, BusinessCalendar>,
): number {
  if (!d.business) return at + Math.round(d.amount * EXACT_MS[d.unit]);
  const cal = d.calendar === null ? undefined : calendars.get(d.calendar);
  if (cal === undefined) throw new UnknownCalendarError(d.calendar);
  return addBusinessTime(cal, at, d.amount, d.unit);
}

/** Milliseconds of working time in [from, to); 0 when `to` is not after `from`. */
export function workingTimeBetween(cal: BusinessCalendar, from: number, to: number): number {
  if (!(to > from)) return 0;
  let total = 0;
  // One day past `to`'s date covers clocks set back over midnight (see scanStartDay).
  const last = localDayOf(cal, to) + 1;
  for (let day = scanStartDay(cal, from); day <= last; day++) {
    for (const interval of workingIntervalsOn(cal, day)) {
      const overlap = Math.min(interval.end, to) - Math.max(interval.start, from);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

function addWorkingMs(cal: BusinessCalendar, at: number, ms: number): number {
  let remaining = ms;
  let result = at;
  scanWorkingIntervals(cal, at, (start, end) => {
    // `<=` lets the result be an interval's end rather than the next interval's start.
    if (remaining <= end - start) {
      result = start + remaining;
      return true;
    }
    remaining -= end - start;
    return false;
  });
  return result;
}

function addBusinessDays(cal: BusinessCalendar, at: number, days: number): number {
  const whole = Math.floor(days);
  let start = at;
  let startDay = 0;
  scanWorkingIntervals(cal, at, (first, _end, day) => {
    start = first;
    startDay = day;
    return true;
  });
  const elapsed = elapsedOn(workingIntervalsOn(cal, startDay), start);
  const target = nthWorkingDayAfter(cal, startDay, whole, start);
  const result = whole === 0 ? start : instantAfterElapsed(workingIntervalsOn(cal, target), elapsed);
  const fraction = days - whole;
  if (fraction === 0) return result;
  const averageDayMs = (cal.weeklyMinutes / cal.workingWeekdays) * MINUTE_MS;
  return addWorkingMs(cal, result, Math.round(fraction * averageDayMs));
}

/** The working time of `intervals` that lies before `at`. */
function elapsedOn(intervals: readonly Interval[], at: number): number {
  let elapsed = 0;
  for (const { start, end } of intervals) elapsed += Math.max(0, Math.min(end, at) - start);
  return elapsed;
}

/** The first instant of `intervals` with `elapsed` working time before it, else their end. */
function instantAfterElapsed(intervals: readonly Interval[], elapsed: number): number {
  let before = 0;
  for (const { start, end } of intervals) {
    if (elapsed < before + (end - start)) return start + (elapsed - before);
    before += end - start;
  }
  const last = intervals[intervals.length - 1];
  return last === undefined ? Number.NaN : last.end;
}

/** The local day number of the `count`-th day after `day` that has working intervals. */
function nthWorkingDayAfter(cal: BusinessCalendar, day: number, count: number, from: number): number {
  let current = day;
  let idle = 0;
  for (let found = 0; found < count;) {
    current++;
    if (workingIntervalsOn(cal, current).length > 0) {
      found++;
      idle = 0;
    } else if (++idle > SEARCH_LIMIT_DAYS) {
      throw new NoWorkingTimeError(cal.name, from);
    }
  }
  return current;
}
