// A synthetic Merkle tree of the audit ledger for the proof benchmark (part 2), built fast: not
// through a million appends and signer runs, but by writing leaves straight through the store's
// `LedgerTree.grow`, 10,000 per transaction, with their nodes computed by `TreeFrontier.append`
// exactly as the signer's `growOnce` does (workflows/ledger/signer.ts), and one head of the whole
// tree signed with `signHead` and stored by `LedgerHeads.put`. The proof route reads only that: the
// event's leaf (`ledger_tree_leaves`), the perfect nodes (`ledger_tree_nodes`) and the head. There
// are no event documents; an event's hash here is the SHA-256 of its leaf number.
import { eventLeafHash, hashToHex, TreeFrontier } from '../../engine/ledger/index.js';
import type { Store } from '../../store/index.js';
import type { SignedHead } from '../../store/ledger-heads.js';
import type { Leaf, TreeNode, TreeState } from '../../store/ledger-tree.js';
import type { SigningKey } from '../../workflows/ledger/keys.js';
import { nodeSha256, signTreeHead } from '../../workflows/ledger/signer.js';
import { fixed, seconds, sha256Hex, since } from './figures.js';

/** Leaves per `grow` call (one transaction). */
export const GROW_BATCH = 10_000;

/** Instances the synthetic leaves' event ids spread over, as a ledger of many chains would. */
const CHAINS = 20_000;

/** The event id of leaf `i`: `<instance>:<seq>`, as every ledger writer names events. */
export const leafEventId = (i: number): string =>
  `bench-instance-${i % CHAINS}:${Math.floor(i / CHAINS) + 1}`;

/** The (synthetic) hash of the event at leaf `i`. */
export const leafEventHash = (i: number): string => sha256Hex(`bench ledger event ${i}`);

export interface BuiltTree {
  size: number;
  root: string;
  head: SignedHead;
  /** Milliseconds the leaves, nodes and head took to compute and store. */
  ms: number;
  /** Perfect nodes stored (leaves included). */
  nodes: number;
}

/**
 * Grows the (empty) tree of `store` to `size` synthetic leaves and signs one head over it. Prints
 * progress every tenth of the way when `label` is given.
 */
export async function buildTree(
  store: Store,
  size: number,
  key: SigningKey,
  label: string | null,
): Promise<BuiltTree> {
  const start = performance.now();
  let from = await store.ledgerTree.state();
  if (from.size !== 0) throw new Error(`expected an empty tree, found ${from.size} leaves`);
  const frontier = new TreeFrontier(nodeSha256);
  let nodeCount = 0;
  let nextReport = size / 10;
  while (frontier.size < size) {
    const leaves: Leaf[] = [];
    const nodes: TreeNode[] = [];
    const end = Math.min(size, frontier.size + GROW_BATCH);
    while (frontier.size < end) {
      const index = frontier.size;
      const event = leafEventId(index);
      const eventHash = leafEventHash(index);
      leaves.push({ index, event, eventHash });
      for (const node of frontier.append(eventLeafHash(nodeSha256, eventHash, `event ${event}`)))
        nodes.push({ level: node.level, index: node.index, hash: hashToHex(node.hash) });
    }
    const edge = frontier.toJSON();
    // No events older than the tree to take: the one-time backfill is done from the start.
    const to: TreeState = {
      size: edge.size,
      frontier: edge.hashes,
      root: hashToHex(frontier.root()),
      backfill: { done: true, after: null },
    };
    await store.ledgerTree.grow(from, to, leaves, nodes, new Date());
    nodeCount += nodes.length;
    from = to;
    if (label !== null && frontier.size >= nextReport) {
      console.log(`${label}: ${fixed(frontier.size)} leaves stored, ${seconds(since(start))}`);
      nextReport += size / 10;
    }
  }
  const head = await signWhole(store, from, key);
  return { size: from.size, root: from.root, head, ms: since(start), nodes: nodeCount };
}

/** Signs and stores the head of the tree as it stands (and its key, as the signer records it). */
async function signWhole(store: Store, state: TreeState, key: SigningKey): Promise<SignedHead> {
  const stored = await store.ledgerTree.state();
  if (stored.size !== state.size || stored.root !== state.root)
    throw new Error(`the stored tree (${stored.size}, ${stored.root}) is not the one built`);
  return signTreeHead(store, key, state, new Date());
}
