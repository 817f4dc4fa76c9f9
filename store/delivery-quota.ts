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
