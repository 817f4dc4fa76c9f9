// What the README walkthrough costs the database, counted: every command the API and the worker
// send (one client in this process; the handshake aside, getMore and commitTransaction included)
// while the laptop purchase starts, while Henrik's approval, the device check it triggers and the
// waiver task that follows run, and for one inbox read. Budgets: 17, 30 and 3 commands (the start
// was 15 until notices: telling the approver costs one read of delegations and one insert; 16 until
// retirements: the policy's retirements are read beside its version, in the same round trip). The same
// counts must hold after 1,000 more instances for the same people: no cost grows with the data.
import { readFileSync } from 'node:fs';
import type { MongoClient } from 'mongodb';
import type { World } from '../../engine/simulate/world.js';
import { startDemoChecks, type DemoChecks } from '../../scripts/demo-checks.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';
import { startRecording, type Recorded } from '../support/plans.js';
import { connectMongo, databaseNameFor } from '../support/services.js';

const BUDGET = { start: 17, approval: 30, inbox: 3 };
const MORE_INSTANCES = 1_000;
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const walkthrough = readme.slice(readme.indexOf('## Walkthrough'));
const block = (language: string): string =>
  new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(walkthrough)?.[1] ?? '';

const HENRIK = 'henrik.larsen@halden.example';
const RITA = 'rita.sommer@halden.example';

