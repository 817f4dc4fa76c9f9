// How the delivery queue (deliveries.ts) hands out work: claims in batches, by lane.
//
// A claim is three or four commands, whatever the batch: the due ids (leases that ran out, on
// `lease_expiry`; then pending items lane by lane from a random one, on `claimable`, oldest first
// within a lane), one update that leases those still due and tags them with the claim's random
// token, and one read by `_id` of what carries the token. A racing claim's update matches none of
// them any more (each document's update is atomic and re-checks its filter), so the token names
// exactly the items this call won.
//
// Why so, measured on SecantusDB 0.7 (bench/notify, 10,000 queued): one findOneAndUpdate per item
// ran at 17 deliveries/s; the cost of a range read is its length, so the pending items sit in 16
// lanes (a lane is a sixteenth of the backlog, and racing deliverers start in different lanes);
// and the reads are unhinted, because a find that names its index walks all of it (250 ms
// against 14 ms for a lane). With all three: about 240 deliveries/s.
import { randomUUID } from 'node:crypto';
import type { Collection, Filter } from 'mongodb';

/** The queue's lanes: each item is in one, by a hash of its id. */
const LANES = 16;

/** How often a claim looks again when racing claimers took every item it saw. */
const CLAIM_ROUNDS = 3;

const UNFINISHED = ['pending', 'leased'];

/** The fields of a queued item a claim reads and writes. */
export interface ClaimableDoc {
  _id: string;
  status: string;
  lane: number;
  availableAt: Date;
  leaseUntil: Date | null;
  attempts: number;
  lease?: string | undefined;
}

/** The lane of an item: a string hash of its id, the same on every insert path. */
export function laneOf(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (Math.imul(hash, 31) + id.charCodeAt(i)) | 0;
  return Math.abs(hash) % LANES;
}

/**
 * Leases up to `limit` due items until `now + leaseMs` and returns them as stored after the lease,
 * in the order found. A racing claimer may take every item this one saw: it looks again (a few
 * times), so that an empty answer means an empty queue and the caller's idle wait is earned.
 */
export async function claimDue(
  items: Collection<ClaimableDoc>,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<ClaimableDoc[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  for (let round = 0; round < CLAIM_ROUNDS; round++) {
    const { seen, won } = await claimOnce(items, now, leaseUntil, limit);
    if (won.length > 0 || seen === 0) return won;
  }
  return [];
}

async function claimOnce(
  items: Collection<ClaimableDoc>,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<{ seen: number; won: ClaimableDoc[] }> {
  const ids: string[] = [];
  const take = async (filter: Filter<ClaimableDoc>): Promise<void> => {
    const found = await items
      .find(filter, { projection: { _id: 1 } })
      .sort({ availableAt: 1 })
      .limit(limit - ids.length)
      .toArray();
    ids.push(...found.map((d) => d._id));
  };
  await take({ status: 'leased', availableAt: { $lte: now } });
  const first = Math.floor(Math.random() * LANES);
  for (let i = 0; i < LANES && ids.length < limit; i++) {
    await take({ status: 'pending', lane: (first + i) % LANES, availableAt: { $lte: now } });
  }
  if (ids.length === 0) return { seen: 0, won: [] };
  const lease = randomUUID();
  await items.updateMany(
    { _id: { $in: ids }, status: { $in: UNFINISHED }, availableAt: { $lte: now } },
    { $set: { status: 'leased', availableAt: leaseUntil, leaseUntil, lease }, $inc: { attempts: 1 } },
  );
  // The `_id` list alone, the token checked here: SecantusDB scans the collection for an `_id`
  // list beside another field, hinted or not (443 ms at 10,000 items; 3 ms like this).
  const raws = await items.find({ _id: { $in: ids } }).toArray();
  const order = new Map(ids.map((id, i) => [id, i]));
  const won = raws
    .filter((raw) => raw.lease === lease)
    .sort((a, b) => (order.get(a._id) ?? 0) - (order.get(b._id) ?? 0));
  return { seen: ids.length, won };
}
