// The ledger search as the URL carries it, so that a search can be bookmarked and sent to a
// colleague: `/audit?instance=…&from=2026-03-01T00:00:00.000Z`. The names are those of GET
// /v1/audit/events (api/audit/filters.ts); times travel as UTC instants and are shown and typed in
// the browser's own time zone. Only these names reach the API: its query is strict, and a stray
// name would be refused.
import type { FactKind } from '../../../../engine/facts/index.js';

export const FILTER_KEYS = [
  'instance',
  'project',
  'policy',
  'version',
  'process',
  'step',
  'actor',
  'type',
  'fact',
  'outcome',
  'from',
  'to',
] as const;

export type FilterKey = (typeof FILTER_KEYS)[number];
export type AuditFilter = Partial<Record<FilterKey, string>>;

/** The filter a URL's query describes (empty values dropped). */
export function filterOf(query: URLSearchParams): AuditFilter {
  const filter: AuditFilter = {};
  for (const key of FILTER_KEYS) {
    const value = query.get(key)?.trim();
    if (value) filter[key] = value;
  }
  return filter;
}

/** The query string of a filter, in a stable order (the same search, the same URL). */
export function queryOf(filter: AuditFilter): string {
  const query = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key]?.trim();
    if (value) query.set(key, value);
  }
  return query.toString();
}

/** The same search at any time (the empty screen's way to widen it). */
export function withoutPeriod(filter: AuditFilter): AuditFilter {
  const rest = { ...filter };
  delete rest.from;
  delete rest.to;
  return rest;
}

/** The filter as the typed client sends it (`version` is a number there; a non-number is the API's to refuse). */
export function apiQuery(filter: AuditFilter) {
  const { version, fact, ...rest } = filter;
  return {
    ...rest,
    ...(version === undefined ? {} : { version: Number(version) }),
    // Any text: the API refuses a kind it does not know (422 at `fact`), shown at the field.
    ...(fact === undefined ? {} : { fact: fact as FactKind }),
  };
}

/** Where the ledger's export of this filter downloads from (a plain GET: the cookie authorises it). */
export const exportHref = (filter: AuditFilter, format: 'csv' | 'jsonl'): string => {
  const query = queryOf(filter);
  return `/v1/audit/export?${query === '' ? '' : `${query}&`}format=${format}`;
};

/** The summary takes only the policy, project and period of the search. */
export function summaryQuery(filter: AuditFilter) {
  const { policy, project, from, to } = filter;
  return {
    ...(policy === undefined ? {} : { policy }),
    ...(project === undefined ? {} : { project }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

/** The browser's time zone, named where times are typed or shown. */
export const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

const pad = (n: number): string => String(n).padStart(2, '0');

/** A UTC instant as a `datetime-local` value in the browser's time zone ('' when not a time). */
export function toLocalInput(iso: string | undefined): string {
  if (iso === undefined) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** A `datetime-local` value (the browser's time zone) as a UTC instant; undefined when empty. */
export function fromLocalInput(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}

const DATE = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const TIME = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

/** An instant in the browser's locale, with its time zone: ledgers are read across offices. */
export function showInstant(iso: string): string {
  const parts = instantParts(iso);
  return parts === null ? iso : `${parts.date}, ${parts.time}`;
}

/** The day and the time (with its zone) of an instant, for a table cell of two lines. */
export function instantParts(iso: string): { date: string; time: string } | null {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : { date: DATE.format(at), time: TIME.format(at) };
}
