// Times in the recipient's words, for compose.ts: when something is due ("due in 2 working days,
// Wed 9 Dec, 09:00 (Europe/Berlin)"), an instant, and "since Friday" for a digest. Shown in the
// recipient's zone; working time counts on the recipient's hours, not the policy's calendar.
import { localDate, workingTimeBetween } from '../calendar/index.js';
import { plural } from '../facts/index.js';
import { workingCalendar } from './schedule.js';
import type { DeliveryProfile } from './types.js';

/** Who reads it and when: the recipient's profile (zone, hours) and now (epoch ms). */
export interface Reader {
  profile: DeliveryProfile;
  now: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * `due in 2 working days, Wed 9 Dec, 09:00 (Europe/Berlin)`, `due in 3 working hours, …`,
 * `overdue since …`; with `expires`: `expires in …`, `expired …`. Working time counts on the
 * recipient's hours; a profile without any shows the date alone.
 */
export function dueText(at: number, word: 'due' | 'expires', ctx: Reader): string {
  const when = timeText(at, ctx);
  if (at <= ctx.now) return word === 'due' ? `overdue since ${when}` : `expired ${when}`;
  const cal = workingCalendar(ctx.profile);
  if (cal.workingWeekdays === 0) return `${word} ${when}`;
  const working = workingTimeBetween(cal, ctx.now, at);
  if (working === 0) return `${word} before your next working hours, ${when}`;
  const dayMs = (cal.weeklyMinutes / cal.workingWeekdays) * MINUTE_MS;
  const [amount, unit] =
    working >= dayMs
      ? [Math.round(working / dayMs), 'day']
      : working >= HOUR_MS
        ? [Math.round(working / HOUR_MS), 'hour']
        : [Math.max(1, Math.ceil(working / MINUTE_MS)), 'minute'];
  return `${word} in ${amount} working ${plural(amount, unit)}, ${when}`;
}

/** `Wed 9 Dec, 09:00 (Europe/Berlin)` in the recipient's zone; the year only when it is not now's. */
export function timeText(at: number, ctx: Reader): string {
  const zone = ctx.profile.zone;
  const p = partsOf(at, zone);
  const year = p.year === partsOf(ctx.now, zone).year ? '' : ` ${p.year}`;
  return `${p.weekday} ${p.day} ${p.month}${year}, ${p.hour}:${p.minute} (${zone})`;
}

/** `today`, `since yesterday`, `since Friday` (within a week), else `since 2 Dec`. */
export function sinceText(at: number, ctx: Reader): string {
  const zone = ctx.profile.zone;
  const days = Math.round((dayOf(localDate(ctx.now, zone)) - dayOf(localDate(at, zone))) / (24 * HOUR_MS));
  if (days <= 0) return 'today';
  if (days === 1) return 'since yesterday';
  const p = partsOf(at, zone);
  if (days < 7) return `since ${LONG_WEEKDAYS.find((w) => w.startsWith(p.weekday)) ?? p.weekday}`;
  const year = p.year === partsOf(ctx.now, zone).year ? '' : ` ${p.year}`;
  return `since ${p.day} ${p.month}${year}`;
}

/** Midnight UTC of a `YYYY-MM-DD` date, to count days between local dates. */
function dayOf(date: string): number {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return Date.UTC(year, month - 1, day);
}

const LONG_WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

type Parts = Record<'weekday' | 'day' | 'month' | 'year' | 'hour' | 'minute', string>;

// Creating a formatter costs far more than using one; a digest formats dozens of instants.
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsOf(at: number, zone: string): Parts {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  const parts: Parts = { weekday: '', day: '', month: '', year: '', hour: '', minute: '' };
  for (const part of formatter.formatToParts(at)) {
    if (part.type in parts) parts[part.type as keyof Parts] = part.value;
  }
  // Some ICU versions print midnight as 24 despite h23; it is the same day's 00.
  if (parts.hour === '24') parts.hour = '00';
  return parts;
}
