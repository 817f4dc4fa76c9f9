// The compliance summary an auditor asks for per policy and project: of the instances started in a
// window, how many ended, how many compliantly, and the failed checks, waivers, SLA breaches and
// timeout outcomes behind the rest. Computed from the ledger alone (it outlives Temporal's
// histories) in two streamed passes: the `started` events pick the cohort, then the cohort's own
// events are folded per instance. Only a few marks per instance are kept, ordered by `seq` at the
// end: the streams read in index order, and a sort over a whole cohort would have to be held.
import { z } from 'zod';
import type { LedgerFact, ReportQueries } from '../../store/reports.js';
import { meaningOf, type TimeoutOutcome } from './classify.js';

export interface SummaryScope {
  policyName?: string;
  project?: string;
  from?: Date;
  to?: Date;
}

const countsShape = {
  instances: z.number().int(),
  running: z.number().int(),
  ended: z.object({ approved: z.number().int(), rejected: z.number().int(), cancelled: z.number().int() }),
  compliant: z.number().int(),
  failedChecks: z.number().int(),
  waivers: z.number().int(),
  slaBreaches: z.number().int(),
  timeoutOutcomes: z.object({
    approvedByTimeout: z.number().int(),
    rejectedByTimeout: z.number().int(),
    failed: z.number().int(),
    escalated: z.number().int(),
  }),
};

export const summarySchema = z.object({
  window: z.object({ from: z.iso.datetime().nullable(), to: z.iso.datetime().nullable() }),
  groups: z.array(z.object({ policy: z.string(), project: z.string().nullable(), ...countsShape })),
  totals: z.object(countsShape),
});
export type ComplianceSummary = z.infer<typeof summarySchema>;
type Counts = z.infer<z.ZodObject<typeof countsShape>>;

/** What one instance contributed, folded from its events. */
interface InstanceMarks {
  policy: string;
  project: string | null;
  ended: string | null;
  /** (seq, step, failed?) of every check failure and waiver: the last one per step decides. */
  checks: { seq: number; step: string; failed: boolean }[];
  failedChecks: number;
  waivers: number;
  slaBreaches: number;
  timeouts: Record<TimeoutOutcome, number>;
}

const emptyCounts = (): Counts => ({
  instances: 0,
  running: 0,
  ended: { approved: 0, rejected: 0, cancelled: 0 },
  compliant: 0,
  failedChecks: 0,
  waivers: 0,
  slaBreaches: 0,
  timeoutOutcomes: { approvedByTimeout: 0, rejectedByTimeout: 0, failed: 0, escalated: 0 },
});

function fold(marks: InstanceMarks, event: LedgerFact): void {
  const meaning = meaningOf(event);
  switch (meaning.kind) {
    case 'ended':
      marks.ended = meaning.outcome;
      return;
    case 'checkFailed':
      marks.failedChecks++;
      if (meaning.deadline) marks.slaBreaches++;
      marks.checks.push({ seq: event.seq, step: meaning.step, failed: true });
      return;
    case 'waiver':
      marks.waivers++;
      marks.checks.push({ seq: event.seq, step: meaning.step, failed: false });
      return;
    case 'waiverMissed':
      marks.slaBreaches++;
      return;
    case 'approvalTimeout':
      marks.slaBreaches++;
      marks.timeouts[meaning.outcome]++;
      return;
    default:
      return;
  }
}

/** Ended approved, and every check that failed was waived after its (last) failure. */
function isCompliant(marks: InstanceMarks): boolean {
  if (marks.ended !== 'approved') return false;
  const last = new Map<string, boolean>();
  for (const check of [...marks.checks].sort((a, b) => a.seq - b.seq)) last.set(check.step, check.failed);
  return ![...last.values()].some((failed) => failed);
}

function add(into: Counts, marks: InstanceMarks): void {
  into.instances++;
  if (marks.ended === null) into.running++;
  else if (marks.ended === 'approved' || marks.ended === 'rejected' || marks.ended === 'cancelled')
    into.ended[marks.ended]++;
  if (isCompliant(marks)) into.compliant++;
  into.failedChecks += marks.failedChecks;
  into.waivers += marks.waivers;
  into.slaBreaches += marks.slaBreaches;
  for (const key of Object.keys(marks.timeouts) as TimeoutOutcome[])
    into.timeoutOutcomes[key] += marks.timeouts[key];
}

export async function complianceSummary(
  reports: ReportQueries,
  scope: SummaryScope,
): Promise<ComplianceSummary> {
  const cohort = new Map<string, InstanceMarks>();
  for await (const started of reports.ledgerEvents({ ...scope, type: 'started' })) {
    cohort.set(started.instanceId, {
      policy: started.policy.name,
      project: started.project,
      ended: null,
      checks: [],
      failedChecks: 0,
      waivers: 0,
      slaBreaches: 0,
      timeouts: { approvedByTimeout: 0, rejectedByTimeout: 0, failed: 0, escalated: 0 },
    });
  }
  for await (const event of reports.eventsOfInstances([...cohort.keys()], scope.from)) {
    const marks = cohort.get(event.instanceId);
    if (marks !== undefined) fold(marks, event);
  }

  const groups = new Map<string, { policy: string; project: string | null; counts: Counts }>();
  const totals = emptyCounts();
  for (const marks of cohort.values()) {
    const key = JSON.stringify([marks.policy, marks.project]);
    let group = groups.get(key);
    if (group === undefined) {
      group = { policy: marks.policy, project: marks.project, counts: emptyCounts() };
      groups.set(key, group);
    }
    add(group.counts, marks);
    add(totals, marks);
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    window: { from: scope.from?.toISOString() ?? null, to: scope.to?.toISOString() ?? null },
    groups: sorted.map(([, g]) => ({ policy: g.policy, project: g.project, ...g.counts })),
    totals,
  };
}
