// The notifications outbox. Workflows do not send mail: an activity enqueues the message here
// (idempotently, so activity retries never send twice), and a sender process claims, delivers and
// marks items. Sending is at-least-once: a sender that dies after delivering but before marking
// leaves a lease that expires, and the item is sent again; the deterministic id lets the mail
// gateway deduplicate if it can.
//
// Why claiming is not one findOneAndUpdate per item: on FerretDB v1 neither findOneAndUpdate nor
// a filtered updateOne is atomic (it reads, applies the update in its own process, writes back).
// Measured here: five concurrent findOneAndUpdate on one due item handed it to up to five
// claimants, and 50 concurrent `$inc` left the counter at 20. What FerretDB does enforce under
// concurrency is a unique index. So each claimable state of an item carries a fresh random `rev`,
// and a claimant takes the item by inserting the marker `<id>#<rev>` into `outbox_claims`: of all
// claimants that saw the same state exactly one insert succeeds, on MongoDB and FerretDB alike.
// Only the winner then writes the item (lease, attempts, and a new `rev`, so that the lease, once
// expired, can be claimed again). A random rev rather than a counter: a state can never repeat,
// so a marker can never block an item forever.
//
// Delivered items move to `outbox_delivered`: FerretDB v1 answers the claim's find by reading
// every document of the collection, so the outbox holds only what is still to send, and its cost
// follows the backlog, not the history. The move is "copy, then delete", so an item is always in
// one of the two; `outbox_ids` remembers every id ever enqueued, so that an activity retried after
// its message was delivered (and moved) does not enqueue it a second time.
//
// Every unfinished item carries `availableAt`: for a pending item the time it may next be tried,
// for one being sent the end of its lease. "Claimable" is then one range on one field, served by
// one (status, availableAt) index, instead of an $or over two differently-shaped conditions.
import type { CollectionSpec } from './manifest.js';
import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { isDuplicateKey, parseDoc, validDate } from './documents.js';

const COLLECTION = 'outbox';
const CLAIMS = 'outbox_claims';
const DELIVERED = 'outbox_delivered';
const IDS = 'outbox_ids';

export type OutboxStatus = 'pending' | 'sending' | 'delivered';

export interface OutboxMessage {
  /** Deterministic (e.g. `<instance>:<step>:<n>`): enqueueing the same id twice is a no-op. */
  id: string;
  instanceId: string;
  step: string;
  recipients: string[];
  message: string;
  at: Date;
}

export interface OutboxItem extends OutboxMessage {
  status: OutboxStatus;
  /** Claims so far, including the current one. */
  attempts: number;
  /** While 'sending': when the claim lapses and another sender may take the item. */
  leaseUntil: Date | null;
  lastError: string | null;
  deliveredAt: Date | null;
}

/** The id is taken by a different message: deterministic ids must name one message. */
export class OutboxConflictError extends Error {
  override name = 'OutboxConflictError';

  constructor(readonly id: string) {
    super(`outbox item ${id} is already enqueued with different content`);
  }
}

export class OutboxItemNotFoundError extends Error {
  override name = 'OutboxItemNotFoundError';

  constructor(readonly id: string) {
    super(`outbox item ${id} does not exist`);
  }
}

const messageSchema = z.strictObject({
  id: z.string().min(1),
  instanceId: z.string(),
  step: z.string(),
  recipients: z.array(z.string()),
  message: z.string(),
  at: validDate,
});

const docSchema = messageSchema.omit({ id: true }).extend({
  _id: z.string(),
  status: z.enum(['pending', 'sending', 'delivered']),
  attempts: z.number().int().min(0),
  availableAt: validDate.nullable(),
  leaseUntil: validDate.nullable(),
  lastError: z.string().nullable(),
  deliveredAt: validDate.nullable(),
  /** Changes with every claimable state; see the top of this file. */
  rev: z.string(),
});
type OutboxDoc = z.infer<typeof docSchema>;

