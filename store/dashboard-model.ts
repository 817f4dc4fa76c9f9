// The PMO dashboard's stored shapes (issue 18) and the pure arithmetic on them: rollup documents
// keyed by (figure, policy, key, part, ISO week, project), the fixed log-spaced duration histogram and the
// percentiles read from it, the ledger fields the projector folds, and the open-task "clocks" it
// keeps between an approval's opening and its close. No I/O here: dashboard-fold.ts folds events
// into these, dashboards.ts stores and reads them.
//
// Why a histogram and not the durations: a rollup document must not grow with history (the store's
// rule: no list inside a document grows with history), yet p50 and p90 must be read from it. A
// fixed set of log-spaced buckets (a factor of sqrt 2 apart, 1 s to about a year) is bounded, adds
// up across weeks and policies by plain `$inc`, and answers any percentile to within that factor:
// a percentile is the upper edge of the bucket that holds the nearest-rank sample, capped by the
// largest duration seen, so it is never below the true value and at most 41% above it.
import { z } from 'zod';
import { isoWeekOf } from './capacity-state.js';
import { factSchema } from './audit-event.js';

/**
 * The figures a rollup document counts for. Two keep their counters by name rather than one cell
 * per name, so that what a read examines is bounded by policies and weeks, not by people or
 * projects as well: `breachBy`, a cell per policy and week whose counters are its people's
 * breaches (named by `counterOf`), and `instances`, a cell per policy and week whose counters are
 * outcomes per project (`outcomeCounter`). Each has an all-time twin (`breachByAll`,
 * `instancesAll`, week ALL_TIME) for a read without a period.
 */
export const FIGURES = [
  'cycle',
  'breach',
  'breachBy',
  'breachByAll',
  'checks',
  'instances',
  'instancesAll',
  'versions',
] as const;
export type Figure = (typeof FIGURES)[number];

/** The `week` of an all-time cell: no ISO week is spelled so. */
export const ALL_TIME = 'all';

/**
 * A name (a person's email, a project) as a counter's field name: `$inc` reads a dot as a path
 * and a leading `$` as an operator, so both are escaped (URI encoding, with dots too), behind a
 * `_` that also gives the empty name a field.
 */
export const counterOf = (name: string): string => `_${encodeURIComponent(name).replaceAll('.', '%2E')}`;
/** The name `counterOf` encoded. */
export const nameOfCounter = (field: string): string => decodeURIComponent(field.slice(1));

/** An instance outcome (`started`, `approved`, ...) in a project (null: none) as a counter. */
export const outcomeCounter = (outcome: string, project: string | null): string =>
  `${outcome}${counterOf(project ?? '')}`;
/** The outcome and project of an `outcomeCounter` (outcomes are plain words, without `_`). */
export function outcomeOfCounter(field: string): { outcome: string; project: string | null } {
  const at = field.indexOf('_');
  const project = nameOfCounter(field.slice(at));
  return { outcome: field.slice(0, at), project: project === '' ? null : project };
}

/**
 * The shape of what the fold writes. A projector that finds a position stored under another
 * shape drops the rollups and folds the ledger again (DashboardStore.foldNext), so that cells a
 * newer fold keeps (the all-time ones, a project's, a person's load) cover the events folded
 * before too. 1: the first (no number stored); 2: counters by person and by project, all-time
 * cells.
 */
export const FOLD_SHAPE = 2;

/**
 * The figures kept twice, in the same fold: once for every project (`project` null: the total)
 * and once per project (`project` the event's, for events that name one). Why both rather than
 * per project only: a read without a project filter then reads the totals, as many documents as
 * (policy, key, week) cells however many projects there are, instead of one per project and cell;
 * a read for one project reads that project's cells alone. `instances` counts per project
 * already (its counters), so it is kept once.
 */
export const PROJECT_FIGURES: readonly Figure[] = ['cycle', 'breach', 'breachBy', 'breachByAll', 'checks'];

