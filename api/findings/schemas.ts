// The request and answer shapes of /v1/findings and /v1/reports/findings: the list's filters, the
// bodies of acknowledge, resolve and waive (each with the optional version a conflict is checked
// against), a finding as the API shows it (with what the caller may do with it), and the report.
// What a schema can check alone is checked here, with field paths; a waiver's `until` against
// today is the route's, since only it knows the time.
import { z } from 'zod';
import { type Finding, FINDING_HEALTH, FINDING_STATUSES, type FindingsReport } from '../../store/index.js';
import { pageQuery } from '../paging.js';
import { calendarDate, projectCode } from '../projects/schemas.js';

/** How long a waiver may run: the PMO looks at it again within a year. */
export const MAX_WAIVER_DAYS = 365;
export const MAX_TEXT = 2000;

export const LIST_STATUSES = ['live', ...FINDING_STATUSES] as const;

const monitorName = z
  .string()
  .max(100)
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'expected a monitor name as the policy writes it (e.g. risk_review_current)',
  );

export const findingsQuery = pageQuery.extend({
  status: z.enum(LIST_STATUSES).optional().describe('`live`: open or acknowledged; or one status'),
  project: projectCode.optional(),
  monitor: monitorName.optional(),
  policy: z.string().trim().min(1).max(500).optional().describe("the policy's name"),
  mine: z
    .enum(['true', 'false'])
    .default('false')
    .transform((text) => text === 'true')
    .describe("true: only the caller's findings, as an owner or a person escalation added"),
});

/** A finding's id: `<policy>/<monitor>/<project>/<run time>`, URL-encoded as one path segment. */
export const findingParams = z.object({ id: z.string().min(1).max(1000) });

const version = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe('the version the action was decided on; 409 `version-conflict` if stale');

export const acknowledgeBody = z.strictObject({
  note: z.string().trim().max(MAX_TEXT).optional().describe('what the owner is doing about it'),
  version,
});

export const resolveBody = z.strictObject({
  evidence: z
    .string()
    .trim()
    .min(1, 'say what shows it is resolved (a document, a ticket, a decision)')
    .max(MAX_TEXT),
  version,
});

export const waiveBody = z.strictObject({
  until: calendarDate.describe(
    `the last day the waiver holds: after today, at most ${MAX_WAIVER_DAYS} days ahead`,
  ),
  reason: z.string().trim().min(1, 'say why the project may skip this rule for now').max(MAX_TEXT),
  version,
});

const instant = z.string();
const person = z.string();

export const findingView = z.object({
  id: z.string(),
  key: z.string().describe('`<policy>/<monitor>/<project>`: at most one live finding each'),
  policy: z.object({ name: z.string(), version: z.number().int(), sha256: z.string() }),
  monitor: z.string(),
  project: z.string(),
  status: z.enum(FINDING_STATUSES),
  message: z.string(),
  why: z.string().describe('why the project failed the monitor, in business words'),
  health: z.enum(FINDING_HEALTH).nullable().describe('the health the finding gives its project while live'),
  owners: z.array(person),
  added: z.array(person).describe('people escalation added'),
  addedAt: instant.nullable(),
  waivers: z.array(person).describe('who may waive it besides the PMO and admins'),
  dueAt: instant.nullable(),
  openedAt: instant,
  openedByRun: z.string(),
  lastSeenAt: instant.describe('the latest run that found the project still failing'),
  lastSeenRun: z.string(),
  acknowledged: z.object({ by: person, at: instant, note: z.string().nullable() }).nullable(),
  resolved: z.object({ by: person, at: instant, evidence: z.string() }).nullable(),
  waived: z.object({ by: person, at: instant, until: z.string(), reason: z.string() }).nullable(),
  closed: z.object({ at: instant, run: z.string() }).nullable(),
  endedAt: instant.nullable(),
  version: z.number().int(),
  may: z
    .object({ acknowledge: z.boolean(), resolve: z.boolean(), waive: z.boolean() })
    .describe('what the caller may do with it now (their roles, the finding’s people and its status)'),
});
export type FindingView = z.infer<typeof findingView>;

const ages = z.object({
  under7: z.number().int().describe('opened less than 7 days ago'),
  from7to30: z.number().int().describe('7 to 30 days ago'),
  over30: z.number().int().describe('more than 30 days ago'),
});

export const reportView = z.object({
  at: instant,
  projects: z.array(
    z.object({
      project: z.string(),
      open: z.number().int(),
      byAge: ages,
      byMonitor: z.array(z.object({ policy: z.string(), monitor: z.string(), open: z.number().int() })),
    }),
  ),
  totals: z.object({ open: z.number().int(), byAge: ages }),
  timeToResolve: z
    .object({
      meanHours: z.number().nullable().describe('to one decimal; null when no finding has ended'),
      over: z.number().int().describe('resolved, waived and closed findings it is the mean of'),
    })
    .describe('from opening to resolved, waived or closed'),
});

const iso = (at: Date | null): string | null => (at === null ? null : at.toISOString());

export const showFinding = (f: Finding, may: FindingView['may']): FindingView => ({
  id: f.id,
  key: f.key,
  policy: { name: f.policy.name, version: f.policy.version, sha256: f.policy.sha256 },
  monitor: f.monitor,
  project: f.project,
  status: f.status,
  message: f.message,
  why: f.why,
  health: f.health,
  owners: [...f.owners],
  added: [...f.added],
  addedAt: iso(f.addedAt),
  waivers: [...f.waivers],
  dueAt: iso(f.dueAt),
  openedAt: f.openedAt.toISOString(),
  openedByRun: f.openedByRun,
  lastSeenAt: f.lastSeenAt.toISOString(),
  lastSeenRun: f.lastSeenRun,
  acknowledged: f.acknowledged && { ...f.acknowledged, at: f.acknowledged.at.toISOString() },
  resolved: f.resolved && { ...f.resolved, at: f.resolved.at.toISOString() },
  waived: f.waived && { ...f.waived, at: f.waived.at.toISOString() },
  closed: f.closed && { ...f.closed, at: f.closed.at.toISOString() },
  endedAt: iso(f.endedAt),
  version: f.version,
  may,
});

export const showReport = (r: FindingsReport): z.infer<typeof reportView> => ({
  at: r.at.toISOString(),
  projects: r.projects,
  totals: r.totals,
  timeToResolve: {
    meanHours: r.timeToResolve.meanHours === null ? null : Math.round(r.timeToResolve.meanHours * 10) / 10,
    over: r.timeToResolve.over,
  },
});
