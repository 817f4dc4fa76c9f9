// Approval, attestation and waiver tasks: what lands in a person's inbox. The machine opens, widens
// and closes them through activities, which Temporal may retry or run twice; every operation here is
// therefore idempotent, and a close is final: no late retry of `open` ever reopens a task.
//
// Why facts behind the task document: on MongoDB `$addToSet` and a guarded `$set` would do. FerretDB
// v1 applies updates in Go and writes the whole document back, so a slow `addAssignees` could
// write "open" over a close, and two of them could drop each other's people. So each change is an
// inserted fact with a deterministic `_id` (`<task>|assign|<person>`, `<task>|close`), atomic and
// idempotent on both servers, and the task document is re-derived from its facts until a re-read
// agrees (the last writer verifies last, so the document settles on every fact). Facts are read
// back by `_id` only (the people added are listed per task, keyed-list.ts): on FerretDB a find on
// any other field reads every fact of every task.
import type { CollectionSpec } from './manifest.js';
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { isDuplicateKey, parseDoc } from './documents.js';
import { KeyedList } from './keyed-list.js';
import { inboxOrder, TaskIndex, type InboxEntry, type IndexedTask } from './task-index.js';

export type TaskKind = 'approval' | 'attestation' | 'waiver';

export interface NewTask {
  /** Deterministic: `<instanceId>/<task>`, so a retried open finds the first one. */
  id: string;
  instanceId: string;
  task: string;
  step: string;
  title: string;
  kind: TaskKind;
  assignees: string[];
  dueAt: Date | null;
  openedAt: Date;
  policy: { name: string; version: number; sha256: string };
  process: string;
  project: string | null;
}

const taskSchema = z.object({
  _id: z.string(),
  instanceId: z.string(),
  task: z.string(),
  step: z.string(),
  title: z.string(),
  kind: z.enum(['approval', 'attestation', 'waiver']),
  initialAssignees: z.array(z.string()),
  assignees: z.array(z.string()),
  status: z.enum(['open', 'closed']),
  dueAt: z.date().nullable().default(null),
  /** dueAt, or the far future: tasks without a deadline sort after every dated one. */
  dueKey: z.date(),
  openedAt: z.date(),
  policy: z.object({ name: z.string(), version: z.number(), sha256: z.string() }),
  process: z.string(),
  project: z.string().nullable().default(null),
  blockedOn: z.string().nullable().default(null),
  closedAt: z.date().nullable().default(null),
  closeReason: z.string().nullable().default(null),
});
const factSchema = z.discriminatedUnion('kind', [
  z.object({ _id: z.string(), task: z.string(), kind: z.literal('assign'), person: z.string() }),
  z.object({ _id: z.string(), task: z.string(), kind: z.literal('close'), reason: z.string(), at: z.date() }),
  z.object({
    _id: z.string(),
    task: z.string(),
    kind: z.literal('blocked'),
    text: z.string().nullable().default(null),
  }),
]);

type TaskDoc = z.infer<typeof taskSchema>;
type FactDoc = z.infer<typeof factSchema>;
export type Task = Omit<TaskDoc, '_id' | 'initialAssignees' | 'dueKey'> & { id: string };

const TASKS = 'tasks';
const FACTS = 'task_facts';
const NO_DEADLINE = new Date('9999-12-31T00:00:00Z');
const MAX_ROUNDS = 50;
const DAY_MS = 24 * 3600 * 1000;

const toTask = ({ _id, initialAssignees: _i, dueKey: _d, ...rest }: TaskDoc): Task => ({ id: _id, ...rest });

function encodeCursor(t: TaskDoc): string {
  return Buffer.from(JSON.stringify([t.dueKey.getTime(), t.openedAt.getTime(), t._id])).toString('base64url');
}

function decodeCursor(cursor: string): { dueKey: Date; openedAt: Date; id: string } {
  const parsed = z
    .tuple([z.number(), z.number(), z.string()])
    .safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  if (!parsed.success) throw new Error(`invalid page cursor ${JSON.stringify(cursor)}`);
  return { dueKey: new Date(parsed.data[0]), openedAt: new Date(parsed.data[1]), id: parsed.data[2] };
}

export class TaskStore {
  private readonly tasks: Collection<TaskDoc>;
  private readonly facts: Collection<FactDoc>;
  private readonly index: TaskIndex;
  /** Per task, the people added after it opened: the `assign` facts, listed for `_id` reads. */
  private readonly widenedTo: KeyedList<{ id: string }>;

  constructor(db: Db) {
    this.tasks = db.collection(TASKS);
    this.facts = db.collection(FACTS);
    this.index = new TaskIndex(db);
    this.widenedTo = new KeyedList(db, 'task_widened', z.object({ id: z.string() }));
  }

