// Delivery drills with deliverers as OS processes (test/support/deliverer-main.ts) and a real SMTP
// server: a deliverer SIGKILLed while the server holds its mail (the server never answers that
// DATA, so the mail was not delivered, as SMTP has it) leaves a lease that expires; two fresh
// deliverers then race over the rest. Every mail arrives exactly once, none is lost. An address
// the server refuses (550) is recorded as failed, listed for admins, and the others still arrive.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MongoClient } from 'mongodb';
import type { Notice } from '../../engine/notices/types.js';
import { openStore, type Store } from '../../store/index.js';
import { messageIdHeader } from '../../workflows/notify/transport/smtp.js';
import { startMailServer, type MailServer, type ReceivedMail } from '../support/mail-server.js';
import { connectMongo, databaseNameFor, mongodbUri } from '../support/services.js';
import { until } from '../support/until.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../support/deliverer-main.ts', import.meta.url));
const PEOPLE = Array.from(
  { length: 12 },
  (_, i) => `approver${String(i + 1).padStart(2, '0')}@halden.example`,
);
const REFUSED = 'left.company@halden.example';
const KILL_AT = 8;

interface Deliverer {
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

function notice(n: number, recipient: string): Notice {
  return {
    id: `drill-${n}:3/${recipient}`,
    kind: 'taskAssigned',
    recipient,
    onBehalfOf: null,
    at: Date.now() - 60_000,
    instance: {
      id: `drill-${n}`,
      process: 'purchase',
      policy: 'Laptop purchase',
      project: 'SAP rollout',
      requester: 'rita.sommer@halden.example',
    },
    task: `drill-${n}/review#1`,
    step: 'review',
    due: null,
    cause: {
      kind: 'fact',
      fact: {
        kind: 'approvalOpened',
        step: 'review',
        eligible: [recipient],
        needed: 1,
        quorum: 'any',
        veto: false,
        barred: [],
        afterEscalation: false,
        task: 'approval',
      },
    },
  };
}

describe('delivery drills', () => {
  let mongo: MongoClient;
  let store: Store;
  let mail: MailServer;
  const database = databaseNameFor(import.meta.url);
  const spawned: Deliverer[] = [];
  let killed: Promise<void> | null = null;
  let victim: Deliverer | null = null;
  let seen = 0;
  let droppedMessageId = '';

  function startDeliverer(batch: number): Promise<Deliverer> {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: ROOT,
      env: {
        ...process.env,
        MONGODB_URI: mongodbUri(),
        CHARTER_DATABASE: database,
        CHARTER_SMTP_HOST: '127.0.0.1',
        CHARTER_SMTP_PORT: String(mail.port),
        CHARTER_SMTP_STARTTLS: 'off',
        CHARTER_TEST_LEASE_MS: '2000',
        CHARTER_TEST_BATCH: String(batch),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deliverer = { child, exited, output: () => output };
    spawned.push(deliverer);
    return until(
      'a deliverer process ready',
      () => Promise.resolve(output),
      (text) => text.includes('deliverer ready') || child.exitCode !== null,
      60_000,
    ).then(() => {
      if (child.exitCode !== null) throw new Error(`deliverer exited early:\n${output}`);
      return deliverer;
    });
  }

  beforeAll(async () => {
    mongo = await connectMongo();
    const db = mongo.db(database);
    await db.dropDatabase();
    store = await openStore(db);
    for (const person of [...PEOPLE, REFUSED])
      await store.directory.upsertPerson({ id: person, name: person });
    mail = await startMailServer({
      reject: (rcpt) => (rcpt === REFUSED ? { code: 550, message: 'No such user here' } : null),
      // The KILL_AT-th mail is held unanswered until its sender is dead, then dropped.
      beforeAccept: async (held) => {
        seen += 1;
        if (seen !== KILL_AT || victim === null) return 'accept';
        droppedMessageId = held.messageId;
        const dying = victim;
        killed = (async () => {
          dying.child.kill('SIGKILL');
          await dying.exited;
        })();
        await killed;
        return 'drop';
      },
    });
  }, 60_000);

  afterAll(async () => {
    for (const d of spawned)
      if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGKILL');
    await Promise.all(spawned.map((d) => d.exited));
    await mail?.close();
    await mongo?.db(database).dropDatabase();
    await mongo?.close();
  });

  test('a deliverer killed mid-send and two racing deliverers: every mail once, the refused one listed', async () => {
    const notices: Notice[] = [];
    for (let n = 1; n <= 3; n++) for (const person of PEOPLE) notices.push(notice(n, person));
    notices.push(notice(4, REFUSED));
    await store.deliveries.post(notices);

    // One at a time, so the mail it dies on is its only one in flight.
    victim = await startDeliverer(1);
    await until(
      'the kill',
      () => Promise.resolve(killed),
      (k) => k !== null,
      60_000,
    );
    await killed;
    expect(victim.child.signalCode).toBe('SIGKILL');
    const deliveredBeforeKill = mail.mails.length;
    expect(deliveredBeforeKill).toBe(KILL_AT - 1);

    await Promise.all([startDeliverer(5), startDeliverer(5)]);
    await until(
      'every delivery finished',
      () => store.deliveries.countByStatus(),
      (counts) => counts.pending + counts.leased === 0,
      90_000,
    );

    const byId = new Map<string, ReceivedMail[]>();
    for (const m of mail.mails) byId.set(m.messageId, [...(byId.get(m.messageId) ?? []), m]);
    const doubled = [...byId].filter(([, list]) => list.length > 1).map(([id]) => id);
    expect(doubled).toEqual([]);
    // Nothing lost: one mail for each notice to a person the server takes, to that person.
    const expected = notices.filter((n) => n.recipient !== REFUSED);
    expect(mail.mails).toHaveLength(expected.length);
    for (const n of expected) {
      const got = byId.get(messageIdHeader(`${n.id}/email`));
      expect(got?.map((m) => m.to)).toEqual([[n.recipient]]);
    }
    // The one it died on went out later, from another process.
    const droppedNotice = notices.find((n) => messageIdHeader(`${n.id}/email`) === droppedMessageId);
    expect(droppedNotice).toBeDefined();
    const dropped = await store.deliveries.get(`${droppedNotice!.id}/email`);
    expect(dropped).toMatchObject({ status: 'delivered' });
    expect(dropped!.attempts).toBeGreaterThanOrEqual(2);

    // The refused address: failed for good, with the server's answer, listed for admins.
    const refused = await store.deliveries.get(`${notice(4, REFUSED).id}/email`);
    expect(refused).toMatchObject({ status: 'failed' });
    expect(refused?.lastError).toMatch(/550/);
    const failed = await store.deliveries.pageFailed(null, 10);
    expect(failed.items.map((d) => d.id)).toEqual([refused!.id]);
    // The console's list got every notice, the refused person's too.
    for (const n of notices)
      expect(await store.deliveries.get(`${n.id}/inapp`)).toMatchObject({ status: 'delivered' });
    expect(await store.notifications.unreadCount(REFUSED)).toBe(1);
  }, 180_000);
});
