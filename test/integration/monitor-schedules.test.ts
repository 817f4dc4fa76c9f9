// Protocol monitors on the real Temporal dev server (the time-skipping server has no Schedules):
// reconciling creates one Schedule per monitor with the declared spec, read back and compared;
// backfilling a month of Mondays runs the monitor once per Monday, judging each day, and opens
// exactly the findings those days call for; the same run done twice at once, and by two
// workers, opens nothing twice; pausing keeps runs from being made up; retiring the version
// removes the schedule. The store is the real MongoDB-wire server.
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkflowBundle } from '@temporalio/worker';
import { openStore, type Store } from '../../store/index.js';
import { monitorScheduleId } from '../../workflows/definitions/monitor-messages.js';
import { runMonitor } from '../../workflows/monitors/run.js';
import { findingsOf } from '../../workflows/monitors/findings-port.js';
import { MONITOR_SCHEDULE_POLICIES, reconcileSchedules } from '../../workflows/monitors/schedules.js';
import { createCharterWorker } from '../../workflows/worker.js';
import { charterTestBundle } from '../support/workflow-bundle.js';
import { projectFields, publishPolicy, riskReviewPolicy } from '../support/monitors.js';
import { useStoreDatabase } from '../support/store-db.js';
import { taskQueueFor, temporalAddress } from '../support/services.js';
import { useQuietTemporalRuntime } from '../support/temporal.js';
import { until } from '../support/until.js';

jest.setTimeout(180_000);

const POLICY = `Protocol ${randomUUID().slice(0, 8)}`;

