// What the portfolio screens show of a project, as the API answers it (/v1/projects): the types
// from the generated client, and the words for health, money, dates and changes. Health is always
// a word with its colour (green, amber, red), never the colour alone.
import type { paths } from '../../api-client/client.js';

type Json<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Project = Json<'/v1/projects/{code}', 'get'>;
export type ProjectChange = Json<'/v1/projects/{code}/history', 'get'>['items'][number];
export type Unlinked = Json<'/v1/portfolio/unlinked', 'get'>['items'][number];
export type ImportAnswer = Json<'/v1/projects/import', 'post'>;
export type Health = Project['health']['status'];

export const HEALTHS: readonly Health[] = ['green', 'amber', 'red'];

/** What each health says in words (the badge's colour only repeats it). */
export const HEALTH_TEXT: Record<Health, string> = {
  green: 'On track',
  amber: 'At risk',
  red: 'In trouble',
};

/** The badge classes of the console's stylesheet that carry each health's colour. */
export const HEALTH_CLASS: Record<Health, string> = {
  green: 'badge-approved',
  amber: 'badge-health-amber',
  red: 'badge-rejected',
};

export const projectPath = (code: string): string => `/portfolio/${encodeURIComponent(code)}`;

/** The filters of the portfolio list, as the URL and the API name them. */
export interface ListFilter {
  phase: string;
  health: string;
  manager: string;
  tag: string;
}

export const FILTER_KEYS: readonly (keyof ListFilter)[] = ['phase', 'health', 'manager', 'tag'];

export function filterOf(query: URLSearchParams): ListFilter {
  const get = (key: keyof ListFilter) => query.get(key)?.trim() ?? '';
  return { phase: get('phase'), health: get('health'), manager: get('manager'), tag: get('tag') };
}

/** The filters that are set, as a query string (`?phase=build&tag=erp`), or '' for none. */
export function queryOf(filter: ListFilter): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filter[key] !== '') params.set(key, filter[key]);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** An amount of money as people read it, the exact decimal text grouped: `1,200,000.5 EUR`. */
export function moneyText(budget: Project['budget']): string {
  if (budget === null) return 'none';
  const [whole = '', fraction] = budget.amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${grouped}${fraction === undefined ? '' : `.${fraction}`} ${budget.currency}`;
}

const DAY = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

/** A calendar day (YYYY-MM-DD) as the browser's locale writes it; a day has no time zone. */
export function dayText(day: string | null): string {
  if (day === null) return 'not set';
  const at = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(at.getTime()) ? day : DAY.format(at);
}

const INSTANT = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export function instantText(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : INSTANT.format(at);
}

/** The words of a field's name in a change (`health` → `Health`, `end` → `End date`). */
export const FIELD_TEXT: Record<string, string> = {
  name: 'Name',
  phase: 'Phase',
  manager: 'Manager',
  sponsor: 'Sponsor',
  budget: 'Budget',
  start: 'Start date',
  end: 'End date',
  health: 'Health',
  tags: 'Tags',
};

/** A field's value in a change, in words: what the history stored (JSON) read as the page shows it. */
export function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (field === 'budget' && typeof value === 'object' && 'amount' in value && 'currency' in value) {
    return moneyText({ amount: String(value.amount), currency: String(value.currency) });
  }
  if (field === 'health' && typeof value === 'object' && 'status' in value) {
    const status = String(value.status) as Health;
    const reason = 'reason' in value && typeof value.reason === 'string' ? ` (${value.reason})` : '';
    return `${HEALTH_TEXT[status] ?? status}${reason}`;
  }
  if ((field === 'start' || field === 'end') && typeof value === 'string') return dayText(value);
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(String).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}
