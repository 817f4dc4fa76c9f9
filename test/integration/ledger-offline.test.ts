// The auditor's offline checks, end to end: events on the real store, the tree grown and heads
// signed by the signer (with a key rotation between two heads), heads and keys saved with
// `charter audit checkpoint`, the ledger exported in leaf order with `charter audit export --tree`
// over real HTTP, and `charter audit verify --offline` run on the files alone. Every tampering an
// insider with write access could do is applied to the database, the export taken again, and the
// verdict compared with the independent re-implementation in test/support (which must agree).
// The evidence bundle of one instance is downloaded and checked the same way.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runClient } from '../../api/cli/main.js';
import type { AuditEventInput } from '../../store/index.js';
import type { SignedHead } from '../../store/ledger-heads.js';
import { newSigningKeyPem, signingKeyFrom } from '../../workflows/ledger/keys.js';
import { growAndSign } from '../../workflows/ledger/signer.js';
import { type ApiHarness, startApiHarness } from '../support/api.js';
import { databaseNameFor } from '../support/services.js';
import { eventDocs, rehashChain, whileTampered } from '../support/ledger-tamper.js';
import { referenceVerify, type ReferenceVerdict } from '../support/ledger-export-reference.js';

const AUDITOR = 'audrey@halden.example';
const keyA = signingKeyFrom(newSigningKeyPem(), 'key A');
const keyB = signingKeyFrom(newSigningKeyPem(), 'key B');
const POLICY = `policy "Offline ledger" version 1 effective 2026-01-01
owner "pmo@halden.example"

process change {
  approve review {
    by person "cab@halden.example"
    within 2d
  }
  end approved "done"
}
`;

/** The reference's verdict kind for each problem the CLI names. */
const KIND: Record<string, Exclude<ReferenceVerdict, { ok: true }>['kind']> = {
  'bad signature': 'signature',
  'unknown key': 'signature',
  unparseable: 'unparseable',
  'event changed': 'hash',
  'broken link': 'chain',
  'duplicate event': 'chain',
  'missing event': 'chain',
  'duplicate leaf': 'leaves',
  'missing leaf': 'leaves',
  'root mismatch': 'root',
  'inconsistent with older head': 'older',
};

