// The audit ledger's own indexes, as keyed lists (keyed-list.ts) and `_id`-keyed documents, so that
// the hot paths stay `_id` look-ups on FerretDB v1, whose finds on any other field read every event:
//  - `audit_days`: per project, the UTC days it has events on;
//  - `audit_by_day`: per project and day, the ids and times of its events. An auditor's query by
//    project and time window reads the days in the window in order, sorts each day's entries and
//    fetches the events of the page by `_id`;
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
}

/** Days remembered as listed, per process: enough for a year of days of a few hundred projects. */
const KNOWN_DAYS_MAX = 50_000;

const projectKey = (project: string | null) => (project === null ? '-' : `p:${project}`);
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

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
    const groups = new Map<string, { project: string; day: string; entries: DayEntry[] }>();
    for (const event of events) {
      const project = projectKey(event.project);
      const day = dayOf(event.at);
      const key = `${project}|${day}`;
      const group = groups.get(key) ?? { project, day, entries: [] };
      group.entries.push({ id: event.id, at: event.at.getTime() });
      groups.set(key, group);
    }
    await Promise.all(
      [...groups].map(async ([key, group]) => {
        await this.byDay.add(key, group.entries);
        if (this.knownDays.has(key)) return;
        await this.days.add(group.project, [{ id: group.day }]);
        if (this.knownDays.size >= KNOWN_DAYS_MAX) this.knownDays.clear();
        this.knownDays.add(key);
      }),
    );
  }

  /**
   * Event ids of `project` in [from, to), in (at, id) order, strictly after `after`, a day at a
   * time: `visit` gets each day's ids and says whether to go on.
   */
  async walk(
    project: string | null,
    window: { from?: Date; to?: Date; after?: { at: Date; id: string } },
    visit: (ids: string[]) => Promise<boolean>,
  ): Promise<void> {
    const key = projectKey(project);
    const start = Math.max(window.from?.getTime() ?? -Infinity, window.after?.at.getTime() ?? -Infinity);
    const end = window.to?.getTime() ?? Infinity;
    const firstDay = Number.isFinite(start) ? dayOf(new Date(start)) : '';
    const lastDay = Number.isFinite(end) ? dayOf(new Date(end - 1)) : '\uffff';
    const days = (await this.days.read(key)).entries
      .map((e) => e.id)
      .filter((day) => day >= firstDay && day <= lastDay)
      .sort();
    const after = window.after === undefined ? null : { at: window.after.at.getTime(), id: window.after.id };
    // Days read ahead in growing batches (1, 2, 4, ...): a busy day fills a page alone, while a
    // quiet project's month needs many days, and reading them one round trip at a time adds up.
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

  /** Bulk load for a benchmark's seed, with nothing else writing: one digest per project and day. */
  async load(events: Iterable<IndexedEvent>): Promise<number> {
    const byKey = new Map<string, DayEntry[]>();
    const daysOf = new Map<string, Set<string>>();
    for (const event of events) {
      const project = projectKey(event.project);
      const day = dayOf(event.at);
      const entries = byKey.get(`${project}|${day}`) ?? [];
      entries.push({ id: event.id, at: event.at.getTime() });
      byKey.set(`${project}|${day}`, entries);
      daysOf.set(project, (daysOf.get(project) ?? new Set()).add(day));
    }
    for (const [key, entries] of byKey) await this.byDay.load(key, entries);
    for (const [project, days] of daysOf)
      await this.days.load(
        project,
        [...days].map((id) => ({ id })),
      );
    return byKey.size;
  }
}
