// What a ledger event means for compliance, read from the fields the workflow activities write
// (workflows/activities/effects.ts) and the sentences the machine records (engine/machine). The
// ledger keeps `type` (started, ended, action, decision), `outcome` only on `ended`, and the
// machine's text; person actions carry `actor` and `onBehalfOf`. The patterns below mirror the
// exact `record(...)` calls of engine/machine (approvals.ts, approval-timers.ts, checks.ts,
// waivers.ts): a change of wording there must change them here (api-audit.test.ts pins them).
import type { LedgerFact } from '../../store/reports.js';

export type Vote = 'approved' | 'rejected' | 'changesRequested';

export type TimeoutOutcome = 'approvedByTimeout' | 'rejectedByTimeout' | 'failed' | 'escalated';

export type Meaning =
  | { kind: 'started' }
  | { kind: 'ended'; outcome: string }
  | { kind: 'vote'; step: string; vote: Vote; actor: string; onBehalfOf: string | null }
  | { kind: 'waiver'; step: string }
  /** A check failed (stopped, flagged, or waiting for a waiver); `deadline` when it failed by one. */
  | { kind: 'checkFailed'; step: string; deadline: boolean }
  /** A waiver deadline passed: the earlier failure stands. */
  | { kind: 'waiverMissed'; step: string }
  /** An approval's SLA passed and its `on timeout` action ran. */
  | { kind: 'approvalTimeout'; step: string; outcome: TimeoutOutcome }
  | { kind: 'other' };

/** How the machine names the person who acted: `X`, or `X on behalf of Y`. */
function byOf(actor: string, onBehalfOf: string | null): string {
  return onBehalfOf !== null && onBehalfOf !== actor ? `${actor} on behalf of ${onBehalfOf}` : actor;
}

/** `text` starts with `prefix` as a whole phrase (end, `:`, or a space follows). */
function startsPhrase(text: string, prefix: string): boolean {
  if (!text.startsWith(prefix)) return false;
  const next = text.charAt(prefix.length);
  return next === '' || next === ':' || next === ' ';
}

// checks.ts `failed()` and waivers.ts `openWaiver()`: the three on-fail paths of a check.
const STOPPED = /; on fail stop (approved|rejected|cancelled)$/;
const FLAGGED = '; continued flagged: ';
const WAIVER_REQUIRED = '; a waiver is required by ';

const VOTES: [string, Vote][] = [
  ['approved', 'approved'],
  ['rejected', 'rejected'],
  ['requested changes to', 'changesRequested'],
];

function actionMeaning(event: LedgerFact, step: string, actor: string): Meaning {
  const by = byOf(actor, event.onBehalfOf);
  if (startsPhrase(event.text, `${by} waived ${step}`)) return { kind: 'waiver', step };
  for (const [verb, vote] of VOTES) {
    if (startsPhrase(event.text, `${by} ${verb} ${step}`)) {
      const onBehalfOf = event.onBehalfOf !== null && event.onBehalfOf !== actor ? event.onBehalfOf : null;
      return { kind: 'vote', step, vote, actor, onBehalfOf };
    }
  }
  return { kind: 'other' };
}

function decisionMeaning(text: string, step: string): Meaning {
  // The on-fail markers first: an external check's failure also starts with `<step> failed`.
  if (STOPPED.test(text) || text.includes(FLAGGED) || text.includes(WAIVER_REQUIRED)) {
    return { kind: 'checkFailed', step, deadline: text.startsWith(`${step}: no attestation by `) };
  }
  if (text.startsWith(`${step}: no waiver in time`)) return { kind: 'waiverMissed', step };
  if (text.startsWith(`${step} approved by timeout: `))
    return { kind: 'approvalTimeout', step, outcome: 'approvedByTimeout' };
  if (text.startsWith(`${step} rejected by timeout: `))
    return { kind: 'approvalTimeout', step, outcome: 'rejectedByTimeout' };
  // closeApproval(..., 'failed') happens only when an `on timeout fail` deadline passed.
  if (text.startsWith(`${step} failed: `)) return { kind: 'approvalTimeout', step, outcome: 'failed' };
  if (text.startsWith(`${step}: no decision by `) && text.endsWith('; escalating'))
    return { kind: 'approvalTimeout', step, outcome: 'escalated' };
  return { kind: 'other' };
}

export function meaningOf(event: LedgerFact): Meaning {
  if (event.type === 'started') return { kind: 'started' };
  if (event.type === 'ended') return { kind: 'ended', outcome: event.outcome ?? 'unknown' };
  if (event.step === null) return { kind: 'other' };
  if (event.type === 'action' && event.actor !== null) return actionMeaning(event, event.step, event.actor);
  if (event.type === 'decision') return decisionMeaning(event.text, event.step);
  return { kind: 'other' };
}