  async ensureIndexes(): Promise<void> {
    // The inbox reads through the task index instead (task-index.ts); these serve MongoDB.
    await this.tasks.createIndex({ instanceId: 1 }, { name: 'by_instance' });
    await this.tasks.createIndex({ status: 1, openedAt: 1 }, { name: 'by_age' });
    await this.facts.createIndex({ task: 1 }, { name: 'by_task' });
  }

  /** Opens the task once; a retry, even after the close, changes nothing. */
  async open(t: NewTask): Promise<void> {
    const { id, assignees, ...rest } = t;
    const people = [...new Set(assignees)];
    try {
      await this.tasks.insertOne({
        _id: id,
        ...rest,
        initialAssignees: people,
        assignees: people,
        status: 'open',
        dueKey: t.dueAt ?? NO_DEADLINE,
        blockedOn: null,
        closedAt: null,
        closeReason: null,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // After the insert, so that an entry always has a task behind it; a retry lists it again.
    await this.index.assign({ ...t, dueKey: t.dueAt ?? NO_DEADLINE }, people);
  }

  async addAssignees(id: string, people: readonly string[]): Promise<void> {
    await this.insertFacts(
      [...new Set(people)].map((person) => ({
        _id: `${id}|assign|${person}`,
        task: id,
        kind: 'assign',
        person,
      })),
    );
    // The facts stay the record; the list is how converge finds them by `_id`.
    await this.widenedTo.add(
      id,
      [...new Set(people)].map((person) => ({ id: person })),
    );
    const doc = await this.converge(id);
    await this.index.assign(indexed(doc), people);
  }

  /** Closes once: the first reason and time stand, later closes change nothing. */
  async close(id: string, reason: string, at: Date): Promise<void> {
    await this.insertFacts([{ _id: `${id}|close`, task: id, kind: 'close', reason, at }]);
    await this.converge(id);
  }

  /** Why the task cannot be decided right now (null: it can); the latest call wins. */
  async setBlockedOn(id: string, text: string | null): Promise<void> {
    await this.facts.updateOne(
      { _id: `${id}|blocked` },
      { $set: { task: id, kind: 'blocked', text } },
      { upsert: true },
    );
    await this.converge(id);
  }

  async get(id: string): Promise<Task | null> {
    const raw = await this.tasks.findOne({ _id: id });
    return raw === null ? null : toTask(parseDoc(taskSchema, raw, TASKS));
  }

  /**
   * Open tasks assigned to any of `people` (a person and those who delegated to them), soonest
   * deadline first, then oldest; pass `next` back as `after` for the following page. Read through
   * the task index (task-index.ts): the people's entries, sorted, then the task documents by `_id`
   * until the page is full; tasks found closed on the way are pruned from the index.
   */
  async inbox(
    people: readonly string[],
    page: { after?: string; limit: number },
  ): Promise<{ tasks: Task[]; next: string | null }> {
    const limit = Math.max(1, Math.min(page.limit, 500));
    const reads = await this.index.inboxOf(people);
    const entries = new Map<string, InboxEntry>();
    for (const read of reads.values()) for (const entry of read.entries) entries.set(entry.id, entry);
    const sorted = [...entries.values()].sort(inboxOrder);
    let next = 0;
    if (page.after !== undefined) {
      const { dueKey, openedAt, id } = decodeCursor(page.after);
      const cursor = { id, due: dueKey.getTime(), opened: openedAt.getTime() };
      next = sorted.findIndex((entry) => inboxOrder(entry, cursor) > 0);
      if (next < 0) next = sorted.length;
    }
    const wanted = new Set(people);
    const found: TaskDoc[] = [];
    const dead = new Set<string>();
    // One more than asked tells whether there is a next page.
    while (found.length <= limit && next < sorted.length) {
      const batch = sorted.slice(next, next + limit + 1 - found.length);
      next += batch.length;
      const raws = await Promise.all(batch.map((entry) => this.tasks.findOne({ _id: entry.id })));
      raws.forEach((raw, i) => {
        // Entries are written after the task, so a missing task is one removed by hand: dead too.
        if (raw === null) return dead.add(batch[i]!.id);
        const doc = parseDoc(taskSchema, raw, TASKS);
        if (doc.status === 'closed') dead.add(doc._id);
        else if (doc.assignees.some((person) => wanted.has(person))) found.push(doc);
      });
    }
    await this.index.prune(reads, dead);
    const docs = found.slice(0, limit);
    const last = docs.at(-1);
    return {
      tasks: docs.map(toTask),
      next: found.length > limit && last !== undefined ? encodeCursor(last) : null,
    };
  }

  /** Ids of the instances with a task, open or closed, ever assigned to one of `people`. */
  async instancesAssignedTo(people: readonly string[]): Promise<Set<string>> {
    return this.index.instancesOf(people);
  }

  /** Whether one of `people` is, or was, an assignee of a task of `instanceId`. */
  async isAssignee(instanceId: string, people: readonly string[]): Promise<boolean> {
    if (people.length === 0) return false;
    return (await this.index.instancesOf(people)).has(instanceId);
  }

  /**
   * Lists every stored task in the task index: for a database written before the index existed.
   * Safe beside running writers (it only adds entries); open tasks only go to inboxes.
   */
  async rebuildIndex(): Promise<number> {
    for await (const raw of this.facts.find({ kind: 'assign' })) {
      const fact = parseDoc(factSchema, raw, FACTS);
      if (fact.kind === 'assign') await this.widenedTo.add(fact.task, [{ id: fact.person }]);
    }
    let count = 0;
    for await (const raw of this.tasks.find({})) {
      const doc = parseDoc(taskSchema, raw, TASKS);
      if (doc.status === 'open') await this.index.assign(indexed(doc), doc.assignees);
      else await this.index.remember(doc.instanceId, doc.assignees);
      count++;
    }
    return count;
  }

  /** Open tasks by age, and how many are past their deadline, for the PMO's reports. */
  async openCountByAge(
    now: Date,
  ): Promise<{ total: number; overdue: number; byAge: Record<string, number> }> {
    const byAge: Record<string, number> = {
      'under 1 day': 0,
      '1-3 days': 0,
      '3-7 days': 0,
      'over 7 days': 0,
    };
    let total = 0;
    let overdue = 0;
    const cursor = this.tasks.find({ status: 'open' }, { projection: { openedAt: 1, dueKey: 1 } });
    for await (const raw of cursor) {
      const { openedAt, dueKey } = z.object({ openedAt: z.date(), dueKey: z.date() }).parse(raw);
      const days = (now.getTime() - openedAt.getTime()) / DAY_MS;
      const bucket = days < 1 ? 'under 1 day' : days < 3 ? '1-3 days' : days < 7 ? '3-7 days' : 'over 7 days';
      byAge[bucket] = (byAge[bucket] ?? 0) + 1;
      total++;
      if (dueKey.getTime() < now.getTime()) overdue++;
    }
    return { total, overdue, byAge };
  }

  private async insertFacts(facts: FactDoc[]): Promise<void> {
    for (const fact of facts) {
      try {
        await this.facts.insertOne(fact);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
  }

  /** Re-derives the mutable fields from the facts until a re-read shows them (file comment). */
  private async converge(id: string): Promise<TaskDoc> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const raw = await this.tasks.findOne({ _id: id });
      if (raw === null) throw new Error(`task ${id} was never opened`);
      const doc = parseDoc(taskSchema, raw, TASKS);
      const wanted = derive(doc, await this.factsOf(id));
      if (JSON.stringify(wanted) === JSON.stringify(pick(doc))) return doc;
      await this.tasks.updateOne({ _id: id }, { $set: wanted });
    }
    throw new Error(`task ${id} did not settle after ${MAX_ROUNDS} rounds`);
  }

  /** The facts of task `id`, each read by `_id` (a find on `task` reads every fact on FerretDB). */
  private async factsOf(id: string): Promise<FactDoc[]> {
    const [close, blocked, widened] = await Promise.all([
      this.facts.findOne({ _id: `${id}|close` }),
      this.facts.findOne({ _id: `${id}|blocked` }),
      this.widenedTo.read(id),
    ]);
    const people = widened.entries.map((e) => e.id).sort();
    return [
      ...people.map((person): FactDoc => ({
        _id: `${id}|assign|${person}`,
        task: id,
        kind: 'assign',
        person,
      })),
      ...[close, blocked].flatMap((raw) => (raw === null ? [] : [parseDoc(factSchema, raw, FACTS)])),
    ];
  }
}

const indexed = (doc: TaskDoc): IndexedTask => ({
  id: doc._id,
  instanceId: doc.instanceId,
  dueKey: doc.dueKey,
  openedAt: doc.openedAt,
});

type Derived = Pick<TaskDoc, 'assignees' | 'status' | 'closedAt' | 'closeReason' | 'blockedOn'>;

const pick = (d: TaskDoc): Derived => ({
  assignees: d.assignees,
  status: d.status,
  closedAt: d.closedAt,
  closeReason: d.closeReason,
  blockedOn: d.blockedOn,
});

function derive(doc: TaskDoc, facts: readonly FactDoc[]): Derived {
  const assignees = new Set(doc.initialAssignees);
  let close: Extract<FactDoc, { kind: 'close' }> | null = null;
  let blockedOn: string | null = null;
  for (const fact of facts) {
    if (fact.kind === 'assign') assignees.add(fact.person);
    else if (fact.kind === 'close') close = fact;
    else blockedOn = fact.text;
  }
  return {
    assignees: [...assignees],
    status: close === null ? 'open' : 'closed',
    closedAt: close?.at ?? null,
    closeReason: close?.reason ?? null,
    blockedOn,
  };
}

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const taskCollections: CollectionSpec[] = [];
