// The audit ledger: Charter's own record of every fact, kept after Temporal has deleted the
// histories. Append-only, and tamper-evident through a hash chain per `chain` (one per process
// instance, typically): each event stores the hash of its predecessor and a hash over its own
// content and that link. Editing any stored field breaks that event's hash; recomputing the hash
// after an edit breaks the next event's link; deleting an event leaves a gap in `seq`.
//
// Writers are Temporal activities, which are retried at will. Hence deterministic `_id`s and
// insert-or-compare instead of upserts: a retry that carries the same event is a no-op, a retry
// that carries a *different* event under a used id is a bug we refuse loudly. The unique index on
// (chain, seq) is what keeps two writers from forking a chain; there are no transactions to lean on.
import type { CollectionSpec } from './manifest.js';
import type { Collection, Db, Filter } from 'mongodb';
import {
  COLLECTION,
  decodeCursor,
  docSchema,
  encodeCursor,
  GENESIS_HASH,
  hashOf,
  indexed,
  inputSchema,
  matches,
  refusedChainOf,
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
import { AuditIndex, keyFor } from './audit-index.js';
import { idOf, isDuplicateKey, parseDoc, StoredDocumentError } from './documents.js';

/**
 * Events one query page reads at most (and the rest of the batch in flight). A filter its index key does not cover (a type, an outcome,
 * a version) may match few of them; the page then comes back short, with a cursor to go on from,
 * instead of reading a year of the ledger in one request.
 */
const MAX_EXAMINED = 2_000;
/** Events fetched at once while looking for matches. */
const FETCH_BATCH = 50;

export {
  AuditConflictError,
  GENESIS_HASH,
  MissingLinkError,
  type AuditEvent,
  type AuditEventInput,
  type AuditFilter,
  type AuditProblem,
  type VerifyReport,
} from './audit-event.js';

export class AuditLedger {
  private readonly events: Collection<AuditDoc>;
  private readonly index: AuditIndex;
  /** Per chain, the highest seq appended: lets a one-chain verify tell a deleted event from the end. */
  private readonly heads: Collection<{ _id: string; seq: number }>;

  /** `maxExamined`: see MAX_EXAMINED (tests lower it to reach the limit with few events). */
  constructor(
    db: Db,
    private readonly options: { maxExamined?: number } = {},
  ) {
    this.events = db.collection<AuditDoc>(COLLECTION);
    this.index = new AuditIndex(db);
    this.heads = db.collection('audit_heads');
  }

  /** Equality fields first, then the sort key `at` (which the time-window range also uses). */
  async ensureIndexes(): Promise<void> {
    // One index per call: FerretDB v1 panics on a multi-index createIndexes whose indexes exist.
    await this.events.createIndex({ chain: 1, seq: 1 }, { name: 'chain_seq_unique', unique: true });
    await this.events.createIndex({ 'policy.name': 1, at: 1 }, { name: 'policy_at' });
    await this.events.createIndex({ project: 1, at: 1 }, { name: 'project_at' });
    await this.events.createIndex({ instanceId: 1, seq: 1 }, { name: 'instance_seq' });
    await this.events.createIndex({ actor: 1, at: 1 }, { name: 'actor_at' });
    await this.events.createIndex({ type: 1, at: 1 }, { name: 'type_at' });
    await this.events.createIndex({ at: 1, _id: 1 }, { name: 'at_id' });
  }

  /**
   * Appends events in the order given, each linked to its predecessor in its chain (from earlier
   * in this call, or from the database). Re-appending stored events is a no-op. One insert per
   * event, not insertMany: each needs its own duplicate handling, and the caller's batches are small.
   */
  async append(events: AuditEventInput[]): Promise<void> {
    // All validated before the first write, so that a bad event in the middle leaves no half batch.
    const inputs = events.map((event, i) => {
      const parsed = inputSchema.safeParse(event);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      throw new TypeError(
        `audit append: event ${i} (${JSON.stringify(event.id)}): ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      );
    });
    const lastInCall = new Map<string, AuditDoc>();
    const stored: AuditDoc[] = [];
    for (const event of inputs) {
      const prevHash = await this.linkFor(event, lastInCall.get(event.chain));
      const doc = toDoc(event, prevHash);
      await this.insert(doc);
      lastInCall.set(doc.chain, doc);
      stored.push(doc);
    }
    await this.index.record(stored.map(indexed));
    for (const doc of lastInCall.values()) await this.raiseHead(doc.chain, doc.seq);
  }

  /** The chain reached `seq`: `$max`, so a late or lost write leaves the head low, never high. */
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
   * Indexes every stored event (audit-index.ts): for a ledger written before the index existed.
   * Safe beside running writers; chain links are left out (appends find those without them).
   */
  async rebuildIndex(): Promise<number> {
    let batch: AuditDoc[] = [];
    let count = 0;
    const heads = new Map<string, number>();
    for await (const raw of this.events.find({})) {
      const doc = parseDoc(docSchema, raw, COLLECTION);
      batch.push(doc);
      heads.set(doc.chain, Math.max(heads.get(doc.chain) ?? 0, doc.seq));
      if (batch.length === 10_000) {
        await this.index.record(batch.map(indexed));
        count += batch.length;
        batch = [];
      }
    }
    await this.index.record(batch.map(indexed));
    for (const [chain, seq] of heads) await this.raiseHead(chain, seq);
    return count + batch.length;
  }

  /** Walks every chain (or one) in seq order and reports the first problem found. */
  async verify(filter: { chain?: string } = {}): Promise<VerifyReport> {
    if (filter.chain !== undefined) {
      const report = await this.verifyByName(filter.chain);
      if (report !== null) return report;
    }
    const query: Filter<AuditDoc> = filter.chain === undefined ? {} : { chain: filter.chain };
    let chains = 0;
    let events = 0;
    let firstProblem: VerifyReport['firstProblem'];
    let chain: string | null = null;
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    const found = (problem: AuditProblem, seq: number, id: string | null) => {
      firstProblem ??= { chain: chain ?? '?', seq, id, problem };
    };
    // Streamed: a ledger outgrows memory long before it outgrows a cursor.
    for await (const raw of this.events.find(query).sort({ chain: 1, seq: 1 })) {
      events++;
      const rawChain = typeof raw.chain === 'string' ? raw.chain : '?';
      if (rawChain !== chain) {
        chains++;
        chain = rawChain;
        expectedSeq = 1;
        prevHash = GENESIS_HASH;
      }
      if (firstProblem !== undefined) continue;
      const parsed = docSchema.safeParse(raw);
      if (!parsed.success) {
        found('unparseable', typeof raw.seq === 'number' ? raw.seq : expectedSeq, idOf(raw));
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
    return firstProblem === undefined
      ? { ok: true, chains, events }
      : { ok: false, chains, events, firstProblem };
  }

  /**
   * One chain, its events read by `_id` (`<chain>:1`, `:2`, ...) up to the chain's head and on to
   * the first gap, with the checks of `verify`'s walk: on FerretDB, where a find on `chain` reads
   * the whole ledger. Null for a chain without a head or events named so (the walk decides then).
   */
  private async verifyByName(chain: string): Promise<VerifyReport | null> {
    const head = (await this.heads.findOne({ _id: chain }))?.seq ?? 0;
    let events = 0;
    let prevHash = GENESIS_HASH;
    let firstProblem: VerifyReport['firstProblem'];
    for (let seq = 1; ; seq++) {
      const raw = await this.events.findOne({ _id: `${chain}:${seq}` });
      if (raw === null) {
        if (seq > head) break;
        firstProblem ??= { chain, seq, id: null, problem: 'missing event' };
        continue;
      }
      events++;
      if (firstProblem !== undefined) continue;
      const parsed = docSchema.safeParse(raw);
      if (!parsed.success || parsed.data.chain !== chain || parsed.data.seq !== seq) {
        firstProblem = { chain, seq, id: idOf(raw), problem: 'unparseable' };
      } else if (parsed.data.prevHash !== prevHash) {
        firstProblem = { chain, seq, id: parsed.data._id, problem: 'broken link' };
      } else if (hashOf(parsed.data) !== parsed.data.hash) {
        firstProblem = { chain, seq, id: parsed.data._id, problem: 'hash mismatch' };
      }
      prevHash = parsed.data?.hash ?? prevHash;
    }
    if (events === 0 && head === 0) return null;
    return firstProblem === undefined
      ? { ok: true, chains: 1, events }
      : { ok: false, chains: 1, events, firstProblem };
  }

  /**
   * The events of one chain named `<chain>:<seq>`, in seq order, read by `_id` up to the first gap
   * past the head: a short chain's contents without a find on `chain` (a ledger scan on FerretDB).
   */
  async chainByName(chain: string): Promise<AuditEvent[]> {
    return (await this.chainDocs(chain)).map(toEvent);
  }

  private async chainDocs(chain: string): Promise<AuditDoc[]> {
    const head = (await this.heads.findOne({ _id: chain }))?.seq ?? 0;
    const docs: AuditDoc[] = [];
    for (let seq = 1; ; seq++) {
      const raw = await this.events.findOne({ _id: `${chain}:${seq}` });
      if (raw === null && seq > head) return docs;
      if (raw !== null) docs.push(parseDoc(docSchema, raw, COLLECTION));
    }
  }

  /** Events matching `filter`, in (at, id) order, `limit` at a time. */
  async query(
    filter: AuditFilter,
    page: { after?: string; limit: number },
  ): Promise<{ events: AuditEvent[]; next: string | null }> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > 1000) {
      throw new RangeError('audit query: `limit` must be an integer from 1 to 1000');
    }
    if (filter.instanceId !== undefined) return this.queryByInstance(filter, filter.instanceId, page);
    return this.queryIndexed(filter, page);
  }

  /**
   * Through the index (audit-index.ts): the most selective key the filter names, its days in
   * order, each day's events by `_id`, the whole filter checked here on each. On FerretDB any find
   * but by `_id` reads the whole ledger; a million events take minutes.
   */
  private async queryIndexed(
    filter: AuditFilter,
    page: { after?: string; limit: number },
  ): Promise<{ events: AuditEvent[]; next: string | null }> {
    const found: AuditDoc[] = [];
    let examined = 0;
    let lastExamined: AuditDoc | null = null;
    const window = {
      ...(filter.from === undefined ? {} : { from: filter.from }),
      ...(filter.to === undefined ? {} : { to: filter.to }),
      ...(page.after === undefined ? {} : { after: decodeCursor(page.after) }),
    };
    const maxExamined = this.options.maxExamined ?? MAX_EXAMINED;
    const wanted = () => found.length <= page.limit && examined < maxExamined;
    await this.index.walk(keyFor(filter), window, async (ids) => {
      for (let i = 0; i < ids.length && wanted();) {
        // At least a screenful at once: a filter the key does not cover may skip most of them.
        const batch = ids.slice(i, i + Math.max(page.limit + 1 - found.length, FETCH_BATCH));
        i += batch.length;
        const raws = await Promise.all(batch.map((id) => this.events.findOne({ _id: id })));
        for (const raw of raws) {
          // An index entry is written after its event: a missing event was deleted, which verify reports.
          if (raw === null) continue;
          const doc = parseDoc(docSchema, raw, COLLECTION);
          examined++;
          lastExamined = doc;
          if (matches(filter, doc)) found.push(doc);
        }
      }
      return wanted();
    });
    const docs = found.slice(0, page.limit);
    const last = docs.at(-1);
    if (found.length > page.limit && last !== undefined) {
      return { events: docs.map(toEvent), next: encodeCursor(last) };
    }
    // Stopped after maxExamined events short of a page: what was found, and where to go on from.
    const stoppedAt: AuditDoc | null = examined >= maxExamined ? lastExamined : null;
    return { events: docs.map(toEvent), next: stoppedAt === null ? null : encodeCursor(stoppedAt) };
  }

  /**
   * From the instance's two chains (its own and its refused attempts) read by `_id`: every writer
   * names events `<chain>:<seq>`, so an instance without them has no events.
   */
  private async queryByInstance(
    filter: AuditFilter,
    instanceId: string,
    page: { after?: string; limit: number },
  ): Promise<{ events: AuditEvent[]; next: string | null }> {
    const chains = await Promise.all([instanceId, refusedChainOf(instanceId)].map((c) => this.chainDocs(c)));
    const after = page.after === undefined ? null : decodeCursor(page.after);
    const found = chains
      .flat()
      .filter((doc) => matches(filter, doc))
      .filter((doc) => {
        const at = doc.at.getTime();
        return after === null || at > after.at.getTime() || (at === after.at.getTime() && doc._id > after.id);
      })
      .sort((a, b) => a.at.getTime() - b.at.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    const docs = found.slice(0, page.limit);
    const last = docs.at(-1);
    const next = found.length > page.limit && last !== undefined ? encodeCursor(last) : null;
    return { events: docs.map(toEvent), next };
  }

  /** The hash the event links to; MissingLinkError when its predecessor is not stored. */
  private async linkFor(event: AuditEventInput, previousInCall: AuditDoc | undefined): Promise<string> {
    if (event.seq === 1) return GENESIS_HASH;
    if (previousInCall !== undefined && previousInCall.seq === event.seq - 1) return previousInCall.hash;
    // By `_id` first: every writer names events `<chain>:<seq>`, and a find on (chain, seq) reads
    // the whole ledger on FerretDB. The find stays for events named otherwise.
    const named = await this.events.findOne({ _id: `${event.chain}:${event.seq - 1}` });
    const raw =
      named !== null && named.chain === event.chain && named.seq === event.seq - 1
        ? named
        : await this.events.findOne({ chain: event.chain, seq: event.seq - 1 });
    if (raw === null) throw new MissingLinkError(event.chain, event.seq);
    return parseDoc(docSchema, raw, COLLECTION).hash;
  }

  /** Inserts, or accepts an identical stored copy (a retry); anything else is a conflict. */
  private async insert(doc: AuditDoc): Promise<void> {
    try {
      await this.events.insertOne(doc);
      return;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const same = await this.events.findOne({ _id: doc._id });
    if (same !== null) {
      const stored = parseDoc(docSchema, same, COLLECTION);
      // The hash covers every field and the link, so equal hashes mean an identical event.
      if (stored.hash === doc.hash && hashOf(stored) === stored.hash) return;
      throw new AuditConflictError(doc._id, 'already stored with different content');
    }
    const occupant = await this.events.findOne({ chain: doc.chain, seq: doc.seq });
    if (occupant === null)
      throw new StoredDocumentError(COLLECTION, doc._id, 'duplicate key, yet no duplicate found');
    throw new AuditConflictError(
      doc._id,
      `chain ${doc.chain} seq ${doc.seq} is already taken by ${idOf(occupant)}`,
    );
  }
}

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const auditCollections: CollectionSpec[] = [];
