// The dashboards' filter as the URL carries it (`/dashboards?policy=change-mgmt&from=2026-W19`),
// so that a view can be bookmarked and sent. The names are those of GET /v1/dashboards/*
// (api/dashboards/filters.ts): `from` and `to` are ISO weeks or days (the API rounds a day to its
// week). Not every figure takes every name: what is open now has no weeks, and the API's queries
// are strict, so each read gets only the names it accepts.

export const FILTER_KEYS = ['policy', 'project', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type DashFilter = Partial<Record<FilterKey, string>>;

export function filterOf(query: URLSearchParams): DashFilter {
  const filter: DashFilter = {};
  for (const key of FILTER_KEYS) {
    const value = query.get(key)?.trim();
    if (value) filter[key] = value;
  }
  return filter;
}

export function queryOf(filter: DashFilter): string {
  const query = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key]?.trim();
    if (value) query.set(key, value);
  }
  return query.toString();
}

const pick = (filter: DashFilter, keys: readonly FilterKey[]): DashFilter =>
  Object.fromEntries(keys.flatMap((k) => (filter[k] === undefined ? [] : [[k, filter[k]]])));

/** The weekly rollups (cycle time, SLA breaches, compliance, instances): every name. */
export const weeklyQuery = (f: DashFilter) => pick(f, ['policy', 'project', 'from', 'to']);
/** What is open now (approver load, waivers ending): policy and project. */
export const currentQuery = (f: DashFilter) => pick(f, ['policy', 'project']);

const DAY_MS = 24 * 3600 * 1000;

/** The ISO week (`2026-W19`) holding a UTC day. */
export function isoWeekOfDay(day: Date): string {
  const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** `from`/`to` as the ISO week the resources routes take (they take no days); undefined if neither. */
export function asWeek(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-W\d{2}$/.test(value)) return value;
  const day = new Date(`${value}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(day.getTime()) ? isoWeekOfDay(day) : undefined;
}

/** The audit screen's search (web/src/pages/audit/filter.ts names) as a link. */
export function auditLink(search: {
  policy?: string;
  step?: string;
  actor?: string;
  fact?: string | undefined;
  project?: string;
}): string {
  const query = new URLSearchParams();
  for (const key of ['project', 'policy', 'step', 'actor', 'fact'] as const) {
    const value = search[key];
    if (value) query.set(key, value);
  }
  return `/audit?${query.toString()}`;
}

const TIME = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});
const DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "as of 10:40 CEST, 12 minutes ago" (the day too when it is not today). */
export function freshnessText(iso: string, now: Date): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return `as of ${iso}`;
  const minutes = Math.round((now.getTime() - at.getTime()) / 60_000);
  const ago =
    Math.abs(minutes) < 60
      ? RELATIVE.format(-minutes, 'minute')
      : Math.abs(minutes) < 48 * 60
        ? RELATIVE.format(-Math.round(minutes / 60), 'hour')
        : RELATIVE.format(-Math.round(minutes / 1440), 'day');
  const sameDay = at.toDateString() === now.toDateString();
  return `as of ${sameDay ? '' : `${DAY.format(at)}, `}${TIME.format(at)}, ${ago}`;
}
