// The `_id`-keyed read paths (keyed-list.ts, task-index.ts, audit-index.ts) against the real
// MongoDB-wire server: no entry lost to concurrent writers or stale digests, inboxes and audit
// queries that answer exactly what the plain finds answer, and databases from before the indexes
// rebuilt once on open.
import type { Db, MongoClient } from 'mongodb';
import { z } from 'zod';
import { AuditLedger, type AuditEventInput, type AuditFilter } from '../../store/audit.js';
import { openStore } from '../../store/index.js';
import { KeyedList } from '../../store/keyed-list.js';
import { TaskStore, type NewTask } from '../../store/tasks.js';
import { connectMongo, databaseNameFor } from '../support/services.js';
import { seededRandom as random } from '../support/worker-process.js';

const policy = { name: 'change-approval', version: 3, sha256: 'a'.repeat(64) };
const hour = 3600 * 1000;
const t0 = new Date('2027-03-01T09:00:00Z');
const entry = z.object({ id: z.string(), n: z.number() });

const task = (id: string, over: Partial<NewTask> = {}): NewTask => ({
  id,
  instanceId: id.split('/')[0]!,
  task: id.split('/')[1]!,
  step: 'cab',
  title: `decide ${id}`,
  kind: 'approval',
  assignees: ['alice@x.example'],
  dueAt: null,
  openedAt: t0,
  policy,
  process: 'change',
  project: null,
  ...over,
});

