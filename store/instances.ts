// One document per process instance (`instance_views`, `_id` = the instance id): where it stands
// after its latest transition, the validated input it was started with, and who may see it. Pages
// of "instances" and "where does it stand" are read from here without asking Temporal, and the
// input outlives Temporal's retention of the workflow's history.
//
// Invariants and what guards them:
// - The view never moves backwards (activities are retried, and a timed-out attempt may land after
//   a newer transition): one updateOne filtered `{_id, transition: {$lte: n}}` with upsert. When a
//   newer transition is stored the filter matches nothing and the upsert's insert hits the `_id`
//   (duplicate key, 11000). `$lte` rather than `$lt`: a transition's view is deterministic, so a
//   retry of the same one rewrites the same values and adds its people in the same single command.
//   The duplicate key can also mean that two first writes of one instance raced and the other
//   inserted first; so it is answered by the same update once more without upsert (atomic on the
//   existing document), and only if that matches nothing is a newer transition really stored.
// - Nobody who was asked to act loses sight of the instance: `visibleTo` gathers tokens
//   (`started:<person>`, `assigned:<person>`) with `$addToSet` in the same update; when a newer
//   transition is stored, a last updateOne on `{_id}` adds them (and the input) without the view.
//   The set is bounded by the people an instance's policy ever asks, not by its history.
// - The input is written with the first transition and never changes; `inputSha256` is the SHA-256
//   of its canonical JSON (engine/ir), the hash the `started` audit event carries.
import type { CollectionSpec } from './manifest.js';
import type { Collection, Db, Document, Filter } from 'mongodb';
import { z } from 'zod';
import { canonicalJson, moneyAmountSchema, sha256Hex, type ValueIR } from '../engine/ir/index.js';
import { hexDigest, isDuplicateKey, parseDoc, policyRefSchema } from './documents.js';
import { decodeCursor, findPage, type SortField } from './paging.js';

const VIEWS = 'instance_views';
/** Names the list in its cursors (store/paging.ts). */
const LIST = 'instances';

export type InstanceStatus = 'running' | 'approved' | 'rejected' | 'cancelled';

/** An instance's validated input: the process's input fields and their values. */
export type InstanceInput = Record<string, ValueIR>;

/** An input field's value other than a list (mirrors engine/ir's ValueIR). */
export const inputScalarSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.strictObject({ amount: moneyAmountSchema, currency: z.string() }),
  z.strictObject({
    amount: z.number(),
    unit: z.enum(['minute', 'hour', 'day', 'week']),
    business: z.boolean(),
    calendar: z.string().nullable(),
  }),
]);

/** The values an input field holds, as the DSL types them: a scalar or a list of values. */
export const inputValueSchema: z.ZodType<ValueIR> = z.lazy(() =>
  z.union([inputScalarSchema, z.array(inputValueSchema)]),
);

export interface InstanceView {
  instanceId: string;
  workflowId: string;
  policy: { name: string; version: number; sha256: string };
  process: string;
  project: string | null;
  status: InstanceStatus;
  message: string | null;
  startedAt: Date;
  startedBy: string;
  endedAt: Date | null;
  currentSteps: string[];
  blockedOn: { step: string; kind: string; text: string; dueAt: Date | null }[];
  /** Monotonic per instance: the view only ever moves to a higher one. */
  transition: number;
  /** What the instance was started with; null for views written before inputs were kept. */
  input: InstanceInput | null;
  /** SHA-256 hex of the input's canonical JSON; null with `input`. */
  inputSha256: string | null;
  /** Visibility tokens: `started:<person>` and `assigned:<person>` (see `visibility`). */
  visibleTo: string[];
}

/** What a transition writes: the view, the people it asked to act, and (first transition) the input. */
export interface ViewWrite extends Omit<InstanceView, 'input' | 'inputSha256' | 'visibleTo'> {
  /** People a task was opened for or widened to in this transition: they see the instance from now on. */
  assignees?: readonly string[];
  /** The validated start input: given with the first transition. */
  input?: InstanceInput;
}

