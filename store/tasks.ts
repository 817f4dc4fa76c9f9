// Approval, attestation and waiver tasks: what lands in a person's inbox. One document per task in
// `tasks`, `_id` = `<instanceId>/<task>` (deterministic, so a retried open finds the first one),
// holding what the inbox shows and who may act on it: `assignees` is a plain array, as long as the
// people the policy names plus those escalation adds, never growing with history.
//
// The machine opens, widens and closes tasks through activities, which Temporal may retry or run
// twice, so every write is idempotent, one command each, and concurrency is the database's:
//  - one task per id, a retried open a no-op (even after the close, which it must not undo): the
//    unique `_id`; insertOne's duplicate-key error means "already opened" and is swallowed.
//  - widening loses nobody: `$addToSet: {assignees: {$each}}` is atomic on the one document, so
//    concurrent widenings, and a widening beside a close, all land.
//  - a close is final, the first one wins: updateOne conditioned on `{_id, status: 'open'}`; a
//    later close matches nothing and changes nothing.
//  - blockedOn: a plain `$set`, the latest call wins.
//
// Reads: `get` by `_id`; the inbox is one indexed find per page (paging.ts), the age report one
// indexed stream. Each names its index with `hint`: MongoDB would pick it anyway, and SecantusDB
// 0.7 may scan the collection otherwise. Who may see an instance is the view's (instances.ts).
import type { CollectionSpec } from './manifest.js';
import type { Collection, Db, Document } from 'mongodb';
import { z } from 'zod';
import { isDuplicateKey, parseDoc, policyRefSchema } from './documents.js';
import { findPage } from './paging.js';

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
  assignees: z.array(z.string()),
  status: z.enum(['open', 'closed']),
  dueAt: z.date().nullable().default(null),
  /** dueAt, or the far future: tasks without a deadline sort after every dated one. */
  dueKey: z.date(),
  openedAt: z.date(),
  policy: policyRefSchema,
  process: z.string(),
  project: z.string().nullable().default(null),
  blockedOn: z.string().nullable().default(null),
  closedAt: z.date().nullable().default(null),
  closeReason: z.string().nullable().default(null),
});

type TaskDoc = z.infer<typeof taskSchema>;
export type Task = Omit<TaskDoc, '_id' | 'dueKey'> & { id: string };

const TASKS = 'tasks';
const NO_DEADLINE = new Date('9999-12-31T00:00:00Z');
const DAY_MS = 24 * 3600 * 1000;

/** Index names, as the manifest below declares them and the queries hint them. */
const INBOX = 'tasks_inbox';
const OPEN_BY_AGE = 'tasks_open_by_age';
const CLOSED_BY_TIME = 'tasks_closed_by_time';
const BY_INSTANCE = 'tasks_by_instance';
/** An instance opens a task per approval, attestation and waiver: a few, never thousands. */
const MAX_TASKS_OF_INSTANCE = 1_000;

/** The inbox order: soonest deadline first, then oldest, then `_id` (total, for key-range paging). */
const INBOX_SORT = [
  { field: 'dueKey', order: 1 },
  { field: 'openedAt', order: 1 },
  { field: '_id', order: 1 },
] as const;

const toTask = ({ _id, dueKey: _d, ...rest }: TaskDoc): Task => ({ id: _id, ...rest });
const readTask = (raw: unknown): Task => toTask(parseDoc(taskSchema, raw, TASKS));

export class TaskStore {
  private readonly tasks: Collection<TaskDoc>;
  /** The same collection, untyped, as findPage (paging.ts) takes every list's. */
  private readonly pages: Collection<Document>;

  constructor(db: Db) {
    this.tasks = db.collection<TaskDoc>(TASKS);
    this.pages = db.collection(TASKS);
  }

