// Published versions and running instances: a new instance gets the newest version in effect,
// a running one keeps the version it started with, and bad input never starts anything.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import type { Store } from '../../store/index.js';
import { decideUpdate, statusQuery } from '../../workflows/definitions/messages.js';
import { StartError, startInstance } from '../../workflows/client.js';
import { startTimeSkippingCharter, type TimeSkippingCharter } from '../support/time-skipping.js';

const source = (
  version: number,
  message: string,
) => `policy "Laptop purchase" version ${version} effective 2026-01-01
owner "pmo@example.com"
role it_manager = group "it-managers"
process purchase {
  input {
    requester: person
    price: money EUR
  }
  approve manager_ok {
    by it_manager
    not request.requester
  }
  end approved "${message}"
}
`;

async function publish(store: Store, version: number, message: string) {
  const text = source(version, message);
  const out = compileEntry('laptop.charter', memoryHost({ 'laptop.charter': text }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
  return store.policies.publish({
    compiled: out.compiled,
    sources: [{ path: 'laptop.charter', text }],
    publishedBy: 'pmo',
    at: new Date(),
  });
}

describe('publishing and starting instances', () => {
  let charter: TimeSkippingCharter;
  let env: TestWorkflowEnvironment;
  let store: Store;
  let worker: Worker;
  let taskQueue: string;

  beforeAll(async () => {
    charter = await startTimeSkippingCharter(import.meta.url, {
      groups: { 'it-managers': ['mona'] },
      managers: {},
      people: ['rita'],
    });
    ({ env, store, worker, taskQueue } = charter);
  }, 120_000);

  afterAll(async () => {
    await charter?.close();
  });

  const deps = () => ({ client: env.client, store, taskQueue });
  const request = { policy: 'Laptop purchase', process: 'purchase', startedBy: 'rita', at: new Date() };

  test('when v2 is published while a v1 instance runs, then new instances get v2 and the running one keeps v1', async () => {
    expect((await publish(store, 1, 'ordered under v1')).status).toBe('published');
    expect((await publish(store, 1, 'ordered under v1')).status).toBe('unchanged');

    await worker.runUntil(async () => {
      const first = await startInstance(deps(), {
        ...request,
        input: { requester: 'rita', price: '1,200 EUR' },
      });
      expect(first.policy.version).toBe(1);
      await publish(store, 2, 'ordered under v2');
      const second = await startInstance(deps(), {
        ...request,
        input: { requester: 'rita', price: '900 EUR' },
      });
      expect(second.policy.version).toBe(2);

      for (const id of [first.instanceId, second.instanceId]) {
        const handle = env.client.workflow.getHandle(id);
        for (let i = 0; (await handle.query(statusQuery)).blockedOn[0]?.kind !== 'approval'; i += 1) {
          if (i > 200) throw new Error(`${id}: the approval never opened`);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        await handle.executeUpdate(decideUpdate, {
          args: [{ step: 'manager_ok', actor: 'mona', decision: 'approve' }],
        });
      }
      expect(await env.client.workflow.getHandle(first.instanceId).result()).toEqual({
        status: 'approved',
        message: 'ordered under v1',
      });
      expect(await env.client.workflow.getHandle(second.instanceId).result()).toEqual({
        status: 'approved',
        message: 'ordered under v2',
      });
      expect((await store.views.get(first.instanceId))?.policy.version).toBe(1);
    });
  }, 60_000);

  test('when the input does not fit or the process is unknown, then nothing starts and every problem has its path', async () => {
    const bad = startInstance(deps(), {
      ...request,
      input: { requester: '', price: '12 euros', colour: 'red' },
    });
    await expect(bad).rejects.toBeInstanceOf(StartError);
    const error = (await bad.catch((e: unknown) => e)) as StartError;
    expect(error.code).toBe('invalid-input');
    expect(error.problems.map((p) => p.path.join('.'))).toEqual(['colour', 'requester', 'price']);
    await expect(startInstance(deps(), { ...request, process: 'nope', input: {} })).rejects.toThrow(
      'policy "Laptop purchase" has no process "nope" (it has purchase)',
    );
    await expect(startInstance(deps(), { ...request, policy: 'Nope', input: {} })).rejects.toThrow(
      'no version of policy "Nope" is in effect',
    );
  });
});