describe('monitors as Temporal Schedules (dev server)', () => {
  const database = useStoreDatabase(import.meta.url);
  const taskQueue = `${taskQueueFor(import.meta.url)}-${randomUUID().slice(0, 6)}`;
  const scheduleId = monitorScheduleId(POLICY, 'risk_review_current');
  let store: Store;
  let bundle: WorkflowBundle;
  let workerConnections: NativeConnection[] = [];
  let running: Promise<void>[] = [];
  let clientConnection: Connection;
  let client: Client;
  let workers: Worker[];

  beforeAll(async () => {
    useQuietTemporalRuntime();
    store = await openStore(database.db());
    bundle = await charterTestBundle();
    // Two workers (one connection each, as two processes would have) on one queue.
    workerConnections = await Promise.all(
      [0, 1].map(() => NativeConnection.connect({ address: temporalAddress() })),
    );
    clientConnection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection: clientConnection });
    await store.directory.seedFromWorld({
      groups: {},
      managers: {},
      people: ['alice@halden.example', 'bob@halden.example', 'dana@halden.example'],
    });
    const compiled = await publishPolicy(store, riskReviewPolicy(POLICY), {
      file: 'protocol.charter',
      by: 'pmo',
      at: new Date('2026-01-01T00:00:00Z'),
    });
    const at = new Date('2026-10-01T00:00:00Z');
    await store.projects.create('PRJ-1', projectFields('build', 'alice@halden.example'), 'pmo', at);
    await store.projects.create('PRJ-2', projectFields('test', 'bob@halden.example'), 'pmo', at);
    await store.projects.create('PRJ-3', projectFields('planning', 'bob@halden.example'), 'pmo', at);
    await store.projects.create('PRJ-4', projectFields('build', null), 'pmo', at);
    // PRJ-2 passed a risk review on 20 October: within 30 days of the first three Mondays only.
    await store.views.upsert({
      instanceId: 'review-prj-2',
      workflowId: 'review-prj-2',
      policy: { name: POLICY, version: 1, sha256: compiled.sha256 },
      process: 'risk_review',
      project: 'PRJ-2',
      status: 'approved',
      message: null,
      startedAt: new Date('2026-10-19T09:00:00Z'),
      startedBy: 'bob@halden.example',
      endedAt: new Date('2026-10-20T10:00:00Z'),
      currentSteps: [],
      blockedOn: [],
      transition: 3,
    });
    workers = await Promise.all(
      workerConnections.map((connection) =>
        createCharterWorker({
          connection,
          taskQueue,
          store,
          checkServices: {},
          bundle,
          shutdownGraceTime: '1 second',
        }),
      ),
    );
    running = workers.map((worker) => worker.run());
  }, 180_000);

  afterAll(async () => {
    await client?.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
    for (const worker of workers ?? []) worker.shutdown();
    await Promise.allSettled(running);
    await clientConnection?.close();
    for (const connection of workerConnections) await connection.close();
  });

  test('when the schedules are reconciled, then the monitor has one with the declared spec and catch-up rule', async () => {
    const outcome = await reconcileSchedules(client, store, taskQueue, new Date());
    expect(outcome.created).toEqual([scheduleId]);
    expect(await reconcileSchedules(client, store, taskQueue, new Date())).toEqual({
      created: [],
      updated: [],
      deleted: [],
    });

    const described = await client.schedule.getHandle(scheduleId).describe();
    expect(described.spec.timezone).toBe('Europe/Berlin');
    expect(described.spec.calendars).toEqual([
      expect.objectContaining({
        dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }],
        hour: [{ start: 8, end: 8, step: 1 }],
        minute: [{ start: 0, end: 0, step: 1 }],
      }),
    ]);
    expect(described.policies.overlap).toBe(MONITOR_SCHEDULE_POLICIES.overlap);
    expect(described.policies.catchupWindow).toBe(24 * 3600 * 1000);
    expect(described.action).toMatchObject({ workflowType: 'charterMonitorRun', taskQueue });
  });

  test('when a month of Mondays is backfilled, then each Monday is judged and exactly the expected findings open', async () => {
    await client.schedule.getHandle(scheduleId).backfill({
      start: new Date('2026-11-01T00:00:00Z'),
      end: new Date('2026-11-30T00:00:00Z'),
      overlap: 'BUFFER_ALL',
    });
    const runs = () => store.audit.query({ fact: 'monitorRun' }, { limit: 50 });
    await until('four Monday runs', runs, (page) => page.events.length === 4, 120_000);

    const days = (await runs()).events.map((e) => (e.fact?.kind === 'monitorRun' ? e.fact.day : null)).sort();
    expect(days).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    const page = await store.findings.page({}, null, 50);
    const opened = page.items.map((f) => `${f.project} ${f.openedByRun.slice(-20, -10)} ${f.status}`).sort();
    // PRJ-1 never had a review, PRJ-4 has no manager (opened ownerless, fail closed), PRJ-2's review
    // of 20 October is more than 30 days old from 23 November; PRJ-3 is out of scope.
    expect(opened).toEqual(['PRJ-1 2026-11-02 open', 'PRJ-2 2026-11-23 open', 'PRJ-4 2026-11-02 open']);
    const ownerless = page.items.find((f) => f.project === 'PRJ-4');
    expect(ownerless?.owners).toEqual([]);
  });

  test('when the same run is done twice at once, then no finding is doubled', async () => {
    const deps = { store, findings: findingsOf(store) };
    const input = {
      policy: POLICY,
      monitor: 'risk_review_current',
      runAt: Date.parse('2026-12-07T07:00:00Z'),
      runId: 'by-hand',
    };
    const [a, b] = await Promise.all([runMonitor(deps, input), runMonitor(deps, input)]);

    expect(a.opened.length + b.opened.length).toBe(0);
    expect([a.failed, b.failed]).toEqual([3, 3]);
    const live = await store.findings.page({ status: 'live' }, null, 50);
    expect(live.items.map((f) => f.project).sort()).toEqual(['PRJ-1', 'PRJ-2', 'PRJ-4']);
  });

  test('when a schedule is paused, then runs it missed are not made up and reconciling keeps it paused', async () => {
    const handle = client.schedule.getHandle(scheduleId);
    await handle.pause('quarter-end freeze');
    await reconcileSchedules(client, store, taskQueue, new Date());
    const described = await handle.describe();
    expect(described.state).toMatchObject({ paused: true, note: 'quarter-end freeze' });

    // A test schedule with the monitors' policies, every second, paused for 3 seconds.
    const probe = await client.schedule.create({
      scheduleId: `${scheduleId}-probe`,
      spec: { intervals: [{ every: '1 second' }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'charterMonitorRun',
        taskQueue,
        args: [{ policy: 'none', monitor: 'none' }],
      },
      policies: MONITOR_SCHEDULE_POLICIES,
      state: { paused: true },
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const resumedAt = Date.now();
      await probe.unpause();
      await until(
        'a run after resuming',
        () => probe.describe(),
        (d) => d.info.recentActions.length > 0,
        20_000,
      );
      const actions = (await probe.describe()).info.recentActions;
      for (const action of actions)
        expect(action.scheduledAt.getTime()).toBeGreaterThanOrEqual(resumedAt - 1_000);
    } finally {
      await probe.delete();
    }
  });

  test('when the version is retired, then reconciling removes the schedule', async () => {
    await store.policyRetirements.retire({
      name: POLICY,
      version: 1,
      reason: 'replaced',
      by: 'pmo',
      at: new Date(),
    });
    const outcome = await reconcileSchedules(client, store, taskQueue, new Date());

    expect(await store.policies.newestInEffect(POLICY, new Date())).toBeNull();
    expect(outcome).toEqual({ created: [], updated: [], deleted: [scheduleId] });
    await expect(client.schedule.getHandle(scheduleId).describe()).rejects.toBeInstanceOf(
      ScheduleNotFoundError,
    );
  });
});
