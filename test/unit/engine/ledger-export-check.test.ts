// The streaming check of a ledger export (engine/ledger/export-check.ts) on exports built in
// memory: events hashed as the store hashes them (store/audit-event.ts toDoc), leaves in any order
// the exporter may write them (the tree's batches are not chain order, and leaves the signer adds
// during an export come after the events that wait), and each way a file can be wrong, each named
// once with its line, event and leaf. The root is compared with the RFC 9162 reference.
import { createHash } from 'node:crypto';
import { ExportCheck, exportedEventHash } from '../../../engine/ledger/index.js';
import { type AuditEventInput } from '../../../store/audit-event.js';
import { toDoc, toEvent } from '../../../store/audit-event.js';
import { mth } from '../../support/merkle-reference.js';
import { sha } from './ledger-support.js';

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const input = (chain: string, seq: number): AuditEventInput => ({
  chain,
  seq,
  id: `${chain}:${seq}`,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
  type: 'decision',
  instanceId: chain,
  process: 'p',
  project: null,
  policy: { name: 'P', version: 1, sha256: 'a'.repeat(64) },
  step: null,
  text: `${chain} ${seq}: Zoë → 承認`,
  actor: null,
  onBehalfOf: null,
  outcome: null,
  reasons: [],
  span: null,
});

type Line = Record<string, unknown> & { id: string; hash: string };

/** `chains` events each, hashed and linked as the ledger does, interleaved across chains. */
function ledger(chains: string[], perChain: number): Line[] {
  const out: Line[] = [];
  const last = new Map(chains.map((c) => [c, '0'.repeat(64)]));
  for (let seq = 1; seq <= perChain; seq++) {
    for (const chain of chains) {
      const event = toEvent(toDoc(input(chain, seq), last.get(chain)!));
      last.set(chain, event.hash);
      out.push(JSON.parse(JSON.stringify(event)) as Line);
    }
  }
  return out;
}

const rootOf = (events: readonly Line[]): string =>
  mth(events.map((e) => Buffer.from(e.hash, 'hex'))).toString('hex');

function run(
  lines: readonly (Line | string)[],
  head: { treeSize: number; rootHash: string },
  older?: { treeSize: number; rootHash: string },
) {
  const check = new ExportCheck({ sha256: sha, sha256Hex, head, ...(older === undefined ? {} : { older }) });
  lines.forEach((line, i) => check.add(typeof line === 'string' ? line : JSON.stringify(line), i + 1));
  return check.finish();
}

const events = ledger(['a', 'b', 'c'], 4);
const leaves = events.map((e, i) => ({ ...e, leafIndex: i }));
const head = { treeSize: 12, rootHash: rootOf(events) };

