// The PMO dashboard's rollups (issue 18): figures that cost the same to read at 1,000 and at
// 1,000,000 ledger events, because they are read from small documents per (figure, policy,
// step|person|project, ISO week) that a projector keeps, not from the ledger and the tasks.
//
// Documents:
// - `dashboard_rollups`: counters and a duration histogram per (figure, policy, key, part, week,
//   project) (dashboard-model.ts). A read is one find bounded by figure, project (null: the
//   every-project totals), policy and weeks: it examines as many documents as there are
//   (policy, key, week) cells of that project or of the totals, however many events made them and
//   however many other projects have cells. Breaches by person and instances by project are
//   counters in one cell per policy and week (and per policy over all time, week ALL_TIME), so
//   a read of them examines no more cells for more people or projects.
// - `dashboard_clocks`: tasks the projector has seen open and not closed (between their opening
//   and closing facts), bounded by what is open.
// - `dashboard_waivers`: waivers in force with an end date, for "expiring in the next 30 days".
// - `dashboard_load`: open tasks per person and scope, for approver load (dashboard-load.ts).
// - `dashboard_projector`: one document, the position: leaves [0, position) of the ledger's
//   Merkle tree are folded.
//
// Why follow the tree's leaves: they are every ledger event, each exactly once, in one fixed
// order (store/ledger-tree.ts), so a position is all the projector needs to remember, and it reads
// no more than it folds. Each batch (leaves [position, position + N)) is folded and written in ONE
// transaction conditioned on the stored position (dashboard_projector `{position: from}`): a
// retried activity, or two projectors at once, can fold a batch only once (the loser's
// conditional update matches nothing, it aborts and re-reads), and a crash anywhere leaves the
// position, the rollups and the clocks as they were before the batch. No per-event mark, no write
// on the transition path: the worker's appends are untouched.
//
// Shape: the projector document records the FOLD_SHAPE its rollups were written in; a fold that
// finds another drops them all and starts from the first leaf (a new kind of cell then covers
// the old events too, with no manual rebuild).
//
// Lag: the signer's schedule (workflows/ledger, every 10 minutes) grows the tree and then folds;
// a figure is as fresh as the last run, and every answer says so (`asOf`, the newest event folded,
// and `foldedAt`, when the fold last reached the tree's end).
//
// Reads are unhinted equality and range finds an index serves: on SecantusDB a hinted find walks
// the whole index (store/README.md), which would make the cost grow with the collection again.
import type { ClientSession, Collection, Db, Document, Filter } from 'mongodb';
import { foldBatch, clockIdsOf, endedInstancesOf } from './dashboard-fold.js';
import { LoadCells } from './dashboard-load.js';
import {
  ALL_TIME,
  type Clock,
  clockSchema,
  type Figure,
  FOLD_EVENT_FIELDS,
  FOLD_SHAPE,
  type FoldEvent,
  foldEventSchema,
  PROJECT_FIGURES,
  projectorSchema,
  type RollupChange,
  type RollupDoc,
  rollupId,
  rollupSchema,
  type WaiverDoc,
  waiverSchema,
} from './dashboard-model.js';
import { COLLECTION as EVENTS } from './audit-event.js';
import { inTransaction, isDuplicateKey, parseDoc } from './documents.js';
import type { LedgerTree } from './ledger-tree.js';
import type { CollectionSpec } from './manifest.js';

/** A document under a string `_id`, as every collection here keys them. */
interface Keyed extends Document {
  _id: string;
}

const ROLLUPS = 'dashboard_rollups';
const CLOCKS = 'dashboard_clocks';
const WAIVERS = 'dashboard_waivers';
const PROJECTOR = 'dashboard_projector';
const PROJECTOR_ID = 'projector';

/** Leaves per transaction: a batch's writes stay far below a transaction's limits. */
export const FOLD_BATCH = 500;

/** Another projector folded from the same position first; nothing of this batch was written. */
export class ProjectorConflictError extends Error {
  override name = 'ProjectorConflictError';
}

/** How fresh the figures are. */
export interface Freshness {
  /** Leaves of the ledger's tree folded. */
  position: number;
  /** The newest event time folded (null before the first fold). */
  asOf: Date | null;
  /** When a fold last reached the end of the tree. */
  foldedAt: Date | null;
}

