// The offline check of a ledger export (FORMAT.md, "Export"), one line at a time, so that a file of
// millions of events is checked in memory that grows with the number of chains, not of events:
// - every event's hash is recomputed from its fields (the canonical JSON the ledger hashed);
// - every chain links from seq 1 (the genesis hash) without gaps, repeats or broken links; the
//   export is in leaf order, not chain order, so a chain's later events wait for earlier ones;
// - the leaves under the head (`leafIndex` < its tree size) are all there, once each, and their
//   root, recomputed with the frontier, is the head's; with an older head, so is the root of its
//   first leaves (the two heads are consistent: the newer tree only appended).
// The first problem is named: at its line while streaming, or at the end for what only the end can
// tell (a gap in a chain, a missing leaf, a root). Signatures are checked by the caller (node:crypto).
import { canonicalJson } from '../ir/index.js';
import { eventLeafHash, hashToHex, type Sha256, TreeFrontier } from './merkle.js';

export const EXPORT_PROBLEMS = [
  'unparseable',
  'event changed',
  'broken link',
  'duplicate event',
  'missing event',
  'duplicate leaf',
  'missing leaf',
  'root mismatch',
  'inconsistent with older head',
] as const;
export type ExportProblem = (typeof EXPORT_PROBLEMS)[number];

export interface ExportProblemReport {
  problem: ExportProblem;
  /** 1-based line of the export; null for what only the end of the file shows. */
  line: number | null;
  event: string | null;
  leaf: number | null;
  detail: string;
}

export interface ExportCheckReport {
  ok: boolean;
  /** Lines read that held an event. */
  events: number;
  chains: number;
  /** Leaves under the head (the head's tree size, when they are all there). */
  leaves: number;
  /** Events the export holds that the head does not cover yet (appended after it). */
  afterHead: number;
  /** Hex roots recomputed: of the head's size, and of the older head's size when given. */
  root: string | null;
  olderRoot: string | null;
  firstProblem?: ExportProblemReport;
}

export interface ExportCheckOptions {
  sha256: Sha256;
  /** SHA-256 of a UTF-8 text, as hex: node:crypto's in a CLI, the engine's elsewhere. */
  sha256Hex: (text: string) => string;
  head: { treeSize: number; rootHash: string };
  older?: { treeSize: number; rootHash: string };
}

const GENESIS = '0'.repeat(64);
const HEX64 = /^[0-9a-f]{64}$/;

/** The hash the ledger gave an exported event: over its link and the canonical JSON of its fields. */
export function exportedEventHash(
  sha256Hex: (text: string) => string,
  line: Record<string, unknown>,
): string {
  // Everything but `hash` (it cannot cover itself) and `leafIndex` (the tree's, not the event's).
  const { hash, leafIndex, ...fields } = line;
  void hash;
  void leafIndex;
  return sha256Hex(String(fields['prevHash']) + canonicalJson(fields));
}

interface ChainState {
  next: number;
  last: string;
  /** Events that arrived before their predecessor, by seq. */
  waiting?: Map<number, { id: string; prevHash: string; hash: string; line: number }>;
}

interface ParsedEvent {
  id: string;
  chain: string;
  seq: number;
  prevHash: string;
  hash: string;
  leafIndex: number | null;
}

export class ExportCheck {
  private readonly chains = new Map<string, ChainState>();
  private readonly frontier: TreeFrontier;
  /** Leaves under the head that arrived before a lower one, by index (their leaf hashes). */
  private readonly early = new Map<number, Uint8Array>();
  private events = 0;
  private afterHead = 0;
  private olderRoot: string | null = null;
  private problem: ExportProblemReport | undefined;

  constructor(private readonly options: ExportCheckOptions) {
    this.frontier = new TreeFrontier(options.sha256);
    if (options.older !== undefined && options.older.treeSize === 0)
      this.olderRoot = hashToHex(this.frontier.root());
  }

  /** One line of the export (1-based `lineNo`); blank lines are allowed and skipped. */
  add(text: string, lineNo: number): void {
    if (text.trim() === '') return;
    const event = this.parse(text, lineNo);
    if (event === null) return;
    this.events++;
    this.link(event, lineNo);
    if (event.leafIndex === null || event.leafIndex >= this.options.head.treeSize) {
      this.afterHead++;
      return;
    }
    this.place(event, lineNo);
  }

  /** The verdict, once every line is in. */
  finish(): ExportCheckReport {
    for (const [chain, state] of this.chains) {
      if (state.waiting === undefined || state.waiting.size === 0) continue;
      const [seq, first] = [...state.waiting].sort((a, b) => a[0] - b[0])[0]!;
      this.fail(
        'missing event',
        null,
        `${chain} seq ${state.next}`,
        null,
        `chain ${chain} has seq ${seq} (${first.id}, line ${first.line}) but no seq ${state.next}`,
      );
      break;
    }
    const size = this.options.head.treeSize;
    if (this.frontier.size < size) {
      this.fail(
        'missing leaf',
        null,
        null,
        this.frontier.size,
        `the export holds no leaf ${this.frontier.size}; the head covers ${size} leaves`,
      );
    }
    const root = this.frontier.size === size ? hashToHex(this.frontier.root()) : null;
    if (root !== null && root !== this.options.head.rootHash) {
      this.fail(
        'root mismatch',
        null,
        null,
        null,
        `the ${size} leaves give root ${root}, the head says ${this.options.head.rootHash}: a leaf's event was replaced, reordered or rehashed`,
      );
    }
    const older = this.options.older;
    if (older !== undefined && this.olderRoot !== null && this.olderRoot !== older.rootHash) {
      this.fail(
        'inconsistent with older head',
        null,
        null,
        null,
        `the first ${older.treeSize} leaves give root ${this.olderRoot}, the older head says ${older.rootHash}: events it covered were changed or removed`,
      );
    }
    return {
      ok: this.problem === undefined,
      events: this.events,
      chains: this.chains.size,
      leaves: this.frontier.size,
      afterHead: this.afterHead,
      root,
      olderRoot: this.olderRoot,
      ...(this.problem === undefined ? {} : { firstProblem: this.problem }),
    };
  }