/** The task kinds a clock follows (the engine's TaskKind). */
export const CLOCK_KINDS = ['approval', 'attestation', 'waiver'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

/**
 * One rollup document. `key`: a step (cycle, breach, checks), a policy version (versions, `"3"`)
 * or `''` (breachBy, instances and their all-time twins); `part`: the task kind for cycle and
 * breach, `''` otherwise; `week`: an ISO week, or ALL_TIME for breachByAll and instancesAll;
 * `project`: null for the every-project total, else the one project the cell counts (the
 * PROJECT_FIGURES only). `n`: the figure's counters by name; `hist`: counts per bucket index
 * (cycle only), `sumMs`, `maxMs`.
 *
 * Documents stored before the project dimension have no `project`: they are totals (the default,
 * and MongoDB's `{project: null}` matches a missing field), so unfiltered figures stay whole. The
 * per-project figures of the events folded before then exist only after a rebuild
 * (`POST /v1/dashboards/rebuild`, which drops the rollups and folds the ledger again).
 */
export const rollupSchema = z.object({
  _id: z.string(),
  figure: z.enum(FIGURES),
  policy: z.string(),
  key: z.string(),
  part: z.string(),
  week: z.union([z.string().regex(/^\d{4}-W\d{2}$/), z.literal(ALL_TIME)]),
  project: z.string().nullable().default(null),
  n: z.record(z.string(), z.number().int()).default({}),
  hist: z.record(z.string().regex(/^\d+$/), z.number().int()).default({}),
  sumMs: z.number().default(0),
  maxMs: z.number().default(0),
});
export type RollupDoc = z.infer<typeof rollupSchema>;

export interface RollupKey {
  figure: Figure;
  policy: string;
  key: string;
  part: string;
  week: string;
  /** null: every project's total. */
  project: string | null;
}

/**
 * Deterministic, so the same (figure, policy, key, part, week, project) is always the same
 * document and a retried fold lands on it (the transaction's position condition then refuses the
 * retry). A total keeps the id it had before the project dimension, so folds after the change
 * go on adding into the totals already stored.
 */
export const rollupId = (k: RollupKey): string =>
  JSON.stringify(
    k.project === null
      ? [k.figure, k.policy, k.key, k.part, k.week]
      : [k.figure, k.policy, k.key, k.part, k.week, k.project],
  );

/** What one fold adds to one rollup document: `$inc` counters and histogram, `$max` of maxMs. */
export interface RollupChange {
  key: RollupKey;
  n: Record<string, number>;
  hist: Record<string, number>;
  sumMs: number;
  maxMs: number;
}

// --- the histogram -----------------------------------------------------------------------------

/** Bucket i holds durations in (edge(i - 1), edge(i)]; the last one everything above. */
export const HISTOGRAM_BUCKETS = 52;
const FIRST_EDGE_MS = 1_000;

/** The upper edge of bucket `i`: 1 s * sqrt(2)^i (bucket 51: about 1.1 years), in whole ms. */
export const bucketEdgeMs = (i: number): number => Math.round(FIRST_EDGE_MS * 2 ** (i / 2));

export function bucketOf(durationMs: number): number {
  if (durationMs <= FIRST_EDGE_MS) return 0;
  // Rounded edges: step up past any edge the float estimate fell short of.
  let i = Math.ceil(2 * Math.log2(durationMs / FIRST_EDGE_MS) - 1e-9);
  while (i < HISTOGRAM_BUCKETS - 1 && durationMs > bucketEdgeMs(i)) i++;
  while (i > 0 && durationMs <= bucketEdgeMs(i - 1)) i--;
  return Math.min(i, HISTOGRAM_BUCKETS - 1);
}

/**
 * The nearest-rank `p` percentile of the durations counted in `hist`: the upper edge of the bucket
 * that holds that sample, capped at `maxMs` (the largest duration counted). 0 for no samples.
 */
export function percentileOf(hist: Readonly<Record<string, number>>, p: number, maxMs: number): number {
  const total = Object.values(hist).reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
    seen += hist[String(i)] ?? 0;
    if (seen >= rank) return Math.min(bucketEdgeMs(i), maxMs);
  }
  return maxMs;
}

/** Adds `b` into `a` (bucket by bucket). */
export function addHistogram(a: Record<string, number>, b: Readonly<Record<string, number>>): void {
  for (const [bucket, count] of Object.entries(b)) a[bucket] = (a[bucket] ?? 0) + count;
}

// --- weeks ---------------------------------------------------------------------------------------

export { isoWeekOf };

// --- what the projector reads and keeps ---------------------------------------------------------

