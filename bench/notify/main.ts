// Notification delivery throughput and lag (issue 15): BENCH_MESSAGES mails (default 10,000) queued
// at once in the delivery queue, delivered by the worker's Deliverer (claim with a lease, the
// recipient's settings, the hourly quota, render, send over pooled SMTP, mark delivered) to a
// real SMTP server in a child process; next to the bare SMTP client (nodemailer, the same pool
// and the same number of mails in flight) sending the same mails, already rendered, in the same
// run. Reported: deliveries per second and the lag (time from the moment all were queued until
// each was delivered) p50/p99, each with its ratio to the bare client. Rounds alternate the two.
// Absolute figures depend on the machine (shared and noisy here); the ratios compare across runs.
// Needs a MongoDB in MONGODB_URI: `npm run services:start && source .tools/run/dev/env`.
//
// BENCH_MESSAGES (10000), BENCH_PEOPLE (1000 recipients), BENCH_ROUNDS (2), BENCH_BATCH (50: the
// deliverer's batch, and the bare client's mails in flight).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import nodemailer from 'nodemailer';
import { compose } from '../../engine/notices/compose.js';
import { defaultProfile, type Notice } from '../../engine/notices/types.js';
import { openStore, type Store } from '../../store/index.js';
import type { NewDelivery } from '../../store/deliveries.js';
import { Deliverer } from '../../workflows/notify/deliverer.js';
import { renderMail, type RenderedMail } from '../../workflows/notify/format/email.js';
import { ChatSender } from '../../workflows/notify/transport/chat.js';
import { messageIdHeader, SmtpSender } from '../../workflows/notify/transport/smtp.js';

const number = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
const MESSAGES = number('BENCH_MESSAGES', 10_000);
const PEOPLE = number('BENCH_PEOPLE', 1_000);
const ROUNDS = number('BENCH_ROUNDS', 2);
const BATCH = number('BENCH_BATCH', 50);
const POOL = 4;
const PUBLIC = 'https://charter.example.org';
const uri = process.env['MONGODB_URI'];
if (uri === undefined) throw new Error('MONGODB_URI is not set: source .tools/run/dev/env first');

interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
}

function notices(round: number): Notice[] {
  return Array.from({ length: MESSAGES }, (_, i) => {
    const recipient = `person${i % PEOPLE}@bench.example`;
    const instance = `bench-${round}-${i}`;
    return {
      id: `${instance}:3/${recipient}`,
      kind: 'taskAssigned',
      recipient,
      onBehalfOf: null,
      at: Date.now() - 1_000,
      instance: {
        id: instance,
        process: 'purchase',
        policy: 'Laptop purchase',
        project: 'SAP rollout',
        requester: 'rita@bench.example',
      },
      task: `${instance}/review#1`,
      step: 'review',
      due: { at: Date.now() + 3 * 86_400_000, zone: 'Europe/Berlin' },
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
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summary(lags: number[], elapsedMs: number): Measured {
  lags.sort((a, b) => a - b);
  return {
    perSecond: (lags.length / elapsedMs) * 1000,
    p50: percentile(lags, 50),
    p99: percentile(lags, 99),
  };
}

/** The bare client: the same mails, rendered beforehand, BATCH in flight over a pool of POOL. */
async function bare(port: number, list: readonly Notice[]): Promise<Measured> {
  const mails: (RenderedMail & { to: string; messageId: string })[] = list.map((n) => ({
    ...renderMail(compose(n, { profile: defaultProfile(n.recipient), publicUrl: PUBLIC, now: Date.now() })),
    to: n.recipient,
    messageId: messageIdHeader(`${n.id}/email`),
  }));
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: POOL,
  });
  const lags: number[] = [];
  const start = performance.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < mails.length) {
      const mail = mails[next++]!;
      await transport.sendMail({ from: 'charter@bench.example', ...mail });
      lags.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: BATCH }, lane));
  const elapsed = performance.now() - start;
  transport.close();
  return summary(lags, elapsed);
}

