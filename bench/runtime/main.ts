// Runtime throughput: instances per second of a three-step process (approval by Update, external
// check, notification) through the interpreter, against the same process written by hand as a
// Temporal workflow with the same activities and writes; same worker, same servers, interleaved
// rounds. Also history events per instance, end-to-end latency and the Update round trip.
// Needs running servers: `npm run services:start && source .tools/run/dev/env` (or the test
// profile's env), then `npm run bench:runtime`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import { mongoClient, openStore } from '../../store/index.js';
import { decideUpdate } from '../../workflows/definitions/messages.js';
import { bundleCharterWorkflows, createCharterWorker } from '../../workflows/worker.js';

const POLICY = `policy "Bench access" version 1 effective 2026-01-01
owner "pmo@example.com"
role approvers = group "approvers"
process access {
  input {
    requester: person
  }
  approve review {
    by approvers
    not request.requester
  }
  check scan: external "scanner"
  notify request.requester: "access granted"
  end approved "done"
}
`;
const ROUNDS = 3;
const PER_ROUND = Number(process.env['BENCH_INSTANCES'] ?? 60);
const CONCURRENCY = 12;

type Kind = 'interpreter' | 'handwritten';
interface Sample {
  e2eMs: number;
  updateMs: number;
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const median = (values: number[]): number => quantile(values, 0.5);

async function main(): Promise<void> {
  const temporal = process.env['TEMPORAL_ADDRESS'];
  const mongoUri = process.env['MONGODB_URI'];
  if (!temporal || !mongoUri)
    throw new Error('set TEMPORAL_ADDRESS and MONGODB_URI (source .tools/run/dev/env)');
  const compiled = compileEntry('bench.charter', memoryHost({ 'bench.charter': POLICY })).compiled;
  if (!compiled) throw new Error('bench policy does not compile');

  const checks = createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"outcome":"passed"}'),
    );
  });
  await new Promise<void>((resolve) => checks.listen(0, '127.0.0.1', resolve));
  const scanner = `http://127.0.0.1:${(checks.address() as AddressInfo).port}/scan`;

  const mongo = mongoClient(mongoUri);
  await mongo.connect();
  const dbName = `bench_runtime_${process.pid}`;
  const store = await openStore(mongo.db(dbName));
  await store.directory.seedFromWorld({
    groups: { approvers: ['alice', 'bob', 'rita'] },
    managers: {},
    people: ['rita'],
  });
  const taskQueue = `bench-runtime-${process.pid}`;
  const connection = await NativeConnection.connect({ address: temporal });
  const bundle = await bundleCharterWorkflows(fileURLToPath(new URL('./workflows.ts', import.meta.url)));
  const worker = await createCharterWorker({
    connection,
    taskQueue,
    store,
    checkServices: { scanner },
    bundle,
  });
  const client = new Client({ connection: await Connection.connect({ address: temporal }) });
  const policy = {
    name: compiled.ir.policy.name,
    version: compiled.ir.policy.version,
    sha256: compiled.sha256,
  };

  async function one(kind: Kind, id: string): Promise<Sample> {
    const began = performance.now();
    const workflowId = `${taskQueue}-${id}`;
    const instance = { instanceId: workflowId, policy, process: 'access', project: null };
    const handle =
      kind === 'interpreter'
        ? await client.workflow.start('charterInstance', {
            taskQueue,
            workflowId,
            args: [
              {
                policy: compiled,
                process: 'access',
                input: { requester: 'rita' },
                instanceId: workflowId,
                startedBy: 'rita',
              },
            ],
          })
        : await client.workflow.start('handwrittenInstance', {
            taskQueue,
            workflowId,
            args: [{ instance, requester: 'rita', service: 'scanner' }],
          });
    let updateMs: number;
    for (;;) {
      const sent = performance.now();
      try {
        await handle.executeUpdate(decideUpdate, {
          args: [{ step: 'review', actor: 'alice', decision: 'approve' }],
        });
        updateMs = performance.now() - sent;
        break;
      } catch (error) {
        // Too early: the approvers are still being resolved. Ask again shortly.
        if (!(error instanceof WorkflowUpdateFailedError)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    await handle.result();
    return { e2eMs: performance.now() - began, updateMs };
  }

  async function round(kind: Kind, r: number): Promise<{ seconds: number; samples: Sample[] }> {
    const samples: Sample[] = [];
    let next = 0;
    const began = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < PER_ROUND) {
          const i = next++;
          samples.push(await one(kind, `${kind}-${r}-${i}`));
        }
      }),
    );
    return { seconds: (performance.now() - began) / 1000, samples };
  }

  const results: Record<Kind, { rates: number[]; samples: Sample[] }> = {
    interpreter: { rates: [], samples: [] },
    handwritten: { rates: [], samples: [] },
  };
  await worker.runUntil(async () => {
    await round('interpreter', -1); // warm-up of both, not counted
    await round('handwritten', -1);
    for (let r = 0; r < ROUNDS; r += 1) {
      const order: Kind[] = r % 2 === 0 ? ['interpreter', 'handwritten'] : ['handwritten', 'interpreter'];
      for (const kind of order) {
        const { seconds, samples } = await round(kind, r);
        results[kind].rates.push(PER_ROUND / seconds);
        results[kind].samples.push(...samples);
      }
    }
  });
  const events = async (kind: Kind): Promise<number> => {
    const history = await client.workflow.getHandle(`${taskQueue}-${kind}-0-0`).fetchHistory();
    return history.events?.length ?? 0;
  };
  const eventsInterp = await events('interpreter');
  const eventsHand = await events('handwritten');
  const ratios = results.interpreter.rates.map(
    (rate, i) => rate / (results.handwritten.rates[i] ?? Number.NaN),
  );
  const row = (kind: Kind) => {
    const { rates, samples } = results[kind];
    const e2e = samples.map((s) => s.e2eMs);
    const upd = samples.map((s) => s.updateMs);
    return `${kind.padEnd(12)} ${median(rates).toFixed(1).padStart(8)} inst/s   e2e p50 ${median(e2e).toFixed(0)} ms p99 ${quantile(e2e, 0.99).toFixed(0)} ms   update p50 ${median(upd).toFixed(1)} ms p99 ${quantile(upd, 0.99).toFixed(1)} ms`;
  };
  console.log(
    `runtime: ${ROUNDS} interleaved rounds of ${PER_ROUND} instances, ${CONCURRENCY} in flight (Node ${process.version})`,
  );
  console.log(row('interpreter'));
  console.log(row('handwritten'));
  console.log(
    `throughput interpreter / hand-written: ${median(ratios).toFixed(2)} (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
  );
  console.log(
    `history events per instance: interpreter ${eventsInterp}, hand-written ${eventsHand} (${((eventsInterp / eventsHand - 1) * 100).toFixed(0)}% more)`,
  );
  console.log(
    JSON.stringify({
      bench: 'runtime',
      throughputRatio: median(ratios),
      roundRatios: ratios,
      interpreterPerSecond: median(results.interpreter.rates),
      handwrittenPerSecond: median(results.handwritten.rates),
      historyEvents: { interpreter: eventsInterp, handwritten: eventsHand },
    }),
  );
  await mongo.db(dbName).dropDatabase();
  await mongo.close();
  await connection.close();
  checks.close();
}

await main();
