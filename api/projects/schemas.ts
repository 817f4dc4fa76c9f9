// The request and answer shapes of /v1/projects and /v1/portfolio: a project as a record (code,
// phase, people, budget, dates, health, tags), its change history and the PMO's list of phases.
// What a schema can check alone is checked here, with field paths; what needs the store (is the
// phase one of the PMO's, are the people active, does end follow a stored start) is the routes'.
// Money stays exact decimal text (engine/ir/decimal.ts): a JSON number would round it.
import { z } from 'zod';
import { decimalText, isWithinLimits, parseDecimal } from '../../engine/ir/decimal.js';
import { HEALTH, type Project, type ProjectChange } from '../../store/projects.js';
import { personId } from '../directory/schemas.js';
import { type FindingsHealth, findingsHealthView } from '../findings/health.js';
import { pageQuery } from '../paging.js';

/** A project's code as people say it: `ERP-2027`. Capitals, so that one project has one code. */
export const projectCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, 'expected a code of capitals, digits and "-" (e.g. ERP-2027)');

export const phaseName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,29}$/, 'expected a phase name of small letters, digits and "-" (e.g. build)');

export const MAX_PHASES = 20;
export const MAX_TAGS = 20;

export const tagName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected a tag of small letters, digits and "-"');

/** A calendar date, `YYYY-MM-DD`, a real day of its year (no 2027-02-30). */
export const calendarDate = z.iso.date('expected a date as YYYY-MM-DD');

/** A positive or zero amount, any plain decimal (`1200.50`), kept as its canonical text (`1200.5`). */
const amount = z
  .string()
  .max(220)
  .refine((text) => {
    const d = parseDecimal(text);
    return d !== undefined && isWithinLimits(d) && d.units >= 0n;
  }, 'expected a decimal amount as text, zero or more (e.g. "1200000.50")')
  .transform((text) => {
    const d = parseDecimal(text);
    return d === undefined ? text : decimalText(d);
  });

export const budget = z.strictObject({
  amount,
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code of 3 capitals (e.g. EUR)'),
});

export const health = z.strictObject({
  status: z.enum(HEALTH),
  reason: z.string().trim().min(1).max(500).nullable(),
});

const tags = z
  .array(tagName)
  .max(MAX_TAGS)
  .refine((list) => new Set(list).size === list.length, 'each tag at most once');

export const projectName = z.string().trim().min(1, 'name the project').max(200);

/** The fields a project is created with or patched by, each on its own. */
const fieldShapes = {
  name: projectName,
  phase: phaseName,
  manager: personId.nullable(),
  sponsor: personId.nullable(),
  budget: budget.nullable(),
  start: calendarDate.nullable(),
  end: calendarDate.nullable(),
  health,
  tags,
};

/** The problem of a date range, at `end`: a project cannot end before it starts. */
export function endProblem(start: string | null | undefined, end: string | null | undefined): string | null {
  if (typeof start !== 'string' || typeof end !== 'string') return null;
  if (!calendarDate.safeParse(start).success || !calendarDate.safeParse(end).success) return null;
  // YYYY-MM-DD texts compare as their dates.
  return end < start ? `must not be before start (${start})` : null;
}

/** A new project: a code, a name and a phase; the rest may be left out (none, no tags, green). */
export const createProjectBody = z
  .strictObject({
    code: projectCode,
    name: fieldShapes.name,
    phase: fieldShapes.phase,
    manager: fieldShapes.manager.default(null),
    sponsor: fieldShapes.sponsor.default(null),
    budget: fieldShapes.budget.default(null),
    start: fieldShapes.start.default(null),
    end: fieldShapes.end.default(null),
    health: fieldShapes.health.default({ status: 'green', reason: null }),
    tags: fieldShapes.tags.default([]),
  })
  .superRefine(
    (body, ctx) => {
      const problem = endProblem(body.start, body.end);
      if (problem !== null) ctx.addIssue({ code: 'custom', path: ['end'], message: problem });
    },
    // Also when other fields are wrong: every problem of the request in one answer.
    { when: () => true },
  );

/**
 * Some fields of a project, and the version the caller last read (a conflict is refused when
 * given). The range check against the stored dates is the route's: only it knows them.
 */
