// "An approver asked for changes" read from an instance's timeline. The engine has no state for
// it: requesting changes is a vote that leaves the approval open, so the timeline is where it
// shows, as a `vote` fact (engine/facts) of kind `requestChanges`. A later vote by the same person
// on that step, or the step closing, means the request for changes is settled. Events written
// before facts existed are read from their frozen sentences. Pure: no DOM, unit-tested.
import type { Fact } from '../../../../engine/facts/types.js';

export interface TimelineEvent {
  seq: number;
  at: string;
  type: string;
  step: string | null;
  text: string;
  actor: string | null;
  onBehalfOf: string | null;
  /** As the API sends it: checked for its kind only; the fields are engine/facts' `Fact`. */
  fact?: { kind: Fact['kind']; [field: string]: unknown } | undefined;
}

export interface ChangesRequested {
  step: string;
  /** Who asked: the approver, or the approver on whose behalf a delegate asked. */
  by: string;
  /** The delegate who typed it, when it was not the approver. */
  actor: string;
  reason: string | null;
  at: string;
}

/** How the machine names the person who acted: `X`, or `X on behalf of Y`. */
function byOf(actor: string, onBehalfOf: string | null): string {
  return onBehalfOf !== null && onBehalfOf !== actor ? `${actor} on behalf of ${onBehalfOf}` : actor;
}

/** `text` starts with `prefix` as a whole phrase (end, `:` or a space follows). */
function startsPhrase(text: string, prefix: string): boolean {
  if (!text.startsWith(prefix)) return false;
  const next = text.charAt(prefix.length);
  return next === '' || next === ':' || next === ' ';
}

const VERDICTS = ['approved', 'rejected'];
/** How an approval closes (closeApproval): `<step> approved: …`, `<step> failed: …`. */
const CLOSINGS = ['approved', 'rejected', 'failed'];

/** The requests for changes still standing, oldest first (one per approver and step at most). */
export function changesRequestedOf(timeline: readonly TimelineEvent[]): ChangesRequested[] {
  const open = new Map<string, ChangesRequested>();
  for (const event of [...timeline].sort((a, b) => a.seq - b.seq)) {
    const step = event.step;
    if (step === null) continue;
    if (event.fact !== undefined) {
      readFact(open, event.fact as Fact, event.at);
      continue;
    }
    if (event.type === 'action' && event.actor !== null) {
      const by = byOf(event.actor, event.onBehalfOf);
      const principal = event.onBehalfOf ?? event.actor;
      const asked = `${by} requested changes to ${step}`;
      if (startsPhrase(event.text, asked)) {
        const reason = event.text.slice(asked.length).replace(/^:\s*/, '').trim();
        open.set(`${step}\n${principal}`, {
          step,
          by: principal,
          actor: event.actor,
          reason: reason === '' ? null : reason,
          at: event.at,
        });
      } else if (VERDICTS.some((verb) => startsPhrase(event.text, `${by} ${verb} ${step}`))) {
        open.delete(`${step}\n${principal}`);
      }
    } else if (CLOSINGS.some((verb) => startsPhrase(event.text, `${step} ${verb}`))) {
      // The approval closed (quorum met, rejected, by timeout): nothing waits for the changes.
      for (const key of [...open.keys()]) if (key.startsWith(`${step}\n`)) open.delete(key);
    }
  }
  return [...open.values()];
}

function readFact(open: Map<string, ChangesRequested>, fact: Fact, at: string): void {
  if (fact.kind === 'vote') {
    const principal = fact.onBehalfOf ?? fact.actor;
    const key = `${fact.step}\n${principal}`;
    if (fact.vote === 'requestChanges') {
      open.set(key, { step: fact.step, by: principal, actor: fact.actor, reason: fact.reason, at });
    } else open.delete(key);
  } else if (fact.kind === 'approvalClosed') {
    // The approval closed (approved, rejected, by timeout): nothing waits for the changes.
    for (const key of [...open.keys()]) if (key.startsWith(`${fact.step}\n`)) open.delete(key);
  }
}
