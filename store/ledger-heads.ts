// Signed tree heads of the audit ledger's Merkle tree (issue 17) and the public keys they were
// signed with. A head says "the ledger's first `treeSize` leaves hash to `rootHash`", signed
// with Ed25519 by the key `keyId` (workflows/ledger signs, engine/ledger/FORMAT.md says what the
// signature covers). An auditor keeps one outside Charter; anything Charter shows later must be
// consistent with it.
//
// Invariants: a head is written once per tree size (`_id` the size, zero-padded so `_id` order is
// size order); a second head for the same size is a retry when identical and refused otherwise
// (HeadConflictError), so a stored head is never replaced. Keys are kept forever once used, so a
// head signed before a rotation still verifies with its key; a key id names one public key.
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { hexDigest, isDuplicateKey, parseDoc } from './documents.js';
import type { CollectionSpec } from './manifest.js';

const HEADS = 'ledger_heads';
const KEYS = 'ledger_keys';

/** A signed tree head, as stored, served and kept by auditors. */
export interface SignedHead {
  treeSize: number;
  rootHash: string;
  /** When it was signed (ISO 8601, milliseconds, UTC). */
  timestamp: string;
  keyId: string;
  /** Ed25519 signature over the head's bytes (engine/ledger), base64. */
  signature: string;
}

/** A public key heads are verified with. */
export interface SigningKeyRecord {
  keyId: string;
  algorithm: 'ed25519';
  /** SPKI, PEM. */
  publicKey: string;
  addedAt: Date;
}

export class HeadConflictError extends Error {
  override name = 'HeadConflictError';
}

const headSchema = z.strictObject({
  _id: z.string(),
  treeSize: z.number().int().min(0),
  rootHash: hexDigest,
  timestamp: z.string(),
  keyId: z.string().min(1),
  signature: z.string().min(1),
});
const keySchema = z.strictObject({
  _id: z.string().min(1),
  algorithm: z.literal('ed25519'),
  publicKey: z.string().min(1),
  addedAt: z.date(),
});

type HeadDoc = z.infer<typeof headSchema>;
type KeyDoc = z.infer<typeof keySchema>;

/** `_id` of the head of a size: zero-padded, so that `_id` order is size order. */
const headId = (treeSize: number): string => String(treeSize).padStart(15, '0');

const toHead = (doc: HeadDoc): SignedHead => ({
  treeSize: doc.treeSize,
  rootHash: doc.rootHash,
  timestamp: doc.timestamp,
  keyId: doc.keyId,
  signature: doc.signature,
});

const same = (a: SignedHead, b: SignedHead): boolean =>
  a.treeSize === b.treeSize &&
  a.rootHash === b.rootHash &&
  a.timestamp === b.timestamp &&
  a.keyId === b.keyId &&
  a.signature === b.signature;

export class LedgerHeads {
  private readonly heads: Collection<HeadDoc>;
  private readonly keys: Collection<KeyDoc>;

  constructor(db: Db) {
    this.heads = db.collection<HeadDoc>(HEADS);
    this.keys = db.collection<KeyDoc>(KEYS);
  }

  /** Stores a head; an identical one stored already is a retry, another one for its size a conflict. */
  async put(head: SignedHead): Promise<void> {
    try {
      await this.heads.insertOne({ _id: headId(head.treeSize), ...head });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const stored = await this.ofSize(head.treeSize);
      if (stored === null || !same(stored, head))
        throw new HeadConflictError(`a different head of size ${head.treeSize} is stored`);
    }
  }

  /** The head of the largest tree: one find, newest `_id` first. */
  async latest(): Promise<SignedHead | null> {
    const [raw] = await this.heads.find({}, { sort: { _id: -1 }, limit: 1 }).toArray();
    return raw === undefined ? null : toHead(parseDoc(headSchema, raw, HEADS));
  }

  async ofSize(treeSize: number): Promise<SignedHead | null> {
    const raw = await this.heads.findOne({ _id: headId(treeSize) });
    return raw === null ? null : toHead(parseDoc(headSchema, raw, HEADS));
  }

  /** Heads, largest tree first, a page at a time: `before` is the size to continue under. */
  async page(
    before: number | null,
    limit: number,
  ): Promise<{ items: SignedHead[]; nextBefore: number | null }> {
    const filter = before === null ? {} : { _id: { $lt: headId(before) } };
    const raws = await this.heads.find(filter, { sort: { _id: -1 }, limit: limit + 1 }).toArray();
    const items = raws.slice(0, limit).map((raw) => toHead(parseDoc(headSchema, raw, HEADS)));
    return { items, nextBefore: raws.length > limit ? (items.at(-1)?.treeSize ?? null) : null };
  }

  /** Records a public key (idempotent); a different key under a used id is refused. */
  async addKey(key: SigningKeyRecord): Promise<void> {
    try {
      await this.keys.insertOne({
        _id: key.keyId,
        algorithm: key.algorithm,
        publicKey: key.publicKey,
        addedAt: key.addedAt,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const stored = await this.key(key.keyId);
      if (stored?.publicKey.trim() !== key.publicKey.trim())
        throw new HeadConflictError(`key ${key.keyId} is stored with another public key`);
    }
  }

  async key(keyId: string): Promise<SigningKeyRecord | null> {
    const raw = await this.keys.findOne({ _id: keyId });
    if (raw === null) return null;
    const doc = parseDoc(keySchema, raw, KEYS);
    return { keyId: doc._id, algorithm: doc.algorithm, publicKey: doc.publicKey, addedAt: doc.addedAt };
  }

  /** Every key ever used, oldest first (a few: one per rotation). */
  async allKeys(): Promise<SigningKeyRecord[]> {
    const raws = await this.keys.find({}).toArray();
    return raws
      .map((raw) => parseDoc(keySchema, raw, KEYS))
      .map((doc) => ({
        keyId: doc._id,
        algorithm: doc.algorithm,
        publicKey: doc.publicKey,
        addedAt: doc.addedAt,
      }))
      .sort((a, b) => a.addedAt.getTime() - b.addedAt.getTime());
  }
}

/** This module's collections: read by `_id` (equality, or a range for the newest). */
export const ledgerHeadCollections: CollectionSpec[] = [
  {
    name: HEADS,
    holds: "a signed head of the ledger's Merkle tree (`_id` its size, zero-padded)",
    shardKey: { _id: 1 },
    indexes: [],
  },
  {
    name: KEYS,
    holds: 'a public key tree heads were signed with (`_id` its key id)',
    shardKey: { _id: 'hashed' },
    indexes: [],
  },
];
