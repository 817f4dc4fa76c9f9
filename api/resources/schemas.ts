// The request and answer shapes of /v1/resources. Weeks are ISO weeks (`2027-W03`), validated as
// real weeks of their year and expanded into ranges; allocations are shown and paged by time.
// Page cursors are the store's (store/paging.ts), passed through opaque: one the store did not
// issue for that list is answered 422 at `query.cursor` (api/errors.ts).
import { z } from 'zod';
import type { AllocationRecord } from '../../store/capacity.js';
import { isoWeekOf } from '../../store/index.js';
import { instant } from '../directory/schemas.js';
import { pageQuery } from '../paging.js';

export { pageQuery };

const DAY_MS = 24 * 3600 * 1000;
const WEEK_MS = 7 * DAY_MS;
/** Two years: a capacity plan further out is guesswork, and a bigger answer is a mistake. */
export const MAX_WEEKS = 104;
/** Weeks shown when a range route is called without `from` and `to`: this quarter, roughly. */
export const DEFAULT_WEEKS = 12;

/** The Monday (00:00 UTC) that starts an ISO week; week 1 is the one holding 4 January. */
export function mondayOf(week: string): Date {
  const year = Number(week.slice(0, 4));
  const number = Number(week.slice(6));
  const jan4 = Date.UTC(year, 0, 4);
  const firstMonday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  return new Date(firstMonday + (number - 1) * WEEK_MS);
}

/** The week `n` weeks after `week` (n may be negative). */
export const weekPlus = (week: string, n: number): string =>
  isoWeekOf(new Date(mondayOf(week).getTime() + n * WEEK_MS));

/** How many weeks from `from` to `to`, both included (0 or less when `to` is before `from`). */
export const weeksSpanned = (from: string, to: string): number =>
  Math.round((mondayOf(to).getTime() - mondayOf(from).getTime()) / WEEK_MS) + 1;

/** Every week from `from` to `to`, both included, in order. */
export function weeksBetween(from: string, to: string): string[] {
  return Array.from({ length: Math.max(0, weeksSpanned(from, to)) }, (_, i) => weekPlus(from, i));
}

/** `YYYY-Www` naming a week that exists (W53 only in the years that have one). */
export const isoWeek = z
  .string()
  .regex(/^\d{4}-W\d{2}$/, 'expected an ISO week like 2027-W03')
  .refine((w) => Number(w.slice(6)) >= 1 && isoWeekOf(mondayOf(w)) === w, 'no such ISO week in that year');

/** Pools and skills are names from the capacity plan (org.world.json: `sap-competence-center`). */
export const resourceName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/, 'expected a name of letters, digits, spaces, ".", "_" or "-"');

/** `pool`, `skill` and an optional week range, `to` not before `from` and at most two years long. */
export const weekRangeQuery = z
  .object({ pool: resourceName, skill: resourceName, from: isoWeek.optional(), to: isoWeek.optional() })
  .superRefine((q, ctx) => {
    if (q.from === undefined || q.to === undefined) return;
    const span = weeksSpanned(q.from, q.to);
    if (span < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before ${q.from}` });
    else if (span > MAX_WEEKS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_WEEKS} weeks after from` });
    }
  });

/** The weeks a range query asks for; missing ends default around the current week. */
export function weeksOfQuery(q: { from?: string | undefined; to?: string | undefined }, now: Date): string[] {
  const from = q.from ?? (q.to === undefined ? isoWeekOf(now) : weekPlus(q.to, -(DEFAULT_WEEKS - 1)));
  const to = q.to ?? weekPlus(from, DEFAULT_WEEKS - 1);
  return weeksBetween(from, to);
}

const YEAR_MS = 366 * 24 * 3600 * 1000;

/** `limit` (default 50, at most 500) and the store's opaque `cursor` of the previous page. */

export const capacityBody = z.strictObject({
  pool: resourceName,
  skill: resourceName,
  week: isoWeek,
  hours: z.number().min(0).max(100_000),
});
export const weekCapacity = z.object({ week: z.string(), capacity: z.number(), free: z.number() });
export const weekUtilisation = weekCapacity.extend({ allocated: z.number(), utilisation: z.number() });

export const previewBody = z
  .strictObject({
    pool: resourceName,
    skill: resourceName,
    project: z.string().min(1).max(200),
    hours: z.number().positive().max(100_000),
    priority: z.enum(['low', 'normal', 'high']).default('normal'),
    weeks: z.array(isoWeek).min(1).max(MAX_WEEKS).optional(),
    start: instant.optional(),
    periodMs: z.number().int().positive().max(YEAR_MS).optional(),
  })
  .superRefine((b, ctx) => {
    const byPeriod = b.start !== undefined || b.periodMs !== undefined;
    if (b.weeks !== undefined && byPeriod) {
      ctx.addIssue({ code: 'custom', path: ['weeks'], message: 'give either weeks or start and periodMs' });
    } else if (b.weeks === undefined) {
      for (const key of ['start', 'periodMs'] as const) {
        if (b[key] === undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'required unless weeks are given' });
        }
      }
    }
    if (b.weeks !== undefined && new Set(b.weeks).size !== b.weeks.length) {
      ctx.addIssue({ code: 'custom', path: ['weeks'], message: 'names a week twice' });
    }
  });

