// The PMO's dashboard numbers, folded from the streams of store/reports.ts: cycle times and
// SLA breaches per policy and step (from tasks), decisions per approver (from the ledger, where
// "on behalf of" is recorded), and open tasks by age per policy. Groups come back sorted so that a
// dashboard and a test read them in a stable order.
import type { ReportQueries, TaskFact } from '../../store/reports.js';
import { meaningOf, type Vote } from '../audit/classify.js';

export interface ReportScope {
  policyName?: string;
  from?: Date;
  to?: Date;
}

const DAY_MS = 24 * 3600 * 1000;

const byKey = <T>(map: Map<string, T>): T[] =>
  [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);

function groupOf<T>(map: Map<string, T>, key: unknown[], create: () => T): T {
  const k = JSON.stringify(key);
  let group = map.get(k);
  if (group === undefined) {
    group = create();
    map.set(k, group);
  }
  return group;
}

/** Nearest-rank percentile of ascending `sorted` (non-empty). */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? 0;
}

export interface CycleTimeRow {
  policy: string;
  step: string;
  count: number;
  p50Ms: number;
  p90Ms: number;
  maxMs: number;
}

/** Open to close of every task closed in the window, per policy and step. */
export async function cycleTimes(reports: ReportQueries, scope: ReportScope): Promise<CycleTimeRow[]> {
  const groups = new Map<string, { policy: string; step: string; durations: number[] }>();
  for await (const task of reports.closedTasks(scope)) {
    if (task.closedAt === null) continue;
    const group = groupOf(groups, [task.policy.name, task.step], () => ({
      policy: task.policy.name,
      step: task.step,
      durations: [] as number[],
    }));
    group.durations.push(Math.max(0, task.closedAt.getTime() - task.openedAt.getTime()));
  }
  return byKey(groups).map(({ policy, step, durations }) => {
    const sorted = durations.sort((a, b) => a - b);
    return {
      policy,
      step,
      count: sorted.length,
      p50Ms: percentile(sorted, 0.5),
      p90Ms: percentile(sorted, 0.9),
      maxMs: sorted.at(-1) ?? 0,
    };
  });
}

// The close reasons the machine gives a task whose deadline ran out (approvals.ts closeApproval,
// checks.ts for a missed attestation, waivers.ts onWaiverDue): a timeout closes at the deadline,
// not after it, so the reason is what tells it apart from a decision made in time.
const TIMEOUT_REASON: Record<TaskFact['kind'], RegExp> = {
  approval: / (approved by timeout|rejected by timeout|failed)$/,
  attestation: / (flagged|failed)$/,
  waiver: /: no waiver in time$/,
};

export function breachedSla(task: TaskFact): boolean {
  if (task.closeReason !== null && TIMEOUT_REASON[task.kind].test(task.closeReason)) return true;
  return task.dueAt !== null && task.closedAt !== null && task.closedAt.getTime() > task.dueAt.getTime();
}

export interface SlaRow {
  policy: string;
  step: string;
  closed: number;
  breached: number;
  /** breached / closed, 0 when nothing closed. */
  breachRate: number;
  /** Still open and already past their deadline (not in the rate: they have not closed yet). */
  openOverdue: number;
}

export async function slaBreaches(reports: ReportQueries, scope: ReportScope, now: Date): Promise<SlaRow[]> {
  const groups = new Map<string, SlaRow>();
  const rowFor = (task: TaskFact): SlaRow =>
    groupOf(groups, [task.policy.name, task.step], () => ({
      policy: task.policy.name,
      step: task.step,
      closed: 0,
      breached: 0,
      breachRate: 0,
      openOverdue: 0,
    }));
  for await (const task of reports.closedTasks(scope)) {
    const row = rowFor(task);
    row.closed++;
    if (breachedSla(task)) row.breached++;
  }
  const policyOnly = scope.policyName === undefined ? {} : { policyName: scope.policyName };
  for await (const task of reports.openTasks(policyOnly)) {
    if (task.dueAt !== null && task.dueAt.getTime() < now.getTime()) rowFor(task).openOverdue++;
  }
  return byKey(groups).map((row) => ({
    ...row,
    breachRate: row.closed === 0 ? 0 : Math.round((row.breached / row.closed) * 10_000) / 10_000,
  }));
}

type VoteCounts = Record<Vote, number>;

export interface ApproverRow extends VoteCounts {
  person: string;
  /** Decisions this person made as a delegate, on behalf of someone else. */
  onBehalfOf: VoteCounts;
}

const noVotes = (): VoteCounts => ({ approved: 0, rejected: 0, changesRequested: 0 });

/** Decisions recorded in the ledger in the window, per person who made them. */
export async function approvalsByApprover(
  reports: ReportQueries,
  scope: ReportScope,
): Promise<ApproverRow[]> {
  const people = new Map<string, ApproverRow>();
  for await (const event of reports.ledgerEvents({ ...scope, type: 'action' })) {
    const meaning = meaningOf(event);
    if (meaning.kind !== 'vote') continue;
    const row = groupOf(people, [meaning.actor], () => ({
      person: meaning.actor,
      ...noVotes(),
      onBehalfOf: noVotes(),
    }));
    if (meaning.onBehalfOf === null) row[meaning.vote]++;
    else row.onBehalfOf[meaning.vote]++;
  }
  return byKey(people);
}

export const AGE_BUCKETS = ['<1d', '1-3d', '3-7d', '>7d'] as const;
type AgeBucket = (typeof AGE_BUCKETS)[number];

export interface OpenAgeRow {
  policy: string;
  total: number;
  overdue: number;
  byAge: Record<AgeBucket, number>;
}

export function ageBucket(openedAt: Date, now: Date): AgeBucket {
  const days = (now.getTime() - openedAt.getTime()) / DAY_MS;
  return days < 1 ? '<1d' : days < 3 ? '1-3d' : days < 7 ? '3-7d' : '>7d';
}

export async function openTasksByAge(
  reports: ReportQueries,
  scope: { policyName?: string },
  now: Date,
): Promise<OpenAgeRow[]> {
  const groups = new Map<string, OpenAgeRow>();
  for await (const task of reports.openTasks(scope)) {
    const row = groupOf(groups, [task.policy.name], () => ({
      policy: task.policy.name,
      total: 0,
      overdue: 0,
      byAge: { '<1d': 0, '1-3d': 0, '3-7d': 0, '>7d': 0 },
    }));
    row.total++;
    row.byAge[ageBucket(task.openedAt, now)]++;
    if (task.dueAt !== null && task.dueAt.getTime() < now.getTime()) row.overdue++;
  }
  return byKey(groups);
}
