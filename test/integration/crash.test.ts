// Crash safety, end to end: the worker is a real OS process that gets SIGKILLed at random moments
// while drill instances run (activities in flight, Updates arriving, workflow tasks half done), and
// a new process takes over each time. Every instance must still complete, and the audit ledger
// must hold each of its facts exactly once on a chain that verifies: what the deterministic
// activity keys and Temporal's retries promise, checked against the real dev server and SecantusDB.
//
// The kill schedule comes from a seed, printed at the end; CHARTER_CRASH_SEED=<n> replays it (as far
// as timing allows). A killed worker's activities are only retried after their start-to-close
// time-out (30 s for the storage activities), which is what bounds this file's run time.
import { Client, Connection } from '@temporalio/client';
import type { MongoClient } from 'mongodb';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import { openStore, type Store } from '../../store/index.js';
import { connectMongo, databaseNameFor, taskQueueFor, temporalAddress } from '../support/services.js';
import {
  approveWhenOpen,
  type CheckStub,
  drillOutcome,
  drillPolicy,
  killAllWorkerProcesses,
  seedDrill,
  seededRandom,
  sleep,
  startCheckStub,
  startDrill,
  startWorkerProcess,
  type WorkerProcessOptions,
} from '../support/worker-process.js';

const INSTANCES = 20;
const SEED = Number(process.env['CHARTER_CRASH_SEED'] ?? Date.now() % 1_000_000);

describe('a worker process killed with SIGKILL at random moments', () => {
  const database = databaseNameFor(import.meta.url);
  const taskQueue = taskQueueFor(import.meta.url);
  let mongo: MongoClient;
  let store: Store;
  let connection: Connection;
  let client: Client;
  let stub: CheckStub;
  let policy: CompiledPolicy;
  const ids: string[] = [];

  beforeAll(async () => {
    policy = drillPolicy();
    mongo = await connectMongo();
    store = await openStore(mongo.db(database));
    await seedDrill(store);
    stub = await startCheckStub();
    connection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection });
  }, 60_000);

  afterAll(async () => {
    // A failed run leaves instances waiting for a worker: end them so the dev server stays tidy.
    await Promise.all(
      ids.map((id) =>
        client?.workflow
          .getHandle(id)
          .terminate('test over')
          .catch(() => null),
      ),
    );
    await killAllWorkerProcesses();
    await stub?.close();
    await connection?.close();
    await mongo?.db(database).dropDatabase();
    await mongo?.close();
  }, 60_000);

  test('when workers die mid-run and new ones take over, then every instance completes and its ledger holds each event once, on a valid chain', async () => {
    const t0 = Date.now();
    const random = seededRandom(SEED);
    const kills = 3 + Math.floor(random() * 3);
    const deadline = t0 + 210_000;
    const options: WorkerProcessOptions = { database, taskQueue, checkServices: { scan: stub.url } };
    let worker = await startWorkerProcess(options);
    // It ran the tests' kept bundle (CHARTER_WORKFLOW_BUNDLE) rather than bundling at each start.
    expect(worker.lines().join('\n')).toContain('workflow bundle: read from');
    const schedule: string[] = [];
    // Half the approvals are held until the next kill, so that they reach Temporal while no worker
    // is up: the Update must wait or be retried, and still be applied exactly once.
    let killed = (): void => undefined;
    let nextKill = new Promise<void>((resolve) => (killed = resolve));
    const approvals: Promise<number>[] = [];

    // One batch of instances per worker life, so that every kill lands among instances that are
    // mid-flight rather than only among ones already parked on the approval.
    const batches = kills + 1;
    for (let b = 0; b < batches; b++) {
      const size = Math.ceil((INSTANCES - ids.length) / (batches - b));
      for (let i = 0; i < size; i++) {
        const n = ids.length;
        const id = `${taskQueue}-${n}`;
        ids.push(id);
        // Odd instances take the second scan too (amount above 100): more activities to cut.
        await startDrill(client, taskQueue, policy, id, n % 2 === 0 ? 50 : 150);
        const jitter = Math.floor(random() * 1_000);
        const gate = n % 2 === 1 ? () => nextKill.then(() => sleep(jitter)) : () => sleep(jitter);
        const approval = approveWhenOpen(client, store, id, deadline, gate);
        approval.catch(() => undefined); // awaited below; this only keeps an early failure "handled"
        approvals.push(approval);
      }
      if (b === batches - 1) break;
      const alive = 300 + Math.floor(random() * 3_000);
      await sleep(alive);
      await worker.stop('SIGKILL');
      killed();
      if (b + 1 === kills) nextKill = Promise.resolve();
      else nextKill = new Promise<void>((resolve) => (killed = resolve));
      const pause = 200 + Math.floor(random() * 1_200);
      schedule.push(
        `kill ${b + 1} at ${((Date.now() - t0) / 1000).toFixed(1)}s (+${alive}ms, down ${pause}ms)`,
      );
      await sleep(pause);
      const spawned = Date.now();
      worker = await startWorkerProcess(options);
      schedule.push(`  worker ${b + 2} ready after ${Date.now() - spawned}ms`);
    }

    const outcome = await drillOutcome(client, store, worker, ids, approvals, deadline);
    const { attempts, events, completedAt } = outcome;
    const retries = outcome.activityRetries;
    // Each as the policy dictates: approved, with the end message; anything else is listed by id.
    expect(outcome.unexpected).toEqual([]);
    expect(outcome.problems).toEqual([]);
    expect(outcome.openTasks).toBe(0);

    const checkCalls = [...stub.calls.values()].reduce((a, b) => a + b, 0);
    console.log(
      `crash drill (seed ${SEED}): ${ids.length} instances, ${kills} SIGKILLs, ${events} audit events checked, ` +
        `${retries} activity retries, ${checkCalls} check calls for ${stub.calls.size} checks, ` +
        `${attempts.reduce((a, b) => a + b, 0) - attempts.length} approval retries; all done after ` +
        `${((completedAt - t0) / 1000).toFixed(1)}s\n  ${schedule.join('\n  ')}`,
    );
  }, 240_000);
});