/** The fields of a ledger event the fold reads (zod on read; events without a fact are skipped). */
export const foldEventSchema = z.object({
  _id: z.string(),
  at: z.date(),
  instanceId: z.string(),
  project: z.string().nullable().default(null),
  policy: z.object({ name: z.string(), version: z.number().int().optional() }),
  fact: factSchema.optional(),
});
export type FoldEvent = z.infer<typeof foldEventSchema>;
export const FOLD_EVENT_FIELDS = {
  _id: 1,
  at: 1,
  instanceId: 1,
  project: 1,
  'policy.name': 1,
  'policy.version': 1,
  fact: 1,
} as const;

/**
 * An open task as the projector follows it, from its opening fact to its closing one: bounded by
 * what is open (closed clocks are folded and deleted; an instance's end deletes the rest).
 * `openedAt` or `closedAt` is null while its fact has not been folded yet (a close can precede
 * its open in leaf order only across the tree's backfill pages: the clock then waits for it).
 */
export const clockSchema = z.object({
  _id: z.string(),
  instanceId: z.string(),
  policy: z.string(),
  step: z.string(),
  kind: z.enum(CLOCK_KINDS),
  openedAt: z.date().nullable(),
  closedAt: z.date().nullable(),
  /** Everyone asked to act (eligible, escalated to, handed over to): bounded by the policy. */
  asked: z.array(z.string()),
  /** Who voted on the approval so far. */
  voted: z.array(z.string()),
  /** The SLA passed (counted once per task, when it passed). */
  timedOut: z.boolean(),
  /** The project of the event that opened it (null before the approver-load cells). */
  project: z.string().nullable().default(null),
  /**
   * Who holds the task now, for approver load: `asked` until a hand-over, then only those it was
   * handed to (the engine closes the others' task). Null: as `asked` (clocks stored before).
   */
  holders: z.array(z.string()).nullable().default(null),
  /** Counted in the approver-load cells now (false for clocks stored before them: never subtracted). */
  counted: z.boolean().default(false),
});
export type Clock = z.infer<typeof clockSchema>;

// --- approver load -------------------------------------------------------------------------------

/** A load cell's policy or project for "every policy" ("every project"): no real one is empty. */
export const LOAD_ANY = '';

/**
 * One person's open tasks in one scope (every task; a policy's; a project's; a policy's in a
 * project), as the projector's clocks count them: `open`, those past their SLA (`overdue`), and
 * the open ones by the minute they opened (ISO `YYYY-MM-DDTHH:MM`), so that a read buckets their
 * ages against its own time. Emptied minutes and cells are removed: nothing grows with history.
 */
export const loadCellSchema = z.object({
  _id: z.string(),
  person: z.string(),
  policy: z.string(),
  project: z.string(),
  open: z.number().int(),
  overdue: z.number().int().default(0),
  opened: z.record(z.string(), z.number().int()).default({}),
});
export type LoadCell = z.infer<typeof loadCellSchema>;

export const loadCellId = (person: string, policy: string, project: string): string =>
  JSON.stringify([person, policy, project]);

/** The minute key of an instant: ISO order is time order. */
export const minuteKey = (at: Date): string => at.toISOString().slice(0, 16);

/** What one fold adds to one load cell (negative: removes). */
export interface LoadChange {
  _id: string;
  person: string;
  policy: string;
  project: string;
  open: number;
  overdue: number;
  opened: Record<string, number>;
}

export const clockId = (instanceId: string, kind: ClockKind, step: string): string =>
  `${instanceId}/${kind}/${step}`;

/** A waiver in force with an end: listed by the "expiring soon" figure until it expires. */
export const waiverSchema = z.object({
  _id: z.string(),
  instanceId: z.string(),
  policy: z.string(),
  project: z.string().nullable(),
  step: z.string(),
  actor: z.string(),
  waivedAt: z.date(),
  until: z.date(),
});
export type WaiverDoc = z.infer<typeof waiverSchema>;

export const waiverId = (instanceId: string, step: string): string => `${instanceId}/${step}`;

/** The projector's position: leaves [0, position) of the ledger tree are folded. */
export const projectorSchema = z.object({
  _id: z.literal('projector'),
  position: z.number().int().min(0),
  /** The newest event time folded so far (null before any). */
  asOf: z.date().nullable().default(null),
  /** When a fold last ran to the tree's end. */
  foldedAt: z.date().nullable().default(null),
  /** The FOLD_SHAPE the rollups were written in (absent: the first). */
  shape: z.number().int().default(1),
});
export type ProjectorDoc = z.infer<typeof projectorSchema>;
