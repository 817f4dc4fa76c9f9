// Time-zone arithmetic without Node built-ins or a bundled tz database: the host's Intl data is the
// only source of offsets, which keeps this code legal inside Temporal's workflow sandbox. Instants
// are epoch milliseconds (UTC); a "wall" time is a local date and time encoded as if it were UTC,
// and a "day number" is a local calendar date counted in days since 1970-01-01.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The local calendar fields of an instant in some zone (month 1-12). */
export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Creating an Intl.DateTimeFormat costs far more than formatting with one, and every business-time
// computation formats several instants, so formatters are kept per zone for the life of the module.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock fields of `at` in `timeZone` (sub-second precision is dropped). */
export function localFields(at: number, timeZone: string): LocalFields {
  const fields: LocalFields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    switch (part.type) {
      case 'year':
      case 'month':
      case 'day':
      case 'minute':
      case 'second':
        fields[part.type] = Number(part.value);
        break;
      case 'hour':
        // Some ICU versions still print midnight as 24 despite h23; it is the same day's 00.
        fields.hour = Number(part.value) % 24;
        break;
      default:
        break;
    }
  }
  return fields;
}

/** The wall time of `at` in `timeZone`, encoded as UTC milliseconds (whole seconds). */
export function wallOf(at: number, timeZone: string): number {
  const f = localFields(at, timeZone);
  return utcOfFields(f.year, f.month, f.day, f.hour, f.minute, f.second);
}

/** How far `timeZone` is ahead of UTC at `at`, in milliseconds (Berlin in summer: 7_200_000). */
export function offsetAt(at: number, timeZone: string): number {
  // Intl drops milliseconds, so compare against the instant floored to its second.
  return wallOf(at, timeZone) - (at - mod(at, 1000));
}

/**
 * The instant at which clocks in `timeZone` show `wall` (a wall time encoded as UTC ms).
 * A wall time shown twice (clocks set back) gives the earlier instant; a wall time never shown
 * (clocks set forward over it) gives the first instant after the gap, i.e. the moment of the jump.
 * Assumes at most one offset change within a day of `wall`, which holds for every real zone.
 */
export function instantOfWall(wall: number, timeZone: string): number {
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = before === after ? [before] : [before, after];
  let best: number | null = null;
  for (const offset of candidates) {
    const at = wall - offset;
    if (offsetAt(at, timeZone) === offset && (best === null || at < best)) best = at;
  }
  if (best !== null) return best;
  if (before === after) {
    // The offset near this wall time differs from the offset a day either side: a second change
    // nearby, which no real zone has. Fall back to the guess so that the caller still terminates.
    return wall - offsetAt(wall - before, timeZone);
  }
  return endOfGap(wall, timeZone, wall - Math.max(before, after), wall - Math.min(before, after));
}

/**
 * The first instant in (lo, hi] whose wall time is at or after `wall`. Wall time only moves
 * forward across a gap, so the predicate is monotonic there and a binary search over whole
 * seconds finds the jump in a dozen steps. Only gap days pay for it.
 */
function endOfGap(wall: number, timeZone: string, lo: number, hi: number): number {
  let low = Math.floor(lo / 1000);
  let high = Math.ceil(hi / 1000);
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (wallOf(mid * 1000, timeZone) >= wall) high = mid;
    else low = mid;
  }
  return high * 1000;
}

/** The instant at which clocks in `timeZone` show `minuteOfDay` (0-1440) on local day `dayNumber`. */
export function instantOfDayMinute(dayNumber: number, minuteOfDay: number, timeZone: string): number {
  return instantOfWall(dayNumber * DAY_MS + minuteOfDay * MINUTE_MS, timeZone);
}

/** The local date of `at` in `timeZone`, as days since 1970-01-01. */
export function localDayNumber(at: number, timeZone: string): number {
  const f = localFields(at, timeZone);
  return dayNumberOf(f.year, f.month, f.day);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
export function dayNumberOf(year: number, month: number, day: number): number {
  return Math.floor(utcOfFields(year, month, day, 0, 0, 0) / DAY_MS);
}

/** The year, month (1-12) and day of a day number. */
export function dateOfDayNumber(dayNumber: number): { year: number; month: number; day: number } {
  const date = new Date(dayNumber * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** 0 = Sunday ... 6 = Saturday, as Date#getUTCDay; 1970-01-01 was a Thursday. */
export function weekdayOfDayNumber(dayNumber: number): number {
  return mod(dayNumber + 4, 7);
}

function utcOfFields(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year);
  return date.getTime();
}

/** The remainder with the sign of the divisor, so that negative instants floor correctly. */
export function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
