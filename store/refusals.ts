// Refused attempts: an approver's action that the engine (or the API, for a closed task) turned
// down. Auditors need them as much as the accepted ones ("who tried to approve their own
// request?"), so each goes into the audit ledger (`audit_events`, audit.ts), tamper-evident like
// everything else there. No collection of its own: one refused attempt is one ledger event.
//
// Why a chain of their own, `<instance>/refused`: the instance's chain is written by workflow
// activities with seq numbers the workflow decides; an API process appending to it would race
// them and could take a seq an activity is about to retry, which the ledger refuses forever. On
// the separate chain the API is the only writer: read the last seq (one find of one event on the
// ledger's `chain_seq` index), append seq + 1, and when two requests race the unique (chain, seq)
// index lets one win and the other re-reads and retries. Its events carry the instance's id, so a
// ledger query by instance returns them beside the instance's own.
import type { Db } from 'mongodb';
import { AuditConflictError, type AuditEvent, type AuditEventInput, AuditLedger } from './audit.js';
import { refusedChainOf } from './audit-event.js';

const MAX_ATTEMPTS = 50;

export { refusedChainOf };

export interface RefusedAttempt {
  instanceId: string;
  process: string;
  project: string | null;
  policy: { name: string; version: number; sha256: string };
  step: string;
  actor: string;
  onBehalfOf: string | null;
  /** The refusal's code (`excluded`, `already-decided`, ...). */
  code: string;
  /** The engine's sentence, for people. */
  message: string;
  at: Date;
}

export class RefusalLog {
  private readonly ledger: AuditLedger;

  constructor(db: Db) {
    this.ledger = new AuditLedger(db);
  }

  /** Appends the attempt at the end of its instance's refused chain and returns the stored input. */
  async record(attempt: RefusedAttempt): Promise<AuditEventInput> {
    const chain = refusedChainOf(attempt.instanceId);
    for (let round = 0; round < MAX_ATTEMPTS; round++) {
      const seq = (await this.ledger.lastSeq(chain)) + 1;
      const event: AuditEventInput = {
        chain,
        seq,
        id: `${chain}:${seq}`,
        at: attempt.at,
        type: 'refused',
        instanceId: attempt.instanceId,
        process: attempt.process,
        project: attempt.project,
        policy: attempt.policy,
        step: attempt.step,
        text: attempt.message,
        actor: attempt.actor,
        onBehalfOf: attempt.onBehalfOf,
        outcome: attempt.code,
        reasons: [],
        span: null,
      };
      try {
        await this.ledger.append([event]);
        return event;
      } catch (error) {
        // Another request took this seq first: re-read the end of the chain.
        if (!(error instanceof AuditConflictError)) throw error;
      }
    }
    throw new Error(`refused chain ${chain}: no free seq after ${MAX_ATTEMPTS} attempts`);
  }

  /**
   * The refused attempts on one instance in chain order (concurrent ones may be stamped out of
   * it): one find. Bounded by what people try on one instance, so not paged.
   */
  async of(instanceId: string): Promise<AuditEvent[]> {
    return this.ledger.chainByName(refusedChainOf(instanceId));
  }
}