export interface RollupQuery {
  figure: Figure;
  policy?: string;
  /** For the PROJECT_FIGURES: one project's cells; absent: the every-project totals. */
  project?: string;
  /** Inclusive ISO weeks `YYYY-Www`. */
  fromWeek?: string;
  toWeek?: string;
  /** The all-time cells (breachByAll, instancesAll) rather than a range of weeks. */
  allTime?: boolean;
}

export class DashboardStore {
  private readonly rollups: Collection<Keyed>;
  private readonly clocks: Collection<Keyed>;
  private readonly waivers: Collection<Keyed>;
  private readonly projector: Collection<Keyed>;
  private readonly events: Collection<Keyed>;
  /** Approver load's cells, kept in the same transactions (dashboard-load.ts). */
  readonly load: LoadCells;

  constructor(
    private readonly db: Db,
    private readonly tree: LedgerTree,
  ) {
    this.rollups = db.collection(ROLLUPS);
    this.clocks = db.collection(CLOCKS);
    this.waivers = db.collection(WAIVERS);
    this.projector = db.collection(PROJECTOR);
    this.events = db.collection(EVENTS);
    this.load = new LoadCells(db);
  }

  async freshness(): Promise<Freshness> {
    const raw = await this.projector.findOne({ _id: PROJECTOR_ID });
    if (raw === null) return { position: 0, asOf: null, foldedAt: null };
    const doc = parseDoc(projectorSchema, raw, PROJECTOR);
    return { position: doc.position, asOf: doc.asOf, foldedAt: doc.foldedAt };
  }

  /**
   * Folds the next batch of leaves (at most `limit`) after the stored position; answers how many
   * it folded (0: the fold is at the tree's end, and `foldedAt` says when that was last seen).
   */
  async foldNext(now: Date, limit = FOLD_BATCH): Promise<number> {
    const raw = await this.projector.findOne({ _id: PROJECTOR_ID });
    const stored = raw === null ? null : parseDoc(projectorSchema, raw, PROJECTOR);
    // Rollups of an older shape lack cells this fold keeps: start again from the first leaf.
    const stale = stored !== null && stored.shape !== FOLD_SHAPE;
    if (stale) await this.reset();
    const position = stale || stored === null ? 0 : stored.position;
    const { size } = await this.tree.state();
    if (position >= size) {
      await this.projector.updateOne({ _id: PROJECTOR_ID, position }, { $set: { foldedAt: now } });
      return 0;
    }
    const to = Math.min(size, position + limit);
    const ids: string[] = [];
    for await (const page of this.tree.leafEvents(position, to)) ids.push(...page.map((l) => l.event));
    const events = await this.eventsInOrder(ids);
    const clockIds = clockIdsOf(events);
    // Read outside the transaction: were they changed since, the position changed too, and the
    // conditioned update below refuses the batch.
    // An ending instance takes all its clocks' load counts with it: read them all.
    const clocks = new Map<string, Clock>();
    const ended = endedInstancesOf(events);
    const reads = [
      ...(clockIds.length > 0 ? [this.clocks.find({ _id: { $in: clockIds } }).toArray()] : []),
      ...(ended.length > 0 ? [this.clocks.find({ instanceId: { $in: ended } }).toArray()] : []),
    ];
    for (const raws of await Promise.all(reads)) {
      for (const raw of raws) {
        const clock = parseDoc(clockSchema, raw, CLOCKS);
        clocks.set(clock._id, clock);
      }
    }
    const fold = foldBatch(events, clocks);
    await inTransaction(this.db, async (session) => {
      await this.advance(session, position, to, fold.newestAt, to === size ? now : null);
      for (const instanceId of fold.endedInstances) await this.clocks.deleteMany({ instanceId }, { session });
      if (fold.deletedClocks.length > 0)
        await this.clocks.deleteMany({ _id: { $in: fold.deletedClocks } }, { session });
      if (fold.clocks.length > 0) {
        await this.clocks.bulkWrite(
          fold.clocks.map((c) => ({ replaceOne: { filter: { _id: c._id }, replacement: c, upsert: true } })),
          { session, ordered: true },
        );
      }
      if (fold.deletedWaivers.length > 0)
        await this.waivers.deleteMany({ _id: { $in: fold.deletedWaivers } }, { session });
      if (fold.waivers.length > 0) {
        await this.waivers.bulkWrite(
          fold.waivers.map((w) => ({ replaceOne: { filter: { _id: w._id }, replacement: w, upsert: true } })),
          { session, ordered: true },
        );
      }
      if (fold.rollups.length > 0) {
        await this.rollups.bulkWrite(fold.rollups.map(incrementOf), { session, ordered: true });
      }
      await this.load.apply(fold.load, session);
    });
    return to - position;
  }

