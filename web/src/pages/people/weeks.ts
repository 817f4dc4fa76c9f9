// ISO weeks (`2027-W03`) as the resources API names them (api/resources/schemas.ts), for the
// planning screens: the week of a day, the weeks around it, and a week shown as its dates. Week 1
// is the one holding 4 January; a week belongs to the year of its Thursday.

const DAY_MS = 24 * 3600 * 1000;
const WEEK_MS = 7 * DAY_MS;

export const ISO_WEEK = /^\d{4}-W\d{2}$/;

/** The ISO week of `day` (its UTC date). */
export function isoWeekOf(day: Date): string {
  const date = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  const thursday = new Date(date + (3 - ((new Date(date).getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const ordinal = Math.round((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS);
  return `${year}-W${String(Math.floor(ordinal / 7) + 1).padStart(2, '0')}`;
}

/** The Monday (UTC) that starts `week`. */
export function mondayOf(week: string): Date {
  const year = Number(week.slice(0, 4));
  const number = Number(week.slice(6));
  const jan4 = Date.UTC(year, 0, 4);
  const firstMonday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  return new Date(firstMonday + (number - 1) * WEEK_MS);
}

/** Whether `text` names a week that exists (W53 only in the years that have one). */
export const isIsoWeek = (text: string): boolean =>
  ISO_WEEK.test(text) && Number(text.slice(6)) >= 1 && isoWeekOf(mondayOf(text)) === text;

/** The week `n` weeks after `week` (n may be negative). */
export const weekPlus = (week: string, n: number): string =>
  isoWeekOf(new Date(mondayOf(week).getTime() + n * WEEK_MS));

/** How many weeks from `from` to `to`, both included (0 or less when `to` is before `from`). */
export const weeksSpanned = (from: string, to: string): number =>
  Math.round((mondayOf(to).getTime() - mondayOf(from).getTime()) / WEEK_MS) + 1;

const DAY = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** `2027-W10` as "8 Mar – 14 Mar" in the browser's locale. */
export function weekDates(week: string): string {
  const monday = mondayOf(week);
  return `${DAY.format(monday)} – ${DAY.format(new Date(monday.getTime() + 6 * DAY_MS))}`;
}

/** Hours without a useless ".00" (the API keeps two decimals). */
export const hours = (n: number): string => `${Number.isInteger(n) ? n : n.toFixed(2).replace(/0$/, '')} h`;