describe('keyed lists and the reads built on them', () => {
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    client = await connectMongo();
    db = client.db(databaseNameFor(import.meta.url));
    await db.dropDatabase();
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  test('when 60 writers add to one key at once and readers fold meanwhile, then every entry is read back once', async () => {
    const list = new KeyedList(db, 'race', entry);
    const writes = Array.from({ length: 60 }, (_, n) => list.add('k', [{ id: `e${n}`, n }]));
    const reads = Array.from({ length: 5 }, () => list.read('k'));
    await Promise.all([...writes, ...reads]);
    await list.add('k', [{ id: 'e7', n: 7 }]); // a retried write: same entry again

    const read = await list.read('k');
    expect(read.entries.map((e) => e.n).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 60 }, (_, n) => n),
    );
    expect(read.through).toBe(61);
  });

  test('when a stale digest overwrites a newer one, then no entry is lost', async () => {
    const list = new KeyedList(db, 'stale', entry);
    for (let n = 0; n < 10; n++) await list.add('k', [{ id: `e${n}`, n }]);
    const early = await list.read('k'); // folds slots 1..10
    expect(await db.collection('stale_digests').findOne({ _id: 'k' as never })).toMatchObject({
      through: 10,
    });
    for (let n = 10; n < 20; n++) await list.add('k', [{ id: `e${n}`, n }]);
    await list.read('k'); // folds slots 1..20
    // A slow reader's prune of its early read lands last: the digest goes back to slot 10.
    await list.prune('k', early, new Set(['e3']));

    const after = await list.read('k');
    expect(after.entries.map((e) => e.id).sort()).toEqual(
      Array.from({ length: 20 }, (_, n) => `e${n}`)
        .filter((id) => id !== 'e3')
        .sort(),
    );
  });

  test('when tasks open, widen and close, then the inbox pages them in order and prunes the closed ones', async () => {
    const tasks = new TaskStore(db);
    const rand = random(7);
    const opened: NewTask[] = [];
    for (let i = 0; i < 40; i++) {
      const openedAt = new Date(t0.getTime() + Math.floor(rand() * 10) * hour);
      const dueAt = rand() < 0.6 ? new Date(openedAt.getTime() + Math.floor(rand() * 5) * 24 * hour) : null;
      opened.push(
        task(`inst-${i % 13}/t${i}`, { openedAt, dueAt, assignees: [rand() < 0.5 ? 'ann@x' : 'ben@x'] }),
      );
    }
    await Promise.all(opened.map((t) => tasks.open(t)));
    await Promise.all(opened.slice(0, 5).map((t) => tasks.addAssignees(t.id, ['ann@x', 'cat@x'])));
    const closed = opened.filter((_, i) => i % 4 === 1);
    await Promise.all(closed.map((t) => tasks.close(t.id, 'decided', t0)));

    const expected = await db
      .collection('tasks')
      .find({ assignees: { $in: ['ann@x', 'cat@x'] }, status: 'open' })
      .sort({ dueKey: 1, openedAt: 1, _id: 1 })
      .map((d) => d._id as unknown as string)
      .toArray();
    const paged: string[] = [];
    let after: string | undefined;
    do {
      const page = await tasks.inbox(['ann@x', 'cat@x'], { limit: 3, ...(after ? { after } : {}) });
      paged.push(...page.tasks.map((t) => t.id));
      after = page.next ?? undefined;
    } while (after !== undefined);
    expect(expected.length).toBeGreaterThan(10);
    expect(paged).toEqual(expected);

    const digest = await db.collection('inbox_digests').findOne({ _id: 'ann@x' as never });
    const listed = z.object({ entries: z.array(z.object({ id: z.string() })) }).parse(digest).entries;
    expect(listed.filter((e) => closed.some((t) => t.id === e.id))).toEqual([]);
    expect(await tasks.isAssignee('inst-1', ['cat@x'])).toBe(
      opened.slice(0, 5).some((t) => t.instanceId === 'inst-1'),
    );
    expect(await tasks.instancesAssignedTo(['cat@x'])).toEqual(
      new Set(opened.slice(0, 5).map((t) => t.instanceId)),
    );
  });

  test('when the audit ledger is queried by any filter, then it answers what the plain find answers, page by page', async () => {
    const ledger = new AuditLedger(db);
    const rand = random(11);
    const projects = ['erp', 'crm', null];
    for (let chain = 0; chain < 30; chain++) {
      const project = projects[chain % 3]!;
      let at = t0.getTime() + Math.floor(rand() * 20) * 24 * hour;
      const events: AuditEventInput[] = [];
      for (let seq = 1; seq <= 8; seq++) {
        events.push({
          chain: `c${chain}`,
          seq,
          id: `c${chain}:${seq}`,
          // Whole hours, so that events of different chains tie on `at` and the _id breaks the tie.
          at: new Date(at),
          type: seq === 1 ? 'started' : 'decision',
          instanceId: `c${chain}`,
          process: 'change',
          project,
          policy,
          step: null,
          text: `event ${seq}`,
          actor: seq % 2 === 0 ? 'ann@x' : 'ben@x',
          onBehalfOf: null,
          outcome: seq === 8 ? 'approved' : null,
          reasons: [],
          span: null,
        });
        at += Math.floor(rand() * 30) * hour;
      }
      // Appended in two calls: the second finds its predecessor's hash through the index.
      await ledger.append(events.slice(0, 3));
      await ledger.append(events.slice(3));
    }
    expect((await ledger.verify()).ok).toBe(true);

    const filters: AuditFilter[] = [
      { project: 'erp' },
      {
        project: 'crm',
        from: new Date(t0.getTime() + 5 * 24 * hour),
        to: new Date(t0.getTime() + 12 * 24 * hour),
      },
      { project: 'erp', actor: 'ann@x', from: new Date(t0.getTime() + 3 * 24 * hour) },
      { project: 'crm', type: 'started', to: new Date(t0.getTime() + 9 * 24 * hour) },
      { project: 'nothing-here' },
      // Without a project: the instance's chains, read by _id; else the actor's, the policy's, all.
      { instanceId: 'c4' },
      { actor: 'ben@x', to: new Date(t0.getTime() + 15 * 24 * hour) },
      { policyName: 'change-approval', type: 'started' },
      { outcome: 'approved', from: new Date(t0.getTime() + 5 * 24 * hour) },
      { type: 'decision', from: new Date(t0.getTime() + 10 * 24 * hour) },
      {},
      { instanceId: 'c5', actor: 'ann@x', from: new Date(t0.getTime() + 24 * hour) },
    ];
    for (const filter of filters) {
      const { project, instanceId, policyName, actor, outcome, type, from, to } = filter;
      const expected = await db
        .collection('audit')
        .find({
          ...(project === undefined ? {} : { project }),
          ...(instanceId ? { instanceId } : {}),
          ...(policyName ? { 'policy.name': policyName } : {}),
          ...(actor ? { actor } : {}),
          ...(outcome ? { outcome } : {}),
          ...(type ? { type } : {}),
          ...(from || to ? { at: { ...(from ? { $gte: from } : {}), ...(to ? { $lt: to } : {}) } } : {}),
        })
        .sort({ at: 1, _id: 1 })
        .map((d) => d._id as unknown as string)
        .toArray();
      const paged: string[] = [];
      let after: string | undefined;
      do {
        const page = await ledger.query(filter, { limit: 7, ...(after ? { after } : {}) });
        paged.push(...page.events.map((e) => e.id));
        after = page.next ?? undefined;
      } while (after !== undefined);
      expect(paged).toEqual(expected);
    }
  }, 180_000); // 30 chains appended one call at a time, then 11 filters paged 7 at a time

  test('when a filter its index key does not cover matches rarely, then pages stop early with a cursor and add up to the find', async () => {
    // The events of the previous test; a ledger that reads at most 20 events per page.
    const ledger = new AuditLedger(db, { maxExamined: 20 });
    const expected = await db
      .collection('audit')
      .find({ type: 'started' })
      .sort({ at: 1, _id: 1 })
      .map((d) => d._id as unknown as string)
      .toArray();
    const paged: string[] = [];
    const sizes: number[] = [];
    let after: string | undefined;
    do {
      const page = await ledger.query({ type: 'started' }, { limit: 50, ...(after ? { after } : {}) });
      paged.push(...page.events.map((e) => e.id));
      sizes.push(page.events.length);
      after = page.next ?? undefined;
    } while (after !== undefined);
    expect(expected).toHaveLength(30);
    expect(paged).toEqual(expected);
    // 240 events read about 50 at a time, stopping once 20 are read: 30 matches, yet several short
    // pages with cursors instead of one page that reads the whole ledger.
    expect(sizes.length).toBeGreaterThan(2);
    expect(Math.max(...sizes)).toBeLessThan(30);
    expect((await ledger.query({ instanceId: 'no-such-instance' }, { limit: 10 })).events).toEqual([]);
  }, 180_000);

  test('when a database predates the indexes, then opening it lists its tasks and events once', async () => {
    const old = client.db(`${databaseNameFor(import.meta.url)}_old`);
    await old.dropDatabase();
    const dueAt = new Date(t0.getTime() + 24 * hour);
    await old.collection('tasks').insertOne({
      ...task('old-1/cab', { dueAt }),
      _id: 'old-1/cab' as never,
      initialAssignees: ['alice@x.example'],
      assignees: ['alice@x.example'],
      status: 'open',
      dueKey: dueAt,
      blockedOn: null,
      closedAt: null,
      closeReason: null,
    });
    const ledger = new AuditLedger(old);
    await ledger.append([
      {
        chain: 'old-1',
        seq: 1,
        id: 'old-1:1',
        at: t0,
        type: 'started',
        instanceId: 'old-1',
        process: 'change',
        project: 'erp',
        policy,
        step: null,
        text: 'started',
        actor: null,
        onBehalfOf: null,
        outcome: null,
        reasons: [],
        span: null,
      },
    ]);
    // As if written by a Charter without the indexes: drop what the append just listed.
    for (const name of ['audit_days_slots', 'audit_by_day_slots', 'audit_heads'])
      await old.collection(name).drop();

    const store = await openStore(old);
    expect((await store.tasks.inbox(['alice@x.example'], { limit: 10 })).tasks.map((t) => t.id)).toEqual([
      'old-1/cab',
    ]);
    expect((await store.audit.query({ project: 'erp' }, { limit: 10 })).events.map((e) => e.id)).toEqual([
      'old-1:1',
    ]);
    expect(await old.collection('store_migrations').countDocuments()).toBe(2);
    await old.dropDatabase();
  });
});
