// One scheduled monitor run over 10,000 projects (issue 16): runMonitor (workflows/monitors/run.ts)
// as the worker's activity calls it, on the real store, next to its floor measured in the same
// process: reading the same 10,000 projects alone, page by page exactly as the run pages them
// (store.projects.page({}, cursor, 500) until the last page). Two states of the run: the first
// (opens a finding for each failing project, 10% of them) and a repeat a week later (nothing to
// open, every live finding seen again). Reported per state: time (median of rounds), commands sent
// and documents read (command monitoring, traffic.ts), each as a ratio to the baseline, and per
// project (report.ts). Beside them a diagnostic: the same pages read by an unhinted `_id` range.
// Rounds alternate the reads before and after the runs; between rounds every collection the
// seeding left empty (findings, the ledger, the delivery queue ...) is emptied again, outside the
// timing, so every round's first run opens the same findings on the same ledger.
//
// Fails (exit 1) rather than report numbers for work not done: a run that judged other than
// 10,000 projects, failed or opened other than the seeded share, closed or waived anything, or a
// read that returned other than 10,000 projects.
//
// Needs a MongoDB in MONGODB_URI, e.g. the test SecantusDB: `source .tools/run/test/env && npm run
// bench:monitor`. Uses the database `bench_monitor`, dropped at the start and the end.
// BENCH_ROUNDS (3).
import { performance } from 'node:perf_hooks';
import type { Db } from 'mongodb';
import { mongoClient, openStore, type Store } from '../../store/index.js';
import { type ProjectDoc, PROJECTS, toProject } from '../../store/project-model.js';
import { findingsOf } from '../../workflows/monitors/findings-port.js';
import { type MonitorRunResult, RUN_PAGE, runMonitor } from '../../workflows/monitors/run.js';
import { FAILING, MONITOR, POLICY, PROJECTS_SEEDED, RUN_AT, seedWorld } from './seed.js';
import { fixed, report, roundLine, type Samples, type State } from './report.js';
import { countTraffic } from './traffic.js';

const DB_NAME = 'bench_monitor';
const WEEK = 7 * 86_400_000;
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
if (!Number.isInteger(rounds) || rounds <= 0) throw new Error('BENCH_ROUNDS must be a positive integer');
const uri = process.env['MONGODB_URI'];
if (uri === undefined) throw new Error('MONGODB_URI is not set: source .tools/run/test/env first');

