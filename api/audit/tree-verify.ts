// The ledger checked against its newest signed head (issue 17), beside the hash chains
// (store/audit.ts verify): the head's signature with the key it names, the root of its first
// `treeSize` leaves recomputed from the stored leaf hashes, and every leaf's event still stored
// with the hash it had when it became a leaf. The chains alone cannot see an event deleted
// together with its chain's head record, or a chain rewritten with recomputed hashes; the tree
// sees both, as long as the head it is checked against is one the auditor kept (offline) or one
// signed before the tampering. The first problem is the one at the lowest leaf.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { z } from 'zod';
import {
  eventLeafHash,
  hashFromHex,
  hashToHex,
  type Sha256,
  TreeFrontier,
  treeHeadBytes,
} from '../../engine/ledger/index.js';
import type { Store } from '../../store/index.js';
import type { SignedHead } from '../../store/ledger-heads.js';

const sha256: Sha256 = (bytes) => createHash('sha256').update(bytes).digest();

export const TREE_PROBLEMS = [
  'bad signature',
  'unknown key',
  'root mismatch',
  'missing leaf',
  'leaf changed',
  'missing event',
  'event changed',
] as const;
export type TreeProblem = (typeof TREE_PROBLEMS)[number];

export const treeVerifySchema = z.object({
  ok: z.boolean(),
  head: z.object({ treeSize: z.number().int(), keyId: z.string(), timestamp: z.string() }).nullable(),
  leaves: z.number().int().describe('leaves checked: those under the head'),
  firstProblem: z
    .object({
      problem: z.enum(TREE_PROBLEMS),
      leaf: z.number().int().nullable(),
      event: z.string().nullable(),
      detail: z.string(),
    })
    .optional(),
});
export type TreeVerifyReport = z.infer<typeof treeVerifySchema>;
type Problem = NonNullable<TreeVerifyReport['firstProblem']>;

/** Whether `head` is signed by the public key (SPKI PEM), over RFC 9162's TreeHeadDataV2. */
export function headSignedBy(head: SignedHead, publicKeyPem: string): boolean {
  try {
    const bytes = treeHeadBytes({
      timestamp: Date.parse(head.timestamp),
      treeSize: head.treeSize,
      rootHash: hashFromHex(head.rootHash),
    });
    return verify(null, bytes, createPublicKey(publicKeyPem), Buffer.from(head.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Checks the ledger against its newest signed head; ok with no head when none is signed yet. */
export async function verifyTree(store: Store): Promise<TreeVerifyReport> {
  const head = await store.ledgerHeads.latest();
  if (head === null) return { ok: true, head: null, leaves: 0 };
  const summary = { treeSize: head.treeSize, keyId: head.keyId, timestamp: head.timestamp };
  const fail = (problem: Problem, leaves = 0): TreeVerifyReport => ({
    ok: false,
    head: summary,
    leaves,
    firstProblem: problem,
  });
  const key = await store.ledgerHeads.key(head.keyId);
  if (key === null)
    return fail({
      problem: 'unknown key',
      leaf: null,
      event: null,
      detail: `no public key ${head.keyId} is stored`,
    });
  if (!headSignedBy(head, key.publicKey))
    return fail({
      problem: 'bad signature',
      leaf: null,
      event: null,
      detail: `the head of size ${head.treeSize} is not signed by key ${head.keyId}`,
    });
  const leafProblem = await checkLeaves(store, head.treeSize);
  if (leafProblem !== null) return fail(leafProblem, head.treeSize);
  const root = await rootOfStored(store, head.treeSize);
  if (typeof root !== 'string') return fail(root, head.treeSize);
  if (root !== head.rootHash)
    return fail(
      {
        problem: 'root mismatch',
        leaf: null,
        event: null,
        detail: `the first ${head.treeSize} stored leaves hash to ${root}, the head says ${head.rootHash}`,
      },
      head.treeSize,
    );
  return { ok: true, head: summary, leaves: head.treeSize };
}

/** The root of the first `size` stored leaf hashes, or the first leaf missing among them. */
async function rootOfStored(store: Store, size: number): Promise<string | Problem> {
  const frontier = new TreeFrontier(sha256);
  try {
    for await (const { hash } of store.ledgerTree.leafHashes(0, size)) frontier.append(hashFromHex(hash));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { problem: 'missing leaf', leaf: frontier.size, event: null, detail };
  }
  return hashToHex(frontier.root());
}

/**
 * Every leaf under the head: its event is stored with the hash it had, its stored leaf hash is
 * that hash's, and no index is missing. The problem at the lowest leaf, or null.
 */
async function checkLeaves(store: Store, size: number): Promise<Problem | null> {
  let first: Problem | null = null;
  // One byte per leaf under the head: a megabyte for a million leaves.
  const seen = new Uint8Array(size);
  let count = 0;
  const note = (problem: Problem): void => {
    if (first === null || (problem.leaf ?? Infinity) < (first.leaf ?? Infinity)) first = problem;
  };
  for await (const page of store.ledgerTree.leafPages()) {
    const under = page.filter((leaf) => leaf.index < size);
    const events = await store.audit.getMany(under.map((leaf) => leaf.event));
    const nodes = await store.ledgerTree.nodes(under.map((leaf) => ({ level: 0, index: leaf.index })));
    for (const leaf of under) {
      if (seen[leaf.index] === 0) count++;
      seen[leaf.index] = 1;
      const event = events.get(leaf.event);
      const where = { leaf: leaf.index, event: leaf.event };
      if (event === undefined)
        note({ problem: 'missing event', ...where, detail: `event ${leaf.event} is not stored` });
      else if (event.hash !== leaf.eventHash)
        note({
          problem: 'event changed',
          ...where,
          detail: `event ${leaf.event} hashes to ${event.hash}; it was ${leaf.eventHash} when it became leaf ${leaf.index}`,
        });
      const stored = nodes.get(`0/${leaf.index}`);
      if (stored !== undefined && stored !== hashToHex(eventLeafHash(sha256, leaf.eventHash)))
        note({ problem: 'leaf changed', ...where, detail: `leaf ${leaf.index}'s hash is not its event's` });
    }
  }
  for (let index = 0; index < size && count < size; index++) {
    if (seen[index] === 0) {
      note({
        problem: 'missing leaf',
        leaf: index,
        event: null,
        detail: `no event is recorded as leaf ${index}`,
      });
      break;
    }
  }
  return first;
}
