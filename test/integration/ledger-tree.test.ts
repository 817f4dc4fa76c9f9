// The audit ledger's Merkle tree and signed heads, end to end: events appended to the real store
// (some older than the tree, without the `unsigned` mark, which the signer's one-time backfill
// must still take), the signer run by the API through its workflow on the time-skipping server,
// and the heads, keys and proofs read back over HTTP. Each answer is checked with the engine's
// verifiers and against the independent RFC 9162 implementation in test/support: the root is
// MTH of the events' hashes in leaf order, a proof is PATH / PROOF of the RFC. A key rotation
// leaves the old heads verifiable with the old key.
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MongoClient } from 'mongodb';
import {
  eventLeafHash,
  hashFromHex,
  treeHeadBytes,
  verifyConsistency,
  verifyInclusion,
} from '../../engine/ledger/index.js';
import { runClient } from '../../api/cli/main.js';
import type { AuditEventInput } from '../../store/index.js';
import type { SignedHead } from '../../store/ledger-heads.js';
import { newSigningKeyPem, signingKeyFrom } from '../../workflows/ledger/keys.js';
import { growAndSign, nodeSha256 } from '../../workflows/ledger/signer.js';
import { mth, path as referencePath, proof } from '../support/merkle-reference.js';
import { eventDocs, rehashChain, whileTampered } from '../support/ledger-tamper.js';
import { connectMongo, databaseNameFor } from '../support/services.js';
import { type TimeSkippingApi, useTimeSkippingApi } from '../support/time-skipping-api.js';
import type { TimeSkippingCharter } from '../support/time-skipping.js';

const AUDITOR = 'audrey@halden.example';
const keyA = signingKeyFrom(newSigningKeyPem(), 'key A');
const keyB = signingKeyFrom(newSigningKeyPem(), 'key B');

const POLICY = { name: 'Ledger test', version: 1, sha256: 'c'.repeat(64) };

const event = (chain: string, seq: number, at: Date): AuditEventInput => ({
  chain,
  seq,
  id: `${chain}:${seq}`,
  at,
  type: seq === 1 ? 'started' : 'decision',
  instanceId: chain,
  process: 'p',
  project: null,
  policy: POLICY,
  step: null,
  text: `${chain} event ${seq}`,
  actor: null,
  onBehalfOf: null,
  outcome: null,
  reasons: [],
  span: null,
});

const events = (chain: string, from: number, count: number, at: Date) =>
  Array.from({ length: count }, (_, i) => event(chain, from + i, new Date(at.getTime() + i * 1000)));

/** The head's signature, checked with node:crypto against the RFC 9162 TreeHeadDataV2 bytes. */
function signedBy(head: SignedHead, publicKeyPem: string): boolean {
  const bytes = treeHeadBytes({
    timestamp: Date.parse(head.timestamp),
    treeSize: head.treeSize,
    rootHash: hashFromHex(head.rootHash),
  });
  return verify(null, bytes, createPublicKey(publicKeyPem), Buffer.from(head.signature, 'base64'));
}

