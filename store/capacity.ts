// Capacity per holder (pool and skill) and ISO week, and the reallocations that draw it down.
//
// Documents (capacity-state.ts): one `capacity_weeks` document per holder and week with its
// capacity, allocated and free hours; one `allocations` document per reallocation, its `_id` the
// request id.
//
// What guards each invariant:
// - Never below zero free hours, all weeks or none: a reallocation is ONE multi-document
//   transaction (snapshot read concern) that reads the holder's weeks, decides, inserts the
//   allocation and updates every week it draws from in one bulkWrite. Each update is conditional
//   on the state that was decided on (`capacity`, `allocated`) and on `free >= share`. Two
//   transactions that touch the same week conflict (WriteConflict, a TransientTransactionError)
//   and the driver's `withTransaction` runs the loser again on a fresh snapshot, so it re-decides.
//   An update that matches nothing inside the transaction would mean the server did not isolate
//   it: that throws (CapacityError), it is never retried silently.
// - A retried request allocates once: the allocation's `_id` is the request id. The insert of a
//   retry fails with a duplicate key (the transaction aborts, nothing moved) and the stored first
//   answer is returned; an insufficient decision also looks for it, since a request that allocated
//   before the pool filled up must still get its first answer.
// - Capacity never below what is allocated, several weeks all or none: a transaction that reads
//   the weeks, refuses (CapacityAllocatedError, naming every such week) or sets capacity and free
//   together, each update conditional on the `allocated` it read.
// Why `$set` of computed hours rather than `$inc`: hours have two decimals, and `$inc` on doubles
// drifts (0.3 - 0.1 is 0.19999999999999998), which would turn an exact fit into "insufficient";
// the computed values are rounded to hundredths, and the filter pins the state they come from.
import type { ClientSession, Collection, Db, MongoClient } from 'mongodb';
import { isDuplicateKey } from './documents.js';
import {
  ALLOCATIONS,
  CapacityQueries,
  readAllocation,
  WEEKS,
  weekOf,
  type CapacityWeek,
  type HolderPage,
} from './capacity-queries.js';
import {
  allocationDocOf,
  CapacityAllocatedError,
  CapacityError,
  decide,
  decisionOf,
  round2,
  sameRequest,
  validate,
  WEEK_PATTERN,
  weekIdOf,
  type AllocationDoc,
  type AllocationRecord,
  type CapacityWeekDoc,
  type Decision,
  type Reallocation,
  type ReallocationResult,
  type WeekUtilisation,
} from './capacity-state.js';

export {
  CapacityAllocatedError,
  CapacityError,
  isoWeekOf,
  isoWeeksFrom,
  spread,
  type AllocationRecord,
  type CapacityWeekDoc,
  type Decision,
  type Priority,
  type Reallocation,
  type ReallocationResult,
  type WeekShare,
  type WeekUtilisation,
} from './capacity-state.js';
export { capacityCollections, type CapacityWeek, type HolderPage } from './capacity-queries.js';

/**
 * Reads and writes of one transaction see one point in time, on every shard; the snapshot holds
 * for what others read only once the commit is majority-acknowledged.
 */
const TRANSACTION = { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } } as const;

export class CapacityStore {
  private readonly client: MongoClient;
  private readonly weeks: Collection<CapacityWeekDoc>;
  private readonly allocations: Collection<AllocationDoc>;
  private readonly queries: CapacityQueries;

  constructor(db: Db) {
    // Transactions need the client's sessions; a repository is handed only its Db.
    this.client = db.client;
    this.weeks = db.collection<CapacityWeekDoc>(WEEKS);
    this.allocations = db.collection<AllocationDoc>(ALLOCATIONS);
    this.queries = new CapacityQueries(db);
  }

