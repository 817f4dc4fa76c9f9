// The PMO dashboard's figures, shaped for charts from the store's rollups (store/dashboards.ts):
// rows sorted by their names so that a chart and a test read them in a stable order, weeks as
// `YYYY-Www`. Percentiles come from each cell's fixed log-spaced histogram (dashboard-model.ts):
// summed over the weeks and then read, they are the upper edge of the bucket holding the
// nearest-rank sample, capped at the longest duration: never below the true value, at most 41%
// above it. Approver load is read from the projector's per-person cells (store/dashboard-load.ts),
// its ages bucketed at the request's time.
import { addHistogram, percentileOf } from '../../store/dashboard-model.js';
import type { LoadScope } from '../../store/dashboard-load.js';
import type { RollupDoc, Store, WaiverDoc } from '../../store/index.js';

const DAY_MS = 24 * 3600 * 1000;

const compare = (a: readonly string[], b: readonly string[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/** Cells grouped by `keyOf`, each group's cells summed; sorted by the key. */
function grouped<T>(
  docs: readonly RollupDoc[],
  keyOf: (d: RollupDoc) => string[],
  make: (key: string[], docs: RollupDoc[]) => T,
) {
  const groups = new Map<string, { key: string[]; docs: RollupDoc[] }>();
  for (const doc of docs) {
    const key = keyOf(doc);
    const id = JSON.stringify(key);
    const group = groups.get(id) ?? { key, docs: [] };
    group.docs.push(doc);
    groups.set(id, group);
  }
  return [...groups.values()].sort((a, b) => compare(a.key, b.key)).map((g) => make(g.key, g.docs));
}

const sum = (docs: readonly RollupDoc[], counter: string): number =>
  docs.reduce((total, d) => total + (d.n[counter] ?? 0), 0);

export interface CycleRow {
  policy: string;
  step: string;
  task: string;
  count: number;
  p50Ms: number;
  p90Ms: number;
  meanMs: number;
  maxMs: number;
}

function cycleOf(docs: readonly RollupDoc[]): Omit<CycleRow, 'policy' | 'step' | 'task'> {
  const hist: Record<string, number> = {};
  for (const d of docs) addHistogram(hist, d.hist);
  const count = sum(docs, 'closed');
  const maxMs = Math.max(0, ...docs.map((d) => d.maxMs));
  const total = docs.reduce((t, d) => t + d.sumMs, 0);
  return {
    count,
    p50Ms: percentileOf(hist, 0.5, maxMs),
    p90Ms: percentileOf(hist, 0.9, maxMs),
    meanMs: count === 0 ? 0 : Math.round(total / count),
    maxMs,
  };
}

/** Cycle time per policy, step and task kind over the weeks, and per week for the trend. */
export function cycleTimes(docs: readonly RollupDoc[]) {
  return {
    items: grouped(
      docs,
      (d) => [d.policy, d.key, d.part],
      ([policy = '', step = '', task = ''], g) => ({
        policy,
        step,
        task,
        ...cycleOf(g),
      }),
    ),
    trend: grouped(
      docs,
      (d) => [d.week, d.policy, d.key, d.part],
      ([week = '', policy = '', step = '', task = ''], g) => ({
        week,
        policy,
        step,
        task,
        ...cycleOf(g),
      }),
    ),
  };
}

/** SLA breaches per policy and step, per policy and approver, and per policy and week. */
export function slaBreaches(bySteps: readonly RollupDoc[], byPeople: readonly RollupDoc[]) {
  return {
    byStep: grouped(
      bySteps,
      (d) => [d.policy, d.key, d.part],
      ([policy = '', step = '', task = ''], g) => ({
        policy,
        step,
        task,
        breaches: sum(g, 'breaches'),
      }),
    ),
    byApprover: grouped(
      byPeople,
      (d) => [d.policy, d.key],
      ([policy = '', person = ''], g) => ({
        policy,
        person,
        breaches: sum(g, 'breaches'),
      }),
    ),
    trend: grouped(
      bySteps,
      (d) => [d.week, d.policy],
      ([week = '', policy = ''], g) => ({
        week,
        policy,
        breaches: sum(g, 'breaches'),
      }),
    ),
  };
}

const checkCounts = (g: readonly RollupDoc[]) => ({
  passed: sum(g, 'passed'),
  failed: sum(g, 'failed'),
  waived: sum(g, 'waived'),
});

/** Checks passed, failed and waived per policy, and per policy and step. */
export function compliance(docs: readonly RollupDoc[]) {
  return {
    byPolicy: grouped(
      docs,
      (d) => [d.policy],
      ([policy = ''], g) => ({ policy, ...checkCounts(g) }),
    ),
    byStep: grouped(
      docs,
      (d) => [d.policy, d.key],
      ([policy = '', step = ''], g) => ({
        policy,
        step,
        ...checkCounts(g),
      }),
    ),
  };
}

const outcomes = (g: readonly RollupDoc[]) => ({
  started: sum(g, 'started'),
  approved: sum(g, 'approved'),
  rejected: sum(g, 'rejected'),
  cancelled: sum(g, 'cancelled'),
});

/** Instances started and ended (by outcome) per policy and project, and per week. */
export function instances(docs: readonly RollupDoc[]) {
  const project = (key: string): string | null => (key === '' ? null : key);
  return {
    items: grouped(
      docs,
      (d) => [d.policy, d.key],
      ([policy = '', key = ''], g) => ({
        policy,
        project: project(key),
        ...outcomes(g),
      }),
    ),
    trend: grouped(
      docs,
      (d) => [d.week, d.policy, d.key],
      ([week = '', policy = '', key = ''], g) => ({
        week,
        policy,
        project: project(key),
        ...outcomes(g),
      }),
    ),
  };
}

export const waiverRow = (w: WaiverDoc) => ({
  instanceId: w.instanceId,
  policy: w.policy,
  project: w.project,
  step: w.step,
  waivedBy: w.actor,
  waivedAt: w.waivedAt.toISOString(),
  until: w.until.toISOString(),
});

export const LOAD_AGES = ['<1d', '1-3d', '3-7d', '>7d'] as const;
type LoadAge = (typeof LOAD_AGES)[number];

function ageOf(openedAt: Date, now: Date): LoadAge {
  const days = (now.getTime() - openedAt.getTime()) / DAY_MS;
  return days < 1 ? '<1d' : days < 3 ? '1-3d' : days < 7 ? '3-7d' : '>7d';
}

export interface LoadRow {
  person: string;
  open: number;
  overdue: number;
  byAge: Record<LoadAge, number>;
  /** The people this person's tasks are delegated to right now. */
  delegatedTo: string[];
}

/**
 * Open tasks per assignee by age and past their SLA, with the delegations in effect now: one
 * cell per person in scope (store/dashboard-load.ts), as of the projector's last fold; the ages
 * are the cell's opening minutes bucketed against `now`.
 */
export async function approverLoad(store: Store, scope: LoadScope, now: Date): Promise<LoadRow[]> {
  const rows = new Map<string, LoadRow>();
  for (const cell of await store.dashboards.load.inScope(scope)) {
    const byAge: Record<LoadAge, number> = { '<1d': 0, '1-3d': 0, '3-7d': 0, '>7d': 0 };
    for (const [minute, count] of Object.entries(cell.opened)) {
      if (count > 0) byAge[ageOf(new Date(`${minute}:00Z`), now)] += count;
    }
    rows.set(cell.person, {
      person: cell.person,
      open: cell.open,
      overdue: cell.overdue,
      byAge,
      delegatedTo: [],
    });
  }
  for (const { from, to } of await store.deliverySettings.delegatesOf([...rows.keys()], now)) {
    const row = rows.get(from);
    if (row !== undefined && !row.delegatedTo.includes(to)) row.delegatedTo.push(to);
  }
  return [...rows.values()];
}