export const previewAnswer = z.object({
  outcome: z.enum(['allocated', 'insufficient']),
  detail: z.string(),
  weeks: z.array(weekCapacity.extend({ utilisationBefore: z.number(), utilisationAfter: z.number() })),
});

const hoursByWeek = z.record(z.string(), z.number());

export const allocationView = z.object({
  request: z.string(),
  pool: z.string(),
  skill: z.string(),
  project: z.string(),
  hours: z.number(),
  perWeek: hoursByWeek,
  priority: z.enum(['low', 'normal', 'high']),
  at: z.string(),
  /** Utilisation in percent per week, before and after this allocation. */
  before: hoursByWeek,
  after: hoursByWeek,
  detail: z.string(),
});

export const showAllocation = (a: AllocationRecord): z.infer<typeof allocationView> => ({
  ...a,
  at: a.at.toISOString(),
});

// People as capacity holders (/v1/resources/people, /v1/resources/projects/:project/people).

/** A week has 168 hours: more capacity than that is a typing mistake, not a plan. */
export const HOURS_PER_WEEK = 168;

type WeekRange = { from?: string | undefined; to?: string | undefined };

/** `to` not before `from` and at most MAX_WEEKS weeks after it, reported on `to`. */
function checkRange(r: WeekRange, ctx: z.RefinementCtx): void {
  if (r.from === undefined || r.to === undefined) return;
  // A week that does not exist is already reported on its own field; its range would be noise.
  if (!isoWeek.safeParse(r.from).success || !isoWeek.safeParse(r.to).success) return;
  const span = weeksSpanned(r.from, r.to);
  if (span < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before ${r.from}` });
  else if (span > MAX_WEEKS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_WEEKS} weeks after from` });
  }
}

const projectName = z.string().min(1).max(200);

/** An optional week range; missing ends default around the current week (weeksOfQuery). */
export const personWeeksQuery = z
  .object({ from: isoWeek.optional(), to: isoWeek.optional() })
  .superRefine(checkRange);

/** A page of a project's people over an optional week range. */
export const projectPeopleQuery = pageQuery
  .extend({ from: isoWeek.optional(), to: isoWeek.optional() })
  .superRefine(checkRange);

export const personCapacityBody = z
  .strictObject({ from: isoWeek, to: isoWeek, hours: z.number().min(0).max(HOURS_PER_WEEK) })
  .superRefine(checkRange);

export const personAllocationBody = z
  .strictObject({
    project: projectName,
    /** Total hours over the range, spread evenly over its weeks. */
    hours: z
      .number()
      .positive()
      .max(HOURS_PER_WEEK * MAX_WEEKS)
      .refine((h) => Math.abs(h * 100 - Math.round(h * 100)) < 1e-6, 'at most two decimals'),
    from: isoWeek,
    to: isoWeek,
    priority: z.enum(['low', 'normal', 'high']).default('normal'),
  })
  .superRefine((b, ctx) => {
    checkRange(b, ctx);
    if (!isoWeek.safeParse(b.from).success || !isoWeek.safeParse(b.to).success) return;
    const span = weeksSpanned(b.from, b.to);
    if (span >= 1 && span <= MAX_WEEKS && b.hours > span * HOURS_PER_WEEK) {
      const most = span * HOURS_PER_WEEK;
      ctx.addIssue({ code: 'custom', path: ['hours'], message: `${span} weeks hold at most ${most} hours` });
    }
  });

const projectHours = z.object({ project: z.string(), hours: z.number() });

export const personWeeksAnswer = z.object({
  person: z.string(),
  weeks: z.array(weekUtilisation.extend({ projects: z.array(projectHours) })),
  /** Hours per project over all the weeks shown. */
  projects: z.array(projectHours),
});

export const personCapacityAnswer = z.object({ person: z.string(), weeks: z.array(weekUtilisation) });

/** One week of an allocation or its preview; `short` is what is missing for `hours` to fit. */
export const allocationWeek = z.object({
  week: z.string(),
  hours: z.number(),
  capacity: z.number(),
  freeBefore: z.number(),
  freeAfter: z.number(),
  short: z.number(),
  utilisationBefore: z.number(),
  utilisationAfter: z.number(),
});

export const personAllocationAnswer = z.object({
  person: z.string(),
  project: z.string(),
  outcome: z.enum(['allocated', 'insufficient']),
  detail: z.string(),
  weeks: z.array(allocationWeek),
});

export const projectMemberView = z.object({
  person: z.string(),
  /** Hours on the project over the weeks asked for. */
  hours: z.number(),
  weeks: z.array(
    z.object({
      week: z.string(),
      hours: z.number(),
      capacity: z.number(),
      allocated: z.number(),
      utilisation: z.number(),
    }),
  ),
});
