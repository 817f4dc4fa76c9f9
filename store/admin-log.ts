// The ledger's `admin` chain: every change of who may do what (tokens issued and revoked, the first
// admin token, directory edits, monitor operations, signing keys), one keyed event each
// (keyed-ledger.ts), so that a retried request or a worker restarting with the same key writes it
// once. Several API processes and workers append to this one chain; the keyed ledger settles who
// takes which seq. The events carry no policy: they name the `admin` pseudo-policy with the
// genesis digest, which no published policy can have (names are identifiers, digests real).
import type { Db } from 'mongodb';
import { type AdminFact, type Fact, sentenceOf } from '../engine/facts/index.js';
import { GENESIS_HASH } from './audit-event.js';
import { KeyedLedger } from './keyed-ledger.js';

export const ADMIN_CHAIN = 'admin';
const NO_POLICY = { name: ADMIN_CHAIN, version: 0, sha256: GENESIS_HASH };

export interface AdminChange {
  /** Names the change for retries: `token:<id>:issued`, `directory:<request id>`, ... */
  key: string;
  at: Date;
  /** Who did it; null for Charter itself (the bootstrap, a worker's key). */
  actor: string | null;
  /** An admin fact, or a monitor operation (also on its monitor's chain). */
  fact: AdminFact | MonitorOperation;
}

/** An admin's operation of a monitor's schedule. */
export type MonitorOperation = Extract<
  Fact,
  { kind: 'monitorPaused' | 'monitorResumed' | 'monitorRunRequested' | 'monitorBackfillRequested' }
>;

export class AdminLog {
  private readonly ledger: KeyedLedger;

  constructor(db: Db) {
    this.ledger = new KeyedLedger(db);
  }

  /** Appends the change once under its key; answers whether this call wrote it. */
  record(change: AdminChange): Promise<boolean> {
    return this.ledger.appendOnce({
      chain: ADMIN_CHAIN,
      key: change.key,
      at: change.at,
      type: change.fact.kind,
      instanceId: ADMIN_CHAIN,
      process: ADMIN_CHAIN,
      project: null,
      policy: NO_POLICY,
      step: null,
      text: sentenceOf(change.fact),
      actor: change.actor,
      onBehalfOf: null,
      outcome: null,
      reasons: [],
      span: null,
      fact: change.fact,
    });
  }
}
