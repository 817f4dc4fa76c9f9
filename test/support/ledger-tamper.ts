// What an insider with write access to the database does to the audit ledger, for the tests that
// must catch it (ledger-tree, ledger-offline): rewrite a chain with every hash and link recomputed,
// and tamper for the length of one check, with both ledger collections put back afterwards.
import type { Collection, Db } from 'mongodb';
import { hashOf } from '../../store/audit-event.js';

export type EventDocs = Collection<Record<string, unknown> & { _id: string }>;

export const eventDocs = (db: Db): EventDocs => db.collection('audit_events');

/** Recomputes every hash and link of `chain` after `edit` changed its events' fields. */
export async function rehashChain(
  events: EventDocs,
  chain: string,
  edit: (doc: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  let prevHash = '0'.repeat(64);
  for (const doc of await events.find({ chain }).sort({ seq: 1 }).toArray()) {
    const rest: Record<string, unknown> = { ...edit(doc) };
    delete rest['hash'];
    delete rest['unsigned'];
    const edited = { ...rest, prevHash } as Parameters<typeof hashOf>[0];
    const hash = hashOf(edited);
    await events.replaceOne({ _id: doc._id }, { ...edited, hash });
    prevHash = hash;
  }
}

/** Runs `tamper`, then `check`, then puts the events and the chains' head records back as they were. */
export async function whileTampered<T>(
  db: Db,
  tamper: () => Promise<unknown>,
  check: () => Promise<T>,
): Promise<T> {
  const events = eventDocs(db);
  const heads = db.collection<{ _id: string }>('audit_heads');
  const [savedEvents, savedHeads] = await Promise.all([events.find({}).toArray(), heads.find({}).toArray()]);
  await tamper();
  try {
    return await check();
  } finally {
    await events.deleteMany({});
    await events.insertMany(savedEvents);
    await heads.deleteMany({});
    await heads.insertMany(savedHeads);
  }
}
