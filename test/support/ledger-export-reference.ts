// A second, independent check of a ledger export against signed heads, written from
// engine/ledger/FORMAT.md alone, the way an auditor's own tool would be: it reads the whole file
// into memory, hashes with node:crypto and its own key-sorting JSON writer, rebuilds the chains by
// sorting, computes the root with the RFC 9162 reference (merkle-reference.ts), and checks the
// signature over bytes it lays out itself. It shares no code with engine/ledger/export-check.ts or
// api/cli/offline-verify.ts; the tests require both to reach the same verdict on the same files.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mth } from './merkle-reference.js';

export type ReferenceVerdict =
  | { ok: true }
  | { ok: false; kind: 'signature' | 'unparseable' | 'hash' | 'chain' | 'leaves' | 'root' | 'older' };

interface Head {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
  signature: string;
}

/** JSON with every object's keys in code-unit order, no spaces (FORMAT.md "Events"). */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** TreeHeadDataV2 (RFC 9162 4.9), laid out byte by byte. */
function signedBytes(head: Head): Buffer {
  const bytes = Buffer.alloc(51);
  bytes.writeBigUInt64BE(BigInt(Date.parse(head.timestamp)), 0);
  bytes.writeBigUInt64BE(BigInt(head.treeSize), 8);
  bytes[16] = 32;
  Buffer.from(head.rootHash, 'hex').copy(bytes, 17);
  return bytes;
}

/** Signed by any of the keys (the reference does not trust key ids, it tries them all). */
function signedByAny(head: Head, pems: readonly string[]): boolean {
  return pems.some((pem) => {
    try {
      return verify(null, signedBytes(head), createPublicKey(pem), Buffer.from(head.signature, 'base64'));
    } catch {
      return false;
    }
  });
}

export function referenceVerify(
  exportText: string,
  head: Head,
  pems: readonly string[],
  older?: Head,
): ReferenceVerdict {
  if (!signedByAny(head, pems) || (older !== undefined && !signedByAny(older, pems)))
    return { ok: false, kind: 'signature' };
  const events: Record<string, unknown>[] = [];
  for (const line of exportText.split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return { ok: false, kind: 'unparseable' };
    }
  }
  for (const event of events) {
    const fields = { ...event };
    delete fields['hash'];
    delete fields['leafIndex'];
    if (sha256Hex(String(event['prevHash']) + sortedJson(fields)) !== event['hash'])
      return { ok: false, kind: 'hash' };
  }
  const chains = new Map<string, Record<string, unknown>[]>();
  for (const event of events)
    chains.set(String(event['chain']), [...(chains.get(String(event['chain'])) ?? []), event]);
  for (const list of chains.values()) {
    list.sort((a, b) => Number(a['seq']) - Number(b['seq']));
    let previous = '0'.repeat(64);
    for (const [i, event] of list.entries()) {
      if (event['seq'] !== i + 1 || event['prevHash'] !== previous) return { ok: false, kind: 'chain' };
      previous = String(event['hash']);
    }
  }
  const leaves = events
    .filter((e) => typeof e['leafIndex'] === 'number' && e['leafIndex'] < head.treeSize)
    .sort((a, b) => Number(a['leafIndex']) - Number(b['leafIndex']));
  if (leaves.length !== head.treeSize || leaves.some((e, i) => e['leafIndex'] !== i))
    return { ok: false, kind: 'leaves' };
  const data = leaves.map((e) => Buffer.from(String(e['hash']), 'hex'));
  if (mth(data).toString('hex') !== head.rootHash) return { ok: false, kind: 'root' };
  if (older !== undefined && mth(data.slice(0, older.treeSize)).toString('hex') !== older.rootHash)
    return { ok: false, kind: 'older' };
  return { ok: true };
}
