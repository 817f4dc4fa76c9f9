// Lists of entries under a key that FerretDB v1 reads fast and writes safely; used for the read
// paths that must stay quick at millions of documents (inboxes, the audit ledger by project and day).
//
// Why not a find with an index: FerretDB v1's SQLite backend pushes exactly one filter down to SQL,
// `{_id: <string>}`; any other find decodes the whole collection in Go (at 100,000 tasks an inbox
// query took 28.7 s, at 1,000,000 events an audit query did not answer in 170 s). Why not one
// document per key with `$push`: FerretDB applies updates in Go and writes the whole document back,
// so two concurrent pushes can lose one. So the entries of a key live in
//  - slots `<key>#<n>` (n = 1, 2, ...), each inserted once. The unique `_id` makes claiming a slot
//    atomic on both servers, and a writer takes the first free slot after the digest, so the slots
//    of a key have no gaps and a reader may stop at the first missing one;
//  - a digest `<key>` holding the entries of slots 1..through, rewritten by readers now and then.
//    It is a cache of the slots: a lost, stale or concurrent digest write costs a longer tail to
//    read, never an entry. The one exception is deliberate: `prune` drops entries the caller knows
//    to be dead for good (a closed task never reopens).
// Entries are deduplicated by `id` on read, so adding one twice (an activity retried) is harmless.
// On real MongoDB the same documents work; there the lists merely duplicate what an index would do.
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { isDuplicateKey, parseDoc } from './documents.js';

/** A tail this long is folded into the digest by the next reader. */
const FOLD_AFTER = 8;

interface SlotDoc {
  _id: string;
  key: string;
  n: number;
  entries: unknown[];
}

interface DigestDoc {
  _id: string;
  through: number;
  entries: unknown[];
}

const slotSchema = z.object({ _id: z.string(), n: z.number().int().min(1), entries: z.array(z.unknown()) });
const digestSchema = z.object({
  _id: z.string(),
  through: z.number().int().min(0),
  entries: z.array(z.unknown()),
});

export interface ListRead<E> {
  entries: E[];
  /** The last slot the entries cover: pass it back to `prune`. */
  through: number;
}

export class KeyedList<E extends { id: string }> {
  private readonly slots: Collection<SlotDoc>;
  private readonly digests: Collection<DigestDoc>;

  constructor(
    db: Db,
    private readonly name: string,
    private readonly entrySchema: z.ZodType<E>,
  ) {
    this.slots = db.collection(`${name}_slots`);
    this.digests = db.collection(`${name}_digests`);
  }

  /** Appends `entries` to the list under `key` (no-op for none). */
  async add(key: string, entries: readonly E[]): Promise<void> {
    if (entries.length === 0) return;
    const digest = await this.digests.findOne({ _id: key }, { projection: { through: 1 } });
    let n = (digest === null ? 0 : z.object({ through: z.number() }).parse(digest).through) + 1;
    for (;;) {
      try {
        await this.slots.insertOne({ _id: `${key}#${n}`, key, n, entries: [...entries] });
        return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        n++;
      }
    }
  }

  /** Every entry under `key`, deduplicated by id (the first copy wins), in no particular order. */
  async read(key: string): Promise<ListRead<E>> {
    const digest = await this.digestOf(key);
    const byId = new Map<string, E>();
    for (const entry of digest.entries) byId.set(entry.id, entry);
    let through = digest.through;
    for (;;) {
      const raw = await this.slots.findOne({ _id: `${key}#${through + 1}` });
      if (raw === null) break;
      const slot = parseDoc(slotSchema, raw, `${this.name}_slots`);
      for (const entry of slot.entries.map((e) => this.parseEntry(e, slot._id))) {
        if (!byId.has(entry.id)) byId.set(entry.id, entry);
      }
      through++;
    }
    const entries = [...byId.values()];
    if (through - digest.through >= FOLD_AFTER) await this.writeDigest(key, through, entries);
    return { entries, through };
  }

  /** Every entry under each key, read concurrently; keys in the order given. */
  async readMany(keys: readonly string[]): Promise<ListRead<E>[]> {
    return Promise.all(keys.map((key) => this.read(key)));
  }

  /**
   * Rewrites the digest of `key` without the entries in `dead`: only for entries that can never
   * come back, since a writer that re-adds one after this leaves it in a slot the digest skips.
   */
  async prune(key: string, read: ListRead<E>, dead: ReadonlySet<string>): Promise<void> {
    if (dead.size === 0) return;
    await this.writeDigest(
      key,
      read.through,
      read.entries.filter((e) => !dead.has(e.id)),
    );
  }

  /**
   * Replaces the digest of `key` outright: for bulk loads (a backfill, a benchmark's seed) that
   * know every entry of the key. Slots already there stay readable after it.
   */
  async load(key: string, entries: readonly E[]): Promise<void> {
    await this.writeDigest(key, 0, [...entries]);
  }

  private async digestOf(key: string): Promise<{ through: number; entries: E[] }> {
    const raw = await this.digests.findOne({ _id: key });
    if (raw === null) return { through: 0, entries: [] };
    const digest = parseDoc(digestSchema, raw, `${this.name}_digests`);
    return { through: digest.through, entries: digest.entries.map((e) => this.parseEntry(e, digest._id)) };
  }

  private parseEntry(entry: unknown, where: string): E {
    return parseDoc(this.entrySchema, entry, `${this.name} (${where})`);
  }

  private async writeDigest(key: string, through: number, entries: E[]): Promise<void> {
    try {
      await this.digests.replaceOne({ _id: key }, { through, entries }, { upsert: true });
    } catch (error) {
      // Two first digests of a key upserted at once: one insert loses; the document exists now.
      if (!isDuplicateKey(error)) throw error;
      await this.digests.replaceOne({ _id: key }, { through, entries });
    }
  }
}
