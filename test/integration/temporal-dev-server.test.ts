// Proves the Temporal dev server is real: a worker polls it, an Update passes through a validator,
// an activity runs, and the recorded history shows each of those events.
import { fileURLToPath } from 'node:url';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import * as activities from './fixtures/smoke-activities.js';
import { approvalSmoke, decideUpdate } from './fixtures/smoke-workflows.js';
import { taskQueueFor, temporalAddress } from '../support/services.js';
import { bundleWorkflows, useQuietTemporalRuntime } from '../support/temporal.js';

const workflowsPath = fileURLToPath(new URL('./fixtures/smoke-workflows.ts', import.meta.url));

describe('Temporal dev server', () => {
  let bundle: WorkflowBundle;
  let workerConnection: NativeConnection;
  let clientConnection: Connection;
  let client: Client;

  beforeAll(async () => {
    useQuietTemporalRuntime();
    bundle = await bundleWorkflows(workflowsPath);
    workerConnection = await NativeConnection.connect({ address: temporalAddress() });
    clientConnection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection: clientConnection });
  });

  afterAll(async () => {
    await clientConnection?.close();
    await workerConnection?.close();
  });

  test('when an eligible approver decides through an Update, then the activity records it and the workflow completes', async () => {
    const taskQueue = taskQueueFor(import.meta.url);
    const worker = await Worker.create({
      connection: workerConnection,
      taskQueue,
      workflowBundle: bundle,
      activities,
    });

    const { result, refusal, accepted, history } = await worker.runUntil(async () => {
      const handle = await client.workflow.start(approvalSmoke, {
        taskQueue,
        workflowId: `${taskQueue}-approval`,
        args: ['rita'],
      });
      const refusal = await handle
        .executeUpdate(decideUpdate, { args: [{ approver: 'rita', verdict: 'approve' }] })
        .catch((e: unknown) => e);
      const accepted = await handle.executeUpdate(decideUpdate, {
        args: [{ approver: 'erin', verdict: 'approve' }],
      });
      const result = await handle.result();
      return { result, refusal, accepted, history: await handle.fetchHistory() };
    });

    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((refusal as WorkflowUpdateFailedError).cause?.message)).toBe(
      'rita requested this change and cannot approve it',
    );
    expect(accepted).toBe('accepted approve from erin');
    expect(result).toBe('recordDecision: approve by erin (attempt 1)');

    const events = history.events ?? [];
    const count = (attribute: keyof (typeof events)[number]) =>
      events.filter((event) => event[attribute] != null).length;
    // The validator's refusal leaves no trace in history; the accepted Update and the activity do.
    expect(count('workflowExecutionUpdateAcceptedEventAttributes')).toBe(1);
    expect(count('activityTaskCompletedEventAttributes')).toBe(1);
    expect(count('workflowExecutionCompletedEventAttributes')).toBe(1);
  });
});
