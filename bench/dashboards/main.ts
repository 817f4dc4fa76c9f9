// Dashboard routes at size (issue 18): p50/p99 of every GET /v1/dashboards/... route over real
// HTTP with bench:api's seed (100,000 tasks, 1,000,000 ledger events at scale 1; seed.ts adds the
// typed facts), against a bare Express `GET /hello` in the same servers process, and against the
// same routes on a small ledger (BENCH_SMALL_SCALE, default 0.001: 1,000 events) served by a second
// servers process: a dashboard is meant to cost the same at 1,000 and 1,000,000 events, because it
// reads the rollups the projector keeps, never the ledger. Both ledgers are made leaves by the
// signer's own growOnce and folded by the projector's own foldAll before anything is measured.
// Closed loop at BENCH_CONNECTIONS (16), BENCH_WARMUP_S (1) then BENCH_DURATION_S (5) per target,
// BENCH_ROUNDS (3) rounds, targets rotated each round; figures are medians over rounds.
// Needs running servers: `source .tools/run/dev/env && npm run bench:dashboards`.
// BENCH_SCALE (1) scales the large seed; BENCH_KEEP_DATA=1 keeps databases already built, and
// BENCH_REFOLD=1 with it drops their rollups and folds them again (after a change to the fold);
// BENCH_BUILD_ONLY=1 stops once both are built (build while the machine is busy, measure later).
import { performance } from 'node:perf_hooks';
import { type Db, MongoClient } from 'mongodb';
import { issueToken } from '../../api/auth.js';
import { openStore, type Store } from '../../store/index.js';
import { FIGURES, PROJECT_FIGURES } from '../../store/dashboard-model.js';
import { growOnce } from '../../workflows/ledger/signer.js';
import { startServers, type Servers } from '../api/children.js';
import { httpTarget, type LoadRequest, type Measurement, measureClosed, median } from '../api/load.js';
import { markSeeded, planFor, seededWith, seedTasks, type SeedPlan, worldOf } from '../api/seed.js';
import { seedFactLedger } from './seed.js';

const number = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const SCALE = number('BENCH_SCALE', 1);
const SMALL_SCALE = number('BENCH_SMALL_SCALE', 0.001);
const CONNECTIONS = number('BENCH_CONNECTIONS', 16);
const WARMUP_MS = number('BENCH_WARMUP_S', 1) * 1000;
const DURATION_MS = number('BENCH_DURATION_S', 5) * 1000;
const ROUNDS = number('BENCH_ROUNDS', 3);
/** Leaves per tree transaction while building: larger than the signer's runs, same code. */
const GROW_BATCH = 10_000;

const ROUTES = [
  'cycle-time',
  'sla-breaches',
  'compliance',
  'instances',
  'waivers-expiring',
  'approver-load',
] as const;
type Route = (typeof ROUTES)[number];
/** Filters each route rotates over: none, a policy, a project, a quarter of weeks. */
const QUERIES: Record<Route, string[]> = {
  'cycle-time': ['', 'policy=IT%20change%20management', 'project=PRJ-007', 'from=2025-W10&to=2025-W22'],
  'sla-breaches': ['', 'policy=Vendor%20onboarding', 'project=PRJ-012', 'from=2025-W30&to=2025-W42'],
  compliance: ['', 'policy=Project%20gate', 'project=PRJ-003', 'from=2025-W01&to=2025-W13'],
  instances: ['', 'policy=IT%20change%20management', 'project=PRJ-021', 'from=2025-W20&to=2025-W32'],
  'waivers-expiring': ['', 'policy=Vendor%20onboarding', 'project=PRJ-030'],
  'approver-load': ['', 'policy=Project%20gate', 'project=PRJ-015'],
};

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

/** Seeds `db` at `plan`, grows its tree over every event and folds the dashboards' rollups. */
async function build(db: Db, plan: SeedPlan, label: string): Promise<void> {
  if (process.env['BENCH_KEEP_DATA'] === '1' && (await seededWith(db, plan))) {
    console.log(`${label}: keeping ${db.databaseName} (already built at scale ${plan.scale})`);
    if (process.env['BENCH_REFOLD'] === '1') await fold(await openStore(db), label, true);
    return;
  }
  await db.dropDatabase();
  const world = worldOf(plan);
  let began = performance.now();
  const tasks = await seedTasks(db, plan, world, new Date());
  const events = await seedFactLedger(db, plan, world);
  console.log(`${label}: ${tasks} tasks and ${events} events seeded in ${seconds(began)} s`);
  began = performance.now();
  const store = await openStore(db);
  console.log(`${label}: indexes in ${seconds(began)} s`);
  began = performance.now();
  let state = await store.ledgerTree.state();
  for (;;) {
    const grown = await growOnce(store, new Date(), GROW_BATCH, state);
    state = grown.state;
    if (grown.taken === 0) break;
  }
  console.log(`${label}: tree of ${state.size} leaves in ${seconds(began)} s`);
  await fold(store, label, false);
  await markSeeded(db, plan);
}

/** Folds the whole tree into the dashboards' rollups (dropped first with `reset`). */
async function fold(store: Store, label: string, reset: boolean): Promise<void> {
  const began = performance.now();
  if (reset) await store.dashboards.reset();
  const folded = await store.dashboards.foldAll(() => new Date(), { maxBatches: 1_000_000 });
  console.log(`${label}: projector folded ${JSON.stringify(folded)} in ${seconds(began)} s`);
}

