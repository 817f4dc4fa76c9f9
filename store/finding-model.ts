// A finding of a protocol monitor as the store keeps it (store/findings.ts): what a run found wrong
// with one project, who owns it, and what people did about it; the document, its zod schema, the
// store's errors, and the report built from grouped counts. Kept apart from the queries so that
// each file holds one concept.
//
// A finding lives (`open`, then perhaps `acknowledged`) until a person resolves or waives it, or a
// later run finds the project passing and closes it; those three are final. While it lives, its
// `liveKey` is its `key` (`<policy>/<monitor>/<project>`); once it ends the field is gone, so the
// unique partial index on `liveKey` lets the database keep one live finding per key.
import { z } from 'zod';
import { isoDay, parseDoc, policyRefSchema, validDate } from './documents.js';

export const FINDINGS = 'findings';

export const FINDING_STATUSES = ['open', 'acknowledged', 'resolved', 'waived', 'closed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** The statuses of a live finding: the ones a person can still act on and a run still sees. */
export const LIVE_STATUSES: readonly FindingStatus[] = ['open', 'acknowledged'];

export const FINDING_HEALTH = ['amber', 'red'] as const;
export type FindingHealth = (typeof FINDING_HEALTH)[number];

/** What a run found, as the run hands it to `open`. */
export interface OpenFinding {
  policy: { name: string; version: number; sha256: string };
  monitor: string;
  /** The project's code. */
  project: string;
  /** The run's id (its workflow id): recorded as who opened or last saw the finding. */
  runId: string;
  /** The run's scheduled time: the finding's `openedAt` and part of its `_id`. */
  runAt: Date;
  /** The run's day (YYYY-MM-DD, in the monitor's zone): a waiver holds through its `until` day. */
  day: string;
  message: string;
  why: string;
  health: FindingHealth | null;
  owners: string[];
  waivers: string[];
  dueAt: Date | null;
}

export interface Finding {
  /** `<policy>/<monitor>/<project>/<run time as ISO text>`. */
  id: string;
  key: string;
  policy: { name: string; version: number; sha256: string };
  monitor: string;
  project: string;
  status: FindingStatus;
  message: string;
  why: string;
  health: FindingHealth | null;
  owners: string[];
  /** People escalation added, in the order they were added. */
  added: string[];
  /** When escalation last added people; null before it did. */
  addedAt: Date | null;
  /** Who may waive it besides the PMO and admins. */
  waivers: string[];
  dueAt: Date | null;
  openedAt: Date;
  openedByRun: string;
  lastSeenAt: Date;
  lastSeenRun: string;
  acknowledged: { by: string; at: Date; note: string | null } | null;
  resolved: { by: string; at: Date; evidence: string } | null;
  waived: { by: string; at: Date; until: string; reason: string } | null;
  closed: { at: Date; run: string } | null;
  /** When it stopped being live (resolved, waived or closed); null while it lives. */
  endedAt: Date | null;
  version: number;
}

export class FindingNotFoundError extends Error {
  override name = 'FindingNotFoundError';

  constructor(readonly id: string) {
    super(`no finding \`${id}\``);
  }
}

/** The finding is not in a status the action can start from (`status` is where it is). */
export class FindingNotLiveError extends Error {
  override name = 'FindingNotLiveError';

  constructor(
    readonly id: string,
    readonly status: FindingStatus,
  ) {
    super(`finding \`${id}\` is ${status}`);
  }
}

/** The finding is at another version than the one the caller acted on. */
export class FindingVersionConflictError extends Error {
  override name = 'FindingVersionConflictError';

  constructor(
    readonly id: string,
    readonly expected: number,
    readonly currentVersion: number,
  ) {
    super(`finding \`${id}\` is at version ${currentVersion}, not ${expected}`);
  }
}

export const keyOf = (policy: string, monitor: string, project: string): string =>
  `${policy}/${monitor}/${project}`;

export const findingIdOf = (key: string, runAt: Date): string => `${key}/${runAt.toISOString()}`;

const person = z.string().min(1);

export const findingDocSchema = z.object({
  _id: z.string(),
  key: z.string(),
  liveKey: z.string().optional(),
  policy: policyRefSchema,
  monitor: z.string(),
  project: z.string(),
  status: z.enum(FINDING_STATUSES),
  message: z.string(),
  why: z.string(),
  health: z.enum(FINDING_HEALTH).nullable(),
  owners: z.array(person),
  added: z.array(person),
  addedAt: validDate.nullable(),
  /** owners and added together: what the list's `person` filter reads through one index. */
  people: z.array(person),
  waivers: z.array(person),
  dueAt: validDate.nullable(),
  openedAt: validDate,
  openedByRun: z.string(),
  lastSeenAt: validDate,
  lastSeenRun: z.string(),
  acknowledged: z.object({ by: person, at: validDate, note: z.string().nullable() }).nullable(),
  resolved: z.object({ by: person, at: validDate, evidence: z.string() }).nullable(),
  waived: z.object({ by: person, at: validDate, until: isoDay, reason: z.string() }).nullable(),
  closed: z.object({ at: validDate, run: z.string() }).nullable(),
  endedAt: validDate.nullable(),
  version: z.number().int().min(1),
});
export type FindingDoc = z.infer<typeof findingDocSchema>;

/** The input of `open`, checked before anything is written (RangeError naming the field). */
const openFindingSchema = z.object({
  policy: policyRefSchema,
  monitor: z.string().min(1),
  project: z.string().min(1),
  runId: z.string().min(1),
  runAt: validDate,
  day: isoDay,
  message: z.string(),
  why: z.string(),
  health: z.enum(FINDING_HEALTH).nullable(),
  owners: z.array(person),
  waivers: z.array(person),
  dueAt: validDate.nullable(),
});

/** `input` checked before anything is written: RangeError naming the first bad field. */
export function parseOpenFinding(input: OpenFinding): OpenFinding {
  const result = openFindingSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue === undefined || issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
  throw new RangeError(`finding: ${path}: ${issue?.message ?? 'invalid'}`);
}

/** The document of a new, open finding. */
export function newFindingDoc(input: OpenFinding): FindingDoc {
  const key = keyOf(input.policy.name, input.monitor, input.project);
  const owners = [...new Set(input.owners)];
  return {
    _id: findingIdOf(key, input.runAt),
    key,
    liveKey: key,
    policy: { name: input.policy.name, version: input.policy.version, sha256: input.policy.sha256 },
    monitor: input.monitor,
    project: input.project,
    status: 'open',
    message: input.message,
    why: input.why,
    health: input.health,
    owners,
    added: [],
    addedAt: null,
    people: owners,
    waivers: [...new Set(input.waivers)],
    dueAt: input.dueAt,
    openedAt: input.runAt,
    openedByRun: input.runId,
    lastSeenAt: input.runAt,
    lastSeenRun: input.runId,
    acknowledged: null,
    resolved: null,
    waived: null,
    closed: null,
    endedAt: null,
    version: 1,
  };
}

/** A stored finding document, checked (zod on read) before the store decides anything on it. */
export const readFindingDoc = (raw: unknown): FindingDoc => parseDoc(findingDocSchema, raw, FINDINGS);

/** A stored finding as the store answers it (zod on read); `liveKey` and `people` stay inside. */
export function toFinding(raw: unknown): Finding {
  const d = readFindingDoc(raw);
  return {
    id: d._id,
    key: d.key,
    policy: d.policy,
    monitor: d.monitor,
    project: d.project,
    status: d.status,
    message: d.message,
    why: d.why,
    health: d.health,
    owners: d.owners,
    added: d.added,
    addedAt: d.addedAt,
    waivers: d.waivers,
    dueAt: d.dueAt,
    openedAt: d.openedAt,
    openedByRun: d.openedByRun,
    lastSeenAt: d.lastSeenAt,
    lastSeenRun: d.lastSeenRun,
    acknowledged: d.acknowledged,
    resolved: d.resolved,
    waived: d.waived,
    closed: d.closed,
    endedAt: d.endedAt,
    version: d.version,
  };
}

/** Open (live) findings by how long ago they were opened. */
export interface AgeCounts {
  /** Opened less than 7 days ago. */
  under7: number;
  /** 7 to 30 days ago. */
  from7to30: number;
  /** More than 30 days ago. */
  over30: number;
}

export interface FindingsReport {
  at: Date;
  /** Projects with live findings, most first (then by code). */
  projects: {
    project: string;
    open: number;
    byAge: AgeCounts;
    /** By policy and monitor name. */
    byMonitor: { policy: string; monitor: string; open: number }[];
  }[];
  totals: { open: number; byAge: AgeCounts };
  /** Mean of endedAt - openedAt over every resolved, waived or closed finding; null when none. */
  timeToResolve: { meanHours: number | null; over: number };
}

/** One group of the report's aggregation: live findings of one (project, policy, monitor). */
export interface LiveGroup {
  project: string;
  policy: string;
  monitor: string;
  under7: number;
  from7to30: number;
  over30: number;
}

const noAges = (): AgeCounts => ({ under7: 0, from7to30: 0, over30: 0 });

const addAges = (into: AgeCounts, from: AgeCounts): void => {
  into.under7 += from.under7;
  into.from7to30 += from.from7to30;
  into.over30 += from.over30;
};

const total = (ages: AgeCounts): number => ages.under7 + ages.from7to30 + ages.over30;

/** The report from the aggregation's groups and the ended findings' count and summed duration. */
export function reportOf(
  at: Date,
  groups: readonly LiveGroup[],
  ended: { count: number; totalMs: number },
): FindingsReport {
  const byProject = new Map<string, FindingsReport['projects'][number]>();
  const totals = noAges();
  for (const g of groups) {
    const row = byProject.get(g.project) ?? { project: g.project, open: 0, byAge: noAges(), byMonitor: [] };
    byProject.set(g.project, row);
    addAges(row.byAge, g);
    addAges(totals, g);
    row.open = total(row.byAge);
    row.byMonitor.push({ policy: g.policy, monitor: g.monitor, open: total(g) });
  }
  const projects = [...byProject.values()];
  for (const row of projects) {
    row.byMonitor.sort((a, b) => a.policy.localeCompare(b.policy) || a.monitor.localeCompare(b.monitor));
  }
  projects.sort((a, b) => b.open - a.open || a.project.localeCompare(b.project));
  return {
    at,
    projects,
    totals: { open: total(totals), byAge: totals },
    timeToResolve: {
      meanHours: ended.count === 0 ? null : ended.totalMs / ended.count / 3_600_000,
      over: ended.count,
    },
  };
}
