// A finding's chase on the time-skipping server, like an approval's: reminders every business day
// until it is due, the escalation ladder adding the PMO lead, the overdue notice, each once on the
// finding's ledger chain; an acknowledgement stops the reminders but not the ladder; a resolution
// ends the chase at once, and a chase with every alarm done ends too. People are told: each fact
// that calls for it reaches its people's in-app lists once, through the delivery queue and the
// worker's deliverer. Days pass in milliseconds; the store is the real MongoDB-wire server.
import { jest } from '@jest/globals';
import type { Store } from '../../store/index.js';
import { Deliverer } from '../../workflows/notify/deliverer.js';
import { ChatSender } from '../../workflows/notify/transport/chat.js';
import { charterFinding } from '../../workflows/definitions/finding.js';
import { findingChanged, findingWorkflowId } from '../../workflows/definitions/monitor-messages.js';
import { findingsOf } from '../../workflows/monitors/findings-port.js';
import { findingChain } from '../../workflows/monitors/ledger.js';
import { runMonitor } from '../../workflows/monitors/run.js';
import { projectFields, publishPolicy, sponsorsPolicy } from '../support/monitors.js';
import { startTimeSkippingCharter, type TimeSkippingCharter } from '../support/time-skipping.js';

jest.setTimeout(120_000);

const POLICY = 'Protocol';
const DAY = 24 * 3600 * 1000;
const unsponsored = (manager: string) => projectFields('build', manager, 'Unsponsored');

describe('findings chased on the time-skipping server', () => {
  let charter: TimeSkippingCharter;
  let store: Store;

  beforeAll(async () => {
    charter = await startTimeSkippingCharter(import.meta.url, {
      groups: {},
      managers: {},
      people: ['alice@halden.example', 'bob@halden.example', 'carol@halden.example', 'dana@halden.example'],
    });
    store = charter.store;
    await publishPolicy(store, sponsorsPolicy(POLICY), {
      file: 'p.charter',
      by: 'pmo',
      at: new Date('2020-01-01T00:00:00Z'),
    });
    await store.projects.create('PRJ-1', unsponsored('alice@halden.example'), 'pmo', new Date());
    await store.projects.create('PRJ-2', unsponsored('bob@halden.example'), 'pmo', new Date());
    await store.projects.create('PRJ-3', unsponsored('carol@halden.example'), 'pmo', new Date());
  }, 120_000);

  afterAll(async () => {
    await charter?.close();
  });

  const kinds = async (findingId: string) =>
    (await store.audit.chainByName(findingChain(findingId))).map((e) => e.fact?.kind ?? e.type);

  /** What `person` was told in the console, oldest first: `<finding id> <fact kind>` per notification. */
  const toldTo = async (person: string) => {
    const { items } = await store.notifications.page(person, { cursor: null, limit: 100 });
    return items
      .map((item) => item.notice)
      .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id))
      .map(
        (n) =>
          `${n.finding?.id ?? n.instance?.id} ${n.cause.kind === 'fact' ? n.cause.fact.kind : n.cause.kind}`,
      );
  };

  test('when findings open, then reminders, the ladder and the due notice come once each, and people stop what they must', async () => {
    const { env, worker, taskQueue } = charter;
    await worker.runUntil(async () => {
      const runAt = await env.currentTimeMs();
      const run = await runMonitor(
        { store, findings: findingsOf(store) },
        { policy: POLICY, monitor: 'sponsors_named', runAt, runId: 'run-1' },
      );
      expect(run).toMatchObject({ status: 'ran', judged: 3, failed: 3 });
      expect(run.opened).toHaveLength(3);
      const [first, second, third] = await Promise.all(
        ['PRJ-1', 'PRJ-2', 'PRJ-3'].map(async (code) => (await store.findings.liveByProject([code]))[0]!),
      );
      const handles = await Promise.all(
        [first!, second!, third!].map((f) =>
          env.client.workflow.start(charterFinding, {
            taskQueue,
            workflowId: findingWorkflowId(f.id),
            args: [{ findingId: f.id }],
          }),
        ),
      );
      // Bob acknowledges at once: his reminders stop, the ladder still runs.
      await store.findings.acknowledge(second!.id, 'bob@halden.example', new Date(runAt), 'on it', null);
      await handles[1]!.signal(findingChanged, { action: 'acknowledged' });
      // Carol names a sponsor at once: her finding's chase ends.
      await store.findings.resolve(third!.id, 'carol@halden.example', new Date(runAt), 'sponsor named', null);
      await handles[2]!.signal(findingChanged, { action: 'resolved' });
      expect(await handles[2]!.result()).toBe('ended');

      await env.sleep(8 * DAY);

      expect(await handles[0]!.result()).toBe('exhausted');
      expect(await kinds(first!.id)).toEqual([
        'findingOpened',
        'findingReminded',
        'findingEscalated',
        'findingReminded',
        'findingOverdue',
      ]);
      expect(await handles[1]!.result()).toBe('exhausted');
      expect(await kinds(second!.id)).toEqual(['findingOpened', 'findingEscalated', 'findingOverdue']);
      expect(await kinds(third!.id)).toEqual(['findingOpened']);
      expect((await store.findings.get(first!.id))?.added).toEqual(['dana@halden.example']);

      // The deliverer lists every queued notice in its recipient's console, once.
      const now = await env.currentTimeMs();
      const deliverer = new Deliverer(store, {
        publicUrl: 'https://charter.example.org',
        senders: { mail: null, chat: new ChatSender() },
        now: () => new Date(now),
      });
      while ((await deliverer.deliverDue()) > 0);
      const told = (f: { id: string }, ...facts: string[]) => facts.map((fact) => `${f.id} ${fact}`);
      // Alice owns the first finding: told it opened, of both reminders, that it was escalated, that it is overdue.
      expect(await toldTo('alice@halden.example')).toEqual(
        told(
          first!,
          'findingOpened',
          'findingReminded',
          'findingEscalated',
          'findingReminded',
          'findingOverdue',
        ),
      );
      // Bob acknowledged: no reminders, but the ladder and the due notice still reach him.
      expect(await toldTo('bob@halden.example')).toEqual(
        told(second!, 'findingOpened', 'findingEscalated', 'findingOverdue'),
      );
      expect(await toldTo('carol@halden.example')).toEqual(told(third!, 'findingOpened'));
      // Dana, added by the ladder, is told it is hers now, then of the reminders that name her (not
      // on the acknowledged finding) and that it is overdue.
      expect((await toldTo('dana@halden.example')).sort()).toEqual(
        [
          ...told(first!, 'findingEscalated', 'findingReminded', 'findingOverdue'),
          ...told(second!, 'findingEscalated', 'findingOverdue'),
        ].sort(),
      );
      // A retried run posts its opened notices again, under the same ids: nobody is told twice.
      await runMonitor(
        { store, findings: findingsOf(store) },
        { policy: POLICY, monitor: 'sponsors_named', runAt, runId: 'run-1' },
      );
      expect(await deliverer.deliverDue()).toBe(0);
      expect(await toldTo('bob@halden.example')).toHaveLength(3);
      const [toDana] = (await store.notifications.page('dana@halden.example', { cursor: null, limit: 1 }))
        .items;
      expect(toDana?.notice).toMatchObject({ kind: 'finding', instance: null, task: null });
    });
  });
});
