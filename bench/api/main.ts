// API throughput and latency at size (issue 6): with 100,000 tasks and 1,000,000 audit events in
// the database, requests/s and p50/p99 of an approver's inbox and of an audit query by project and
// month, next to a bare Express `GET /hello` measured in the same run, interleaved over rounds.
// Absolute figures depend on the machine (shared and noisy here); the ratios to `hello` are what
// compares across runs. Needs running servers: `source .tools/run/dev/env && npm run bench:api`.
//
// BENCH_SCALE (default 1) scales the counts (0.01 for a quick run); BENCH_KEEP_DATA=1 keeps a
// database already seeded at the same scale; BENCH_CONNECTIONS (16), BENCH_DURATION_S (10),
// BENCH_WARMUP_S (2) and BENCH_ROUNDS (3) shape the load; BENCH_SEED_ONLY=1 seeds and stops.
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { issueToken } from '../../api/auth.js';
import { mongoClient, openStore } from '../../store/index.js';
import { fetchOnce, type LoadTarget, type Measurement, measure, median } from './load.js';
import { describePlans } from './plans.js';
import { checkSeed, markSeeded, planFor, seedAudit, seededWith, seedTasks, worldOf } from './seed.js';
import type { ServersReady } from './servers.js';

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
/** Approvers whose inboxes the load rotates over (one token each). */
const INBOX_CALLERS = 200;

type Name = 'hello' | 'inbox' | 'audit';
const NAMES: Name[] = ['hello', 'inbox', 'audit'];

/** Whole requests/s, but slow routes keep their digits (0.4, not 0). */
const rate = (perSecond: number) =>
  (perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toPrecision(2)).padStart(7);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const fmt = (m: Measurement) =>
  `${m.name.padEnd(6)} ${rate(m.perSecond)} req/s   p50 ${m.p50Ms.toFixed(2).padStart(7)} ms   ` +
  `p99 ${m.p99Ms.toFixed(2).padStart(7)} ms   max ${m.maxMs.toFixed(1).padStart(7)} ms   ` +
  `(${m.requests} requests${m.errors > 0 ? `, ${m.errors} ERRORS: ${m.firstError ?? ''}` : ''})`;

async function startServers(
  mongoUri: string,
  temporal: string,
): Promise<{ ready: ServersReady; stop: () => void }> {
  const child = fork(fileURLToPath(new URL('./servers.ts', import.meta.url)), [], {
    env: { ...process.env, MONGODB_URI: mongoUri, TEMPORAL_ADDRESS: temporal, BENCH_DB: DB_NAME },
  });
  const ready = await new Promise<ServersReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ServersReady));
    child.once('exit', (code) => reject(new Error(`the servers' process exited early (code ${code})`)));
  });
  return { ready, stop: () => child.send('stop') };
}

