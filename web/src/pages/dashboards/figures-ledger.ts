// The figures folded from the ledger (GET /v1/dashboards/cycle-time and /sla-breaches) as table
// rows and charts. Durations are shown in hours with two decimals, the same number in the chart,
// the table and the CSV. A drill-down opens the audit screen on the policy (and the approver, as
// `actor`): the ledger search takes no step, so the step's events are the policy's, read there.
import type { paths } from '../../api-client/client.js';
import { barHeight, barOption, weeklyLines } from './chart-options.js';
import type { Figure } from './ChartCard.js';
import { auditLink } from './filter.js';

type Answer<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer A } } } };
}
  ? A
  : never;
export type CycleAnswer = Answer<'/v1/dashboards/cycle-time'>;
export type BreachAnswer = Answer<'/v1/dashboards/sla-breaches'>;

/** Milliseconds as hours with two decimals. */
export const hours = (ms: number): number => Math.round(ms / 36_000) / 100;

/** The fact that records a breach of each kind of task (store/dashboard-fold.ts). */
const BREACH_FACT: Record<string, string> = {
  approval: 'approvalTimedOut',
  attestation: 'checkFailed',
  waiver: 'waiverMissed',
};

const stepName = (r: { policy: string; step: string; task: string }): string =>
  `${r.policy} · ${r.step} (${r.task})`;

export function cycleFigure(a: CycleAnswer): Figure {
  const rows = a.items;
  return {
    columns: [
      'Policy',
      'Step',
      'Task',
      'Closed',
      'p50 (hours)',
      'p90 (hours)',
      'Mean (hours)',
      'Max (hours)',
    ],
    rows: rows.map((r) => [
      r.policy,
      r.step,
      r.task,
      r.count,
      hours(r.p50Ms),
      hours(r.p90Ms),
      hours(r.meanMs),
      hours(r.maxMs),
    ]),
    links: rows.map((r) => auditLink({ policy: r.policy, step: r.step })),
    option: barOption(
      rows.map(stepName),
      [
        { name: 'p50 (hours)', values: rows.map((r) => hours(r.p50Ms)) },
        { name: 'p90 (hours)', values: rows.map((r) => hours(r.p90Ms)) },
      ],
      false,
    ),
    height: barHeight(rows.length * 2),
  };
}

export function cycleTrendFigure(a: CycleAnswer): Figure {
  const rows = a.trend;
  const lines = weeklyLines(rows.map((r) => ({ week: r.week, series: stepName(r), value: hours(r.p50Ms) })));
  return {
    columns: ['Week', 'Policy', 'Step', 'Task', 'Closed', 'p50 (hours)', 'p90 (hours)'],
    rows: rows.map((r) => [r.week, r.policy, r.step, r.task, r.count, hours(r.p50Ms), hours(r.p90Ms)]),
    links: rows.map((r) => auditLink({ policy: r.policy, step: r.step })),
    option: lines.option,
    rowOfClick: lines.rowOfClick,
  };
}

export function breachStepFigure(a: BreachAnswer): Figure {
  const rows = a.byStep;
  return {
    columns: ['Policy', 'Step', 'Task', 'Breaches'],
    rows: rows.map((r) => [r.policy, r.step, r.task, r.breaches]),
    links: rows.map((r) => auditLink({ policy: r.policy, step: r.step, fact: BREACH_FACT[r.task] })),
    option: barOption(
      rows.map(stepName),
      [{ name: 'Breaches', values: rows.map((r) => r.breaches) }],
      false,
      true,
    ),
    height: barHeight(rows.length),
  };
}

/** Says when the approvers listed are the first of more (the route lists those with the most). */
export function approversNote(a: BreachAnswer): string | undefined {
  if (a.approvers <= a.byApprover.length) return undefined;
  return `The ${a.byApprover.length} with the most breaches, of ${a.approvers.toLocaleString('en')} with any.`;
}

export function breachApproverFigure(a: BreachAnswer): Figure {
  const rows = a.byApprover;
  return {
    columns: ['Policy', 'Approver', 'Breaches'],
    rows: rows.map((r) => [r.policy, r.person, r.breaches]),
    links: rows.map((r) => auditLink({ policy: r.policy, actor: r.person })),
    option: barOption(
      rows.map((r) => `${r.person} (${r.policy})`),
      [{ name: 'Breaches', values: rows.map((r) => r.breaches) }],
      false,
      true,
    ),
    height: barHeight(rows.length),
  };
}

export function breachTrendFigure(a: BreachAnswer): Figure {
  const rows = a.trend;
  const lines = weeklyLines(
    rows.map((r) => ({ week: r.week, series: r.policy, value: r.breaches })),
    true,
  );
  return {
    columns: ['Week', 'Policy', 'Breaches'],
    rows: rows.map((r) => [r.week, r.policy, r.breaches]),
    links: rows.map((r) => auditLink({ policy: r.policy })),
    option: lines.option,
    rowOfClick: lines.rowOfClick,
  };
}
