// The daily reminders that qualifications expire (workflows/qualifications/reminders.ts) against
// the real store: a run on 1 Sep 2027 with the default lead times reminds exactly the people whose
// latest completion expires 30 and 7 days later, once each, queued on every channel and listed
// once in the console after delivery; the one expiring in 12 days and the one who renewed hear
// nothing; a second run queues nothing new; a run missed yesterday is made up by the look-back
// day; a renewal recorded while a run reads is caught by standingOf on the expiry day. Then, on
// the Temporal dev server, what a worker's start makes: the schedule
// `charter:qualification-reminders:<task queue>` at 06:00 UTC, which, triggered, runs the
// workflow and its activity on a real worker and reminds a person whose completion expires 30
// days after today.
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { openStore, type Store } from '../../store/index.js';
import type { charterQualificationReminders } from '../../workflows/definitions/qualification-reminders.js';
import type { QualificationStore } from '../../store/qualifications.js';
import { addMonths } from '../../store/qualification-model.js';
import { Deliverer } from '../../workflows/notify/deliverer.js';
import { ChatSender } from '../../workflows/notify/transport/chat.js';
import { remindExpiringQualifications } from '../../workflows/qualifications/reminders.js';
import {
  ensureQualificationRemindersSchedule,
  qualificationRemindersScheduleId,
  scheduleQualificationRemindersAtStart,
} from '../../workflows/qualifications/schedule.js';
import { createCharterWorker } from '../../workflows/worker.js';
import { charterTestBundle } from '../support/workflow-bundle.js';
import { useStoreDatabase } from '../support/store-db.js';
import { taskQueueFor, temporalAddress } from '../support/services.js';
import { useQuietTemporalRuntime } from '../support/temporal.js';
import { until } from '../support/until.js';

jest.setTimeout(180_000);

const PMO = 'pmo-training@halden.example';
const ANN = 'ann@halden.example'; // expires in 30 days
const BEN = 'ben@halden.example'; // expires in 7 days
const CAT = 'cat@halden.example'; // expires in 12 days
const DAN = 'dan@halden.example'; // would expire in 30 days, renewed in August
const EVE = 'eve@halden.example'; // expires in 29 days: yesterday's 30-day reminder
const FAY = 'fay@halden.example'; // expires in 7 days, renews while a run reads
const GIL = 'gil@halden.example'; // for the scheduled run: expires 30 days after today

/** Wednesday 1 September 2027, 06:00 UTC: the run's time. */
const AT = Date.UTC(2027, 8, 1, 6, 0);
const SEEDED = new Date('2027-08-20T10:00:00Z');
const LEADS = [30, 7];

const done = (person: string, qualification: string, completedOn: string) => ({
  person,
  qualification,
  completedOn,
  source: 'admin' as const,
  evidence: null,
});

/** The reminder's notice id, as engine/notices/qualifications.ts makes it. */
const noticeId = (q: string, person: string, expiresOn: string, lead: number) =>
  `qualification:${q}:${person}:${expiresOn}:${lead}/${person}`;

