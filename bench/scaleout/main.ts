// Scale-out (issue: "runtime throughput with two workers against one, and API throughput with two
// API processes against one, same run"). Charter's production processes, `charter worker` and
// `charter serve`, on the running Temporal and MongoDB-wire servers, loopback only:
//  - runtime: instances completed per second (each needs one decision, made through the API as soon
//    as its task is in the inbox) with one worker process and with two; one API process for both.
//  - API: requests per second of a read-heavy mix (api-load.ts) against one serve process and
//    against two, round-robin in the load generator, at the same concurrency; no worker runs.
// Each measurement is in the same run as its baseline and the order alternates over the rounds, so
// the ratios compare; a short unmeasured run of the same configuration warms each one up. The
// absolute figures are the machine's: the processes measured share its cores with Temporal,
// SecantusDB and the load generator, which bounds any 2-vs-1 ratio; each measurement says where the
// CPU went (cpu.ts), so the table tells a full machine or a saturated database from Charter.
//
// Needs running servers: `npm run services:start && source .tools/run/dev/env` (or the test
// profile's env), then `npm run bench:scaleout`. BENCH_SCALE (default 1; 0.5 for a quick run) sizes
// the instances per measurement (60), the open tasks the inboxes list (40) and the measured seconds
// of the API load (10); BENCH_ROUNDS (2) and BENCH_CONNECTIONS (16) shape the rest.
import { measureClosed } from '../api/load.js';
import type { CharterProcess } from '../../test/support/charter-process.js';
import { mixTarget } from './api-load.js';
import { type CpuGroups, describeCpu, listenerPid, sampleCpu } from './cpu.js';
import { openBacklog, type RuntimeMeasurement, runInstances } from './runtime.js';
import { report, type ApiResult, type Sampled } from './report.js';
import { addressOf, openWorld, type World } from './world.js';

const number = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const SCALE = number('BENCH_SCALE', 1);
const ROUNDS = Math.round(number('BENCH_ROUNDS', 2));
const CONNECTIONS = Math.round(number('BENCH_CONNECTIONS', 16));
const INSTANCES = Math.max(10, Math.round(60 * SCALE));
const WARMUP_INSTANCES = Math.max(4, Math.round(INSTANCES / 4));
const BACKLOG = Math.max(10, Math.round(40 * SCALE));
const DURATION_MS = Math.max(3, Math.round(10 * SCALE)) * 1000;
const WARMUP_MS = 2_000;

/** Numbers for instance inputs, distinct over the whole run. */
let numbered = 0;
const take = (count: number): number => {
  const first = numbered;
  numbered += count;
  return first;
};

/** Alternating order: round 0 measures one process first, round 1 two first, and so on. */
const orderOf = (round: number): (1 | 2)[] => (round % 2 === 0 ? [1, 2] : [2, 1]);

/** The servers both configurations share, by the port they listen on (when they run on this machine). */
function serverPids(mongoUri: string, temporal: string): CpuGroups {
  const groups: Record<string, number[]> = {};
  let mongoPort = Number.NaN;
  try {
    mongoPort = Number(new URL(mongoUri).port || Number.NaN);
  } catch {
    // A URI that URL cannot read (several hosts): the database's CPU is left out.
  }
  const database = Number.isNaN(mongoPort) ? null : listenerPid(mongoPort);
  const temporalPid = listenerPid(Number(temporal.split(':').at(-1)));
  if (database !== null) groups['database'] = [database];
  if (temporalPid !== null) groups['Temporal'] = [temporalPid];
  return groups;
}

