// The audit ledger's own indexes, as keyed lists (keyed-list.ts), so that an auditor's query stays
// `_id` look-ups on FerretDB v1, whose finds on any other field read every event. Each event is
// listed under several keys: its project (`p:<project>`, or `-` for none), its policy
// (`pol:<name>`), its actor (`a:<person>`) and outcome (`o:<outcome>`) when it has them, and `*`
// (every event). Per key:
//  - `audit_days`: the UTC days the key has events on (months, for a person or an outcome);
//  - `audit_by_day`: per key and day (or month), the ids and times of its events.
// A query picks the most selective key its filter names, reads that key's days in the window in
// order, sorts each day's entries and fetches the page's events by `_id`; the ledger applies the
// rest of the filter to each event.
// Entries are written after the event itself, so an entry always has an event behind it; a crash
// in between leaves the event out of the index until the activity's retry re-appends it (a no-op
// for the event, and the entries are written again).
import type { Db } from 'mongodb';
import { z } from 'zod';
import { KeyedList } from './keyed-list.js';

const dayEntry = z.object({ id: z.string(), at: z.number() });
type DayEntry = z.infer<typeof dayEntry>;

/** What the index keeps of an event. */
export interface IndexedEvent {
  id: string;
  at: Date;
  project: string | null;
  policyName: string;
  actor: string | null;
  outcome: string | null;
}

/** The equality filters an index key can stand for. */
export interface IndexableFilter {
  project?: string;
  policyName?: string;
  actor?: string;
  outcome?: string;
}

/** Days remembered as listed, per process: enough for a year of days of a few hundred keys. */
const KNOWN_DAYS_MAX = 50_000;

const projectKey = (project: string | null) => (project === null ? '-' : `p:${project}`);

/**
 * The bucket of `at` under `key`: its UTC day, or its month for a person's or an outcome's key,
 * whose events are mostly too few a day to be worth a document each. Within a key, buckets sort like the times they hold.
 */
const bucketOf = (key: string, at: number): string =>
  new Date(at).toISOString().slice(0, key.startsWith('a:') || key.startsWith('o:') ? 7 : 10);

function keysOf(event: IndexedEvent): string[] {
  const keys = [projectKey(event.project), `pol:${event.policyName}`, '*'];
  if (event.actor !== null) keys.push(`a:${event.actor}`);
  if (event.outcome !== null) keys.push(`o:${event.outcome}`);
  return keys;
}

/**
 * The key a query reads: the project's (tens of thousands of events a year), else the actor's, else
 * the outcome's (rare ones, a rejection or a refusal, are what auditors look for), else the
 * policy's, else every event's. The ledger still checks every fetched event against the filter.
 */
export function keyFor(filter: IndexableFilter): string {
  if (filter.project !== undefined) return projectKey(filter.project);
  if (filter.actor !== undefined) return `a:${filter.actor}`;
  if (filter.outcome !== undefined) return `o:${filter.outcome}`;
  if (filter.policyName !== undefined) return `pol:${filter.policyName}`;
  return '*';
}

export class AuditIndex {
  private readonly days: KeyedList<{ id: string }>;
  private readonly byDay: KeyedList<DayEntry>;
  private readonly knownDays = new Set<string>();

  constructor(db: Db) {
    this.days = new KeyedList(db, 'audit_days', z.object({ id: z.string() }));
    this.byDay = new KeyedList(db, 'audit_by_day', dayEntry);
  }

  /** Indexes stored events (idempotent). */
  async record(events: readonly IndexedEvent[]): Promise<void> {
    const groups = new Map<string, { key: string; day: string; entries: DayEntry[] }>();
    for (const event of events) {
      for (const key of keysOf(event)) {
        const day = bucketOf(key, event.at.getTime());
        const group = groups.get(`${key}|${day}`) ?? { key, day, entries: [] };
        group.entries.push({ id: event.id, at: event.at.getTime() });
        groups.set(`${key}|${day}`, group);
      }
    }
    await Promise.all(
      [...groups].map(async ([keyDay, group]) => {
        await this.byDay.add(keyDay, group.entries);
        if (this.knownDays.has(keyDay)) return;
        await this.days.add(group.key, [{ id: group.day }]);
        if (this.knownDays.size >= KNOWN_DAYS_MAX) this.knownDays.clear();
        this.knownDays.add(keyDay);
      }),
    );
  }

  /**
   * Event ids under `key` in [from, to), in (at, id) order, strictly after `after`, a day at a
   * time: `visit` gets each day's ids and says whether to go on.
   */
  async walk(
    key: string,
    window: { from?: Date; to?: Date; after?: { at: Date; id: string } },
    visit: (ids: string[]) => Promise<boolean>,
  ): Promise<void> {
    const start = Math.max(window.from?.getTime() ?? -Infinity, window.after?.at.getTime() ?? -Infinity);
    const end = window.to?.getTime() ?? Infinity;
    const firstDay = Number.isFinite(start) ? bucketOf(key, start) : '';
    const lastDay = Number.isFinite(end) ? bucketOf(key, end - 1) : '\uffff';
    const days = (await this.days.read(key)).entries
      .map((e) => e.id)
      .filter((day) => day >= firstDay && day <= lastDay)
      .sort();
    const after = window.after === undefined ? null : { at: window.after.at.getTime(), id: window.after.id };
    // Days read ahead in growing batches (1, 2, 4, ...): a busy day fills a page alone, while a
    // quiet key's month needs many days, and reading them one round trip at a time adds up.
    for (let i = 0, ahead = 1; i < days.length; i += ahead, ahead = Math.min(ahead * 2, 16)) {
      const reads = await this.byDay.readMany(days.slice(i, i + ahead).map((day) => `${key}|${day}`));
      for (const read of reads) {
        const ids = read.entries
          .filter((e) => e.at >= start && e.at < end)
          .filter((e) => after === null || e.at > after.at || (e.at === after.at && e.id > after.id))
          .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          .map((e) => e.id);
        if (ids.length > 0 && !(await visit(ids))) return;
      }
    }
  }

  /** Bulk load for a benchmark's seed, with nothing else writing: one digest per key and day. */
  async load(events: Iterable<IndexedEvent>): Promise<number> {
    const byKey = new Map<string, DayEntry[]>();
    const daysOf = new Map<string, Set<string>>();
    for (const event of events) {
      for (const key of keysOf(event)) {
        const day = bucketOf(key, event.at.getTime());
        const entries = byKey.get(`${key}|${day}`) ?? [];
        entries.push({ id: event.id, at: event.at.getTime() });
        byKey.set(`${key}|${day}`, entries);
        daysOf.set(key, (daysOf.get(key) ?? new Set()).add(day));
      }
    }
    for (const [key, entries] of byKey) await this.byDay.load(key, entries);
    for (const [key, days] of daysOf)
      await this.days.load(
        key,
        [...days].map((id) => ({ id })),
      );
    return byKey.size;
  }
}
