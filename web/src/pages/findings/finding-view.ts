// What the findings screens show of a finding, as the API answers it (/v1/findings): the types
// from the generated client, the words for its status and health (always a word with its colour,
// never the colour alone), its age and deadline in days as people say them ("due in 2 days",
// "overdue 3 days"), and the list's filters as they live in the URL.
import type { paths } from '../../api-client/client.js';
import { HEALTH_CLASS, HEALTH_TEXT } from '../portfolio/project-view.js';

type Json<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Finding = Json<'/v1/findings/{id}', 'get'>;
export type FindingStatus = Finding['status'];
export type FindingsReport = Json<'/v1/reports/findings', 'get'>;
export type ListStatus = NonNullable<
  NonNullable<paths['/v1/findings']['get']['parameters']['query']>['status']
>;

export const findingPath = (id: string): string => `/findings/${encodeURIComponent(id)}`;
export const projectPath = (code: string): string => `/portfolio/${encodeURIComponent(code)}`;

export const STATUS: Record<FindingStatus, { text: string; badge: string }> = {
  open: { text: 'Open', badge: 'badge-open' },
  acknowledged: { text: 'Acknowledged', badge: 'badge-current' },
  resolved: { text: 'Resolved', badge: 'badge-approved' },
  waived: { text: 'Waived', badge: 'badge-pending' },
  closed: { text: 'Closed: passing again', badge: 'badge-done' },
};

/** The statuses the list filters by, in the order people think of them. */
export const LIST_STATUSES: { value: ListStatus; text: string }[] = [
  { value: 'live', text: 'Live (open or acknowledged)' },
  { value: 'open', text: 'Open' },
  { value: 'acknowledged', text: 'Acknowledged' },
  { value: 'resolved', text: 'Resolved' },
  { value: 'waived', text: 'Waived' },
  { value: 'closed', text: 'Closed: passing again' },
];

export const isLive = (f: Pick<Finding, 'status'>): boolean =>
  f.status === 'open' || f.status === 'acknowledged';

/** The health a finding gives its project, as words and a badge class; null: it leaves health alone. */
export function healthOf(health: Finding['health']): { text: string; badge: string } | null {
  return health === null ? null : { text: HEALTH_TEXT[health], badge: HEALTH_CLASS[health] };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** A span as people say it: whole days from a day on, hours below. */
function span(ms: number): string {
  if (ms >= DAY) return plural(Math.floor(ms / DAY), 'day');
  return plural(Math.max(1, Math.floor(ms / HOUR)), 'hour');
}

/** A live finding's deadline: "due in 2 days", "overdue 3 days", or none; ended findings have none. */
export function dueOf(
  f: Pick<Finding, 'status' | 'dueAt'>,
  now: number,
): { state: 'due' | 'overdue' | 'none'; text: string } {
  if (!isLive(f)) return { state: 'none', text: 'ended' };
  if (f.dueAt === null) return { state: 'none', text: 'no deadline' };
  const due = Date.parse(f.dueAt);
  return due <= now
    ? { state: 'overdue', text: `overdue ${span(now - due)}` }
    : { state: 'due', text: `due in ${span(due - now)}` };
}

/** How long ago a run opened it: "opened 3 days ago", "opened 5 hours ago". */
export const ageOf = (openedAt: string, now: number): string =>
  `opened ${span(Math.max(0, now - Date.parse(openedAt)))} ago`;

const INSTANT = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const DAY_TEXT = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

export const instantText = (iso: string): string => {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : INSTANT.format(at);
};

/** A calendar day (YYYY-MM-DD) in the browser's words; a day has no time zone. */
export const dayText = (day: string): string => {
  const at = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(at) ? day : DAY_TEXT.format(at);
};

/** The filters of the list, as the URL and the API name them ('' when not set). */
export interface ListFilter {
  status: string;
  project: string;
  monitor: string;
  /** Set by links from the monitors page: a monitor name is only unique within its policy. */
  policy: string;
  mine: boolean;
}

export function filterOf(query: URLSearchParams): ListFilter {
  const get = (key: string) => query.get(key)?.trim() ?? '';
  return {
    status: get('status'),
    project: get('project'),
    monitor: get('monitor'),
    policy: get('policy'),
    mine: get('mine') === 'true',
  };
}

/** The filters that are set, as a query string (`?status=live&mine=true`), or '' for none. */
export function queryOf(filter: ListFilter): string {
  const params = new URLSearchParams();
  if (filter.status !== '') params.set('status', filter.status);
  if (filter.project !== '') params.set('project', filter.project);
  if (filter.monitor !== '') params.set('monitor', filter.monitor);
  if (filter.policy !== '') params.set('policy', filter.policy);
  if (filter.mine) params.set('mine', 'true');
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Today (UTC, as the API counts waivers) plus `days`, as YYYY-MM-DD for a date field. */
export const dayFromToday = (days: number, now: number): string =>
  new Date(now + days * DAY).toISOString().slice(0, 10);