async function runtimePhase(
  world: World,
  api: { url: string; pid: number },
  first: CharterProcess,
  servers: CpuGroups,
): Promise<Sampled<RuntimeMeasurement>[]> {
  const results: Sampled<RuntimeMeasurement>[] = [];
  let second: CharterProcess | null = null;
  for (let round = 0; round < ROUNDS; round++) {
    for (const workers of orderOf(round)) {
      if (workers === 2 && second === null) second = await world.worker();
      if (workers === 1 && second !== null) {
        await second.stop('SIGTERM');
        second = null;
      }
      await runInstances(world, api.url, workers, take(WARMUP_INSTANCES), WARMUP_INSTANCES);
      const pids = [first.pid, ...(second === null ? [] : [second.pid])];
      const stop = sampleCpu({ workers: pids, serve: [api.pid], ...servers });
      const m = await runInstances(world, api.url, workers, take(INSTANCES), INSTANCES);
      const cpu = stop();
      results.push({ m, cpu });
      console.log(
        `round ${round + 1} runtime, ${workers} worker${workers === 1 ? ' ' : 's'}: ${m.instances} instances in ` +
          `${m.seconds.toFixed(1)} s = ${m.perSecond.toFixed(2)}/s (start to end p50 ${m.p50Ms.toFixed(0)} ms, p99 ${m.p99Ms.toFixed(0)} ms)` +
          `\n  ${describeCpu(cpu)}`,
      );
    }
  }
  // The API phase reads open tasks: made while a worker still runs, then every worker stops.
  await openBacklog(world, api.url, take(BACKLOG), BACKLOG);
  await second?.stop('SIGTERM');
  await first.stop('SIGTERM');
  return results;
}

interface Served {
  port: number;
  pid: number;
}

async function apiPhase(world: World, apis: [Served, Served], serverGroups: CpuGroups): Promise<ApiResult[]> {
  const { instances } = await world.store.views.list({ status: 'approved' }, { limit: 500 });
  const sources = {
    approverTokens: world.tokens.approvers,
    endedIds: instances.map((v) => v.instanceId),
    adminToken: world.tokens.admin,
    requesterToken: world.tokens.requester,
    started: world.started,
  };
  const results: ApiResult[] = [];
  const options = { connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS };
  for (let round = 0; round < ROUNDS; round++) {
    for (const servers of orderOf(round)) {
      const used = servers === 1 ? [apis[0]] : apis;
      const target = mixTarget(
        `${servers} serve`,
        used.map((a) => a.port),
        sources,
      );
      const stop = sampleCpu({ serve: used.map((a) => a.pid), ...serverGroups });
      const m = await measureClosed(target, options);
      const cpu = stop();
      if (m.errors > 0)
        throw new Error(
          `API load against ${servers} process(es): ${m.errors} errors, first: ${m.firstError}`,
        );
      results.push({ servers, m, cpu });
      console.log(
        `round ${round + 1} API, ${servers} serve process${servers === 1 ? '  ' : 'es'}: ${m.requests} requests = ` +
          `${m.perSecond.toFixed(0)}/s (p50 ${m.p50Ms.toFixed(1)} ms, p99 ${m.p99Ms.toFixed(1)} ms)` +
          `\n  ${describeCpu(cpu)}`,
      );
    }
  }
  return results;
}

async function main(): Promise<void> {
  const temporal = process.env['TEMPORAL_ADDRESS'];
  const mongoUri = process.env['MONGODB_URI'];
  if (!temporal || !mongoUri)
    throw new Error('set TEMPORAL_ADDRESS and MONGODB_URI (source .tools/run/dev/env)');
  const world = await openWorld(mongoUri, temporal);
  try {
    const [serve1, serve2, worker] = await Promise.all([world.serve(), world.serve(), world.worker()]);
    const [one, two] = [addressOf(serve1), addressOf(serve2)];
    console.log(
      `scale-out: ${INSTANCES} instances per runtime measurement (after ${WARMUP_INSTANCES} unmeasured), ` +
        `API mix at ${CONNECTIONS} connections for ${WARMUP_MS / 1000} s + ${DURATION_MS / 1000} s, ${ROUNDS} rounds`,
    );
    const servers = serverPids(mongoUri, temporal);
    const runtime = await runtimePhase(world, { url: one.url, pid: serve1.pid }, worker, servers);
    const api = await apiPhase(
      world,
      [
        { port: one.port, pid: serve1.pid },
        { port: two.port, pid: serve2.pid },
      ],
      servers,
    );
    console.log(report(runtime, api, { scale: SCALE, rounds: ROUNDS }));
  } finally {
    await world.close();
  }
}

await main();