  /** Opens the task once; a retry, even after the close, changes nothing. */
  async open(t: NewTask): Promise<void> {
    const { id, assignees, ...rest } = t;
    const doc: TaskDoc = {
      _id: id,
      ...rest,
      assignees: [...new Set(assignees)],
      status: 'open',
      dueKey: t.dueAt ?? NO_DEADLINE,
      blockedOn: null,
      closedAt: null,
      closeReason: null,
    };
    try {
      await this.tasks.insertOne(doc);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** Adds `people` to the task's assignees (those already there stay once). */
  async addAssignees(id: string, people: readonly string[]): Promise<void> {
    const result = await this.tasks.updateOne(
      { _id: id },
      { $addToSet: { assignees: { $each: [...new Set(people)] } } },
    );
    if (result.matchedCount === 0) throw neverOpened(id);
  }

  /** Closes once: the first reason and time stand, later closes change nothing. */
  async close(id: string, reason: string, at: Date): Promise<void> {
    // No hint: an `_id` equality is served by `_id` on both servers (measured: SecantusDB 0.7 runs
    // a find hinted `_id_` as a walk of the whole index, 350 ms at 20,000 tasks).
    const result = await this.tasks.updateOne(
      { _id: id, status: 'open' },
      { $set: { status: 'closed', closedAt: at, closeReason: reason } },
    );
    if (result.matchedCount > 0) return;
    // Only on the no-op path: closed already (a retry, or a later close), or never opened (a bug).
    const exists = await this.tasks.findOne({ _id: id }, { projection: { _id: 1 } });
    if (exists === null) throw neverOpened(id);
  }

  /** Why the task cannot be decided right now (null: it can); the latest call wins. */
  async setBlockedOn(id: string, text: string | null): Promise<void> {
    const result = await this.tasks.updateOne({ _id: id }, { $set: { blockedOn: text } });
    if (result.matchedCount === 0) throw neverOpened(id);
  }

  async get(id: string): Promise<Task | null> {
    const raw = await this.tasks.findOne({ _id: id });
    return raw === null ? null : readTask(raw);
  }

  /**
   * Open tasks assigned to any of `people` (a person and those who delegated to them), soonest
   * deadline first, then oldest; pass `next` back as `after` for the following page. One indexed
   * find per page; a cursor this list did not issue throws InvalidCursorError (paging.ts).
   */
  async inbox(
    people: readonly string[],
    page: { after?: string; limit: number },
  ): Promise<{ tasks: Task[]; next: string | null }> {
    const { items, next } = await findPage(this.pages, {
      list: 'inbox',
      filter: { assignees: { $in: [...new Set(people)] }, status: 'open' },
      sort: INBOX_SORT,
      after: page.after,
      limit: page.limit,
      parse: readTask,
      hint: INBOX,
    });
    return { tasks: items, next };
  }

  /** Every task of one instance, open or closed, in the order they were opened. */
  async ofInstance(instanceId: string): Promise<Task[]> {
    const raws = await this.tasks
      .find({ instanceId }, { hint: BY_INSTANCE })
      .sort({ openedAt: 1, _id: 1 })
      .limit(MAX_TASKS_OF_INSTANCE)
      .toArray();
    return raws.map(readTask);
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
    const cursor = this.tasks.find(
      { status: 'open' },
      { projection: { _id: 0, openedAt: 1, dueKey: 1 }, hint: OPEN_BY_AGE },
    );
    const ageFields = z.object({ openedAt: z.date(), dueKey: z.date() });
    for await (const raw of cursor) {
      const { openedAt, dueKey } = parseDoc(ageFields, raw, TASKS);
      const days = (now.getTime() - openedAt.getTime()) / DAY_MS;
      const bucket = days < 1 ? 'under 1 day' : days < 3 ? '1-3 days' : days < 7 ? '3-7 days' : 'over 7 days';
      byAge[bucket] = (byAge[bucket] ?? 0) + 1;
      total++;
      if (dueKey.getTime() < now.getTime()) overdue++;
    }
    return { total, overdue, byAge };
  }
}

const neverOpened = (id: string): Error => new Error(`task ${id} was never opened`);

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const taskCollections: CollectionSpec[] = [
  {
    name: TASKS,
    holds: 'one approval, attestation or waiver task: its assignees, deadline, status and close',
    // Every write and `get` names `_id`, so each reaches one shard; `assignees` is an array and
    // cannot be a shard key, so the inbox is scatter-gather on any key.
    shardKey: { _id: 'hashed' },
    indexes: [
      {
        name: INBOX,
        key: { assignees: 1, status: 1, dueKey: 1, openedAt: 1, _id: 1 },
        serves:
          'inbox: assignees $in the person and their delegators, status open (equalities; assignees ' +
          "first, the selective one, so a person's closed tasks fall outside the bounds), then the " +
          'page order dueKey, openedAt, _id with the key range after the cursor',
      },
      {
        name: OPEN_BY_AGE,
        key: { status: 1, openedAt: 1 },
        serves: 'openCountByAge and ReportQueries.openTasks: the open tasks (status open)',
      },
      {
        name: BY_INSTANCE,
        key: { instanceId: 1, openedAt: 1, _id: 1 },
        serves: "ofInstance: an instance's tasks (instanceId equality) in the order they were opened",
      },
      {
        name: CLOSED_BY_TIME,
        key: { status: 1, closedAt: 1 },
        serves: 'ReportQueries.closedTasks: tasks closed within a window (status closed, closedAt range)',
      },
    ],
  },
];
