// Outbox against a real MongoDB-wire server: idempotent enqueue (one by one and in batches),
// leases that two senders never share, expired leases taken over, delivery and failure marking,
// and a claim that reads through its index, so that its cost follows the backlog.
import type { Document } from 'mongodb';
import {
  Outbox,
  OutboxConflictError,
  OutboxItemNotFoundError,
  type OutboxMessage,
  outboxCollections,
} from '../../store/outbox.js';
import { expectIndexedReads, recordCommands, type Recorded } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const t0 = new Date('2026-03-02T09:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

const message = (id: string, at = t0): OutboxMessage => ({
  id,
  instanceId: id.split(':')[0]!,
  step: 'cab-approval',
  recipients: ['carol@example.com', 'dave@example.com'],
  message: `Please review ${id}`,
  at,
});

describe('Outbox', () => {
  const { client, db } = useStoreDatabase(import.meta.url, outboxCollections);
  let outbox: Outbox;

  /**
   * The whole explain of a recorded command (findAndModify and aggregate included, which
   * expectIndexedReads does not explain), as text: where it names its stages and indexes.
   */
  async function explained(recorded: Recorded): Promise<string> {
    const command: Document = {};
    for (const [key, value] of Object.entries(recorded.command) as [string, unknown][]) {
      if (!['lsid', '$clusterTime', '$db', 'txnNumber'].includes(key)) command[key] = value;
    }
    return JSON.stringify(await db().command({ explain: command, verbosity: 'queryPlanner' }));
  }

  beforeAll(() => {
    outbox = new Outbox(db());
  });

  beforeEach(async () => {
    await db().collection('outbox').deleteMany({});
  });

  test('when the same message is enqueued twice, then it is queued once', async () => {
    await outbox.enqueue(message('i1:1'));
    await outbox.enqueue(message('i1:1'));

    expect(await outbox.pending()).toBe(1);
    expect(await outbox.get('i1:1')).toMatchObject({ status: 'pending', attempts: 0, leaseUntil: null });
  });

  test('when a different message reuses an id, then OutboxConflictError', async () => {
    await outbox.enqueue(message('i1:1'));

    await expect(outbox.enqueue({ ...message('i1:1'), message: 'something else' })).rejects.toBeInstanceOf(
      OutboxConflictError,
    );
  });

  test('when items are claimed, then they are leased, counted and handed out oldest first', async () => {
    await outbox.enqueue(message('i2:1', later(2_000)));
    await outbox.enqueue(message('i1:1', later(1_000)));
    await outbox.enqueue(message('i3:1', later(60_000))); // not due yet

    const claimed = await outbox.claim(later(10_000), 30_000, 10);

    expect(claimed.map((i) => i.id)).toEqual(['i1:1', 'i2:1']);
    for (const item of claimed) {
      expect(item).toMatchObject({ status: 'leased', attempts: 1, leaseUntil: later(40_000) });
      expect(item.recipients).toEqual(['carol@example.com', 'dave@example.com']);
    }
    expect(await outbox.claim(later(20_000), 30_000, 10)).toEqual([]); // leased, and i3 not yet due
  });

  test('when senders claim at once, then no item goes to two of them', async () => {
    // Repeated because a lost race is a matter of timing: one lucky round would prove little.
    for (let round = 0; round < 3; round++) {
      for (let i = 1; i <= 30; i++) await outbox.enqueue(message(`race${round}:${i}`));

      const batches = await Promise.all(Array.from({ length: 5 }, () => outbox.claim(later(1), 30_000, 10)));

      const items = batches.flat().filter((i) => i.id.startsWith(`race${round}:`));
      expect(items).toHaveLength(30);
      expect(new Set(items.map((i) => i.id)).size).toBe(30);
      for (const item of items) expect(item.attempts).toBe(1);
    }
  });

  test('when 50 senders claim at once, then each item goes to exactly one of them', async () => {
    // Every claimant starts at the head of the queue: the most contended shape a claim can meet.
    for (let i = 1; i <= 60; i++) await outbox.enqueue(message(`many:${String(i).padStart(3, '0')}`));

    const batches = await Promise.all(Array.from({ length: 50 }, () => outbox.claim(later(1), 30_000, 2)));

    const items = batches.flat();
    expect(items).toHaveLength(60);
    expect(new Set(items.map((i) => i.id)).size).toBe(60);
    for (const item of items) expect(item.attempts).toBe(1);
    expect(await outbox.claim(later(2), 30_000, 10)).toEqual([]);
  });

  test('when items are claimed and counted, then each read goes through the claimable index', async () => {
    for (let i = 1; i <= 5; i++) await outbox.enqueue(message(`ix${i}:1`, later(i)));
    await outbox.enqueue(message('ix9:1', later(3_600_000)));
    await outbox.claim(later(1), 1_000, 1); // ix1, leased until 1001 ms: lapsed by the claim below
    await outbox.markDelivered('ix2:1', later(10)); // delivered: out of the claim's bounds

    const { result, plans } = await expectIndexedReads(client(), db(), async () => {
      const { result: claimed, commands } = await recordCommands(client(), () =>
        outbox.claim(later(60_000), 30_000, 10),
      );
      const counted = await recordCommands(client(), () => outbox.pending());
      return { claimed, commands: [...commands, ...counted.commands] };
    });

    expect(plans).toEqual([]); // no find at all: one findAndModify per item, and one count
    expect(result.claimed.map((i) => i.id)).toEqual(['ix3:1', 'ix4:1', 'ix5:1', 'ix1:1']);
    expect(result.claimed.find((i) => i.id === 'ix1:1')?.attempts).toBe(2);
    // One findAndModify per item claimed, and one more that finds nothing; then the count.
    expect(result.commands.map((c) => c.name)).toEqual([
      ...Array<string>(5).fill('findAndModify'),
      'aggregate',
    ]);
    for (const recorded of result.commands) {
      const plan = await explained(recorded);
      expect(plan).toContain('"indexName":"claimable"');
      expect(plan).not.toContain('COLLSCAN');
    }
  });

  test("when a transition's messages are enqueued together, then one insert, and a retry queues nothing twice", async () => {
    const batch = [message('b1:1'), message('b1:2'), message('b1:3')];

    const first = await recordCommands(client(), () => outbox.enqueueAll(batch));
    await outbox.enqueueAll(batch);
    await outbox.enqueueAll([message('b1:2'), message('b1:4')]);

    expect(first.commands.map((c) => c.name)).toEqual(['insert']);
    expect(await outbox.pending()).toBe(4);
    await expect(
      outbox.enqueueAll([message('b1:5'), { ...message('b1:1'), recipients: ['mallory@example.com'] }]),
    ).rejects.toBeInstanceOf(OutboxConflictError);
    expect(await outbox.get('b1:5')).toMatchObject({ status: 'pending' });
  });

  test('when senders race for one expired lease, then exactly one of them takes it over', async () => {
    await outbox.enqueue(message('i8:1'));
    await outbox.claim(t0, 1_000, 1);

    const batches = await Promise.all(Array.from({ length: 5 }, () => outbox.claim(later(5_000), 30_000, 1)));

    expect(batches.flat()).toMatchObject([{ id: 'i8:1', attempts: 2, leaseUntil: later(35_000) }]);
    expect(await outbox.get('i8:1')).toMatchObject({ status: 'leased', attempts: 2 });
  });

  test('when a lease expires, then another sender reclaims the item and attempts go up', async () => {
    await outbox.enqueue(message('i4:1'));
    await outbox.claim(t0, 30_000, 1);

    expect(await outbox.claim(later(29_999), 30_000, 1)).toEqual([]);
    const [reclaimed] = await outbox.claim(later(30_000), 30_000, 1);

    expect(reclaimed).toMatchObject({
      id: 'i4:1',
      status: 'leased',
      attempts: 2,
      leaseUntil: later(60_000),
    });
  });

  test('when an item is delivered, then it is no longer pending nor claimable, and marking again is harmless', async () => {
    await outbox.enqueue(message('i5:1'));
    await outbox.enqueue(message('i5:2'));
    await outbox.claim(t0, 30_000, 2);

    await outbox.markDelivered('i5:1', later(500));
    await outbox.markDelivered('i5:1', later(900));

    expect(await outbox.pending()).toBe(1);
    expect(await outbox.get('i5:1')).toMatchObject({
      status: 'delivered',
      deliveredAt: later(500),
      leaseUntil: null,
    });
    expect((await outbox.claim(later(3_600_000), 30_000, 10)).map((i) => i.id)).toEqual(['i5:2']);
  });

  test('when a delivered message is enqueued again (its activity retried), then it is not sent twice', async () => {
    await outbox.enqueue(message('i8:1'));
    await outbox.claim(t0, 30_000, 1);
    await outbox.markDelivered('i8:1', later(500));

    await outbox.enqueue(message('i8:1'));

    // Delivered items stay, outside what the claim reads.
    expect(await outbox.pending()).toBe(0);
    expect(await outbox.claim(later(3_600_000), 30_000, 10)).toEqual([]);
    expect(await outbox.get('i8:1')).toMatchObject({ status: 'delivered', deliveredAt: later(500) });
    await expect(outbox.enqueue({ ...message('i8:1'), message: 'another text' })).rejects.toBeInstanceOf(
      OutboxConflictError,
    );
  });

  test('when sending fails, then the item waits until retryAt and keeps the error', async () => {
    await outbox.enqueue(message('i6:1'));
    await outbox.claim(t0, 30_000, 1);

    await outbox.markFailed('i6:1', 'SMTP 451 try again later', later(5 * 60_000));

    expect(await outbox.get('i6:1')).toMatchObject({
      status: 'pending',
      lastError: 'SMTP 451 try again later',
    });
    expect(await outbox.claim(later(60_000), 30_000, 1)).toEqual([]);
    expect(await outbox.claim(later(5 * 60_000), 30_000, 1)).toMatchObject([{ id: 'i6:1', attempts: 2 }]);
  });

  test('when a failure is reported after another sender delivered, then the item stays delivered', async () => {
    await outbox.enqueue(message('i7:1'));
    await outbox.claim(t0, 1_000, 1);
    await outbox.claim(later(1_000), 30_000, 1); // the first lease lapsed
    await outbox.markDelivered('i7:1', later(2_000));

    await outbox.markFailed('i7:1', 'timeout from the first sender', later(60_000));

    expect(await outbox.get('i7:1')).toMatchObject({ status: 'delivered', lastError: null });
  });

  test('when an unknown id is marked, then OutboxItemNotFoundError', async () => {
    await expect(outbox.markDelivered('nope', t0)).rejects.toBeInstanceOf(OutboxItemNotFoundError);
    await expect(outbox.markFailed('nope', 'x', t0)).rejects.toBeInstanceOf(OutboxItemNotFoundError);
  });
});
