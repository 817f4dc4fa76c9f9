// API throughput and latency at size (issues 6 and 12): with 100,000 tasks and 1,000,000 audit
// events in the database, requests/s and p50/p99 of an approver's inbox and of an audit query by
// project and month, each next to its bare driver find (the very find the route's store call
// sends, recorded from the API's client and replayed straight to the database at the same
// concurrency), and a bare Express `GET /hello` as a floor. Measured two ways, interleaved over
// rounds: closed loop at 16 connections, and open loop at a fixed offered 20 req/s (latency from
// the scheduled send, so queueing shows). Goal: a route's p99 at most 3x its bare find's.
// Absolute figures depend on the machine (shared and noisy here); the ratios compare across runs.
// Needs running servers: `source .tools/run/dev/env && npm run bench:api`.
//
// Processes: this one seeds and orchestrates; servers.ts (API and hello) and loader.ts (every
// measured request, HTTP and bare) are children, so no load shares an event loop with a server.
//
// BENCH_SCALE (default 1) scales the counts (0.01 for a quick run); BENCH_KEEP_DATA=1 keeps a
// database already seeded at the same scale; BENCH_INDEXES=after (default) builds the indexes after
// the bulk insert, =before creates them first;
// BENCH_CONNECTIONS (16), BENCH_DURATION_S (10), BENCH_WARMUP_S (2), BENCH_ROUNDS (3) and
// BENCH_OFFERED_RATE (20 req/s) shape the load; BENCH_SEED_ONLY=1 seeds and stops;
// BENCH_PLANS_ONLY=1 stops after the recorded pass and the plans (at sizes where one request takes
// seconds); BENCH_DISTINCT caps the distinct requests per route (default: 200 inboxes, 480 audit
// windows); BENCH_UNHINTED=0 leaves out the diagnostic unhinted finds (loader.ts); BENCH_TARGETS
// (a comma list: hello, inbox, bare inbox, audit, bare audit, unhinted inbox, unhinted audit)
// measures only those.
import { performance } from 'node:perf_hooks';
import { type Db, MongoClient } from 'mongodb';
import { issueToken } from '../../api/auth.js';
import { openStore } from '../../store/index.js';
import { measured, startLoader, startServers } from './children.js';
import type { TargetName } from './loader.js';
import { checkReplay, describePlan, withoutHint } from './plans.js';
import { formatMeasurement, report, type Results } from './report.js';
import { describeRecorded, findsJson, recordRoute, routeRequests } from './routes.js';
import { checkSeed, checkShapes } from './seed-check.js';
import {
  markSeeded,
  planFor,
  seedAudit,
  seededWith,
  seedTasks,
  type SeedPlan,
  type SeedWorld,
  worldOf,
} from './seed.js';

const DB_NAME = 'bench_api';
const number = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const SCALE = number('BENCH_SCALE', 1);
const CONNECTIONS = number('BENCH_CONNECTIONS', 16);
const DURATION_MS = number('BENCH_DURATION_S', 10) * 1000;
const WARMUP_MS = number('BENCH_WARMUP_S', 2) * 1000;
const ROUNDS = number('BENCH_ROUNDS', 3);
const OFFERED_RATE = number('BENCH_OFFERED_RATE', 20);
const DISTINCT = number('BENCH_DISTINCT', 1_000);
const UNHINTED = process.env['BENCH_UNHINTED'] !== '0';
const INDEXES = process.env['BENCH_INDEXES'] ?? 'after';
if (INDEXES !== 'before' && INDEXES !== 'after') throw new Error('BENCH_INDEXES must be `before` or `after`');
/** Approvers whose inboxes the load rotates over (one token each). */
const INBOX_CALLERS = 200;
/** How long an open-loop measurement waits for its backlog after the measured period. */
const DRAIN_MS = 60_000;

