// The audit ledger: Charter's own record of every fact, kept after Temporal has deleted the
// histories. One document per event in `audit_events` (audit-event.ts: its fields and hash),
// append-only and tamper-evident through a hash chain per `chain` (one per process instance, and
// one per instance for its refused attempts): each event stores the hash of its predecessor and a
// hash over its own content and that link. Editing any stored field breaks that event's hash;
// recomputing the hash after an edit breaks the next event's link; deleting an event leaves a gap.
//
// What guards what:
//  - one event per id, and one per (chain, seq): the unique `_id` and the unique `chain_seq`
//    index. Two writers cannot fork a chain; the loser's insert fails and is compared.
//  - immutability under activity retries (writers are Temporal activities, retried at will):
//    deterministic `_id`s and insert-or-compare, never an upsert. A retry that carries the same
//    event (same hash, which covers every field and the link) is a no-op; a different event under
//    a used id or (chain, seq) is a bug, refused loudly with AuditConflictError.
//  - no event written after one that conflicted: the batch's stored copies are read before the
//    insert, and the insert is ordered, so a concurrent writer's conflict stops the rest of the
//    batch too (unordered, a later event linked to the refused one could land and break the chain).
//  - `audit_heads` (per chain, the highest seq appended, raised with `$max` after the events):
//    lets a one-chain verify tell a deleted last event from the end of the chain. An idempotent
//    ordering rather than a transaction: a crash between the insert and the head leaves the head
//    low, which only weakens that tail check until the activity's retry raises it; never high.
import type { Collection, Db, Document } from 'mongodb';
import {
  COLLECTION,
  docSchema,
  GENESIS_HASH,
  HEADS,
  hashOf,
  INDEX,
  inputSchema,
  queryOf,
  toDoc,
  toEvent,
  type AuditDoc,
  type AuditEvent,
  type AuditEventInput,
  type AuditFilter,
  type AuditProblem,
  type VerifyReport,
  AuditConflictError,
  MissingLinkError,
} from './audit-event.js';
import { idOf, isDuplicateKey, parseDoc, StoredDocumentError, writeErrorsOf } from './documents.js';
import { findPage } from './paging.js';

export {
  AuditConflictError,
  auditCollections,
  GENESIS_HASH,
  MissingLinkError,
  type AuditEvent,
  type AuditEventInput,
  type AuditFilter,
  type AuditProblem,
  type VerifyReport,
} from './audit-event.js';

/** The list name in the query's cursors (store/paging.ts). */
const LIST = 'audit_events';
// Time, then the chain's own order for events of the same instant (a decision and the end it
// causes share one), then the id for same-instant events of different chains.
const BY_TIME = [
  { field: 'at', order: 1 },
  { field: 'seq', order: 1 },
  { field: '_id', order: 1 },
] as const;
const BY_SEQ = { chain: 1, seq: 1 } as const;

