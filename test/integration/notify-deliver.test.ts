// The deliverer against real receivers: a real SMTP server and a local HTTP server standing in for
// Slack's incoming webhooks and Teams Workflows webhooks (nothing outside this machine answers).
// Chat payloads are checked against Block Kit's rules and the Adaptive Card reference parser; a
// target that answers 404 is failed for good and listed, a 500 is retried later; the eleventh mail
// of an hour and everything of a person who wants a digest go into one digest, never dropped; a
// channel a person turned off is skipped with the reason.
import type { MongoClient } from 'mongodb';
import type { Fact } from '../../engine/facts/index.js';
import { defaultPreferences, type Notice, type NoticeKind } from '../../engine/notices/types.js';
import { openStore, type Store } from '../../store/index.js';
import { Deliverer } from '../../workflows/notify/deliverer.js';
import { ChatSender } from '../../workflows/notify/transport/chat.js';
import { SmtpSender } from '../../workflows/notify/transport/smtp.js';
import { validateSlackPayload, validateTeamsPayload } from '../support/chat-payloads.js';
import { startChatReceiver, type ChatReceiver } from '../support/chat-receiver.js';
import { startMailServer, type MailServer } from '../support/mail-server.js';
import { connectMongo, databaseNameFor } from '../support/services.js';

const PUBLIC = 'https://charter.halden.example';
/** Wednesday 9 December 2026, 10:00 in Berlin. */
const WED_10 = Date.parse('2026-12-09T10:00:00+01:00');
const THU_09 = Date.parse('2026-12-10T09:00:00+01:00');
const HOURS = { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, from: '09:00', to: '17:00' };

const SLACK = 'sofia.berg@halden.example';
const TEAMS = 'tom.weber@halden.example';
const BROKEN = 'olaf.kern@halden.example';
const FLAKY = 'ines.roth@halden.example';
const BUSY = 'henrik.larsen@halden.example';
const DIGEST = 'lea.hofmann@halden.example';

const opened = (person: string): Fact => ({
  kind: 'approvalOpened',
  step: 'cab_review',
  eligible: [person],
  needed: 1,
  quorum: 'any',
  veto: false,
  barred: [],
  afterEscalation: false,
  task: 'approval',
});

function notice(n: number, recipient: string, kind: NoticeKind = 'taskAssigned'): Notice {
  const fact: Fact =
    kind === 'reminder'
      ? { kind: 'reminded', step: 'cab_review', people: [recipient], dueAt: null }
      : opened(recipient);
  return {
    id: `chg-${n}:4/${recipient}`,
    kind,
    recipient,
    onBehalfOf: null,
    at: WED_10 - 60_000,
    instance: {
      id: `chg-${n}`,
      process: 'change-request',
      policy: 'change-management',
      project: 'Apollo',
      requester: 'rita.sommer@halden.example',
    },
    task: `chg-${n}/cab_review#1`,
    step: 'cab_review',
    due: { at: THU_09 + 8 * 3_600_000, zone: 'Europe/Berlin' },
    cause: { kind: 'fact', fact },
  };
}

