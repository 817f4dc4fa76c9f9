// The PMO's qualifications (issue 16): the registry (`qualifications`, `_id` = a slug such as
// `itil-change`) and who completed what when (`qualification_completions`, one document per
// (person, qualification, completion day)). Approvals ask it whether approvers hold a valid
// qualification (`standingOf`); the console lists holders, a person's completions and, for
// reminders, what expires soon (the reads are in qualification-queries.ts). What a day means for
// validity, and why the latest completion decides, is in qualification-model.ts.
//
// Invariants and what guards them:
// - An id names one qualification: the unique `_id`; a second create gets QualificationExistsError.
// - Versions of an entry count up by one: an update writes with `{_id, version: read}` in the
//   filter and `version + 1`; of two writers on one version one matches, the other sees
//   QualificationVersionConflictError (it named a version) or reads again (it named none).
// - A completion is recorded once: its `_id` is `<qualification>:<completedOn>:<person>`, so a
//   retried record or import finds its first write (a duplicate key) and writes nothing; the same
//   day recorded with other evidence is refused (CompletionConflictError), never overwritten.
// - `expiresOn` is computed from the validity the qualification has when the completion is first
//   written, and kept: a later change of the validity does not move it.
// - An import writes all its new completions in one transaction, or none.
import type { Collection, Db, Document } from 'mongodb';
import { inTransaction, isDuplicateKey, parseDoc } from './documents.js';
import type { CollectionSpec } from './manifest.js';
import { findPage, type SortField } from './paging.js';
import {
  checked,
  type Completion,
  CompletionConflictError,
  type CompletionDoc,
  completionId,
  expiryOf,
  fieldsSchema,
  type NewCompletion,
  newCompletionSchema,
  patchSchema,
  type Qualification,
  type QualificationDoc,
  qualificationDocSchema,
  QualificationExistsError,
  type QualificationFields,
  QualificationNotFoundError,
  QualificationVersionConflictError,
  type Standing,
  standingsOf,
} from './qualification-model.js';
import { COMPLETIONS, CompletionQueries, INDEX, toCompletion } from './qualification-queries.js';

export {
  COMPLETION_SOURCES,
  CompletionConflictError,
  QualificationExistsError,
  QualificationNotFoundError,
  QualificationVersionConflictError,
} from './qualification-model.js';
export type {
  Completion,
  CompletionSource,
  NewCompletion,
  Qualification,
  QualificationFields,
  Standing,
} from './qualification-model.js';
export type { Holder } from './qualification-queries.js';

const QUALIFICATIONS = 'qualifications';

/** An update that keeps losing to other writers (no version named) gives up after this many reads. */
const MAX_ATTEMPTS = 50;

const BY_ID: readonly SortField[] = [{ field: '_id', order: 1 }];

const toQualification = (raw: Document): Qualification => {
  const d = parseDoc(qualificationDocSchema, raw, QUALIFICATIONS);
  return {
    id: d._id,
    name: d.name,
    description: d.description,
    validityMonths: d.validityMonths,
    version: d.version,
    createdAt: d.createdAt,
    createdBy: d.createdBy,
    updatedAt: d.updatedAt,
    updatedBy: d.updatedBy,
  };
};

/** One qualification as a person holds it (QualificationStore.ofPerson). */
export interface PersonQualification {
  qualification: Pick<Qualification, 'id' | 'name' | 'validityMonths'>;
  standing: Standing;
  /** Newest first. */
  completions: Completion[];
}

/** What an import would do with one row: write it, or find it recorded already, as it is. */
export type CompletionImportOutcome =
  | { outcome: 'new'; completion: Completion }
  | { outcome: 'recorded-already'; completion: Completion }
  | { outcome: 'conflict'; given: NewCompletion; existing: Completion };

/** Same (person, qualification, day) and evidence: the same fact, whoever recorded it and how. */
const sameFact = (a: NewCompletion, b: Completion): boolean => (a.evidence ?? null) === (b.evidence ?? null);

export class QualificationStore {
  private readonly registry: Collection<QualificationDoc>;
  private readonly writes: Collection<CompletionDoc>;
  /** The reads over completions: standing, holders, counts, a person's list, expiries. */
  private readonly reads: CompletionQueries;

  constructor(private readonly db: Db) {
    this.registry = db.collection<QualificationDoc>(QUALIFICATIONS);
    this.writes = db.collection<CompletionDoc>(COMPLETIONS);
    this.reads = new CompletionQueries(db);
  }

  /** Each person's standing in `qualification` on `on`: one find for the whole list (qualification-queries.ts). */
  standingOf(qualification: string, people: readonly string[], on: string): Promise<Map<string, Standing>> {
    return this.reads.standingOf(qualification, people, on);
  }

  /** Holders by person, a page at a time, with their standing on `on`. */
  holders(qualification: string, on: string, cursor: string | null, limit: number) {
    return this.reads.holders(qualification, on, cursor, limit);
  }