  /** Sets the capacity of one week; free hours follow (capacity - allocated). */
  async setCapacity(pool: string, skill: string, week: string, hours: number): Promise<void> {
    try {
      await this.setCapacities(pool, skill, { [week]: hours });
    } catch (error) {
      if (!(error instanceof CapacityAllocatedError)) throw error;
      const allocated = error.weeks[0]?.allocated ?? 0;
      // Lowering capacity below what is promised would silently break allocations: say so.
      throw new CapacityAllocatedError(
        `pool "${pool}" has ${allocated} hours of "${skill}" allocated in ${week}: capacity cannot drop to ${hours}`,
        error.weeks,
      );
    }
  }

  /**
   * Sets the capacity of several weeks as one change: if any week would drop below what is
   * allocated in it, none changes, and the error names every such week.
   */
  async setCapacities(pool: string, skill: string, hours: Record<string, number>): Promise<void> {
    const weeks = Object.keys(hours).sort();
    if (weeks.length === 0) throw new CapacityError('no weeks to set');
    for (const week of weeks) {
      if (!WEEK_PATTERN.test(week)) throw new CapacityError(`"${week}" is not an ISO week like 2027-W03`);
      const wanted = hours[week] ?? -1;
      if (!(wanted >= 0) || !Number.isFinite(wanted)) {
        throw new CapacityError(`capacity must not be negative in ${week}`);
      }
    }
    await this.transaction(async (session) => {
      const seen = new Map((await this.readWeeks(pool, skill, weeks, session)).map((d) => [d.week, d]));
      const tooLow = weeks.flatMap((week) => {
        const allocated = seen.get(week)?.allocated ?? 0;
        const capacity = hours[week] ?? 0;
        return capacity < allocated ? [{ week, allocated, capacity }] : [];
      });
      if (tooLow.length > 0) {
        const list = tooLow.map((t) => `${t.allocated} hours allocated in ${t.week}`).join(', ');
        throw new CapacityAllocatedError(
          `pool "${pool}", skill "${skill}": capacity cannot drop below what is allocated (${list})`,
          tooLow,
        );
      }
      const result = await this.weeks.bulkWrite(
        weeks.map((week) => {
          const allocated = seen.get(week)?.allocated ?? 0;
          const capacity = hours[week] ?? 0;
          return {
            updateOne: {
              // A week without a document is inserted, with `allocated: 0` from this filter.
              filter: { _id: weekIdOf(pool, skill, week), allocated },
              update: {
                $set: { capacity, free: round2(capacity - allocated) },
                $setOnInsert: { pool, skill, week },
              },
              upsert: !seen.has(week),
            },
          };
        }),
        { session, ordered: true },
      );
      if (result.matchedCount + result.upsertedCount !== weeks.length) throw notIsolated(pool, skill);
    });
  }

  /**
   * Draws `hours` from the pool, evenly over `weeks`, all or nothing. Insufficient capacity in any
   * week takes nothing and says, week by week, how much was free.
   */
  async reallocate(r: Reallocation): Promise<ReallocationResult> {
    return (await this.allocate(r)).result;
  }

