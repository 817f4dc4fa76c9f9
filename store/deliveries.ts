// The delivery queue of notifications (`deliveries`): one document per (notice, channel), `_id` =
// `<notice id>/<channel>`, and one per digest (`_id` chosen by the caller, e.g. the recipient and
// the digest's day), which gathers several notices into one mail. Activities post the notices of a
// transition here; the notifier worker claims items, decides (preferences, working hours, quota),
// and sends, holds, skips, digests or fails each one. Sending is at-least-once, as with the outbox
// (store/outbox.ts, which still carries the signed integration webhooks): a worker that dies after
// sending but before marking leaves a lease that expires, and the item is sent again.
//
// Invariants and what guards them:
// - A delivery is queued once however often its activity retries: the `_id` is deterministic and
//   insertMany is unordered, so a duplicate key is that retry, ignored, and the rest still land.
// - Two workers never hold the same lease: a claim leases its batch in one update conditioned on
//   each item still being due, atomic per document, and tagged with the claim's random token; it
//   takes what carries its token. As in the outbox, an unfinished item carries `availableAt`
//   (pending: when it may next be tried; leased: the end of its lease), so "claimable" is
//   `status ∈ {pending, leased}` and `availableAt <= now`, read from one index (`claimable`):
//   expired leases, then pending items lane by lane (each item is in one of 16 lanes by a hash of
//   its id), oldest first within a lane.
// - Finishing is final: every mark is conditioned on an unfinished status, so a late report from a
//   worker whose lease lapsed never undoes what another worker did; only an admin's retryFailed
//   (conditioned on `failed`) puts a finished item back.
// - A digest takes notices only while pending: a conditional update with upsert on
//   `{_id, status: 'pending', notice not in it}`. When the digest exists but the filter fails, the
//   upsert's insert meets the `_id` and fails with a duplicate key; one read then tells a retry
//   (the notice is in it: added), a closed digest (leased or finished: the caller takes the next
//   period's) and a concurrent creation (pending: try again).
// - Finished items stay (status and times for admins) outside the claim's bounds: the claim's cost
//   follows the backlog, not the history. The failed list is its own index, newest failure first.
import type { Collection, Db, Document, UpdateFilter } from 'mongodb';
import { z } from 'zod';
import { DELIVERY_CHANNELS, type DeliveryChannel, type Notice } from '../engine/notices/types.js';
import { isDuplicateKey, parseDoc, validDate, writeErrorsOf } from './documents.js';
import { type ClaimableDoc, claimDue, laneOf } from './delivery-claims.js';
import type { CollectionSpec } from './manifest.js';
import { noticeSchema, storedNotice } from './notifications.js';
import { findPage, type SortField } from './paging.js';

const COLLECTION = 'deliveries';
/** Index names, as the manifest below declares them (the failed list hints its own). */
const CLAIMABLE = 'claimable';
const FAILED = 'failed';

