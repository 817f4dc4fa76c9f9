// The capacity store's documents and the pure decisions over them: ISO weeks, shares, utilisation
// and whether a reallocation fits (capacity.ts reads and writes the documents).
//
// A holder is a (pool, skill); a person is the holder (`@people`, <person id>). One
// `capacity_weeks` document per holder and week holds its capacity, the hours allocated and the
// hours free (capacity = allocated + free, every value rounded to hundredths). One `allocations`
// document per reallocation that drew hours holds its request id (the `_id`), its holder, project
// and one entry per week: the share, and the week's capacity and free hours before and after it.
import { z } from 'zod';
import { validDate } from './documents.js';

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

/** One week of a decision: the share asked for and the holder's week before and after it. */
export interface WeekShare {
  week: string;
  hours: number;
  capacity: number;
  freeBefore: number;
  /** Equal to `freeBefore` when the request is insufficient: nothing moves. */
  freeAfter: number;
}

export interface Decision {
  result: ReallocationResult;
  weeks: WeekShare[];
}

const DAY_MS = 24 * 3600 * 1000;
const WEEK_MS = 7 * DAY_MS;
export const WEEK_PATTERN = /^\d{4}-W\d{2}$/;

const week = z.string().regex(WEEK_PATTERN);
const hours = z.number().finite().min(0);

export const capacityWeekSchema = z.object({
  _id: z.string(),
  pool: z.string(),
  skill: z.string(),
  week,
  capacity: hours,
  allocated: hours,
  free: hours,
});
export type CapacityWeekDoc = z.infer<typeof capacityWeekSchema>;

export const weekShareSchema = z.object({
  week,
  hours,
  capacity: hours,
  freeBefore: hours,
  freeAfter: hours,
});

export const allocationSchema = z.object({
  /** The request id: a retry of the request finds this document instead of allocating again. */
  _id: z.string(),
  pool: z.string(),
  skill: z.string(),
  project: z.string(),
  hours: z.number().positive(),
  priority: z.enum(['low', 'normal', 'high']),
  at: validDate,
  weeks: z.array(weekShareSchema).min(1),
  detail: z.string(),
});
export type AllocationDoc = z.infer<typeof allocationSchema>;

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

export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The `_id` of a holder's week: the JSON of its three parts, so no pool or skill name is ambiguous. */
export const weekIdOf = (pool: string, skill: string, w: string): string => JSON.stringify([pool, skill, w]);

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
export function spread(total: number, weeks: readonly string[]): Record<string, number> {
  const cents = Math.round(total * 100);
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

/** The smallest and largest of `weeks` (ISO week labels sort as text). */
export function weekRange(weeks: readonly string[]): { from: string; to: string } {
  const sorted = [...weeks].sort();
  return { from: sorted[0] ?? '', to: sorted[sorted.length - 1] ?? '' };
}

/** The pure decision on the holder's weeks as read: all weeks fit, or nothing moves. */
export function decide(r: Reallocation, docs: readonly CapacityWeekDoc[]): Decision {
  const byWeek = new Map(docs.map((d) => [d.week, d]));
  const shares = spread(r.hours, r.weeks);
  const weeks: WeekShare[] = [];
  const short: string[] = [];
  const moved: string[] = [];
  for (const w of r.weeks) {
    const share = shares[w] ?? 0;
    const capacity = byWeek.get(w)?.capacity ?? 0;
    const available = byWeek.get(w)?.free ?? 0;
    const fits = available >= share;
    const freeAfter = fits ? round2(available - share) : available;
    weeks.push({ week: w, hours: share, capacity, freeBefore: available, freeAfter });
    if (fits) {
      moved.push(`pool "${r.pool}": ${available} → ${freeAfter} free hours of "${r.skill}" in ${w}`);
    } else {
      short.push(`pool "${r.pool}" has ${available} free hours of "${r.skill}" in ${w}, ${share} requested`);
    }
  }
  if (short.length > 0) {
    const unmoved = weeks.map((s) => ({ ...s, freeAfter: s.freeBefore }));
    const before = utilisationOf(unmoved, 'freeBefore');
    return {
      result: { outcome: 'insufficient', detail: short.join('; '), before, after: before },
      weeks: unmoved,
    };
  }
  return { result: resultOf(moved.join('; '), weeks), weeks };
}

function utilisationOf(
  weeks: readonly WeekShare[],
  free: 'freeBefore' | 'freeAfter',
): Record<string, number> {
  return Object.fromEntries(weeks.map((s) => [s.week, percent(s.capacity, s[free])]));
}

const resultOf = (detail: string, weeks: readonly WeekShare[]): ReallocationResult => ({
  outcome: 'allocated',
  detail,
  before: utilisationOf(weeks, 'freeBefore'),
  after: utilisationOf(weeks, 'freeAfter'),
});

/** The document that records an allocated decision. */
export const allocationDocOf = (r: Reallocation, decision: Decision): AllocationDoc => ({
  _id: r.request,
  pool: r.pool,
  skill: r.skill,
  project: r.project,
  hours: r.hours,
  priority: r.priority,
  at: r.at,
  weeks: decision.weeks,
  detail: decision.result.detail,
});

/** The decision a stored allocation was: what a retry of its request answers. */
export const decisionOf = (doc: AllocationDoc): Decision => ({
  result: resultOf(doc.detail, doc.weeks),
  weeks: doc.weeks,
});

export const recordOf = (doc: AllocationDoc): AllocationRecord => {
  const { result } = decisionOf(doc);
  return {
    request: doc._id,
    pool: doc.pool,
    skill: doc.skill,
    project: doc.project,
    hours: doc.hours,
    perWeek: Object.fromEntries(doc.weeks.map((s) => [s.week, s.hours])),
    priority: doc.priority,
    at: doc.at,
    before: result.before,
    after: result.after,
    detail: doc.detail,
  };
};

/** Whether a stored allocation is the one `r` asks for (a retry), not another under its id. */
export const sameRequest = (r: Reallocation, doc: AllocationDoc): boolean =>
  doc.pool === r.pool &&
  doc.skill === r.skill &&
  doc.project === r.project &&
  Math.round(doc.hours * 100) === Math.round(r.hours * 100) &&
  doc.weeks.map((s) => s.week).join() === r.weeks.join();
