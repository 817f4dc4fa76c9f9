// The PMO dashboard's figures, shaped for charts from the store's rollups (store/dashboards.ts):
// rows sorted by their names so that a chart and a test read them in a stable order, weeks as
// `YYYY-Www`. Percentiles come from each cell's fixed log-spaced histogram (dashboard-model.ts):
// summed over the weeks and then read, they are the upper edge of the bucket holding the
// nearest-rank sample, capped at the longest duration: never below the true value, at most 41%
// above it. Approver load is read from the projector's per-person cells (store/dashboard-load.ts),
// its ages bucketed at the request's time.
import { addHistogram, nameOfCounter, outcomeOfCounter, percentileOf } from '../../store/dashboard-model.js';
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

/** How many (policy, approver) rows of SLA breaches an answer lists: those with the most. */
export const TOP_APPROVERS = 25;

export interface ApproverBreaches {
  policy: string;
  person: string;
  breaches: number;
}

/**
 * Breaches per policy and approver, most first (then by policy and name), the first
 * TOP_APPROVERS of them, and how many there are: from `breachBy` cells (a counter per person, a
 * cell per policy and week) or their all-time twins.
 */
export function topApprovers(cells: readonly RollupDoc[]): { rows: ApproverBreaches[]; of: number } {
  const byRow = new Map<string, ApproverBreaches>();
  for (const cell of cells) {
    for (const [field, n] of Object.entries(cell.n)) {
      const person = nameOfCounter(field);
      const id = JSON.stringify([cell.policy, person]);
      const row = byRow.get(id) ?? { policy: cell.policy, person, breaches: 0 };
      row.breaches += n;
      byRow.set(id, row);
    }
  }
  const rows = [...byRow.values()]
    .filter((r) => r.breaches > 0)
    .sort((a, b) => b.breaches - a.breaches || compare([a.policy, a.person], [b.policy, b.person]));
  return { rows: rows.slice(0, TOP_APPROVERS), of: rows.length };
}

/** SLA breaches per policy and step, the approvers with the most, and per policy and week. */
export function slaBreaches(bySteps: readonly RollupDoc[], byPeople: readonly RollupDoc[]) {
  const approvers = topApprovers(byPeople);
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
    byApprover: approvers.rows,
    approvers: approvers.of,
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

const OUTCOMES = ['started', 'approved', 'rejected', 'cancelled'] as const;
type Outcomes = Record<(typeof OUTCOMES)[number], number>;

/** Sums `cells`' outcome counters into rows keyed by `keyOf` (skipping other projects than `project`). */
function outcomeRows<K>(
  cells: readonly RollupDoc[],
  project: string | undefined,
  keyOf: (cell: RollupDoc, project: string | null) => K,
): (K & Outcomes)[] {
  const rows = new Map<string, { names: string[]; row: K & Outcomes }>();
  for (const cell of cells) {
    for (const [field, n] of Object.entries(cell.n)) {
      const counted = outcomeOfCounter(field);
      if (project !== undefined && counted.project !== project) continue;
      if (!(OUTCOMES as readonly string[]).includes(counted.outcome)) continue;
      const key = keyOf(cell, counted.project);
      const names = Object.values(key as object).map((v) => (typeof v === 'string' ? v : ''));
      const id = JSON.stringify(names);
      const entry = rows.get(id) ?? {
        names,
        row: { ...key, started: 0, approved: 0, rejected: 0, cancelled: 0 },
      };
      entry.row[counted.outcome as keyof Outcomes] += n;
      rows.set(id, entry);
    }
  }
  return [...rows.values()].sort((a, b) => compare(a.names, b.names)).map((e) => e.row);
}

/**
 * Instances started and ended (by outcome) per policy and project, summed over `items` (the
 * all-time cells, or the weeks of a period), and per policy and week over `weekly`; of one
 * project when `project` is given.
 */
export function instances(items: readonly RollupDoc[], weekly: readonly RollupDoc[], project?: string) {
  return {
    items: outcomeRows(items, project, (cell, p) => ({ policy: cell.policy, project: p })),
    trend: outcomeRows(weekly, project, (cell) => ({ week: cell.week, policy: cell.policy })),
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
