// The synthetic ledger export of the offline benchmark (part 3), written to a folder in the temp
// directory (never the repository): the three files `charter audit verify --offline` reads.
// - export.jsonl: `events` events on CHAINS instance chains, one JSON line each in leaf order
//   0..events-1, exactly as GET /v1/audit/tree/export writes a leaf (api/audit/tree-export.ts):
//   `JSON.stringify({ ...event, leafIndex })`, the event made by the store's own `toDoc` (hash and
//   link) and `toEvent`. Each next event goes to a chain picked at random, so a chain's events are
//   in seq order but interleaved with every other chain's, as the signer's (at, id) order leaves them.
// - head.json: a SignedHead over all of them, its root computed with TreeFrontier over each event's
//   leaf hash, signed with `signHead` (workflows/ledger/keys.ts).
// - key.pem: the public key (SPKI PEM).
// Written through a stream in chunks, waiting for it to drain, so memory holds one chunk.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventLeafHash, hashToHex, TreeFrontier } from '../../engine/ledger/index.js';
import { GENESIS_HASH } from '../../store/audit.js';
import { toDoc, toEvent } from '../../store/audit-event.js';
import type { SignedHead } from '../../store/ledger-heads.js';
import { type SigningKey, signHead } from '../../workflows/ledger/keys.js';
import { nodeSha256 } from '../../workflows/ledger/signer.js';
import { random } from '../random.js';
import { benchEvent } from './figures.js';

/** Instance chains the exported events spread over (50 events each on average at a million). */
export const EXPORT_CHAINS = 20_000;

/** Lines per write: a chunk of a few hundred kilobytes. */
const CHUNK = 1_000;

export interface ExportFiles {
  dir: string;
  exportFile: string;
  headFile: string;
  keyFile: string;
  events: number;
  bytes: number;
  head: SignedHead;
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (out.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    out.once('error', failed);
    out.once('drain', () => {
      out.off('error', failed);
      resolve();
    });
  });
}

/** Writes the export of `events` events, its signed head and the public key into a new temp folder. */
export async function writeExport(events: number, key: SigningKey): Promise<ExportFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'charter-bench-ledger-'));
  const exportFile = join(dir, 'export.jsonl');
  const out = createWriteStream(exportFile, 'utf8');
  const rand = random(17);
  // Per chain: the last seq written and its hash (what the next event links to).
  const seqs = new Uint32Array(EXPORT_CHAINS);
  const lastHash: string[] = new Array<string>(EXPORT_CHAINS).fill(GENESIS_HASH);
  const frontier = new TreeFrontier(nodeSha256);
  const startAt = Date.parse('2026-01-05T08:00:00.000Z');
  let bytes = 0;
  let chunk: string[] = [];
  for (let leafIndex = 0; leafIndex < events; leafIndex++) {
    const c = Math.floor(rand() * EXPORT_CHAINS);
    const seq = ++seqs[c]!;
    // Leaf order is (at, id) order: times rise with the leaf index.
    const input = benchEvent(`bench-instance-${c}`, seq, new Date(startAt + leafIndex * 1_000));
    const event = toEvent(toDoc(input, lastHash[c]!));
    lastHash[c] = event.hash;
    frontier.append(eventLeafHash(nodeSha256, event.hash, `event ${event.id}`));
    chunk.push(`${JSON.stringify({ ...event, leafIndex })}\n`);
    if (chunk.length === CHUNK || leafIndex === events - 1) {
      const text = chunk.join('');
      bytes += Buffer.byteLength(text);
      await write(out, text);
      chunk = [];
    }
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  const unsigned = {
    treeSize: frontier.size,
    rootHash: hashToHex(frontier.root()),
    timestamp: new Date().toISOString(),
    keyId: key.keyId,
  };
  const head: SignedHead = { ...unsigned, signature: signHead(key, unsigned) };
  const headFile = join(dir, 'head.json');
  const keyFile = join(dir, 'key.pem');
  await writeFile(headFile, `${JSON.stringify(head, null, 2)}\n`);
  await writeFile(keyFile, key.publicKeyPem);
  return { dir, exportFile, headFile, keyFile, events, bytes, head };
}
