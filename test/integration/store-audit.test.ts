// AuditLedger against a real MongoDB-wire server: hash-chained appends that survive activity
// retries, a verifier that names the first tampered or missing event, and cursor pagination.
import type { Collection, Db, MongoClient } from 'mongodb';
import type { SourceSpan } from '../../engine/ir/index.js';
import {
  AuditConflictError,
  type AuditEventInput,
  AuditLedger,
  GENESIS_HASH,
  MissingLinkError,
} from '../../store/audit.js';
import { connectMongo, databaseNameFor } from '../support/services.js';

const span: SourceSpan = { file: 0, line: 12, col: 3, endLine: 12, endCol: 40 };
const policy = { name: 'change-mgmt', version: 3, sha256: 'a'.repeat(64) };
const t0 = Date.parse('2026-03-02T09:00:00Z');

/** Events 1..n of one instance; every fifth shares its timestamp with the one before (ties on `at`). */
function chain(instance: string, n: number, project: string | null = 'erp-upgrade'): AuditEventInput[] {
  return Array.from({ length: n }, (_, i) => {
    const seq = i + 1;
    const minute = seq % 5 === 0 ? seq - 1 : seq;
    return {
      chain: instance,
      seq,
      id: `${instance}:${seq}`,
      at: new Date(t0 + minute * 60_000),
      type: seq === 1 ? 'started' : 'decision',
      instanceId: instance,
      process: 'change-request',
      project,
      policy,
      step: seq === 1 ? null : 'cab-approval',
      text: `event ${seq} of ${instance}`,
      actor: seq % 3 === 0 ? 'carol' : 'dave',
      onBehalfOf: seq % 7 === 0 ? 'erin' : null,
      outcome: seq % 4 === 0 ? 'approved' : null,
      reasons: seq % 2 === 0 ? [{ text: 'cost above 10000 EUR', span }] : [],
      span: seq % 2 === 0 ? span : null,
    };
  });
}