export const DELIVERY_STATUSES = ['pending', 'leased', 'delivered', 'failed', 'skipped', 'digested'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface NewDelivery {
  id: string;
  channel: DeliveryChannel;
  recipient: string;
  /** One notice; a digest holds several. */
  notices: Notice[];
  digest: boolean;
  availableAt: Date;
}

export interface Delivery extends NewDelivery {
  status: DeliveryStatus;
  /** Claims so far, including the current one; holds are not counted. */
  attempts: number;
  /** While 'leased': when the claim lapses and another worker may take the item. */
  leaseUntil: Date | null;
  lastError: string | null;
  deliveredAt: Date | null;
  failedAt: Date | null;
  /** Why it was skipped, held or digested (for admins), e.g. "held until 2026-12-07 09:00 Europe/Berlin (outside working hours)". */
  note: string | null;
  createdAt: Date;
}

export class DeliveryNotFoundError extends Error {
  override name = 'DeliveryNotFoundError';

  constructor(readonly id: string) {
    super(`delivery ${id} does not exist`);
  }
}

interface DeliveryDoc {
  _id: string;
  channel: DeliveryChannel;
  recipient: string;
  notices: Notice[];
  digest: boolean;
  /** Unfinished items: when next claimable (pending: due, hold or retry time; leased: end of lease). */
  availableAt: Date;
  status: DeliveryStatus;
  attempts: number;
  leaseUntil: Date | null;
  lastError: string | null;
  deliveredAt: Date | null;
  failedAt: Date | null;
  /** When the item left the queue (delivered, failed, skipped, digested); for admins and clean-up. */
  finishedAt: Date | null;
  note: string | null;
  createdAt: Date;
  lease?: string | undefined;
  lane: number;
}

const docSchema: z.ZodType<DeliveryDoc> = z.object({
  _id: z.string(),
  channel: z.enum(DELIVERY_CHANNELS),
  recipient: z.string(),
  notices: z.array(noticeSchema),
  digest: z.boolean(),
  availableAt: validDate,
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  leaseUntil: validDate.nullable(),
  lastError: z.string().nullable(),
  deliveredAt: validDate.nullable(),
  failedAt: validDate.nullable(),
  finishedAt: validDate.nullable(),
  note: z.string().nullable(),
  createdAt: validDate,
  /** The token of the claim that last leased the item (absent before its first claim). */
  lease: z.string().optional(),
  lane: z.number().int(),
});

const UNFINISHED: DeliveryStatus[] = ['pending', 'leased'];

/** The admin's failed list: newest failure first, `_id` last so that the order is total. */
const NEWEST_FAILURE_FIRST: readonly SortField[] = [
  { field: 'failedAt', order: -1 },
  { field: '_id', order: -1 },
];

/** How often addToDigest tries again after losing the digest's creation to a concurrent add. */
const DIGEST_ATTEMPTS = 3;

function toDelivery(raw: Document): Delivery {
  const doc = parseDoc(docSchema, raw, COLLECTION);
  return {
    id: doc._id,
    channel: doc.channel,
    recipient: doc.recipient,
    notices: doc.notices,
    digest: doc.digest,
    availableAt: doc.availableAt,
    status: doc.status,
    attempts: doc.attempts,
    leaseUntil: doc.leaseUntil,
    lastError: doc.lastError,
    deliveredAt: doc.deliveredAt,
    failedAt: doc.failedAt,
    note: doc.note,
    createdAt: doc.createdAt,
  };
}

/** The bookkeeping fields of a new item, besides its status: everything the caller does not name. */
const bookkeeping = (createdAt: Date) => ({
  attempts: 0,
  leaseUntil: null,
  lastError: null,
  deliveredAt: null,
  failedAt: null,
  finishedAt: null,
  note: null,
  createdAt,
});

function newDoc(item: NewDelivery, createdAt: Date): DeliveryDoc {
  if (Number.isNaN(item.availableAt.getTime()))
    throw new RangeError(`delivery ${item.id}: invalid availableAt`);
  return {
    _id: item.id,
    channel: item.channel,
    recipient: item.recipient,
    notices: item.notices.map(storedNotice),
    digest: item.digest,
    availableAt: item.availableAt,
    status: 'pending',
    lane: laneOf(item.id),
    ...bookkeeping(createdAt),
  };
}

/** Whether a failed insertMany failed only on duplicate keys, whatever copy of the driver threw it. */
function onlyDuplicateKeys(error: unknown): boolean {
  const errors = writeErrorsOf(error);
  return errors !== null && errors.length > 0 && errors.every(isDuplicateKey);
}

/** The three deliveries (inapp, email, chat) of each notice, available at the notice's time. */
export function deliveriesOf(notices: readonly Notice[]): NewDelivery[] {
  return notices.flatMap((notice) =>
    DELIVERY_CHANNELS.map((channel) => ({
      id: `${notice.id}/${channel}`,
      channel,
      recipient: notice.recipient,
      notices: [notice],
      digest: false,
      availableAt: new Date(notice.at),
    })),
  );
}

export class Deliveries {
  private readonly items: Collection<DeliveryDoc>;

  constructor(db: Db) {
    this.items = db.collection<DeliveryDoc>(COLLECTION);
  }

  /** Queues the items in one unordered insert; items already queued (a retry) are left as they are. */
  async enqueueAll(items: readonly NewDelivery[]): Promise<void> {
    if (items.length === 0) return;
    const createdAt = new Date();
    const docs = items.map((item) => newDoc(item, createdAt));
    try {
      await this.items.insertMany(docs, { ordered: false });
    } catch (error) {
      if (!onlyDuplicateKeys(error)) throw error;
    }
  }

  /** Queues the three deliveries of each notice. */
  async post(notices: readonly Notice[]): Promise<void> {
    await this.enqueueAll(deliveriesOf(notices));
  }

  /**
   * Takes up to `limit` due items (pending and due, or leased with the lease run out) and leases
   * them until `now + leaseMs`; see delivery-claims.ts for how, and why in batches. Two concurrent
   * callers never receive the same item unless its lease expired in between.
   */
  async claim(now: Date, leaseMs: number, limit: number): Promise<Delivery[]> {
    if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError('claim: `leaseMs` must be positive');
    const raws = await claimDue(this.items as unknown as Collection<ClaimableDoc>, now, leaseMs, limit);
    return raws.map(toDelivery);
  }

  /**
   * markDelivered for a batch in one command: the ids still unfinished become delivered at `at`
   * (a delivered or failed one keeps its state). No error for unknown ids: the batch was claimed.
   */
  async markDeliveredMany(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.items.updateMany(
      { _id: { $in: [...ids] }, status: { $in: UNFINISHED } },
      { $set: { status: 'delivered', deliveredAt: at, finishedAt: at, leaseUntil: null } },
    );
  }

  async markDelivered(id: string, at: Date): Promise<void> {
    await this.finish(id, { status: 'delivered', deliveredAt: at, finishedAt: at, leaseUntil: null });
  }

  /** Back to pending, due at `retryAt`, with the error kept for the next attempt's report. */
  async retryLater(id: string, error: string, retryAt: Date): Promise<void> {
    await this.finish(id, { status: 'pending', availableAt: retryAt, leaseUntil: null, lastError: error });
  }

  /** A permanent failure: listed for admins (pageFailed), who may retry it (retryFailed). */
  async markFailed(id: string, error: string, at: Date): Promise<void> {
    await this.finish(id, {
      status: 'failed',
      failedAt: at,
      finishedAt: at,
      lastError: error,
      leaseUntil: null,
    });
  }

  /** Not sent by choice or for lack of an address. */
  async skip(id: string, note: string, at: Date): Promise<void> {
    await this.finish(id, { status: 'skipped', note, finishedAt: at, leaseUntil: null });
  }

  /**
   * Back to pending until `until`, with the note. A hold is not an attempt: the claim that counted
   * one is undone, so retry limits count real sends only. An item held without a claim (pending)
   * keeps its count.
   */
  async hold(id: string, until: Date, note: string): Promise<void> {
    const set = { status: 'pending' as const, availableAt: until, leaseUntil: null, note };
    const leased = await this.items.updateOne(
      { _id: id, status: 'leased' },
      { $set: set, $inc: { attempts: -1 } },
    );
    if (leased.matchedCount === 1) return;
    await this.finish(id, set, ['pending']);
  }

  /** The item went into digest `digestId`, which is delivered in its place. */
  async markDigested(id: string, digestId: string, at: Date): Promise<void> {
    await this.finish(id, {
      status: 'digested',
      note: `digest ${digestId}`,
      finishedAt: at,
      leaseUntil: null,
    });
  }

  /**
   * Adds `notice` to the digest delivery `digestId`, creating it pending (due at `availableAt`)
   * when absent. 'added' also when the notice is already in it (a retry); 'closed' when the digest
   * exists but is no longer pending: the caller then uses the next period's digest.
   */
  async addToDigest(
    digestId: string,
    recipient: string,
    channel: DeliveryChannel,
    notice: Notice,
    availableAt: Date,
  ): Promise<'added' | 'closed'> {
    // A new digest's `status: 'pending'` comes from the filter's equality, as upserts do.
    const update: UpdateFilter<DeliveryDoc> = {
      $push: { notices: storedNotice(notice) },
      $setOnInsert: {
        channel,
        recipient,
        digest: true,
        availableAt,
        lane: laneOf(digestId),
        ...bookkeeping(new Date()),
      },
    };
    for (let attempt = 0; attempt < DIGEST_ATTEMPTS; attempt++) {
      try {
        await this.items.updateOne(
          { _id: digestId, status: 'pending', 'notices.id': { $ne: notice.id } },
          update,
          { upsert: true },
        );
        return 'added';
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const raw = await this.items.findOne({ _id: digestId });
      if (raw === null) continue; // removed in between: create it again
      const digest = toDelivery(raw);
      if (digest.notices.some((n) => n.id === notice.id)) return 'added';
      if (digest.status !== 'pending') return 'closed';
      // Pending without the notice: a concurrent add created it after our filter missed. Again.
    }
    throw new Error(`digest ${digestId}: could not add notice ${notice.id} (${DIGEST_ATTEMPTS} attempts)`);
  }

  /** The failed items, newest failure first, `limit` after the page `cursor` ended. */
  async pageFailed(
    cursor: string | null,
    limit: number,
  ): Promise<{ items: Delivery[]; nextCursor: string | null }> {
    const page = await findPage(this.items as unknown as Collection<Document>, {
      list: 'deliveries.failed',
      filter: { status: 'failed' },
      sort: NEWEST_FAILURE_FIRST,
      ...(cursor === null ? {} : { after: cursor }),
      limit,
      parse: toDelivery,
      hint: FAILED,
    });
    return { items: page.items, nextCursor: page.next };
  }

  /** An admin's retry: a failed item back to pending at `at`, attempts 0, lastError kept. */
  async retryFailed(id: string, at: Date): Promise<boolean> {
    const result = await this.items.updateOne(
      { _id: id, status: 'failed' },
      {
        $set: {
          status: 'pending',
          availableAt: at,
          attempts: 0,
          leaseUntil: null,
          failedAt: null,
          finishedAt: null,
        },
      },
    );
    return result.matchedCount === 1;
  }

  /** How many items are in each status: one count per status, each on the claimable index's prefix. */
  async countByStatus(): Promise<Record<DeliveryStatus, number>> {
    const counts = await Promise.all(
      // Unhinted, like the claim: the planner takes `claimable` for a status equality.
      DELIVERY_STATUSES.map((status) => this.items.countDocuments({ status })),
    );
    return Object.fromEntries(DELIVERY_STATUSES.map((status, i) => [status, counts[i]!])) as Record<
      DeliveryStatus,
      number
    >;
  }

  async get(id: string): Promise<Delivery | null> {
    const raw = await this.items.findOne({ _id: id });
    return raw === null ? null : toDelivery(raw);
  }

  /**
   * Sets `fields` on the item if it is in one of `from` (by default: unfinished); a finished item
   * is left as it is. DeliveryNotFoundError when no item has the id.
   */
  private async finish(
    id: string,
    fields: Partial<DeliveryDoc>,
    from: readonly DeliveryStatus[] = UNFINISHED,
  ): Promise<void> {
    const result = await this.items.updateOne({ _id: id, status: { $in: [...from] } }, { $set: fields });
    if (result.matchedCount === 1) return;
    // By `_id` alone, unhinted: SecantusDB serves that from its own `_id` path.
    if ((await this.items.findOne({ _id: id }, { projection: { _id: 1 } })) === null) {
      throw new DeliveryNotFoundError(id);
    }
  }
}

/** This module's collection and the indexes its queries use (store/manifest.ts). */
export const deliveryCollections: CollectionSpec[] = [
  {
    name: COLLECTION,
    holds: 'one delivery of a notice to one channel, or a digest of several: its status and attempts',
    // Enqueue, marks and digests name the `_id`. Claims name no shard key: a cluster runs them as
    // broadcast findOneAndUpdate (MongoDB 7+; on 6, leave this collection unsharded).
    shardKey: { _id: 'hashed' },
    indexes: [
      {
        name: CLAIMABLE,
        key: { status: 1, lane: 1, availableAt: 1 },
        serves: 'claim (pending items of a lane, available by now, oldest first) and the counts by status',
      },
      {
        name: 'lease_expiry',
        key: { status: 1, availableAt: 1 },
        serves:
          'claim (leases that ran out: a status and a range, which `claimable` with its lane between does not serve)',
      },
      {
        name: FAILED,
        key: { status: 1, failedAt: -1, _id: -1 },
        serves: 'the failed deliveries, newest failure first (Deliveries.pageFailed)',
      },
    ],
  },
];
