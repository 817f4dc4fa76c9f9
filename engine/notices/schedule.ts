// When a message may reach a person: inside their working hours, outside their quiet hours, in
// their own zone. A person's hours become a business calendar (compileCalendar), so the answers
// here walk the same per-day working intervals as SLA deadlines do and agree with them on DST
// days. Quiet hours are not a second check on top: they are cut out of the working hours before
// compiling, which makes "the next instant that is working time and not quiet" a single
// nextWorkingInstant, and a person whose quiet hours cover all their working time a calendar
// without working time, which throws NoWorkingTimeError instead of searching forever.
//
// Pure: instants are epoch milliseconds, "now" is always a parameter.
import { compileCalendar, instantOf, localDate, nextWorkingInstant } from '../calendar/index.js';
import type { BusinessCalendar } from '../calendar/index.js';
import type { CalendarIR } from '../ir/index.js';
import type { ClockTime, DeliveryProfile, NotificationPreferences } from './types.js';

const HOUR_MS = 3_600_000;
const DAY_MINUTES = 1440;
const NO_SPAN = { file: 0, line: 0, col: 0, endLine: 0, endCol: 0 };

/** A span [from, to) of minutes after local midnight. */
interface Minutes {
  from: number;
  to: number;
}

// Profiles are read from the directory for every delivery, so a cache keyed by the profile object
// would rarely hit; keyed by what the calendar is made of, it also keeps the compiled calendar's
// own per-day cache warm. It memoises a pure function and is bounded.
const CACHE_LIMIT = 512;
const calendars = new Map<string, BusinessCalendar>();

/**
 * A calendar of the person's working hours in their zone: `workingHours.days` from `from` to `to`,
 * no holidays. Hours whose end is not after their start give no working time (the API refuses them).
 */
export function workingCalendar(profile: DeliveryProfile): BusinessCalendar {
  return hoursCalendar(profile, null);
}

/** `at` when it is inside working hours and outside quiet hours; else the next instant that is both. */
export function deliveryTime(
  at: number,
  profile: DeliveryProfile,
  preferences: NotificationPreferences,
): number {
  return nextWorkingInstant(hoursCalendar(profile, preferences.quietHours), at);
}

/**
 * The start of the next working day strictly after `at`: the first instant of a day on which a
 * message may go out (working hours minus quiet hours), Fri 18:00 → Mon 09:00 in the zone. A
 * notice before the day's first delivery instant joins that same morning's digest; one after it
 * waits for the next working day, because that morning's digest has already gone.
 */
export function nextDigestTime(
  at: number,
  profile: DeliveryProfile,
  preferences: NotificationPreferences,
): number {
  const cal = hoursCalendar(profile, preferences.quietHours);
  const zone = profile.zone;
  const next = nextWorkingInstant(cal, at);
  const date = localDate(next, zone);
  const dayStart = nextWorkingInstant(cal, instantOf(date, '00:00', zone));
  if (dayStart > at) return dayStart;
  return nextWorkingInstant(cal, instantOf(date, '24:00', zone));
}

/** The digest a delivery at `sendAt` joins: the recipient's local date of `sendAt`, `YYYY-MM-DD`. */
export function digestDay(sendAt: number, profile: DeliveryProfile): string {
  return localDate(sendAt, profile.zone);
}

/**
 * When to warn that a waiver expiring at `expires` runs out: the start of the working day `days`
 * working days before the expiry's local date (Mon 09:00 for an expiry on Thu with days = 3; the
 * days between count only when they have working hours), and never before `at`. With days = 0 it
 * is the start of the expiry's own working day (or the last one before it), but never after the
 * expiry itself. Quiet hours are left to deliveryTime, which every delivery goes through.
 */
export function expiryWarningTime(
  expires: number,
  days: number,
  at: number,
  profile: DeliveryProfile,
): number {
  const cal = workingCalendar(profile);
  const zone = profile.zone;
  let date = localDate(expires, zone);
  // Throws NoWorkingTimeError for hours without working time, before the walk below could spin.
  let start = firstWorkingInstantOn(cal, date, zone);
  let remaining = Math.max(0, Math.floor(days));
  while (remaining > 0 || start === null) {
    date = localDate(instantOf(date, '00:00', zone) - 1, zone);
    start = firstWorkingInstantOn(cal, date, zone);
    if (start !== null && remaining > 0) remaining--;
  }
  return Math.max(Math.min(start, expires), at);
}

/** The start of the UTC hour of `at`, for the hourly rate limit. */
export function hourStart(at: number): number {
  return Math.floor(at / HOUR_MS) * HOUR_MS;
}

/** The first working instant on local date `date`, or null when the date has no working time. */
function firstWorkingInstantOn(cal: BusinessCalendar, date: string, zone: string): number | null {
  const first = nextWorkingInstant(cal, instantOf(date, '00:00', zone));
  return localDate(first, zone) === date ? first : null;
}

/** The working hours of `profile` minus `quiet` (daily), compiled once per distinct combination. */
function hoursCalendar(
  profile: DeliveryProfile,
  quiet: NotificationPreferences['quietHours'],
): BusinessCalendar {
  const { zone, workingHours } = profile;
  const key = JSON.stringify([zone, workingHours.days, workingHours.from, workingHours.to, quiet]);
  const cached = calendars.get(key);
  if (cached !== undefined) return cached;
  const working = { from: minutesOf(workingHours.from), to: minutesOf(workingHours.to) };
  const open = quiet === null ? [working] : subtract(working, quietSpans(quiet));
  const hours: CalendarIR['hours'] = [];
  for (const day of workingHours.days) {
    for (const span of open) hours.push({ day, from: clockOf(span.from), to: clockOf(span.to) });
  }
  const name = quiet === null ? `working hours in ${zone}` : `working hours outside quiet hours in ${zone}`;
  const cal = compileCalendar({ name, timezone: zone, hours, holidays: [], span: NO_SPAN });
  if (calendars.size >= CACHE_LIMIT) calendars.clear();
  calendars.set(key, cal);
  return cal;
}

/** Quiet hours as spans of one day: 22:00-07:00 wraps midnight and becomes two; equal ends: none. */
function quietSpans(quiet: { from: ClockTime; to: ClockTime }): Minutes[] {
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from < to) return [{ from, to }];
  if (from > to)
    return [
      { from: 0, to },
      { from, to: DAY_MINUTES },
    ];
  return [];
}

/** `span` without the parts covered by `holes`, in order, without empty pieces. */
function subtract(span: Minutes, holes: readonly Minutes[]): Minutes[] {
  let pieces: Minutes[] = span.to > span.from ? [span] : [];
  for (const hole of holes) {
    pieces = pieces.flatMap((piece) =>
      [
        { from: piece.from, to: Math.min(piece.to, hole.from) },
        { from: Math.max(piece.from, hole.to), to: piece.to },
      ].filter((part) => part.to > part.from),
    );
  }
  return pieces.sort((a, b) => a.from - b.from);
}

/** Minutes after midnight of `HH:MM`, 0-1440; malformed text counts as midnight (the API validates). */
function minutesOf(time: ClockTime): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (match === null) return 0;
  return Math.min(DAY_MINUTES, Number(match[1]) * 60 + Number(match[2]));
}

function clockOf(minutes: number): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