describe('AuditLedger', () => {
  let client: MongoClient;
  let db: Db;
  let ledger: AuditLedger;
  let raw: Collection<{ _id: string }>;

  beforeAll(async () => {
    client = await connectMongo();
    db = client.db(databaseNameFor(import.meta.url));
    await db.dropDatabase();
    ledger = new AuditLedger(db);
    await ledger.ensureIndexes();
    raw = db.collection<{ _id: string }>('audit');
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  test('when events are appended, then each links to the hash of its predecessor', async () => {
    await ledger.append(chain('linked', 3));

    const { events } = await ledger.query({ instanceId: 'linked' }, { limit: 10 });

    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events[2]!.prevHash).toBe(events[1]!.hash);
    expect(events[1]).toMatchObject({
      id: 'linked:2',
      reasons: [{ text: 'cost above 10000 EUR', span }],
      span,
    });
  });

  test('when a later append continues a chain, then it links to the stored predecessor', async () => {
    const events = chain('continued', 4);
    await ledger.append(events.slice(0, 2));
    await ledger.append(events.slice(2));

    expect(await ledger.verify({ chain: 'continued' })).toEqual({ ok: true, chains: 1, events: 4 });
  });

  test('when the same events are appended twice (an activity retry), then nothing is written twice', async () => {
    const events = chain('retried', 5);
    await ledger.append(events);

    await ledger.append(events);
    await ledger.append(events.slice(2, 4));

    expect(await raw.countDocuments({ chain: 'retried' })).toBe(5);
    expect((await ledger.verify({ chain: 'retried' })).ok).toBe(true);
  });

  test('when an id is re-appended with different content, then the error names the id', async () => {
    const events = chain('rewritten', 2);
    await ledger.append(events);

    const attempt = ledger.append([{ ...events[1]!, text: 'a different story' }]);

    await expect(attempt).rejects.toBeInstanceOf(AuditConflictError);
    await expect(attempt).rejects.toThrow(/rewritten:2/);
  });

  test('when a different id claims a taken (chain, seq), then the chain does not fork', async () => {
    await ledger.append(chain('forked', 2));

    const attempt = ledger.append([{ ...chain('forked', 2)[1]!, id: 'forked:other' }]);

    await expect(attempt).rejects.toThrow(/forked:other.*already taken by forked:2/);
    expect(await raw.countDocuments({ chain: 'forked' })).toBe(2);
  });

  test('when seq N is appended before seq N-1 is stored, then MissingLinkError and nothing is written', async () => {
    const events = chain('gappy', 4);
    await ledger.append(events.slice(0, 1));

    const attempt = ledger.append(events.slice(2, 3));

    await expect(attempt).rejects.toBeInstanceOf(MissingLinkError);
    await expect(attempt).rejects.toMatchObject({ chain: 'gappy', seq: 3 });
    expect(await raw.countDocuments({ chain: 'gappy' })).toBe(1);
    // The retry, once the predecessor has arrived, succeeds.
    await ledger.append(events.slice(1, 2));
    await ledger.append(events.slice(2, 3));
    expect(await raw.countDocuments({ chain: 'gappy' })).toBe(3);
  });

  test('when a retry runs while the first attempt is still writing, then both succeed and nothing is doubled', async () => {
    const events = chain('overlapping', 6);

    await Promise.all([ledger.append(events), ledger.append(events), ledger.append(events)]);

    expect(await raw.countDocuments({ chain: 'overlapping' })).toBe(6);
  });

  test('when verify is given no chain, then it walks every chain', async () => {
    expect(await ledger.verify()).toEqual({ ok: true, chains: 7, events: 3 + 4 + 5 + 2 + 2 + 3 + 6 });
  });

  describe('verify', () => {
    const name = 'verified';

    beforeEach(async () => {
      await raw.deleteMany({ chain: name });
      await ledger.append(chain(name, 50));
    });

    test('when a chain of 50 is untouched, then it verifies', async () => {
      expect(await ledger.verify({ chain: name })).toEqual({ ok: true, chains: 1, events: 50 });
    });

    test("when one event's text is edited in the database, then verify names exactly that id", async () => {
      await raw.updateOne({ _id: `${name}:23` }, { $set: { text: 'approved by nobody' } });

      const report = await ledger.verify({ chain: name });

      expect(report.ok).toBe(false);
      expect(report.firstProblem).toEqual({
        chain: name,
        seq: 23,
        id: `${name}:23`,
        problem: 'hash mismatch',
      });
    });

    test.each([
      ['at', new Date(t0 - 1)],
      ['actor', 'mallory'],
      ['outcome', 'rejected'],
      ['reasons', []],
      ['policy.version', 2],
    ])('when %s is edited, then verify reports a hash mismatch there', async (field, value) => {
      await raw.updateOne({ _id: `${name}:8` }, { $set: { [field]: value } });

      expect((await ledger.verify({ chain: name })).firstProblem).toMatchObject({
        seq: 8,
        problem: 'hash mismatch',
      });
    });

    test('when a forger edits an event and recomputes its hash, then the next event shows the broken link', async () => {
      // The forger knows the algorithm: the same first 8 events and a forged 9th, hashed by a
      // ledger in a scratch database, then swapped in for the real 9th.
      const scratch = client.db(`${db.databaseName}_forge`);
      const forger = new AuditLedger(scratch);
      const events = chain(name, 9);
      await forger.append([...events.slice(0, 8), { ...events[8]!, text: 'approved by the CFO' }]);
      const forged = await scratch.collection<{ _id: string }>('audit').findOne({ _id: `${name}:9` });
      await raw.replaceOne({ _id: `${name}:9` }, forged!);
      await scratch.dropDatabase();

      const report = await ledger.verify({ chain: name });

      expect(report.firstProblem).toEqual({ chain: name, seq: 10, id: `${name}:10`, problem: 'broken link' });
    });

    test('when an event is deleted, then verify names its seq as missing', async () => {
      await raw.deleteOne({ _id: `${name}:31` });

      const report = await ledger.verify({ chain: name });

      expect(report).toMatchObject({ ok: false, events: 49 });
      expect(report.firstProblem).toEqual({ chain: name, seq: 31, id: null, problem: 'missing event' });
    });

    test('when the first event is deleted, then verify names seq 1', async () => {
      await raw.deleteOne({ _id: `${name}:1` });

      expect((await ledger.verify({ chain: name })).firstProblem).toMatchObject({
        seq: 1,
        problem: 'missing event',
      });
    });

    test('when a stored event is not even the right shape, then verify says unparseable', async () => {
      await raw.updateOne({ _id: `${name}:5` }, { $set: { text: 42 } });

      expect((await ledger.verify({ chain: name })).firstProblem).toMatchObject({
        id: `${name}:5`,
        problem: 'unparseable',
      });
    });
  });

  describe('query', () => {
    beforeAll(async () => {
      // Three instances, interleaved in time, with ties on `at` inside and across chains.
      await ledger.append(chain('page-a', 23, 'crm-rollout'));
      await ledger.append(chain('page-b', 17, 'crm-rollout'));
      await ledger.append(chain('page-c', 9, 'dc-move'));
    });

    const key = (e: { at: Date; id: string }) => `${e.at.toISOString()} ${e.id}`;

    test('when every page is followed, then each event comes exactly once in (at, id) order', async () => {
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await ledger.query(
          { project: 'crm-rollout' },
          after === undefined ? { limit: 7 } : { after, limit: 7 },
        );
        seen.push(...page.events.map(key));
        after = page.next ?? undefined;
        pages++;
      } while (after !== undefined);

      expect(pages).toBe(6); // 40 events, 7 a page
      expect(seen).toHaveLength(40);
      expect(new Set(seen).size).toBe(40);
      expect(seen).toEqual([...seen].sort());
    });

    test('when the last page is exactly full, then next is null', async () => {
      const page = await ledger.query({ instanceId: 'page-c' }, { limit: 9 });

      expect(page.events).toHaveLength(9);
      expect(page.next).toBeNull();
    });

    test('when filtered by project, actor and time window, then only matching events come back', async () => {
      const from = new Date(t0 + 5 * 60_000);
      const to = new Date(t0 + 12 * 60_000);

      const { events } = await ledger.query(
        { project: 'crm-rollout', actor: 'carol', from, to },
        { limit: 100 },
      );

      expect(events.length).toBeGreaterThan(0);
      for (const e of events) {
        expect(e.project).toBe('crm-rollout');
        expect(e.actor).toBe('carol');
        expect(e.at.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(e.at.getTime()).toBeLessThan(to.getTime());
      }
      // Carol acts on every third seq: 6 and 9 fall in minutes [5, 12); seq 12 is at the excluded end.
      expect(events.map((e) => e.id)).toEqual(['page-a:6', 'page-b:6', 'page-a:9', 'page-b:9']);
    });

    test('when filtered by policy, type and outcome, then the equality filters combine', async () => {
      const { events } = await ledger.query(
        {
          policyName: 'change-mgmt',
          policyVersion: 3,
          type: 'decision',
          outcome: 'approved',
          instanceId: 'page-c',
        },
        { limit: 100 },
      );

      expect(events.map((e) => e.id)).toEqual(['page-c:4', 'page-c:8']);
    });

    test('when a cursor was not issued by the ledger, then the query is refused', async () => {
      await expect(ledger.query({}, { after: 'not-a-cursor', limit: 5 })).rejects.toThrow(/cursor/);
      await expect(ledger.query({}, { limit: 0 })).rejects.toThrow(/limit/);
    });
  });
});
