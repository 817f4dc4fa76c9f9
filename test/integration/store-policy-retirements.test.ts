// Retiring policy versions and whole policies against a real MongoDB server (SecantusDB in `npm
// test`): a retirement is idempotent and final, an unknown version is refused, retiring v3 puts v2
// back in force, a retired policy has nothing in force and says why, each retirement is one event
// on the policy's ledger chain however many callers race, and the reads are indexed.
import { type CompiledPolicy, hashPolicyIR, type PolicyIR, sha256Hex } from '../../engine/ir/index.js';
import { AuditLedger, auditCollections } from '../../store/audit.js';
import { policyCollections, PolicyStore } from '../../store/policies.js';
import {
  PolicyNotFoundError,
  policyChainOf,
  policyRetirementCollections,
  type PolicyRetirements,
} from '../../store/policy-retirements.js';
import { expectIndexedReads, recordCommands } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const span = { file: 0, line: 1, col: 1, endLine: 1, endCol: 2 };
const PETRA = 'petra.holm@halden.example';
const PAUL = 'paul.pmo@halden.example';

/** A small real policy version (its IR hashed as publishing checks it). */
function policy(
  name: string,
  version: number,
  effective: string,
): { compiled: CompiledPolicy; text: string } {
  const text = `policy ${name} version ${version} effective ${effective}\n`;
  const ir: PolicyIR = {
    irVersion: 1,
    policy: { name, version, effective, owner: 'pmo@halden.example' },
    sources: [{ path: `${name}.charter`, sha256: sha256Hex(text) }],
    calendars: [],
    roles: [],
    rules: [],
    processes: [
      {
        name: 'purchase',
        input: [],
        steps: [{ id: 'done', kind: 'end', outcome: 'approved', message: null, span }],
        span,
      },
    ],
  };
  return { compiled: { ir, sha256: hashPolicyIR(ir) }, text };
}

const at = (iso: string): Date => new Date(iso);

