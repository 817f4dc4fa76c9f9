// Instants as people read them in decision explanations and notifications, and the reverse:
// a local date and wall-clock time in a named zone as an instant. All of it goes through the
// same Intl-based zone arithmetic as the calendar, so an explanation shows exactly the local
// time the engine computed with.
import { DAY_MS, MINUTE_MS, dayNumberOf, instantOfWall, localFields, weekdayOfDayNumber } from './zone.js';
import type { LocalFields } from './zone.js';

const WEEKDAY_ABBREVIATIONS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/**
 * `Tue 2026-12-08 11:00 Europe/Berlin`: English weekday, local date, 24-hour local time and the
 * zone's name. Seconds are cut off, never rounded, so a deadline at 10:59:59 shows as 10:59.
 */
export function formatInstant(at: number, timeZone: string): string {
  const f = localFields(at, timeZone);
  const weekday = WEEKDAY_ABBREVIATIONS[weekdayOfDayNumber(dayNumberOf(f.year, f.month, f.day))] ?? '';
  return `${weekday} ${dateText(f)} ${pad(f.hour, 2)}:${pad(f.minute, 2)} ${timeZone}`;
}

/** The local date of `at` in `timeZone`, as `YYYY-MM-DD`. */
export function localDate(at: number, timeZone: string): string {
  return dateText(localFields(at, timeZone));
}

/**
 * The instant at which clocks in `timeZone` show `localTime` (`HH:MM` or `HH:MM:SS`, `24:00` for
 * the end of the day) on `localDate` (`YYYY-MM-DD`).
 *
 * - A time skipped by a DST jump (02:30 in Berlin on 2026-03-29) gives the first instant after
 *   the gap, the moment of the jump (03:00 CEST): the earliest instant whose clock time is at or
 *   after the one asked for, which keeps the mapping monotonic for working-hour boundaries.
 * - A time shown twice (02:30 in Berlin on 2026-10-25) gives the earlier instant (02:30 CEST).
 *
 * Throws RangeError when the date or time is malformed; an unknown zone throws Intl's RangeError.
 */
export function instantOf(localDate: string, localTime: string, timeZone: string): number {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  const time = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(localTime);
  if (date === null) throw new RangeError(`not a YYYY-MM-DD date: ${localDate}`);
  if (time === null) throw new RangeError(`not an HH:MM time: ${localTime}`);
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  const [hour, minute, second] = [Number(time[1]), Number(time[2]), Number(time[3] ?? '0')];
  const endOfDay = hour === 24 && minute === 0 && second === 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`no such date: ${localDate}`);
  }
  if ((hour > 23 && !endOfDay) || minute > 59 || second > 59) {
    throw new RangeError(`no such time: ${localTime}`);
  }
  const wall = dayNumberOf(year, month, day) * DAY_MS + (hour * 60 + minute) * MINUTE_MS + second * 1000;
  return instantOfWall(wall, timeZone);
}

function daysInMonth(year: number, month: number): number {
  return (
    dayNumberOf(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - dayNumberOf(year, month, 1)
  );
}

function dateText(f: LocalFields): string {
  return `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
