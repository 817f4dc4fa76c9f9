// Inclusion and consistency proofs of RFC 9162 section 2.1.3 and 2.1.4: building them from the
// perfect nodes the store keeps (TreeFrontier.append reports each one), and verifying them with
// the RFC's own algorithms, so that an auditor's verifier written from the RFC agrees with ours.
//
// Building is in two steps because the store is asynchronous and this code is not: `...ProofNodes`
// names the perfect nodes a proof needs (O(log n) of them), the caller reads them in one query,
// and `...Proof` hashes them into the proof through a synchronous `get`. A proof element that
// covers the imperfect right edge of a tree is folded here from the perfect nodes it consists of.
import {
  HASH_BYTES,
  MerkleError,
  describeBytes,
  hashesEqual,
  isBytes,
  nodeHash,
  requireCount,
  type NodeId,
  type Sha256,
} from './merkle.js';

/** A stored perfect node, or undefined when the store does not hold it. */
export type GetNode = (level: number, index: number) => Uint8Array | undefined;

/** Leaves [start, end): one subtree of the RFC's tree, hence `start` a multiple of a power of two >= its size. */
interface Span {
  start: number;
  end: number;
}

/** The RFC's split point k: the largest power of two smaller than n (n >= 2). */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * PATH(m, D[n]) as the subtrees whose hashes it lists, from the leaf up. The RFC's recursion
 * walked from the root down: the sibling of each subtree that holds the leaf.
 */
function inclusionSpans(leafIndex: number, treeSize: number): Span[] {
  const siblings: Span[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const middle = start + largestPowerOfTwoBelow(end - start);
    if (leafIndex < middle) {
      siblings.push({ start: middle, end });
      end = middle;
    } else {
      siblings.push({ start, end: middle });
      start = middle;
    }
  }
  return siblings.reverse();
}

/**
 * PROOF(m, D[n]) = SUBPROOF(m, D[n], true) as subtrees, deepest first. Going down, `m` stays the
 * old tree's absolute end; `whole` is the RFC's flag b: the old tree is still a complete subtree
 * of the one we are in, so the verifier knows its hash and it is left out.
 */
function consistencySpans(first: number, second: number): Span[] {
  const items: Span[] = [];
  let start = 0;
  let end = second;
  let whole = true;
  while (first !== end) {
    const middle = start + largestPowerOfTwoBelow(end - start);
    if (first <= middle) {
      items.push({ start: middle, end });
      end = middle;
    } else {
      items.push({ start, end: middle });
      start = middle;
      whole = false;
    }
  }
  if (!whole) items.push({ start, end });
  return items.reverse();
}

/** The perfect nodes a subtree consists of, leftmost (largest) first: one per bit set in its size. */
function perfectNodesOf({ start, end }: Span): NodeId[] {
  const nodes: NodeId[] = [];
  let at = start;
  while (at < end) {
    let level = 0;
    while (2 ** (level + 1) <= end - at) level += 1;
    nodes.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return nodes;
}

/** MTH of a subtree from its stored perfect nodes, folded from the right as TreeFrontier.root does. */
function spanHash(sha: Sha256, span: Span, get: GetNode): Uint8Array {
  const hashes = perfectNodesOf(span).map(({ level, index }) => {
    const hash = get(level, index);
    if (!isBytes(hash) || hash.length !== HASH_BYTES) {
      const got = hash === undefined ? 'nothing' : describeBytes(hash);
      throw new MerkleError(
        `node(${level}, ${index})`,
        `expected a stored ${HASH_BYTES}-byte hash, got ${got}`,
      );
    }
    return hash;
  });
  let hash = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) hash = nodeHash(sha, hashes[i]!, hash);
  return hash;
}

function requireLeafInTree(leafIndex: number, treeSize: number): void {
  requireCount(leafIndex, 'leafIndex');
  requireCount(treeSize, 'treeSize');
  if (leafIndex >= treeSize) {
    throw new MerkleError('leafIndex', `leaf ${leafIndex} is outside a tree of ${treeSize} leaves`);
  }
}

