// The audit ledger's Merkle tree (issue 17): every ledger event, all chains together, as a leaf of
// one RFC 9162 tree (engine/ledger), so that a signed head commits to the whole ledger and an
// event's inclusion, or two heads' consistency, can be proved from a few stored hashes.
//
// Documents:
// - `ledger_tree` one document (`_id` 'tree'): the size, the frontier (the right edge's perfect
//   subtree roots, at most log2(size) + 1 of them, enough to add leaves and compute the root) and
//   the root, plus how far the one-time pass over events older than the tree has got.
// - `ledger_tree_nodes`: every perfect subtree's hash, `_id` `<level>/<index>` (level 0: the
//   leaves, which also name their event, so the leaves can be read in order by `_id`). A proof
//   reads its O(log n) nodes by `_id` in one find.
// - `ledger_tree_leaves`: an event's leaf, `_id` the event id: where an event sits, in one read
//   by `_id`; the unique `_id` also makes an event a leaf at most once.
//
// Who writes: the signer alone (workflows/ledger), in batches: it takes events appended since the
// last batch (those still carrying `unsigned`, on a partial index that holds only them, plus, once,
// every event older than the tree), orders them by (at, id), and writes their leaves, the new
// nodes and the new state in one transaction conditioned on the size it started from, so two
// signers cannot both extend the tree and a crash leaves it as it was. The events' `unsigned`
// marks are removed afterwards; a retry finds their leaves and only removes the marks. Appends
// are untouched but for that mark, written with the event: no counter document every append
// must update, which a sharded ledger could not afford.
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { sha256Hex } from '../engine/ir/index.js';
import { COLLECTION as EVENTS, INDEX as EVENT_INDEX } from './audit-event.js';
import { hexDigest, inTransaction, isDuplicateKey, parseDoc } from './documents.js';
import type { CollectionSpec } from './manifest.js';

const TREE = 'ledger_tree';
const NODES = 'ledger_tree_nodes';
const LEAVES = 'ledger_tree_leaves';
const TREE_ID = 'tree';

/** The tree as its signer left it. */
export interface TreeState {
  size: number;
  /** Hex hashes of the right edge's perfect subtrees, largest first. */
  frontier: string[];
  /** Hex root of the tree of `size` leaves (the empty tree's for 0). */
  root: string;
  /** The one-time pass over events older than the tree: the last event id taken, or done. */
  backfill: { done: boolean; after: string | null };
}

/** A perfect subtree: level 0 is a leaf; (level, index) covers leaves [index * 2^level, (index + 1) * 2^level). */
export interface TreeNode {
  level: number;
  index: number;
  hash: string;
}

/** An event's place in the tree, and the leaf hash stored for it. */
export interface Leaf {
  index: number;
  event: string;
  /** The event's own hash as it was when it became a leaf (the leaf's data, RFC 9162). */
  eventHash: string;
}

/** An event waiting to become a leaf. */
export interface PendingEvent {
  id: string;
  at: Date;
  hash: string;
  /** Whether it carries the `unsigned` mark (an event older than the tree, met by the backfill, does not). */
  marked: boolean;
}

export class TreeConflictError extends Error {
  override name = 'TreeConflictError';
}

const stateSchema = z.strictObject({
  _id: z.literal(TREE_ID),
  size: z.number().int().min(0),
  frontier: z.array(hexDigest),
  root: hexDigest,
  backfill: z.strictObject({ done: z.boolean(), after: z.string().nullable() }),
  updatedAt: z.date(),
});
// `event`: on level 0 only (the leaf's event id); absent on leaves written before it was recorded.
const nodeSchema = z.strictObject({ _id: z.string(), hash: hexDigest, event: z.string().optional() });
const leafSchema = z.strictObject({ _id: z.string(), index: z.number().int().min(0), eventHash: hexDigest });

type StateDoc = z.infer<typeof stateSchema>;
type NodeDoc = z.infer<typeof nodeSchema>;
type LeafDoc = z.infer<typeof leafSchema>;

export const nodeId = (level: number, index: number): string => `${level}/${index}`;

export class LedgerTree {
  private readonly tree: Collection<StateDoc>;
  private readonly nodeDocs: Collection<NodeDoc>;
  private readonly leafDocs: Collection<LeafDoc>;
  private readonly events: Collection<{ _id: string }>;

  /** The root of the empty tree: SHA-256 of nothing (RFC 9162 2.1.1). */
  private readonly emptyRoot = sha256Hex('');

  constructor(private readonly db: Db) {
    this.tree = db.collection<StateDoc>(TREE);
    this.nodeDocs = db.collection<NodeDoc>(NODES);
    this.leafDocs = db.collection<LeafDoc>(LEAVES);
    this.events = db.collection<{ _id: string }>(EVENTS);
  }

