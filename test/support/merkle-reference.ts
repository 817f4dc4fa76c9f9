// An independent reading of RFC 9162 section 2.1 (the Merkle tree of Certificate Transparency),
// kept as close to the RFC's recursive definitions as code allows, for tests to hold
// engine/ledger to. It shares no code with the engine: node:crypto's SHA-256 on Buffers, the
// recursion as written, inputs as the RFC's list of data entries D_n. Slow on purpose (every
// PATH and PROOF recomputes the subtree hashes it lists); fine for trees of a few hundred leaves.
import { createHash } from 'node:crypto';

/** SHA-256 over the concatenation of `parts`. */
function hash(...parts: Buffer[]): Buffer {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part);
  return digest.digest();
}

/** "The largest power of two smaller than n (i.e., k < n <= 2k)" (2.1.1); n > 1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (2 * k < n) k = 2 * k;
  return k;
}

/** 2.1.1: the hash of a leaf, SHA-256(0x00 || d). */
export function referenceLeafHash(d: Buffer): Buffer {
  return hash(Buffer.from([0x00]), d);
}

/**
 * 2.1.1, the Merkle Tree Hash:
 *   MTH({})     = SHA-256()
 *   MTH({d(0)}) = SHA-256(0x00 || d(0))
 *   MTH(D_n)    = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))   for n > 1
 */
export function mth(D: readonly Buffer[]): Buffer {
  const n = D.length;
  if (n === 0) return hash();
  if (n === 1) return referenceLeafHash(D[0]!);
  const k = splitPoint(n);
  return hash(Buffer.from([0x01]), mth(D.slice(0, k)), mth(D.slice(k, n)));
}

/**
 * 2.1.3.1, the inclusion path of leaf m (0 <= m < n):
 *   PATH(0, {d(0)}) = {}
 *   PATH(m, D_n)    = PATH(m, D[0:k]) : MTH(D[k:n])       for m < k
 *   PATH(m, D_n)    = PATH(m - k, D[k:n]) : MTH(D[0:k])   for m >= k
 */
export function path(m: number, D: readonly Buffer[]): Buffer[] {
  const n = D.length;
  if (m < 0 || m >= n) throw new Error(`PATH(${m}, D[${n}]) is not defined`);
  if (n === 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...path(m, D.slice(0, k)), mth(D.slice(k, n))];
  return [...path(m - k, D.slice(k, n)), mth(D.slice(0, k))];
}

/** 2.1.4.1, the consistency proof between the first m leaves and all n: PROOF(m, D_n) = SUBPROOF(m, D_n, true). */
export function proof(m: number, D: readonly Buffer[]): Buffer[] {
  if (m <= 0 || m > D.length) throw new Error(`PROOF(${m}, D[${D.length}]) is not defined`);
  return subproof(m, D, true);
}

/**
 * 2.1.4.1:
 *   SUBPROOF(m, D_m, true)  = {}
 *   SUBPROOF(m, D_m, false) = {MTH(D_m)}
 *   SUBPROOF(m, D_n, b)     = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])            for m <= k
 *   SUBPROOF(m, D_n, b)     = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])    for m > k
 */
export function subproof(m: number, D: readonly Buffer[], b: boolean): Buffer[] {
  const n = D.length;
  if (m === n) return b ? [] : [mth(D)];
  const k = splitPoint(n);
  if (m <= k) return [...subproof(m, D.slice(0, k), b), mth(D.slice(k, n))];
  return [...subproof(m - k, D.slice(k, n), false), mth(D.slice(0, k))];
}

// Published vectors: Certificate Transparency's eight-leaf test tree, as kept by
// github.com/transparency-dev/merkle in proof/verify_test.go at commit
// 9ca563d3ac2bab915317cf153ed4f952f6e74c07 (the tables `leaves`, `roots`, `inclusionProofs` and
// `consistencyProofs`, later moved to testdata/ as JSON probes). Values copied, not code.
// There `inclusionProofs` counts leaves from 1; here `leafIndex` counts from 0 like everything else.
export const CT_LEAVES: readonly string[] = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];

/** CT_ROOTS[i] is the root of the first i + 1 leaves. */
export const CT_ROOTS: readonly string[] = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

export const CT_INCLUSION: readonly { leafIndex: number; treeSize: number; proof: string[] }[] = [
  { leafIndex: 0, treeSize: 1, proof: [] },
  {
    leafIndex: 0,
    treeSize: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    leafIndex: 5,
    treeSize: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    leafIndex: 2,
    treeSize: 3,
    proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'],
  },
  {
    leafIndex: 1,
    treeSize: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

export const CT_CONSISTENCY: readonly { first: number; second: number; proof: string[] }[] = [
  { first: 1, second: 1, proof: [] },
  {
    first: 1,
    second: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    first: 6,
    second: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];
