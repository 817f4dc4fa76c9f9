// Capacity per pool, skill and ISO week, and the reallocations that draw it down.
//
// Why a ledger of versions instead of one mutable document per (pool, skill): the guarded
// `findOneAndUpdate` (filter `free.<week> >= share`, `$inc` negative) is atomic on MongoDB but not
// on FerretDB v1 with SQLite, which evaluates the filter, applies the update in Go and writes the
// whole document back by `_id` without re-checking. Measured: 50 concurrent guarded updates against
// room for 12 reported 22 successes (10 lost), and a version compare-and-swap let 11 of 20 through.
// The one guard both servers honour is a unique key on insert. So every change to a (pool, skill)
// is ONE inserted document, version n+1, holding the complete new state (capacity and free hours
// per week) and the change that made it. Two writers that read version n race for the `_id` of
// n+1; exactly one insert wins, the other re-reads and re-decides. A second unique key on the
// operation (`allocation:<request>`) makes a retried request find its first result instead of
// allocating twice. The state can therefore never go below zero free hours, on either server.
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { isDuplicateKey, parseDoc } from './documents.js';

export type Priority = 'low' | 'normal' | 'high';

export interface Reallocation {
  /** Idempotency key: the machine's request id; a retry returns the first answer. */
  request: string;
  pool: string;
  skill: string;
  project: string;
  /** Total hours, spread evenly over `weeks`. */
  hours: number;
  weeks: string[];
  priority: Priority;
  at: Date;
}

export interface ReallocationResult {
  outcome: 'allocated' | 'insufficient';
  detail: string;
  /** Utilisation per week in percent (allocated / capacity), before and after this request. */
  before: Record<string, number>;
  after: Record<string, number>;
}

export interface WeekUtilisation {
  capacity: number;
  free: number;
  utilisation: number;
}

export interface AllocationRecord {
  request: string;
  pool: string;
  skill: string;
  project: string;
  hours: number;
  perWeek: Record<string, number>;
  priority: Priority;
  at: Date;
  before: Record<string, number>;
  after: Record<string, number>;
  detail: string;
}

const COLLECTION = 'capacity_ledger';
/** Enough for 50+ writers on one (pool, skill): each round lets at least one of them through. */
const MAX_ATTEMPTS = 400;
const WEEK_MS = 7 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const WEEK_PATTERN = /^\d{4}-W\d{2}$/;

const hoursMap = z.record(z.string().regex(WEEK_PATTERN), z.number());
const allocationSchema = z.object({
  kind: z.literal('allocation'),
  request: z.string(),
  project: z.string(),
  hours: z.number(),
  perWeek: hoursMap,
  priority: z.enum(['low', 'normal', 'high']),
  at: z.date(),
  before: hoursMap,
  after: hoursMap,
  detail: z.string(),
});
const stateSchema = z.object({
  _id: z.string(),
  pool: z.string(),
  skill: z.string(),
  version: z.number().int().positive(),
  op: z.string(),
  project: z.string().nullable(),
  capacity: hoursMap,
  free: hoursMap,
  change: z.discriminatedUnion('kind', [
    allocationSchema,
    z.object({ kind: z.literal('capacity'), week: z.string(), hours: z.number() }),
    // Several weeks set at once (`setCapacities`): one version, so they change all or none.
    z.object({ kind: z.literal('capacities'), hours: hoursMap }),
  ]),
});
type StateDoc = z.infer<typeof stateSchema>;
type Allocation = z.infer<typeof allocationSchema>;
/** What a change decides; `append` adds the identity and the version. */
type NextState = Omit<StateDoc, '_id' | 'pool' | 'skill' | 'version'>;

/** Thrown for requests that could never be served and for programming errors, never for "full". */
export class CapacityError extends Error {
  override name = 'CapacityError';
}

/** A capacity below what is already allocated, with the weeks concerned. */
export class CapacityAllocatedError extends CapacityError {
  override name = 'CapacityAllocatedError';

  constructor(
    message: string,
    readonly weeks: { week: string; allocated: number; capacity: number }[],
  ) {
    super(message);
  }
}