const DIAGNOSTIC: TargetName[] = UNHINTED ? ['unhinted inbox', 'unhinted audit'] : [];
const chosen = (names: TargetName[]): TargetName[] => {
  const only = process.env['BENCH_TARGETS']?.split(',').map((name) => name.trim());
  return only === undefined ? names : names.filter((name) => only.includes(name));
};
const CLOSED = chosen(['hello', 'inbox', 'bare inbox', 'audit', 'bare audit', ...DIAGNOSTIC]);
const OPEN = chosen(['inbox', 'bare inbox', 'audit', 'bare audit', ...DIAGNOSTIC]);

const seconds = (since: number) => (performance.now() - since) / 1000;
const perSecond = (count: number, s: number) => `${count} in ${s.toFixed(1)} s (${(count / s).toFixed(0)}/s)`;

/** Drops and seeds the database; the indexes before or after the bulk insert (BENCH_INDEXES). */
async function seed(mongo: MongoClient, db: Db, plan: SeedPlan, world: SeedWorld, now: Date): Promise<void> {
  await db.dropDatabase();
  console.log(await checkShapes(mongo, plan, world, now));
  console.log(
    `seed: ${plan.tasks} tasks over ${plan.approvers} approvers, ${plan.events} audit events over ` +
      `${plan.projects} projects and a year, into ${DB_NAME} (scale ${SCALE}, indexes ${INDEXES} the insert)`,
  );
  let began = performance.now();
  if (INDEXES === 'before') {
    await openStore(db);
    console.log(`seed: indexes (openStore, empty collections) in ${seconds(began).toFixed(1)} s`);
  }
  began = performance.now();
  const tasks = await seedTasks(db, plan, world, now);
  console.log(`seed: tasks ${perSecond(tasks, seconds(began))}`);
  began = performance.now();
  const events = await seedAudit(db, plan, world);
  console.log(`seed: audit events and heads ${perSecond(events, seconds(began))}`);
  if (INDEXES === 'after') {
    began = performance.now();
    await openStore(db);
    console.log(
      `seed: indexes (openStore: createIndexes on the seeded collections) in ${seconds(began).toFixed(1)} s`,
    );
  }
  await markSeeded(db, plan);
}