describe('the export check', () => {
  test('when events are hashed by the store, then the export hash recomputes them (leafIndex aside)', () => {
    for (const line of leaves) expect(exportedEventHash(sha256Hex, line)).toBe(line.hash);
  });

  test('when an export is intact, then it passes with its counts and the RFC root, also with leaves and chains out of order', () => {
    expect(run(leaves, head)).toEqual({
      ok: true,
      events: 12,
      chains: 3,
      leaves: 12,
      afterHead: 0,
      root: head.rootHash,
      olderRoot: null,
    });
    // Leaves written late and chains out of seq order: held back until their turn comes.
    const shuffled = [leaves[3]!, leaves[0]!, leaves[11]!, leaves[1]!, leaves[2]!, ...leaves.slice(4, 11)];
    expect(run(shuffled, head)).toMatchObject({ ok: true, leaves: 12 });
    // Events after the head (no leafIndex, or beyond its size) are chained but not leaves.
    const small = { treeSize: 9, rootHash: rootOf(events.slice(0, 9)) };
    const tail = [...leaves.slice(0, 10), events[10]!, events[11]!];
    expect(run(tail, small)).toMatchObject({ ok: true, leaves: 9, afterHead: 3 });
    // With an older head, the root of its first leaves is recomputed on the way.
    const older = { treeSize: 5, rootHash: rootOf(events.slice(0, 5)) };
    expect(run(leaves, head, older)).toMatchObject({ ok: true, olderRoot: older.rootHash });
    // Blank lines are not events.
    expect(run(['', ...leaves, '  '], head)).toMatchObject({ ok: true, events: 12 });
  });

  test('when a line is wrong, then the first problem is named at its line', () => {
    const edited = leaves.map((l) => (l.id === 'b:2' ? { ...l, text: 'edited' } : l));
    expect(run(edited, head).firstProblem).toEqual({
      problem: 'event changed',
      line: 5,
      event: 'b:2',
      leaf: 4,
      detail: expect.stringContaining(`not to its recorded hash ${leaves[4]!.hash}`) as string,
    });
    expect(run(['{"id":', ...leaves], head).firstProblem).toMatchObject({ problem: 'unparseable', line: 1 });
    expect(run(['[1]', ...leaves], head).firstProblem).toMatchObject({
      problem: 'unparseable',
      line: 1,
      detail: 'the line is not a JSON object',
    });
    const noSeq = { ...leaves[0]!, seq: 0 };
    expect(run([noSeq, ...leaves.slice(1)], head).firstProblem).toMatchObject({
      problem: 'unparseable',
      event: 'a:1',
      detail: 'the event has no valid seq',
    });
    const badLeaf = { ...leaves[0]!, leafIndex: -1 };
    expect(run([badLeaf], head).firstProblem).toMatchObject({
      problem: 'unparseable',
      detail: 'the event has no valid leafIndex',
    });
  });

  test('when chains are broken, then the link, the repeat or the gap is named', () => {
    // b:2 replaced by an event of its own making: hashes fine, the link to b:1 is not.
    const forged = toEvent(toDoc(input('b', 2), 'f'.repeat(64)));
    const relinked = leaves.map((l) =>
      l.id === 'b:2' ? { ...(JSON.parse(JSON.stringify(forged)) as Line), leafIndex: 4 } : l,
    );
    expect(run(relinked, head).firstProblem).toMatchObject({
      problem: 'broken link',
      line: 5,
      event: 'b:2',
      detail: 'chain b seq 2: prevHash is not the hash of seq 1',
    });
    expect(run([...leaves, events[0]!], head).firstProblem).toMatchObject({
      problem: 'duplicate event',
      line: 13,
      event: 'a:1',
    });
    const withoutMiddle = leaves.filter((l) => l.id !== 'c:2');
    expect(run(withoutMiddle, head).firstProblem).toMatchObject({
      problem: 'missing event',
      line: null,
      event: 'c seq 2',
    });
  });

  test('when leaves are missing, repeated or reordered, then the leaf, or the root, is named', () => {
    // The newest leaf gone with its chain's end: the chains are whole, the leaves are not.
    expect(run(leaves.slice(0, 11), head).firstProblem).toMatchObject({
      problem: 'missing leaf',
      leaf: 11,
      line: null,
    });
    expect(run([...leaves, { ...leaves[11]!, leafIndex: 3 }], head).firstProblem).toMatchObject({
      problem: 'duplicate event',
    });
    const twice = [...leaves.slice(0, 4), { ...leaves[4]!, leafIndex: 3 }];
    expect(run(twice, head).firstProblem).toMatchObject({ problem: 'duplicate leaf', leaf: 3, line: 5 });
    // Two leaves swapped: every line is fine, the root is not.
    const swapped = leaves.map((l, i) => ({ ...l, leafIndex: i === 0 ? 1 : i === 1 ? 0 : i }));
    expect(run(swapped, head).firstProblem).toMatchObject({
      problem: 'root mismatch',
      line: null,
      leaf: null,
    });
    const older = { treeSize: 5, rootHash: 'e'.repeat(64) };
    expect(run(leaves, head, older).firstProblem).toMatchObject({ problem: 'inconsistent with older head' });
  });
});
