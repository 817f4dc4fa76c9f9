// Ledger chains with several writers and no seq of their own: a monitor's runs, a finding's life.
// Each event is named by its chain and a key that says what it records (`run:2026-12-07T07:00Z`,
// `remind:3`), so a Temporal activity retried after it wrote, or two workers doing the same run,
// write it once; its seq is the end of the chain when it is first written. The first writer of a
// seq wins (the ledger's unique (chain, seq)); the loser finds either its own event already there
// (done) or a later end of the chain (it takes the next seq).
import type { Db } from 'mongodb';
import { AuditConflictError, type AuditEventInput, AuditLedger, MissingLinkError } from './audit.js';

const MAX_ATTEMPTS = 50;

export type KeyedEvent = Omit<AuditEventInput, 'seq' | 'id'> & { key: string };

/** The event's `_id`: its chain and key, not its seq, so that a retry can find it. */
export const keyedEventId = (chain: string, key: string): string => `${chain}#${key}`;

export class KeyedLedger {
  private readonly ledger: AuditLedger;

  constructor(db: Db) {
    this.ledger = new AuditLedger(db);
  }

  /** Appends the event unless its chain already holds its key; answers whether it wrote. */
  async appendOnce(event: KeyedEvent): Promise<boolean> {
    const { key, ...rest } = event;
    const id = keyedEventId(event.chain, key);
    for (let round = 0; round < MAX_ATTEMPTS; round++) {
      if (await this.ledger.has(id)) return false;
      const seq = (await this.ledger.lastSeq(event.chain)) + 1;
      try {
        await this.ledger.append([{ ...rest, id, seq }]);
        return true;
      } catch (error) {
        if (!(error instanceof AuditConflictError)) throw error;
      }
    }
    throw new Error(`chain ${event.chain}: no free seq for ${key} after ${MAX_ATTEMPTS} attempts`);
  }

  /**
   * appendOnce for many events at once, answers in input order: one find of the ids already
   * written, one of the chains' ends (chainEnds: for chains of a few events, such as findings'),
   * and one append of the rest, where appendOnce takes about five round trips an event. Events of
   * one chain take consecutive seqs in input order. When another writer raced the append (a seq
   * taken in between), every event goes through appendOnce, which writes none twice.
   */
  async appendOnceMany(events: readonly KeyedEvent[]): Promise<boolean[]> {
    if (events.length <= 1) return Promise.all(events.map((e) => this.appendOnce(e)));
    const ids = events.map((e) => keyedEventId(e.chain, e.key));
    const present = await this.ledger.idsPresent(ids);
    const missing = events.flatMap((e, i) => (present.has(ids[i]!) || ids.indexOf(ids[i]!) !== i ? [] : [i]));
    if (missing.length === 0) return events.map(() => false);
    const ends = await this.ledger.chainEnds(missing.map((i) => events[i]!.chain));
    const next = new Map([...ends].map(([chain, end]) => [chain, end.seq]));
    const batch = missing.map((i) => {
      const { key, ...rest } = events[i]!;
      const seq = (next.get(rest.chain) ?? 0) + 1;
      next.set(rest.chain, seq);
      return { ...rest, id: keyedEventId(rest.chain, key), seq };
    });
    try {
      await this.ledger.append(batch, ends);
    } catch (error) {
      if (!(error instanceof AuditConflictError || error instanceof MissingLinkError)) throw error;
      // Each event is there once after appendOnce, whoever wrote it; the answer then counts
      // only what these retries wrote.
      const wrote: boolean[] = [];
      for (const e of events) wrote.push(await this.appendOnce(e));
      return wrote;
    }
    const wrote = new Set(missing);
    return events.map((_, i) => wrote.has(i));
  }
}
