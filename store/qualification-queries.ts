// The reads over `qualification_completions` (store/qualifications.ts writes them): people's
// standing in a qualification on a day, its holders a page at a time, how many hold it validly, a
// person's completions, and the completions that expire between two days (for reminders).
//
// Each is a plain find an index serves, unhinted: on SecantusDB 0.7 a hinted find walks the whole
// index, while an unhinted equality with one range or `$in` is planned on the index's bounds
// (store/README.md). `standingOf` is one find of `{qualification, person: {$in: people}}` on
// (qualification, person, completedOn): the `$in` quirk of SecantusDB is about `_id` only, and the
// module's tests assert by `explain` that this reads exactly the matching keys and documents.
//
// "Latest completion decides" (qualification-model.ts) is worked out here, in code, from the few
// completions a person has of one qualification; nothing stored says which one is the latest, so
// recording a renewal is one insert and needs no coordination with the completion it supersedes.
import type { Collection, Db, Document } from 'mongodb';
import { parseDoc } from './documents.js';
import { decodeCursor, encodeCursor, findPage, InvalidCursorError, type SortField } from './paging.js';
import {
  type Completion,
  type CompletionDoc,
  completionDocSchema,
  type HeldStanding,
  type Standing,
  standingFrom,
  standingsOf,
} from './qualification-model.js';

export const COMPLETIONS = 'qualification_completions';

/** Index names, as the manifest (qualifications.ts) declares them and the tests' plans show them. */
export const INDEX = {
  holder: 'qualification_completions_by_holder',
  person: 'qualification_completions_by_person',
  expiry: 'qualification_completions_by_expiry',
} as const;

/** The most completions a person's list reads: years of renewals of every qualification. */
export const MAX_PERSON_COMPLETIONS = 1000;

/** The fields a standing is made of: all that standingOf, a count or a renewal check reads. */
const STANDING_FIELDS = { _id: 0, person: 1, completedOn: 1, expiresOn: 1 } as const;

export const toCompletion = (raw: Document): Completion => {
  const d = parseDoc(completionDocSchema, raw, COMPLETIONS);
  return {
    id: d._id,
    person: d.person,
    qualification: d.qualification,
    completedOn: d.completedOn,
    expiresOn: d.expiresOn,
    source: d.source,
    evidence: d.evidence,
    recordedBy: d.recordedBy,
    recordedAt: d.recordedAt,
  };
};

interface StandingRow {
  person: string;
  completedOn: string;
  expiresOn: string | null;
}

const toStandingRow = (raw: Document): StandingRow => {
  const d = parseDoc(
    completionDocSchema.pick({ person: true, completedOn: true, expiresOn: true }),
    raw,
    COMPLETIONS,
  );
  return { person: d.person, completedOn: d.completedOn, expiresOn: d.expiresOn };
};

/** A holder of a qualification: their latest completion by the day asked about, and the standing it gives. */
export interface Holder {
  person: string;
  latest: Completion;
  standing: HeldStanding;
}

const BY_EXPIRY: readonly SortField[] = [
  { field: 'expiresOn', order: 1 },
  { field: '_id', order: 1 },
];

const HOLDERS_LIST = 'qualification.holders';

export class CompletionQueries {
  private readonly completions: Collection<CompletionDoc>;

  constructor(db: Db) {
    this.completions = db.collection<CompletionDoc>(COMPLETIONS);
  }

  /**
   * Each of `people`'s standing in `qualification` on `on` (YYYY-MM-DD): `valid` (until a day,
   * or for good), `expired` (on a day) or `never`. One find for the whole list.
   */
  async standingOf(
    qualification: string,
    people: readonly string[],
    on: string,
  ): Promise<Map<string, Standing>> {
    const unique = [...new Set(people)];
    if (unique.length === 0) return new Map();
    const rows = await this.completions
      .find({ qualification, person: { $in: unique } }, { projection: STANDING_FIELDS })
      .toArray();
    return standingsOf(unique, rows.map(toStandingRow), on);
  }

  /**
   * The people who completed `qualification` by `on`, by person id, `limit` a page, each with
   * their latest completion by then and its standing on `on` (valid or expired). The cursor is
   * the last person of the page.
   *
   * Key-range paging over people rather than over completions: a person with three renewals is one
   * holder. Each find reads the index from the cursor's person on, newest completion of each
   * person first, and keeps each person's first completion made by `on`. The day is checked in
   * code: SecantusDB 0.7 plans one range after the equalities, and a second (`completedOn`) would
   * make it scan the collection. A batch that ends among a person's completions made after `on`
   * looks that person up alone (two equalities and one range); one that ends among a taken
   * person's older completions starts the next after them.
   */
  async holders(
    qualification: string,
    on: string,
    cursor: string | null,
    limit: number,
  ): Promise<{ items: Holder[]; nextCursor: string | null }> {
    const size = Math.max(1, Math.min(Math.trunc(limit), 1000));
    const batch = (size + 1) * 2;
    const found: Holder[] = [];
    const take = (raw: Document): void => {
      const latest = toCompletion(raw);
      found.push({ person: latest.person, latest, standing: standingFrom(latest, on) });
    };
    let after = cursor === null ? null : personAfter(cursor);
    while (found.length <= size) {
      const docs = await this.completions
        .find(after === null ? { qualification } : { qualification, person: { $gt: after } }, {
          sort: { person: 1, completedOn: -1 },
          limit: batch,
        })
        .toArray();
      for (const raw of docs) {
        // Completions after the day, and a taken person's older ones (the newest comes first).
        if (raw.completedOn > on || found.at(-1)?.person === raw.person) continue;
        take(raw);
        if (found.length > size) break;
      }
      const last = docs.at(-1)?.person;
      if (found.length > size || docs.length < batch || last === undefined) break;
      if (found.at(-1)?.person !== last) {
        const [before] = await this.completions
          .find(
            { qualification, person: last, completedOn: { $lte: on } },
            { sort: { completedOn: -1 }, limit: 1 },
          )
          .toArray();
        if (before !== undefined) take(before);
      }
      after = last;
    }
    const items = found.slice(0, size);
    const lastItem = items.at(-1);
    return {
      items,
      nextCursor:
        found.length > size && lastItem !== undefined ? encodeCursor(HOLDERS_LIST, [lastItem.person]) : null,
    };
  }

