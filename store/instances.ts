// One view document per process instance, for listing and "where does it stand" pages without
// asking Temporal. Activities write it after every transition; retries and reordered activities
// must never move it backwards.
//
// Why a log of transitions behind the view: on MongoDB the guarded upsert (filter
// `transition < n`, duplicate key 11000 meaning "a newer one is there") is enough. FerretDB v1
// evaluates that filter and writes the document back as two steps, so a slow writer of transition 3
// can land after transition 5. Each write therefore first inserts its snapshot under a unique
// `<instance>#<transition>` key (an insert is atomic everywhere), then converges: write the newest
// logged snapshot, re-read, repeat until the view holds the newest. Whoever writes last verifies
// last, so the view ends on the highest transition whatever the interleaving. The logged
// transitions of an instance are also listed (keyed-list.ts), so that "the newest" is found by
// `_id` reads: on FerretDB a find on `instanceId` reads the log of every instance, on every transition.
import type { CollectionSpec } from './manifest.js';
import type { Collection, Db, Filter } from 'mongodb';
import { z } from 'zod';
import { isDuplicateKey, parseDoc } from './documents.js';
import { KeyedList } from './keyed-list.js';

const policySchema = z.object({ name: z.string(), version: z.number(), sha256: z.string() });
const viewFields = {
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
};
const viewSchema = z.object({ _id: z.string(), ...viewFields });
const snapshotSchema = z.object({
  _id: z.string(),
  instanceId: z.string(),
  transition: z.number(),
  view: z.object(viewFields),
});

export type InstanceStatus = 'running' | 'approved' | 'rejected' | 'cancelled';

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
}

const VIEWS = 'instance_views';
const LOG = 'instance_transitions';
const MAX_ROUNDS = 50;

type ViewDoc = z.infer<typeof viewSchema>;
type SnapshotDoc = z.infer<typeof snapshotSchema>;

const toView = ({ _id, ...rest }: ViewDoc): InstanceView => ({ instanceId: _id, ...rest });

/** Opaque to callers: the sort key of the last row of a page. */
function encodeCursor(v: InstanceView): string {
  return Buffer.from(JSON.stringify([v.startedAt.getTime(), v.instanceId])).toString('base64url');
}

function decodeCursor(cursor: string): { startedAt: Date; id: string } {
  const parsed = z
    .tuple([z.number(), z.string()])
    .safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  if (!parsed.success) throw new Error(`invalid page cursor ${JSON.stringify(cursor)}`);
  return { startedAt: new Date(parsed.data[0]), id: parsed.data[1] };
}

export class InstanceViews {
  private readonly views: Collection<ViewDoc>;
  private readonly log: Collection<SnapshotDoc>;
  /** Per instance, the transitions logged (entry id: the log document's `_id`). */
  private readonly logged: KeyedList<{ id: string }>;

  constructor(db: Db) {
    this.views = db.collection(VIEWS);
    this.log = db.collection(LOG);
    this.logged = new KeyedList(db, 'instance_logged', z.object({ id: z.string() }));
  }

  async ensureIndexes(): Promise<void> {
    await this.log.createIndex({ instanceId: 1, transition: -1 }, { unique: true, name: 'newest' });
    await this.views.createIndex({ startedAt: -1, _id: -1 }, { name: 'newest_first' });
    await this.views.createIndex({ status: 1, startedAt: -1 }, { name: 'by_status' });
    await this.views.createIndex({ 'policy.name': 1, startedAt: -1 }, { name: 'by_policy' });
    await this.views.createIndex({ project: 1, startedAt: -1 }, { name: 'by_project' });
    await this.views.createIndex({ startedBy: 1, startedAt: -1 }, { name: 'by_starter' });
  }

  /** Records the view after transition `v.transition`; older or repeated transitions change nothing. */
  async upsert(v: InstanceView): Promise<void> {
    const { instanceId, ...view } = v;
    const id = `${instanceId}#${String(v.transition).padStart(10, '0')}`;
    try {
      await this.log.insertOne({ _id: id, instanceId, transition: v.transition, view });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // Listed after the insert, so that a listed transition always has its snapshot.
    await this.logged.add(instanceId, [{ id }]);
    await this.converge(instanceId);
  }

  async get(instanceId: string): Promise<InstanceView | null> {
    const raw = await this.views.findOne({ _id: instanceId });
    return raw === null ? null : toView(parseDoc(viewSchema, raw, VIEWS));
  }

  /** Newest first; pass the returned `next` as `after` for the following page. */
  async list(
    filter: InstanceFilter,
    page: { after?: string; limit: number },
  ): Promise<{ instances: InstanceView[]; next: string | null }> {
    const query: Filter<ViewDoc> = {};
    if (filter.status !== undefined) query.status = filter.status;
    if (filter.policyName !== undefined) query['policy.name'] = filter.policyName;
    if (filter.process !== undefined) query.process = filter.process;
    if (filter.project !== undefined) query.project = filter.project;
    if (filter.startedBy !== undefined) query.startedBy = filter.startedBy;
    if (filter.from !== undefined || filter.to !== undefined) {
      query.startedAt = {
        ...(filter.from === undefined ? {} : { $gte: filter.from }),
        ...(filter.to === undefined ? {} : { $lt: filter.to }),
      };
    }
    if (page.after !== undefined) {
      const { startedAt, id } = decodeCursor(page.after);
      query.$or = [{ startedAt: { $lt: startedAt } }, { startedAt, _id: { $lt: id } }];
    }
    const limit = Math.max(1, Math.min(page.limit, 500));
    const raws = await this.views
      .find(query)
      .sort({ startedAt: -1, _id: -1 })
      .limit(limit + 1)
      .toArray();
    const instances = raws.slice(0, limit).map((raw) => toView(parseDoc(viewSchema, raw, VIEWS)));
    const last = instances.at(-1);
    return { instances, next: raws.length > limit && last !== undefined ? encodeCursor(last) : null };
  }

  /** Writes the newest logged snapshot until a re-read shows it (see the file comment). */
  private async converge(instanceId: string): Promise<void> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const current = await this.views.findOne({ _id: instanceId });
      const newest = await this.newestLogged(instanceId);
      if (newest === null) throw new Error(`instance ${instanceId} has no logged transition`);
      if (current !== null && parseDoc(viewSchema, current, VIEWS).transition >= newest.transition) return;
      try {
        // Filtered on `_id` alone (any other field makes FerretDB read every view); the loop, not
        // the filter, keeps the view from going backwards.
        await this.views.updateOne({ _id: instanceId }, { $set: newest.view }, { upsert: true });
      } catch (error) {
        // Two first upserts at once: one insert loses; the next round reads the winner.
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new Error(`instance ${instanceId}: the view did not settle after ${MAX_ROUNDS} rounds`);
  }

  /**
   * The snapshot of the highest transition logged. Only `upsert` converges, after listing its own
   * transition, so the list of an instance being converged is never empty.
   */
  private async newestLogged(instanceId: string): Promise<SnapshotDoc | null> {
    // Zero-padded transitions: the greatest id is the highest transition.
    const last = (await this.logged.read(instanceId)).entries
      .map((e) => e.id)
      .sort()
      .at(-1);
    const raw = last === undefined ? null : await this.log.findOne({ _id: last });
    return raw === null ? null : parseDoc(snapshotSchema, raw, LOG);
  }
}

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const instanceCollections: CollectionSpec[] = [];