export interface InstanceFilter {
  status?: InstanceStatus;
  policyName?: string;
  process?: string;
  project?: string;
  startedBy?: string;
  /** Started at or after. */
  from?: Date;
  /** Started before. */
  to?: Date;
  /** Only views holding one of these tokens (see `visibility`); an empty list matches nothing. */
  visibleTo?: readonly string[];
}

/** The tokens of `visibleTo`: who started an instance, and who was ever asked to act on it. */
export const visibility = {
  started: (person: string): string => `started:${person}`,
  assigned: (person: string): string => `assigned:${person}`,
};

/** The hash the view and the `started` audit event carry for an input. */
export const inputSha256 = (input: InstanceInput): string => sha256Hex(canonicalJson(input));

const policySchema = policyRefSchema;
const docSchema = z.object({
  _id: z.string(),
  workflowId: z.string(),
  policy: policySchema,
  process: z.string(),
  project: z.string().nullable().default(null),
  status: z.enum(['running', 'approved', 'rejected', 'cancelled']),
  message: z.string().nullable().default(null),
  startedAt: z.date(),
  startedBy: z.string(),
  endedAt: z.date().nullable().default(null),
  currentSteps: z.array(z.string()),
  blockedOn: z.array(
    z.object({
      step: z.string(),
      kind: z.string(),
      text: z.string(),
      dueAt: z.date().nullable().default(null),
    }),
  ),
  transition: z.number().int().nonnegative(),
  input: z.record(z.string(), inputValueSchema).nullable().default(null),
  inputSha256: hexDigest.nullable().default(null),
  visibleTo: z.array(z.string()).default([]),
});
type ViewDoc = z.infer<typeof docSchema>;

const toView = ({ _id, ...rest }: ViewDoc): InstanceView => ({ instanceId: _id, ...rest });
const parseView = (raw: Document): InstanceView => toView(parseDoc(docSchema, raw, VIEWS));

/** Newest first; `_id` makes the order total. */
const NEWEST_FIRST: SortField[] = [
  { field: 'startedAt', order: -1 },
  { field: '_id', order: -1 },
];
const TAIL = { startedAt: -1, _id: -1 } as const;

/**
 * The equality filters a list may have, most selective first: the first one present names the
 * index that serves the page (an index per filter, the filter's field then the sort).
 */
const EQUALITY_INDEXES = [
  { filter: 'visibleTo', field: 'visibleTo', index: 'visible' },
  { filter: 'startedBy', field: 'startedBy', index: 'by_starter' },
  { filter: 'project', field: 'project', index: 'by_project' },
  { filter: 'process', field: 'process', index: 'by_process' },
  { filter: 'policyName', field: 'policy.name', index: 'by_policy' },
  { filter: 'status', field: 'status', index: 'by_status' },
] as const satisfies readonly { filter: keyof InstanceFilter; field: string; index: string }[];

/** Whether `cursor` is one that `InstanceViews.list` issued (for validating a query up front). */
export function isInstanceCursor(cursor: string): boolean {
  try {
    decodeCursor(LIST, cursor, NEWEST_FIRST.length);
    return true;
  } catch {
    return false;
  }
}

export class InstanceViews {
  private readonly views: Collection<ViewDoc>;

  constructor(db: Db) {
    this.views = db.collection<ViewDoc>(VIEWS);
  }