  /**
   * Folds until the tree's end or `maxBatches`; a batch another projector folded first is skipped
   * (re-read from its position). `onBatch` lets an activity heartbeat.
   */
  async foldAll(
    now: () => Date,
    options: { maxBatches?: number; batch?: number; onBatch?: (folded: number) => void } = {},
  ) {
    let folded = 0;
    for (let batch = 0; batch < (options.maxBatches ?? 2_000); batch++) {
      let n: number;
      try {
        n = await this.foldNext(now(), options.batch);
      } catch (error) {
        if (error instanceof ProjectorConflictError) continue;
        throw error;
      }
      folded += n;
      options.onBatch?.(folded);
      if (n === 0) break;
    }
    return { folded, ...(await this.freshness()) };
  }

  /** Drops every rollup, clock, waiver and load cell and the position, in one transaction; then refold. */
  async reset(): Promise<void> {
    await inTransaction(this.db, async (session) => {
      for (const collection of [this.rollups, this.clocks, this.waivers, this.projector])
        await collection.deleteMany({}, { session });
      await this.load.clear(session);
    });
  }

  /** The rollup documents of one figure in scope: one find its index bounds. */
  async read(query: RollupQuery): Promise<RollupDoc[]> {
    const filter: Filter<Keyed> = { figure: query.figure };
    // `null` also matches the totals stored before the project dimension (no `project` field).
    // The other figures keep `project` null: naming it lets figure_project_week serve a read of
    // every policy (SecantusDB scans the collection for an equality after a gap in an index).
    filter['project'] = PROJECT_FIGURES.includes(query.figure) ? (query.project ?? null) : null;
    if (query.policy !== undefined) filter['policy'] = query.policy;
    if (query.allTime === true) filter['week'] = ALL_TIME;
    else if (query.fromWeek !== undefined || query.toWeek !== undefined) {
      filter['week'] = {
        ...(query.fromWeek === undefined ? {} : { $gte: query.fromWeek }),
        ...(query.toWeek === undefined ? {} : { $lte: query.toWeek }),
      };
    }
    const raws = await this.rollups.find(filter).toArray();
    return raws.map((raw) => parseDoc(rollupSchema, raw, ROLLUPS));
  }

  /**
   * Instances started and ended per version of each named policy, summed over the weeks (the
   * `versions` figure): one find on `figure_policy_week`, as many documents as versions times the
   * weeks they ran in, whatever the number of instances. Counted up to the projector's position.
   */
  async versionCounts(names: readonly string[]): Promise<Map<string, Map<number, Record<string, number>>>> {
    const out = new Map<string, Map<number, Record<string, number>>>();
    if (names.length === 0) return out;
    const raws = await this.rollups
      .find({ figure: 'versions', policy: { $in: [...new Set(names)] } })
      .toArray();
    for (const raw of raws) {
      const doc = parseDoc(rollupSchema, raw, ROLLUPS);
      const byVersion = out.get(doc.policy) ?? new Map<number, Record<string, number>>();
      const counts = byVersion.get(Number(doc.key)) ?? {};
      for (const [name, n] of Object.entries(doc.n)) counts[name] = (counts[name] ?? 0) + n;
      byVersion.set(Number(doc.key), counts);
      out.set(doc.policy, byVersion);
    }
    return out;
  }

  /** Waivers in force whose end falls in [from, to), soonest first: one range on `until`. */
  async waiversEnding(from: Date, to: Date): Promise<WaiverDoc[]> {
    const raws = await this.waivers.find({ until: { $gte: from, $lt: to } }).toArray();
    return raws
      .map((raw) => parseDoc(waiverSchema, raw, WAIVERS))
      .sort((a, b) => a.until.getTime() - b.until.getTime() || (a._id < b._id ? -1 : 1));
  }

