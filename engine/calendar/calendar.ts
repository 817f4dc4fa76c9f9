// A calendar compiled for fast questions: working minutes per weekday, holidays as day numbers,
// and a per-calendar cache of each local day's working intervals as UTC instants. Working time
// is defined once, here, as the union of those per-day intervals, and every other function
// (isWorkingTime, nextWorkingInstant, business-time addition, workingTimeBetween) walks the same
// intervals, so the answers agree with each other even on DST days.
import type { CalendarIR, DayName } from '../ir/index.js';
import { dayNumberOf, instantOfDayMinute, localDayNumber, weekdayOfDayNumber } from './zone.js';

/** A half-open span [start, end) of epoch milliseconds. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** A half-open span [from, to) of minutes after local midnight, 0-1440. */
export interface MinuteInterval {
  readonly from: number;
  readonly to: number;
}

export interface BusinessCalendar {
  readonly name: string;
  readonly timeZone: string;
  /** Indexed by weekday, 0 = Sunday ... 6 = Saturday; sorted, with touching intervals merged. */
  readonly week: readonly (readonly MinuteInterval[])[];
  /** Local holiday dates as days since 1970-01-01. */
  readonly holidays: ReadonlySet<number>;
  /** Weekdays with any working hours: the length of a business week in business days. */
  readonly workingWeekdays: number;
  /** Working minutes in one week of the pattern, ignoring holidays and DST. */
  readonly weeklyMinutes: number;
}

/**
 * How many consecutive local days without working time a search crosses before giving up: three
 * years, longer than any run of holidays a real calendar declares.
 */
export const SEARCH_LIMIT_DAYS = 3 * 366;

/**
 * Thrown when a search for working time crosses SEARCH_LIMIT_DAYS days without finding any: the
 * calendar has no working hours (the checker refuses that, CH5010) or holidays cover them all.
 */
export class NoWorkingTimeError extends Error {
  override readonly name = 'NoWorkingTimeError';
  constructor(
    readonly calendar: string,
    readonly from: number,
  ) {
    super(`calendar \`${calendar}\` has no working time within ${SEARCH_LIMIT_DAYS} days of ${from}`);
  }
}

const WEEKDAYS: readonly DayName[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Compiles a checked CalendarIR. Never throws on a valid IR; malformed holidays are skipped. */
export function compileCalendar(ir: CalendarIR): BusinessCalendar {
  const week = WEEKDAYS.map((day) =>
    mergeIntervals(
      ir.hours
        .filter((h) => h.day === day)
        .map((h) => ({ from: minutesOf(h.from), to: minutesOf(h.to) }))
        .filter((h) => h.to > h.from),
    ),
  );
  const holidays = new Set<number>();
  for (const date of ir.holidays) {
    const day = parseDayNumber(date);
    if (day !== null) holidays.add(day);
  }
  let weeklyMinutes = 0;
  for (const intervals of week) for (const i of intervals) weeklyMinutes += i.to - i.from;
  return {
    name: ir.name,
    timeZone: ir.timezone,
    week,
    holidays,
    workingWeekdays: week.filter((intervals) => intervals.length > 0).length,
    weeklyMinutes,
  };
}

function minutesOf(time: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (match === null) return 0;
  return Math.min(1440, Number(match[1]) * 60 + Number(match[2]));
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or null when it is not one. */
export function parseDayNumber(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) return null;
  return dayNumberOf(Number(match[1]), Number(match[2]), Number(match[3]));
}

function mergeIntervals(intervals: MinuteInterval[]): MinuteInterval[] {
  // The checker guarantees sorted, non-overlapping hours; sorting and merging anyway costs nothing
  // and means an interval end is never also the start of another (a real end of working time).
  const sorted = [...intervals].sort((a, b) => a.from - b.from);
  const merged: MinuteInterval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.from <= last.to) {
      merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, interval.to) };
    } else {
      merged.push(interval);
    }
  }
  return merged;
}