async function main(): Promise<void> {
  const temporal = process.env['TEMPORAL_ADDRESS'];
  const mongoUri = process.env['MONGODB_URI'];
  if (!temporal || !mongoUri)
    throw new Error('set TEMPORAL_ADDRESS and MONGODB_URI (source .tools/run/dev/env)');
  const plan = planFor(SCALE);
  const world = worldOf(plan);
  // Not the store's mongoClient: its 60 s socket timeout is shorter than dropping a seeded database
  // or building its indexes on SecantusDB. Monitored: checkReplay records what a bare find sends.
  const mongo = new MongoClient(mongoUri, { monitorCommands: true, socketTimeoutMS: 0 });
  await mongo.connect();
  const db = mongo.db(DB_NAME);
  const now = new Date();

  if (process.env['BENCH_KEEP_DATA'] === '1' && (await seededWith(db, plan))) {
    console.log(`seed: keeping the database ${DB_NAME} (already seeded at scale ${SCALE})`);
  } else {
    const began = performance.now();
    await seed(mongo, db, plan, world, now);
    console.log(`seed: done in ${seconds(began).toFixed(1)} s`);
    if (process.env['BENCH_SEED_ONLY'] === '1') {
      console.log('seed: BENCH_SEED_ONLY=1, stopping before the check and the load');
      await mongo.close();
      return;
    }
    // Checked once, right after seeding (BENCH_KEEP_DATA=1 runs trust the seed they find).
    console.log(await checkSeed(await openStore(db), world));
  }
  const store = await openStore(db);
  const inboxTokens = await Promise.all(
    world.approvers
      .slice(0, INBOX_CALLERS)
      .map((person) => issueToken(store, person, ['approver'], 'bench', now)),
  );
  const auditorToken = await issueToken(store, 'simon.frey@halden.example', ['auditor'], 'bench', now);
  const all = routeRequests(world, inboxTokens, auditorToken);
  const requests = { inbox: all.inbox.slice(0, DISTINCT), audit: all.audit.slice(0, DISTINCT) };
  const env = { ...process.env, MONGODB_URI: mongoUri, TEMPORAL_ADDRESS: temporal, BENCH_DB: DB_NAME };

  // One recorded pass over every request: the routes' finds, which the bare load replays.
  const began = performance.now();
  const recording = await startServers(env, true);
  const inbox = await recordRoute(recording.servers, recording.ready.api, 'inbox', requests.inbox);
  const audit = await recordRoute(recording.servers, recording.ready.api, 'audit', requests.audit);
  await recording.servers.end({ kind: 'stop' });
  console.log(describeRecorded('inbox', inbox));
  console.log(describeRecorded('audit', audit));
  await checkReplay(mongo, db, inbox.finds[0]!, 'inbox');
  await checkReplay(mongo, db, audit.finds[0]!, 'audit');
  console.log(
    `check: a bare find sends exactly the route's find (recorded pass: ${seconds(began).toFixed(1)} s)`,
  );
  console.log(await describePlan(db, `inbox (${world.approvers[0]})`, inbox.finds[0]!));
  console.log(await describePlan(db, 'audit (first request)', audit.finds[0]!));
  console.log(await describePlan(db, 'inbox, unhinted (diagnostic)', withoutHint(inbox.finds[0]!)));
  console.log(await describePlan(db, 'audit, unhinted (diagnostic)', withoutHint(audit.finds[0]!)));
  if (process.env['BENCH_PLANS_ONLY'] === '1') {
    console.log('BENCH_PLANS_ONLY=1: stopping before the load');
    await mongo.close();
    return;
  }

  const { servers, ready } = await startServers(env, false);
  const loader = await startLoader(env);
  const results: Results = { closed: {}, open: {} };
  try {
    const setup = await loader.ask({
      kind: 'setup',
      mongoUri,
      dbName: DB_NAME,
      apiPort: ready.api,
      helloPort: ready.hello,
      inbox: requests.inbox,
      audit: requests.audit,
      inboxFinds: findsJson(inbox.finds),
      auditFinds: findsJson(audit.finds),
    });
    if (setup.kind !== 'ready') throw new Error(`loader setup: ${JSON.stringify(setup)}`);
    const options = { connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS };
    console.log(
      `load: ${ROUNDS} interleaved rounds; closed loop at ${CONNECTIONS} connections and open loop at ` +
        `${OFFERED_RATE} req/s offered (at most ${CONNECTIONS} in flight); ${WARMUP_MS / 1000} s warm-up + ` +
        `${DURATION_MS / 1000} s measured per target (Node ${process.version}, loopback, servers and load in child processes)`,
    );
    for (let round = 0; round < ROUNDS; round++) {
      // Rotated order, so no target always runs first (cold) or last (after the others warmed the caches).
      for (const [mode, names] of [
        ['closed', CLOSED],
        ['open', OPEN],
      ] as const) {
        const order = names.map((_, i) => names[(i + round) % names.length]!);
        for (const target of order) {
          const m = await measured(
            loader,
            mode === 'closed'
              ? { kind: 'closed', target, options }
              : { kind: 'open', target, options: { ...options, rate: OFFERED_RATE, drainMs: DRAIN_MS } },
          );
          (results[mode][target] ??= []).push(m);
          console.log(`round ${round + 1} ${formatMeasurement(mode, m)}`);
        }
      }
    }
  } finally {
    await loader.end({ kind: 'stop' });
    await servers.end({ kind: 'stop' });
  }
  console.log(
    report(results, {
      scale: SCALE,
      data: {
        tasks: plan.tasks,
        approvers: plan.approvers,
        auditEvents: plan.events,
        projects: plan.projects,
      },
      connections: CONNECTIONS,
      offeredRate: OFFERED_RATE,
      commandsPerRequest: { inbox: inbox.maxCommands, audit: audit.maxCommands },
    }),
  );
  await mongo.close();
}

await main();