export const patchProjectBody = z
  .strictObject({
    version: z.number().int().min(1).optional().describe('the version the change was made on; 409 if stale'),
    name: fieldShapes.name.optional(),
    phase: fieldShapes.phase.optional(),
    manager: fieldShapes.manager.optional(),
    sponsor: fieldShapes.sponsor.optional(),
    budget: fieldShapes.budget.optional(),
    start: fieldShapes.start.optional(),
    end: fieldShapes.end.optional(),
    health: fieldShapes.health.optional(),
    tags: fieldShapes.tags.optional(),
  })
  .superRefine((body, ctx) => {
    if (Object.keys(body).every((key) => key === 'version')) {
      ctx.addIssue({ code: 'custom', path: [], message: 'change at least one field' });
    }
  });

export const projectParams = z.object({ code: projectCode });

export const projectsQuery = pageQuery.extend({
  phase: phaseName.optional(),
  health: z.enum(HEALTH).optional(),
  manager: personId.optional(),
  tag: tagName.optional(),
});

/** The PMO's phases, in the order a project goes through them. */
export const phasesBody = z.strictObject({
  phases: z
    .array(phaseName)
    .min(1, 'name at least one phase')
    .max(MAX_PHASES)
    .refine((list) => new Set(list).size === list.length, 'each phase at most once'),
});

// Answers: what the store holds, dates as ISO 8601 text.
export const projectView = z.object({
  code: z.string(),
  version: z.number().int(),
  name: z.string(),
  phase: z.string(),
  manager: z.string().nullable(),
  sponsor: z.string().nullable(),
  budget: z.object({ amount: z.string(), currency: z.string() }).nullable(),
  start: z.string().nullable(),
  end: z.string().nullable(),
  health: z.object({ status: z.enum(HEALTH), reason: z.string().nullable() }),
  /** Beside the health kept by hand, never over it (api/findings/health.ts). */
  findingsHealth: findingsHealthView,
  tags: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

export const changeView = z.object({
  code: z.string(),
  version: z.number().int(),
  at: z.string(),
  by: z.string(),
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
});

export const phasesView = z.object({ phases: z.array(z.string()) });

/** The list's filters without its paging: what the CSV export takes. */
export const exportQuery = projectsQuery.omit({ limit: true, cursor: true });

export const importQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((text) => text === 'true')
    .describe('true: check every row and answer what would happen, writing nothing'),
});

export const IMPORT_OUTCOMES = ['created', 'updated', 'unchanged', 'invalid'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

export const importRowView = z.object({
  row: z.number().int().describe('the line the row starts on; the header is row 1'),
  code: z.string().nullable(),
  outcome: z.enum(IMPORT_OUTCOMES),
  /** The fields the row changes (all of them for a new project). */
  changes: z.array(z.string()),
  /** `row 3, column phase: ...` */
  problems: z.array(z.string()),
});

export const importView = z.object({
  dryRun: z.boolean(),
  /** Whether the rows were written (all of them, in one transaction); never on a dry run. */
  written: z.boolean(),
  message: z.string(),
  counts: z.object({
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    invalid: z.number().int(),
  }),
  rows: z.array(importRowView),
});

export const unlinkedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const unlinkedView = z.object({
  items: z.array(
    z.object({
      text: z.string().describe('the project text the instances were started with'),
      instances: z.number().int(),
      newestStart: z.string(),
      suggestion: z.string().nullable().describe('an open project whose code is close to the text'),
      newCode: z.string().nullable().describe('the text as a project code, to create it with'),
    }),
  ),
  total: z.number().int().describe('texts that name no project, all told'),
});

export const linkingBody = z.strictObject({
  requireKnownProject: z
    .boolean()
    .describe('refuse an instance start whose input `project` is not an open project’s code'),
});
export const linkingView = z.object({ requireKnownProject: z.boolean() });

export const showProject = (
  p: Project,
  findingsHealth: FindingsHealth = null,
): z.infer<typeof projectView> => ({
  code: p.code,
  version: p.version,
  name: p.name,
  phase: p.phase,
  manager: p.manager,
  sponsor: p.sponsor,
  budget: p.budget === null ? null : { amount: p.budget.amount, currency: p.budget.currency },
  start: p.start,
  end: p.end,
  health: { status: p.health.status, reason: p.health.reason },
  findingsHealth,
  tags: [...p.tags],
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
  updatedBy: p.updatedBy,
});

export const showChange = (c: ProjectChange): z.infer<typeof changeView> => ({
  code: c.code,
  version: c.version,
  at: c.at.toISOString(),
  by: c.by,
  changes: c.changes.map((change) => ({ field: change.field, from: change.from, to: change.to })),
});
