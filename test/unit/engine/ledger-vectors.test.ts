// Proofs (engine/ledger/proofs.ts) against published vectors: the Certificate Transparency tree
// of transparency-dev/merkle and the worked example of RFC 9162 section 2.1.5, built from the
// perfect nodes a store keeps and verified with the RFC's algorithms.
import { createHash } from 'node:crypto';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  verifyConsistency,
  verifyInclusion,
} from '../../../engine/ledger/index.js';
import {
  CT_CONSISTENCY,
  CT_INCLUSION,
  CT_LEAVES,
  CT_ROOTS,
  referenceLeafHash,
} from '../../support/merkle-reference.js';

import { D, flipBit, fromHex, hex, LEAVES, ROOTS, sha, storeOf } from './ledger-support.js';

describe('published vectors (Certificate Transparency, via transparency-dev/merkle)', () => {
  const ct = CT_LEAVES.map((data) => leafHash(sha, fromHex(data)));
  const ctStore = storeOf(ct);

  test.each(CT_INCLUSION)(
    'when proving leaf $leafIndex in a tree of $treeSize, then the published path is built and verifies',
    ({ leafIndex, treeSize, proof }) => {
      const built = inclusionProof(sha, leafIndex, treeSize, ctStore.get);
      expect(built.map(hex)).toEqual(proof);
      const root = fromHex(CT_ROOTS[treeSize - 1]!);
      expect(verifyInclusion(sha, leafIndex, treeSize, ct[leafIndex]!, built, root)).toEqual({ ok: true });
    },
  );

  test.each(CT_CONSISTENCY)(
    'when proving $first leaves consistent with $second, then the published proof is built and verifies',
    ({ first, second, proof }) => {
      const built = consistencyProof(sha, first, second, ctStore.get);
      expect(built.map(hex)).toEqual(proof);
      const [firstRoot, secondRoot] = [fromHex(CT_ROOTS[first - 1]!), fromHex(CT_ROOTS[second - 1]!)];
      expect(verifyConsistency(sha, first, second, firstRoot, secondRoot, built)).toEqual({ ok: true });
    },
  );

  // The corruptions of corruptInclusionProof / corruptConsistencyProof in the same file: each
  // must be refused. (A size or index of -1 stands for Go's wrapped-around uint64.)
  const someHash = fromHex('abacaba000000000000000000000000000000000000000000060061e00123456');
  const accepted = (probes: [string, boolean][]): string[] =>
    probes.filter(([, ok]) => ok).map(([what]) => what);

  test.each(CT_INCLUSION.filter((v) => v.treeSize > 1))(
    'when the proof for leaf $leafIndex of $treeSize is tampered with in any published way, then it is refused',
    ({ leafIndex: index, treeSize: size, proof }) => {
      const [path, root, leaf] = [proof.map(fromHex), fromHex(CT_ROOTS[size - 1]!), ct[index]!];
      const verify = (
        i: number,
        n: number,
        p: Uint8Array[],
        r: Uint8Array = root,
        l: Uint8Array = leaf,
      ): boolean => verifyInclusion(sha, i, n, l, p, r).ok;
      const probes: [string, boolean][] = [
        ['leafIndex - 1', verify(index - 1, size, path)],
        ['leafIndex + 1', verify(index + 1, size, path)],
        ['leafIndex ^ 2', verify(index ^ 2, size, path)],
        ['treeSize * 2', verify(index, size * 2, path)],
        ['treeSize / 2', verify(index, Math.floor(size / 2), path)],
        ['wrong leaf', verify(index, size, path, root, sha(Buffer.from('WrongLeaf')))],
        ['empty root', verify(index, size, path, sha(new Uint8Array(0)))],
        ['random root', verify(index, size, path, someHash)],
        ['trailing garbage', verify(index, size, [...path, new Uint8Array(0)])],
        ['trailing root', verify(index, size, [...path, root])],
        ['preceding garbage', verify(index, size, [new Uint8Array(0), ...path])],
        ['preceding root', verify(index, size, [root, ...path])],
        ['removed component', verify(index, size, path.slice(0, -1))],
        ['inserted component', verify(index, size, [path[0]!, someHash, ...path.slice(1)])],
        ...path.map((_, at): [string, boolean] => [
          `proof[${at}] bit 3`,
          verify(index, size, flipBit(path, at, 3)),
        ]),
      ];
      expect(accepted(probes)).toEqual([]);
    },
  );

  test.each(CT_CONSISTENCY.filter((v) => v.proof.length > 0))(
    'when the proof from $first to $second leaves is tampered with in any published way, then it is refused',
    ({ first, second, proof }) => {
      const [path, root1, root2] = [
        proof.map(fromHex),
        fromHex(CT_ROOTS[first - 1]!),
        fromHex(CT_ROOTS[second - 1]!),
      ];
      const wrongRoot = sha(Buffer.from('WrongRoot'));
      const verify = (
        m: number,
        n: number,
        p: Uint8Array[],
        r1: Uint8Array = root1,
        r2: Uint8Array = root2,
      ): boolean => verifyConsistency(sha, m, n, r1, r2, p).ok;
      const probes: [string, boolean][] = [
        ['size1 - 1', verify(first - 1, second, path)],
        ['size1 + 1', verify(first + 1, second, path)],
        ['size1 ^ 2', verify(first ^ 2, second, path)],
        ['size2 * 2', verify(first, second * 2, path)],
        ['size2 / 2', verify(first, Math.floor(second / 2), path)],
        ['wrong root1', verify(first, second, path, wrongRoot)],
        ['wrong root2', verify(first, second, path, root1, wrongRoot)],
        ['swapped roots', verify(first, second, path, root2, root1)],
        ['empty proof', verify(first, second, [])],
        ['trailing garbage', verify(first, second, [...path, new Uint8Array(0)])],
        ['trailing root1', verify(first, second, [...path, root1])],
        ['trailing root2', verify(first, second, [...path, root2])],
        ['preceding garbage', verify(first, second, [new Uint8Array(0), ...path])],
        ['preceding root1', verify(first, second, [root1, ...path])],
        ['preceding root2', verify(first, second, [root2, ...path])],
        ['preceding proof[0]', verify(first, second, [path[0]!, ...path])],
        ['truncated proof', verify(first, second, path.slice(0, -1))],
        ...path.map((_, at): [string, boolean] => [
          `proof[${at}] bit 4`,
          verify(first, second, flipBit(path, at, 4)),
        ]),
      ];
      expect(accepted(probes)).toEqual([]);
    },
  );
});