  /** The tree's state; an empty tree before its first batch. */
  async state(): Promise<TreeState> {
    const raw = await this.tree.findOne({ _id: TREE_ID });
    if (raw === null)
      return { size: 0, frontier: [], root: this.emptyRoot, backfill: { done: false, after: null } };
    const doc = parseDoc(stateSchema, raw, TREE);
    return { size: doc.size, frontier: doc.frontier, root: doc.root, backfill: doc.backfill };
  }

  /**
   * Up to `limit` events not in the tree yet, ordered by (at, id): while the backfill runs, the
   * next events older than the tree by id; then those appended with `unsigned`. Some may be leaves
   * already (a batch whose marks were not removed yet): `leavesOf` tells.
   */
  async pending(
    state: TreeState,
    limit: number,
  ): Promise<{ events: PendingEvent[]; backfillAfter: string | null }> {
    const projection = { _id: 1, at: 1, hash: 1, unsigned: 1 } as const;
    let raws;
    let backfillAfter: string | null = null;
    if (!state.backfill.done) {
      // By `_id` range, unhinted: SecantusDB serves an `_id` range from its own path.
      const filter = state.backfill.after === null ? {} : { _id: { $gt: state.backfill.after } };
      raws = await this.events.find(filter, { projection, sort: { _id: 1 }, limit }).toArray();
      backfillAfter = raws.at(-1)?._id ?? null;
    } else {
      raws = await this.events
        .find({ unsigned: true }, { projection, hint: EVENT_INDEX.unsigned, limit })
        .toArray();
    }
    const events = raws.flatMap((raw) => {
      const { _id, at, hash, unsigned } = raw as {
        _id: string;
        at?: unknown;
        hash?: unknown;
        unsigned?: unknown;
      };
      return at instanceof Date && typeof hash === 'string'
        ? [{ id: _id, at, hash, marked: unsigned === true }]
        : [];
    });
    events.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { events, backfillAfter };
  }

  /** The leaves of these events, by event id: one find by `_id`. */
  async leavesOf(eventIds: readonly string[]): Promise<Map<string, Leaf>> {
    const out = new Map<string, Leaf>();
    if (eventIds.length === 0) return out;
    for (const raw of await this.leafDocs.find({ _id: { $in: [...new Set(eventIds)] } }).toArray()) {
      const doc = parseDoc(leafSchema, raw, LEAVES);
      out.set(doc._id, { index: doc.index, event: doc._id, eventHash: doc.eventHash });
    }
    return out;
  }

  /**
   * Grows the tree from `from` to `to` in one transaction: the new leaves, the nodes they
   * complete and the new state, written only if the stored size is still `from.size`
   * (TreeConflictError otherwise: another signer grew it first, and nothing was written).
   */
  async grow(
    from: TreeState,
    to: TreeState,
    leaves: readonly Leaf[],
    nodes: readonly TreeNode[],
    at: Date,
  ): Promise<void> {
    if (
      leaves.length === 0 &&
      to.backfill.after === from.backfill.after &&
      to.backfill.done === from.backfill.done
    )
      return;
    await inTransaction(this.db, async (session) => {
      const next: StateDoc = { _id: TREE_ID, ...to, updatedAt: at };
      // Upserted only from size 0: a stored tree of another size fails the filter, and the
      // upsert's insert then meets the `_id` and fails too.
      let matched: number;
      try {
        const result = await this.tree.replaceOne({ _id: TREE_ID, size: from.size }, next, {
          session,
          upsert: from.size === 0,
        });
        matched = result.matchedCount + result.upsertedCount;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        matched = 0;
      }
      if (matched !== 1) throw new TreeConflictError(`the tree is no longer of size ${from.size}`);
      if (leaves.length > 0) {
        await this.leafDocs.insertMany(
          leaves.map((l) => ({ _id: l.event, index: l.index, eventHash: l.eventHash })),
          { session },
        );
      }
      if (nodes.length > 0) {
        const eventAt = new Map(leaves.map((l) => [l.index, l.event]));
        await this.nodeDocs.insertMany(
          nodes.map((n) => {
            const event = n.level === 0 ? eventAt.get(n.index) : undefined;
            return { _id: nodeId(n.level, n.index), hash: n.hash, ...(event === undefined ? {} : { event }) };
          }),
          { session },
        );
      }
    });
  }