describe('qualification expiry reminders', () => {
  const database = useStoreDatabase(import.meta.url);
  let store: Store;
  const deliveryCount = () => database.db().collection('deliveries').countDocuments();
  const run = (at = AT) => remindExpiringQualifications({ store, reminderDays: LEADS }, { at });
  const deliverAll = async () => {
    const deliverer = new Deliverer(store, {
      publicUrl: 'https://charter.example.org',
      senders: { mail: null, chat: new ChatSender() },
      now: () => new Date(AT),
    });
    while ((await deliverer.deliverDue()) > 0);
  };
  const listed = async (person: string) =>
    (await store.notifications.page(person, { cursor: null, limit: 20 })).items;

  beforeAll(async () => {
    store = await openStore(database.db());
    await store.directory.seedFromWorld({
      groups: {},
      managers: {},
      people: [ANN, BEN, CAT, DAN, EVE, FAY, GIL],
    });
    const entry = (name: string) => ({ name, description: null, validityMonths: 12 });
    await store.qualifications.create('itil-change', entry('ITIL change management'), PMO, SEEDED);
    await store.qualifications.create('fire-warden', entry('Fire warden'), PMO, SEEDED);
    await store.qualifications.importCompletions(
      [
        done(ANN, 'itil-change', '2026-10-01'),
        done(BEN, 'itil-change', '2026-09-08'),
        done(CAT, 'itil-change', '2026-09-13'),
        done(DAN, 'itil-change', '2026-10-01'),
        done(DAN, 'itil-change', '2027-08-15'),
      ],
      PMO,
      SEEDED,
    );
  });

  describe('the activity, run directly', () => {
    test('when it runs on 1 Sep, then exactly the 30- and 7-day expiries are reminded, once each, on every channel', async () => {
      const result = await run();
      expect(result).toEqual({
        day: '2027-09-01',
        windows: [
          { leadDays: 30, from: '2027-09-30', to: '2027-10-01' },
          { leadDays: 7, from: '2027-09-07', to: '2027-09-08' },
        ],
        posted: 2,
        renewed: 0,
      });
      const toAnn = noticeId('itil-change', ANN, '2027-10-01', 30);
      const toBen = noticeId('itil-change', BEN, '2027-09-08', 7);
      for (const channel of ['inapp', 'email', 'chat']) {
        expect(await store.deliveries.get(`${toAnn}/${channel}`)).toMatchObject({
          status: 'pending',
          recipient: ANN,
        });
        expect(await store.deliveries.get(`${toBen}/${channel}`)).toMatchObject({ recipient: BEN });
      }
      expect(await deliveryCount()).toBe(6);
      const [queued] = (await store.deliveries.get(`${toAnn}/inapp`))?.notices ?? [];
      expect(queued).toEqual({
        id: toAnn,
        kind: 'qualificationExpiring',
        recipient: ANN,
        onBehalfOf: null,
        at: AT,
        instance: null,
        qualification: {
          id: 'itil-change',
          name: 'ITIL change management',
          completedOn: '2026-10-01',
          expiresOn: '2027-10-01',
        },
        task: null,
        step: null,
        due: null,
        cause: { kind: 'qualificationExpiry', leadDays: 30 },
      });

      await deliverAll();
      expect((await listed(ANN)).map((n) => n.id)).toEqual([toAnn]);
      expect((await listed(BEN)).map((n) => n.id)).toEqual([toBen]);
      expect(await listed(CAT)).toEqual([]);
      expect(await listed(DAN)).toEqual([]);
    });

    test('when the same day runs again, then nothing new is queued or listed', async () => {
      const before = await deliveryCount();
      expect((await run()).posted).toBe(2);
      expect(await deliveryCount()).toBe(before);
      await deliverAll();
      for (const person of [ANN, BEN]) expect(await listed(person)).toHaveLength(1);
      for (const person of [CAT, DAN]) expect(await listed(person)).toEqual([]);
    });

    test('when yesterday was missed, then today reminds of what it would have, with its lead time', async () => {
      // Eve's completion expires on 30 Sep: 30 days after 31 Aug, the run that did not happen.
      await store.qualifications.record(done(EVE, 'itil-change', '2026-09-30'), PMO, SEEDED);
      const before = await deliveryCount();
      expect((await run()).posted).toBe(3);
      expect(await deliveryCount()).toBe(before + 3);
      await deliverAll();
      expect((await listed(EVE)).map((n) => n.id)).toEqual([noticeId('itil-change', EVE, '2027-09-30', 30)]);
      // The next day's run looks back at 1 Oct and 8 Sep, which today's covered: nothing new.
      const queued = await deliveryCount();
      expect((await run(AT + 24 * 3600 * 1000)).posted).toBe(2);
      expect(await deliveryCount()).toBe(queued);
    });

    test('when a renewal is recorded while the run reads, then standingOf on the expiry day leaves the person out', async () => {
      await store.qualifications.record(done(FAY, 'fire-warden', '2026-09-08'), PMO, SEEDED);
      const real = store.qualifications;
      // The real store, with Fay's renewal landing right after a page of expiries is read.
      const racing = Object.create(real) as QualificationStore;
      racing.expiringBetween = async (from, to, cursor, limit) => {
        const page = await real.expiringBetween(from, to, cursor, limit);
        if (page.items.some((c) => c.person === FAY))
          await real.record(done(FAY, 'fire-warden', '2027-08-31'), PMO, SEEDED);
        return page;
      };
      const result = await remindExpiringQualifications(
        { store: { qualifications: racing, deliveries: store.deliveries }, reminderDays: LEADS },
        { at: AT },
      );
      expect(result.renewed).toBe(1);
      expect(await store.deliveries.get(`${noticeId('fire-warden', FAY, '2027-09-08', 7)}/inapp`)).toBeNull();
    });

    test('when pages are small, then every page is read and the same reminders are posted', async () => {
      const before = await deliveryCount();
      const result = await remindExpiringQualifications(
        { store, reminderDays: LEADS, pageSize: 1 },
        { at: AT },
      );
      expect(result.posted).toBe(3);
      expect(await deliveryCount()).toBe(before);
    });
  });

  describe('the daily schedule a worker start makes (dev server)', () => {
    const taskQueue = `${taskQueueFor(import.meta.url)}-${randomUUID().slice(0, 6)}`;
    const scheduleId = qualificationRemindersScheduleId(taskQueue);
    let clientConnection: Connection;
    let client: Client;
    let workerConnection: NativeConnection;
    let worker: Worker | undefined;
    let running: Promise<void> | undefined;

    beforeAll(async () => {
      useQuietTemporalRuntime();
      clientConnection = await Connection.connect({ address: temporalAddress() });
      client = new Client({ connection: clientConnection });
      workerConnection = await NativeConnection.connect({ address: temporalAddress() });
      worker = await createCharterWorker({
        connection: workerConnection,
        taskQueue,
        store,
        checkServices: {},
        bundle: await charterTestBundle(),
        qualificationReminderDays: LEADS,
        shutdownGraceTime: '1 second',
      });
      running = worker.run();
    }, 180_000);

    afterAll(async () => {
      await client?.schedule
        .getHandle(scheduleId)
        .delete()
        .catch(() => undefined);
      worker?.shutdown();
      await running?.catch(() => undefined);
      await clientConnection?.close();
      await workerConnection?.close();
    });

    test('when a worker starts, then the schedule exists with its spec; a second start leaves it', async () => {
      const lines: string[] = [];
      const start = () =>
        scheduleQualificationRemindersAtStart({
          address: temporalAddress(),
          namespace: 'default',
          taskQueue,
          log: (line) => lines.push(line),
        });
      expect(await start()).toEqual({ outcome: 'created' });
      expect(await start()).toEqual({ outcome: 'present' });
      expect(lines).toEqual([`qualifications: daily expiry reminders scheduled (${scheduleId}, 06:00 UTC)`]);
      // A deployment on another queue finding this id leaves it to its owner.
      expect(await ensureQualificationRemindersSchedule(client, 'another-deployment', scheduleId)).toEqual({
        outcome: 'other',
        taskQueue,
      });

      const described = await client.schedule.getHandle(scheduleId).describe();
      expect(scheduleId).toBe(`charter:qualification-reminders:${taskQueue}`);
      expect(described.spec.timezone).toBe('UTC');
      expect(described.spec.calendars).toEqual([
        expect.objectContaining({
          hour: [{ start: 6, end: 6, step: 1 }],
          minute: [{ start: 0, end: 0, step: 1 }],
        }),
      ]);
      expect(described.policies.catchupWindow).toBe(24 * 3600 * 1000);
      expect(described.action).toMatchObject({ workflowType: 'charterQualificationReminders', taskQueue });
    });

    test('when Temporal is unreachable at start, then the worker is told in its log and goes on', async () => {
      const lines: string[] = [];
      const outcome = await scheduleQualificationRemindersAtStart({
        address: '127.0.0.1:1',
        namespace: 'default',
        taskQueue,
        log: (line) => lines.push(line),
      });
      expect(outcome).toBeNull();
      expect(lines).toEqual([
        expect.stringMatching(
          /^qualifications: daily expiry reminders: scheduling failed \(the next worker start tries again\): /,
        ),
      ]);
    });

    test('when the schedule is triggered, then the workflow reminds a person whose completion expires 30 days after today', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const in30 = new Date(Date.parse(`${today}T00:00:00Z`) + 30 * 24 * 3600 * 1000)
        .toISOString()
        .slice(0, 10);
      const { completion } = await store.qualifications.record(
        done(GIL, 'itil-change', addMonths(in30, -12)),
        PMO,
        new Date(),
      );
      // Twelve months back and forth land on the same day but for a 29 February, which the look-back covers.
      const expiresOn = completion.expiresOn ?? '';
      await client.schedule.getHandle(scheduleId).trigger();
      const queued = await until(
        'the reminder queued by the scheduled run',
        () => store.deliveries.get(`${noticeId('itil-change', GIL, expiresOn, 30)}/inapp`),
        (d) => d !== null,
        60_000,
      );
      expect(queued?.notices[0]).toMatchObject({ kind: 'qualificationExpiring', recipient: GIL });
      const runs = (await client.schedule.getHandle(scheduleId).describe()).info.recentActions;
      const workflowId = runs[0]?.action.workflow.workflowId ?? '';
      expect(workflowId).toMatch(new RegExp(`^${scheduleId}-`));
      const result = await client.workflow
        .getHandle<typeof charterQualificationReminders>(workflowId)
        .result();
      expect(result).toMatchObject({ day: today, renewed: 0 });
      expect(result.posted).toBeGreaterThanOrEqual(1);
    });
  });
});
