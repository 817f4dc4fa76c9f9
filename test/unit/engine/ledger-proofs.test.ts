// Inclusion and consistency proofs (engine/ledger/proofs.ts): built from the perfect nodes a store
// keeps and verified with RFC 9162's algorithms; held to published vectors, to the RFC's own
// worked example and to the independent reference in test/support/merkle-reference.ts.
import {
  MerkleError,
  consistencyProof,
  consistencyProofNodes,
  inclusionProof,
  inclusionProofNodes,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
  type NodeId,
  type ProofCheck,
  type ProofProblem,
} from '../../../engine/ledger/index.js';
import { path, proof as referenceProof } from '../../support/merkle-reference.js';

import { D, flipBit, hex, LEAVES, ROOTS, sha, storeOf, tally } from './ledger-support.js';

/** A small seeded generator (mulberry32), so that "random" sizes are the same on every run. */
function seeded(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

const store = storeOf(LEAVES);

const refused = (check: ProofCheck): string => (check.ok ? 'accepted' : check.problem);

type Note = ReturnType<typeof tally>['note'];

/** The proof of leaf m in a tree of n is the reference PATH(m, D[n]) and verifies. */
function agreesOnInclusion(note: Note, m: number, n: number): void {
  const built = inclusionProof(sha, m, n, store.get);
  note(`PATH(${m}, D[${n}])`, built.map(hex), path(m, D.slice(0, n)).map(hex));
  note(`inclusion ${m} of ${n}`, verifyInclusion(sha, m, n, LEAVES[m]!, built, ROOTS[n]!), { ok: true });
}

/** The proof from m to n leaves is the reference PROOF(m, D[n]) and verifies. */
function agreesOnConsistency(note: Note, m: number, n: number): void {
  const built = consistencyProof(sha, m, n, store.get);
  note(`PROOF(${m}, D[${n}])`, built.map(hex), referenceProof(m, D.slice(0, n)).map(hex));
  note(`consistency ${m} to ${n}`, verifyConsistency(sha, m, n, ROOTS[m]!, ROOTS[n]!, built), { ok: true });
}

describe('agreement with the reference', () => {
  test('when the tree has 1 to 64 leaves, then every inclusion and consistency proof is the reference PATH and PROOF and verifies', () => {
    const { note, wrong } = tally();
    for (let n = 1; n <= 64; n++) {
      for (let m = 0; m < n; m++) {
        agreesOnInclusion(note, m, n);
      }
      for (let m = 1; m <= n; m++) {
        agreesOnConsistency(note, m, n);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('when the tree has 65 to 300 leaves (around powers of two and seeded random sizes), then every index and sampled first sizes agree', () => {
    const { note, wrong } = tally();
    const random = seeded(9162);
    const sizes = [128, 129, 257, 300, ...Array.from({ length: 3 }, () => 65 + random(236))];
    for (const n of sizes) {
      for (let m = 0; m < n; m++) {
        agreesOnInclusion(note, m, n);
      }
      const sampled = Array.from({ length: 12 }, () => 1 + random(n));
      for (const m of new Set([1, 2, 64, 127, 128, n - 1, n, ...sampled].filter((size) => size <= n))) {
        agreesOnConsistency(note, m, n);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('when a proof is built, then it reads exactly the listed perfect nodes, all inside the tree', () => {
    const { note, wrong } = tally();
    for (let n = 1; n <= 64; n++) {
      const outside = (nodes: NodeId[]): NodeId[] =>
        nodes.filter(({ level, index }) => (index + 1) * 2 ** level > n);
      for (let m = 0; m < n; m++) {
        const listed = inclusionProofNodes(m, n);
        store.reads.length = 0;
        inclusionProof(sha, m, n, store.get);
        note(`inclusion ${m} of ${n} reads`, store.reads, listed);
        note(`inclusion ${m} of ${n} outside`, outside(listed), []);
        note(`inclusion ${m} of ${n} at most 2 log n`, listed.length <= 2 * Math.ceil(Math.log2(n)), true);
      }
      for (let m = 1; m <= n; m++) {
        const listed = consistencyProofNodes(m, n);
        store.reads.length = 0;
        consistencyProof(sha, m, n, store.get);
        note(`consistency ${m} to ${n} reads`, store.reads, listed);
        note(`consistency ${m} to ${n} outside`, outside(listed), []);
      }
    }
    expect(wrong).toEqual([]);
  });
});

// Proofs here are the engine's own, shown equal to the reference's above (and cheaper to make).
describe('tampered proofs are refused', () => {
  test('when any bit of any inclusion proof element flips, or the leaf or index is wrong, then it is refused (trees of 1 to 32)', () => {
    const { note, wrong } = tally();
    for (let n = 1; n <= 32; n++) {
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(sha, m, n, store.get);
        for (let at = 0; at < proof.length; at++) {
          for (const bit of [0, 3, 7]) {
            const check = verifyInclusion(sha, m, n, LEAVES[m]!, flipBit(proof, at, bit), ROOTS[n]!);
            note(`${m} of ${n}, proof[${at}] bit ${bit}`, refused(check), 'root-mismatch');
          }
        }
        const otherLeaf = LEAVES[(m + 1) % 300]!;
        note(`${m} of ${n}, another leaf`, verifyInclusion(sha, m, n, otherLeaf, proof, ROOTS[n]!).ok, false);
        for (let other = 0; other <= n; other++) {
          if (other === m) continue;
          const check = verifyInclusion(sha, other, n, LEAVES[m]!, proof, ROOTS[n]!);
          note(`${m} of ${n} claimed as ${other}`, check.ok, false);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  test("when an inclusion proof is checked at another size against that size's root, then it is refused", () => {
    const { note, wrong } = tally();
    for (let n = 1; n <= 32; n++) {
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(sha, m, n, store.get);
        for (let size = m + 1; size <= 40; size++) {
          if (size === n) continue;
          const check = verifyInclusion(sha, m, size, LEAVES[m]!, proof, ROOTS[size]!);
          note(`${m} of ${n} checked at ${size}`, check.ok, false);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  test('when a path has the same shape in a bigger tree, then it also passes at that size: the signed head binds size to root', () => {
    // Leaf 0 of 5 leaves and of 6 leaves both take three right siblings, so the RFC algorithm
    // cannot tell the sizes apart; an auditor takes the size from the same signed head as the root.
    const proof = path(0, D.slice(0, 5));
    expect(verifyInclusion(sha, 0, 5, LEAVES[0]!, proof, ROOTS[5]!)).toEqual({ ok: true });
    expect(verifyInclusion(sha, 0, 6, LEAVES[0]!, proof, ROOTS[5]!)).toEqual({ ok: true });
  });

  test('when any consistency proof element flips a bit, a root is swapped or a size is wrong, then it is refused (trees of 2 to 32)', () => {
    const { note, wrong } = tally();
    for (let n = 2; n <= 32; n++) {
      for (let m = 1; m < n; m++) {
        const proof = consistencyProof(sha, m, n, store.get);
        const label = `${m} to ${n}`;
        for (let at = 0; at < proof.length; at++) {
          const check = verifyConsistency(sha, m, n, ROOTS[m]!, ROOTS[n]!, flipBit(proof, at, 5));
          note(`${label}, proof[${at}] bit 5`, check.ok, false);
        }
        note(`${label}, swapped roots`, verifyConsistency(sha, m, n, ROOTS[n]!, ROOTS[m]!, proof).ok, false);
        for (let other = 1; other <= n; other++) {
          if (other === m) continue;
          // Against the other size's own root as well as against this one's.
          const own = verifyConsistency(sha, other, n, ROOTS[other]!, ROOTS[n]!, proof);
          note(`${label} claimed from ${other}, its root`, own.ok, false);
          const kept = verifyConsistency(sha, other, n, ROOTS[m]!, ROOTS[n]!, proof);
          note(`${label} claimed from ${other}`, kept.ok, false);
        }
        const bigger = verifyConsistency(sha, m, n + 1, ROOTS[m]!, ROOTS[n + 1]!, proof);
        note(`${label} claimed to ${n + 1}`, bigger.ok, false);
        const smaller = verifyConsistency(sha, m, n - 1, ROOTS[m]!, ROOTS[n - 1]!, proof);
        note(`${label} claimed to ${n - 1}`, smaller.ok, false);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('edge cases', () => {
  const root8 = ROOTS[8]!;
  const proof08 = path(0, D.slice(0, 8));
  const proof38 = referenceProof(3, D.slice(0, 8));
  const inclusion = (index: number, size: number, proof: Uint8Array[], root = root8): string =>
    refused(verifyInclusion(sha, index, size, LEAVES[0]!, proof, root));
  const consistency = (m: number, n: number, roots: [Uint8Array, Uint8Array], proof: Uint8Array[]): string =>
    refused(verifyConsistency(sha, m, n, roots[0], roots[1], proof));
  const bytes12 = Buffer.from("don't care 2");

  test('when an inclusion proof is malformed or does not fit its tree, then the refusal says which way', () => {
    const cases: [string, string, ProofProblem][] = [
      ['a leaf index equal to the size', inclusion(8, 8, proof08), 'index-out-of-range'],
      ['an empty tree', inclusion(0, 0, [], ROOTS[0]), 'index-out-of-range'],
      ['a proof one hash too long', inclusion(0, 8, [...proof08, root8]), 'proof-too-long'],
      ['a proof one hash too short', inclusion(0, 8, proof08.slice(1)), 'proof-too-short'],
      ['a 31-byte proof element', inclusion(0, 8, [proof08[0]!, new Uint8Array(31)]), 'bad-hash'],
      ['a 12-byte root', inclusion(0, 1, [], bytes12), 'bad-hash'],
      ['a fractional size', inclusion(0, 8.5, proof08), 'bad-size'],
      ['a negative index', inclusion(-1, 8, proof08), 'bad-size'],
      ['a size beyond 2^53', inclusion(0, 2 ** 64, proof08), 'bad-size'],
      ['129 proof hashes', inclusion(0, 8, Array<Uint8Array>(129).fill(root8)), 'proof-too-long'],
    ];
    expect(cases.map(([what, got]) => [what, got])).toEqual(cases.map(([what, , want]) => [what, want]));
  });

  test('when a consistency proof is malformed or does not fit its trees, then the refusal says which way', () => {
    const cases: [string, string, ProofProblem][] = [
      ['a first size after the second', consistency(9, 8, [root8, root8], []), 'first-after-second'],
      ['an empty proof for different sizes', consistency(3, 8, [ROOTS[3]!, root8], []), 'proof-too-short'],
      [
        'a proof one hash too long',
        consistency(3, 8, [ROOTS[3]!, root8], [...proof38, root8]),
        'proof-too-long',
      ],
      [
        'a proof one hash too short',
        consistency(3, 8, [ROOTS[3]!, root8], proof38.slice(1)),
        'proof-too-short',
      ],
      ['another first root', consistency(3, 8, [ROOTS[4]!, root8], proof38), 'first-root-mismatch'],
      ['another second root', consistency(3, 8, [ROOTS[3]!, ROOTS[9]!], proof38), 'second-root-mismatch'],
      // transparency-dev/merkle testdata/consistency/additional accepts equal 12-byte roots at size
      // 1; here every hash must be 32 bytes, as RFC 9162 says NodeHash must match HASH_SIZE.
      ['equal 12-byte roots', consistency(1, 1, [bytes12, bytes12], []), 'bad-hash'],
    ];
    expect(cases.map(([what, got]) => [what, got])).toEqual(cases.map(([what, , want]) => [what, want]));
  });

  test('when a refusal names a field, then its message leads with it', () => {
    const short = verifyInclusion(sha, 0, 8, LEAVES[0]!, [proof08[0]!, new Uint8Array(31)], root8);
    expect(short).toEqual({
      ok: false,
      problem: 'bad-hash',
      message: 'proof[1]: expected 32 bytes, got 31 bytes',
    });
    const long = verifyInclusion(sha, 0, 8, LEAVES[0]!, [...proof08, root8], root8);
    expect(long).toMatchObject({ message: 'proof: 4 hashes where leaf 0 of a tree of 8 needs 3' });
  });

  test('when both sizes are equal, then only an empty proof and the same root pass; two roots mean a fork', () => {
    expect(verifyConsistency(sha, 5, 5, ROOTS[5]!, ROOTS[5]!, [])).toEqual({ ok: true });
    expect(consistencyProof(sha, 5, 5, store.get)).toEqual([]);
    expect(consistency(5, 5, [ROOTS[5]!, ROOTS[5]!], [ROOTS[5]!])).toBe('proof-too-long');
    expect(consistency(5, 5, [ROOTS[5]!, ROOTS[6]!], [])).toBe('same-size-roots-differ');
  });

  test('when the first tree is empty, then there is nothing to prove and both building and checking say so', () => {
    const check = verifyConsistency(sha, 0, 8, ROOTS[0]!, root8, []);
    expect(check).toMatchObject({ ok: false, problem: 'empty-first-tree' });
    expect(check.ok ? '' : check.message).toContain('the empty tree is a prefix of every tree');
    expect(() => consistencyProof(sha, 0, 8, store.get)).toThrow(/^first: the empty tree is a prefix/);
    // transparency-dev/merkle testdata/consistency/additional: sizes 0 and 0 are refused too.
    expect(consistency(0, 0, [ROOTS[0]!, ROOTS[0]!], [])).toBe('empty-first-tree');
  });

  test.each([
    [
      'a leaf at or past the size',
      () => inclusionProof(sha, 8, 8, store.get),
      'leafIndex: leaf 8 is outside a tree of 8 leaves',
    ],
    ['a fractional size', () => inclusionProofNodes(0, 2.5), 'treeSize: expected a whole number'],
    [
      'a first size after the second',
      () => consistencyProofNodes(9, 8),
      'first: a tree of 9 leaves cannot precede one of 8',
    ],
    [
      'a node the store lacks',
      () => inclusionProof(sha, 0, 8, () => undefined),
      'node(0, 1): expected a stored 32-byte hash, got nothing',
    ],
  ])('when building a proof with %s, then it throws with the field', (_what, build, message) => {
    expect(build).toThrow(MerkleError);
    expect(build).toThrow(message);
  });

  test('when trees pass 2^32 LEAVES, then nodes and verification keep exact arithmetic (no 32-bit shifts)', () => {
    const big = 2 ** 40;
    // The last leaf of a tree of 2^40 + 1: its one sibling is the perfect left half.
    expect(inclusionProofNodes(big, big + 1)).toEqual([{ level: 40, index: 0 }]);
    const [left, leaf] = [ROOTS[1]!, LEAVES[7]!];
    expect(verifyInclusion(sha, big, big + 1, leaf, [left], nodeHash(sha, left, leaf)).ok).toBe(true);
    expect(verifyInclusion(sha, big, big + 1, leaf, [left], nodeHash(sha, leaf, left)).ok).toBe(false);
    // Leaf 2^40 - 1: forty left siblings inside the left half, then the last leaf on its right.
    const siblings = Array.from({ length: 40 }, (_, level) => ({ level, index: 2 ** (40 - level) - 2 }));
    expect(inclusionProofNodes(big - 1, big + 1)).toEqual([...siblings, { level: 0, index: big }]);
    const proof = [...siblings.map((_, level) => LEAVES[level]!), leaf];
    let root = LEAVES[100]!;
    for (let level = 0; level < 40; level++) root = nodeHash(sha, LEAVES[level]!, root);
    root = nodeHash(sha, root, leaf);
    expect(verifyInclusion(sha, big - 1, big + 1, LEAVES[100]!, proof, root)).toEqual({ ok: true });
    // 2^40 leaves consistent with 2^40 + 1: the proof is the new leaf alone.
    expect(consistencyProofNodes(big, big + 1)).toEqual([{ level: 0, index: big }]);
    expect(verifyConsistency(sha, big, big + 1, left, nodeHash(sha, left, leaf), [leaf])).toEqual({
      ok: true,
    });
  });
});