async function main(): Promise<void> {
  const temporal = process.env['TEMPORAL_ADDRESS'];
  const mongoUri = process.env['MONGODB_URI'];
  if (!temporal || !mongoUri)
    throw new Error('set TEMPORAL_ADDRESS and MONGODB_URI (source .tools/run/dev/env)');
  const plan = planFor(SCALE);
  const world = worldOf(plan);
  const mongo = mongoClient(mongoUri);
  await mongo.connect();
  const db = mongo.db(DB_NAME);
  const now = new Date();

  if (process.env['BENCH_KEEP_DATA'] === '1' && (await seededWith(db, plan))) {
    console.log(`seed: keeping the database ${DB_NAME} (already seeded at scale ${SCALE})`);
  } else {
    await db.dropDatabase();
    console.log(
      `seed: ${plan.tasks} tasks over ${plan.approvers} approvers, ${plan.events} audit events over ` +
        `${plan.projects} projects and a year, into ${DB_NAME} (scale ${SCALE})`,
    );
    let began = performance.now();
    const tasks = await seedTasks(db, plan, world, now);
    const taskSeconds = seconds(began);
    console.log(`seed: ${tasks} tasks in ${taskSeconds} s (${(tasks / Number(taskSeconds)).toFixed(0)}/s)`);
    began = performance.now();
    const events = await seedAudit(db, plan, world);
    const eventSeconds = seconds(began);
    console.log(
      `seed: ${events} audit events in ${eventSeconds} s (${(events / Number(eventSeconds)).toFixed(0)}/s)`,
    );
    began = performance.now();
    await openStore(db);
    console.log(`seed: indexes (openStore) in ${seconds(began)} s`);
    await markSeeded(db, plan);
    if (process.env['BENCH_SEED_ONLY'] === '1') {
      console.log('seed: BENCH_SEED_ONLY=1, stopping before the check and the load');
      await mongo.close();
      return;
    }
    // Checked once, right after seeding (BENCH_KEEP_DATA=1 runs trust the seed they find).
    console.log(await checkSeed(await openStore(db), world));
  }
  const store = await openStore(db);
  console.log(await describePlans(db, world));

  const inboxTokens = await Promise.all(
    world.approvers
      .slice(0, INBOX_CALLERS)
      .map((person) => issueToken(store, person, ['approver'], 'bench', now)),
  );
  const auditorToken = await issueToken(store, 'simon.frey@halden.example', ['auditor'], 'bench', now);
  const windows: string[] = [];
  for (const project of world.projects) {
    for (let month = 0; month < 12; month++) {
      const from = new Date(Date.UTC(world.from.getUTCFullYear(), month, 1));
      const to = new Date(Date.UTC(world.from.getUTCFullYear(), month + 1, 1));
      windows.push(
        `/v1/audit/events?project=${project}&from=${from.toISOString()}&to=${to.toISOString()}&limit=50`,
      );
    }
  }
  let inboxTurn = 0;
  let auditTurn = 0;
  const { ready, stop } = await startServers(mongoUri, temporal);
  const targets: Record<Name, LoadTarget> = {
    hello: { name: 'hello', port: ready.hello, next: () => ({ path: '/hello' }) },
    inbox: {
      name: 'inbox',
      port: ready.api,
      next: () => ({ path: '/v1/tasks/inbox', token: inboxTokens[inboxTurn++ % inboxTokens.length]! }),
    },
    audit: {
      name: 'audit',
      port: ready.api,
      // A stride prime to the window count: consecutive requests hit different projects and months.
      next: () => ({ path: windows[(auditTurn++ * 37) % windows.length]!, token: auditorToken }),
    },
  };

  for (const name of NAMES) {
    const target = targets[name];
    const answer = await fetchOnce(target.port, target.next());
    if (answer.status !== 200) throw new Error(`${name}: ${answer.status} ${answer.body}`);
    const items = name === 'hello' ? null : (JSON.parse(answer.body) as { items: unknown[] }).items.length;
    console.log(`check: ${name} answers 200${items === null ? '' : ` with ${items} items`}`);
  }

  const options = { connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS };
  console.log(
    `load: ${ROUNDS} interleaved rounds, ${CONNECTIONS} keep-alive connections, ${WARMUP_MS / 1000} s warm-up + ` +
      `${DURATION_MS / 1000} s measured per target (Node ${process.version}, loopback, servers in a child process)`,
  );
  const results: Record<Name, Measurement[]> = { hello: [], inbox: [], audit: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Rotated order, so no target always runs first (cold) or last (after the others warmed the caches).
      const order = NAMES.map((_, i) => NAMES[(i + round) % NAMES.length]!);
      for (const name of order) {
        const m = await measure(targets[name], options);
        results[name].push(m);
        console.log(`round ${round + 1} ${fmt(m)}`);
      }
    }
  } finally {
    stop();
  }

  const summary = Object.fromEntries(
    NAMES.map((name) => {
      const ms = results[name];
      return [
        name,
        {
          perSecond: median(ms.map((m) => m.perSecond)),
          p50Ms: median(ms.map((m) => m.p50Ms)),
          p99Ms: median(ms.map((m) => m.p99Ms)),
          errors: ms.reduce((sum, m) => sum + m.errors, 0),
        },
      ];
    }),
  ) as Record<Name, { perSecond: number; p50Ms: number; p99Ms: number; errors: number }>;
  const ratio = (name: Name, field: 'perSecond' | 'p99Ms') =>
    results[name].map((m, i) => m[field] / (results.hello[i]?.[field] ?? Number.NaN));
  const ratioLine = (name: Name, field: 'perSecond' | 'p99Ms', label: string) => {
    const rounds = ratio(name, field);
    return `${label.padEnd(22)} ${median(rounds).toPrecision(3)} (rounds: ${rounds.map((r) => r.toPrecision(3)).join(', ')})`;
  };
  console.log('median of rounds:');
  for (const name of NAMES) {
    const s = summary[name];
    console.log(
      `  ${name.padEnd(6)} ${rate(s.perSecond)} req/s   p50 ${s.p50Ms.toFixed(2)} ms   p99 ${s.p99Ms.toFixed(2)} ms   errors ${s.errors}`,
    );
  }
  console.log(ratioLine('inbox', 'perSecond', 'throughput inbox/hello'));
  console.log(ratioLine('audit', 'perSecond', 'throughput audit/hello'));
  console.log(ratioLine('inbox', 'p99Ms', 'p99 inbox/hello'));
  console.log(ratioLine('audit', 'p99Ms', 'p99 audit/hello'));
  console.log(
    JSON.stringify({
      bench: 'api',
      scale: SCALE,
      data: {
        tasks: plan.tasks,
        approvers: plan.approvers,
        auditEvents: plan.events,
        projects: plan.projects,
      },
      connections: CONNECTIONS,
      summary,
      ratios: {
        throughputInbox: median(ratio('inbox', 'perSecond')),
        throughputAudit: median(ratio('audit', 'perSecond')),
        p99Inbox: median(ratio('inbox', 'p99Ms')),
        p99Audit: median(ratio('audit', 'p99Ms')),
      },
    }),
  );
  await mongo.close();
}

await main();