  private parse(text: string, lineNo: number): ParsedEvent | null {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.fail('unparseable', lineNo, null, null, 'the line is not JSON');
      return null;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail('unparseable', lineNo, null, null, 'the line is not a JSON object');
      return null;
    }
    const line = value as Record<string, unknown>;
    const { id, chain, seq, prevHash, hash, leafIndex } = line;
    const wrong =
      typeof id !== 'string'
        ? 'id'
        : typeof chain !== 'string'
          ? 'chain'
          : !Number.isSafeInteger(seq) || (seq as number) < 1
            ? 'seq'
            : typeof prevHash !== 'string' || !HEX64.test(prevHash)
              ? 'prevHash'
              : typeof hash !== 'string' || !HEX64.test(hash)
                ? 'hash'
                : leafIndex !== undefined && (!Number.isSafeInteger(leafIndex) || (leafIndex as number) < 0)
                  ? 'leafIndex'
                  : null;
    if (wrong !== null) {
      this.fail(
        'unparseable',
        lineNo,
        typeof id === 'string' ? id : null,
        null,
        `the event has no valid ${wrong}`,
      );
      return null;
    }
    const event = {
      id: id as string,
      chain: chain as string,
      seq: seq as number,
      prevHash: prevHash as string,
      hash: hash as string,
      leafIndex: leafIndex === undefined ? null : (leafIndex as number),
    };
    const recomputed = exportedEventHash(this.options.sha256Hex, line);
    if (recomputed !== event.hash) {
      this.fail(
        'event changed',
        lineNo,
        event.id,
        event.leafIndex,
        `its fields hash to ${recomputed}, not to its recorded hash ${event.hash}`,
      );
    }
    return event;
  }

  /** The event's place in its chain: linked now, or waiting for its predecessor. */
  private link(event: ParsedEvent, lineNo: number): void {
    let state = this.chains.get(event.chain);
    if (state === undefined) {
      state = { next: 1, last: GENESIS };
      this.chains.set(event.chain, state);
    }
    if (event.seq < state.next || state.waiting?.has(event.seq) === true) {
      this.fail(
        'duplicate event',
        lineNo,
        event.id,
        event.leafIndex,
        `chain ${event.chain} seq ${event.seq} appears twice`,
      );
      return;
    }
    if (event.seq > state.next) {
      state.waiting ??= new Map();
      state.waiting.set(event.seq, {
        id: event.id,
        prevHash: event.prevHash,
        hash: event.hash,
        line: lineNo,
      });
      return;
    }
    this.follow(event.chain, state, event.id, event.prevHash, event.hash, lineNo);
    // Whatever waited for this event can follow now.
    for (
      let next = state.waiting?.get(state.next);
      next !== undefined;
      next = state.waiting?.get(state.next)
    ) {
      state.waiting?.delete(state.next);
      this.follow(event.chain, state, next.id, next.prevHash, next.hash, next.line);
    }
    if (state.waiting?.size === 0) delete state.waiting;
  }

  private follow(
    chain: string,
    state: ChainState,
    id: string,
    prevHash: string,
    hash: string,
    lineNo: number,
  ): void {
    if (prevHash !== state.last) {
      const before = state.next === 1 ? 'the genesis hash' : `the hash of seq ${state.next - 1}`;
      this.fail(
        'broken link',
        lineNo,
        id,
        null,
        `chain ${chain} seq ${state.next}: prevHash is not ${before}`,
      );
    }
    state.next++;
    state.last = hash;
  }

  /** A leaf under the head: appended to the frontier in index order, early ones held back. */
  private place(event: ParsedEvent, lineNo: number): void {
    const index = event.leafIndex as number;
    const leaf = eventLeafHash(this.options.sha256, event.hash, `line ${lineNo} hash`);
    if (index < this.frontier.size || this.early.has(index)) {
      this.fail('duplicate leaf', lineNo, event.id, index, `leaf ${index} appears twice`);
      return;
    }
    if (index > this.frontier.size) {
      this.early.set(index, leaf);
      return;
    }
    this.append(leaf);
    for (
      let next = this.early.get(this.frontier.size);
      next !== undefined;
      next = this.early.get(this.frontier.size)
    ) {
      this.early.delete(this.frontier.size);
      this.append(next);
    }
  }

  private append(leaf: Uint8Array): void {
    this.frontier.append(leaf);
    const older = this.options.older;
    if (older !== undefined && this.frontier.size === older.treeSize)
      this.olderRoot = hashToHex(this.frontier.root());
  }

  private fail(
    problem: ExportProblem,
    line: number | null,
    event: string | null,
    leaf: number | null,
    detail: string,
  ): void {
    this.problem ??= { problem, line, event, leaf, detail };
  }
}