describe('database commands of the walkthrough', () => {
  let api: ApiHarness;
  let checks: DemoChecks;
  /** A second client, not counted, to watch the database while the counted ones work. */
  let watcher: MongoClient;
  const token: Record<string, string> = {};
  const counts: Record<string, number[]> = { start: [], approval: [], inbox: [] };

  beforeAll(async () => {
    checks = await startDemoChecks();
    api = await startApiHarness(import.meta.url, { checkServices: checks.services, monitorCommands: true });
    watcher = await connectMongo();
    const world = JSON.parse(
      readFileSync(new URL('../../policies/shared/org.world.json', import.meta.url), 'utf8'),
    ) as World;
    await api.store.directory.seedFromWorld(world);
    token['tomas'] = await api.tokenFor('tomas.berg@halden.example', ['author']);
    token['rita'] = await api.tokenFor(RITA, ['requester', 'approver']);
    token['henrik'] = await api.tokenFor(HENRIK, ['approver']);
    const published = await api.call('POST', '/v1/policies', {
      token: token['tomas'] ?? null,
      body: { source: block('charter') },
    });
    if (published.status !== 201 && published.status !== 200) {
      throw new Error(`publish: ${published.status} ${published.text}`);
    }
  }, 120_000);

  afterAll(async () => {
    await watcher?.close();
    await api?.close();
    await checks?.close();
    console.log(`command budget: ${JSON.stringify(counts)} (budgets ${JSON.stringify(BUDGET)})`);
  });

  const db = () => watcher.db(databaseNameFor(import.meta.url));

  /**
   * Counts what the API and worker send from `act` on, until `done` holds and nothing more has been
   * sent for a second (the worker finishes a transition's writes after the state `done` looks for).
   */
  async function count(
    which: keyof typeof BUDGET,
    act: () => Promise<void>,
    done: () => Promise<boolean>,
  ): Promise<Recorded[]> {
    const recording = startRecording(api.mongo);
    try {
      await act();
      const deadline = Date.now() + 60_000;
      let seen = -1;
      let quietSince = Date.now();
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        if (Date.now() > deadline) throw new Error(`${which}: did not settle in 60 s`);
        if (recording.commands.length !== seen) {
          seen = recording.commands.length;
          quietSince = Date.now();
        } else if (Date.now() - quietSince > 1_000 && (await done())) break;
      }
    } finally {
      recording.stop();
    }
    counts[which]?.push(recording.commands.length);
    return recording.commands;
  }

  const openTask = async (instanceId: string, step: string): Promise<boolean> =>
    (await db().collection('tasks').countDocuments({ instanceId, step, status: 'open' })) === 1;

  /** One pass of the walkthrough: start, Henrik's inbox, his approval up to the waiver task. */
  async function walk(label: string): Promise<void> {
    let instanceId = '';
    const started = await count(
      'start',
      async () => {
        const answer = await api.call<{ instanceId: string }>('POST', '/v1/instances', {
          token: token['rita'] ?? null,
          body: {
            policy: 'Laptop purchase',
            process: 'purchase',
            input: JSON.parse(block('json')) as unknown,
          },
        });
        if (answer.status !== 201) throw new Error(`start: ${answer.status} ${answer.text}`);
        instanceId = answer.body.instanceId;
      },
      () => openTask(instanceId, 'manager_review'),
    );
    let taskId = '';
    const inbox = await count(
      'inbox',
      async () => {
        const answer = await api.call<{ items: { id: string; instanceId: string }[] }>(
          'GET',
          '/v1/tasks/inbox',
          { token: token['henrik'] ?? null },
        );
        // Soonest deadline first: the new task, due in 2 business days, before the seeded ones.
        taskId = answer.body.items.find((t) => t.instanceId === instanceId)?.id ?? '';
        expect(taskId).not.toBe('');
      },
      () => Promise.resolve(true),
    );
    const approval = await count(
      'approval',
      async () => {
        const answer = await api.call('POST', `/v1/tasks/${encodeURIComponent(taskId)}/decide`, {
          token: token['henrik'] ?? null,
          body: { decision: 'approve' },
        });
        if (answer.status !== 200) throw new Error(`approve: ${answer.status} ${answer.text}`);
      },
      () => openTask(instanceId, 'device_baseline'),
    );
    // `find tasks 2, update instance_views 1, ...`: what each step costs, by command and collection.
    const summary = (commands: Recorded[]) =>
      Object.entries(
        commands.reduce<Record<string, number>>((m, c) => {
          const key = `${c.name} ${String(c.command[c.name])}`;
          return { ...m, [key]: (m[key] ?? 0) + 1 };
        }, {}),
      )
        .map(([name, n]) => `${name} ${n}`)
        .join(', ');
    console.log(
      `${label}: start ${started.length} (${summary(started)}); approval ${approval.length} ` +
        `(${summary(approval)}); inbox ${inbox.length} (${summary(inbox)})`,
    );
  }

  test('when the walkthrough runs on a new database, then start, approval and inbox stay within budget', async () => {
    await walk('new database');

    expect(counts['start']![0]).toBeLessThanOrEqual(BUDGET.start);
    expect(counts['approval']![0]).toBeLessThanOrEqual(BUDGET.approval);
    expect(counts['inbox']![0]).toBeLessThanOrEqual(BUDGET.inbox);
  }, 180_000);

  test('when 1,000 more instances for the same people exist, then the counts are the same', async () => {
    // As the worker writes them: the instance's view, its started event, Henrik's open task.
    const store = api.store;
    const policy = { name: 'Laptop purchase', version: 1, sha256: '0'.repeat(64) };
    for (let i = 0; i < MORE_INSTANCES; i++) {
      const instanceId = `seeded-${i}`;
      const at = new Date(Date.now() - (i + 1) * 60_000);
      await store.audit.append([
        {
          chain: instanceId,
          seq: 1,
          id: `${instanceId}:1`,
          at,
          type: 'started',
          instanceId,
          process: 'purchase',
          project: null,
          policy,
          step: null,
          text: `purchase started by ${RITA}`,
          actor: RITA,
          onBehalfOf: null,
          outcome: null,
          reasons: [],
          span: null,
        },
      ]);
      await store.tasks.open({
        id: `${instanceId}/manager_review#1`,
        instanceId,
        task: 'manager_review#1',
        step: 'manager_review',
        title: 'decide manager_review',
        kind: 'approval',
        assignees: [HENRIK],
        dueAt: new Date(Date.now() + 30 * 86_400_000),
        openedAt: at,
        policy,
        process: 'purchase',
        project: null,
      });
      await store.views.upsert({
        instanceId,
        workflowId: instanceId,
        policy,
        process: 'purchase',
        project: null,
        status: 'running',
        message: null,
        startedAt: at,
        startedBy: RITA,
        endedAt: null,
        currentSteps: ['manager_review'],
        blockedOn: [],
        transition: 1,
        assignees: [HENRIK],
      });
    }

    await walk(`after ${MORE_INSTANCES} more instances of Rita's with open tasks for Henrik`);

    expect(counts['start']![1]).toBe(counts['start']![0]);
    expect(counts['approval']![1]).toBe(counts['approval']![0]);
    expect(counts['inbox']![1]).toBe(counts['inbox']![0]);
  }, 300_000);
});
