// The query filters of /v1/dashboards: `policy`, `project`, and a range of ISO weeks `from`..`to`
// (both inclusive), each given as a week (`2026-W19`) or a day (`2026-05-04`, which means the
// week holding it). The rollups count per ISO week, so a day is rounded to its week rather than
// pretending to a precision the figures do not have; the answer echoes the weeks it covered.
// A week that does not exist (`2026-W54`), a malformed value or `from` after `to` is a 422 with
// the field's path.
import { z } from 'zod';
import { isoWeekOf } from '../../store/index.js';

const text = z.string().min(1).max(500);

const DAY_MS = 24 * 3600 * 1000;

/** The Monday (00:00 UTC) that starts ISO week `week` of `year`. */
function mondayOf(year: number, week: number): Date {
  // January 4th is always in week 1.
  const jan4 = Date.UTC(year, 0, 4);
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  return new Date(monday1 + (week - 1) * 7 * DAY_MS);
}

const WEEK = /^(\d{4})-W(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A week or a day, as the ISO week it names. */
export const weekField = z
  .string()
  .max(20)
  // The shape in the OpenAPI document too (it said any string up to 20 characters); whether the
  // week or the day exists is the transform's to say, with the value in the message.
  .regex(/^\d{4}-(?:W\d{2}|\d{2}-\d{2})$/, 'expected an ISO week `YYYY-Www` or a date `YYYY-MM-DD`')
  .transform((value, ctx) => {
    const week = WEEK.exec(value);
    if (week !== null) {
      const monday = mondayOf(Number(week[1]), Number(week[2]));
      if (Number(week[2]) >= 1 && isoWeekOf(monday) === value) return value;
      ctx.addIssue({ code: 'custom', message: `\`${value}\` is not a week of ${week[1]}` });
      return z.NEVER;
    }
    const day = DAY.exec(value);
    if (day !== null) {
      const date = new Date(`${value}T00:00:00Z`);
      if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)) return isoWeekOf(date);
      ctx.addIssue({ code: 'custom', message: `\`${value}\` is not a date` });
      return z.NEVER;
    }
    ctx.addIssue({ code: 'custom', message: 'expected an ISO week `YYYY-Www` or a date `YYYY-MM-DD`' });
    return z.NEVER;
  });

/** `from` after `to` is a problem at `query.to`, not an empty answer. */
function checkWeeks(value: { from?: unknown; to?: unknown }, ctx: z.RefinementCtx): void {
  const { from, to } = value;
  if (typeof from === 'string' && typeof to === 'string' && WEEK.test(from) && WEEK.test(to) && from > to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must not be before `from`' });
  }
}

export const policyField = {
  policy: text.optional().meta({ description: 'only this policy (its name)' }),
};
export const projectField = {
  project: text.optional().meta({ description: "only this project's instances (its code)" }),
};
export const weekFields = {
  from: weekField
    .optional()
    .meta({ description: 'first ISO week (`2026-W19`) or a day of it (`2026-05-04`)' }),
  to: weekField
    .optional()
    .meta({ description: 'last ISO week, included (or a day of it); not before `from`' }),
};

/**
 * Figures read from weekly rollups (cycle time, SLA breaches, compliance, instances): policy,
 * project and weeks. Without a project they read the every-project totals.
 */
export const weeklyQuery = z
  .strictObject({ ...policyField, ...projectField, ...weekFields })
  .superRefine(checkWeeks);
/** Instances per project: the same names. */
export const instancesQuery = weeklyQuery;
/** Figures of what is open now: policy and project. */
export const currentQuery = z.strictObject({ ...policyField, ...projectField });

export type WeeklyQuery = z.output<typeof weeklyQuery>;
export type InstancesQuery = z.output<typeof instancesQuery>;
export type CurrentQuery = z.output<typeof currentQuery>;

/** The weeks an answer covered, `null` for an open end. */
export const weeksEcho = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
});

export const weeksOf = (query: { from?: string | undefined; to?: string | undefined }) => ({
  from: query.from ?? null,
  to: query.to ?? null,
});