  /** How many hold each of `qualifications` validly on `on`. */
  validHolderCounts(qualifications: readonly string[], on: string): Promise<Map<string, number>> {
    return this.reads.validHolderCounts(qualifications, on);
  }

  /** Every completion of `person`, newest first. */
  completionsOf(person: string): Promise<Completion[]> {
    return this.reads.completionsOf(person);
  }

  /**
   * A person's qualifications: for each they completed, its entry, their standing on `on` and
   * their completions of it, newest first; by qualification name. Two reads: the person's
   * completions, then the entries by id.
   */
  async ofPerson(person: string, on: string): Promise<PersonQualification[]> {
    const completions = await this.reads.completionsOf(person);
    const byQualification = new Map<string, Completion[]>();
    for (const c of completions) {
      const list = byQualification.get(c.qualification) ?? [];
      list.push(c);
      byQualification.set(c.qualification, list);
    }
    const entries = await this.getMany([...byQualification.keys()]);
    return [...byQualification]
      .map(([id, list]) => {
        const entry = entries.get(id);
        return {
          qualification: { id, name: entry?.name ?? id, validityMonths: entry?.validityMonths ?? null },
          standing: standingsOf([person], list, on).get(person) ?? { status: 'never' as const },
          completions: list,
        };
      })
      .sort(
        (a, b) =>
          a.qualification.name.localeCompare(b.qualification.name) ||
          a.qualification.id.localeCompare(b.qualification.id),
      );
  }

  /** The latest completions expiring between `from` and `to` (both included), soonest first, paged. */
  expiringBetween(from: string, to: string, cursor: string | null, limit: number) {
    return this.reads.expiringBetween(from, to, cursor, limit);
  }

  /** Version 1. A taken id: QualificationExistsError. */
  async create(id: string, fields: QualificationFields, by: string, at: Date): Promise<Qualification> {
    const valid = checked(fieldsSchema, fields, `qualification ${id}`);
    const doc: QualificationDoc = {
      _id: id,
      ...valid,
      version: 1,
      createdAt: at,
      createdBy: by,
      updatedAt: at,
      updatedBy: by,
    };
    try {
      await this.registry.insertOne(doc);
    } catch (error) {
      if (isDuplicateKey(error)) throw new QualificationExistsError(id);
      throw error;
    }
    return toQualification(doc);
  }

