// The audit ledger's Merkle tree (RFC 9162, Certificate Transparency 2.0, section 2.1): how leaves
// and nodes are hashed, the root of a list of leaves, the right edge of a growing tree (the
// frontier the tree's one writer keeps between batches) and the bytes of a tree head that a signer
// signs. FORMAT.md describes the same for auditors; tests hold this code to an independent
// re-implementation written from the RFC text (test/support/merkle-reference.ts).
//
// The engine is pure, so SHA-256 is passed in: callers with node:crypto pass it (fast), code in the
// workflow sandbox passes `engineSha256`. Hashes are 32-byte Uint8Arrays here and lowercase hex
// at the JSON boundary. Sizes and indexes are JavaScript numbers, exact up to 2^53 - 1; every
// computation on them divides instead of shifting, because bitwise operators cut numbers to 32 bits.
import { sha256HexOfBytes } from '../ir/index.js';

/** SHA-256 of arbitrary bytes, 32 bytes out. */
export type Sha256 = (bytes: Uint8Array) => Uint8Array;

/** The size of every hash in the tree (RFC 9162's HASH_SIZE for SHA-256). */
export const HASH_BYTES = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** Thrown for a bad argument or stored value; `field` locates it, e.g. `frontier.hashes[2]`. */
export class MerkleError extends Error {
  override name = 'MerkleError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** A perfect subtree: `level` 0 is a leaf; node (level, index) covers leaves [index * 2^level, (index + 1) * 2^level). */
export interface NodeId {
  level: number;
  index: number;
}

export interface PerfectNode extends NodeId {
  hash: Uint8Array;
}

/** SHA-256 from engine/ir (plain TypeScript): for code inside the workflow sandbox, where node:crypto is absent. */
export const engineSha256: Sha256 = (bytes) => bytesFromHex(sha256HexOfBytes(bytes));

/** RFC 9162 2.1.1: MTH({}) = HASH(), the hash of no bytes at all. */
export function emptyRoot(sha: Sha256): Uint8Array {
  return sha(new Uint8Array(0));
}

/** RFC 9162 2.1.1: HASH(0x00 || data). The prefix keeps a leaf from passing for an inner node. */
export function leafHash(sha: Sha256, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(1 + data.length);
  bytes[0] = LEAF_PREFIX;
  bytes.set(data, 1);
  return sha(bytes);
}

/** RFC 9162 2.1.1: HASH(0x01 || left || right). */
export function nodeHash(sha: Sha256, left: Uint8Array, right: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(1 + left.length + right.length);
  bytes[0] = NODE_PREFIX;
  bytes.set(left, 1);
  bytes.set(right, 1 + left.length);
  return sha(bytes);
}

/**
 * The leaf hash of a Charter audit event: its leaf data is the event's own 32-byte hash (the
 * stored `hash`, hex-decoded), which already covers every field and the link to its predecessor.
 */
export function eventLeafHash(sha: Sha256, eventHashHex: string, field = 'event.hash'): Uint8Array {
  return leafHash(sha, hashFromHex(eventHashHex, field));
}

/**
 * MTH(D[n]) of leaf hashes, bottom up without recursion. Pairing each level from the left and
 * carrying an odd last node up unchanged builds exactly the RFC's tree: the left child of every
 * node is then a perfect subtree of the largest power of two below its size, the RFC's split k.
 */
export function rootOf(sha: Sha256, leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return emptyRoot(sha);
  let level = [...leafHashes];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(sha, level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** The stored form of a frontier: the tree size and its right-edge hashes, leftmost first. */
export interface FrontierJson {
  size: number;
  hashes: string[];
}

/**
 * The right edge of a tree of `size` leaves: one perfect subtree per bit set in `size`, largest
 * (leftmost) first, so at most log2(size) + 1 hashes. That is all an appender needs: a new leaf
 * merges with the subtrees it completes, and the root folds the edge from the right.
 */
export class TreeFrontier {
  #size = 0;
  readonly #hashes: Uint8Array[] = [];

  constructor(private readonly sha: Sha256) {}

  /** Restores a frontier saved with `toJSON`, checking it as input: a wrong count would give wrong roots. */
  static fromJSON(sha: Sha256, json: unknown, field = 'frontier'): TreeFrontier {
    if (typeof json !== 'object' || json === null) throw new MerkleError(field, 'expected an object');
    const { size, hashes } = json as Partial<Record<keyof FrontierJson, unknown>>;
    requireCount(size, `${field}.size`);
    if (!Array.isArray(hashes)) throw new MerkleError(`${field}.hashes`, 'expected an array');
    const expected = bitsSet(size);
    if (hashes.length !== expected) {
      throw new MerkleError(
        `${field}.hashes`,
        `a tree of ${size} leaves has ${expected} right-edge subtrees, got ${hashes.length} hashes`,
      );
    }
    const frontier = new TreeFrontier(sha);
    frontier.#size = size;
    hashes.forEach((hex, i) => frontier.#hashes.push(hashFromHex(hex, `${field}.hashes[${i}]`)));
    return frontier;
  }

  /** The number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends a leaf hash; returns the perfect nodes this completes, the leaf itself (level 0) first,
   * then each node above it that now has both children. The store keeps every one of them, which
   * is what lets `inclusionProof` and `consistencyProof` read O(log n) stored nodes.
   */
  append(leafHash: Uint8Array): PerfectNode[] {
    requireHash(leafHash, 'leafHash');
    if (this.#size === Number.MAX_SAFE_INTEGER) throw new MerkleError('size', 'the tree is full');
    // A copy: a Buffer's slice() would share the caller's memory.
    let hash: Uint8Array = new Uint8Array(leafHash);
    let level = 0;
    let index = this.#size;
    const completed: PerfectNode[] = [{ level, index, hash }];
    // Bit `level` of the old size set means a perfect subtree of 2^level leaves waits on the right
    // edge for a sibling of the same size: the one just built.
    while (Math.floor(this.#size / 2 ** level) % 2 === 1) {
      hash = nodeHash(this.sha, this.#hashes.pop()!, hash);
      level += 1;
      index = Math.floor(index / 2);
      completed.push({ level, index, hash });
    }
    this.#hashes.push(hash);
    this.#size += 1;
    return completed;
  }

  /** MTH of the leaves so far: the right edge folded from the right (the RFC's imperfect right subtrees). */
  root(): Uint8Array {
    const hashes = this.#hashes;
    if (hashes.length === 0) return emptyRoot(this.sha);
    // A copy to start from: with one subtree on the edge the root is that stored hash itself.
    let root: Uint8Array = new Uint8Array(hashes[hashes.length - 1]!);
    for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(this.sha, hashes[i]!, root);
    return root;
  }

  /** The right-edge hashes, leftmost first (copies). */
  edge(): Uint8Array[] {
    return this.#hashes.map((hash) => new Uint8Array(hash));
  }

  toJSON(): FrontierJson {
    return { size: this.#size, hashes: this.#hashes.map(hashToHex) };
  }
}

/** What a tree head states: how many leaves, their root, and when (milliseconds since the epoch). */
export interface TreeHead {
  timestamp: number;
  treeSize: number;
  rootHash: Uint8Array;
}

/** 8 + 8 + 1 + 32 + 2 bytes: see treeHeadBytes. */
export const TREE_HEAD_BYTES = 51;

/**
 * The bytes a signer signs for a tree head: RFC 9162 section 4.9's TreeHeadDataV2 in TLS
 * encoding. uint64 timestamp, uint64 tree_size (both big-endian), root_hash as a 1-byte length
 * (32) and the hash, and an empty sth_extensions list as a 2-byte zero length.
 */
export function treeHeadBytes(head: TreeHead): Uint8Array {
  requireCount(head.timestamp, 'timestamp');
  requireCount(head.treeSize, 'treeSize');
  requireHash(head.rootHash, 'rootHash');
  const bytes = new Uint8Array(TREE_HEAD_BYTES);
  const view = new DataView(bytes.buffer);
  writeUint64(view, 0, head.timestamp);
  writeUint64(view, 8, head.treeSize);
  bytes[16] = HASH_BYTES;
  bytes.set(head.rootHash, 17);
  view.setUint16(17 + HASH_BYTES, 0);
  return bytes;
}

function writeUint64(view: DataView, offset: number, value: number): void {
  // Split in two 32-bit halves; `>>> 0` keeps the low half exactly for any safe integer.
  view.setUint32(offset, Math.floor(value / 2 ** 32));
  view.setUint32(offset + 4, value >>> 0);
}

const HEX_HASH = /^[0-9a-f]{64}$/;

/** A hash as 64 lowercase hex digits, its JSON form. */
export function hashToHex(hash: Uint8Array): string {
  return Array.from(hash, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A hash from its JSON form; anything but 64 lowercase hex digits is refused, so one hash has one spelling. */
export function hashFromHex(hex: unknown, field = 'hash'): Uint8Array {
  if (typeof hex !== 'string') throw new MerkleError(field, `expected a hex string, got ${typeof hex}`);
  if (!HEX_HASH.test(hex)) {
    throw new MerkleError(field, `expected 64 lowercase hex digits, got ${JSON.stringify(hex.slice(0, 80))}`);
  }
  return bytesFromHex(hex);
}

/** A list of hashes (a proof) from its JSON form, each checked with its position in the field path. */
export function hashesFromHex(list: unknown, field = 'proof'): Uint8Array[] {
  if (!Array.isArray(list)) throw new MerkleError(field, 'expected an array of hex hashes');
  return list.map((hex, i) => hashFromHex(hex, `${field}[${i}]`));
}

function bytesFromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Byte-wise equality. Hashes in the tree are public, so timing does not matter here. */
export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Throws unless `value` is a count JavaScript holds exactly: an integer from 0 to 2^53 - 1. */
export function requireCount(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new MerkleError(field, `expected a whole number from 0 to 2^53 - 1, got ${String(value)}`);
  }
}

function requireHash(value: unknown, field: string): void {
  if (!isBytes(value) || value.length !== HASH_BYTES) {
    throw new MerkleError(field, `expected ${HASH_BYTES} bytes, got ${describeBytes(value)}`);
  }
}

/**
 * Whether `value` is a Uint8Array (a Buffer included). Not `instanceof`: a Buffer made by
 * node:crypto comes from another realm than the Temporal sandbox's or jest's Uint8Array.
 */
export function isBytes(value: unknown): value is Uint8Array {
  return Object.prototype.toString.call(value) === '[object Uint8Array]';
}

export function describeBytes(value: unknown): string {
  return isBytes(value) ? `${value.length} bytes` : typeof value;
}

/** How many bits are set in a count: the number of perfect subtrees on a tree's right edge. */
export function bitsSet(count: number): number {
  let bits = 0;
  for (let rest = count; rest > 0; rest = Math.floor(rest / 2)) bits += rest % 2;
  return bits;
}
