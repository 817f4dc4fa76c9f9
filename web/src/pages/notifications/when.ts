// When a notification happened, as people read it: "3 hours ago" or "yesterday" beside the full
// date and time in the browser's locale and zone, the zone named ("12 Mar 2026, 17:00 CET"), so
// the short form is quick to scan and the long one is exact.
const full = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function instantText(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : full.format(at);
}

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago", measured from `now`. */
export function agoText(iso: string, now: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const past = now - at;
  if (Math.abs(past) < MINUTE) return 'just now';
  if (Math.abs(past) < HOUR) return relative.format(-Math.round(past / MINUTE), 'minute');
  if (Math.abs(past) < DAY) return relative.format(-Math.round(past / HOUR), 'hour');
  if (Math.abs(past) < 14 * DAY) return relative.format(-Math.round(past / DAY), 'day');
  if (Math.abs(past) < 60 * DAY) return relative.format(-Math.round(past / (7 * DAY)), 'week');
  return relative.format(-Math.round(past / (30 * DAY)), 'month');
}
