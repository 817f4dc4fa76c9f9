// Monitor conformance: every `monitorTests` case of the shipped policies runs on the simulator and
// through the real workflows (time-skipping Temporal server, real store on the MongoDB-wire server):
// each scheduled run is the monitor-run workflow the schedule would start, its findings are chased
// by their own workflows (reminders, escalation, overdue) while the server skips the days between
// runs, and people's resolutions go through the store and the finding's signal. Afterwards the
// runs, the findings and their chases as the store and the ledger hold them must meet the test's
// expectations, and equal the simulator's, finding by finding and alarm by alarm: what `charter
// test` promised is what production does.
//
// Time: the server's clock only moves forward, from the real time, so each case gets its own
// server (one workflow bundle for all); cases whose `from` lies before the real time cannot run and
// fail, so their dates get fixed. A year of weekly runs takes a few seconds.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { monitorFailures, simulateMonitor } from '../../engine/simulate/index.js';
import { openStore } from '../../store/index.js';
import { charterMonitorRun } from '../../workflows/definitions/monitor-run.js';
import { createCharterWorker } from '../../workflows/worker.js';
import { charterTestBundle } from '../support/workflow-bundle.js';
import {
  findingChanged,
  findingWorkflowId,
  loadMonitorCases,
  type MonitorCase,
  observed,
  playMonitorTest,
} from '../support/monitor-conformance.js';
import { connectMongo, databaseNameFor, taskQueueFor, temporalTestServerPath } from '../support/services.js';
import { useQuietTemporalRuntime } from '../support/temporal.js';

const CASE_MS = 240_000;
const cases = loadMonitorCases(fileURLToPath(new URL('../../policies', import.meta.url)));

describe('monitor tests through the real workflows', () => {
  let bundle: WorkflowBundle;

  beforeAll(async () => {
    useQuietTemporalRuntime();
    bundle = await charterTestBundle();
  }, 120_000);

  test('the shipped policies have monitor tests to run', () => {
    expect(cases.length).toBeGreaterThanOrEqual(3);
  });

  test.each(cases.map((c) => [c.test.name, c] as const))(
    '%s',
    async (_name, c) => {
      const real = await runThroughWorkflows(c, bundle);
      expect(monitorFailures(c.test, real)).toEqual([]);

      const simulated = simulateMonitor(
        c.policy,
        c.test.monitor,
        {
          groups: c.world.groups,
          managers: c.world.managers,
          projects: c.test.projects,
          changes: c.test.changes.map((x) => ({
            ...x,
            set: Object.fromEntries(Object.entries(x.set).filter(([, v]) => v !== undefined)),
          })),
          approvals: c.test.approvals,
          resolutions: c.test.resolutions,
        },
        c.test.from,
        c.test.to,
      );
      expect(real.runs.map((r) => [r.day, r.judged])).toEqual(simulated.runs.map((r) => [r.day, r.judged]));
      expect(real.findings).toEqual(simulated.findings);
    },
    CASE_MS,
  );
});

async function runThroughWorkflows(c: MonitorCase, bundle: WorkflowBundle) {
  const taskQueue = `${taskQueueFor(import.meta.url)}-${c.key}`;
  const database = `${databaseNameFor(import.meta.url)}-${c.key}`.slice(0, 60);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
  const mongo = await connectMongo();
  try {
    const db = mongo.db(database);
    await db.dropDatabase();
    const store = await openStore(db);
    await store.directory.seedFromWorld({
      groups: c.world.groups,
      managers: c.world.managers,
      people: c.world.people,
    });
    await store.policies.publish({
      compiled: c.policy,
      sources: c.sources,
      publishedBy: 'pmo@charter.test',
      at: new Date(await env.currentTimeMs()),
    });
    const worker = await createCharterWorker({
      connection: env.nativeConnection,
      taskQueue,
      store,
      checkServices: {},
      bundle,
      shutdownGraceTime: '1 second',
    });
    const args = [{ policy: c.policy.ir.policy.name, monitor: c.test.monitor }] as const;
    await worker.runUntil(
      playMonitorTest(c, {
        store,
        async skipTo(at) {
          const now = await env.currentTimeMs();
          if (at > now) await env.sleep(at - now);
        },
        async run(workflowId) {
          await env.client.workflow.execute(charterMonitorRun, { workflowId, taskQueue, args: [...args] });
        },
        async signalResolved(findingId) {
          await env.client.workflow.getHandle(findingWorkflowId(findingId)).signal(findingChanged, {
            action: 'resolved',
          });
        },
      }),
    );
    const real = await observed(store, c);
    await db.dropDatabase();
    return real;
  } finally {
    await mongo.close();
    await env.teardown();
  }
}