/** The Deliverer on the store: everything queued first, then delivered until the queue is empty. */
async function delivered(store: Store, port: number, list: readonly Notice[]): Promise<Measured> {
  const items: NewDelivery[] = list.map((n) => ({
    id: `${n.id}/email`,
    channel: 'email',
    recipient: n.recipient,
    notices: [n],
    digest: false,
    availableAt: new Date(Date.now() - 1_000),
  }));
  for (let i = 0; i < items.length; i += 1_000) await store.deliveries.enqueueAll(items.slice(i, i + 1_000));
  const mail = new SmtpSender(
    { host: '127.0.0.1', port, starttls: 'off', user: null, password: null, from: 'charter@bench.example' },
    { pool: true, maxConnections: POOL },
  );
  const deliverer = new Deliverer(store, {
    publicUrl: PUBLIC,
    senders: { mail, chat: new ChatSender() },
    hourlyLimit: 1_000_000,
    batch: BATCH,
  });
  const queuedAt = Date.now();
  const start = performance.now();
  while ((await deliverer.deliverDue()) > 0);
  const elapsed = performance.now() - start;
  mail.close();
  const lags: number[] = [];
  for (const item of items) {
    const d = await store.deliveries.get(item.id);
    if (d?.status !== 'delivered' || d.deliveredAt === null)
      throw new Error(`${item.id}: ${d?.status ?? 'missing'} (${d?.lastError ?? d?.note ?? ''})`);
    lags.push(d.deliveredAt.getTime() - queuedAt);
  }
  return summary(lags, elapsed);
}

const show = (m: Measured): string =>
  `${m.perSecond.toFixed(0)}/s, lag p50 ${(m.p50 / 1000).toFixed(1)} s, p99 ${(m.p99 / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const sink = fork(fileURLToPath(new URL('./sink.ts', import.meta.url)), [], { serialization: 'advanced' });
  const ask = (): Promise<{ port: number; received: number }> =>
    new Promise((resolve) => {
      sink.once('message', (m) => resolve(m as { port: number; received: number }));
      sink.send('stats');
    });
  const { port } = await new Promise<{ port: number }>((resolve) =>
    sink.once('message', (m) => resolve(m as { port: number })),
  );
  const mongo = new MongoClient(uri!, { maxPoolSize: 16 });
  await mongo.connect();
  const db = mongo.db('bench_notify');
  await db.dropDatabase();
  const store = await openStore(db);
  console.log(
    `notification delivery: ${MESSAGES} mails to ${PEOPLE} people, ${ROUNDS} rounds, batch ${BATCH}, SMTP pool ${POOL}`,
  );
  const results: { bare: Measured; deliverer: Measured }[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const list = notices(round);
      const before = (await ask()).received;
      const b = await bare(port, list);
      const d = await delivered(store, port, list);
      const received = (await ask()).received - before;
      if (received !== 2 * MESSAGES)
        throw new Error(`the server received ${received} mails, expected ${2 * MESSAGES}`);
      results.push({ bare: b, deliverer: d });
      console.log(`round ${round}: bare SMTP ${show(b)}; deliverer ${show(d)}`);
    }
    const median = (f: (r: { bare: Measured; deliverer: Measured }) => number): number => {
      const values = results.map(f).sort((a, b) => a - b);
      return values[Math.floor(values.length / 2)] ?? NaN;
    };
    console.log(
      `deliverer vs bare SMTP (median of rounds): throughput ${median((r) => r.deliverer.perSecond / r.bare.perSecond).toFixed(2)}x, ` +
        `lag p50 ${median((r) => r.deliverer.p50 / r.bare.p50).toFixed(2)}x, p99 ${median((r) => r.deliverer.p99 / r.bare.p99).toFixed(2)}x`,
    );
  } finally {
    await db.dropDatabase();
    await mongo.close();
    sink.disconnect();
  }
}

await main();
