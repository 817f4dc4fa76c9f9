// Findings of protocol monitors (issue 16): one document per finding (`findings`), opened by a
// monitor run for a project that fails the monitor's `require`, acted on by people (acknowledge,
// resolve, waive), widened by escalation, and closed by a later run that finds the project passing.
// What a finding is, its statuses and the report's arithmetic are in finding-model.ts; the list,
// the live findings of projects and the report in finding-queries.ts.
//
// Invariants and what guards them:
// - At most one live finding per (policy, monitor, project) key: a live finding carries `liveKey`
//   (= its key) and an ended one does not; a unique index on (key, liveKey), partial on
//   `liveKey: {$exists: true}`, lets the database refuse a second live one. Of two workers opening
//   one key at once, one insert wins; the other gets a duplicate key, reads the key again and
//   answers 'seen'. (The index begins with `key`, the shard key: a unique index of a sharded
//   collection must.)
// - A retried run writes the same finding: `_id` = `<key>/<run time>`, so a second insert of one
//   run is a duplicate key; a run that finds its own finding live answers 'opened' again (its
//   follow-ups, all keyed by the finding's id, can be redone) and one that finds it ended answers
//   'seen'; a run sees a live finding once (`lastSeenRun`), and an older run never moves
//   `lastSeenAt` back.
// - Every change is one update conditioned on the version it was worked out on (`{_id, version}`,
//   version + 1): of two people acting at once one wins; the other reads again and gets
//   FindingNotLiveError with the status it lost to, or FindingVersionConflictError when they named
//   the version they read. Escalation appends people on the same condition, so nobody is added twice.
//
// Round trips: `open` reads its key's findings (one field, on `findings_by_key`) and writes once;
// `openMany`, a run's page of failing projects, reads their keys' findings in one find and writes
// the new findings and seen marks in one unordered bulk write per 500;
// `closePassing` reads the keys' findings and closes the live ones in one bulk write per 500
// projects. (SecantusDB plans a filter of one field on its index but scans the collection for
// `findOneAndUpdate` and for finds of several fields; conditional `updateOne`s by `_id` are fast.)
import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { isDuplicateKey, writeErrorsOf } from './documents.js';
import {
  type Finding,
  type FindingDoc,
  FindingNotFoundError,
  FindingNotLiveError,
  FINDINGS,
  type FindingsReport,
  type FindingStatus,
  FindingVersionConflictError,
  keyOf,
  LIVE_STATUSES,
  newFindingDoc,
  type OpenFinding,
  parseOpenFinding,
  readFindingDoc,
  toFinding,
} from './finding-model.js';
import { type FindingFilter, FindingQueries, INDEX, PER_QUERY } from './finding-queries.js';
import type { CollectionSpec } from './manifest.js';

export {
  FINDING_HEALTH,
  FINDING_STATUSES,
  FindingNotFoundError,
  FindingNotLiveError,
  FindingVersionConflictError,
  LIVE_STATUSES,
} from './finding-model.js';
export type {
  AgeCounts,
  Finding,
  FindingHealth,
  FindingsReport,
  FindingStatus,
  OpenFinding,
} from './finding-model.js';
export type { FindingFilter, FindingListStatus } from './finding-queries.js';

/** A write that keeps losing to other writers gives up after this many reads. */
const MAX_ATTEMPTS = 20;

/** The outcome of `open`: a new finding, a live one seen again, or none for a waiver in force. */
export type OpenOutcome = { status: 'opened' | 'seen' | 'waived'; finding: Finding };

/** What a change does to a finding: the fields it sets, and whether the finding stops being live. */
interface Change {
  set: Partial<Omit<FindingDoc, '_id' | 'version' | 'liveKey'>>;
  ends: boolean;
}

/** A live finding ending in `status` at `at`. */
const ending = (status: FindingStatus, set: Change['set'], at: Date): Change => ({
  set: { ...set, status, endedAt: at },
  ends: true,
});

/** The update that makes `change` of a document read at `version`, and the document it leaves. */
function written(doc: FindingDoc, change: Change) {
  const { liveKey, ...rest } = doc;
  const after: FindingDoc = {
    ...rest,
    ...change.set,
    ...(change.ends || liveKey === undefined ? {} : { liveKey }),
    version: doc.version + 1,
  };
  const update = {
    $set: { ...change.set, version: doc.version + 1 },
    ...(change.ends ? { $unset: { liveKey: '' as const } } : {}),
  };
  return { filter: { _id: doc._id, version: doc.version }, update, after };
}

export class FindingStore {
  private readonly findings: Collection<FindingDoc>;
  private readonly reads: FindingQueries;

