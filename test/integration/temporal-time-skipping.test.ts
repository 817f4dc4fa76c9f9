// Proves the time-skipping test server is real: a workflow sleeps 30 days of workflow time and
// finishes within the test's ordinary time-out.
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { sleepThirtyDays } from './fixtures/smoke-workflows.js';
import * as activities from './fixtures/smoke-activities.js';
import { taskQueueFor, temporalTestServerPath } from '../support/services.js';
import { bundleWorkflows, useQuietTemporalRuntime } from '../support/temporal.js';

const workflowsPath = fileURLToPath(new URL('./fixtures/smoke-workflows.ts', import.meta.url));
const ONE_HOUR_MS = 60 * 60 * 1000;
const THIRTY_DAYS_MS = 30 * 24 * ONE_HOUR_MS;

describe('Temporal time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;

  beforeAll(async () => {
    useQuietTemporalRuntime();
    bundle = await bundleWorkflows(workflowsPath);
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
    });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  test('when a workflow sleeps 30 days, then the server skips ahead and it wakes 30 days later', async () => {
    const taskQueue = taskQueueFor(import.meta.url);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities,
    });
    const serverTimeBefore = await env.currentTimeMs();

    const { startedAt, wokeAt } = await worker.runUntil(
      env.client.workflow.execute(sleepThirtyDays, { taskQueue, workflowId: `${taskQueue}-sleep` }),
    );

    // Workflow time moves with the timer that fired plus the moments the next task took.
    expect(wokeAt - startedAt).toBeGreaterThanOrEqual(THIRTY_DAYS_MS);
    expect(wokeAt - startedAt).toBeLessThan(THIRTY_DAYS_MS + ONE_HOUR_MS);
    expect((await env.currentTimeMs()) - serverTimeBefore).toBeGreaterThanOrEqual(THIRTY_DAYS_MS);
  });
});
