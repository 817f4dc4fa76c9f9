// The notifications' delivery queue against a real MongoDB-wire server: idempotent posting, leases
// that two workers never share and that lapse, marks that never undo a finished item, holds that
// are not attempts, digests that close once taken, the admins' failed list and retry, and reads
// that go through their indexes.
import type { Document } from 'mongodb';
import type { Notice } from '../../engine/notices/types.js';
import {
  Deliveries,
  type Delivery,
  deliveriesOf,
  deliveryCollections,
  DeliveryNotFoundError,
} from '../../store/deliveries.js';
import { encodeCursor, InvalidCursorError } from '../../store/paging.js';
import { expectIndexedReads, recordCommands, type Recorded } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const t0 = new Date('2026-12-07T08:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);
const MINUTE = 60_000;

const notice = (id: string, at = t0, recipient = 'carol@example.com'): Notice => ({
  id,
  kind: 'taskAssigned',
  recipient,
  onBehalfOf: null,
  at: at.getTime(),
  instance: {
    id: 'cr-1',
    process: 'change-request',
    policy: 'change',
    project: 'apollo',
    requester: 'rita@example.com',
  },
  task: 'cr-1/cab',
  step: 'cab',
  due: { at: later(48 * 3600_000).getTime(), zone: 'Europe/Berlin' },
  cause: {
    kind: 'fact',
    fact: {
      kind: 'approvalOpened',
      step: 'cab',
      eligible: [recipient],
      needed: 1,
      quorum: 'any',
      veto: false,
      barred: [],
      afterEscalation: false,
      task: 'approval',
    },
  },
});

/** One email delivery of its own notice, due at `at`. */
const email = (id: string, at = t0) => ({
  id: `${id}/email`,
  channel: 'email' as const,
  recipient: 'carol@example.com',
  notices: [notice(id, at)],
  digest: false,
  availableAt: at,
});

describe('Deliveries', () => {
  const { client, db } = useStoreDatabase(import.meta.url, deliveryCollections);
  let deliveries: Deliveries;

  /** The explain of a recorded command (findAndModify and aggregate included), as text. */
  async function explained(recorded: Recorded): Promise<string> {
    const command: Document = {};
    for (const [key, value] of Object.entries(recorded.command) as [string, unknown][]) {
      if (!['lsid', '$clusterTime', '$db', 'txnNumber'].includes(key)) command[key] = value;
    }
    return JSON.stringify(await db().command({ explain: command, verbosity: 'queryPlanner' }));
  }

  /** Claims everything due at `now`, `batch` at a time, until nothing is left. */
  async function drain(now: Date, batch: number): Promise<Delivery[]> {
    const taken: Delivery[] = [];
    for (;;) {
      const claimed = await deliveries.claim(now, 30_000, batch);
      if (claimed.length === 0) return taken;
      taken.push(...claimed);
    }
  }

  beforeAll(() => {
    deliveries = new Deliveries(db());
  });

  beforeEach(async () => {
    await db().collection('deliveries').deleteMany({});
  });

  test('when notices are turned into deliveries, then each gets one per channel, due at its time', () => {
    const items = deliveriesOf([notice('a', later(5)), notice('b')]);

    expect(items.map((i) => i.id)).toEqual(['a/inapp', 'a/email', 'a/chat', 'b/inapp', 'b/email', 'b/chat']);
    expect(items[0]).toEqual({
      id: 'a/inapp',
      channel: 'inapp',
      recipient: 'carol@example.com',
      notices: [notice('a', later(5))],
      digest: false,
      availableAt: later(5),
    });
  });

  test('when notices are posted twice, then each delivery is queued once, in one insert, and reads back whole', async () => {
    const first = await recordCommands(client(), () => deliveries.post([notice('n1'), notice('n2')]));
    await deliveries.post([notice('n1'), notice('n2')]);
    await deliveries.enqueueAll([email('n1'), email('n3')]);

    expect(first.commands.map((c) => c.name)).toEqual(['insert']);
    expect((await deliveries.countByStatus()).pending).toBe(7);
    const stored = await deliveries.get('n2/chat');
    expect(stored).toMatchObject({
      id: 'n2/chat',
      channel: 'chat',
      status: 'pending',
      attempts: 0,
      leaseUntil: null,
      lastError: null,
      note: null,
      availableAt: t0,
    });
    expect(stored?.notices).toEqual([notice('n2')]);
    expect(stored?.createdAt).toBeInstanceOf(Date);
  });

  test('when items are claimed, then those due are leased and the rest wait', async () => {
    await deliveries.enqueueAll([
      email('b', later(2_000)),
      email('a', later(1_000)),
      email('c', later(MINUTE)),
    ]);

    const claimed = await deliveries.claim(later(10_000), 30_000, 10);

    // Oldest first within a lane; across lanes a batch comes in lane order.
    expect(claimed.map((i) => i.id).sort()).toEqual(['a/email', 'b/email']);
    for (const item of claimed) {
      expect(item).toMatchObject({ status: 'leased', attempts: 1, leaseUntil: later(40_000) });
    }
    expect(await deliveries.claim(later(20_000), 30_000, 10)).toEqual([]);
  });

  test('when two workers claim in loops at once, then each of 50 items goes to exactly one of them', async () => {
    await deliveries.enqueueAll(Array.from({ length: 50 }, (_, i) => email(`race${i}`, later(i))));

    const [one, two] = await Promise.all([drain(later(MINUTE), 3), drain(later(MINUTE), 4)]);

    const ids = [...one, ...two].map((i) => i.id);
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
    expect(one.length).toBeGreaterThan(0);
    expect(two.length).toBeGreaterThan(0);
    expect((await deliveries.countByStatus()).leased).toBe(50);
  });

  test('when a lease expires, then the item is claimable again and attempts go up', async () => {
    await deliveries.enqueueAll([email('x')]);
    await deliveries.claim(t0, 30_000, 1);

    expect(await deliveries.claim(later(29_999), 30_000, 1)).toEqual([]);
    expect(await deliveries.claim(later(30_000), 30_000, 1)).toMatchObject([
      { id: 'x/email', status: 'leased', attempts: 2, leaseUntil: later(60_000) },
    ]);
  });

  test('when an item is held, then it waits until then with the note, and the hold is not an attempt', async () => {
    await deliveries.enqueueAll([email('h')]);
    await deliveries.claim(t0, 30_000, 1);

    await deliveries.hold('h/email', later(60 * MINUTE), 'held until 09:00 (outside working hours)');

    expect(await deliveries.get('h/email')).toMatchObject({
      status: 'pending',
      attempts: 0,
      leaseUntil: null,
      availableAt: later(60 * MINUTE),
      note: 'held until 09:00 (outside working hours)',
    });
    expect(await deliveries.claim(later(59 * MINUTE), 30_000, 1)).toEqual([]);
    expect(await deliveries.claim(later(60 * MINUTE), 30_000, 1)).toMatchObject([
      { id: 'h/email', attempts: 1 },
    ]);
  });

  test('when sending fails for now, then the item waits until retryAt and keeps the error', async () => {
    await deliveries.enqueueAll([email('r')]);
    await deliveries.claim(t0, 30_000, 1);

    await deliveries.retryLater('r/email', 'SMTP 451 try again later', later(5 * MINUTE));

    expect(await deliveries.get('r/email')).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'SMTP 451 try again later',
    });
    expect(await deliveries.claim(later(4 * MINUTE), 30_000, 1)).toEqual([]);
    expect(await deliveries.claim(later(5 * MINUTE), 30_000, 1)).toMatchObject([
      { id: 'r/email', attempts: 2 },
    ]);
  });

  test('when items are finished, then each says how, and no mark changes a finished item', async () => {
    await deliveries.enqueueAll(['d', 'f', 's', 'g'].map((id) => email(id)));
    await deliveries.claim(t0, 30_000, 4);
    await deliveries.markDelivered('d/email', later(1));
    await deliveries.markFailed('f/email', 'mailbox unavailable', later(2));
    await deliveries.skip('s/email', 'no e-mail address', later(3));
    await deliveries.markDigested('g/email', 'digest:carol@example.com/2026-12-08', later(4));

    expect(await deliveries.get('d/email')).toMatchObject({ status: 'delivered', deliveredAt: later(1) });
    expect(await deliveries.get('f/email')).toMatchObject({
      status: 'failed',
      failedAt: later(2),
      lastError: 'mailbox unavailable',
    });
    expect(await deliveries.get('s/email')).toMatchObject({ status: 'skipped', note: 'no e-mail address' });
    expect(await deliveries.get('g/email')).toMatchObject({
      status: 'digested',
      note: 'digest digest:carol@example.com/2026-12-08',
    });

    for (const id of ['d/email', 'f/email', 's/email', 'g/email']) {
      const before = await deliveries.get(id);
      await deliveries.markDelivered(id, later(10));
      await deliveries.retryLater(id, 'late report', later(11));
      await deliveries.markFailed(id, 'late failure', later(12));
      await deliveries.skip(id, 'late skip', later(13));
      await deliveries.hold(id, later(14), 'late hold');
      await deliveries.markDigested(id, 'other-digest', later(15));
      expect(await deliveries.get(id)).toEqual(before);
    }
    expect(await deliveries.claim(later(3600_000), 30_000, 10)).toEqual([]);
  });

  test('when an unknown id is marked, then DeliveryNotFoundError', async () => {
    const marks = [
      () => deliveries.markDelivered('nope', t0),
      () => deliveries.retryLater('nope', 'x', t0),
      () => deliveries.markFailed('nope', 'x', t0),
      () => deliveries.skip('nope', 'x', t0),
      () => deliveries.hold('nope', t0, 'x'),
      () => deliveries.markDigested('nope', 'd', t0),
    ];

    for (const mark of marks) await expect(mark()).rejects.toBeInstanceOf(DeliveryNotFoundError);
  });

  test('when notices go into a digest, then it is created once, a retry adds nothing, and once taken it is closed', async () => {
    const digestId = 'digest:carol@example.com/2026-12-08';
    const at = later(25 * 3600_000);

    expect(await deliveries.addToDigest(digestId, 'carol@example.com', 'email', notice('d1'), at)).toBe(
      'added',
    );
    expect(await deliveries.addToDigest(digestId, 'carol@example.com', 'email', notice('d2'), at)).toBe(
      'added',
    );
    expect(await deliveries.addToDigest(digestId, 'carol@example.com', 'email', notice('d1'), at)).toBe(
      'added',
    );

    const digest = await deliveries.get(digestId);
    expect(digest).toMatchObject({
      id: digestId,
      channel: 'email',
      recipient: 'carol@example.com',
      digest: true,
      status: 'pending',
      attempts: 0,
      availableAt: at,
    });
    expect(digest?.notices.map((n) => n.id)).toEqual(['d1', 'd2']);
    expect(await deliveries.claim(later(24 * 3600_000), 30_000, 10)).toEqual([]);

    await deliveries.claim(at, 30_000, 10);

    expect(await deliveries.addToDigest(digestId, 'carol@example.com', 'email', notice('d3'), at)).toBe(
      'closed',
    );
    // A retry of a notice that made it in still hears 'added': it is in the digest being sent.
    expect(await deliveries.addToDigest(digestId, 'carol@example.com', 'email', notice('d2'), at)).toBe(
      'added',
    );
    expect((await deliveries.get(digestId))?.notices.map((n) => n.id)).toEqual(['d1', 'd2']);
  });

  test('when many notices race into a digest that does not exist yet, then all land in one digest', async () => {
    const at = later(3600_000);

    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        deliveries.addToDigest('digest:race', 'carol@example.com', 'email', notice(`race${i}`), at),
      ),
    );

    expect(answers).toEqual(Array<string>(12).fill('added'));
    const ids = (await deliveries.get('digest:race'))?.notices.map((n) => n.id) ?? [];
    expect([...ids].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `race${i}`).sort());
  });

  test('when admins page the failed items, then newest failure first, ties by id, every item once', async () => {
    const failures = [
      ['f1', 5],
      ['f2', 9],
      ['f3', 9],
      ['f4', 1],
      ['f5', 7],
      ['f6', 9],
      ['f7', 3],
    ] as const;
    await deliveries.enqueueAll([...failures.map(([id]) => email(id)), email('ok')]);
    await deliveries.claim(t0, 30_000, 10);
    for (const [id, minute] of failures)
      await deliveries.markFailed(`${id}/email`, `error ${id}`, later(minute * MINUTE));
    await deliveries.markDelivered('ok/email', later(1));

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Delivery[]; nextCursor: string | null } = await deliveries.pageFailed(cursor, 3);
      pages.push(page.items.map((i) => i.id.replace('/email', '')));
      cursor = page.nextCursor;
    } while (cursor !== null);

    expect(pages).toEqual([['f6', 'f3', 'f2'], ['f5', 'f1', 'f7'], ['f4']]);
    const foreign = encodeCursor('notifications', [t0, 'f1']);
    await expect(deliveries.pageFailed(foreign, 3)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  test('when an admin retries a failed item, then it is pending now with attempts 0 and its error; others are refused', async () => {
    await deliveries.enqueueAll([email('f'), email('d')]);
    await deliveries.claim(t0, 30_000, 2);
    await deliveries.markFailed('f/email', 'mailbox unavailable', later(1));
    await deliveries.markDelivered('d/email', later(1));

    expect(await deliveries.retryFailed('f/email', later(MINUTE))).toBe(true);
    expect(await deliveries.retryFailed('f/email', later(MINUTE))).toBe(false);
    expect(await deliveries.retryFailed('d/email', later(MINUTE))).toBe(false);
    expect(await deliveries.retryFailed('nope', later(MINUTE))).toBe(false);

    expect(await deliveries.get('f/email')).toMatchObject({
      status: 'pending',
      attempts: 0,
      failedAt: null,
      lastError: 'mailbox unavailable',
      availableAt: later(MINUTE),
    });
    expect((await deliveries.pageFailed(null, 10)).items).toEqual([]);
    expect(await deliveries.claim(later(MINUTE), 30_000, 10)).toMatchObject([{ id: 'f/email', attempts: 1 }]);
  });

  test('when items are counted by status, then every status is there, zero or not', async () => {
    await deliveries.post([notice('c1'), notice('c2')]);
    await deliveries.claim(t0, 30_000, 6);
    await deliveries.markDelivered('c1/inapp', t0);
    await deliveries.skip('c1/email', 'no e-mail address', t0);
    await deliveries.markFailed('c1/chat', 'webhook gone', t0);
    await deliveries.retryLater('c2/inapp', 'timeout', later(MINUTE));

    expect(await deliveries.countByStatus()).toEqual({
      pending: 1,
      leased: 2,
      delivered: 1,
      failed: 1,
      skipped: 1,
      digested: 0,
    });
  });

  test('when items are claimed, counted and paged, then each read goes through its index', async () => {
    for (let i = 1; i <= 5; i++) await deliveries.enqueueAll([email(`ix${i}`, later(i))]);
    await deliveries.claim(later(1), 30_000, 1);
    await deliveries.markFailed('ix1/email', 'bounced', later(2));

    const claim = await recordCommands(client(), () => deliveries.claim(later(MINUTE), 30_000, 2));
    const count = await recordCommands(client(), () => deliveries.countByStatus());
    const { plans } = await expectIndexedReads(client(), db(), () => deliveries.pageFailed(null, 10));

    // The due ids on `claimable` (expired leases, then the lanes until 2 are found), one update, and
    // one read by `_id`.
    const names = claim.commands.map((c) => c.name);
    expect(names.slice(-2)).toEqual(['update', 'find']);
    const scans = claim.commands.slice(0, -2);
    expect(scans.length).toBeGreaterThanOrEqual(2);
    expect(scans.length).toBeLessThanOrEqual(17);
    expect(count.commands).toHaveLength(6);
    for (const recorded of [...scans, ...count.commands]) {
      expect(recorded.name === 'find' || recorded.name === 'count' || recorded.name === 'aggregate').toBe(
        true,
      );
      const plan = await explained(recorded);
      expect(plan).toMatch(/"indexName":"(claimable|lease_expiry)"/);
      expect(plan).not.toContain('COLLSCAN');
    }
    // SecantusDB explains every update as a collection scan (parsedQuery {}); the read is by `_id`.
    expect(await explained(claim.commands.at(-1)!)).not.toContain('COLLSCAN');
    expect(plans).toEqual([expect.stringMatching(/^find deliveries: .*IXSCAN\(failed\)/)]);
  });
});