function toItem(doc: OutboxDoc): OutboxItem {
  return {
    id: doc._id,
    instanceId: doc.instanceId,
    step: doc.step,
    recipients: doc.recipients,
    message: doc.message,
    at: doc.at,
    status: doc.status,
    attempts: doc.attempts,
    leaseUntil: doc.leaseUntil,
    lastError: doc.lastError,
    deliveredAt: doc.deliveredAt,
  };
}

/** The fields that make a message the same message, for comparing a duplicate with the original. */
const sameMessage = (a: OutboxDoc, b: OutboxDoc): boolean =>
  a.instanceId === b.instanceId &&
  a.step === b.step &&
  a.message === b.message &&
  a.at.getTime() === b.at.getTime() &&
  a.recipients.length === b.recipients.length &&
  a.recipients.every((r, i) => r === b.recipients[i]);

const unfinished = { $in: ['pending', 'sending'] as OutboxStatus[] };

/** The marker that one claimant took the item out of the state named by `rev`. */
interface ClaimDoc {
  _id: string;
  item: string;
  claimedAt: Date;
}

export class Outbox {
  private readonly items: Collection<OutboxDoc>;
  private readonly claims: Collection<ClaimDoc>;
  private readonly delivered: Collection<OutboxDoc>;
  private readonly ids: Collection<{ _id: string }>;

  constructor(db: Db) {
    this.items = db.collection<OutboxDoc>(COLLECTION);
    this.claims = db.collection<ClaimDoc>(CLAIMS);
    this.delivered = db.collection<OutboxDoc>(DELIVERED);
    this.ids = db.collection<{ _id: string }>(IDS);
  }

  async ensureIndexes(): Promise<void> {
    // One index per call: FerretDB v1 panics on a multi-index createIndexes whose indexes exist.
    await this.items.createIndex({ status: 1, availableAt: 1 }, { name: 'status_available' });
    await this.items.createIndex({ instanceId: 1 }, { name: 'instance' });
    // Markers are unique by _id already; this one serves the clean-up on delivery.
    await this.claims.createIndex({ item: 1 }, { name: 'item' });
  }

  /** Adds a message to send; a second enqueue of the same id (an activity retry) does nothing. */
  async enqueue(message: OutboxMessage): Promise<void> {
    const { id, ...fields } = messageSchema.parse(message);
    const doc: OutboxDoc = {
      _id: id,
      ...fields,
      status: 'pending',
      attempts: 0,
      availableAt: fields.at,
      leaseUntil: null,
      lastError: null,
      deliveredAt: null,
      rev: randomUUID(),
    };
    try {
      await this.ids.insertOne({ _id: id });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const earlier = await this.find(id);
      if (earlier !== null) {
        if (!sameMessage(earlier, doc)) throw new OutboxConflictError(id);
        return;
      }
      // Enqueued before, yet in neither place: that enqueue died between its two inserts. Go on.
    }
    try {
      await this.items.insertOne(doc);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const raw = await this.items.findOne({ _id: id });
      if (raw === null || !sameMessage(parseDoc(docSchema, raw, COLLECTION), doc)) {
        throw new OutboxConflictError(id);
      }
    }
  }

  /**
   * Takes up to `limit` items that are pending and due, or whose lease has expired, and leases
   * them to the caller until `now + leaseMs`. Two concurrent callers never receive the same item
   * unless its lease expired in between, which is the point of a lease.
   */
  async claim(now: Date, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError('claim: `leaseMs` must be positive');
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const claimed: OutboxItem[] = [];
    // Items lost to another claimant are not asked for again: their winner may not have written
    // the item yet, and re-reading it would only lose the same race again.
    const tried: string[] = [];
    while (claimed.length < limit) {
      const candidates = await this.items
        .find({ status: unfinished, availableAt: { $lte: now }, _id: { $nin: tried } })
        // Oldest due first, so that a steady stream of new items cannot starve a retried one.
        .sort({ availableAt: 1, _id: 1 })
        .limit(limit - claimed.length)
        .toArray();
      if (candidates.length === 0) break;
      for (const raw of candidates) {
        const candidate = parseDoc(docSchema, raw, COLLECTION);
        tried.push(candidate._id);
        const item = await this.take(candidate, now, leaseUntil);
        if (item !== null) claimed.push(item);
      }
    }
    return claimed;
  }

