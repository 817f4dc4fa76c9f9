// What the ledger proof tests share: node:crypto's SHA-256, hex helpers, the perfect nodes a store
// would keep after appending leaves (read through a getter that notes every read), and a tally
// that collects mismatches over many cases into one readable failure.
import { createHash } from 'node:crypto';
import {
  leafHash,
  TreeFrontier,
  type GetNode,
  type NodeId,
  type Sha256,
} from '../../../engine/ledger/index.js';
import { mth } from '../../support/merkle-reference.js';

export const sha: Sha256 = (bytes) => createHash('sha256').update(bytes).digest();
export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const fromHex = (text: string): Buffer => Buffer.from(text, 'hex');

/** The perfect nodes a store would hold after appending `leaves`, read through `get`, with every read noted. */
export function storeOf(leaves: readonly Uint8Array[]): { get: GetNode; reads: NodeId[] } {
  const frontier = new TreeFrontier(sha);
  const nodes = new Map<string, Uint8Array>();
  for (const leaf of leaves) {
    for (const { level, index, hash } of frontier.append(leaf)) nodes.set(`${level}/${index}`, hash);
  }
  const reads: NodeId[] = [];
  const get: GetNode = (level, index) => {
    reads.push({ level, index });
    return nodes.get(`${level}/${index}`);
  };
  return { get, reads };
}

export function tally(): {
  note: (label: string, actual: unknown, expected: unknown) => void;
  wrong: string[];
} {
  const wrong: string[] = [];
  const note = (label: string, actual: unknown, expected: unknown): void => {
    const [got, want] = [JSON.stringify(actual), JSON.stringify(expected)];
    if (got !== want && wrong.length < 20) wrong.push(`${label}: got ${got}, expected ${want}`);
  };
  return { note, wrong };
}

/** 300 event hashes, their leaf hashes, and ROOTS[n], the reference MTH of the first n. */
export const D = Array.from({ length: 300 }, (_, i) => createHash('sha256').update(`event ${i}`).digest());
export const LEAVES = D.map((d) => leafHash(sha, d));
export const ROOTS = Array.from({ length: 301 }, (_, n) => mth(D.slice(0, n)));

/** The hashes with one bit of element `at` flipped (copies). */
export function flipBit(hashes: readonly Uint8Array[], at: number, bit: number): Uint8Array[] {
  return hashes.map((hash, i) => {
    const copy = new Uint8Array(hash);
    if (i === at) copy[0]! ^= 1 << bit;
    return copy;
  });
}
