// The interpreter workflow on the time-skipping server with the real store: a 2-business-day
// approval with reminders and a two-level escalation runs its whole course in seconds, a
// segregation-of-duties refusal comes back from the Update validator with the engine's code, and
// every task, notification and audit entry lands in MongoDB exactly once, on a valid hash chain.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import type { Store } from '../../store/index.js';
import { charterInstance } from '../../workflows/definitions/instance.js';
import { decideUpdate, REFUSED, statusQuery } from '../../workflows/definitions/messages.js';
import { startTimeSkippingCharter, type TimeSkippingCharter } from '../support/time-skipping.js';

const POLICY = `policy "Access request" version 1 effective 2026-01-01
owner "pmo@example.com"
calendar office {
  timezone "Europe/Berlin"
  hours mon-fri 09:00-17:00
}
role approvers = group "approvers"

process access {
  input {
    requester: person
    system: text
  }
  approve review {
    by approvers
    not request.requester
    within 2 business days
    remind every 4 business hours
    escalate after 1 business day to group "leads"
    escalate after 12 business hours to group "directors"
    on timeout reject "no decision within 2 business days"
  }
  end approved "access to {request.system} granted"
}
`;

function compiled(): CompiledPolicy {
  const out = compileEntry('access.charter', memoryHost({ 'access.charter': POLICY }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
  return out.compiled;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the interpreter workflow on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let charter: TimeSkippingCharter;
  let store: Store;
  let worker: Worker;
  let taskQueue: string;

  beforeAll(async () => {
    charter = await startTimeSkippingCharter(
      import.meta.url,
      {
        groups: { approvers: ['alice', 'bob', 'rita'], leads: ['lena'], directors: ['dora'] },
        managers: {},
        people: ['rita'],
      },
      { shutdownGraceTime: '1 second' },
    );
    ({ env, store, worker, taskQueue } = charter);
  }, 120_000);

  afterAll(async () => {
    await charter?.close();
  });

  test('when nobody decides, then reminders, both escalation levels and the timeout run their course in seconds', async () => {
    const instanceId = `${taskQueue}-sla`;
    const result = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(charterInstance, {
        args: [
          {
            policy: compiled(),
            process: 'access',
            input: { requester: 'rita', system: 'SAP' },
            instanceId,
            startedBy: 'rita',
          },
        ],
        taskQueue,
        workflowId: instanceId,
      });
      // The approvers resolve through an activity first; act once the task is open.
      await until(async () => (await handle.query(statusQuery)).blockedOn[0]?.kind === 'approval');
      const refused = await handle
        .executeUpdate(decideUpdate, { args: [{ step: 'review', actor: 'rita', decision: 'approve' }] })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (refused as WorkflowUpdateFailedError).cause as { type?: string; details?: unknown[] };
      expect(cause.type).toBe(REFUSED);
      expect(cause.details?.[0]).toMatchObject({ code: 'excluded' });
      const status = await handle.query(statusQuery);
      expect(status.blockedOn[0]?.text).toMatch(
        /^1 more approval from review \(1 of 2 needed; none yet\); due /,
      );
      return handle.result();
    });

    expect(result).toEqual({
      status: 'rejected',
      message: 'review rejected by timeout: no decision within 2 business days',
    });
    const task = await store.tasks.get(`${instanceId}/review#1`);
    expect(task).toMatchObject({ status: 'closed', step: 'review', kind: 'approval' });
    expect([...(task?.assignees ?? [])].sort()).toEqual(['alice', 'bob', 'dora', 'lena']);
    const view = await store.views.get(instanceId);
    expect(view).toMatchObject({ status: 'rejected', currentSteps: [] });
    const verify = await store.audit.verify({ chain: instanceId });
    expect(verify.ok).toBe(true);
    const { events } = await store.audit.query({ instanceId }, { limit: 1000 });
    // In chain order: the query sorts by time, then by id, and the decisions of one workflow task
    // share their instant, where id text puts `:10` before `:9`.
    const texts = events
      .filter((e) => e.chain === instanceId)
      .sort((a, b) => a.seq - b.seq)
      .map((e) => e.text);
    expect(texts.filter((t) => t.startsWith('review: reminded')).length).toBeGreaterThanOrEqual(3);
    expect(texts.some((t) => t.startsWith('review escalated to dora'))).toBe(true);
    expect(texts.some((t) => t.startsWith('review escalated to lena'))).toBe(true);
    expect(texts.at(-1)).toMatch(/^process ended rejected/);
    expect(new Set(events.map((e) => e.seq)).size).toBe(events.length);
  }, 120_000);
});