  /**
   * The ids of events not in the tree yet (still marked), a page at a time, in no set order: the
   * partial index holds only them, so the walk is as long as the signer is behind.
   */
  async *unsignedIds(page = 500): AsyncGenerator<string[]> {
    const cursor = this.events.find(
      { unsigned: true },
      { projection: { _id: 1 }, hint: EVENT_INDEX.unsigned, batchSize: page },
    );
    let ids: string[] = [];
    for await (const raw of cursor) {
      ids.push(raw._id);
      if (ids.length === page) {
        yield ids;
        ids = [];
      }
    }
    if (ids.length > 0) yield ids;
  }

  /** Removes the `unsigned` marks of events that are leaves now (idempotent). */
  async markSigned(eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.events.updateMany({ _id: { $in: [...eventIds] } }, { $unset: { unsigned: '' } });
  }

  /** Stored perfect nodes by `<level>/<index>`: one find by `_id`. */
  async nodes(keys: readonly { level: number; index: number }[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (keys.length === 0) return out;
    const ids = [...new Set(keys.map((k) => nodeId(k.level, k.index)))];
    for (const raw of await this.nodeDocs.find({ _id: { $in: ids } }).toArray()) {
      const doc = parseDoc(nodeSchema, raw, NODES);
      out.set(doc._id, doc.hash);
    }
    return out;
  }

  /** Every event's leaf, a page at a time in event id order (for verification). */
  async *leafPages(page = 5_000): AsyncGenerator<Leaf[]> {
    let after: string | null = null;
    for (;;) {
      const filter: { _id?: { $gt: string } } = after === null ? {} : { _id: { $gt: after } };
      // An `_id` range, unhinted: SecantusDB serves it from its own path.
      const raws = await this.leafDocs.find(filter, { sort: { _id: 1 }, limit: page }).toArray();
      if (raws.length === 0) return;
      const leaves = raws.map((raw) => parseDoc(leafSchema, raw, LEAVES));
      yield leaves.map((d) => ({ index: d.index, event: d._id, eventHash: d.eventHash }));
      after = leaves.at(-1)?._id ?? null;
      if (raws.length < page) return;
    }
  }

  /**
   * The event ids of leaves [from, to), in leaf order, read a page at a time by `_id` from the
   * level-0 nodes (leaves stored before those named their event are found by index instead).
   */
  async *leafEvents(
    from: number,
    to: number,
    page = 1_000,
  ): AsyncGenerator<{ index: number; event: string }[]> {
    for (let start = from; start < to; start += page) {
      const end = Math.min(to, start + page);
      const ids = Array.from({ length: end - start }, (_, k) => nodeId(0, start + k));
      const events = new Map<number, string>();
      for (const raw of await this.nodeDocs.find({ _id: { $in: ids } }).toArray()) {
        const doc = parseDoc(nodeSchema, raw, NODES);
        if (doc.event !== undefined) events.set(Number(doc._id.slice(2)), doc.event);
      }
      if (events.size < end - start) {
        const unnamed = ids.map((_, k) => start + k).filter((i) => !events.has(i));
        for (const raw of await this.leafDocs.find({ index: { $in: unnamed } }).toArray()) {
          const doc = parseDoc(leafSchema, raw, LEAVES);
          events.set(doc.index, doc._id);
        }
      }
      const out: { index: number; event: string }[] = [];
      for (let i = start; i < end; i++) {
        const event = events.get(i);
        if (event === undefined) throw new TreeConflictError(`leaf ${i} is missing from the tree`);
        out.push({ index: i, event });
      }
      yield out;
    }
  }

  /** Leaf hashes (level 0 nodes) of indices [from, to), in order, streamed a page at a time. */
  async *leafHashes(from: number, to: number, page = 5_000): AsyncGenerator<{ index: number; hash: string }> {
    for (let start = from; start < to; start += page) {
      const end = Math.min(to, start + page);
      const keys = Array.from({ length: end - start }, (_, k) => ({ level: 0, index: start + k }));
      const found = await this.nodes(keys);
      for (let i = start; i < end; i++) {
        const hash = found.get(nodeId(0, i));
        if (hash === undefined) throw new TreeConflictError(`leaf ${i} is missing from the tree's nodes`);
        yield { index: i, hash };
      }
    }
  }
}

/** This module's collections (store/manifest.ts): all read and written by `_id` only. */
export const ledgerTreeCollections: CollectionSpec[] = [
  {
    name: TREE,
    holds: "the ledger's Merkle tree: size, frontier, root (one document)",
    shardKey: { _id: 'hashed' },
    indexes: [],
  },
  {
    name: NODES,
    holds: "one perfect subtree's hash of the ledger's Merkle tree (`_id` `<level>/<index>`)",
    shardKey: { _id: 'hashed' },
    indexes: [],
  },
  {
    name: LEAVES,
    holds: "an audit event's leaf in the ledger's Merkle tree (`_id` the event id)",
    shardKey: { _id: 'hashed' },
    indexes: [],
  },
];