  /**
   * How many people hold each of `qualifications` validly on `on`: one find over their
   * completions. It reads every completion of those qualifications (three fields each), which is
   * what "latest decides" costs without a stored marker; hundreds or a few thousand per
   * qualification read in milliseconds.
   */
  async validHolderCounts(qualifications: readonly string[], on: string): Promise<Map<string, number>> {
    const ids = [...new Set(qualifications)];
    const counts = new Map(ids.map((id) => [id, 0]));
    if (ids.length === 0) return counts;
    const docs = await this.completions
      .find({ qualification: { $in: ids } }, { projection: { ...STANDING_FIELDS, qualification: 1 } })
      .toArray();
    const byQualification = new Map<string, StandingRow[]>();
    for (const raw of docs) {
      const id = String(raw.qualification);
      const rows = byQualification.get(id) ?? [];
      rows.push(toStandingRow(raw));
      byQualification.set(id, rows);
    }
    for (const [id, rows] of byQualification) {
      const standings = standingsOf([...new Set(rows.map((r) => r.person))], rows, on);
      counts.set(id, [...standings.values()].filter((s) => s.status === 'valid').length);
    }
    return counts;
  }

  /** Every completion of `person`, newest first (at most MAX_PERSON_COMPLETIONS). */
  async completionsOf(person: string): Promise<Completion[]> {
    const docs = await this.completions
      .find({ person }, { sort: { completedOn: -1, _id: 1 }, limit: MAX_PERSON_COMPLETIONS })
      .toArray();
    return docs.map(toCompletion);
  }

  /**
   * Completions whose expiresOn is between `from` and `to` (both included), soonest first, paged
   * by (expiresOn, _id): those a reminder is about. A completion its person has renewed since is
   * left out (its expiry no longer matters), so a page may hold fewer than `limit`; the cursor
   * still moves on.
   */
  async expiringBetween(
    from: string,
    to: string,
    cursor: string | null,
    limit: number,
  ): Promise<{ items: Completion[]; nextCursor: string | null }> {
    const page = await findPage(this.completions as unknown as Collection<Document>, {
      list: 'qualification.expiring',
      filter: { expiresOn: { $gte: from, $lte: to } },
      sort: BY_EXPIRY,
      ...(cursor === null ? {} : { after: cursor }),
      limit,
      parse: toCompletion,
      hint: INDEX.expiry,
      unhintedFirstPage: true,
    });
    const latest = await this.latestDays(page.items);
    const items = page.items.filter((c) => latest.get(`${c.qualification}\n${c.person}`) === c.completedOn);
    return { items, nextCursor: page.next };
  }

  /** Completions by id (the `_id` list alone, as SecantusDB needs it). */
  async completionsById(ids: readonly string[]): Promise<Map<string, Completion>> {
    if (ids.length === 0) return new Map();
    const docs = await this.completions.find({ _id: { $in: [...new Set(ids)] } }).toArray();
    return new Map(docs.map((raw) => [raw._id, toCompletion(raw)]));
  }

  /** The latest completion day of each (qualification, person) of `completions`: a find per qualification. */
  private async latestDays(completions: readonly Completion[]): Promise<Map<string, string>> {
    const people = new Map<string, Set<string>>();
    for (const c of completions)
      people.set(c.qualification, (people.get(c.qualification) ?? new Set()).add(c.person));
    const latest = new Map<string, string>();
    for (const [qualification, who] of people) {
      const rows = await this.completions
        .find({ qualification, person: { $in: [...who] } }, { projection: STANDING_FIELDS })
        .toArray();
      for (const row of rows.map(toStandingRow)) {
        const key = `${qualification}\n${row.person}`;
        if ((latest.get(key) ?? '') < row.completedOn) latest.set(key, row.completedOn);
      }
    }
    return latest;
  }
}

/** The person a holders cursor ends after; InvalidCursorError unless this list issued it. */
function personAfter(cursor: string): string {
  const [person] = decodeCursor(HOLDERS_LIST, cursor, 1);
  if (typeof person !== 'string') throw new InvalidCursorError(HOLDERS_LIST);
  return person;
}