describe('offline verification of an export and an evidence bundle', () => {
  let h: ApiHarness;
  let sha256: string;
  let token: string;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'charter-offline-'));
  const file = (name: string) => path.join(dir, name);

  const event = (chain: string, seq: number): AuditEventInput => ({
    chain,
    seq,
    id: `${chain}:${seq}`,
    at: new Date(Date.UTC(2026, 10, 2, 9, 0, seq)),
    type: seq === 1 ? 'started' : 'decision',
    instanceId: chain,
    process: 'change',
    project: null,
    policy: { name: 'Offline ledger', version: 1, sha256 },
    step: seq === 1 ? null : 'review',
    text: `${chain} event ${seq}`,
    actor: seq === 1 ? null : 'cab@halden.example',
    onBehalfOf: null,
    outcome: null,
    reasons: [],
    span: null,
  });
  const append = (chain: string, from: number, to: number) =>
    h.store.audit.append(Array.from({ length: to - from + 1 }, (_, i) => event(chain, from + i)));

  const charter = async (...argv: string[]) => {
    let out = '';
    const code = await runClient(argv, {
      out: (text) => (out += text),
      err: (text) => (out += text),
      env: { CHARTER_API: h.base, CHARTER_TOKEN: token },
    });
    return { code, out };
  };
  const exportTree = async (name: string): Promise<string> => {
    const exported = await charter('audit', 'export', '--tree');
    expect(exported.code).toBe(0);
    writeFileSync(file(name), exported.out);
    return exported.out;
  };
  const offline = (
    exportName: string,
    headName = 'head2.json',
    keys = 'a.pem,b.pem',
    since: string | null = 'head1.json',
  ) =>
    charter(
      'audit',
      'verify',
      '--offline',
      file(exportName),
      '--head',
      file(headName),
      '--public-key',
      keys.split(',').map(file).join(','),
      ...(since === null ? [] : ['--since', file(since)]),
      '--format',
      'json',
    );
  const head = (name: string) => JSON.parse(readFileSync(file(name), 'utf8')) as SignedHead;
  /** The CLI's verdict on the export and the reference's, which must agree. */
  const verdicts = async (exportName: string) => {
    const cli = await offline(exportName);
    const report = JSON.parse(cli.out) as {
      ok: boolean;
      firstProblem?: { problem: string; line: number | null; event: string | null; leaf: number | null };
    };
    const reference = referenceVerify(
      readFileSync(file(exportName), 'utf8'),
      head('head2.json'),
      [keyA.publicKeyPem, keyB.publicKeyPem],
      head('head1.json'),
    );
    expect(report.ok ? { ok: true } : { ok: false, kind: KIND[report.firstProblem!.problem] }).toEqual(
      reference,
    );
    expect(cli.code).toBe(report.ok ? 0 : 1);
    return report;
  };

  beforeAll(async () => {
    h = await startApiHarness(import.meta.url, { worker: false });
    sha256 = await h.publish(POLICY, 'offline.charter');
    token = await h.tokenFor(AUDITOR, ['auditor']);
    await append('alpha', 1, 6);
    await append('beta', 1, 4);
    await growAndSign(h.store, keyA, () => new Date());
    expect(
      (await charter('audit', 'checkpoint', '--out', file('head1.json'), '--public-key', file('a.pem'))).code,
    ).toBe(0);
    // More events, then a head signed with a new key (a rotation).
    await append('gamma', 1, 3);
    await append('alpha', 7, 8);
    await growAndSign(h.store, keyB, () => new Date());
    expect(
      (await charter('audit', 'checkpoint', '--out', file('head2.json'), '--public-key', file('b.pem'))).code,
    ).toBe(0);
    // Appended after the newest head: in the export, not under the head.
    await append('delta', 1, 2);
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  test('when the export is untouched, then it verifies offline against the kept heads and both verifiers agree', async () => {
    const text = await exportTree('export.jsonl');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; leafIndex?: number });
    expect(lines).toHaveLength(17);
    expect(lines.slice(0, 15).map((l) => l.leafIndex)).toEqual([...Array(15).keys()]);
    expect(lines.slice(15).map((l) => [l.id, l.leafIndex])).toEqual(
      expect.arrayContaining([
        ['delta:1', undefined],
        ['delta:2', undefined],
      ]),
    );
    expect(head('head1.json')).toMatchObject({ treeSize: 10, keyId: keyA.keyId });
    expect(head('head2.json')).toMatchObject({ treeSize: 15, keyId: keyB.keyId });

    expect(await verdicts('export.jsonl')).toMatchObject({
      ok: true,
      events: 17,
      chains: 4,
      leaves: 15,
      afterHead: 2,
    });
    const text2 = await offline('export.jsonl', 'head2.json', 'a.pem,b.pem', 'head1.json');
    const summary = await charter(
      'audit',
      'verify',
      '--offline',
      file('export.jsonl'),
      '--head',
      file('head2.json'),
      '--public-key',
      `${file('a.pem')},${file('b.pem')}`,
      '--since',
      file('head1.json'),
    );
    expect(text2.code).toBe(0);
    expect(summary).toEqual({
      code: 0,
      out: expect.stringMatching(
        /verifies offline against the head signed .+ by key [0-9a-f]{16}: 17 events in 4 chains, 15 leaves under the head of 15, 2 after it; .+; consistent with the older head of 10 leaves/,
      ) as string,
    });

    // The older head was signed with the rotated-out key: without that key it cannot be trusted.
    const withoutOldKey = JSON.parse((await offline('export.jsonl', 'head2.json', 'b.pem')).out) as {
      ok: boolean;
      firstProblem: { problem: string; detail: string };
    };
    expect(withoutOldKey).toMatchObject({ ok: false, firstProblem: { problem: 'unknown key' } });
    expect(withoutOldKey.firstProblem.detail).toContain(keyA.keyId);

    // A head file whose size was changed no longer carries a valid signature.
    writeFileSync(file('forged.json'), JSON.stringify({ ...head('head2.json'), treeSize: 14 }));
    expect(JSON.parse((await offline('export.jsonl', 'forged.json', 'a.pem,b.pem', null)).out)).toMatchObject(
      {
        ok: false,
        firstProblem: { problem: 'bad signature' },
      },
    );
    // A line that is not JSON is named by its number.
    writeFileSync(file('garbled.jsonl'), text.replace(/\n/, '\n{not json\n'));
    expect(await verdicts('garbled.jsonl')).toMatchObject({
      ok: false,
      firstProblem: { problem: 'unparseable', line: 2 },
    });
  });

  test('when an insider edits the database, then the export of it fails offline at the named problem, as the reference says', async () => {
    const db = h.mongo.db(databaseNameFor(import.meta.url));
    const events = eventDocs(db);
    const chainHeads = db.collection<{ _id: string }>('audit_heads');
    /** Applies `tamper`, exports, verifies, and puts both collections back as they were. */
    const tampered = (name: string, tamper: () => Promise<unknown>) =>
      whileTampered(db, tamper, async () => {
        await exportTree(name);
        return verdicts(name);
      });
    const leafOf = async (id: string) =>
      Number((await db.collection('ledger_tree_leaves').findOne({ _id: id as never }))?.['index']);

    // An actor changed, the hash left alone: the event is named at its line.
    const edited = await tampered('edited.jsonl', () =>
      events.updateOne({ _id: 'beta:2' }, { $set: { actor: 'mallory@halden.example' } }),
    );
    expect(edited).toMatchObject({
      ok: false,
      firstProblem: { problem: 'event changed', event: 'beta:2', leaf: await leafOf('beta:2') },
    });

    // A middle event deleted: its chain has a gap.
    const middle = await tampered('middle.jsonl', () => events.deleteOne({ _id: 'alpha:3' }));
    expect(middle).toMatchObject({
      ok: false,
      firstProblem: { problem: 'missing event', event: 'alpha seq 3' },
    });

    const newest = (await db.collection('ledger_tree_leaves').findOne({ index: 14 }))![
      '_id'
    ] as unknown as string;
    // The newest event under the head alone (the database's chain check sees this one too).
    const alone = await tampered('alone.jsonl', () => events.deleteOne({ _id: newest }));
    expect(alone).toMatchObject({ ok: false, firstProblem: { problem: 'missing leaf', leaf: 14 } });

    // The newest event under the head and its chain's head record: the chains look whole, the
    // head's leaves do not.
    const chain = newest.split(':')[0]!;
    const gone = await tampered('newest.jsonl', async () => {
      await events.deleteOne({ _id: newest });
      await chainHeads.deleteOne({ _id: chain });
    });
    expect(gone).toMatchObject({ ok: false, firstProblem: { problem: 'missing leaf', leaf: 14 } });

    // A whole chain rewritten with every hash and link recomputed: only the signed root shows it.
    const rewritten = await tampered('rewritten.jsonl', () =>
      rehashChain(events, 'gamma', (doc) => ({ ...doc, text: `${String(doc['text'])} (edited)` })),
    );
    expect(rewritten).toMatchObject({ ok: false, firstProblem: { problem: 'root mismatch' } });

    // Two events swapped (what they say and when), the chain rehashed to hide it.
    const [first, second] = await Promise.all([
      events.findOne({ _id: 'beta:1' }),
      events.findOne({ _id: 'beta:2' }),
    ]);
    const swapped = await tampered('swapped.jsonl', () =>
      rehashChain(events, 'beta', (doc) => {
        const other = doc._id === 'beta:1' ? second : doc._id === 'beta:2' ? first : null;
        return other === null
          ? doc
          : {
              ...doc,
              text: other['text'],
              type: other['type'],
              at: other['at'],
              actor: other['actor'],
              step: other['step'],
            };
      }),
    );
    expect(swapped).toMatchObject({ ok: false, firstProblem: { problem: 'root mismatch' } });

    // Put back, it verifies again.
    await exportTree('again.jsonl');
    expect(await verdicts('again.jsonl')).toMatchObject({ ok: true });
  });

  test("when an auditor downloads an instance's evidence bundle, then it verifies offline, and an edited bundle does not", async () => {
    const saved = await charter('audit', 'evidence', '--instance', 'alpha', '--out', file('alpha.json'));
    expect(saved).toEqual({ code: 0, out: `saved the evidence bundle of alpha to ${file('alpha.json')}\n` });
    const bundle = JSON.parse(readFileSync(file('alpha.json'), 'utf8')) as {
      head: SignedHead;
      policies: { sha256: string; sources: { path: string; text: string }[] }[];
      events: { id: string; leafIndex?: number }[];
      proofs: { eventId: string; path: string[] }[];
      notUnderHead: number;
    };
    expect(bundle.head).toEqual(head('head2.json'));
    expect(bundle.policies).toEqual([
      expect.objectContaining({ sha256, sources: [{ path: 'offline.charter', text: POLICY }] }),
    ]);
    expect(bundle.events.map((e) => e.id)).toEqual([
      'alpha:1',
      'alpha:2',
      'alpha:3',
      'alpha:4',
      'alpha:5',
      'alpha:6',
      'alpha:7',
      'alpha:8',
    ]);
    expect(bundle.proofs).toHaveLength(8);

    const check = (name: string, keys: string[] = ['b.pem']) =>
      charter(
        'audit',
        'verify',
        '--evidence',
        file(name),
        ...(keys.length === 0 ? [] : ['--public-key', keys.map(file).join(',')]),
      );
    expect(await check('alpha.json')).toEqual({
      code: 0,
      out: expect.stringMatching(
        /alpha\.json verifies: instance alpha, 8 events, 8 proved under the head, 0 not under it yet, against the head of 15 leaves/,
      ) as string,
    });
    expect((await check('alpha.json', [])).out).toContain('checked with the key the bundle carries');

    const edit = (name: string, change: (b: typeof bundle) => void) => {
      const copy = structuredClone(bundle);
      change(copy);
      writeFileSync(file(name), JSON.stringify(copy));
      return check(name);
    };
    const source = await edit('source.json', (b) => (b.policies[0]!.sources[0]!.text += '\n# edited'));
    expect(source).toMatchObject({ code: 1, out: expect.stringContaining('policy changed') as string });
    const proof = await edit('proof.json', (b) => (b.proofs[3]!.path[0] = 'f'.repeat(64)));
    expect(proof).toMatchObject({
      code: 1,
      out: expect.stringContaining(`bad proof at event ${bundle.proofs[3]!.eventId}`) as string,
    });
    const dropped = await edit('dropped.json', (b) => b.events.splice(2, 1));
    expect(dropped).toMatchObject({ code: 1, out: expect.stringContaining('broken chain') as string });
    // The key the auditor kept from before the rotation did not sign this head.
    expect(await check('alpha.json', ['a.pem'])).toMatchObject({
      code: 1,
      out: expect.stringContaining('unknown key') as string,
    });

    const unknown = await charter('audit', 'evidence', '--instance', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('not-found');
  });
});
