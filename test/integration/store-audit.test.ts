// AuditLedger's appends and verifier against a real MongoDB-wire server: hash-chained appends
// that survive activity retries in three commands, the input hash of a started event, and a
// verifier that names the first tampered or missing event.
import type { Collection, UpdateFilter } from 'mongodb';
import { canonicalJson, sha256Hex } from '../../engine/ir/index.js';
import {
  AuditConflictError,
  auditCollections,
  type AuditEventInput,
  AuditLedger,
  GENESIS_HASH,
  MissingLinkError,
} from '../../store/audit.js';
import { applyManifest } from '../../store/manifest.js';
import { expectIndexedReads, recordCommands } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';
import { chain, span, t0 } from './fixtures/audit-chains.js';

describe('AuditLedger appends and verify', () => {
  const { client, db } = useStoreDatabase(import.meta.url, auditCollections);
  let ledger: AuditLedger;
  let raw: Collection<{ _id: string }>;

  beforeAll(() => {
    ledger = new AuditLedger(db());
    raw = db().collection<{ _id: string }>('audit_events');
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

  test('when a retry rewrites a stored event, then nothing after it in the batch is written', async () => {
    const events = chain('stopped', 3);
    await ledger.append(events.slice(0, 2));

    const attempt = ledger.append([{ ...events[1]!, text: 'a different story' }, events[2]!]);

    await expect(attempt).rejects.toThrow(/stopped:2.*different content/);
    expect(await raw.countDocuments({ chain: 'stopped' })).toBe(2);
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
    expect(await ledger.verify()).toEqual({ ok: true, chains: 8, events: 3 + 4 + 5 + 2 + 2 + 2 + 3 + 6 });
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
      const scratch = client().db(`${db().databaseName}_forge`);
      await applyManifest(scratch, auditCollections);
      const forger = new AuditLedger(scratch);
      const events = chain(name, 9);
      await forger.append([...events.slice(0, 8), { ...events[8]!, text: 'approved by the CFO' }]);
      const forged = await scratch.collection<{ _id: string }>('audit_events').findOne({ _id: `${name}:9` });
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

    test('when the last event is deleted, then verify names its seq as missing, not the end', async () => {
      await raw.deleteOne({ _id: `${name}:50` });

      expect(await ledger.verify({ chain: name })).toEqual({
        ok: false,
        chains: 1,
        events: 49,
        firstProblem: { chain: name, seq: 50, id: null, problem: 'missing event' },
      });
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

  describe('commands and plans', () => {
    test('when a 5-event batch follows its stored predecessor, then it costs 3 commands, 2 on a retry', async () => {
      const events = chain('budget', 10);
      await ledger.append(events.slice(0, 5));

      const first = await recordCommands(client(), () => ledger.append(events.slice(5)));
      const retry = await recordCommands(client(), () => ledger.append(events.slice(5)));

      expect(first.commands.map((c) => c.name)).toEqual(['find', 'insert', 'update']);
      expect(retry.commands.map((c) => c.name)).toEqual(['find', 'update']);
      expect(await ledger.verify({ chain: 'budget' })).toEqual({ ok: true, chains: 1, events: 10 });
    });

    test('when a batch is appended, then its one read is served by the `_id` index', async () => {
      const events = chain('budget-plan', 6);
      await ledger.append(events.slice(0, 1));

      const { plans } = await expectIndexedReads(client(), db(), () => ledger.append(events.slice(1)));

      expect(plans).toEqual([expect.stringContaining('IXSCAN(_id_)')]);
    });

    test('when a chain is verified or read, then each read is one indexed find', async () => {
      const reads = await expectIndexedReads(client(), db(), async () => [
        await ledger.verify({ chain: 'budget' }),
        await ledger.chainByName('budget'),
        await ledger.lastSeq('budget'),
        await ledger.verify(),
      ]);

      expect(reads.result[2]).toBe(10);
      // The head is read by `_id`; the events of one chain, the last one, and the whole ledger on chain_seq.
      expect(reads.plans.filter((p) => p.includes('IXSCAN(chain_seq)'))).toHaveLength(4);
    });
  });

  describe('the input hash of a started event', () => {
    const withInput = (instance: string): AuditEventInput[] => {
      const events = chain(instance, 3);
      return [{ ...events[0]!, inputSha256: 'e'.repeat(64) }, ...events.slice(1)];
    };

    test('when a started event carries inputSha256, then it is stored, hashed and verifies', async () => {
      await ledger.append(withInput('with-input'));

      const { events } = await ledger.query({ instanceId: 'with-input' }, { limit: 10 });

      expect(events[0]!.inputSha256).toBe('e'.repeat(64));
      expect(events[1]).not.toHaveProperty('inputSha256');
      expect(events[0]!.hash).not.toBe(hashWithout('with-input'));
      expect(await ledger.verify({ chain: 'with-input' })).toEqual({ ok: true, chains: 1, events: 3 });
    });

    test.each<[string, UpdateFilter<{ _id: string }>]>([
      ['edited', { $set: { inputSha256: 'f'.repeat(64) } }],
      ['removed', { $unset: { inputSha256: '' } }],
    ])(
      'when the input hash is %s in the database, then verify reports a hash mismatch there',
      async (how, edit) => {
        const name = `input-${how}`;
        await ledger.append(withInput(name));
        await raw.updateOne({ _id: `${name}:1` }, edit);

        expect((await ledger.verify({ chain: name })).firstProblem).toEqual({
          chain: name,
          seq: 1,
          id: `${name}:1`,
          problem: 'hash mismatch',
        });
      },
    );

    test('when an event has no input hash (null or absent), then it hashes exactly as before the field', async () => {
      const [event] = chain('no-input', 1);
      await ledger.append([{ ...event!, inputSha256: null }]);

      const stored = (await ledger.chainByName('no-input'))[0]!;

      expect(stored).not.toHaveProperty('inputSha256');
      expect(stored.hash).toBe(hashWithout('no-input'));
    });

    /** The hash formula of the ledger before `inputSha256` existed, on the chain's first event. */
    function hashWithout(instance: string): string {
      const { id, at, ...rest } = chain(instance, 1)[0]!;
      return sha256Hex(
        GENESIS_HASH + canonicalJson({ ...rest, prevHash: GENESIS_HASH, id, at: at.toISOString() }),
      );
    }
  });
});