/** Capacity and free hours per week of one (pool, skill) at one version of its ledger. */
export type HolderState = Pick<StateDoc, 'capacity' | 'free'>;

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The ISO week label (`2027-W03`) of an instant, in UTC. */
export function isoWeekOf(instant: Date): string {
  const day = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  // The ISO week belongs to the year of its Thursday, and is numbered from that year's first one.
  const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const ordinal = Math.round((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS);
  return `${year}-W${String(Math.floor(ordinal / 7) + 1).padStart(2, '0')}`;
}

/**
 * The ISO weeks that [start, start + periodMs) touches, in order: a two-week period that starts
 * on a Wednesday books three calendar weeks, which is where the people's hours actually go.
 */
export function isoWeeksFrom(start: Date, periodMs: number): string[] {
  const weeks = [isoWeekOf(start)];
  const end = start.getTime() + Math.max(periodMs, 1);
  const monday =
    Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()) -
    ((start.getUTCDay() + 6) % 7) * DAY_MS;
  for (let t = monday + WEEK_MS; t < end; t += WEEK_MS) weeks.push(isoWeekOf(new Date(t)));
  return weeks;
}

/** Hours per week, in hundredths so that the shares add up to the total exactly. */
export function spread(hours: number, weeks: readonly string[]): Record<string, number> {
  const cents = Math.round(hours * 100);
  const base = Math.floor(cents / weeks.length);
  const rest = cents - base * weeks.length;
  return Object.fromEntries(weeks.map((w, i) => [w, (base + (i < rest ? 1 : 0)) / 100]));
}

function percent(capacity: number, free: number): number {
  return capacity <= 0 ? 0 : Math.round(((capacity - free) / capacity) * 1000) / 10;
}