  constructor(db: Db) {
    this.findings = db.collection<FindingDoc>(FINDINGS);
    this.reads = new FindingQueries(db);
  }

  /**
   * What a run found for one project: the live finding of its key seen again ('seen'; 'opened'
   * when this run opened it, a retry), nothing under a waiver in force on `day` ('waived', with
   * the waived finding), or a new open finding ('opened'). Input checked first (RangeError).
   */
  async open(input: OpenFinding): Promise<OpenOutcome> {
    const given = parseOpenFinding(input);
    const key = keyOf(given.policy.name, given.monitor, given.project);
    const doc = newFindingDoc(given);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const plan = planOpen((await this.findings.find({ key }).toArray()).map(readFindingDoc), given, doc);
      if (plan.kind === 'done') return plan.outcome;
      if (plan.kind === 'seen') {
        const { filter, update, after } = plan.write;
        const result = await this.findings.updateOne(filter, update);
        if (result.matchedCount === 1) return { status: 'seen', finding: toFinding(after) };
        continue;
      }
      try {
        await this.findings.insertOne(doc);
        return { status: 'opened', finding: toFinding(doc) };
      } catch (error) {
        // Another worker opened the key first (or this run, retried, at the same time): read again.
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new Error(`finding ${key}: no answer after ${MAX_ATTEMPTS} attempts against other writers`);
  }

  /**
   * `open` for a page of one run's failing projects, outcomes in input order: per 500 inputs one
   * read of their keys' findings and one bulk write of the new findings and the "seen" marks,
   * where `open` takes two or three round trips per project. An input another writer raced in
   * between (a duplicate key, a seen mark that lost its version) is settled by `open` alone.
   */
  async openMany(inputs: readonly OpenFinding[]): Promise<OpenOutcome[]> {
    const given = inputs.map(parseOpenFinding);
    const outcomes: (OpenOutcome | null)[] = given.map(() => null);
    for (let i = 0; i < given.length; i += PER_QUERY) {
      const chunk = given.slice(i, i + PER_QUERY);
      const keys = chunk.map((g) => keyOf(g.policy.name, g.monitor, g.project));
      const ofKeys = new Map<string, FindingDoc[]>();
      const found = await this.findings.find({ key: { $in: keys } }, { batchSize: 100_000 }).toArray();
      for (const doc of found.map(readFindingDoc)) ofKeys.set(doc.key, [...(ofKeys.get(doc.key) ?? []), doc]);
      const writes: { index: number; op: AnyBulkWriteOperation<FindingDoc>; outcome: OpenOutcome }[] = [];
      for (const [n, g] of chunk.entries()) {
        const doc = newFindingDoc(g);
        const plan = planOpen(ofKeys.get(doc.key) ?? [], g, doc);
        if (plan.kind === 'done') {
          outcomes[i + n] = plan.outcome;
        } else if (plan.kind === 'seen') {
          const { filter, update, after } = plan.write;
          const outcome = { status: 'seen', finding: toFinding(after) } as const;
          writes.push({ index: i + n, op: { updateOne: { filter, update } }, outcome });
        } else {
          const outcome = { status: 'opened', finding: toFinding(doc) } as const;
          writes.push({ index: i + n, op: { insertOne: { document: doc } }, outcome });
        }
      }
      const lost = await this.bulkOpen(writes.map((w) => w.op));
      for (const [n, w] of writes.entries()) outcomes[w.index] = lost.has(n) ? null : w.outcome;
    }
    const settled: OpenOutcome[] = [];
    for (const [index, outcome] of outcomes.entries())
      settled.push(outcome ?? (await this.open(given[index]!)));
    return settled;
  }

  /**
   * Runs openMany's writes unordered; answers the positions whose outcome is not certain: inserts
   * that met a duplicate key and, when not every seen mark matched its version, all seen marks
   * (the result does not say which one lost; `open` reads them again and writes nothing twice).
   */
  private async bulkOpen(ops: AnyBulkWriteOperation<FindingDoc>[]): Promise<Set<number>> {
    if (ops.length === 0) return new Set();
    const updates = ops.flatMap((op, n) => ('updateOne' in op ? [n] : []));
    const lost = new Set<number>();
    let matched: number;
    try {
      matched = (await this.findings.bulkWrite(ops, { ordered: false })).matchedCount;
    } catch (error) {
      const errors = writeErrorsOf(error);
      if (errors === null || !errors.every(isDuplicateKey)) throw error;
      for (const e of errors) if (typeof e.index === 'number') lost.add(e.index);
      const result = (error as { result?: { matchedCount?: unknown } }).result;
      matched = typeof result?.matchedCount === 'number' ? result.matchedCount : -1;
    }
    if (matched !== updates.length) for (const n of updates) lost.add(n);
    return lost;
  }

  /**
   * Closes the live findings of (policy, monitor) for `projects` (a run found them passing) and
   * returns every finding this run closed for them, also those an earlier attempt of the same run
   * closed (so a retried caller still writes its ledger facts), by project code. Per 500 projects:
   * one read of their findings and one bulk write of the live ones' closings (a re-read only for
   * findings another writer changed in between).
   */
  async closePassing(input: {
    policy: string;
    monitor: string;
    projects: string[];
    runId: string;
    at: Date;
  }): Promise<Finding[]> {
    const keys = [...new Set(input.projects)].map((p) => keyOf(input.policy, input.monitor, p));
    const closing = ending('closed', { closed: { at: input.at, run: input.runId } }, input.at);
    const closed: Finding[] = [];
    for (let i = 0; i < keys.length; i += PER_QUERY) {
      // Findings of these keys, in one answer: a key's findings are few (one per failure).
      const ofKeys = (
        await this.findings
          .find({ key: { $in: keys.slice(i, i + PER_QUERY) } }, { batchSize: 100_000 })
          .toArray()
      ).map(readFindingDoc);
      closed.push(...ofKeys.filter((d) => d.closed?.run === input.runId).map(toFinding));
      const writes = ofKeys.filter((d) => d.liveKey !== undefined).map((d) => written(d, closing));
      if (writes.length === 0) continue;
      const result = await this.findings.bulkWrite(
        writes.map(({ filter, update }) => ({ updateOne: { filter, update } })),
        { ordered: false },
      );
      if (result.matchedCount === writes.length) {
        closed.push(...writes.map((w) => toFinding(w.after)));
        continue;
      }
      // Someone acted on some of them in between: which ones this run closed, the documents say.
      const ids = writes.map((w) => w.filter._id);
      const now = await this.findings.find({ _id: { $in: ids } }).toArray();
      closed.push(...now.filter((d) => d.closed?.run === input.runId).map(toFinding));
    }
    return closed.sort((a, b) => a.project.localeCompare(b.project) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<Finding | null> {
    const raw = await this.findings.findOne({ _id: id });
    return raw === null ? null : toFinding(raw);
  }

  /**
   * Escalation: `added` people join a live finding (those already owners or added are left out;
   * nobody new writes nothing and bumps no version). Ended: FindingNotLiveError.
   */
  addPeople(id: string, added: readonly string[], at: Date): Promise<Finding> {
    return this.change(id, LIVE_STATUSES, null, (doc) => {
      const known = new Set([...doc.owners, ...doc.added]);
      const fresh = [...new Set(added)].filter((person) => !known.has(person));
      if (fresh.length === 0) return null;
      const people = [...new Set([...doc.people, ...fresh])];
      return { set: { added: [...doc.added, ...fresh], people, addedAt: at }, ends: false };
    });
  }

  /** open → acknowledged, with the note; it stays live. */
  acknowledge(
    id: string,
    by: string,
    at: Date,
    note: string | null,
    expectedVersion: number | null,
  ): Promise<Finding> {
    return this.change(id, ['open'], expectedVersion, () => ({
      set: { status: 'acknowledged', acknowledged: { by, at, note } },
      ends: false,
    }));
  }

  /** open or acknowledged → resolved, with the evidence; it ends. */
  resolve(
    id: string,
    by: string,
    at: Date,
    evidence: string,
    expectedVersion: number | null,
  ): Promise<Finding> {
    return this.change(id, LIVE_STATUSES, expectedVersion, () =>
      ending('resolved', { resolved: { by, at, evidence } }, at),
    );
  }

  /** open or acknowledged → waived until `until` (YYYY-MM-DD): runs through that day open nothing for its key. */
  waive(
    id: string,
    by: string,
    at: Date,
    until: string,
    reason: string,
    expectedVersion: number | null,
  ): Promise<Finding> {
    return this.change(id, LIVE_STATUSES, expectedVersion, () =>
      ending('waived', { waived: { by, at, until, reason } }, at),
    );
  }

  /**
   * One change of a finding in a status of `from`: read, check, then an update conditioned on the
   * version read (null from `decide`: nothing to change). Read again when another writer got there
   * first, so the refusal names the status or version it lost to.
   */
  private async change(
    id: string,
    from: readonly FindingStatus[],
    expectedVersion: number | null,
    decide: (doc: FindingDoc) => Change | null,
  ): Promise<Finding> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const raw = await this.findings.findOne({ _id: id });
      if (raw === null) throw new FindingNotFoundError(id);
      const doc = readFindingDoc(raw);
      // The status first: reading the finding again cannot make the action possible.
      if (!from.includes(doc.status)) throw new FindingNotLiveError(id, doc.status);
      if (expectedVersion !== null && doc.version !== expectedVersion) {
        throw new FindingVersionConflictError(id, expectedVersion, doc.version);
      }
      const change = decide(doc);
      if (change === null) return toFinding(doc);
      const { filter, update, after } = written(doc, change);
      const result = await this.findings.updateOne(filter, update);
      if (result.matchedCount === 1) return toFinding(after);
    }
    throw new Error(`finding ${id}: no change after ${MAX_ATTEMPTS} attempts against other writers`);
  }

  /** The list, newest first, under `filter` (finding-queries.ts). */
  page(
    filter: FindingFilter,
    cursor: string | null,
    limit: number,
  ): Promise<{ items: Finding[]; nextCursor: string | null }> {
    return this.reads.page(filter, cursor, limit);
  }

  /** The live findings of the projects `codes`, by code, newest first within each. */
  liveByProject(codes: readonly string[]): Promise<Finding[]> {
    return this.reads.liveByProject(codes);
  }

  /** Live findings by project, age and monitor at `now`, and the mean time to resolve. */
  report(now: Date): Promise<FindingsReport> {
    return this.reads.report(now);
  }
}

/** This module's collection and the indexes its queries use (store/manifest.ts). */
export const findingCollections: CollectionSpec[] = [
  {
    name: FINDINGS,
    holds:
      'one finding of a protocol monitor (`_id` = `<policy>/<monitor>/<project>/<run time>`): status, owners, actions',
    shardKey: { key: 'hashed' },
    indexes: [
      {
        name: INDEX.oneLive,
        key: { key: 1, liveKey: 1 },
        unique: true,
        partialFilterExpression: { liveKey: { $exists: true } },
        serves:
          'at most one live finding per (policy, monitor, project): two concurrent opens cannot double one',
      },
      {
        name: INDEX.key,
        key: { key: 1, openedAt: -1, _id: -1 },
        serves:
          "a key's findings: the live one or a waiver in force (FindingStore.open), the ones to close (closePassing)",
      },
      {
        name: INDEX.newest,
        key: { openedAt: -1, _id: -1 },
        serves: 'every finding, newest first (FindingStore.page without a filter)',
      },
      {
        name: INDEX.status,
        key: { status: 1, openedAt: -1, _id: -1 },
        serves: 'the findings list by status (FindingStore.page) and the live ones of the report',
      },
      {
        name: INDEX.project,
        key: { project: 1, openedAt: -1, _id: -1 },
        serves: "the findings list by project (FindingStore.page), projects' live findings (liveByProject)",
      },
      {
        name: INDEX.monitor,
        key: { monitor: 1, openedAt: -1, _id: -1 },
        serves: 'the findings list by monitor (FindingStore.page)',
      },
      {
        name: INDEX.policy,
        key: { 'policy.name': 1, openedAt: -1, _id: -1 },
        serves: 'the findings list by policy (FindingStore.page)',
      },
      {
        name: INDEX.person,
        key: { people: 1, openedAt: -1, _id: -1 },
        serves:
          "a person's findings, as owner or added by escalation (FindingStore.page), multikey on people",
      },
    ],
  },
];

/** What opening `given` does, from its key's findings: settled already, a seen mark, or an insert. */
type OpenPlan =
  | { kind: 'done'; outcome: OpenOutcome }
  | { kind: 'seen'; write: ReturnType<typeof written> }
  | { kind: 'insert' };

/**
 * A live finding is seen by a run once and never back in time ('opened' again for the run that
 * opened it, a retry); a waiver in force on the day opens nothing; a finding this run opened that
 * has ended since is not opened again; otherwise `doc` is inserted.
 */
function planOpen(ofKey: readonly FindingDoc[], given: OpenFinding, doc: FindingDoc): OpenPlan {
  const done = (status: OpenOutcome['status'], d: FindingDoc): OpenPlan => ({
    kind: 'done',
    outcome: { status, finding: toFinding(d) },
  });
  const live = ofKey.find((d) => d.liveKey !== undefined);
  if (live !== undefined) {
    if (live.openedByRun === given.runId) return done('opened', live);
    if (live.lastSeenRun === given.runId || live.lastSeenAt > given.runAt) return done('seen', live);
    const set = { lastSeenAt: given.runAt, lastSeenRun: given.runId };
    return { kind: 'seen', write: written(live, { set, ends: false }) };
  }
  const waived = ofKey.find((d) => d.status === 'waived' && (d.waived?.until ?? '') >= given.day);
  if (waived !== undefined) return done('waived', waived);
  const own = ofKey.find((d) => d._id === doc._id);
  return own !== undefined ? done('seen', own) : { kind: 'insert' };
}