  /** The batch's events by `_id` (one find, ids alone), put back in leaf order; unreadable ones skipped. */
  private async eventsInOrder(ids: readonly string[]): Promise<FoldEvent[]> {
    if (ids.length === 0) return [];
    const byId = new Map<string, FoldEvent>();
    for (const raw of await this.events
      .find({ _id: { $in: [...ids] } }, { projection: FOLD_EVENT_FIELDS })
      .toArray()) {
      // An event the fold cannot read is skipped, not fatal: `verify` is where it shows.
      const parsed = foldEventSchema.safeParse(raw);
      if (parsed.success) byId.set(parsed.data._id, parsed.data);
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Moves the position from `from` to `to`, or throws ProjectorConflictError (nothing written). */
  private async advance(
    session: ClientSession,
    from: number,
    to: number,
    newestAt: Date | null,
    foldedAt: Date | null,
  ): Promise<void> {
    const update: Document = {
      $set: { position: to, shape: FOLD_SHAPE, ...(foldedAt === null ? {} : { foldedAt }) },
    };
    if (newestAt !== null) update['$max'] = { asOf: newestAt };
    let matched: number;
    try {
      // Upserted only from 0: a stored position other than `from` fails the filter, and the
      // upsert's insert then meets the `_id` and fails too.
      const result = await this.projector.updateOne({ _id: PROJECTOR_ID, position: from }, update, {
        session,
        upsert: from === 0,
      });
      matched = result.matchedCount + result.upsertedCount;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      matched = 0;
    }
    if (matched !== 1) throw new ProjectorConflictError(`the dashboard projector is no longer at ${from}`);
  }
}

/** One rollup change as an upserting `$inc` (and `$max`), its dimensions set on insert. */
function incrementOf(change: RollupChange) {
  const inc: Record<string, number> = {};
  for (const [name, by] of Object.entries(change.n)) inc[`n.${name}`] = by;
  for (const [bucket, by] of Object.entries(change.hist)) inc[`hist.${bucket}`] = by;
  if (change.sumMs > 0) inc['sumMs'] = change.sumMs;
  const { figure, policy, key, part, week, project } = change.key;
  return {
    updateOne: {
      filter: { _id: rollupId(change.key) },
      update: {
        $setOnInsert: { figure, policy, key, part, week, project },
        $inc: inc,
        ...(change.maxMs > 0 ? { $max: { maxMs: change.maxMs } } : {}),
      },
      upsert: true,
    },
  };
}

/** This module's collections (store/manifest.ts). */
export const dashboardCollections: CollectionSpec[] = [
  {
    name: ROLLUPS,
    holds:
      'counters and a duration histogram of one dashboard figure per (policy, key, part, ISO week, project)',
    // Written by `_id` (an upsert must name the shard key); a read gathers a few cells per shard.
    shardKey: { _id: 'hashed' },
    retiredIndexes: ['figure_key_week'],
    indexes: [
      {
        name: 'figure_policy_week',
        key: { figure: 1, policy: 1, week: 1 },
        serves: 'DashboardStore.versionCounts: the `versions` cells of the policies named',
      },
      // The project (null: the totals) right after the figure, so that a read of the totals never
      // walks the per-project cells; one index with the policy and one without, so that a range
      // of weeks directly follows the equalities either way.
      {
        name: 'figure_project_policy_week',
        key: { figure: 1, project: 1, policy: 1, week: 1 },
        serves: "DashboardStore.read: a figure's totals or one project's cells of one policy, in weeks",
      },
      {
        name: 'figure_project_week',
        key: { figure: 1, project: 1, week: 1 },
        serves: "DashboardStore.read: a figure's totals or one project's cells of every policy, in weeks",
      },
    ],
  },
  {
    name: CLOCKS,
    holds: 'a task the dashboard projector saw open and not yet closed (`_id` instance/kind/step)',
    shardKey: { _id: 'hashed' },
    indexes: [
      {
        name: 'clocks_by_instance',
        key: { instanceId: 1 },
        serves: "the projector dropping an ended instance's open clocks (instanceId equality)",
      },
    ],
  },
  {
    name: WAIVERS,
    holds: 'a waiver in force with an end date (`_id` instance/step), until it expires',
    shardKey: { _id: 'hashed' },
    indexes: [
      {
        name: 'waivers_by_end',
        key: { until: 1 },
        serves: 'DashboardStore.waiversEnding: waivers whose end falls in a window (until range)',
      },
    ],
  },
  {
    name: PROJECTOR,
    holds: "the dashboard projector's position in the ledger's Merkle tree (one document)",
    shardKey: { _id: 'hashed' },
    indexes: [],
  },
];
