// The ledger's Merkle tree grows and its heads are signed here, by one activity (the tree's one
// writer): take the events appended since the last batch in (at, id) order, give them the next
// leaf indices, store the leaves, the perfect nodes they complete and the new frontier in one
// transaction (store/ledger-tree.ts), and, when the tree has grown past the newest head, sign a
// head of its new size with the configured key. Run every 10 minutes by a Temporal Schedule
// (schedule.ts) and on demand (the API's POST /v1/audit/heads).
//
// Retries: a batch is written whole or not at all, conditioned on the size it started from, so a
// retried activity, or a second signer at the same time (TreeConflictError: Temporal retries it),
// never gives an event two leaves or a leaf two events; marks left on events that are leaves
// already are only removed. A head is stored once per size: a retry finds it and signs nothing new.
import { Context } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import { eventLeafHash, hashToHex, type Sha256, TreeFrontier } from '../../engine/ledger/index.js';
import type { Store } from '../../store/index.js';
import type { SignedHead } from '../../store/ledger-heads.js';
import type { Leaf, TreeNode, TreeState } from '../../store/ledger-tree.js';
import { type SigningKey, signHead } from './keys.js';

/** SHA-256 from node:crypto, for the worker and the API (the engine's own is for the sandbox). */
export const nodeSha256: Sha256 = (bytes) => createHash('sha256').update(bytes).digest();

/** Events taken per transaction: a batch's leaves and nodes stay well under a transaction's limits. */
export const TREE_BATCH = 2_000;

/** Batches one run takes at most (a million events); the next run goes on from there. */
const MAX_BATCHES = 500;

export interface SignResult {
  /** The tree's size after this run. */
  size: number;
  /** Events this run made leaves. */
  added: number;
  /** The head of the tree's size: signed by this run, or found; null without a key or leaves. */
  head: SignedHead | null;
  /** Whether this run signed `head`. */
  signed: boolean;
}

/**
 * One batch of pending events made leaves; answers how many events it took, how many it added, and
 * the tree it left. `from`: the state the previous batch left (read when absent); were it stale,
 * `grow` refuses with TreeConflictError and the activity's retry starts from a fresh read.
 */
export async function growOnce(
  store: Store,
  at: Date,
  limit = TREE_BATCH,
  from?: TreeState,
): Promise<{ taken: number; added: number; state: TreeState }> {
  const state = from ?? (await store.ledgerTree.state());
  const { events, backfillAfter } = await store.ledgerTree.pending(state, limit);
  const known = await store.ledgerTree.leavesOf(events.map((e) => e.id));
  const frontier = TreeFrontier.fromJSON(nodeSha256, { size: state.size, hashes: state.frontier });
  const leaves: Leaf[] = [];
  const nodes: TreeNode[] = [];
  for (const event of events) {
    if (known.has(event.id)) continue;
    leaves.push({ index: frontier.size, event: event.id, eventHash: event.hash });
    for (const node of frontier.append(eventLeafHash(nodeSha256, event.hash, `event ${event.id}`)))
      nodes.push({ level: node.level, index: node.index, hash: hashToHex(node.hash) });
  }
  const edge = frontier.toJSON();
  const backfill: TreeState['backfill'] = state.backfill.done
    ? state.backfill
    : { done: events.length < limit, after: backfillAfter ?? state.backfill.after };
  const next: TreeState = {
    size: edge.size,
    frontier: edge.hashes,
    root: hashToHex(frontier.root()),
    backfill,
  };
  await store.ledgerTree.grow(state, next, leaves, nodes, at);
  // Only the marked: removing a mark costs a write per event, and the backfill's events have none.
  await store.ledgerTree.markSigned(events.filter((e) => e.marked).map((e) => e.id));
  return { taken: events.length, added: leaves.length, state: next };
}

/**
 * Grows the tree until no event waits (heartbeating per batch inside an activity), then signs a
 * head of the new size unless one exists. Without a key the tree still grows.
 */
export async function growAndSign(
  store: Store,
  key: SigningKey | null,
  now: () => Date,
): Promise<SignResult> {
  let added = 0;
  let tree: TreeState | undefined;
  for (let batches = 0; batches < MAX_BATCHES; batches++) {
    const batch = await growOnce(store, now(), TREE_BATCH, tree);
    tree = batch.state;
    added += batch.added;
    heartbeat(added);
    // A backfill page of old events may all be leaves already; only an empty take means done.
    if (batch.taken === 0) break;
  }
  const state = tree ?? (await store.ledgerTree.state());
  if (state.size === 0 || key === null) return { size: state.size, added, head: null, signed: false };
  const found = await store.ledgerHeads.ofSize(state.size);
  if (found !== null) return { size: state.size, added, head: found, signed: false };
  const head = await signTreeHead(store, key, state, now());
  return { size: state.size, added, head, signed: true };
}

/** Signs a head of `state` at `at` with `key` and stores it, with the key's public half. */
export async function signTreeHead(
  store: Store,
  key: SigningKey,
  state: TreeState,
  at: Date,
): Promise<SignedHead> {
  await store.ledgerHeads.addKey({
    keyId: key.keyId,
    algorithm: 'ed25519',
    publicKey: key.publicKeyPem,
    addedAt: at,
  });
  const unsigned = {
    treeSize: state.size,
    rootHash: state.root,
    timestamp: at.toISOString(),
    keyId: key.keyId,
  };
  const head: SignedHead = { ...unsigned, signature: signHead(key, unsigned) };
  await store.ledgerHeads.put(head);
  return head;
}

function heartbeat(added: number): void {
  try {
    Context.current().heartbeat(added);
  } catch {
    // Not inside an activity (tests, the API's direct call).
  }
}
