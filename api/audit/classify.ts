// What a ledger event means for compliance (a vote, a waiver, a failed check, a timeout), read
// from the typed fact the machine recorded with it (engine/facts). Rewording or translating the
// machine's sentences changes nothing here. Events written before facts existed are read from
// their frozen sentences (legacy-sentences.ts).
import type { Fact } from '../../engine/facts/index.js';
import type { LedgerFact } from '../../store/reports.js';
import { legacyMeaning } from './legacy-sentences.js';
import type { Meaning } from './meaning.js';

export type { Meaning, TimeoutOutcome, Vote } from './meaning.js';

const VOTES = { approve: 'approved', reject: 'rejected', requestChanges: 'changesRequested' } as const;

const TIMEOUTS = {
  'approved by timeout': 'approvedByTimeout',
  'rejected by timeout': 'rejectedByTimeout',
  failed: 'failed',
} as const;

/** The meaning of a fact. */
export function meaningOfFact(fact: Fact): Meaning {
  switch (fact.kind) {
    case 'started':
      return { kind: 'started' };
    case 'ended':
      return { kind: 'ended', outcome: fact.outcome };
    case 'vote': {
      const onBehalfOf = fact.onBehalfOf !== null && fact.onBehalfOf !== fact.actor ? fact.onBehalfOf : null;
      return { kind: 'vote', step: fact.step, vote: VOTES[fact.vote], actor: fact.actor, onBehalfOf };
    }
    case 'waived':
      return { kind: 'waiver', step: fact.step };
    case 'checkFailed':
      return { kind: 'checkFailed', step: fact.step, deadline: fact.cause === 'noAttestation' };
    case 'waiverMissed':
      return { kind: 'waiverMissed', step: fact.step };
    case 'approvalTimedOut':
      return { kind: 'approvalTimeout', step: fact.step, outcome: 'escalated' };
    case 'approvalClosed':
      // Only a deadline closes an approval by timeout or as failed (`on timeout fail`).
      if (fact.why.kind !== 'timeout') return { kind: 'other' };
      return fact.outcome === 'approved' || fact.outcome === 'rejected'
        ? { kind: 'other' }
        : { kind: 'approvalTimeout', step: fact.step, outcome: TIMEOUTS[fact.outcome] };
    default:
      return { kind: 'other' };
  }
}

export function meaningOf(event: LedgerFact): Meaning {
  if (event.type === 'started') return { kind: 'started' };
  if (event.type === 'ended') return { kind: 'ended', outcome: event.outcome ?? 'unknown' };
  if (event.fact !== undefined) return meaningOfFact(event.fact);
  return legacyMeaning(event);
}
