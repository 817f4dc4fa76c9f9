// The per-recipient hourly limit on mail and chat (`delivery_quota`): one small counter document per
// (key, hour), `_id` = `<key>/<hour start, ISO>`, where the key is what is limited (the notifier
// uses `<recipient>/<channel>`). A runaway policy that escalates every minute then floods nobody:
// past the limit the notifier holds or digests instead of sending.
//
// Invariants and what guards them:
// - Never more than `limit` units an hour, however many workers take at once: one conditional
//   update `{_id, count < limit}` with `$inc` and upsert, atomic on the document. At the limit the
//   filter matches nothing and the upsert's insert meets the existing `_id`: a duplicate key. That
//   error also comes when two workers create the hour's counter at once (MongoDB retries such an
//   upsert itself only when the filter is an equality alone), so a duplicate key is answered with
//   the same conditional `$inc` without upsert, which the counter, existing by then, decides.
// - Old hours go by themselves: `expiresAt` (two days after the hour) under a TTL index. Nothing
//   reads a past hour, so when the monitor removes it does not matter.
import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from './documents.js';
import type { CollectionSpec } from './manifest.js';

const COLLECTION = 'delivery_quota';
/** How long an hour's counter is kept after the hour starts: long enough for any late worker. */
const KEEP_MS = 2 * 24 * 3600 * 1000;

interface QuotaDoc {
  _id: string;
  key: string;
  hourStart: Date;
  count: number;
  expiresAt: Date;
}

export class DeliveryQuota {
  private readonly counters: Collection<QuotaDoc>;

  constructor(db: Db) {
    this.counters = db.collection<QuotaDoc>(COLLECTION);
  }

  /**
   * Takes one unit of `key`'s budget for the hour starting at `hourStart`; false when `limit` units
   * were taken already (and always for a limit below 1). One command when it is granted.
   */
  async take(key: string, hourStart: Date, limit: number): Promise<boolean> {
    if (Number.isNaN(hourStart.getTime())) throw new RangeError('take: invalid `hourStart`');
    if (!(limit >= 1)) return false;
    const _id = `${key}/${hourStart.toISOString()}`;
    const underLimit = { _id, count: { $lt: limit } };
    try {
      await this.counters.updateOne(
        underLimit,
        {
          $inc: { count: 1 },
          $setOnInsert: { key, hourStart, expiresAt: new Date(hourStart.getTime() + KEEP_MS) },
        },
        { upsert: true },
      );
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // The counter exists: at the limit, or created by a concurrent take just now.
    const result = await this.counters.updateOne(underLimit, { $inc: { count: 1 } });
    return result.modifiedCount === 1;
  }

  /** See takeMany: how many units of each key are granted, in two commands for the batch. */
  takeMany(asks: readonly QuotaAsk[], hourStart: Date, limit: number): Promise<Map<string, number>> {
    if (Number.isNaN(hourStart.getTime())) throw new RangeError('takeMany: invalid `hourStart`');
    return takeMany(this.counters, asks, hourStart, limit);
  }
}

/** A batch's asks: `count` units of `key`'s budget. */
export interface QuotaAsk {
  key: string;
  count: number;
}

/**
 * `take` for a whole batch in two commands, whatever its size: every key's counter goes up by what
 * is asked (one unordered bulk write of upserts), then the counters are read back. Each `$inc` is
 * atomic, so concurrent batches get disjoint ranges of the hour's count; the units of a range
 * that lie within `limit` are granted. Returns how many of each key's units were granted (a key
 * asked twice in `asks` counts once, with the sum). A counter may pass `limit`: it counts asks.
 */
export async function takeMany(
  counters: Collection<QuotaDoc>,
  asks: readonly QuotaAsk[],
  hourStart: Date,
  limit: number,
): Promise<Map<string, number>> {
  const wanted = new Map<string, number>();
  for (const ask of asks) wanted.set(ask.key, (wanted.get(ask.key) ?? 0) + ask.count);
  const granted = new Map<string, number>();
  if (wanted.size === 0) return granted;
  const idOf = (key: string) => `${key}/${hourStart.toISOString()}`;
  const expiresAt = new Date(hourStart.getTime() + KEEP_MS);
  await counters.bulkWrite(
    [...wanted].map(([key, count]) => ({
      updateOne: {
        filter: { _id: idOf(key) },
        update: { $inc: { count }, $setOnInsert: { key, hourStart, expiresAt } },
        upsert: true,
      },
    })),
    { ordered: false },
  );
  const after = await counters.find({ _id: { $in: [...wanted.keys()].map(idOf) } }).toArray();
  const countOf = new Map(after.map((doc) => [doc.key, doc.count]));
  for (const [key, count] of wanted) {
    const before = (countOf.get(key) ?? count) - count;
    granted.set(key, Math.max(0, Math.min(count, limit - before)));
  }
  return granted;
}

/** This module's collection and the index that expires its documents (store/manifest.ts). */
export const deliveryQuotaCollections: CollectionSpec[] = [
  {
    name: COLLECTION,
    holds: "one hour's count of mail or chat messages sent to one recipient on one channel",
    shardKey: { _id: 'hashed' },
    // Takes name the `_id`; the only index is the clean-up's.
    indexes: [
      {
        name: 'expiry',
        key: { expiresAt: 1 },
        expireAfterSeconds: 0,
        serves: 'the TTL monitor removes counters two days after their hour',
      },
    ],
  },
];