describe('the ledger tree and its signed heads', () => {
  const started = useTimeSkippingApi(
    import.meta.url,
    { groups: {}, managers: {}, people: [AUDITOR] },
    { signingKey: keyA },
  );
  let charter: TimeSkippingCharter;
  let api: TimeSkippingApi;
  let mongo: MongoClient;

  beforeAll(async () => {
    charter = started.charter();
    api = started.api();
    mongo = await connectMongo();
  });

  afterAll(async () => {
    await mongo?.close();
  });

  const asAuditor = (p: string) => api.get(AUDITOR, p, ['auditor']);
  /** The events' own hashes in leaf order: what the tree's leaves commit to. */
  const leafData = async (): Promise<Buffer[]> => {
    const leaves = await mongo
      .db(databaseNameFor(import.meta.url))
      .collection('ledger_tree_leaves')
      .find({})
      .toArray();
    return leaves
      .sort((a, b) => Number(a['index']) - Number(b['index']))
      .map((l) => Buffer.from(String(l['eventHash']), 'hex'));
  };

  test('when the signer runs, then every event, older ones too, is a leaf under a signed head, and proofs check out', async () => {
    const { store, worker } = charter;
    const t0 = new Date('2026-11-02T09:00:00Z');
    // Five events from before the tree: appended, then their marks removed, as they were stored.
    await store.audit.append(events('old', 1, 5, t0));
    await mongo
      .db(databaseNameFor(import.meta.url))
      .collection('audit_events')
      .updateMany({ chain: 'old' }, { $unset: { unsigned: '' } });
    await store.audit.append(events('new', 1, 4, new Date('2026-11-03T09:00:00Z')));

    await worker.runUntil(async () => {
      const signed = await api.post(AUDITOR, '/audit/heads', {}, ['auditor']);
      expect(signed).toMatchObject({ status: 200, body: { size: 9, added: 9, signed: true } });
      const head = (signed.body as { head: SignedHead }).head;
      expect(head).toMatchObject({ treeSize: 9, keyId: keyA.keyId });

      // The root is the RFC's MTH over the events' hashes, in (at, id) order of each batch.
      const data = await leafData();
      expect(data).toHaveLength(9);
      expect(mth(data).toString('hex')).toBe(head.rootHash);
      const keys = (await asAuditor('/audit/keys')).body as { items: { keyId: string; publicKey: string }[] };
      expect(keys.items.map((k) => k.keyId)).toEqual([keyA.keyId]);
      expect(signedBy(head, keys.items[0]!.publicKey)).toBe(true);

      // An inclusion proof for an old event and a new one, as the RFC's PATH and verified.
      for (const id of ['old:3', 'new:4']) {
        const answer = await asAuditor(`/audit/events/${encodeURIComponent(id)}/proof`);
        expect(answer.status).toBe(200);
        const got = answer.body as { leafIndex: number; treeSize: number; eventHash: string; path: string[] };
        expect(got.path).toEqual(referencePath(got.leafIndex, data).map((b) => b.toString('hex')));
        const leaf = eventLeafHash(nodeSha256, got.eventHash);
        const check = verifyInclusion(
          nodeSha256,
          got.leafIndex,
          got.treeSize,
          leaf,
          got.path.map((h) => hashFromHex(h)),
          hashFromHex(head.rootHash),
        );
        expect(check).toEqual({ ok: true });
      }

      // Nothing new: a second run signs nothing and answers the same head.
      const again = await api.post(AUDITOR, '/audit/heads', {}, ['auditor']);
      expect(again.body).toMatchObject({ size: 9, added: 0, signed: false, head });

      // Three more events; the new head is consistent with the first.
      await store.audit.append(events('new', 5, 3, new Date('2026-11-04T09:00:00Z')));
      const second = (await api.post(AUDITOR, '/audit/heads', {}, ['auditor'])).body as { head: SignedHead };
      expect(second.head.treeSize).toBe(12);
      const consistency = await asAuditor('/audit/consistency?first=9&second=12');
      expect(consistency.status).toBe(200);
      const proved = (consistency.body as { path: string[] }).path;
      expect(proved).toEqual(proof(9, await leafData()).map((b) => b.toString('hex')));
      const consistent = verifyConsistency(
        nodeSha256,
        9,
        12,
        hashFromHex(head.rootHash),
        hashFromHex(second.head.rootHash),
        proved.map((h) => hashFromHex(h)),
      );
      expect(consistent).toEqual({ ok: true });
    });
  });

  test('when a proof cannot be given, then the answer says why, at the field to change', async () => {
    const { store } = charter;
    await store.audit.append(events('later', 1, 1, new Date('2026-11-05T09:00:00Z')));
    expect(await asAuditor('/audit/events/later%3A1/proof')).toMatchObject({
      status: 409,
      body: { error: { code: 'not-yet-in-tree' } },
    });
    expect(await asAuditor('/audit/events/nobody%3A1/proof')).toMatchObject({ status: 404 });
    expect(await asAuditor('/audit/events/new%3A1/proof?treeSize=5')).toMatchObject({
      status: 404,
      body: { error: { problems: [{ path: 'query.treeSize' }] } },
    });
    expect(await asAuditor('/audit/consistency?first=12&second=9')).toMatchObject({
      status: 422,
      body: { error: { problems: [{ path: 'query.first' }] } },
    });
    expect(await asAuditor('/audit/consistency?first=0&second=9')).toMatchObject({ status: 422 });
    expect((await api.get('rita@halden.example', '/audit/heads/latest', ['approver'])).status).toBe(403);
  });

  test('when the key is rotated, then heads signed before still verify with the old key', async () => {
    const { store } = charter;
    const rotated = await growAndSign(store, keyB, () => new Date());
    expect(rotated).toMatchObject({ size: 13, added: 1, signed: true, head: { keyId: keyB.keyId } });

    const keys = (await asAuditor('/audit/keys')).body as { items: { keyId: string; publicKey: string }[] };
    expect(keys.items.map((k) => k.keyId)).toEqual([keyA.keyId, keyB.keyId]);
    const publicKeyOf = new Map(keys.items.map((k) => [k.keyId, k.publicKey]));
    const heads = (await asAuditor('/audit/heads')).body as { items: SignedHead[] };
    expect(heads.items.map((h) => [h.treeSize, h.keyId])).toEqual([
      [13, keyB.keyId],
      [12, keyA.keyId],
      [9, keyA.keyId],
    ]);
    for (const head of heads.items) expect(signedBy(head, publicKeyOf.get(head.keyId)!)).toBe(true);
    // And not with the other key.
    expect(signedBy(heads.items[1]!, keyB.publicKeyPem)).toBe(false);
  });

  test('when an insider edits the database, then verify names what the signed tree shows: deleted newest event and its head record, a rewritten chain, swapped events', async () => {
    const db = mongo.db(databaseNameFor(import.meta.url));
    const events = eventDocs(db);
    const heads = db.collection<{ _id: string; seq: number }>('audit_heads');
    const verifyNow = async () =>
      (await asAuditor('/audit/verify')).body as {
        ok: boolean;
        firstProblem?: unknown;
        tree: { ok: boolean; firstProblem?: { problem: string; leaf: number | null; event: string | null } };
      };
    /** Runs `tamper`, then puts the two collections back as they were. */
    const tampered = (tamper: () => Promise<unknown>) => whileTampered(db, tamper, verifyNow);

    const intact = await verifyNow();
    expect(intact).toMatchObject({ ok: true, tree: { ok: true, head: { treeSize: 13 }, leaves: 13 } });

    // The newest event under the head, and its chain's head record with it: the chains alone
    // would call this intact; the tree names the event that is gone.
    const newest = (await leafIds())[12]!;
    const chain = newest.split(':')[0]!;
    const deleted = await tampered(async () => {
      await events.deleteOne({ _id: newest });
      await heads.deleteOne({ _id: chain });
    });
    expect(deleted.firstProblem).toBeUndefined();
    expect(deleted).toMatchObject({
      ok: false,
      tree: { ok: false, firstProblem: { problem: 'missing event', leaf: 12, event: newest } },
    });

    // A whole chain rewritten, every hash and link recomputed: the chains check out, the tree not.
    const rewritten = await tampered(() =>
      rehashChain(events, 'old', (doc) => ({ ...doc, text: `${String(doc['text'])} (edited)` })),
    );
    expect(rewritten.firstProblem).toBeUndefined();
    expect(rewritten.tree).toMatchObject({
      ok: false,
      firstProblem: { problem: 'event changed', event: 'old:1' },
    });

    // Two events swapped (what they say and when), the chain's hashes recomputed to hide it.
    const [first, second] = await Promise.all([
      events.findOne({ _id: 'new:1' }),
      events.findOne({ _id: 'new:2' }),
    ]);
    const swapped = await tampered(() =>
      rehashChain(events, 'new', (doc) => {
        const other = doc._id === 'new:1' ? second : doc._id === 'new:2' ? first : null;
        return other === null ? doc : { ...doc, text: other['text'], type: other['type'], at: other['at'] };
      }),
    );
    expect(swapped.firstProblem).toBeUndefined();
    expect(swapped.tree).toMatchObject({ ok: false, firstProblem: { problem: 'event changed' } });
    expect(['new:1', 'new:2']).toContain(swapped.tree.firstProblem?.event);

    expect(await verifyNow()).toMatchObject({ ok: true, tree: { ok: true } });
  });

  test('when an auditor saves a checkpoint with the CLI, then the head and key are written checked, and verify reads the tree against it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'charter-checkpoint-'));
    const token = await api.token(AUDITOR, ['auditor']);
    const charterCli = async (...argv: string[]) => {
      let out = '';
      const code = await runClient(argv, {
        out: (text) => (out += text),
        err: (text) => (out += text),
        env: { CHARTER_API: api.origin, CHARTER_TOKEN: token },
      });
      return { code, out };
    };
    const headFile = path.join(dir, 'head.json');
    const keyFile = path.join(dir, 'key.pem');
    const saved = await charterCli('audit', 'checkpoint', '--out', headFile, '--public-key', keyFile);
    expect(saved.code).toBe(0);
    expect(saved.out).toMatch(
      /^saved the signed head of 13 leaves \(root [0-9a-f]{64}, key [0-9a-f]{16}, signed .+\) to .+head\.json, its public key to .+key\.pem; keep them outside Charter\n$/,
    );
    const head = JSON.parse(readFileSync(headFile, 'utf8')) as SignedHead;
    expect(head).toEqual((await asAuditor('/audit/heads/latest')).body);
    expect(signedBy(head, readFileSync(keyFile, 'utf8'))).toBe(true);

    const verified = await charterCli('audit', 'verify');
    expect(verified.code).toBe(0);
    expect(verified.out).toContain(
      `the Merkle tree matches the newest signed head (13 leaves, key ${keyB.keyId}, `,
    );

    // A head whose signature was altered in the database is neither saved nor trusted.
    const heads = mongo
      .db(databaseNameFor(import.meta.url))
      .collection<{ _id: string; signature: string }>('ledger_heads');
    const stored = await heads.findOne({}, { sort: { _id: -1 } });
    await heads.updateOne({ _id: stored!._id }, { $set: { signature: Buffer.alloc(64).toString('base64') } });
    const refused = await charterCli('audit', 'checkpoint');
    expect(refused).toMatchObject({
      code: 1,
      out: expect.stringContaining('does NOT verify with its key: not saved') as string,
    });
    const broken = await charterCli('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('the Merkle tree does NOT match the newest signed head (13 leaves');
    expect(broken.out).toContain('bad signature');
    await heads.updateOne({ _id: stored!._id }, { $set: { signature: stored!.signature } });
  });

  /** Event ids in leaf order. */
  const leafIds = async (): Promise<string[]> => {
    const leaves = await mongo
      .db(databaseNameFor(import.meta.url))
      .collection('ledger_tree_leaves')
      .find({})
      .toArray();
    return leaves.sort((a, b) => Number(a['index']) - Number(b['index'])).map((l) => String(l['_id']));
  };
});