describe('delivering to mail, Slack and Teams', () => {
  let mongo: MongoClient;
  let store: Store;
  let mail: MailServer;
  let chat: ChatReceiver;
  let mailer: SmtpSender;
  let clock = WED_10;
  let deliverer: Deliverer;
  const database = databaseNameFor(import.meta.url);

  const drain = async (): Promise<void> => {
    while ((await deliverer.deliverDue()) > 0);
  };

  beforeAll(async () => {
    mongo = await connectMongo();
    await mongo.db(database).dropDatabase();
    store = await openStore(mongo.db(database));
    mail = await startMailServer();
    chat = await startChatReceiver();
    const people: [string, { format: 'slack' | 'teams'; url: string } | null][] = [
      [SLACK, { format: 'slack', url: chat.url('/slack/sofia') }],
      [TEAMS, { format: 'teams', url: chat.url('/teams/tom') }],
      [BROKEN, { format: 'slack', url: chat.url('/slack/gone') }],
      [FLAKY, { format: 'teams', url: chat.url('/teams/flaky') }],
      [BUSY, null],
      [DIGEST, null],
    ];
    for (const [person, target] of people) {
      await store.directory.upsertPerson({ id: person, name: person.split('@')[0]! });
      await store.deliverySettings.setProfile(person, {
        email: person,
        chat: target,
        zone: 'Europe/Berlin',
        workingHours: { ...HOURS, days: [...HOURS.days] },
      });
    }
    await store.deliverySettings.setPreferences(DIGEST, { ...defaultPreferences(), digest: true });
    const noChatReminders = defaultPreferences();
    noChatReminders.channels.reminder = ['email'];
    await store.deliverySettings.setPreferences(SLACK, noChatReminders);
    chat.answer('/slack/gone', 404, 'no_service');
    chat.answer('/teams/flaky', 500, 'busy');
    mailer = new SmtpSender(
      {
        host: '127.0.0.1',
        port: mail.port,
        starttls: 'off',
        user: null,
        password: null,
        from: 'charter@halden.example',
      },
      { pool: false },
    );
    deliverer = new Deliverer(store, {
      publicUrl: PUBLIC,
      senders: { mail: mailer, chat: new ChatSender({ timeoutMs: 5_000 }) },
      now: () => new Date(clock),
    });
  }, 60_000);

  afterAll(async () => {
    mailer?.close();
    await chat?.close();
    await mail?.close();
    await mongo?.db(database).dropDatabase();
    await mongo?.close();
  });

  test('Slack and Teams receive valid payloads that link to the task; mail arrives beside them', async () => {
    await store.deliveries.post([notice(1, SLACK), notice(2, TEAMS)]);
    await drain();

    const [slack] = chat.received('/slack/sofia');
    const [teams] = chat.received('/teams/tom');
    expect(validateSlackPayload(slack?.body)).toEqual([]);
    expect(validateTeamsPayload(teams?.body)).toEqual([]);
    expect(slack?.delivery).toBe(`${notice(1, SLACK).id}/chat`);
    expect(JSON.stringify(slack?.body)).toContain(
      `${PUBLIC}/tasks/${encodeURIComponent('chg-1/cab_review#1')}`,
    );
    expect(JSON.stringify(teams?.body)).toContain(
      `${PUBLIC}/tasks/${encodeURIComponent('chg-2/cab_review#1')}`,
    );
    expect(mail.mails.map((m) => m.to[0]).sort()).toEqual([SLACK, TEAMS].sort());
    for (const m of mail.mails) {
      expect(m.text).toContain(`${PUBLIC}/tasks/`);
      expect(m.html).toContain('cab_review');
    }
  });

  test('a webhook that answers 404 fails for good and is listed; one that answers 500 is tried again later', async () => {
    await store.deliveries.post([notice(3, BROKEN), notice(4, FLAKY)]);
    await drain();

    const broken = await store.deliveries.get(`${notice(3, BROKEN).id}/chat`);
    expect(broken).toMatchObject({ status: 'failed' });
    expect(broken?.lastError).toMatch(/404/);
    const flaky = await store.deliveries.get(`${notice(4, FLAKY).id}/chat`);
    expect(flaky).toMatchObject({ status: 'pending' });
    expect(flaky?.lastError).toMatch(/500/);
    expect(flaky!.availableAt.getTime()).toBeGreaterThan(clock);
    const listed = await store.deliveries.pageFailed(null, 10);
    expect(listed.items.map((d) => d.id)).toContain(broken!.id);
    // Their mail went out all the same.
    expect(mail.mails.filter((m) => [BROKEN, FLAKY].includes(m.to[0]!))).toHaveLength(2);

    chat.answer('/teams/flaky', 200);
    clock = flaky!.availableAt.getTime();
    await drain();
    expect(await store.deliveries.get(`${notice(4, FLAKY).id}/chat`)).toMatchObject({ status: 'delivered' });
    clock = WED_10;
  });

  test('a channel turned off for a kind is skipped with the reason', async () => {
    const reminder = notice(5, SLACK, 'reminder');
    await store.deliveries.post([reminder]);
    await drain();
    const skipped = await store.deliveries.get(`${reminder.id}/chat`);
    expect(skipped).toMatchObject({ status: 'skipped' });
    expect(skipped?.note).toMatch(/does not take reminder messages by chat/);
    expect(await store.deliveries.get(`${reminder.id}/email`)).toMatchObject({ status: 'delivered' });
  });

  test('past ten mails an hour the rest waits for the digest, and a digest reader gets only digests', async () => {
    const before = mail.mails.length;
    const busy = Array.from({ length: 12 }, (_, i) => notice(100 + i, BUSY));
    const daily = [notice(200, DIGEST), notice(201, DIGEST)];
    await store.deliveries.post([...busy, ...daily]);
    await drain();

    const now = mail.mails.slice(before);
    expect(now.filter((m) => m.to[0] === BUSY)).toHaveLength(10);
    expect(now.filter((m) => m.to[0] === DIGEST)).toHaveLength(0);
    const digested = [];
    for (const n of [...busy, ...daily]) {
      const d = await store.deliveries.get(`${n.id}/email`);
      if (d?.status === 'digested') digested.push(d);
    }
    expect(digested).toHaveLength(4);

    // Thursday 09:00 Berlin, the next working morning: one digest each, with every held notice.
    clock = THU_09;
    await drain();
    const digests = mail.mails.slice(before + 10);
    expect(digests.map((m) => m.to[0]).sort()).toEqual([BUSY, DIGEST].sort());
    const busyDigest = digests.find((m) => m.to[0] === BUSY)!;
    expect((busyDigest.text.match(/chg-1\d\d/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(busyDigest.subject).toMatch(/2 updates/);
    clock = WED_10;
  });
});
