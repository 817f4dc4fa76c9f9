// The whole ledger as JSON Lines in the Merkle tree's leaf order (engine/ledger/FORMAT.md,
// "Export"): what `charter audit verify --offline` checks against a signed head the auditor kept,
// with no database and no server. Each line is an event exactly as GET /v1/audit/export writes it,
// plus `leafIndex` once the event is a leaf.
//
// Order: the leaves 0..S-1 (S the tree's size when the export starts), then the events not in the
// tree yet, then the leaves the signer added while those were read. Every event is written once:
// the signer may turn a waiting event into a leaf while it is being read, so a waiting event that
// is a leaf by then is written with its index, and the last pass skips what was written already.
// Streamed a page at a time, waiting for the socket to drain (as export.ts).
import type { Response } from 'express';
import type { AuditEvent, Store } from '../../store/index.js';
import { drained } from './export.js';

const PAGE = 1_000;

type Line = AuditEvent & { leafIndex?: number };

function lines(events: readonly Line[]): string {
  return events.map((event) => `${JSON.stringify(event)}\n`).join('');
}

/** Writes `chunk`; false when the client went away. */
async function send(res: Response, chunk: string): Promise<boolean> {
  if (chunk !== '' && !res.write(chunk)) await drained(res);
  return !res.destroyed;
}

/** The events of leaves [from, to), in leaf order, a page at a time, minus those in `skip`. */
async function* leafLines(
  store: Store,
  from: number,
  to: number,
  skip: ReadonlySet<string>,
): AsyncGenerator<Line[]> {
  for await (const leaves of store.ledgerTree.leafEvents(from, to, PAGE)) {
    const wanted = leaves.filter((leaf) => !skip.has(leaf.event));
    const events = await store.audit.getMany(wanted.map((leaf) => leaf.event));
    // An event missing here was deleted after it became a leaf: left out, which the offline
    // check names as a missing leaf (the file must not hide it by inventing anything).
    yield wanted.flatMap((leaf) => {
      const event = events.get(leaf.event);
      return event === undefined ? [] : [{ ...event, leafIndex: leaf.index }];
    });
  }
}

export async function streamTreeExport(store: Store, res: Response, now: Date): Promise<void> {
  const start = await store.ledgerTree.state();
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  res.status(200);
  res.set({
    'content-type': 'application/x-ndjson; charset=utf-8',
    'content-disposition': `attachment; filename="charter-ledger-${stamp}.jsonl"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-charter-tree-size': String(start.size),
  });
  const none = new Set<string>();
  for await (const page of leafLines(store, 0, start.size, none)) if (!(await send(res, lines(page)))) return;
  // The events waiting to become leaves (ids the signer may turn into leaves as we go).
  const written = new Set<string>();
  for await (const ids of store.ledgerTree.unsignedIds(PAGE)) {
    const [events, leaves] = await Promise.all([store.audit.getMany(ids), store.ledgerTree.leavesOf(ids)]);
    const page: Line[] = [];
    for (const id of ids) {
      const event = events.get(id);
      const leaf = leaves.get(id);
      // A leaf below the start size was written above already.
      if (event === undefined || (leaf !== undefined && leaf.index < start.size) || written.has(id)) continue;
      written.add(id);
      page.push(leaf === undefined ? event : { ...event, leafIndex: leaf.index });
    }
    if (!(await send(res, lines(page)))) return;
  }
  const end = await store.ledgerTree.state();
  for await (const page of leafLines(store, start.size, end.size, written))
    if (!(await send(res, lines(page)))) return;
  res.end();
}