/** Rollup documents per figure that an unfiltered read covers (the every-project totals), and load cells. */
async function cellsOf(db: Db): Promise<Record<string, number>> {
  const rollups = db.collection('dashboard_rollups');
  const cells: Record<string, number> = {};
  for (const figure of FIGURES) {
    const filter = PROJECT_FIGURES.includes(figure) ? { figure, project: null } : { figure };
    cells[figure] = await rollups.countDocuments(filter);
  }
  // Approver load: a cell per person with an open task (in the every-task scope), and those tasks.
  cells['load cells'] = await db.collection('dashboard_load').countDocuments({ policy: '', project: '' });
  cells['open clocks'] = await db.collection('dashboard_clocks').countDocuments({ closedAt: null });
  cells['waivers'] = await db.collection('dashboard_waivers').countDocuments();
  return cells;
}

interface Served {
  servers: Servers;
  api: number;
  hello: number;
  token: string;
}

async function serve(db: Db, store: Store, env: NodeJS.ProcessEnv): Promise<Served> {
  const token = await issueToken(store, 'pia.pmo@halden.example', ['pmo'], 'bench', new Date());
  const { servers, ready } = await startServers({ ...env, BENCH_DB: db.databaseName }, false);
  return { servers, api: ready.api, hello: ready.hello, token };
}

/** A target rotating over the route's filters. */
function routeTarget(name: string, served: Served, route: Route) {
  let n = 0;
  const queries = QUERIES[route];
  const next = (): LoadRequest => {
    const query = queries[n++ % queries.length]!;
    return { path: `/v1/dashboards/${route}${query === '' ? '' : `?${query}`}`, token: served.token };
  };
  return httpTarget(name, served.api, next);
}

async function main(): Promise<void> {
  const mongoUri = process.env['MONGODB_URI'];
  if (!mongoUri || !process.env['TEMPORAL_ADDRESS'])
    throw new Error('set TEMPORAL_ADDRESS and MONGODB_URI (source .tools/run/dev/env)');
  // Not the store's client: its 60 s socket timeout is shorter than dropping a seeded database.
  const mongo = new MongoClient(mongoUri, { socketTimeoutMS: 0 });
  await mongo.connect();
  const large = mongo.db('bench_dashboards_large');
  const small = mongo.db('bench_dashboards_small');
  const largePlan = planFor(SCALE);
  const smallPlan = planFor(SMALL_SCALE);
  await build(small, smallPlan, 'small');
  await build(large, largePlan, 'large');
  if (process.env['BENCH_BUILD_ONLY'] === '1') {
    await mongo.close();
    return;
  }
  const env = { ...process.env };
  const sizes = {
    large: await serve(large, await openStore(large), env),
    small: await serve(small, await openStore(small), env),
  };
  const rollups = { large: await cellsOf(large), small: await cellsOf(small) };
  const targets = [
    httpTarget('hello', sizes.large.hello, () => ({ path: '/hello' })),
    ...ROUTES.flatMap((route) => [
      routeTarget(`${route}, large`, sizes.large, route),
      routeTarget(`${route}, small`, sizes.small, route),
    ]),
  ];
  const results = new Map<string, Measurement[]>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = targets.map((_, i) => targets[(i + round * 3) % targets.length]!);
      for (const target of order) {
        const m = await measureClosed(target, {
          connections: CONNECTIONS,
          warmupMs: WARMUP_MS,
          durationMs: DURATION_MS,
        });
        if (m.errors > 0) throw new Error(`${target.name}: ${m.errors} errors, first: ${m.firstError}`);
        results.set(target.name, [...(results.get(target.name) ?? []), m]);
        console.log(
          `round ${round + 1}: ${target.name}: p50 ${m.p50Ms.toFixed(1)} ms, p99 ${m.p99Ms.toFixed(1)} ms`,
        );
      }
    }
  } finally {
    await Promise.all([sizes.large.servers.end({ kind: 'stop' }), sizes.small.servers.end({ kind: 'stop' })]);
    await mongo.close();
  }
  report(results, rollups, largePlan, smallPlan);
}

function report(
  results: Map<string, Measurement[]>,
  rollups: { large: Record<string, number>; small: Record<string, number> },
  largePlan: SeedPlan,
  smallPlan: SeedPlan,
): void {
  const of = (name: string, field: 'p50Ms' | 'p99Ms' | 'perSecond') =>
    median((results.get(name) ?? []).map((m) => m[field]));
  const hello99 = of('hello', 'p99Ms');
  console.log(
    `\n${largePlan.events} events and ${largePlan.tasks} tasks against ${smallPlan.events} events and ` +
      `${smallPlan.tasks} tasks; ${CONNECTIONS} connections, medians of ${ROUNDS} rounds`,
  );
  console.log(`what an unfiltered read covers, large: ${JSON.stringify(rollups.large)}`);
  console.log(`what an unfiltered read covers, small: ${JSON.stringify(rollups.small)}`);
  console.log(`hello: p50 ${of('hello', 'p50Ms').toFixed(1)} ms, p99 ${hello99.toFixed(1)} ms`);
  console.log('| route | p50 large | p99 large | p99 small | large/small p99 | p99 / hello p99 |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const route of ROUTES) {
    const p99Large = of(`${route}, large`, 'p99Ms');
    const p99Small = of(`${route}, small`, 'p99Ms');
    console.log(
      `| ${route} | ${of(`${route}, large`, 'p50Ms').toFixed(1)} ms | ${p99Large.toFixed(1)} ms | ` +
        `${p99Small.toFixed(1)} ms | ${(p99Large / p99Small).toFixed(2)}x | ${(p99Large / hello99).toFixed(1)}x |`,
    );
  }
}

await main();
