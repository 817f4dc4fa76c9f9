// The impact analysis at size (issue 18): `POST /v1/policies/{name}/impact` (api/policies/impact.ts)
// replaying the last 200 and the last 2,000 finished instances of a policy through a candidate that
// lowers a threshold, over HTTP against the real store. Seeded through the store (seed.ts: the real
// machine's ledger events and views, no Temporal), 2,000 finished instances of v1.
//
// Reported: per size the route's time over HTTP (median, fastest and slowest of the rounds), the
// time per instance replayed, the answer's size, and the ratio of the 2,000 to the 200 (linear would
// be 10x); beside each, its floor measured in the same round: the route's store reads alone
// (reads.ts), and what the route spends beyond them. Rounds alternate which size goes first; one
// unmeasured warm-up of each size first.
//
// Fails (exit 1) rather than report numbers for work not done: an answer other than 200, or one
// that did not replay exactly the expected instances (count, same, would wait, nothing unreplayed,
// each replay of v1 reproducing what was recorded).
//
// The API runs in this process (createApp with real deps, as bench/ledger/servers.ts does in its
// child): one request at a time is sent and awaited, so the client's own work never overlaps the
// route's. The route never reaches Temporal: the client's connection is lazy and never opens.
// Needs a MongoDB in MONGODB_URI: `source .tools/run/test/env && npm run bench:impact`. Uses the
// database `bench_impact`, dropped at the start and the end. BENCH_IMPACT_ROUNDS (5).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app.js';
import { issueToken } from '../../api/auth.js';
import type { ApiDeps } from '../../api/deps.js';
import { mongoClient, openStore, type Store } from '../../store/index.js';
import { readsOf } from './reads.js';
import { expectedOf, FILE, POLICY, policyText, seedPast } from './seed.js';

const DB_NAME = 'bench_impact';
const SEEDED = 2000;
const SIZES = [200, 2000] as const;
/** The first instance starts here; the 2,000th about 42 days later, all before the run. */
const FIRST_START = new Date('2026-08-03T07:00:00Z');
const ROUNDS = Number(process.env['BENCH_IMPACT_ROUNDS'] ?? 5);
if (!Number.isInteger(ROUNDS) || ROUNDS <= 0)
  throw new Error('BENCH_IMPACT_ROUNDS must be a positive whole number');
const uri = process.env['MONGODB_URI'];
if (uri === undefined) throw new Error('MONGODB_URI is not set: source .tools/run/test/env first');

interface Summary {
  instances: number;
  same: number;
  differs: number;
  wouldWait: number;
  notReplayed: number;
  replayDiffersFromRecord: number;
}
interface Sample {
  ms: number;
  bytes: number;
  /** The same store reads alone, right after (reads.ts), and of them the views' pages. */
  readsMs: number;
  viewsMs: number;
}

const log = (line: string) => console.log(line);
const since = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