  /**
   * Records the view after transition `v.transition` (one command; see the file comment for the
   * rare second and third). An older transition changes only who may see the instance.
   */
  async upsert(v: ViewWrite): Promise<void> {
    const { instanceId, assignees = [], input, ...view } = v;
    const kept = input === undefined ? {} : { input, inputSha256: inputSha256(input) };
    const tokens = [visibility.started(view.startedBy), ...assignees.map(visibility.assigned)];
    const addToSet = { visibleTo: { $each: [...new Set(tokens)] } };
    const guarded = { _id: instanceId, transition: { $lte: view.transition } };
    const update = { $set: { ...view, ...kept }, $addToSet: addToSet };
    try {
      await this.views.updateOne(guarded, update, { upsert: true });
      return;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // The document exists now: either a newer transition, or a first write that won the insert.
    if ((await this.views.updateOne(guarded, update)).matchedCount === 1) return;
    await this.views.updateOne(
      { _id: instanceId },
      input === undefined ? { $addToSet: addToSet } : { $addToSet: addToSet, $set: kept },
    );
  }

  async get(instanceId: string): Promise<InstanceView | null> {
    const raw = await this.views.findOne({ _id: instanceId });
    return raw === null ? null : parseView(raw);
  }

  /**
   * One page, newest first (one indexed find); pass the returned `next` as `after` for the
   * following page. A cursor this list did not issue throws InvalidCursorError.
   */
  async list(
    filter: InstanceFilter,
    page: { after?: string | undefined; limit: number },
  ): Promise<{ instances: InstanceView[]; next: string | null }> {
    if (filter.visibleTo?.length === 0) return { instances: [], next: null };
    const query: Filter<Document> = {};
    if (filter.visibleTo !== undefined) query['visibleTo'] = { $in: [...filter.visibleTo] };
    if (filter.status !== undefined) query['status'] = filter.status;
    if (filter.policyName !== undefined) query['policy.name'] = filter.policyName;
    if (filter.process !== undefined) query['process'] = filter.process;
    if (filter.project !== undefined) query['project'] = filter.project;
    if (filter.startedBy !== undefined) query['startedBy'] = filter.startedBy;
    if (filter.from !== undefined || filter.to !== undefined) {
      query['startedAt'] = {
        ...(filter.from === undefined ? {} : { $gte: filter.from }),
        ...(filter.to === undefined ? {} : { $lt: filter.to }),
      };
    }
    const hint = EQUALITY_INDEXES.find((e) => filter[e.filter] !== undefined)?.index ?? 'newest_first';
    const { items, next } = await findPage(this.views as unknown as Collection<Document>, {
      list: LIST,
      filter: query,
      sort: NEWEST_FIRST,
      after: page.after,
      limit: page.limit,
      parse: parseView,
      hint,
    });
    return { instances: items, next };
  }

  /**
   * For monitors: per project, when its newest instance of `process` (of policy `policyName`)
   * that ended approved ended. One find on the `by_process` index (process equality), reading only
   * the project and the end of each approved instance; instances without a project are left out.
   */
  async lastApprovedByProject(policyName: string, process: string): Promise<Map<string, Date>> {
    const raws = await this.views
      .find(
        { process, 'policy.name': policyName, status: 'approved' },
        { projection: { _id: 0, project: 1, endedAt: 1 } },
      )
      .toArray();
    const last = new Map<string, Date>();
    for (const raw of raws) {
      const { project, endedAt } = raw as { project?: unknown; endedAt?: unknown };
      if (typeof project !== 'string' || !(endedAt instanceof Date)) continue;
      const known = last.get(project);
      if (known === undefined || known < endedAt) last.set(project, endedAt);
    }
    return last;
  }
}

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const instanceCollections: CollectionSpec[] = [
  {
    name: VIEWS,
    holds: 'one process instance: where it stands after its latest transition, its input, who sees it',
    // Reads and writes name one instance by `_id`; lists are scatter-gather on a sharded cluster.
    shardKey: { _id: 'hashed' },
    indexes: [
      { name: 'newest_first', key: TAIL, serves: 'list of every instance, newest first (auditors)' },
      ...EQUALITY_INDEXES.map(({ field, index, filter }) => ({
        name: index,
        key: { [field]: 1, ...TAIL },
        serves:
          filter === 'visibleTo'
            ? 'instances a person started or was asked to act on, newest first (listVisible)'
            : `list filtered by ${filter}, newest first`,
      })),
    ],
  },
];