// Converting a day's boundaries costs a few Intl calls each; deadlines, reminders and reports ask
// about the same few weeks again and again. The cache only memoises a pure function, so it cannot
// make replay diverge. It is bounded so that a long simulation does not grow without limit.
const CACHE_LIMIT = 4096;
const dayCaches = new WeakMap<BusinessCalendar, Map<number, readonly Interval[]>>();

/**
 * The working intervals of local day `dayNumber` as UTC instants, in order, without empty ones.
 * Wall times skipped by a DST jump map to the end of the gap and repeated ones to their first
 * occurrence, so `09:00-17:00` always means "from when clocks first show 09:00 until they first
 * show 17:00", and a day's intervals lie before the next day's.
 */
export function workingIntervalsOn(cal: BusinessCalendar, dayNumber: number): readonly Interval[] {
  let cache = dayCaches.get(cal);
  if (cache === undefined) {
    cache = new Map();
    dayCaches.set(cal, cache);
  }
  const cached = cache.get(dayNumber);
  if (cached !== undefined) return cached;
  const minutes = cal.holidays.has(dayNumber) ? [] : (cal.week[weekdayOfDayNumber(dayNumber)] ?? []);
  const intervals: Interval[] = [];
  for (const m of minutes) {
    const start = instantOfDayMinute(dayNumber, m.from, cal.timeZone);
    const end = instantOfDayMinute(dayNumber, m.to, cal.timeZone);
    if (end > start) intervals.push({ start, end });
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(dayNumber, intervals);
  return intervals;
}

/**
 * The local day of `at`, minus one: where every scan starts. An instant's own date is not always
 * enough, because clocks set back over midnight give instants of the previous date that come
 * after the next date began; starting a day early is always safe.
 */
export function scanStartDay(cal: BusinessCalendar, at: number): number {
  return localDayNumber(at, cal.timeZone) - 1;
}

/** The local date of `at` in the calendar's zone, as days since 1970-01-01. */
export function localDayOf(cal: BusinessCalendar, at: number): number {
  return localDayNumber(at, cal.timeZone);
}

/** Whether `at` lies inside a working interval of a working day, in the calendar's zone. */
export function isWorkingTime(cal: BusinessCalendar, at: number): boolean {
  const first = scanStartDay(cal, at);
  for (let day = first; day <= first + 1; day++) {
    for (const interval of workingIntervalsOn(cal, day)) {
      if (interval.start <= at && at < interval.end) return true;
    }
  }
  return false;
}

/**
 * Calls `visit` with each working interval that ends after `at`, clipped to start no earlier than
 * `at`, in order, until `visit` returns true. Throws NoWorkingTimeError after SEARCH_LIMIT_DAYS
 * consecutive days without working time, so every caller terminates.
 */
export function scanWorkingIntervals(
  cal: BusinessCalendar,
  at: number,
  visit: (start: number, end: number, dayNumber: number) => boolean,
): void {
  if (cal.workingWeekdays === 0) throw new NoWorkingTimeError(cal.name, at);
  let idle = 0;
  for (let day = scanStartDay(cal, at); ; day++) {
    let found = false;
    for (const interval of workingIntervalsOn(cal, day)) {
      if (interval.end <= at) continue;
      found = true;
      if (visit(Math.max(interval.start, at), interval.end, day)) return;
    }
    idle = found ? 0 : idle + 1;
    if (idle > SEARCH_LIMIT_DAYS) throw new NoWorkingTimeError(cal.name, at);
  }
}

/**
 * `at` itself when it is working time, else the start of the next working interval. An instant
 * exactly at an interval's end is not working time (intervals are half-open), so it moves on.
 * Throws NoWorkingTimeError when there is no working time within SEARCH_LIMIT_DAYS days.
 */
export function nextWorkingInstant(cal: BusinessCalendar, at: number): number {
  let result = at;
  scanWorkingIntervals(cal, at, (start) => {
    result = start;
    return true;
  });
  return result;
}
