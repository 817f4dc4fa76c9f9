// A reminder loop must not grow one history without bound: an approval that reminds every hour
// and is left alone for days continues as new before its history gets long, keeps its state
// across runs (the next decision still counts, the audit chain goes on), and then completes.
// The limit is lowered from 2,000 history events to 300 (about a day of hourly reminders), so that
// three days cross it more than once at a fraction of the cost of the two weeks 2,000 would take.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import type { Store } from '../../store/index.js';
import { charterInstance } from '../../workflows/definitions/instance.js';
import { decideUpdate, statusQuery } from '../../workflows/definitions/messages.js';
import { startTimeSkippingCharter, type TimeSkippingCharter } from '../support/time-skipping.js';

const HISTORY_LIMIT = 300;
const DAYS = 3;

const POLICY = `policy "Nagging" version 1 effective 2026-01-01
owner "pmo@example.com"
role approvers = group "approvers"
process p {
  input {
    requester: person
  }
  approve review {
    by approvers
    remind every 1h
  }
  end approved "done"
}
`;

describe('continue-as-new of long instances', () => {
  let charter: TimeSkippingCharter;
  let env: TestWorkflowEnvironment;
  let store: Store;
  let worker: Worker;
  let taskQueue: string;

  beforeAll(async () => {
    charter = await startTimeSkippingCharter(import.meta.url, {
      groups: { approvers: ['alice'] },
      managers: {},
      people: ['rita'],
    });
    ({ env, store, worker, taskQueue } = charter);
  }, 120_000);

  afterAll(async () => {
    await charter?.close();
  });

  test('when an approval reminds hourly for three days, then the run continues as new, keeps its state and completes', async () => {
    const compiled = compileEntry('nag.charter', memoryHost({ 'nag.charter': POLICY })).compiled;
    if (!compiled) throw new Error('policy does not compile');
    const instanceId = `${taskQueue}-nag`;
    await worker.runUntil(async () => {
      const first = await env.client.workflow.start(charterInstance, {
        args: [
          {
            policy: compiled,
            process: 'p',
            input: { requester: 'rita' },
            instanceId,
            startedBy: 'rita',
            historyLimit: HISTORY_LIMIT,
          },
        ],
        taskQueue,
        workflowId: instanceId,
      });
      await env.sleep(`${DAYS} days`);
      const latest = env.client.workflow.getHandle(instanceId);
      const described = await latest.describe();
      expect(described.runId).not.toBe(first.firstExecutionRunId);
      expect(described.historyLength).toBeLessThan(HISTORY_LIMIT + 50);
      const status = await latest.query(statusQuery);
      expect(status.status).toBe('running');
      await latest.executeUpdate(decideUpdate, {
        args: [{ step: 'review', actor: 'alice', decision: 'approve' }],
      });
      expect(await latest.result()).toEqual({ status: 'approved', message: 'done' });
    });
    const { events } = await store.audit.query({ instanceId }, { limit: 1000 });
    const reminders = events.filter((e) => e.text.startsWith('review: reminded')).length;
    expect(reminders).toBeGreaterThanOrEqual(DAYS * 24 - 2);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect((await store.audit.verify({ chain: instanceId })).ok).toBe(true);
  }, 300_000);
});
