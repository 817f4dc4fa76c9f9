// Outcome figures as table rows and stacked bars: checks per policy (GET /v1/dashboards/compliance),
// instances per policy and project by outcome (/instances), open tasks per approver by age
// (/approver-load, with the delegations in force) and the waivers ending within 30 days
// (/waivers-expiring, a table). Drill-downs: the audit screen on the policy or the approver,
// a project's portfolio page, an instance's page.
import type { paths } from '../../api-client/client.js';
import { barHeight, barOption } from './chart-options.js';
import type { Figure } from './ChartCard.js';
import { auditLink } from './filter.js';

type Answer<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer A } } } };
}
  ? A
  : never;
export type ComplianceAnswer = Answer<'/v1/dashboards/compliance'>;
export type InstancesAnswer = Answer<'/v1/dashboards/instances'>;
export type LoadAnswer = Answer<'/v1/dashboards/approver-load'>;
export type WaiversAnswer = Answer<'/v1/dashboards/waivers-expiring'>;

export function complianceFigure(a: ComplianceAnswer): Figure {
  const rows = a.byPolicy;
  return {
    columns: ['Policy', 'Passed', 'Failed', 'Waived'],
    rows: rows.map((r) => [r.policy, r.passed, r.failed, r.waived]),
    links: rows.map((r) => auditLink({ policy: r.policy })),
    option: barOption(
      rows.map((r) => r.policy),
      [
        { name: 'Passed', values: rows.map((r) => r.passed) },
        { name: 'Failed', values: rows.map((r) => r.failed) },
        { name: 'Waived', values: rows.map((r) => r.waived) },
      ],
      true,
    ),
    height: barHeight(rows.length),
  };
}

const NO_PROJECT = '(no project)';

export function instancesFigure(a: InstancesAnswer): Figure {
  const rows = a.items;
  return {
    columns: ['Policy', 'Project', 'Started', 'Approved', 'Rejected', 'Cancelled'],
    rows: rows.map((r) => [
      r.policy,
      r.project ?? NO_PROJECT,
      r.started,
      r.approved,
      r.rejected,
      r.cancelled,
    ]),
    links: rows.map((r) =>
      r.project === null ? auditLink({ policy: r.policy }) : `/portfolio/${encodeURIComponent(r.project)}`,
    ),
    option: barOption(
      rows.map((r) => `${r.project ?? NO_PROJECT} (${r.policy})`),
      [
        { name: 'Approved', values: rows.map((r) => r.approved) },
        { name: 'Rejected', values: rows.map((r) => r.rejected) },
        { name: 'Cancelled', values: rows.map((r) => r.cancelled) },
      ],
      true,
    ),
    height: barHeight(rows.length),
  };
}

const AGES = ['<1d', '1-3d', '3-7d', '>7d'] as const;
const AGE_NAMES: Record<(typeof AGES)[number], string> = {
  '<1d': 'Under 1 day',
  '1-3d': '1 to 3 days',
  '3-7d': '3 to 7 days',
  '>7d': 'Over 7 days',
};

export function loadFigure(a: LoadAnswer): Figure {
  const rows = a.items;
  return {
    columns: ['Approver', 'Open', 'Overdue', ...AGES.map((age) => AGE_NAMES[age]), 'Delegated to'],
    rows: rows.map((r) => [
      r.person,
      r.open,
      r.overdue,
      ...AGES.map((age) => r.byAge[age] ?? 0),
      r.delegatedTo.length === 0 ? '—' : r.delegatedTo.join(', '),
    ]),
    links: rows.map((r) => auditLink({ actor: r.person })),
    option: barOption(
      rows.map((r) => r.person),
      AGES.map((age) => ({ name: AGE_NAMES[age], values: rows.map((r) => r.byAge[age] ?? 0) })),
      true,
    ),
    height: barHeight(rows.length),
  };
}

const WHEN = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});
const when = (iso: string): string => WHEN.format(new Date(iso));

export function waiversFigure(a: WaiversAnswer): Figure {
  const rows = a.items;
  return {
    columns: ['Ends', 'Instance', 'Policy', 'Project', 'Step', 'Waived by', 'Waived at'],
    rows: rows.map((r) => [
      when(r.until),
      r.instanceId,
      r.policy,
      r.project ?? NO_PROJECT,
      r.step,
      r.waivedBy,
      when(r.waivedAt),
    ]),
    links: rows.map((r) => `/instances/${encodeURIComponent(r.instanceId)}`),
    option: null,
  };
}