/** Why a first size of 0 is refused, for the error and the verdict alike. */
const EMPTY_FIRST_TREE =
  'the empty tree is a prefix of every tree, so there is nothing to prove; ' +
  'RFC 9162 defines consistency proofs for 0 < first <= second only';

function requireSizesInOrder(first: number, second: number): void {
  requireCount(first, 'first');
  requireCount(second, 'second');
  if (first === 0) throw new MerkleError('first', EMPTY_FIRST_TREE);
  if (first > second) {
    throw new MerkleError('first', `a tree of ${first} leaves cannot precede one of ${second}`);
  }
}

/** The stored perfect nodes an inclusion proof for `leafIndex` in a tree of `treeSize` reads. */
export function inclusionProofNodes(leafIndex: number, treeSize: number): NodeId[] {
  requireLeafInTree(leafIndex, treeSize);
  return inclusionSpans(leafIndex, treeSize).flatMap(perfectNodesOf);
}

/** RFC 9162 2.1.3.1 PATH(leafIndex, D[treeSize]) from stored perfect nodes; empty for a one-leaf tree. */
export function inclusionProof(sha: Sha256, leafIndex: number, treeSize: number, get: GetNode): Uint8Array[] {
  requireLeafInTree(leafIndex, treeSize);
  return inclusionSpans(leafIndex, treeSize).map((span) => spanHash(sha, span, get));
}

/** The stored perfect nodes a consistency proof between sizes `first` and `second` reads. */
export function consistencyProofNodes(first: number, second: number): NodeId[] {
  requireSizesInOrder(first, second);
  return consistencySpans(first, second).flatMap(perfectNodesOf);
}

/** RFC 9162 2.1.4.1 PROOF(first, D[second]) from stored perfect nodes; empty when the sizes are equal. */
export function consistencyProof(sha: Sha256, first: number, second: number, get: GetNode): Uint8Array[] {
  requireSizesInOrder(first, second);
  return consistencySpans(first, second).map((span) => spanHash(sha, span, get));
}

/** Why a proof was refused, as data; `message` says it in words for people and logs. */
export type ProofProblem =
  | 'bad-size'
  | 'bad-hash'
  | 'index-out-of-range'
  | 'empty-first-tree'
  | 'first-after-second'
  | 'proof-too-long'
  | 'proof-too-short'
  | 'root-mismatch'
  | 'first-root-mismatch'
  | 'second-root-mismatch'
  | 'same-size-roots-differ';

export type ProofCheck = { ok: true } | { ok: false; problem: ProofProblem; message: string };

const OK: ProofCheck = Object.freeze({ ok: true });

/** No tree of up to 2^53 leaves needs more (2 * 53 for consistency); longer lists are refused unhashed. */
const MAX_PROOF_HASHES = 128;

function refuse(problem: ProofProblem, message: string): ProofCheck {
  return { ok: false, problem, message };
}

/** The first argument that is not a size or a 32-byte hash, as a refusal; null when all are. */
function badArgument(
  sizes: Record<string, unknown>,
  hashes: Record<string, unknown>,
  proof: unknown,
): ProofCheck | null {
  for (const [field, value] of Object.entries(sizes)) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      return refuse('bad-size', `${field}: expected a whole number from 0 to 2^53 - 1, got ${String(value)}`);
    }
  }
  if (!Array.isArray(proof)) return refuse('bad-hash', 'proof: expected an array of hashes');
  if (proof.length > MAX_PROOF_HASHES) {
    return refuse(
      'proof-too-long',
      `proof: ${proof.length} hashes, no tree needs more than ${MAX_PROOF_HASHES}`,
    );
  }
  const all: [string, unknown][] = [
    ...Object.entries(hashes),
    ...proof.map((h, i): [string, unknown] => [`proof[${i}]`, h]),
  ];
  for (const [field, value] of all) {
    if (!isBytes(value) || value.length !== HASH_BYTES) {
      return refuse('bad-hash', `${field}: expected ${HASH_BYTES} bytes, got ${describeBytes(value)}`);
    }
  }
  return null;
}

const half = (n: number): number => Math.floor(n / 2);
const odd = (n: number): boolean => n % 2 === 1;

