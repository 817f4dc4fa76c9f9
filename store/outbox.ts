// The notifications outbox: one document per message (`outbox`, `_id` = the message's
// deterministic id). Workflows do not send mail: an activity enqueues the message here, and a
// sender process (workflows/notifier.ts) claims, delivers and marks items. Sending is
// at-least-once: a sender that dies after delivering but before marking leaves a lease that
// expires, and the item is sent again; the id lets the receiver drop the duplicate.
//
// Invariants and what guards them:
// - A message is queued once however often its activity retries: the `_id` (insertOne; a duplicate
//   key is the retry, and a different message under a used id is refused).
// - Two senders never hold the same lease: each item is taken by one findOneAndUpdate, atomic on
//   its document; the losing sender's filter no longer matches it and it takes the next.
// - An expired lease is claimable again without a second condition: an unfinished item carries
//   `availableAt`, for a pending item the time it may next be tried, for a leased one the end of
//   its lease (the claim moves it there). "Claimable" is then `status ∈ {pending, leased}` and
//   `availableAt <= now`: two intervals of one index (`claimable`), oldest first, so a steady
//   stream of new items cannot starve a retried one.
// - Delivered items stay, with status `delivered` (so a retry of the activity after delivery still
//   finds its message and sends nothing): outside the claim's bounds, the claim's cost follows the
//   backlog, not the history. They stay for the retention period (CHARTER_OUTBOX_RETENTION_DAYS,
//   30 days by default), then the notifier removes them (`pruneDelivered`): an activity retried
//   after that long would send its message again, which receivers drop by its id.
import type { CollectionSpec } from './manifest.js';
import type { Collection, Db, Document } from 'mongodb';
import { z } from 'zod';
import { isDuplicateKey, parseDoc, validDate, writeErrorsOf } from './documents.js';

const COLLECTION = 'outbox';
/** The index every query on something other than `_id` names (SecantusDB plans `$in` only when told). */
const CLAIMABLE = 'claimable';
/** Delivered items by delivery time, for the retention sweep. */
const DELIVERED = 'delivered';

export type OutboxStatus = 'pending' | 'leased' | 'delivered';

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
  /** While 'leased': when the claim lapses and another sender may take the item. */
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
  status: z.enum(['pending', 'leased', 'delivered']),
  attempts: z.number().int().min(0),
  /** Unfinished items: when next claimable (pending: due or retry time; leased: end of lease). */
  availableAt: validDate.nullable(),
  leaseUntil: validDate.nullable(),
  lastError: z.string().nullable(),
  deliveredAt: validDate.nullable(),
});
type OutboxDoc = z.infer<typeof docSchema>;

const UNFINISHED: OutboxStatus[] = ['pending', 'leased'];

/**
 * findAndModify takes a hint by name like every other command; the driver's options type only
 * admits a key pattern, hence the cast.
 */
const CLAIM_HINT = { hint: CLAIMABLE } as unknown as { hint: Document };

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

