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
import type { Collection, Db, Filter } from 'mongodb';
import { z } from 'zod';
import { canonicalJson, sha256Hex, type SourceSpan } from '../ir/index.js';
import { AuditIndex } from './audit-index.js';
import {
  hexDigest,
  idOf,
  isDuplicateKey,
  parseDoc,
  spanSchema,
  StoredDocumentError,
  validDate,
} from './documents.js';

const COLLECTION = 'audit';

/** The `prevHash` of every chain's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventInput {
  chain: string;
  /** 1-based and contiguous within the chain. */
  seq: number;
  /** Deterministic, e.g. `<instance>:<seq>`, so that a retried append finds its own earlier write. */
  id: string;
  at: Date;
  /** 'decision' | 'refused' | 'started' | 'ended' | ... */
  type: string;
  instanceId: string;
  process: string;
  project: string | null;
  policy: { name: string; version: number; sha256: string };
  step: string | null;
  text: string;
  actor: string | null;
  onBehalfOf: string | null;
  outcome: string | null;
  reasons: { text: string; span: SourceSpan }[];
  span: SourceSpan | null;
}

export interface AuditEvent extends AuditEventInput {
  prevHash: string;
  hash: string;
}

export type AuditProblem = 'hash mismatch' | 'broken link' | 'missing event' | 'unparseable';

export interface VerifyReport {
  ok: boolean;
  chains: number;
  events: number;
  /** The first problem in (chain, seq) order. `id` is null for an event that is not there. */
  firstProblem?: { chain: string; seq: number; id: string | null; problem: AuditProblem };
}

/** Equality filters, plus `from` (inclusive) and `to` (exclusive) on `at`. */
export interface AuditFilter {
  project?: string;
  policyName?: string;
  policyVersion?: number;
  process?: string;
  instanceId?: string;
  actor?: string;
  type?: string;
  outcome?: string;
  from?: Date;
  to?: Date;
}

/** The predecessor is not stored yet: retry once it is (activities retry by themselves). */
export class MissingLinkError extends Error {
  override name = 'MissingLinkError';

  constructor(
    readonly chain: string,
    readonly seq: number,
  ) {
    super(`audit chain ${chain}: cannot append seq ${seq} before seq ${seq - 1} is stored`);
  }
}

/** An id or a (chain, seq) slot is taken by an event with different content. */
export class AuditConflictError extends Error {
  override name = 'AuditConflictError';

  constructor(
    readonly id: string,
    detail: string,
  ) {
    super(`audit event ${id}: ${detail}; stored events are immutable`);
  }
}

const inputSchema = z.strictObject({
  chain: z.string().min(1),
  seq: z.number().int().min(1),
  id: z.string().min(1),
  at: validDate,
  type: z.string().min(1),
  instanceId: z.string(),
  process: z.string(),
  project: z.string().nullable(),
  policy: z.strictObject({ name: z.string(), version: z.number(), sha256: hexDigest }),
  step: z.string().nullable(),
  text: z.string(),
  actor: z.string().nullable(),
  onBehalfOf: z.string().nullable(),
  outcome: z.string().nullable(),
  reasons: z.array(z.strictObject({ text: z.string(), span: spanSchema })),
  span: spanSchema.nullable(),
});

// Strict: a field added by hand is tampering too, and the hash would not cover it.
const docSchema = inputSchema
  .omit({ id: true })
  .extend({ _id: z.string(), prevHash: hexDigest, hash: hexDigest });
type AuditDoc = z.infer<typeof docSchema>;

/**
 * The hash of an event: over the link and the canonical JSON of every other field. `at` enters
 * as its ISO string (canonical JSON has no dates); milliseconds are all a BSON date keeps anyway.
 */
function hashOf(doc: Omit<AuditDoc, 'hash'> & { hash?: string }): string {
  // `hash` is dropped explicitly: a stored document has one, and it cannot cover itself.
  const { _id, at, hash, ...rest } = doc;
  void hash;
  return sha256Hex(doc.prevHash + canonicalJson({ ...rest, id: _id, at: at.toISOString() }));
}

function toDoc(event: AuditEventInput, prevHash: string): AuditDoc {
  const { id, ...rest } = event;
  const unhashed = { _id: id, ...rest, prevHash };
  return { ...unhashed, hash: hashOf(unhashed) };
}

