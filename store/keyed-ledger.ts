// Ledger chains with several writers and no seq of their own: a monitor's runs, a finding's life.
// Each event is named by its chain and a key that says what it records (`run:2026-12-07T07:00Z`,
// `remind:3`), so a Temporal activity retried after it wrote, or two workers doing the same run,
// write it once; its seq is the end of the chain when it is first written. The first writer of a
// seq wins (the ledger's unique (chain, seq)); the loser finds either its own event already there
// (done) or a later end of the chain (it takes the next seq).
import type { Db } from 'mongodb';
import { AuditConflictError, type AuditEventInput, AuditLedger } from './audit.js';

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
}
