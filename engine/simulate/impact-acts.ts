// The acts of a past instance, read from its ledger's facts: what people and services did (votes,
// attestations, waivers, check answers, cancellations), fed to an impact replay (impact.ts) at the
// instants they were recorded, as the machine events the simulator takes.
import type { Fact, VoteKind } from '../facts/index.js';
import type { MachineEvent } from '../machine/index.js';
import type { Simulation } from './simulation.js';

/** What a person or a service did, as recorded: fed to both replays at its instant. */
export type RecordedAct =
  | {
      kind: 'decide';
      at: number;
      step: string;
      actor: string;
      onBehalfOf: string | null;
      decision: VoteKind;
      reason: string | null;
    }
  | {
      kind: 'attest';
      at: number;
      step: string;
      actor: string;
      onBehalfOf: string | null;
      evidence: string | null;
    }
  | { kind: 'waive'; at: number; step: string; actor: string; onBehalfOf: string | null; reason: string }
  | {
      kind: 'check';
      at: number;
      step: string;
      outcome: 'passed' | 'failed' | 'error';
      evidence: string | null;
      detail: string | null;
    }
  | { kind: 'cancel'; at: number; actor: string; reason: string };

/** An act a replay could not place (no such step, nobody asked, already ended), and why. */
export interface SkippedAct {
  act: RecordedAct;
  reason: string;
}

/** The acts among an instance's facts, in order; everything else the machines work out themselves. */
export function actsOf(facts: readonly { at: number; fact: Fact }[]): RecordedAct[] {
  const acts: RecordedAct[] = [];
  for (const { at, fact } of facts) {
    switch (fact.kind) {
      case 'vote':
        acts.push({
          kind: 'decide',
          at,
          step: fact.step,
          actor: fact.actor,
          onBehalfOf: fact.onBehalfOf,
          decision: fact.vote,
          reason: fact.reason,
        });
        break;
      case 'attested':
        acts.push({
          kind: 'attest',
          at,
          step: fact.step,
          actor: fact.actor,
          onBehalfOf: fact.onBehalfOf,
          evidence: fact.evidence,
        });
        break;
      case 'waived':
        acts.push({
          kind: 'waive',
          at,
          step: fact.step,
          actor: fact.actor,
          onBehalfOf: fact.onBehalfOf,
          reason: fact.reason,
        });
        break;
      case 'cancelled':
        acts.push({ kind: 'cancel', at, actor: fact.by, reason: fact.reason });
        break;
      case 'checkPassed':
        if (fact.source === 'service')
          acts.push({
            kind: 'check',
            at,
            step: fact.step,
            outcome: 'passed',
            evidence: fact.evidence,
            detail: null,
          });
        break;
      case 'checkFailed':
        // Rule failures and missed attestations are the machine's own; a service's answer is an act.
        if (fact.cause === 'service' || fact.cause === 'serviceError') {
          const outcome = fact.cause === 'service' ? 'failed' : 'error';
          acts.push({ kind: 'check', at, step: fact.step, outcome, evidence: null, detail: fact.because });
        }
        break;
      default:
        break;
    }
  }
  return acts;
}

export function eventOf(sim: Simulation, act: RecordedAct): MachineEvent | string {
  const at = sim.clock;
  const behalf = (onBehalfOf: string | null) => (onBehalfOf === null ? {} : { onBehalfOf });
  switch (act.kind) {
    case 'decide':
      return {
        kind: 'decide',
        at,
        step: act.step,
        actor: act.actor,
        decision: act.decision,
        ...behalf(act.onBehalfOf),
        ...(act.reason === null ? {} : { reason: act.reason }),
      };
    case 'attest':
      return {
        kind: 'attest',
        at,
        step: act.step,
        actor: act.actor,
        ...behalf(act.onBehalfOf),
        ...(act.evidence === null ? {} : { evidence: act.evidence }),
      };
    case 'waive':
      return {
        kind: 'waive',
        at,
        step: act.step,
        actor: act.actor,
        ...behalf(act.onBehalfOf),
        reason: act.reason,
      };
    case 'cancel':
      return { kind: 'cancel', at, actor: act.actor, reason: act.reason };
    case 'check': {
      const request = sim.checkRequestOf(act.step);
      if (request === null) return `no external check of step ${act.step} waits for an answer`;
      return {
        kind: 'checkResult',
        at,
        request,
        outcome: act.outcome,
        ...(act.evidence === null ? {} : { evidence: act.evidence }),
        ...(act.detail === null ? {} : { detail: act.detail }),
      };
    }
  }
}

export function labelOf(act: RecordedAct): string {
  switch (act.kind) {
    case 'decide': {
      const forWhom = act.onBehalfOf === null ? '' : ` for ${act.onBehalfOf}`;
      return `${act.actor}${forWhom} ${act.decision === 'requestChanges' ? 'requests changes to' : `${act.decision}s`} ${act.step}`;
    }
    case 'attest':
      return `${act.actor} attests ${act.step}`;
    case 'waive':
      return `${act.actor} waives ${act.step}`;
    case 'check':
      return `${act.step} check answers ${act.outcome}`;
    case 'cancel':
      return `${act.actor} cancels`;
  }
}