describe('the worked example of RFC 9162 section 2.1.5 (seven leaves d0 to d6)', () => {
  // The RFC's figure, by hand: leaves a..f and j over d0..d6 (j alone over d6), g = (a, b),
  // h = (c, d), i = (e, f), k = (g, h), l = (i, j), root = (k, l). Hashed here without the engine.
  const node = (left: Buffer, right: Buffer): Buffer =>
    createHash('sha256')
      .update(Buffer.from([1]))
      .update(left)
      .update(right)
      .digest();
  const leafOf = (i: number): Buffer => referenceLeafHash(D[i]!);
  const [a, b, c, dd, e, f, j] = [
    leafOf(0),
    leafOf(1),
    leafOf(2),
    leafOf(3),
    leafOf(4),
    leafOf(5),
    leafOf(6),
  ];
  const [g, h, i] = [node(a, b), node(c, dd), node(e, f)];
  const [k, l] = [node(g, h), node(i, j)];
  const root = node(k, l);
  const example = storeOf(LEAVES.slice(0, 7));

  test('when building the tree, then its root is the figure root', () => {
    expect(hex(ROOTS[7]!)).toBe(hex(root));
  });

  // RFC 9162 2.1.5 lists these audit paths and consistency proofs for the figure's tree.

  test.each([
    ['d0', 0, [b, h, l]],
    ['d3', 3, [c, g, l]],
    ['d4', 4, [f, j, k]],
    ['d6', 6, [i, k]],
  ])('when proving %s, then the path is the one the RFC lists', (_name, leafIndex, expected) => {
    const built = inclusionProof(sha, leafIndex, 7, example.get);
    expect(built.map(hex)).toEqual(expected.map(hex));
    expect(verifyInclusion(sha, leafIndex, 7, LEAVES[leafIndex]!, built, root)).toEqual({ ok: true });
  });

  test.each([
    ['hash0 (3 leaves)', 3, [c, dd, g, l]],
    ['hash1 (4 leaves)', 4, [l]],
    ['hash2 (6 leaves)', 6, [i, j, k]],
  ])(
    'when proving %s consistent with the 7-leaf root, then the proof is the one the RFC lists',
    (_name, first, expected) => {
      const built = consistencyProof(sha, first, 7, example.get);
      expect(built.map(hex)).toEqual(expected.map(hex));
      expect(verifyConsistency(sha, first, 7, ROOTS[first]!, root, built)).toEqual({ ok: true });
    },
  );
});

/**
 * Notes every case whose outcome differs from the expected one; a test ends with one
 * `expect(wrong).toEqual([])`, since a jest expect per case would make 100,000 cases slow.
 */
