// `charter audit verify --offline export.jsonl --head head.json --public-key key.pem [--since older.json]`:
// the ledger checked with no database and no server, from files the auditor holds: the export
// (GET /v1/audit/tree/export, `charter audit export --tree`), a signed head they kept (`charter
// audit checkpoint`) and the public key(s). The heads' signatures are checked here with
// node:crypto; the export is streamed line by line through engine/ledger's ExportCheck, so a file
// of millions of events is never held in memory. What is checked is FORMAT.md's "Export" section.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { UsageError } from '../../dsl/cli/files.js';
import { type ExportCheckReport, ExportCheck, type Sha256 } from '../../engine/ledger/index.js';
import type { SignedHead } from '../../store/ledger-heads.js';
import { keyIdOf } from '../../workflows/ledger/keys.js';
import { headSignedBy } from '../audit/tree-verify.js';

export const nodeSha256: Sha256 = (bytes) => createHash('sha256').update(bytes).digest();
export const nodeSha256Hex = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');

export interface OfflineOptions {
  exportFile: string;
  headFile: string;
  publicKeyFiles: string[];
  sinceFile?: string | undefined;
}

export type HeadProblem = 'unknown key' | 'bad signature' | 'older head is larger';

export interface OfflineReport extends Omit<ExportCheckReport, 'firstProblem'> {
  head: SignedHead;
  older: SignedHead | null;
  firstProblem?:
    | ExportCheckReport['firstProblem']
    | { problem: HeadProblem; line: null; event: null; leaf: null; detail: string };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** A JSON file's value, or a UsageError naming the file. */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `${file}: not a readable JSON file (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/** A signed head from a file, or a UsageError naming the file and what is wrong with it. */
export function readHead(file: string): SignedHead {
  const value = readJsonFile(file);
  const head = value as Partial<SignedHead> | null;
  const wrong =
    typeof head !== 'object' || head === null
      ? 'the file is not a JSON object'
      : !Number.isSafeInteger(head.treeSize) || (head.treeSize as number) < 0
        ? 'treeSize is not a whole number'
        : typeof head.rootHash !== 'string' || !HEX64.test(head.rootHash)
          ? 'rootHash is not 64 lowercase hex digits'
          : typeof head.timestamp !== 'string' || Number.isNaN(Date.parse(head.timestamp))
            ? 'timestamp is not a date'
            : typeof head.keyId !== 'string'
              ? 'keyId is missing'
              : typeof head.signature !== 'string'
                ? 'signature is missing'
                : null;
  if (wrong !== null) throw new UsageError(`${file}: not a signed tree head: ${wrong}`);
  const { treeSize, rootHash, timestamp, keyId, signature } = head as SignedHead;
  return { treeSize, rootHash, timestamp, keyId, signature };
}

/** Public keys by key id, from PEM files. */
export function readKeys(files: readonly string[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const file of files) {
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
      keys.set(keyIdOf(pem), pem);
    } catch (error) {
      throw new UsageError(
        `${file}: not a readable public key (PEM, SPKI): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return keys;
}

/** Why `head` does not check out with `keys`, or null when it does. */
export function headProblem(
  head: SignedHead,
  keys: ReadonlyMap<string, string>,
  which: string,
): { problem: HeadProblem; detail: string } | null {
  const pem = keys.get(head.keyId);
  if (pem === undefined) {
    const given = keys.size === 0 ? 'none was given' : `the keys given are ${[...keys.keys()].join(', ')}`;
    return { problem: 'unknown key', detail: `the ${which} names key ${head.keyId}; ${given}` };
  }
  if (!headSignedBy(head, pem)) {
    return {
      problem: 'bad signature',
      detail: `the ${which}'s signature does not verify with key ${head.keyId}: its size, root or time was changed, or it was never signed by that key`,
    };
  }
  return null;
}

export async function verifyOffline(options: OfflineOptions): Promise<OfflineReport> {
  const head = readHead(options.headFile);
  const older = options.sinceFile === undefined ? null : readHead(options.sinceFile);
  const keys = readKeys(options.publicKeyFiles);
  const check = new ExportCheck({
    sha256: nodeSha256,
    sha256Hex: nodeSha256Hex,
    head,
    ...(older === null || older.treeSize > head.treeSize ? {} : { older }),
  });
  const lines = createInterface({ input: createReadStream(options.exportFile, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const line of lines) check.add(line, ++lineNo);
  } catch (error) {
    throw new UsageError(
      `${options.exportFile}: cannot be read (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const report = check.finish();
  const signed =
    headProblem(head, keys, 'head') ??
    (older === null ? null : headProblem(older, keys, 'older head')) ??
    (older !== null && older.treeSize > head.treeSize
      ? {
          problem: 'older head is larger' as const,
          detail: `the older head covers ${older.treeSize} leaves, more than the head's ${head.treeSize}: swap --head and --since`,
        }
      : null);
  const firstProblem =
    signed === null ? report.firstProblem : { ...signed, line: null, event: null, leaf: null };
  return {
    ...report,
    ok: firstProblem === undefined,
    head,
    older,
    ...(firstProblem === undefined ? {} : { firstProblem }),
  };
}

/** The report in a few lines for a terminal. */
export function offlineSummary(report: OfflineReport, exportFile: string): string {
  const counts = `${report.events} events in ${report.chains} chains, ${report.leaves} leaves under the head of ${report.head.treeSize}, ${report.afterHead} after it`;
  if (report.ok) {
    const since =
      report.older === null
        ? ''
        : `; consistent with the older head of ${report.older.treeSize} leaves (${report.older.timestamp})`;
    return (
      `${exportFile} verifies offline against the head signed ${report.head.timestamp} by key ${report.head.keyId}: ` +
      `${counts}; every event's hash, every chain link and the root checked${since}\n`
    );
  }
  const p = report.firstProblem!;
  const where = [
    p.line === null ? null : `line ${p.line}`,
    p.event === null ? null : `event ${p.event}`,
    p.leaf === null ? null : `leaf ${p.leaf}`,
  ].filter((w) => w !== null);
  return `${exportFile} does NOT verify (${counts}): ${p.problem}${where.length > 0 ? ` at ${where.join(', ')}` : ''}: ${p.detail}\n`;
}