  /**
   * Applies `patch` when the stored version is `expectedVersion` (null: whatever it is), in one
   * conditional update (version +1). A patch that changes nothing writes nothing. Unknown id:
   * QualificationNotFoundError; another version: QualificationVersionConflictError.
   */
  async update(
    id: string,
    patch: Partial<QualificationFields>,
    expectedVersion: number | null,
    by: string,
    at: Date,
  ): Promise<Qualification> {
    const given = checked(patchSchema, patch, `qualification ${id}`);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      if (current === null) throw new QualificationNotFoundError(id);
      if (expectedVersion !== null && current.version !== expectedVersion) {
        throw new QualificationVersionConflictError(id, expectedVersion, current.version);
      }
      const set = Object.fromEntries(
        (['name', 'description', 'validityMonths'] as const).flatMap((field) =>
          given[field] === undefined || given[field] === current[field] ? [] : [[field, given[field]]],
        ),
      );
      if (Object.keys(set).length === 0) return current;
      const updated = await this.registry.findOneAndUpdate(
        { _id: id, version: current.version },
        { $set: { ...set, version: current.version + 1, updatedAt: at, updatedBy: by } },
        { returnDocument: 'after' },
      );
      // Another writer took this version between the read and the write: read again.
      if (updated !== null) return toQualification(updated);
    }
    throw new Error(`qualification ${id}: no update after ${MAX_ATTEMPTS} attempts against other writers`);
  }

  async get(id: string): Promise<Qualification | null> {
    const raw = await this.registry.findOne({ _id: id });
    return raw === null ? null : toQualification(raw);
  }

  /** The entries of `ids` that exist, by id: one read by the `_id` list alone. */
  async getMany(ids: readonly string[]): Promise<Map<string, Qualification>> {
    if (ids.length === 0) return new Map();
    const docs = await this.registry.find({ _id: { $in: [...new Set(ids)] } }).toArray();
    return new Map(docs.map((raw) => [raw._id, toQualification(raw)]));
  }

  /** The registry by id, key-range paging (paging.ts). */
  async page(
    cursor: string | null,
    limit: number,
  ): Promise<{ items: Qualification[]; nextCursor: string | null }> {
    const page = await findPage(this.registry as unknown as Collection<Document>, {
      list: 'qualifications',
      filter: {},
      sort: BY_ID,
      ...(cursor === null ? {} : { after: cursor }),
      limit,
      parse: toQualification,
      // The registry is a few dozen entries: walking its `_id` index is cheap on any server.
      hint: '_id_',
    });
    return { items: page.items, nextCursor: page.next };
  }

  /**
   * Records one completion (expiresOn from the qualification's validity now). Recorded already
   * with the same evidence: that first record, `created: false` (a retry). With other evidence:
   * CompletionConflictError. Unknown qualification: QualificationNotFoundError.
   */
  async record(
    given: NewCompletion,
    by: string,
    at: Date,
  ): Promise<{ completion: Completion; created: boolean }> {
    const completion = checked(newCompletionSchema, given, 'completion');
    const qualification = await this.get(completion.qualification);
    if (qualification === null) throw new QualificationNotFoundError(completion.qualification);
    const doc = completionDoc(completion, qualification, by, at);
    try {
      await this.writes.insertOne(doc);
      return { completion: toCompletion(doc), created: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const existing = (await this.reads.completionsById([doc._id])).get(doc._id);
    if (existing === undefined) throw new Error(`completion ${doc._id}: a duplicate key, then no document`);
    if (!sameFact(completion, existing)) throw new CompletionConflictError(existing);
    return { completion: existing, created: false };
  }

  /**
   * What recording `rows` would do, row by row, without writing: each new completion with its
   * expiresOn, or the record already there. Every row's qualification must exist
   * (QualificationNotFoundError otherwise; the API checks first and answers with the row).
   */
  async planImport(rows: readonly NewCompletion[], by: string, at: Date): Promise<CompletionImportOutcome[]> {
    const given = rows.map((row) => checked(newCompletionSchema, row, 'completion'));
    const qualifications = await this.getMany(given.map((row) => row.qualification));
    const existing = await this.reads.completionsById(given.map(completionId));
    return given.map((row): CompletionImportOutcome => {
      const before = existing.get(completionId(row));
      if (before !== undefined) {
        return sameFact(row, before)
          ? { outcome: 'recorded-already', completion: before }
          : { outcome: 'conflict', given: row, existing: before };
      }
      const qualification = qualifications.get(row.qualification);
      if (qualification === undefined) throw new QualificationNotFoundError(row.qualification);
      return { outcome: 'new', completion: toCompletion(completionDoc(row, qualification, by, at)) };
    });
  }

  /**
   * Records `rows` all or none: planned as planImport does; any conflict writes nothing and is
   * answered in the outcomes; otherwise the new completions are inserted in one transaction. A
   * completion someone else wrote in between makes the insert fail on its key: planned again once.
   */
  async importCompletions(
    rows: readonly NewCompletion[],
    by: string,
    at: Date,
  ): Promise<CompletionImportOutcome[]> {
    for (let attempt = 0; ; attempt++) {
      const plan = await this.planImport(rows, by, at);
      const fresh = plan.flatMap((row) => (row.outcome === 'new' ? [row.completion] : []));
      if (plan.some((row) => row.outcome === 'conflict') || fresh.length === 0) return plan;
      try {
        await inTransaction(this.db, async (session) => {
          await this.writes.insertMany(fresh.map(docOf), { session, ordered: true });
        });
        return plan;
      } catch (error) {
        if (!isDuplicateKey(error) || attempt > 0) throw error;
      }
    }
  }
}

function completionDoc(c: NewCompletion, q: Qualification, by: string, at: Date): CompletionDoc {
  return {
    _id: completionId(c),
    person: c.person,
    qualification: c.qualification,
    completedOn: c.completedOn,
    expiresOn: expiryOf(c.completedOn, q.validityMonths),
    source: c.source,
    evidence: c.evidence,
    recordedBy: by,
    recordedAt: at,
  };
}

const docOf = (c: Completion): CompletionDoc => ({
  _id: c.id,
  person: c.person,
  qualification: c.qualification,
  completedOn: c.completedOn,
  expiresOn: c.expiresOn,
  source: c.source,
  evidence: c.evidence,
  recordedBy: c.recordedBy,
  recordedAt: c.recordedAt,
});

/** This module's collections and the indexes their queries use (store/manifest.ts). */
export const qualificationCollections: CollectionSpec[] = [
  {
    name: QUALIFICATIONS,
    holds: 'one qualification of the PMO (`_id` = its slug): name, validity in months, version',
    shardKey: { _id: 'hashed' },
    // By `_id` only: one entry, a few by id, the registry in id order.
    indexes: [],
  },
  {
    name: COMPLETIONS,
    holds:
      'one completion of a qualification by a person on a day (`_id` = `<qualification>:<completedOn>:<person>`), with its expiry',
    // standingOf and the holders list name the qualification and people: one range of the key.
    shardKey: { qualification: 1, person: 1 },
    indexes: [
      {
        name: INDEX.holder,
        key: { qualification: 1, person: 1, completedOn: -1 },
        serves:
          "people's standing in a qualification (standingOf: the qualification and a list of people, one find), its holders by person, how many are valid, and whether a completion is its person's latest",
      },
      {
        name: INDEX.person,
        key: { person: 1, completedOn: -1, _id: 1 },
        serves: "a person's completions, newest first (completionsOf)",
      },
      {
        name: INDEX.expiry,
        key: { expiresOn: 1, _id: 1 },
        serves: 'completions expiring between two days, for reminders (expiringBetween)',
      },
    ],
  },
];
