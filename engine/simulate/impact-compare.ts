// Comparing runs of an impact replay (impact.ts): who was asked at each step, the deadlines, the
// escalations and reminders that fired and how it ended, read from facts, so that the record (the
// ledger's facts) and a replay (the simulator's decisions) are traced by the same code; and what a
// replay still waits for at the record's end, in people's names, never an assumed approval.
import type { Fact, ProcessOutcome } from '../facts/index.js';
import type { SkippedAct } from './impact-acts.js';
import type { Simulation } from './simulation.js';

export type ReplayStatus = 'running' | ProcessOutcome;

/** An escalation, hand-over, reminder or timeout that fired at a step. */
export interface Fired {
  kind: 'escalated' | 'handedOver' | 'reminded' | 'timedOut';
  at: number;
}

/** What the candidate waits for at the record's end: people, or (`people` empty) a service or time. */
export interface Wait {
  step: string;
  people: string[];
  text: string;
}

export type ImpactDifference =
  | {
      kind: 'outcome';
      base: ReplayStatus;
      candidate: ReplayStatus;
      baseMessage: string | null;
      candidateMessage: string | null;
    }
  | { kind: 'approvers'; step: string; base: string[]; candidate: string[] }
  | { kind: 'deadlines'; step: string; base: number[]; candidate: number[] }
  | { kind: 'escalations'; step: string; base: Fired[]; candidate: Fired[] }
  | { kind: 'wouldWait'; wait: Wait }
  | { kind: 'actSkipped'; skipped: SkippedAct };

/** Everything compared about one run: its end, who was asked, the deadlines and what fired. */
export interface Trace {
  status: ReplayStatus;
  message: string | null;
  asked: Map<string, Set<string>>;
  deadlines: Map<string, number[]>;
  fired: Map<string, Fired[]>;
}

/** Who was asked, what fired and how it ended, from facts (the record's or a replay's alike). */
export function traceOfFacts(
  facts: readonly { at: number; fact: Fact }[],
  status: ReplayStatus,
  message: string | null,
): Trace {
  const trace: Trace = { status, message, asked: new Map(), deadlines: new Map(), fired: new Map() };
  const ask = (stepId: string, people: readonly string[]) => {
    const set = trace.asked.get(stepId) ?? new Set<string>();
    for (const person of people) set.add(person);
    trace.asked.set(stepId, set);
  };
  const fire = (stepId: string, kind: Fired['kind'], at: number) =>
    trace.fired.set(stepId, [...(trace.fired.get(stepId) ?? []), { kind, at }]);
  for (const { at, fact } of facts) {
    switch (fact.kind) {
      case 'approvalOpened':
        ask(fact.step, fact.eligible);
        break;
      case 'escalated':
        ask(fact.step, fact.added);
        fire(fact.step, 'escalated', at);
        break;
      case 'handedOver':
        ask(fact.step, fact.to);
        fire(fact.step, 'handedOver', at);
        break;
      case 'reminded':
        fire(fact.step, 'reminded', at);
        break;
      case 'approvalTimedOut':
        fire(fact.step, 'timedOut', at);
        break;
      case 'ended':
        trace.status = fact.outcome;
        trace.message = fact.message;
        break;
      default:
        break;
    }
  }
  return trace;
}

/** What a running replay waits for: the people still to decide, or what its steps wait on. */
export function waitsOf(sim: Simulation): Wait[] {
  if (sim.ended) return [];
  const waits: Wait[] = [];
  const withPeople = new Set<string>();
  for (const thread of sim.state.threads) {
    const waiting = thread.waiting;
    if (waiting?.kind === 'approve' && waiting.approval.phase === 'open') {
      const voted = new Set(waiting.approval.votes.map((v) => v.person));
      const people = waiting.approval.eligible.filter((p) => !voted.has(p));
      withPeople.add(waiting.approval.step);
      waits.push({
        step: waiting.approval.step,
        people,
        text: `would wait for ${people.join(', ')} at ${waiting.approval.step}`,
      });
    } else if (waiting?.kind === 'check' && waiting.check.task !== null) {
      withPeople.add(waiting.check.step);
      const { step: stepId, people } = waiting.check;
      waits.push({
        step: stepId,
        people: [...people],
        text: `would wait for ${people.join(', ')} at ${stepId}`,
      });
    }
  }
  for (const blocked of sim.blockedOn()) {
    if (!withPeople.has(blocked.step))
      waits.push({ step: blocked.step, people: [], text: `would wait: ${blocked.text}` });
  }
  return waits;
}

/** The differences of `other` from `reference`; deadlines only between two replays (the ledger has none). */
export function compare(reference: Trace, other: Trace, withDeadlines: boolean): ImpactDifference[] {
  const differences: ImpactDifference[] = [];
  if (reference.status !== other.status) {
    differences.push({
      kind: 'outcome',
      base: reference.status,
      candidate: other.status,
      baseMessage: reference.message,
      candidateMessage: other.message,
    });
  }
  for (const stepId of stepsOf(reference.asked, other.asked)) {
    const base = [...(reference.asked.get(stepId) ?? [])].sort();
    const candidate = [...(other.asked.get(stepId) ?? [])].sort();
    if (!sameList(base, candidate)) differences.push({ kind: 'approvers', step: stepId, base, candidate });
  }
  if (withDeadlines) {
    for (const stepId of stepsOf(reference.deadlines, other.deadlines)) {
      const base = reference.deadlines.get(stepId) ?? [];
      const candidate = other.deadlines.get(stepId) ?? [];
      if (!sameList(base, candidate)) differences.push({ kind: 'deadlines', step: stepId, base, candidate });
    }
  }
  for (const stepId of stepsOf(reference.fired, other.fired)) {
    const base = reference.fired.get(stepId) ?? [];
    const candidate = other.fired.get(stepId) ?? [];
    const key = (f: Fired) => `${f.kind}@${f.at}`;
    if (!sameList(base.map(key), candidate.map(key))) {
      differences.push({ kind: 'escalations', step: stepId, base, candidate });
    }
  }
  return differences;
}

const stepsOf = (a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): string[] =>
  [...new Set([...a.keys(), ...b.keys()])].sort();

const sameList = <T>(a: readonly T[], b: readonly T[]): boolean =>
  a.length === b.length && a.every((value, i) => value === b[i]);
