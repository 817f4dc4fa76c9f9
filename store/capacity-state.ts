// The capacity ledger's documents and the pure decisions over them: weeks, shares, utilisation and
// whether a reallocation fits (capacity.ts writes and reads the documents).
import { z } from 'zod';

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

const WEEK_MS = 7 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
export const WEEK_PATTERN = /^\d{4}-W\d{2}$/;

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
export const stateSchema = z.object({
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
export type StateDoc = z.infer<typeof stateSchema>;
export type Allocation = z.infer<typeof allocationSchema>;
/** What a change decides; `append` adds the identity and the version. */
export type NextState = Omit<StateDoc, '_id' | 'pool' | 'skill' | 'version'>;

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

export const round2 = (n: number): number => Math.round(n * 100) / 100;

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

export function percent(capacity: number, free: number): number {
  return capacity <= 0 ? 0 : Math.round(((capacity - free) / capacity) * 1000) / 10;
}

export function validate(r: Reallocation): void {
  const bad = r.weeks.find((w) => !WEEK_PATTERN.test(w));
  if (bad !== undefined) throw new CapacityError(`"${bad}" is not an ISO week like 2027-W03`);
  if (r.weeks.length === 0) throw new CapacityError(`request ${r.request} names no weeks`);
  if (new Set(r.weeks).size !== r.weeks.length)
    throw new CapacityError(`request ${r.request} repeats a week`);
  if (!(r.hours > 0) || !Number.isFinite(r.hours)) {
    throw new CapacityError(`request ${r.request} asks for ${r.hours} hours: expected a positive number`);
  }
}

/** The allocation a ledger document records, or null for a capacity change. */
export function recordOf(doc: StateDoc): AllocationRecord | null {
  if (doc.change.kind !== 'allocation') return null;
  const record: AllocationRecord & { kind?: string } = { ...doc.change, pool: doc.pool, skill: doc.skill };
  delete record.kind;
  return record;
}

export const isRecord = (r: AllocationRecord | null): r is AllocationRecord => r !== null;

/** The pure decision: the result and, if allocated, the state that records it. */
export function decide(
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