  /** `reallocate` with each week's share and its capacity and free hours before and after. */
  async allocate(r: Reallocation): Promise<Decision> {
    validate(r);
    try {
      return await this.transaction(async (session) => {
        const seen = await this.readWeeks(r.pool, r.skill, r.weeks, session);
        const decision = decide(r, seen);
        if (decision.result.outcome === 'insufficient') {
          const made = await this.allocations.findOne({ _id: r.request }, { session });
          return made === null ? decision : this.replay(r, made);
        }
        await this.allocations.insertOne(allocationDocOf(r, decision), { session });
        await this.drawDown(r, decision, seen, session);
        return decision;
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // A retry of a request that allocated: the transaction aborted, its first answer stands.
      const made = await this.allocations.findOne({ _id: r.request });
      if (made === null) throw error;
      return this.replay(r, made);
    }
  }

  /** What `reallocate` would answer now, without writing anything. */
  async preview(r: Reallocation): Promise<ReallocationResult> {
    return (await this.previewAllocation(r)).result;
  }

  /** What `allocate` would answer now, without writing anything. */
  async previewAllocation(r: Reallocation): Promise<Decision> {
    validate(r);
    const [made, seen] = await Promise.all([
      this.allocations.findOne({ _id: r.request }),
      this.readWeeks(r.pool, r.skill, r.weeks),
    ]);
    return made === null ? decide(r, seen) : this.replay(r, made);
  }

  async utilisation(
    pool: string,
    skill: string,
    weeks: readonly string[],
  ): Promise<Record<string, WeekUtilisation>> {
    const byWeek = new Map((await this.readWeeks(pool, skill, weeks)).map((d) => [d.week, d]));
    return Object.fromEntries(
      weeks.map((w) => {
        const { capacity, free, utilisation } = weekOf(w, byWeek.get(w));
        return [w, { capacity, free, utilisation }];
      }),
    );
  }

  /** A holder's weeks and the allocations that have a share in any of them (capacity-queries.ts). */
  holderWeeks(
    pool: string,
    skill: string,
    weeks: readonly string[],
  ): Promise<{ weeks: CapacityWeek[]; allocations: AllocationRecord[] }> {
    return this.queries.holderWeeks(pool, skill, weeks);
  }

  /** Every allocation made for a project, oldest first, across pools and skills. */
  allocationsOf(project: string): Promise<AllocationRecord[]> {
    return this.queries.allocationsOf(project);
  }

  /** A page of a project's allocations, oldest first; pass `next` back as `after`. */
  allocationPage(
    project: string,
    page: { after?: string | undefined; limit: number },
  ): Promise<{ allocations: AllocationRecord[]; next: string | null }> {
    return this.queries.allocationPage(project, page);
  }

  /** A page of the holders of `pool` with hours on `project` in `weeks` (capacity-queries.ts). */
  holdersOf(
    project: string,
    pool: string,
    weeks: readonly string[],
    page: { after?: string | undefined; limit: number },
  ): Promise<HolderPage> {
    return this.queries.holdersOf(project, pool, weeks, page);
  }

  private readWeeks(
    pool: string,
    skill: string,
    weeks: readonly string[],
    session?: ClientSession,
  ): Promise<CapacityWeekDoc[]> {
    return this.queries.readWeeks(pool, skill, weeks, session);
  }

  /** Every week the decision draws from, conditional on the state it was decided on: one command. */
  private async drawDown(
    r: Reallocation,
    decision: Decision,
    seen: readonly CapacityWeekDoc[],
    session: ClientSession,
  ): Promise<void> {
    const byWeek = new Map(seen.map((d) => [d.week, d]));
    const updates = decision.weeks.flatMap((share) => {
      const doc = byWeek.get(share.week);
      // A zero share (a few hundredths spread thin) needs no week, and may have none.
      if (share.hours === 0 || doc === undefined) return [];
      return [
        {
          updateOne: {
            filter: {
              _id: doc._id,
              capacity: doc.capacity,
              allocated: doc.allocated,
              free: { $gte: share.hours },
            },
            update: { $set: { allocated: round2(doc.allocated + share.hours), free: share.freeAfter } },
          },
        },
      ];
    });
    if (updates.length === 0) return;
    const result = await this.weeks.bulkWrite(updates, { session, ordered: true });
    if (result.matchedCount !== updates.length) throw notIsolated(r.pool, r.skill);
  }

  /** The first answer of a request that allocated; a different request under its id is a bug. */
  private replay(r: Reallocation, raw: unknown): Decision {
    const doc = readAllocation(raw);
    if (!sameRequest(r, doc)) {
      throw new CapacityError(
        `request ${r.request} already allocated ${doc.hours} hours of "${doc.skill}" from pool ` +
          `"${doc.pool}" to ${doc.project}: a different allocation needs its own request id`,
      );
    }
    return decisionOf(doc);
  }

  private async transaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.client.startSession();
    try {
      return await session.withTransaction(() => work(session), TRANSACTION);
    } finally {
      await session.endSession();
    }
  }
}

const notIsolated = (pool: string, skill: string): CapacityError =>
  new CapacityError(
    `pool "${pool}", skill "${skill}": a week changed inside the transaction that read it ` +
      `(the server did not isolate the transaction); nothing was written`,
  );
