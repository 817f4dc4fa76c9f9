// A task's deadline as an approver reads it. When the policy counts the deadline in business time
// on a calendar, the distance is working time on that calendar, computed with the engine's own
// calendar code (so the inbox and the engine's timers agree), and the instant is shown in the
// calendar's zone: "due in 5 business hours, Mon 11:30 Berlin". Otherwise plain elapsed time in
// the browser's zone: "due in 3 days, Tue 8 Dec, 11:30 CET".
import { type BusinessCalendar, workingTimeBetween } from '../../../../engine/calendar/index.js';

export interface DueText {
  state: 'none' | 'due' | 'overdue';
  /** The sentence: "due in 5 business hours, Mon 11:30 Berlin". */
  text: string;
  /** The deadline in full, in the browser's locale and zone (for the panel; null in list rows). */
  full: string | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Within this distance the weekday and time say which day it is; further out the date is added. */
const NEAR = 6 * DAY;

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Working time as people count it: minutes, hours, or days of the calendar's average working day. */
function businessSpan(ms: number, workingDayMs: number): string {
  if (ms < HOUR) return plural(Math.max(1, Math.round(ms / MINUTE)), 'business minute');
  if (ms < workingDayMs) return plural(Math.round(ms / HOUR), 'business hour');
  const days = Math.floor(ms / workingDayMs);
  const hours = Math.round((ms - days * workingDayMs) / HOUR);
  return hours === 0 ? plural(days, 'business day') : `${plural(days, 'business day')} ${hours} h`;
}

function plainSpan(ms: number): string {
  if (ms < HOUR) return plural(Math.max(1, Math.round(ms / MINUTE)), 'minute');
  if (ms < 2 * DAY) return plural(Math.round(ms / HOUR), 'hour');
  return plural(Math.round(ms / DAY), 'day');
}

/** "Berlin" for Europe/Berlin, "New York" for America/New_York. */
export const placeOf = (timeZone: string): string =>
  (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');

const formats = new Map<string, Intl.DateTimeFormat>();
function format(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, options);
    formats.set(key, f);
  }
  return f;
}

/** The instant on the calendar's clock: "Mon 11:30 Berlin", with the date when it is not near. */
function onCalendarClock(at: number, now: number, timeZone: string): string {
  const near = Math.abs(at - now) < NEAR;
  const text = format({
    timeZone,
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
    ...(near ? {} : { day: 'numeric', month: 'short' }),
  }).format(at);
  return `${text} ${placeOf(timeZone)}`;
}

/** The instant on the browser's clock with its zone: "Tue 8 Dec, 11:30 CET". */
function onLocalClock(at: number, now: number): string {
  const near = Math.abs(at - now) < NEAR;
  return format({
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    ...(near ? {} : { day: 'numeric', month: 'short' }),
  }).format(at);
}

/** The full deadline for tooltips: the browser's long date and time with its zone. */
export const fullInstant = (at: number): string =>
  format({ dateStyle: 'full', timeStyle: 'short' }).format(at) +
  ` (${
    format({ timeZoneName: 'long' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? ''
  })`;

export function describeDue(
  dueAt: string | null,
  now: number,
  calendar: BusinessCalendar | null,
  options: { full?: boolean } = {},
): DueText {
  if (dueAt === null) return { state: 'none', text: 'no deadline', full: null };
  const due = Date.parse(dueAt);
  const overdue = due <= now;
  // Formatting the full date costs two Intl calls: only the panel shows it.
  const full = options.full === true ? fullInstant(due) : null;
  if (calendar !== null && calendar.workingWeekdays > 0) {
    const when = onCalendarClock(due, now, calendar.timeZone);
    const workingDayMs = (calendar.weeklyMinutes / calendar.workingWeekdays) * MINUTE;
    const working = overdue ? workingTimeBetween(calendar, due, now) : workingTimeBetween(calendar, now, due);
    if (overdue) {
      // Overdue outside working hours: no working time has passed since, the date says enough.
      const text =
        working === 0
          ? `overdue since ${when}`
          : `overdue by ${businessSpan(working, workingDayMs)}, since ${when}`;
      return { state: 'overdue', text, full };
    }
    const text =
      working === 0
        ? `due before work resumes, ${when}`
        : `due in ${businessSpan(working, workingDayMs)}, ${when}`;
    return { state: 'due', text, full };
  }
  const when = onLocalClock(due, now);
  return overdue
    ? { state: 'overdue', text: `overdue by ${plainSpan(now - due)}, since ${when}`, full }
    : { state: 'due', text: `due in ${plainSpan(due - now)}, ${when}`, full };
}

/** "3 Jun, 14:05": when a task was opened or a comment written, in the browser's zone. */
export const shortInstant = (at: string): string =>
  format({ day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }).format(Date.parse(at));