function newDoc(message: OutboxMessage): OutboxDoc {
  const { id, ...fields } = messageSchema.parse(message);
  return {
    _id: id,
    ...fields,
    status: 'pending',
    attempts: 0,
    availableAt: fields.at,
    leaseUntil: null,
    lastError: null,
    deliveredAt: null,
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

export class Outbox {
  private readonly items: Collection<OutboxDoc>;

  constructor(db: Db) {
    this.items = db.collection<OutboxDoc>(COLLECTION);
  }

  /** Adds a message to send; a second enqueue of the same id (an activity retry) does nothing. */
  async enqueue(message: OutboxMessage): Promise<void> {
    const doc = newDoc(message);
    try {
      await this.items.insertOne(doc);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.sameAsStored(doc);
    }
  }

  /** `enqueue` for several messages in one command (the notifications of one transition). */
  async enqueueAll(messages: readonly OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (messages.length === 1) return this.enqueue(messages[0]!);
    const docs = messages.map(newDoc);
    try {
      await this.items.insertMany(docs, { ordered: false });
    } catch (error) {
      const failed = writeErrorsOf(error);
      if (failed === null || failed.length === 0 || !failed.every((e) => e.code === 11000)) throw error;
      // Retried messages: each must be the one stored under its id (rare, so one read each).
      for (const e of failed) {
        const doc = typeof e.index === 'number' ? docs[e.index] : undefined;
        if (doc === undefined) throw error;
        await this.sameAsStored(doc);
      }
    }
  }

  /** Nothing to do when `doc` is the message stored under its id; OutboxConflictError otherwise. */
  private async sameAsStored(doc: OutboxDoc): Promise<void> {
    const raw = await this.items.findOne({ _id: doc._id });
    if (raw === null || !sameMessage(parseDoc(docSchema, raw, COLLECTION), doc)) {
      throw new OutboxConflictError(doc._id);
    }
  }

  /**
   * Takes up to `limit` items that are pending and due, or whose lease has expired, oldest due
   * first, and leases them to the caller until `now + leaseMs`: one findOneAndUpdate per item.
   * Two concurrent callers never receive the same item unless its lease expired in between, which
   * is the point of a lease.
   */
  async claim(now: Date, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError('claim: `leaseMs` must be positive');
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const claimed: OutboxItem[] = [];
    while (claimed.length < limit) {
      const raw = await this.items.findOneAndUpdate(
        { status: { $in: UNFINISHED }, availableAt: { $lte: now } },
        { $set: { status: 'leased', availableAt: leaseUntil, leaseUntil }, $inc: { attempts: 1 } },
        { sort: { availableAt: 1 }, ...CLAIM_HINT, returnDocument: 'after' },
      );
      if (raw === null) break;
      claimed.push(toItem(parseDoc(docSchema, raw, COLLECTION)));
    }
    return claimed;
  }

  /** Idempotent: marking a delivered item again keeps the first delivery time. */
  async markDelivered(id: string, at: Date): Promise<void> {
    const result = await this.items.updateOne(
      { _id: id, status: { $ne: 'delivered' } },
      { $set: { status: 'delivered', deliveredAt: at, availableAt: null, leaseUntil: null } },
    );
    if (result.matchedCount === 0 && (await this.get(id)) === null) throw new OutboxItemNotFoundError(id);
  }

  /**
   * Returns the item to the queue, due again at `retryAt`. A failure reported for an item that
   * another sender has delivered meanwhile (its lease had expired) changes nothing: the message
   * did go out.
   */
  async markFailed(id: string, error: string, retryAt: Date): Promise<void> {
    const result = await this.items.updateOne(
      { _id: id, status: { $ne: 'delivered' } },
      { $set: { status: 'pending', availableAt: retryAt, leaseUntil: null, lastError: error } },
    );
    if (result.matchedCount === 0 && (await this.get(id)) === null) throw new OutboxItemNotFoundError(id);
  }

  /** How many items are not delivered yet (waiting, due later, or being sent). */
  async pending(): Promise<number> {
    return this.items.countDocuments({ status: { $in: UNFINISHED } }, { hint: CLAIMABLE });
  }

  /** When the oldest item not delivered yet happened (the outbox's lag), or null when none waits. */
  async oldestUnfinished(): Promise<Date | null> {
    // Few items wait in a healthy outbox: the claimable index bounds the scan, the sort is in memory.
    const raw = await this.items.findOne(
      { status: { $in: UNFINISHED } },
      { sort: { at: 1 }, projection: { at: 1 }, hint: CLAIMABLE },
    );
    return raw === null ? null : parseDoc(z.object({ at: validDate }), raw, COLLECTION).at;
  }

  /** Removes the items delivered before `before`; returns how many. Unfinished items always stay. */
  async pruneDelivered(before: Date): Promise<number> {
    const result = await this.items.deleteMany(
      { status: 'delivered', deliveredAt: { $lt: before } },
      { hint: DELIVERED },
    );
    return result.deletedCount;
  }

  /** One item, still to send or delivered, for operators and tests; null when unknown. */
  async get(id: string): Promise<OutboxItem | null> {
    const raw = await this.items.findOne({ _id: id });
    return raw === null ? null : toItem(parseDoc(docSchema, raw, COLLECTION));
  }
}

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const outboxCollections: CollectionSpec[] = [
  {
    name: COLLECTION,
    holds: 'one notification message: its recipients and text, and where its delivery stands',
    // Enqueue and marks name the item by `_id`. Claims name no shard key: a cluster runs them as
    // broadcast findOneAndUpdate (MongoDB 7+; on 6, leave this collection unsharded).
    shardKey: { _id: 'hashed' },
    indexes: [
      {
        name: CLAIMABLE,
        key: { status: 1, availableAt: 1 },
        serves: 'claim (pending or leased, available by now, oldest first) and the pending count',
      },
      {
        name: DELIVERED,
        key: { status: 1, deliveredAt: 1 },
        serves: 'the retention sweep (delivered before a time)',
      },
    ],
  },
];
