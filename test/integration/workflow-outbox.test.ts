// The webhook outbox is written only by a worker that has webhooks to send it to. A policy's
// `notify` runs on two workers of one time-skipping server: the one started with the outbox
// (`charter worker` with CHARTER_WEBHOOKS) queues the message for the webhooks; the one without
// queues nothing, so its outbox shows no backlog for ever. On both, the person named gets the
// message as a notice, from the ledger's `notified` fact.
import type { Worker } from '@temporalio/worker';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import { charterInstance } from '../../workflows/definitions/instance.js';
import { createCharterWorker } from '../../workflows/worker.js';
import { startTimeSkippingCharter, type TimeSkippingCharter } from '../support/time-skipping.js';
import { charterTestBundle } from '../support/workflow-bundle.js';

const POLICY = `policy "Heads-up" version 1 effective 2026-01-01
owner "pmo@example.com"

process heads_up {
  input {
    requester: person
    title: text
  }
  notify request.requester: "{request.title} is logged"
  end approved "logged"
}
`;

const RITA = 'rita@example.com';

function compiled(): CompiledPolicy {
  const out = compileEntry('heads-up.charter', memoryHost({ 'heads-up.charter': POLICY }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
  return out.compiled;
}

describe('the webhook outbox and the worker that has no webhooks', () => {
  let charter: TimeSkippingCharter;
  let withoutWebhooks: Worker;
  const quiet = (queue: string) => `${queue}-no-webhooks`;

  beforeAll(async () => {
    charter = await startTimeSkippingCharter(
      import.meta.url,
      { groups: {}, managers: {}, people: [RITA] },
      { shutdownGraceTime: '1 second' },
    );
    withoutWebhooks = await createCharterWorker({
      connection: charter.env.nativeConnection,
      taskQueue: quiet(charter.taskQueue),
      store: charter.store,
      checkServices: {},
      bundle: await charterTestBundle(),
      shutdownGraceTime: '1 second',
      outbox: false,
    });
  }, 120_000);

  afterAll(async () => {
    await charter?.close();
  });

  /** Runs the policy on `worker`'s task queue; the outbox items and Rita's notices it left. */
  async function run(worker: Worker, taskQueue: string, instanceId: string) {
    const { env, store } = charter;
    const result = await worker.runUntil(() =>
      env.client.workflow.execute(charterInstance, {
        args: [
          {
            policy: compiled(),
            process: 'heads_up',
            input: { requester: RITA, title: 'Release 4.2' },
            instanceId,
            startedBy: RITA,
          },
        ],
        taskQueue,
        workflowId: instanceId,
      }),
    );
    expect(result).toMatchObject({ status: 'approved' });
    const { events } = await store.audit.query({ instanceId, fact: 'notified' }, { limit: 10 });
    expect(events.map((e) => e.text)).toEqual([expect.stringContaining('Release 4.2 is logged')]);
    const queued = await store.outbox.pending();
    const inbox = await store.deliveries.get(`${events[0]!.id}/${RITA}/inapp`);
    return { queued, inbox };
  }

  test('when the worker has webhooks, then the message is queued for them and the person gets a notice', async () => {
    const { queued, inbox } = await run(charter.worker, charter.taskQueue, `${charter.taskQueue}-with`);
    expect(queued).toBe(1);
    expect(inbox).toMatchObject({ recipient: RITA, channel: 'inapp' });
  });

  test('when the worker has none, then nothing is queued for webhooks and the person still gets the notice', async () => {
    const before = await charter.store.outbox.pending();
    const { queued, inbox } = await run(
      withoutWebhooks,
      quiet(charter.taskQueue),
      `${charter.taskQueue}-without`,
    );
    expect(queued).toBe(before);
    expect(inbox).toMatchObject({ recipient: RITA, channel: 'inapp' });
  });
});