function toEvent(doc: AuditDoc): AuditEvent {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

const indexed = (doc: AuditDoc) => ({
  id: doc._id,
  chain: doc.chain,
  seq: doc.seq,
  at: doc.at,
  project: doc.project,
  hash: doc.hash,
});

/** `filterFor`'s find, evaluated on one event. */
function matches(filter: AuditFilter, doc: AuditDoc): boolean {
  const equal: [unknown, unknown][] = [
    [filter.project, doc.project],
    [filter.policyName, doc.policy.name],
    [filter.policyVersion, doc.policy.version],
    [filter.process, doc.process],
    [filter.instanceId, doc.instanceId],
    [filter.actor, doc.actor],
    [filter.type, doc.type],
    [filter.outcome, doc.outcome],
  ];
  if (equal.some(([wanted, value]) => wanted !== undefined && wanted !== value)) return false;
  const at = doc.at.getTime();
  return (
    (filter.from === undefined || at >= filter.from.getTime()) &&
    (filter.to === undefined || at < filter.to.getTime())
  );
}

/** The cursor is opaque to callers; base64url so it travels in a query string untouched. */
function encodeCursor(doc: { at: Date; _id: string }): string {
  return Buffer.from(JSON.stringify([doc.at.toISOString(), doc._id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const [at, id] = z.tuple([z.iso.datetime(), z.string()]).parse(parsed);
    return { at: new Date(at), id };
  } catch {
    throw new RangeError('audit query: the `after` cursor is not one this ledger issued');
  }
}

export class AuditLedger {
  private readonly events: Collection<AuditDoc>;
  private readonly index: AuditIndex;

  constructor(db: Db) {
    this.events = db.collection<AuditDoc>(COLLECTION);
    this.index = new AuditIndex(db);
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
  }

  /**
   * Indexes every stored event (audit-index.ts): for a ledger written before the index existed.
   * Safe beside running writers; chain links are left out (appends find those without them).
   */
  async rebuildIndex(): Promise<number> {
    let batch: AuditDoc[] = [];
    let count = 0;
    for await (const raw of this.events.find({})) {
      batch.push(parseDoc(docSchema, raw, COLLECTION));
      if (batch.length === 10_000) {
        await this.index.record(batch.map(indexed), false);
        count += batch.length;
        batch = [];
      }
    }
    await this.index.record(batch.map(indexed), false);
    return count + batch.length;
  }

  /** Walks every chain (or one) in seq order and reports the first problem found. */
  async verify(filter: { chain?: string } = {}): Promise<VerifyReport> {
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

  /** Events matching `filter`, in (at, id) order, `limit` at a time. */
  async query(
    filter: AuditFilter,
    page: { after?: string; limit: number },
  ): Promise<{ events: AuditEvent[]; next: string | null }> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > 1000) {
      throw new RangeError('audit query: `limit` must be an integer from 1 to 1000');
    }
    if (filter.project !== undefined) return this.queryByProject(filter, page);
    const clauses: Filter<AuditDoc>[] = [this.filterFor(filter)];
    if (page.after !== undefined) {
      const { at, id } = decodeCursor(page.after);
      // Strictly after the last event of the previous page, ties on `at` broken by _id.
      clauses.push({ $or: [{ at: { $gt: at } }, { at, _id: { $gt: id } }] });
    }
    // One more than asked tells whether there is a next page without a second query.
    const raws = await this.events
      .find(clauses.length === 1 ? clauses[0]! : { $and: clauses })
      .sort({ at: 1, _id: 1 })
      .limit(page.limit + 1)
      .toArray();
    const docs = raws.slice(0, page.limit).map((raw) => parseDoc(docSchema, raw, COLLECTION));
    const last = docs.at(-1);
    const next = raws.length > page.limit && last !== undefined ? encodeCursor(last) : null;
    return { events: docs.map(toEvent), next };
  }

  /**
   * The same answer as the find in `query`, through the (project, day) index: days in order, each
   * day's events by `_id`, the other filters applied here. Fast where the find is a full scan.
   */
  private async queryByProject(
    filter: AuditFilter,
    page: { after?: string; limit: number },
  ): Promise<{ events: AuditEvent[]; next: string | null }> {
    const found: AuditDoc[] = [];
    const window = {
      ...(filter.from === undefined ? {} : { from: filter.from }),
      ...(filter.to === undefined ? {} : { to: filter.to }),
      ...(page.after === undefined ? {} : { after: decodeCursor(page.after) }),
    };
    await this.index.walk(filter.project ?? null, window, async (ids) => {
      for (let i = 0; i < ids.length && found.length <= page.limit;) {
        const batch = ids.slice(i, i + page.limit + 1 - found.length);
        i += batch.length;
        const raws = await Promise.all(batch.map((id) => this.events.findOne({ _id: id })));
        for (const raw of raws) {
          // An index entry is written after its event: a missing event was deleted, which verify reports.
          if (raw === null) continue;
          const doc = parseDoc(docSchema, raw, COLLECTION);
          if (matches(filter, doc)) found.push(doc);
        }
      }
      return found.length <= page.limit;
    });
    const docs = found.slice(0, page.limit);
    const last = docs.at(-1);
    const next = found.length > page.limit && last !== undefined ? encodeCursor(last) : null;
    return { events: docs.map(toEvent), next };
  }

  private filterFor(filter: AuditFilter): Filter<AuditDoc> {
    const query: Filter<AuditDoc> = {};
    if (filter.project !== undefined) query.project = filter.project;
    if (filter.policyName !== undefined) query['policy.name'] = filter.policyName;
    if (filter.policyVersion !== undefined) query['policy.version'] = filter.policyVersion;
    if (filter.process !== undefined) query.process = filter.process;
    if (filter.instanceId !== undefined) query.instanceId = filter.instanceId;
    if (filter.actor !== undefined) query.actor = filter.actor;
    if (filter.type !== undefined) query.type = filter.type;
    if (filter.outcome !== undefined) query.outcome = filter.outcome;
    if (filter.from !== undefined || filter.to !== undefined) {
      query.at = {
        ...(filter.from === undefined ? {} : { $gte: filter.from }),
        ...(filter.to === undefined ? {} : { $lt: filter.to }),
      };
    }
    return query;
  }

  /** The hash the event links to; MissingLinkError when its predecessor is not stored. */
  private async linkFor(event: AuditEventInput, previousInCall: AuditDoc | undefined): Promise<string> {
    if (event.seq === 1) return GENESIS_HASH;
    if (previousInCall !== undefined && previousInCall.seq === event.seq - 1) return previousInCall.hash;
    const indexedHash = await this.index.hashAt(event.chain, event.seq - 1);
    if (indexedHash !== null) return indexedHash;
    // Not indexed (a ledger from before the index, or a crash between the insert and the index).
    const raw = await this.events.findOne({ chain: event.chain, seq: event.seq - 1 });
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