function validate(r: Reallocation): void {
  const bad = r.weeks.find((w) => !WEEK_PATTERN.test(w));
  if (bad !== undefined) throw new CapacityError(`"${bad}" is not an ISO week like 2027-W03`);
  if (r.weeks.length === 0) throw new CapacityError(`request ${r.request} names no weeks`);
  if (new Set(r.weeks).size !== r.weeks.length)
    throw new CapacityError(`request ${r.request} repeats a week`);
  if (!(r.hours > 0) || !Number.isFinite(r.hours)) {
    throw new CapacityError(`request ${r.request} asks for ${r.hours} hours: expected a positive number`);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class CapacityStore {
  private readonly ledger: Collection<StateDoc>;

  constructor(db: Db) {
    this.ledger = db.collection<StateDoc>(COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.ledger.createIndex({ pool: 1, skill: 1, version: -1 }, { unique: true, name: 'head' });
    // The idempotency guard: one allocation per request per (pool, skill), whatever the version.
    await this.ledger.createIndex({ pool: 1, skill: 1, op: 1 }, { unique: true, name: 'op_unique' });
    await this.ledger.createIndex({ project: 1, version: 1 }, { name: 'by_project' });
  }

  /** Sets the capacity of one week; free hours follow (capacity - allocated). */
  async setCapacity(pool: string, skill: string, week: string, hours: number): Promise<void> {
    if (!WEEK_PATTERN.test(week)) throw new CapacityError(`"${week}" is not an ISO week like 2027-W03`);
    if (!(hours >= 0)) throw new CapacityError(`capacity must not be negative, got ${hours}`);
    await this.append(pool, skill, (head) => {
      const capacity = head?.capacity[week] ?? 0;
      const allocated = round2(capacity - (head?.free[week] ?? 0));
      if (hours < allocated) {
        // Lowering capacity below what is promised would silently break allocations: say so.
        throw new CapacityError(
          `pool "${pool}" has ${allocated} hours of "${skill}" allocated in ${week}: capacity cannot drop to ${hours}`,
        );
      }
      return {
        op: `capacity:${(head?.version ?? 0) + 1}`,
        project: null,
        capacity: { ...head?.capacity, [week]: hours },
        free: { ...head?.free, [week]: round2(hours - allocated) },
        change: { kind: 'capacity', week, hours },
      };
    });
  }

  /**
   * Draws `hours` from the pool, evenly over `weeks`, all or nothing. Insufficient capacity in any
   * week takes nothing and says, week by week, how much was free.
   */
  async reallocate(r: Reallocation): Promise<ReallocationResult> {
    validate(r);
    // Written by the last round of `append`: the decision that was actually acted on.
    const last: { result: ReallocationResult | null } = { result: null };
    try {
      await this.append(r.pool, r.skill, async (head) => {
        const recorded = await this.recorded(r);
        if (recorded !== null) {
          last.result = recorded;
          return null;
        }
        const decided = decide(r, head);
        last.result = decided.result;
        return decided.next;
      });
    } catch (error) {
      // Lost the race for the version but won nothing: a retry of this very request may have won.
      const recorded = await this.recorded(r);
      if (recorded !== null) return recorded;
      throw error;
    }
    if (last.result === null) throw new CapacityError(`request ${r.request}: no decision was made`);
    return last.result;
  }

  /** What `reallocate` would answer now, without writing anything. */
  async preview(r: Reallocation): Promise<ReallocationResult> {
    validate(r);
    return (await this.recorded(r)) ?? decide(r, await this.head(r.pool, r.skill)).result;
  }

  async utilisation(
    pool: string,
    skill: string,
    weeks: readonly string[],
  ): Promise<Record<string, WeekUtilisation>> {
    const head = await this.head(pool, skill);
    return Object.fromEntries(
      weeks.map((w) => {
        const capacity = head?.capacity[w] ?? 0;
        const free = head?.free[w] ?? 0;
        return [w, { capacity, free, utilisation: percent(capacity, free) }];
      }),
    );
  }

  /** Every allocation made for a project, oldest first, across pools and skills. */
  async allocationsOf(project: string): Promise<AllocationRecord[]> {
    const docs = await this.ledger.find({ project }).sort({ project: 1, version: 1 }).toArray();
    return docs.map((raw) => recordOf(parseDoc(stateSchema, raw, COLLECTION))).filter(isRecord);
  }

  /**
   * Sets the capacity of several weeks as one change: if any week would drop below what is
   * allocated in it, none changes, and the error names every such week.
   */
  async setCapacities(pool: string, skill: string, hours: Record<string, number>): Promise<void> {
    const weeks = Object.keys(hours);
    if (weeks.length === 0) throw new CapacityError('no weeks to set');
    for (const week of weeks) {
      if (!WEEK_PATTERN.test(week)) throw new CapacityError(`"${week}" is not an ISO week like 2027-W03`);
      if (!((hours[week] ?? -1) >= 0)) throw new CapacityError(`capacity must not be negative in ${week}`);
    }
    await this.append(pool, skill, (head) => {
      const capacity: Record<string, number> = { ...head?.capacity };
      const free: Record<string, number> = { ...head?.free };
      const tooLow: { week: string; allocated: number; capacity: number }[] = [];
      for (const week of weeks) {
        const wanted = hours[week] ?? 0;
        const allocated = round2((head?.capacity[week] ?? 0) - (head?.free[week] ?? 0));
        if (wanted < allocated) tooLow.push({ week, allocated, capacity: wanted });
        capacity[week] = wanted;
        free[week] = round2(wanted - allocated);
      }
      if (tooLow.length > 0) {
        const list = tooLow.map((t) => `${t.allocated} hours allocated in ${t.week}`).join(', ');
        throw new CapacityAllocatedError(
          `pool "${pool}", skill "${skill}": capacity cannot drop below what is allocated (${list})`,
          tooLow,
        );
      }
      return {
        op: `capacity:${(head?.version ?? 0) + 1}`,
        project: null,
        capacity,
        free,
        change: { kind: 'capacities', hours: { ...hours } },
      };
    });
  }

  /** The current state of one (pool, skill) and its allocations (oldest first), in one read. */
  async ledgerOf(pool: string, skill: string): Promise<HolderState & { allocations: AllocationRecord[] }> {
    const docs = await this.ledger.find({ pool, skill }).sort({ pool: 1, skill: 1, version: 1 }).toArray();
    const parsed = docs.map((raw) => parseDoc(stateSchema, raw, COLLECTION));
    const head = parsed[parsed.length - 1];
    return {
      capacity: { ...head?.capacity },
      free: { ...head?.free },
      allocations: parsed.map(recordOf).filter(isRecord),
    };
  }

  /** The allocation a request made on one (pool, skill), with the state it left; null if none. */
  async allocationOf(
    pool: string,
    skill: string,
    request: string,
  ): Promise<(HolderState & { record: AllocationRecord }) | null> {
    const raw = await this.ledger.findOne({ pool, skill, op: `allocation:${request}` });
    if (raw === null) return null;
    const doc = parseDoc(stateSchema, raw, COLLECTION);
    const record = recordOf(doc);
    return record === null ? null : { record, capacity: doc.capacity, free: doc.free };
  }

  private async head(pool: string, skill: string): Promise<StateDoc | null> {
    const raw = await this.ledger.find({ pool, skill }).sort({ version: -1 }).limit(1).next();
    return raw === null ? null : parseDoc(stateSchema, raw, COLLECTION);
  }

  private async recorded(r: Reallocation): Promise<ReallocationResult | null> {
    const raw = await this.ledger.findOne({ pool: r.pool, skill: r.skill, op: `allocation:${r.request}` });
    if (raw === null) return null;
    const doc = parseDoc(stateSchema, raw, COLLECTION);
    if (doc.change.kind !== 'allocation') return null;
    const { detail, before, after } = doc.change;
    return { outcome: 'allocated', detail, before, after };
  }

  /**
   * Reads the head, lets `next` decide the following state (null: nothing to write) and inserts it
   * as version n+1. On a lost race (duplicate key) it waits a little, re-reads and decides again.
   */
  private async append(
    pool: string,
    skill: string,
    next: (head: StateDoc | null) => Promise<NextState | null> | NextState | null,
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head = await this.head(pool, skill);
      const state = await next(head);
      if (state === null) return;
      const version = (head?.version ?? 0) + 1;
      try {
        await this.ledger.insertOne({
          _id: JSON.stringify([pool, skill, version]),
          pool,
          skill,
          version,
          ...state,
        });
        return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Jitter spreads the losers out so that the next round is not the same stampede.
        await sleep(Math.random() * Math.min(100, 5 * 2 ** Math.min(attempt, 5)));
      }
    }
    throw new CapacityError(
      `pool "${pool}", skill "${skill}": gave up after ${MAX_ATTEMPTS} conflicting writes`,
    );
  }
}

/** The allocation a ledger document records, or null for a capacity change. */
function recordOf(doc: StateDoc): AllocationRecord | null {
  if (doc.change.kind !== 'allocation') return null;
  const record: AllocationRecord & { kind?: string } = { ...doc.change, pool: doc.pool, skill: doc.skill };
  delete record.kind;
  return record;
}

const isRecord = (r: AllocationRecord | null): r is AllocationRecord => r !== null;

/** The pure decision: the result and, if allocated, the state that records it. */
function decide(
  r: Reallocation,
  head: StateDoc | null,
): { result: ReallocationResult; next: NextState | null } {
  const shares = spread(r.hours, r.weeks);
  const before: Record<string, number> = {};
  const after: Record<string, number> = {};
  const free: Record<string, number> = { ...head?.free };
  const short: string[] = [];
  const moved: string[] = [];
  for (const week of r.weeks) {
    const share = shares[week] ?? 0;
    const capacity = head?.capacity[week] ?? 0;
    const available = head?.free[week] ?? 0;
    before[week] = percent(capacity, available);
    if (available < share) {
      short.push(
        `pool "${r.pool}" has ${available} free hours of "${r.skill}" in ${week}, ${share} requested`,
      );
      after[week] = before[week];
      continue;
    }
    free[week] = round2(available - share);
    after[week] = percent(capacity, free[week]);
    moved.push(`pool "${r.pool}": ${available} → ${free[week]} free hours of "${r.skill}" in ${week}`);
  }
  if (short.length > 0) {
    return {
      result: { outcome: 'insufficient', detail: short.join('; '), before, after: before },
      next: null,
    };
  }
  const detail = moved.join('; ');
  const change: Allocation = {
    kind: 'allocation',
    request: r.request,
    project: r.project,
    hours: r.hours,
    perWeek: shares,
    priority: r.priority,
    at: r.at,
    before,
    after,
    detail,
  };
  return {
    result: { outcome: 'allocated', detail, before, after },
    next: {
      op: `allocation:${r.request}`,
      project: r.project,
      capacity: { ...head?.capacity },
      free,
      change,
    },
  };
}