async function listen(store: Store, ping: () => Promise<void>): Promise<{ server: Server; base: string }> {
  const connection = Connection.lazy({ address: process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233' });
  const deps: ApiDeps = {
    store,
    temporal: new Client({ connection }),
    taskQueue: 'bench-impact',
    now: () => new Date(),
    health: {
      mongo: ping,
      temporal: async () => {
        await connection.healthService.check({});
      },
    },
    log: (line, error) => console.error(line, error),
  };
  const server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** One impact request for the newest `last` instances, timed; fails on anything but the expected answer. */
async function impact(
  base: string,
  token: string,
  last: number,
): Promise<Omit<Sample, 'readsMs' | 'viewsMs'>> {
  const body = JSON.stringify({ files: { [FILE]: policyText(2) }, entry: FILE, last });
  const began = performance.now();
  const response = await fetch(`${base}/v1/policies/${encodeURIComponent(POLICY)}/impact`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  const ms = performance.now() - began;
  if (response.status !== 200)
    throw new Error(`impact of the last ${last}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  const summary = (JSON.parse(text) as { summary: Summary }).summary;
  const expected = expectedOf(SEEDED, last);
  const wanted: Summary = { ...expected, differs: 0, notReplayed: 0, replayDiffersFromRecord: 0 };
  const wrong = (Object.keys(wanted) as (keyof Summary)[]).filter((k) => summary[k] !== wanted[k]);
  if (wrong.length > 0)
    throw new Error(
      `impact of the last ${last}: expected ${JSON.stringify(wanted)}, the route answered ${JSON.stringify(summary)}`,
    );
  return { ms, bytes: Buffer.byteLength(text) };
}

function report(samples: Record<number, Sample[]>): string {
  const [small, large] = SIZES;
  const medianOf = (n: number, pick: (s: Sample) => number) => median((samples[n] ?? []).map(pick));
  const routeMs = Object.fromEntries(SIZES.map((n) => [n, medianOf(n, (s) => s.ms)]));
  const readsMs = Object.fromEntries(SIZES.map((n) => [n, medianOf(n, (s) => s.readsMs)]));
  const viewsMs = Object.fromEntries(SIZES.map((n) => [n, medianOf(n, (s) => s.viewsMs)]));
  const fmt = (value: number) => `${value.toFixed(0)} ms`.padStart(9);
  const lines = ['', `impact of ${POLICY} v2 against v1, ${ROUNDS} rounds (median; fastest..slowest):`];
  for (const n of SIZES) {
    const times = (samples[n] ?? []).map((s) => s.ms);
    const route = routeMs[n] ?? NaN;
    const reads = readsMs[n] ?? NaN;
    lines.push(
      `  last=${String(n).padEnd(5)} route over HTTP ${fmt(route)} (${Math.min(...times).toFixed(0)}..${Math.max(...times).toFixed(0)} ms)` +
        `   ${(route / n).toFixed(2)} ms per instance   answer ${((samples[n]?.[0]?.bytes ?? 0) / 1024).toFixed(0)} KB`,
      `  last=${String(n).padEnd(5)}   its store reads alone ${fmt(reads)} (views ${fmt(viewsMs[n] ?? NaN)}, ledger ${fmt(reads - (viewsMs[n] ?? NaN))})`,
      `  last=${String(n).padEnd(5)}   the rest, median less median (compile, replay, compare, JSON) ${fmt(route - reads)}   ${((route - reads) / n).toFixed(2)} ms per instance`,
    );
  }
  const ratio = (a: Record<string, number>) => (a[large] ?? NaN) / (a[small] ?? NaN);
  lines.push(
    `  ratio last=${large} / last=${small}: route ${ratio(routeMs).toFixed(2)}x, reads ${ratio(readsMs).toFixed(2)}x (linear would be ${large / small}x)`,
    JSON.stringify({
      bench: 'impact',
      rounds: ROUNDS,
      routeMs,
      readsMs,
      viewsMs,
      ratio: Number(ratio(routeMs).toFixed(3)),
    }),
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const began = performance.now();
  const mongo = mongoClient(uri as string);
  await mongo.connect();
  const db = mongo.db(DB_NAME);
  let server: Server | null = null;
  try {
    await db.dropDatabase();
    const store = await openStore(db);
    const seeded = await seedPast(store, SEEDED, FIRST_START);
    log(
      `seed: ${seeded.instances} finished instances of v1, ${seeded.events} ledger events, in ${since(began)}`,
    );
    const api = await listen(store, async () => {
      await db.command({ ping: 1 });
    });
    server = api.server;
    const token = await issueToken(store, 'pmo@bench.example', ['pmo'], 'bench', new Date());

    for (const n of SIZES) await impact(api.base, token, n);
    log(`warm-up: one request per size, answers checked`);
    const samples: Record<number, Sample[]> = Object.fromEntries(SIZES.map((n) => [n, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 === 1 ? SIZES : ([...SIZES].reverse() as number[]);
      const parts: string[] = [];
      for (const n of order) {
        const answer = await impact(api.base, token, n);
        const reads = await readsOf(store, POLICY, 1, n);
        if (reads.views !== n) throw new Error(`the store reads found ${reads.views} views, not ${n}`);
        samples[n]?.push({ ...answer, readsMs: reads.ms, viewsMs: reads.viewsMs });
        parts.push(
          `last=${n} ${answer.ms.toFixed(0)} ms (reads ${reads.ms.toFixed(0)} ms: views ${reads.viewsMs.toFixed(0)} ms, ${reads.events} events ${(reads.ms - reads.viewsMs).toFixed(0)} ms)`,
        );
      }
      log(`round ${round}: ${parts.join(', ')}`);
    }
    log(report(samples));
    log(`impact bench: done in ${since(began)}`);
  } finally {
    if (server) {
      server.closeAllConnections();
      server.close();
    }
    await db.dropDatabase().catch(() => undefined);
    await mongo.close();
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
