// How the people screens show what the directory holds. Instants (absences, delegations) in the
// browser's locale and time zone, the zone named, since a delegation that starts "at 00:00" means
// something else in Oslo than in Singapore; absences are typed as days (away from, back on) and
// sent as the local midnight that starts each day.

const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

export function showInstant(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : DATE_TIME.format(at);
}

export const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

const pad = (n: number): string => String(n).padStart(2, '0');

/** An instant as a `date` input's value, the day it falls on here. */
export function toDateInput(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** A `date` input's value as the instant its day starts here; the text itself if not a date. */
export function startOfDay(value: string): string {
  const at = new Date(`${value}T00:00`);
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}

/** Where an instant range stands now. */
export function phaseOf(range: { start: string; end: string }, now = Date.now()): 'planned' | 'now' | 'over' {
  if (Date.parse(range.end) <= now) return 'over';
  return Date.parse(range.start) <= now ? 'now' : 'planned';
}