/** The baseline: the run's own paging of every project, nothing else. */
async function readAll(store: Store): Promise<number> {
  let read = 0;
  let cursor: string | null = null;
  do {
    const page: { items: unknown[]; nextCursor: string | null } = await store.projects.page(
      {},
      cursor,
      RUN_PAGE,
    );
    read += page.items.length;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return read;
}

/**
 * A diagnostic beside the baseline: the same pages as bare driver finds of an `_id` range without a
 * hint, parsed as the store parses them. `page({})` names the `_id_` index on every page, which
 * SecantusDB 0.7 answers by walking the whole index (store/paging.ts); this shows what that costs.
 */
async function readAllUnhinted(db: Db): Promise<number> {
  const projects = db.collection<ProjectDoc>(PROJECTS);
  let read = 0;
  let last: string | null = null;
  for (;;) {
    const raws: ProjectDoc[] = await projects
      .find(last === null ? {} : { _id: { $gt: last } }, { sort: { _id: 1 }, limit: RUN_PAGE + 1 })
      .toArray();
    const page = raws.slice(0, RUN_PAGE).map(toProject);
    read += page.length;
    if (raws.length <= RUN_PAGE) return read;
    last = page.at(-1)!.code;
  }
}

const LABELS: Record<State, string> = {
  baseline: "baseline: the run's paging alone",
  first: `first run (opens ${fixed(FAILING, 0)})`,
  repeat: 'repeat run (all seen)',
  unhinted: 'diagnostic: pages unhinted',
};

/** The work measured was the work reported, or the benchmark stops here (exit 1). */
function check(state: State, result: unknown): void {
  if (state === 'baseline' || state === 'unhinted') {
    if (result !== PROJECTS_SEEDED)
      throw new Error(`${state}: read ${String(result)} projects, expected ${PROJECTS_SEEDED}`);
    return;
  }
  const r = result as MonitorRunResult;
  const opened = state === 'first' ? FAILING : 0;
  const expected = { status: 'ran', judged: PROJECTS_SEEDED, failed: FAILING, waived: 0, opened, closed: 0 };
  const got = {
    status: r.status,
    judged: r.judged,
    failed: r.failed,
    waived: r.waived,
    opened: new Set(r.opened).size,
    closed: r.closed.length,
  };
  if (JSON.stringify(got) !== JSON.stringify(expected))
    throw new Error(`${state} run: ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
}

/** How many documents each collection holds, by name. */
async function countsOf(db: Db): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray())
    counts.set(name, await db.collection(name).countDocuments());
  return counts;
}

/**
 * Back to the seeded state, whatever the run writes to (findings, the ledger, the delivery queue
 * of finding notices, ...): every collection empty after seeding is emptied again, so each round's
 * first run opens the same findings on the same ledger. A run that added to a seeded collection
 * would make rounds differ: that stops the benchmark.
 */
async function resetToSeeded(db: Db, seeded: ReadonlyMap<string, number>): Promise<void> {
  for (const [name, count] of await countsOf(db)) {
    const before = seeded.get(name) ?? 0;
    if (before === 0) await db.collection(name).deleteMany({});
    else if (count !== before)
      throw new Error(`a run changed the seeded ${name}: ${count} documents, seeded ${before}`);
  }
}

async function main(): Promise<void> {
  const client = mongoClient(uri!, { monitorCommands: true });
  await client.connect();
  const db = client.db(DB_NAME);
  try {
    await db.dropDatabase();
    const store = await openStore(db);
    const seedStart = performance.now();
    const seeded = await seedWorld(db, store);
    console.log(
      `monitor run benchmark: ${seeded.projects} projects (${seeded.failing} failing), ${seeded.views} approved ` +
        `risk_review views, pages of ${RUN_PAGE}, ${rounds} rounds; seeded in ${fixed((performance.now() - seedStart) / 1000, 1)} s`,
    );
    const seededCounts = await countsOf(db);
    const deps = { store, findings: findingsOf(store) };
    const traffic = countTraffic(client);
    const samples: Samples = { baseline: [], first: [], repeat: [], unhinted: [] };
    const measure = async (state: State, work: () => Promise<unknown>): Promise<void> => {
      traffic.take();
      const start = performance.now();
      const result = await work();
      samples[state].push({ ms: performance.now() - start, traffic: traffic.take() });
      check(state, result);
    };
    const reads = async (): Promise<void> => {
      await measure('baseline', () => readAll(store));
      await measure('unhinted', () => readAllUnhinted(db));
    };
    // Warm-up, untimed: the same code paths once before any measurement.
    await readAll(store);
    await readAllUnhinted(db);
    for (let round = 1; round <= rounds; round++) {
      await resetToSeeded(db, seededCounts);
      if (round % 2 === 1) await reads();
      const runId = (at: number) => `bench-monitor-round-${round}/${new Date(at).toISOString()}`;
      const next = RUN_AT + WEEK;
      await measure('first', () =>
        runMonitor(deps, { policy: POLICY, monitor: MONITOR, runAt: RUN_AT, runId: runId(RUN_AT) }),
      );
      await measure('repeat', () =>
        runMonitor(deps, { policy: POLICY, monitor: MONITOR, runAt: next, runId: runId(next) }),
      );
      if (round % 2 === 0) await reads();
      console.log(roundLine(samples, round - 1));
    }
    traffic.stop();
    for (const line of report(samples, PROJECTS_SEEDED, FAILING, LABELS)) console.log(line);
  } finally {
    await db.dropDatabase();
    await client.close();
  }
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
