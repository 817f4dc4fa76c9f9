// Webhook delivery of the outbox against a real SecantusDB and a real HTTP receiver: signed bodies,
// retries with back-off after a failure, and nothing left undelivered when two senders compete.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MongoClient } from 'mongodb';
import { openStore, type Store } from '../../store/index.js';
import {
  DELIVERY_HEADER,
  Notifier,
  retryDelayMs,
  SIGNATURE_HEADER,
  signature,
  webhookNotifier,
} from '../../workflows/notifier.js';
import { connectMongo, databaseNameFor } from '../support/services.js';

const SECRET = 'a-webhook-secret-of-some-length';
const name = databaseNameFor(import.meta.url);
let client: MongoClient;
let store: Store;
let server: Server;
let url: string;
let received: { id: string; body: string; signature: string }[] = [];
let failNext = 0;

const read = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(body));
  });

beforeAll(async () => {
  client = await connectMongo();
  store = await openStore(client.db(name));
  server = createServer((request, response) => {
    void read(request).then((body) => {
      if (failNext > 0) {
        failNext -= 1;
        response.writeHead(503).end('busy');
        return;
      }
      received.push({
        id: String(request.headers[DELIVERY_HEADER]),
        body,
        signature: String(request.headers[SIGNATURE_HEADER]),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

beforeEach(() => {
  received = [];
  failNext = 0;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await client.db(name).dropDatabase();
  await client.close();
});

const enqueue = (id: string, at: Date) =>
  store.outbox.enqueue({
    id,
    instanceId: 'i1',
    step: 'review',
    recipients: ['alice'],
    message: `hello ${id}`,
    at,
  });

test('when an item is due, then it is posted once with a signature the receiver can verify', async () => {
  const now = new Date('2027-01-11T09:00:00Z');
  await enqueue('n1', now);
  const notifier = new Notifier(store.outbox, [{ url, secret: SECRET }], { now: () => now });

  expect(await notifier.deliverDue()).toBe(1);
  expect(await notifier.deliverDue()).toBe(0);

  expect(received).toHaveLength(1);
  const [hit] = received;
  expect(hit?.id).toBe('n1');
  expect(hit?.signature).toBe(signature(SECRET, hit?.body ?? ''));
  expect(JSON.parse(hit?.body ?? '{}')).toMatchObject({
    id: 'n1',
    recipients: ['alice'],
    message: 'hello n1',
  });
  expect((await store.outbox.get('n1'))?.status).toBe('delivered');
});

test('when the receiver fails, then the item waits for its back-off and is delivered on a later try', async () => {
  let now = new Date('2027-01-11T10:00:00Z');
  await enqueue('n2', now);
  const notifier = new Notifier(store.outbox, [{ url, secret: SECRET }], { now: () => now });
  failNext = 1;

  expect(await notifier.deliverDue()).toBe(0);
  const failed = await store.outbox.get('n2');
  expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
  expect(failed?.lastError).toContain('HTTP 503');
  expect(await notifier.deliverDue()).toBe(0); // not due yet
  now = new Date(now.getTime() + retryDelayMs(1));
  expect(await notifier.deliverDue()).toBe(1);
  expect(received.map((r) => r.id)).toEqual(['n2']);
});

test('when two senders compete for 30 items, then every item is delivered and repeats keep their delivery id', async () => {
  const now = new Date('2027-01-11T11:00:00Z');
  const ids = Array.from({ length: 30 }, (_, i) => `m${String(i).padStart(2, '0')}`);
  for (const id of ids) await enqueue(id, now);
  const senders = [1, 2].map(
    () => new Notifier(store.outbox, [{ url, secret: SECRET }], { now: () => now, batch: 7 }),
  );

  for (let round = 0; round < 10; round += 1) await Promise.all(senders.map((s) => s.deliverDue()));

  expect([...new Set(received.map((r) => r.id))].sort()).toEqual(ids);
  for (const id of ids) expect((await store.outbox.get(id))?.status).toBe('delivered');
});

test('when delivered items pass the retention period, then the next hourly sweep removes them and nothing else', async () => {
  const day = 86_400_000;
  let now = new Date('2027-03-01T09:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);
  await enqueue('old', ago(40 * day));
  await store.outbox.claim(ago(40 * day), 60_000, 1);
  await store.outbox.markDelivered('old', ago(31 * day));
  await enqueue('recent', ago(29 * day));
  await store.outbox.claim(ago(29 * day), 60_000, 1);
  await store.outbox.markDelivered('recent', ago(29 * day));
  // Never delivered (its receiver failing for 40 days): kept, whatever its age.
  await enqueue('stuck', ago(40 * day));
  await store.outbox.markFailed('stuck', 'HTTP 503', new Date(now.getTime() + 60_000));
  const notifier = new Notifier(store.outbox, [{ url, secret: SECRET }], {
    now: () => now,
    retentionMs: 30 * day,
  });

  await notifier.deliverDue();
  expect(await store.outbox.get('old')).toBeNull();
  expect((await store.outbox.get('recent'))?.status).toBe('delivered');
  expect((await store.outbox.get('stuck'))?.status).toBe('pending');

  // Two days later 'recent' is past retention too, but the sweep runs once an hour.
  now = new Date(now.getTime() + 2 * day);
  const sweptAt = now;
  await notifier.deliverDue(); // 'stuck' is due again and delivered here
  expect(await store.outbox.get('recent')).toBeNull();
  await enqueue('next', ago(32 * day));
  await store.outbox.claim(ago(32 * day), 60_000, 1);
  await store.outbox.markDelivered('next', ago(31 * day));
  now = new Date(sweptAt.getTime() + 3_599_000);
  await notifier.deliverDue();
  expect((await store.outbox.get('next'))?.status).toBe('delivered');
  now = new Date(sweptAt.getTime() + 3_600_000);
  await notifier.deliverDue();
  expect(await store.outbox.get('next')).toBeNull();
  expect((await store.outbox.get('stuck'))?.status).toBe('delivered');
});

test("when a worker's settings name no webhook, then it runs no notifier; with one, its retention is the setting's days", async () => {
  expect(
    webhookNotifier(store.outbox, { CHARTER_WEBHOOKS: [], CHARTER_OUTBOX_RETENTION_DAYS: 30 }),
  ).toBeNull();
  // The notifier a worker gets runs on the real clock (the other tests' items lie in 2027).
  const now = new Date();
  const day = 86_400_000;
  for (const [id, age] of [
    ['two-days', 2 * day],
    ['half-day', day / 2],
  ] as const) {
    await enqueue(id, new Date(now.getTime() - age));
    await store.outbox.claim(new Date(now.getTime() - age), 60_000, 1);
    await store.outbox.markDelivered(id, new Date(now.getTime() - age));
  }
  const notifier = webhookNotifier(store.outbox, {
    CHARTER_WEBHOOKS: [{ url, secret: SECRET }],
    CHARTER_OUTBOX_RETENTION_DAYS: 1,
  });
  expect(notifier).toBeInstanceOf(Notifier);
  await notifier!.deliverDue();
  expect(await store.outbox.get('two-days')).toBeNull();
  expect((await store.outbox.get('half-day'))?.status).toBe('delivered');
});