describe('PolicyRetirements', () => {
  const { client, db } = useStoreDatabase(import.meta.url, [
    ...policyCollections,
    ...policyRetirementCollections,
    ...auditCollections,
  ]);
  let store: PolicyStore;
  let retirements: PolicyRetirements;
  let ledger: AuditLedger;

  /** Publishes versions of `name`: `[version, effective day]` each. */
  const publish = async (name: string, versions: [number, string][]): Promise<void> => {
    for (const [version, effective] of versions) {
      const p = policy(name, version, effective);
      await store.publish({
        compiled: p.compiled,
        sources: [{ path: `${name}.charter`, text: p.text }],
        publishedBy: 'tomas.berg@halden.example',
        at: at('2026-01-02T09:00:00Z'),
      });
    }
  };
  const inForce = async (name: string, when = '2026-08-01T12:00:00Z'): Promise<number | null> =>
    (await store.newestInEffect(name, at(when)))?.version ?? null;

  beforeAll(() => {
    store = new PolicyStore(db());
    retirements = store.retirements;
    ledger = new AuditLedger(db());
  });

  test('when a version is retired twice, then the second answers unchanged with the first retirement and the ledger has one event', async () => {
    await publish('twice', [[1, '2026-01-01']]);

    const first = await retirements.retire({
      name: 'twice',
      version: 1,
      reason: 'replaced by the new purchasing policy',
      by: PETRA,
      at: at('2026-07-01T08:00:00Z'),
    });
    const again = await retirements.retire({
      name: 'twice',
      version: 1,
      reason: 'another reason',
      by: PAUL,
      at: at('2026-07-02T08:00:00Z'),
    });

    const retirement = {
      name: 'twice',
      version: 1,
      reason: 'replaced by the new purchasing policy',
      by: PETRA,
      at: at('2026-07-01T08:00:00Z'),
    };
    expect(first).toEqual({ status: 'retired', retirement });
    expect(again).toEqual({ status: 'unchanged', retirement });
    expect(await retirements.of('twice')).toEqual([retirement]);
    const events = await ledger.chainByName(policyChainOf('twice'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: 'policy:twice/retired@1',
      seq: 1,
      type: 'retired',
      actor: PETRA,
      outcome: 'retired',
      policy: { name: 'twice', version: 1, sha256: policy('twice', 1, '2026-01-01').compiled.sha256 },
      fact: {
        kind: 'policyRetired',
        policy: 'twice',
        version: 1,
        reason: 'replaced by the new purchasing policy',
      },
      text: 'policy twice version 1 retired: replaced by the new purchasing policy',
    });
    expect(await ledger.verify({ chain: policyChainOf('twice') })).toEqual({
      ok: true,
      chains: 1,
      events: 1,
    });
  });

  test('when the version or the policy is not published, then PolicyNotFoundError and nothing is written', async () => {
    await publish('known', [[1, '2026-01-01']]);
    const retire = (name: string, version: number | null) =>
      retirements.retire({ name, version, reason: 'gone', by: PETRA, at: at('2026-07-01T08:00:00Z') });

    await expect(retire('known', 2)).rejects.toThrow(new PolicyNotFoundError('known', 2));
    await expect(retire('unknown', null)).rejects.toThrow('policy "unknown" has no published version');
    await expect(retire('unknown', 1)).rejects.toBeInstanceOf(PolicyNotFoundError);
    expect(await retirements.of('known')).toEqual([]);
    expect(await ledger.chainByName(policyChainOf('known'))).toEqual([]);
    await expect(
      retirements.retire({ name: 'known', version: 1, reason: '   ', by: PETRA, at: new Date() }),
    ).rejects.toThrow('retire: the reason must be 1 to 500 characters');
  });

  test('when v3 is retired, then v2 is in force again; when v2 is retired too, then v1; a later version is not yet in force', async () => {
    await publish('stage-gate', [
      [1, '2026-01-01'],
      [2, '2026-03-01'],
      [3, '2026-06-01'],
      [4, '2027-01-01'],
    ]);
    const retire = (version: number, reason: string) =>
      retirements.retire({ name: 'stage-gate', version, reason, by: PETRA, at: at('2026-07-01T08:00:00Z') });
    expect(await inForce('stage-gate')).toBe(3);

    await retire(3, 'the v3 approver group does not exist');
    expect(await inForce('stage-gate')).toBe(2);
    // Before v3's effective day v2 was in force anyway.
    expect(await inForce('stage-gate', '2026-04-01T00:00:00Z')).toBe(2);

    await retire(2, 'also wrong');
    expect(await inForce('stage-gate')).toBe(1);
    expect(await store.whyNoneInForce('stage-gate', at('2026-08-01T00:00:00Z'))).toBeNull();
    // v4 takes effect later and is not retired: in force from its day.
    expect(await inForce('stage-gate', '2027-01-01T00:00:00Z')).toBe(4);
  });

  test('when every effective version is retired, then nothing is in force, and why names the newest retirement', async () => {
    await publish('all-gone', [
      [1, '2026-01-01'],
      [2, '2026-02-01'],
      [3, '2027-01-01'],
    ]);
    for (const version of [1, 2]) {
      await retirements.retire({
        name: 'all-gone',
        version,
        reason: `v${version} is wrong`,
        by: PETRA,
        at: at(`2026-07-0${version}T08:00:00Z`),
      });
    }

    expect(await inForce('all-gone')).toBeNull();
    expect(await store.whyNoneInForce('all-gone', at('2026-08-01T00:00:00Z'))).toEqual({
      kind: 'allRetired',
      latest: {
        name: 'all-gone',
        version: 2,
        reason: 'v2 is wrong',
        by: PETRA,
        at: at('2026-07-02T08:00:00Z'),
      },
      retirements: [expect.objectContaining({ version: 2 }), expect.objectContaining({ version: 1 })],
    });
    expect(await inForce('all-gone', '2027-01-01T00:00:00Z')).toBe(3);
  });

  test('when the whole policy is retired, then nothing is in force on any day, and why gives when, who and why', async () => {
    await publish('retired-whole', [
      [1, '2026-01-01'],
      [2, '2027-01-01'],
    ]);
    const answer = await retirements.retire({
      name: 'retired-whole',
      version: null,
      reason: 'replaced by Stage gate 2',
      by: PETRA,
      at: at('2026-12-06T10:00:00Z'),
    });

    const retirement = {
      name: 'retired-whole',
      version: null,
      reason: 'replaced by Stage gate 2',
      by: PETRA,
      at: at('2026-12-06T10:00:00Z'),
    };
    expect(answer).toEqual({ status: 'retired', retirement });
    expect(await inForce('retired-whole')).toBeNull();
    expect(await inForce('retired-whole', '2028-01-01T00:00:00Z')).toBeNull();
    expect(await store.whyNoneInForce('retired-whole', at('2028-01-01T00:00:00Z'))).toEqual({
      kind: 'policyRetired',
      retirement,
    });
    // The ledger cites the newest version, the one that was published last.
    const [event] = await ledger.chainByName(policyChainOf('retired-whole'));
    expect(event).toMatchObject({ id: 'policy:retired-whole/retired@*', policy: { version: 2 } });
    expect(event?.fact).toEqual({
      kind: 'policyRetired',
      policy: 'retired-whole',
      version: null,
      reason: 'replaced by Stage gate 2',
    });
  });

  test('when no version is published or none is effective yet, then why says so', async () => {
    await publish('later', [[1, '2027-03-01']]);

    expect(await store.whyNoneInForce('never-published', at('2026-08-01T00:00:00Z'))).toEqual({
      kind: 'unknown',
    });
    expect(await store.whyNoneInForce('later', at('2026-08-01T00:00:00Z'))).toEqual({
      kind: 'notYetEffective',
      firstEffective: '2027-03-01',
    });
  });

  test('when two callers retire the same version at once, then one ledger event, and both answer with its retirement', async () => {
    await publish('raced', [[1, '2026-01-01']]);
    const callers = [PETRA, PAUL, 'dana.keller@halden.example'];

    const answers = await Promise.all(
      callers.map((by, i) =>
        retirements.retire({
          name: 'raced',
          version: 1,
          reason: `reason of ${by}`,
          by,
          at: at(`2026-07-01T08:00:0${i}Z`),
        }),
      ),
    );

    expect(answers.filter((a) => a.status === 'retired')).toHaveLength(1);
    const winner = answers.find((a) => a.status === 'retired')?.retirement;
    for (const answer of answers) expect(answer.retirement).toEqual(winner);
    expect(await retirements.of('raced')).toEqual([winner]);
    const events = await ledger.chainByName(policyChainOf('raced'));
    expect(events).toHaveLength(1);
    expect(events[0]?.actor).toBe(winner?.by);
  });

  test('when different versions are retired at once, then each is one event on the chain, which verifies', async () => {
    await publish('many', [
      [1, '2026-01-01'],
      [2, '2026-01-01'],
      [3, '2026-01-01'],
      [4, '2026-01-01'],
    ]);

    await Promise.all(
      [1, 2, 3, 4, null].map((version) =>
        retirements.retire({
          name: 'many',
          version,
          reason: 'cleanup',
          by: PETRA,
          at: at('2026-07-01T08:00:00Z'),
        }),
      ),
    );

    const events = await ledger.chainByName(policyChainOf('many'));
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(events.map((e) => e.id)).size).toBe(5);
    expect(await ledger.verify({ chain: policyChainOf('many') })).toEqual({ ok: true, chains: 1, events: 5 });
    expect((await retirements.of('many')).map((r) => r.version).sort()).toEqual([1, 2, 3, 4, null].sort());
  });

  test('when the retirements of several policies are read, then one indexed find answers for all of them', async () => {
    const { result, plans } = await expectIndexedReads(client(), db(), () =>
      retirements.ofNames(['twice', 'stage-gate', 'nothing-retired', 'twice']),
    );

    expect([...result.keys()]).toEqual(['twice', 'stage-gate', 'nothing-retired']);
    expect(result.get('twice')?.map((r) => r.version)).toEqual([1]);
    expect(
      result
        .get('stage-gate')
        ?.map((r) => r.version)
        .sort(),
    ).toEqual([2, 3]);
    expect(result.get('nothing-retired')).toEqual([]);
    expect(plans).toEqual([expect.stringMatching(/^find policy_retirements: .*IXSCAN\(name_version\)$/)]);
    const { commands } = await recordCommands(client(), () => retirements.ofNames([]));
    expect(commands).toEqual([]);
  });

  test('when the version in force is asked for, then one round trip of two indexed finds, and a second find only past a retired version', async () => {
    const when = at('2026-08-01T00:00:00Z');

    const onlyRetired = await expectIndexedReads(client(), db(), () => store.newestInEffect('twice', when));
    const skipping = await expectIndexedReads(client(), db(), () => store.newestInEffect('stage-gate', when));

    expect(onlyRetired.result).toBeNull(); // its only version is retired
    expect(onlyRetired.plans).toHaveLength(3);
    expect(skipping.result?.version).toBe(1);
    // The first two go out together; their order on the wire is the driver's.
    expect([...skipping.plans].sort()).toEqual([
      expect.stringMatching(/^find policies: .*IXSCAN\(name_version_unique\)$/),
      expect.stringMatching(/^find policies: .*IXSCAN\(name_version_unique\)$/),
      expect.stringMatching(/^find policy_retirements: .*IXSCAN\(name_version\)$/),
    ]);
    const untouched = await recordCommands(client(), () => store.newestInEffect('known', when));
    expect(untouched.result?.version).toBe(1);
    expect(untouched.commands.map((c) => `${c.name} ${String(c.command['find'])}`).sort()).toEqual([
      'find policies',
      'find policy_retirements',
    ]);
  });
});
