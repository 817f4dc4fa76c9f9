// PolicyStore against a real MongoDB server (SecantusDB in `npm test`): immutable versions,
// idempotent publishing, conflicts, the version in effect on a date, publishers racing, and the
// plans of the two queries (the version in effect, the list).
import {
  type CompiledPolicy,
  hashPolicyIR,
  type PolicyIR,
  sha256Hex,
  type SourceSpan,
} from '../../engine/ir/index.js';
import {
  PolicyConflictError,
  PolicyPublishError,
  policyCollections,
  PolicyStore,
} from '../../store/policies.js';
import { policyRetirementCollections } from '../../store/policy-retirements.js';
import { expectIndexedReads, recordCommands } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const span: SourceSpan = { file: 0, line: 1, col: 1, endLine: 1, endCol: 2 };

/** A small but real policy; its input default is a list of lists, as real IR has. */
function policy(
  name: string,
  version: number,
  effective: string,
  note = '',
): { compiled: CompiledPolicy; text: string } {
  const text = `policy ${name} version ${version} effective ${effective}\n# ${note}\n`;
  const path = `${name}.charter`;
  const ir: PolicyIR = {
    irVersion: 1,
    policy: { name, version, effective, owner: 'pmo@example.com' },
    sources: [{ path, sha256: sha256Hex(text) }],
    calendars: [],
    roles: [],
    rules: [],
    processes: [
      {
        name: 'change-request',
        input: [
          {
            name: 'matrix',
            type: { kind: 'list', element: { kind: 'list', element: { kind: 'text' } } },
            optional: true,
            default: [['a', 'b'], ['c']],
            span,
          },
        ],
        steps: [{ id: 'done', kind: 'end', outcome: 'approved', message: null, span }],
        span,
      },
    ],
  };
  return { compiled: { ir, sha256: hashPolicyIR(ir) }, text };
}

const publishInput = (
  p: { compiled: CompiledPolicy; text: string },
  at = new Date('2026-01-05T10:00:00Z'),
) => ({
  compiled: p.compiled,
  sources: [{ path: p.compiled.ir.sources[0]!.path, text: p.text }],
  publishedBy: 'alice',
  at,
});

