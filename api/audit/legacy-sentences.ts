// Ledger events written before the machine recorded facts carry only their sentence. Those
// sentences are immutable (the hash chain covers them), so the patterns here are frozen: they
// mirror the machine's wording up to the facts change (engine/facts) and never need to follow a
// later rewording. Everything written since is read from its fact; nothing new may be added here.
import type { Meaning, Vote } from './meaning.js';

/** The fields of a pre-facts event these readings use. */
export interface LegacyLine {
  type: string;
  step: string | null;
  text: string;
  actor: string | null;
  onBehalfOf: string | null;
  outcome?: string | null;
}

/** How the machine named the person who acted: `X`, or `X on behalf of Y`. */
export function legacyBy(actor: string, onBehalfOf: string | null): string {
  return onBehalfOf !== null && onBehalfOf !== actor ? `${actor} on behalf of ${onBehalfOf}` : actor;
}

/** `text` starts with `prefix` as a whole phrase (end, `:`, or a space follows). */
export function startsPhrase(text: string, prefix: string): boolean {
  if (!text.startsWith(prefix)) return false;
  const next = text.charAt(prefix.length);
  return next === '' || next === ':' || next === ' ';
}

// checks.ts `failed()` and waivers.ts `openWaiver()`: the three on-fail paths of a check.
export const STOPPED = /; on fail stop (approved|rejected|cancelled)$/;
export const FLAGGED = '; continued flagged: ';
export const WAIVER_REQUIRED = '; a waiver is required by ';

const VOTES: [string, Vote][] = [
  ['approved', 'approved'],
  ['rejected', 'rejected'],
  ['requested changes to', 'changesRequested'],
];

function actionMeaning(event: LegacyLine, step: string, actor: string): Meaning {
  const by = legacyBy(actor, event.onBehalfOf);
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
  // closeApproval(..., 'failed') happened only when an `on timeout fail` deadline passed.
  if (text.startsWith(`${step} failed: `)) return { kind: 'approvalTimeout', step, outcome: 'failed' };
  if (text.startsWith(`${step}: no decision by `) && text.endsWith('; escalating'))
    return { kind: 'approvalTimeout', step, outcome: 'escalated' };
  return { kind: 'other' };
}

/** What a pre-facts event means for compliance, read from its sentence. */
export function legacyMeaning(event: LegacyLine): Meaning {
  if (event.step === null) return { kind: 'other' };
  if (event.type === 'action' && event.actor !== null) return actionMeaning(event, event.step, event.actor);
  if (event.type === 'decision') return decisionMeaning(event.text, event.step);
  return { kind: 'other' };
}

/** What a pre-facts line says about its step: the outcome word, settled, failed. */
export interface LegacyStepReading {
  outcome: string;
  settled: boolean;
  failed: boolean;
}

const settled = (outcome: string, failed = false): LegacyStepReading => ({ outcome, settled: true, failed });
const open = (outcome: string, failed: boolean): LegacyStepReading => ({ outcome, settled: false, failed });

/** approvals.ts closeApproval: `<step> <outcome>: <why>`; longer outcomes first. */
const APPROVAL_OUTCOMES: [string, LegacyStepReading][] = [
  ['approved by timeout', settled('approved by timeout')],
  ['rejected by timeout', settled('rejected by timeout', true)],
  ['approved', settled('approved')],
  ['rejected', settled('rejected', true)],
  // Only an `on timeout fail` deadline closes an approval as failed.
  ['failed', settled('timed out', true)],
];

function readApproval(id: string, line: LegacyLine): LegacyStepReading | null {
  if (line.type === 'action') return null;
  const found = APPROVAL_OUTCOMES.find(([outcome]) => line.text.startsWith(`${id} ${outcome}: `));
  return found ? found[1] : null;
}

function readCheck(id: string, line: LegacyLine): LegacyStepReading | null {
  const text = line.text;
  if (line.type === 'action' && line.actor !== null) {
    const by = legacyBy(line.actor, line.onBehalfOf);
    if (startsPhrase(text, `${by} waived ${id}`)) return settled('waived');
    if (startsPhrase(text, `${by} attested ${id}`)) return settled('attested');
    return null;
  }
  const timedOut = text.startsWith(`${id}: no attestation by `);
  if (STOPPED.test(text)) return settled(timedOut ? 'timed out' : 'failed', true);
  if (text.includes(FLAGGED)) return settled('flagged');
  if (text.includes(WAIVER_REQUIRED)) return open(timedOut ? 'timed out' : 'failed', true);
  if (startsPhrase(text, `${id}: no waiver in time`)) return settled('failed', true);
  if (startsPhrase(text, `check ${id} held`) || startsPhrase(text, `${id} passed`)) return settled('passed');
  if (text.startsWith(`${id}: waiver expired`)) return settled('waiver expired');
  return null;
}

function readReallocation(id: string, line: LegacyLine): LegacyStepReading | null {
  if (new RegExp(`^${id}: [0-9.]+ hours allocated`).test(line.text)) return settled('allocated');
  if (line.text.startsWith(`${id} is blocked: `)) return open('blocked', true);
  return null;
}

function readNotify(id: string, line: LegacyLine): LegacyStepReading | null {
  if (line.text.startsWith(`${id}: notified `)) return settled('notified');
  if (line.text === `${id}: nobody to notify`) return settled('nobody to notify');
  return null;
}

function readWait(id: string, line: LegacyLine): LegacyStepReading | null {
  if (line.text.startsWith(`${id}: waited until `)) return settled('waited');
  if (line.text.startsWith(`${id}: `) && line.text.endsWith(' has passed; continuing at once')) {
    return settled('waited');
  }
  if (line.text.startsWith(`${id}: not waiting: `)) return settled('not waited: no date');
  return null;
}

const READERS: Record<string, (id: string, line: LegacyLine) => LegacyStepReading | null> = {
  approve: readApproval,
  check: readCheck,
  reallocate: readReallocation,
  notify: readNotify,
  wait: readWait,
};

/** What a pre-facts line of step `id` (of kind `kind`) says about the step's outcome. */
export function legacyStepReading(kind: string, id: string, line: LegacyLine): LegacyStepReading | null {
  return READERS[kind]?.(id, line) ?? null;
}