function isPowerOfTwo(n: number): boolean {
  let rest = n;
  while (rest > 1 && rest % 2 === 0) rest /= 2;
  return rest === 1;
}

/**
 * RFC 9162 2.1.3.2: whether `proof` shows the leaf with hash `leafHash` at `leafIndex` in the tree
 * of `treeSize` leaves whose root is `root`. Step numbers are the RFC's.
 */
export function verifyInclusion(
  sha: Sha256,
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): ProofCheck {
  const bad = badArgument({ leafIndex, treeSize }, { leafHash, root }, proof);
  if (bad) return bad;
  // 1. A leaf index at or past the size fails.
  if (leafIndex >= treeSize) {
    return refuse(
      'index-out-of-range',
      `leafIndex: leaf ${leafIndex} is outside a tree of ${treeSize} leaves`,
    );
  }
  const needs = (): string =>
    `leaf ${leafIndex} of a tree of ${treeSize} needs ${inclusionSpans(leafIndex, treeSize).length}`;
  // 2., 3.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  // 4.
  for (const p of proof) {
    if (sn === 0) return refuse('proof-too-long', `proof: ${proof.length} hashes where ${needs()}`);
    if (odd(fn) || fn === sn) {
      r = nodeHash(sha, p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(sha, r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  if (sn !== 0) return refuse('proof-too-short', `proof: ${proof.length} hashes where ${needs()}`);
  if (!hashesEqual(r, root)) {
    return refuse(
      'root-mismatch',
      `root: the leaf and proof lead to another root of a tree of ${treeSize} leaves`,
    );
  }
  return OK;
}

/**
 * RFC 9162 2.1.4.2: whether `proof` shows the tree of `second` leaves with root `secondRoot` to
 * extend the tree of `first` leaves with root `firstRoot` by appending only. Equal sizes need an
 * empty proof and equal roots (two roots for one size mean the log forked); a first size of 0 is
 * refused, since there is nothing to prove. Step numbers are the RFC's.
 */
export function verifyConsistency(
  sha: Sha256,
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): ProofCheck {
  const bad = badArgument({ first, second }, { firstRoot, secondRoot }, proof);
  if (bad) return bad;
  if (first === 0) return refuse('empty-first-tree', `first: ${EMPTY_FIRST_TREE}`);
  if (first > second) {
    return refuse('first-after-second', `first: a tree of ${first} leaves cannot precede one of ${second}`);
  }
  const needs = (): string =>
    `a tree of ${first} leaves against one of ${second} needs ${consistencySpans(first, second).length}`;
  if (first === second) {
    if (proof.length !== 0) return refuse('proof-too-long', `proof: ${proof.length} hashes where ${needs()}`);
    if (!hashesEqual(firstRoot, secondRoot)) {
      return refuse(
        'same-size-roots-differ',
        `secondRoot: two different roots for a tree of ${first} leaves`,
      );
    }
    return OK;
  }
  // 1.
  if (proof.length === 0) return refuse('proof-too-short', `proof: no hashes where ${needs()}`);
  // 2. A power-of-two first tree is a perfect subtree of the second: the proof leaves its root out.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : proof;
  // 3.
  let fn = first - 1;
  let sn = second - 1;
  // 4.
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  let fr = path[0]!;
  let sr = path[0]!;
  // 6.
  for (const c of path.slice(1)) {
    if (sn === 0) return refuse('proof-too-long', `proof: ${proof.length} hashes where ${needs()}`);
    if (odd(fn) || fn === sn) {
      fr = nodeHash(sha, c, fr);
      sr = nodeHash(sha, c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sha, sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 7.
  if (sn !== 0) return refuse('proof-too-short', `proof: ${proof.length} hashes where ${needs()}`);
  if (!hashesEqual(fr, firstRoot)) {
    return refuse(
      'first-root-mismatch',
      `firstRoot: the proof leads to another root for the first ${first} leaves`,
    );
  }
  if (!hashesEqual(sr, secondRoot)) {
    return refuse('second-root-mismatch', `secondRoot: the proof leads to another root for ${second} leaves`);
  }
  return OK;
}