describe('PolicyStore', () => {
  const { client, db } = useStoreDatabase(import.meta.url, [
    ...policyCollections,
    ...policyRetirementCollections,
  ]);
  let store: PolicyStore;

  beforeAll(() => {
    store = new PolicyStore(db());
  });

  test('when a new version is published, then get returns it with sources and a verified IR', async () => {
    const p = policy('change-mgmt', 1, '2026-01-01');

    const result = await store.publish(publishInput(p));

    expect(result.status).toBe('published');
    expect(result.policy).toMatchObject({
      name: 'change-mgmt',
      version: 1,
      effective: '2026-01-01',
      owner: 'pmo@example.com',
      sha256: p.compiled.sha256,
      irVersion: 1,
      processes: ['change-request'],
      publishedBy: 'alice',
    });
    const stored = await store.get('change-mgmt', 1);
    expect(stored?.compiled).toEqual(p.compiled);
    expect(stored?.sources).toEqual([
      { path: 'change-mgmt.charter', text: p.text, sha256: sha256Hex(p.text) },
    ]);
    expect(stored?.publishedAt).toEqual(new Date('2026-01-05T10:00:00Z'));
    expect(await store.compiled('change-mgmt', 1)).toEqual(p.compiled);
  });

  test('when the same content is published again, then it is unchanged and keeps the first publisher', async () => {
    const p = policy('idempotent', 1, '2026-01-01');
    await store.publish(publishInput(p));

    const again = await store.publish({
      ...publishInput(p, new Date('2026-02-01T00:00:00Z')),
      publishedBy: 'bob',
    });

    expect(again.status).toBe('unchanged');
    expect(again.policy.publishedBy).toBe('alice');
    expect(await db().collection('policies').countDocuments({ name: 'idempotent' })).toBe(1);
  });

  test('when different content is published under an existing version, then PolicyConflictError names both hashes', async () => {
    const first = policy('conflicting', 2, '2026-01-01');
    const second = policy('conflicting', 2, '2026-01-01', 'edited after publishing');
    await store.publish(publishInput(first));

    const attempt = store.publish(publishInput(second));

    await expect(attempt).rejects.toBeInstanceOf(PolicyConflictError);
    await expect(attempt).rejects.toMatchObject({
      existingSha256: first.compiled.sha256,
      newSha256: second.compiled.sha256,
    });
    expect((await store.get('conflicting', 2))?.sha256).toBe(first.compiled.sha256);
    // The unique (name, version) index holds for documents written by hand under another _id too.
    await expect(
      db()
        .collection<{ _id: string; name: string; version: number }>('policies')
        .insertOne({ _id: 'copy', name: 'conflicting', version: 2 }),
    ).rejects.toMatchObject({ code: 11000 });
  });

  test('when the upload contradicts itself, then nothing is written', async () => {
    const p = policy('liar', 1, '2026-01-01');

    const wrongHash = store.publish(
      publishInput({ ...p, compiled: { ...p.compiled, sha256: 'f'.repeat(64) } }),
    );
    const wrongText = store.publish(publishInput({ ...p, text: 'something else' }));

    await expect(wrongHash).rejects.toBeInstanceOf(PolicyPublishError);
    await expect(wrongText).rejects.toThrow(/liar\.charter` hashes to/);
    expect(await store.get('liar', 1)).toBeNull();
  });

  test('when versions take effect on different days, then newestInEffect picks by the UTC day of `at`', async () => {
    await store.publish(publishInput(policy('stage-gate', 1, '2026-01-01')));
    await store.publish(publishInput(policy('stage-gate', 3, '2026-06-01')));
    await store.publish(publishInput(policy('stage-gate', 2, '2026-03-01')));

    const version = async (at: string) =>
      (await store.newestInEffect('stage-gate', new Date(at)))?.version ?? null;

    expect(await version('2025-12-31T23:59:59Z')).toBeNull();
    expect(await version('2026-01-01T00:00:00Z')).toBe(1);
    expect(await version('2026-02-28T23:59:59.999Z')).toBe(1);
    expect(await version('2026-03-01T00:00:00Z')).toBe(2);
    expect(await version('2026-05-31T23:00:00-02:00')).toBe(3); // 01:00 UTC on June 1st
    expect(await version('2027-01-01T00:00:00Z')).toBe(3);
    expect(await store.newestInEffect('no-such-policy', new Date('2027-01-01'))).toBeNull();
  });

  test('when the version in effect is asked for, then one indexed find reads it whole, verified, beside the retirements', async () => {
    const at = new Date('2026-04-01T00:00:00Z');

    const { result, commands } = await recordCommands(client(), () => store.newestInEffect('stage-gate', at));
    const { plans } = await expectIndexedReads(client(), db(), () => store.newestInEffect('stage-gate', at));

    expect(result?.version).toBe(2);
    expect(result?.compiled).toEqual(policy('stage-gate', 2, '2026-03-01').compiled);
    // Sent together: the policy's retirements (policy-retirements.ts), which it skips.
    expect(commands.map((c) => `${c.name} ${String(c.command['find'])}`).sort()).toEqual([
      'find policies',
      'find policy_retirements',
    ]);
    expect(plans.sort()).toEqual([
      expect.stringMatching(/^find policies: .*IXSCAN\(name_version_unique\)$/),
      expect.stringMatching(/^find policy_retirements: .*IXSCAN\(name_version\)$/),
    ]);
  });

  test('when versions are listed, then names ascend and versions descend within a name, by the index', async () => {
    const { result, plans } = await expectIndexedReads(client(), db(), () => store.list());
    const listed = result.filter((s) => s.name === 'stage-gate' || s.name === 'change-mgmt');

    expect(listed.map((s) => `${s.name}@${s.version}`)).toEqual([
      'change-mgmt@1',
      'stage-gate@3',
      'stage-gate@2',
      'stage-gate@1',
    ]);
    expect(plans).toEqual([expect.stringMatching(/IXSCAN\(name_version_unique\)$/)]);
  });

  test('when five publishers race on one version, then exactly one publishes and the rest see it unchanged', async () => {
    const p = policy('raced', 1, '2026-01-01');

    const results = await Promise.all(Array.from({ length: 5 }, () => store.publish(publishInput(p))));

    expect(results.filter((r) => r.status === 'published')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'unchanged')).toHaveLength(4);
    expect(await db().collection('policies').countDocuments({ name: 'raced' })).toBe(1);
  });

  test('when racing publishers disagree on content, then one wins and the others get PolicyConflictError', async () => {
    const variants = Array.from({ length: 5 }, (_, i) =>
      policy('raced-apart', 1, '2026-01-01', `variant ${i}`),
    );

    const results = await Promise.allSettled(variants.map((v) => store.publish(publishInput(v))));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(4);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(PolicyConflictError);
  });

  test('when the stored IR is edited in the database, then reading it fails instead of running it', async () => {
    const p = policy('tampered', 1, '2026-01-01');
    await store.publish(publishInput(p));
    const edited = JSON.stringify({
      ...p.compiled.ir,
      policy: { ...p.compiled.ir.policy, owner: 'mallory' },
    });
    await db()
      .collection<{ _id: string }>('policies')
      .updateOne({ _id: 'tampered@1' }, { $set: { ir: edited } });

    await expect(store.compiled('tampered', 1)).rejects.toThrow(/sha256/);
    await expect(store.get('tampered', 1)).rejects.toThrow(/sha256/);
  });
});