  /** The item leased to us, or null when another claimant took this state of it first. */
  private async take(candidate: OutboxDoc, now: Date, leaseUntil: Date): Promise<OutboxItem | null> {
    try {
      await this.claims.insertOne({
        _id: `${candidate._id}#${candidate.rev}`,
        item: candidate._id,
        claimedAt: now,
      });
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
    const leased: OutboxDoc = {
      ...candidate,
      status: 'sending',
      // $set rather than $inc: FerretDB v1 loses concurrent increments, and we own this state.
      attempts: candidate.attempts + 1,
      availableAt: leaseUntil,
      leaseUntil,
      rev: randomUUID(),
    };
    const { status, attempts, availableAt, rev } = leased;
    // The filter on rev: a claimant that read a state long gone (and whose marker was cleaned up)
    // must not overwrite the item's present.
    const result = await this.items.updateOne(
      { _id: candidate._id, rev: candidate.rev },
      { $set: { status, attempts, availableAt, leaseUntil, rev } },
    );
    return result.matchedCount === 1 ? toItem(leased) : null;
  }

  /** Idempotent: marking a delivered item again keeps the first delivery time. */
  async markDelivered(id: string, at: Date): Promise<void> {
    const raw = await this.items.findOne({ _id: id });
    if (raw === null) {
      if ((await this.delivered.findOne({ _id: id })) === null) throw new OutboxItemNotFoundError(id);
      return;
    }
    const item = parseDoc(docSchema, raw, COLLECTION);
    const done: OutboxDoc = {
      ...item,
      status: 'delivered',
      deliveredAt: at,
      availableAt: null,
      leaseUntil: null,
      rev: randomUUID(),
    };
    try {
      await this.delivered.insertOne(done);
    } catch (error) {
      // Delivered twice (an expired lease): the first delivery time stands.
      if (!isDuplicateKey(error)) throw error;
    }
    await this.items.deleteOne({ _id: id });
    // A delivered item is never claimable again, so its markers have nothing left to arbitrate.
    await this.claims.deleteMany({ item: id });
  }

  /**
   * Returns the item to the queue, due again at `retryAt`. A failure reported for an item that
   * another sender has delivered meanwhile (its lease had expired) changes nothing: the message
   * did go out.
   */
  async markFailed(id: string, error: string, retryAt: Date): Promise<void> {
    const result = await this.items.updateOne(
      { _id: id, status: unfinished },
      {
        $set: {
          status: 'pending',
          availableAt: retryAt,
          leaseUntil: null,
          lastError: error,
          rev: randomUUID(),
        },
      },
    );
    if (result.matchedCount === 0 && (await this.find(id)) === null) throw new OutboxItemNotFoundError(id);
  }

  /** How many items are not delivered yet (waiting, due later, or being sent). */
  async pending(): Promise<number> {
    return this.items.countDocuments({ status: unfinished });
  }

  /** One item, for operators and tests; null when unknown. */
  async get(id: string): Promise<OutboxItem | null> {
    const doc = await this.find(id);
    return doc === null ? null : toItem(doc);
  }

  /** The item, still to send or delivered (looked for in that order: a move copies, then deletes). */
  private async find(id: string): Promise<OutboxDoc | null> {
    const raw = (await this.items.findOne({ _id: id })) ?? (await this.delivered.findOne({ _id: id }));
    return raw === null ? null : parseDoc(docSchema, raw, COLLECTION);
  }
}

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const outboxCollections: CollectionSpec[] = [];
