// Instants as a requester reads them: in the browser's locale and time zone, with the zone named
// ("12 Mar 2026, 17:00 CET"), and a deadline as "due in 3 days" or "overdue by 2 hours".
const full = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

export const instantText = (iso: string): string => full.format(new Date(iso));

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

function span(ms: number): string {
  if (ms < HOUR) return plural(Math.max(1, Math.round(ms / MINUTE)), 'minute');
  if (ms < 2 * DAY) return plural(Math.round(ms / HOUR), 'hour');
  return plural(Math.round(ms / DAY), 'day');
}

export interface DueText {
  overdue: boolean;
  text: string;
}

/** "due in 3 days" or "overdue by 2 hours", measured from `now`. */
export function dueText(dueAt: string, now: number): DueText {
  const left = new Date(dueAt).getTime() - now;
  return left >= 0
    ? { overdue: false, text: `due in ${span(left)}` }
    : { overdue: true, text: `overdue by ${span(-left)}` };
}