/** Checks every event before the first write, so that a bad one in the middle leaves no half batch. */
function validated(events: readonly AuditEventInput[]): AuditEventInput[] {
  return events.map((event, i) => {
    const parsed = inputSchema.safeParse(event);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new TypeError(
      `audit append: event ${i} (${JSON.stringify(event.id)}): ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  });
}

/** The `_id`s of the events whose predecessor is not earlier in the batch (they link to stored ones). */
function storedPredecessors(events: readonly AuditEventInput[]): string[] {
  const lastSeq = new Map<string, number>();
  const ids: string[] = [];
  for (const event of events) {
    if (event.seq > 1 && lastSeq.get(event.chain) !== event.seq - 1)
      ids.push(`${event.chain}:${event.seq - 1}`);
    lastSeq.set(event.chain, event.seq);
  }
  return ids;
}

/** The index of the one duplicate key an ordered insertMany stopped at; rethrows anything else. */
function duplicateAt(error: unknown): number {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const first: unknown = Array.isArray(writeErrors) ? writeErrors[0] : writeErrors;
  if (!isDuplicateKey(first) && !isDuplicateKey(error)) throw error;
  const index = (first as { index?: unknown } | undefined)?.index;
  if (typeof index !== 'number') throw error;
  return index;
}

/** The last event of a chain, as far as an append needs it: what the next event links to. */
export interface ChainEnd {
  seq: number;
  hash: string;
}

export class AuditLedger {
  private readonly events: Collection<AuditDoc>;
  private readonly heads: Collection<{ _id: string; seq: number }>;

  constructor(db: Db) {
    this.events = db.collection<AuditDoc>(COLLECTION);
    this.heads = db.collection(HEADS);
  }

  /**
   * Appends events in the order given, each linked to its predecessor in its chain (earlier in
   * this call, in `ends` as chainEnds read it, or stored). Re-appending stored events is a no-op. Commands: one find (the stored
   * predecessors and any stored copies of the batch, by `_id`), one insertMany, one updateOne per
   * chain; more only when a predecessor is not named `<chain>:<seq>` or a concurrent writer races.
   */
  async append(events: AuditEventInput[], ends: ReadonlyMap<string, ChainEnd> = new Map()): Promise<void> {
    const inputs = validated(events);
    if (inputs.length === 0) return;
    const ids = [...new Set([...storedPredecessors(inputs), ...inputs.map((e) => e.id)])];
    const stored = new Map<string, Document>();
    // No hint: SecantusDB serves `_id` equality and `$in` from its own path, and walks the whole
    // `_id_` index when told to use it (test/integration/secantusdb-differences.test.ts).
    for (const raw of await this.events.find({ _id: { $in: ids } }).toArray()) {
      stored.set(raw._id, raw);
    }
    const fresh: AuditDoc[] = [];
    const lastInCall = new Map<string, AuditDoc>();
    for (const event of inputs) {
      const end = lastInCall.get(event.chain) ?? ends.get(event.chain);
      const doc = toDoc(event, await this.linkFor(event, end, stored));
      lastInCall.set(doc.chain, doc);
      const copy = stored.get(doc._id);
      if (copy === undefined) fresh.push(doc);
      else this.acceptCopy(doc, copy);
    }
    await this.insertInOrder(fresh);
    const heads = new Map<string, number>();
    for (const { chain, seq } of inputs) heads.set(chain, Math.max(seq, heads.get(chain) ?? 0));
    await this.raiseHeads(heads);
  }

  /** The hash the event links to; MissingLinkError when its predecessor is not stored. */
  private async linkFor(
    event: AuditEventInput,
    previousInCall: ChainEnd | undefined,
    stored: ReadonlyMap<string, Document>,
  ): Promise<string> {
    if (event.seq === 1) return GENESIS_HASH;
    if (previousInCall?.seq === event.seq - 1) return previousInCall.hash;
    const named = stored.get(`${event.chain}:${event.seq - 1}`);
    // Every writer names events `<chain>:<seq>`; the find stays for an event named otherwise.
    const raw =
      named !== undefined && named['chain'] === event.chain && named['seq'] === event.seq - 1
        ? named
        : await this.events.findOne({ chain: event.chain, seq: event.seq - 1 }, { hint: INDEX.chainSeq });
    if (raw === null) throw new MissingLinkError(event.chain, event.seq);
    return parseDoc(docSchema, raw, COLLECTION).hash;
  }

  /** A stored copy of `doc` is a retry when identical; anything else is a conflict. */
  private acceptCopy(doc: AuditDoc, raw: Document): void {
    const stored = parseDoc(docSchema, raw, COLLECTION);
    // The hash covers every field and the link, so equal (and genuine) hashes mean an identical event.
    if (stored.hash === doc.hash && hashOf(stored) === stored.hash) return;
    throw new AuditConflictError(doc._id, 'already stored with different content');
  }

  /**
   * Inserts `docs` in order. A duplicate key (a concurrent writer got there first) stops the
   * insert there: the copy is compared, and the rest goes on only if it was identical.
   */
  private async insertInOrder(docs: AuditDoc[]): Promise<void> {
    let rest = docs;
    while (rest.length > 0) {
      try {
        await this.events.insertMany(rest, { ordered: true });
        return;
      } catch (error) {
        const at = duplicateAt(error);
        const doc = rest[at]!;
        const same = await this.events.findOne({ _id: doc._id });
        if (same !== null) this.acceptCopy(doc, same);
        else await this.refuseTakenSeq(doc);
        rest = rest.slice(at + 1);
      }
    }
  }

  /** The duplicate was the (chain, seq): taken by an event under another id. */
  private async refuseTakenSeq(doc: AuditDoc): Promise<never> {
    const occupant = await this.events.findOne({ chain: doc.chain, seq: doc.seq }, { hint: INDEX.chainSeq });
    if (occupant === null) {
      throw new StoredDocumentError(COLLECTION, doc._id, 'duplicate key, yet no duplicate found');
    }
    throw new AuditConflictError(
      doc._id,
      `chain ${doc.chain} seq ${doc.seq} is already taken by ${idOf(occupant)}`,
    );
  }

  /** The chain reached `seq`: `$max`, so a late or lost write leaves the head low, never high. */
  /** raiseHead for every chain of an append: one command for one chain, one bulk write for more. */
  private async raiseHeads(heads: ReadonlyMap<string, number>): Promise<void> {
    if (heads.size <= 1) {
      for (const [chain, seq] of heads) await this.raiseHead(chain, seq);
      return;
    }
    const raises = [...heads].map(([chain, seq]) => ({
      updateOne: { filter: { _id: chain }, update: { $max: { seq } }, upsert: true },
    }));
    try {
      await this.heads.bulkWrite(raises, { ordered: false });
    } catch (error) {
      const errors = writeErrorsOf(error);
      if (errors === null || !errors.every(isDuplicateKey)) throw error;
      // Concurrent first appends of some chains: those upserts lost; raise them one by one.
      for (const e of errors) {
        const raise = typeof e.index === 'number' ? raises[e.index] : undefined;
        if (raise) await this.raiseHead(raise.updateOne.filter._id, raise.updateOne.update.$max.seq);
      }
    }
  }

  private async raiseHead(chain: string, seq: number): Promise<void> {
    try {
      await this.heads.updateOne({ _id: chain }, { $max: { seq } }, { upsert: true });
    } catch (error) {
      // Two first appends of a chain upserted at once: one insert loses; the head exists now.
      if (!isDuplicateKey(error)) throw error;
      await this.heads.updateOne({ _id: chain }, { $max: { seq } });
    }
  }

  /**
   * Walks every chain (or one) in seq order and reports the first problem found. Streamed: a
   * ledger outgrows memory long before it outgrows a cursor. One chain also reads its head, so
   * that a deleted last event is reported as missing rather than read as the end.
   */
  async verify(filter: { chain?: string } = {}): Promise<VerifyReport> {
    const { chain } = filter;
    if (chain === undefined) {
      return (await walk(this.events.find({}, { sort: BY_SEQ, hint: INDEX.chainSeq }), null)).result;
    }
    // The head first: it is raised after the events, so every seq up to it is stored by now.
    const headSeq = (await this.heads.findOne({ _id: chain }))?.seq ?? 0;
    const report = await walk(this.events.find({ chain }, { sort: BY_SEQ, hint: INDEX.chainSeq }), chain);
    if (report.firstProblem !== undefined || report.lastSeq >= headSeq) return report.result;
    // The events stop short of the head: the next one was appended and is gone.
    return {
      ok: false,
      chains: 1,
      events: report.result.events,
      firstProblem: { chain, seq: report.lastSeq + 1, id: null, problem: 'missing event' },
    };
  }

  /** The events of one chain in seq order: one find. */
  async chainByName(chain: string): Promise<AuditEvent[]> {
    // Unhinted: SecantusDB plans a chain equality on `chain_seq` by itself, and walks the whole
    // index when told to use it (store/README.md); MongoDB picks the same index.
    const raws = await this.events.find({ chain }, { sort: BY_SEQ }).toArray();
    return raws.map((raw) => toEvent(parseDoc(docSchema, raw, COLLECTION)));
  }

  /** Whether an event with this id is stored: one find by `_id`. */
  async has(id: string): Promise<boolean> {
    return (await this.events.findOne({ _id: id }, { projection: { _id: 1 } })) !== null;
  }

  /** The event with this id, or null: one find by `_id`. */
  async get(id: string): Promise<AuditEvent | null> {
    const raw = await this.events.findOne({ _id: id });
    return raw === null ? null : toEvent(parseDoc(docSchema, raw, COLLECTION));
  }

  /** The events with these ids that are stored, by id: one find by `_id`. */
  /** Which of these event ids are stored: one find by `_id`, reading the ids alone. */
  async idsPresent(ids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    if (ids.length === 0) return out;
    const raws = await this.events
      .find({ _id: { $in: [...new Set(ids)] } }, { projection: { _id: 1 } })
      .toArray();
    for (const raw of raws) out.add(raw._id);
    return out;
  }

  async getMany(ids: readonly string[]): Promise<Map<string, AuditEvent>> {
    const out = new Map<string, AuditEvent>();
    if (ids.length === 0) return out;
    for (const raw of await this.events.find({ _id: { $in: [...new Set(ids)] } }).toArray()) {
      const event = toEvent(parseDoc(docSchema, raw, COLLECTION));
      out.set(event.id, event);
    }
    return out;
  }

  /**
   * The last event stored in each of `chains` (its seq and hash; absent for an empty chain): one
   * find of their events. For chains of a few events each (a finding's life); a long chain is read
   * whole. `append` takes the answer as `ends`, so that it links to them without reading again.
   */
  async chainEnds(chains: readonly string[]): Promise<Map<string, ChainEnd>> {
    const out = new Map<string, ChainEnd>();
    if (chains.length === 0) return out;
    const raws = await this.events
      .find(
        { chain: { $in: [...new Set(chains)] } },
        { projection: { chain: 1, seq: 1, hash: 1 }, batchSize: 100_000 },
      )
      .toArray();
    for (const raw of raws) {
      const { chain, seq, hash } = raw as { chain?: unknown; seq?: unknown; hash?: unknown };
      if (typeof chain !== 'string' || typeof seq !== 'number' || typeof hash !== 'string') continue;
      if (seq > (out.get(chain)?.seq ?? 0)) out.set(chain, { seq, hash });
    }
    return out;
  }

  /**
   * Every event of these chains, in no set order: one unhinted find on `chain` (SecantusDB serves
   * a one-field `$in` from the chain index; a hinted or multi-field query would walk the index).
   */
  async eventsOfChains(chains: readonly string[]): Promise<AuditEvent[]> {
    if (chains.length === 0) return [];
    const raws = await this.events
      .find({ chain: { $in: [...new Set(chains)] } }, { batchSize: 100_000 })
      .toArray();
    return raws.map((raw) => toEvent(parseDoc(docSchema, raw, COLLECTION)));
  }

  /** The highest seq stored in `chain` (0 for none): one find of one event. */
  async lastSeq(chain: string): Promise<number> {
    const last = await this.events.findOne(
      { chain },
      // Unhinted, as in chainByName: 17 ms against a second hinted on a 20,000-event ledger.
      { sort: { chain: -1, seq: -1 }, projection: { seq: 1 } },
    );
    const seq: unknown = last?.seq;
    return typeof seq === 'number' ? seq : 0;
  }

  /**
   * Events matching `filter`, in (at, seq, id) order, one page of at most `limit` (and never more than
   * the store's page size, 500; `next` then says where to go on). One find on the index of the
   * most selective field the filter names (audit-event.ts, queryOf). An instance's events include
   * its refused chain's, which carry its instanceId.
   */
  async query(
    filter: AuditFilter,
    page: { after?: string; limit: number },
  ): Promise<{ events: AuditEvent[]; next: string | null }> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > 1000) {
      throw new RangeError('audit query: `limit` must be an integer from 1 to 1000');
    }
    const { filter: query, hint } = queryOf(filter);
    const found = await findPage(this.events as unknown as Collection<Document>, {
      list: LIST,
      filter: query,
      sort: BY_TIME,
      after: page.after,
      limit: page.limit,
      parse: (raw) => toEvent(parseDoc(docSchema, raw, COLLECTION)),
      hint,
    });
    return { events: found.items, next: found.next };
  }
}

/** What a walk found: the report, and the last seq it saw in order (for the head check). */
interface Walked {
  result: VerifyReport;
  firstProblem: VerifyReport['firstProblem'];
  lastSeq: number;
}

/**
 * The checks of `verify` over raw events sorted by (chain, seq): each chain starts at seq 1 from
 * the genesis hash, every seq follows the one before, links to its hash, and hashes to its own.
 * `only` names the chain of a one-chain walk (reported even when it has no events).
 */
async function walk(raws: AsyncIterable<Document>, only: string | null): Promise<Walked> {
  let chains = 0;
  let events = 0;
  let firstProblem: VerifyReport['firstProblem'];
  let chain: string | null = only;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let started = false;
  const found = (problem: AuditProblem, seq: number, id: string | null) => {
    firstProblem ??= { chain: chain ?? '?', seq, id, problem };
  };
  for await (const raw of raws) {
    events++;
    const rawChain = typeof raw['chain'] === 'string' ? raw['chain'] : '?';
    if (!started || rawChain !== chain) {
      started = true;
      chains++;
      chain = rawChain;
      expectedSeq = 1;
      prevHash = GENESIS_HASH;
    }
    if (firstProblem !== undefined) continue;
    const parsed = docSchema.safeParse(raw);
    if (!parsed.success) {
      found('unparseable', typeof raw['seq'] === 'number' ? raw['seq'] : expectedSeq, idOf(raw));
      continue;
    }
    const doc = parsed.data;
    // A gap is the deleted event itself: name it rather than the next event's broken link.
    if (doc.seq !== expectedSeq) found('missing event', expectedSeq, null);
    else if (doc.prevHash !== prevHash) found('broken link', doc.seq, doc._id);
    else if (hashOf(doc) !== doc.hash) found('hash mismatch', doc.seq, doc._id);
    expectedSeq = doc.seq + 1;
    prevHash = doc.hash;
  }
  const result: VerifyReport =
    firstProblem === undefined ? { ok: true, chains, events } : { ok: false, chains, events, firstProblem };
  return { result, firstProblem, lastSeq: expectedSeq - 1 };
}
