// The impact of a policy change: past instances of the version in force replayed through the
// simulator under that version (the reference) and under a candidate, with the same acts (votes,
// attestations, waivers, check answers, cancellations) at the same instants, read from the facts
// the ledger recorded. Differences between the two replays come from the version change, not from
// how faithfully the simulator reproduces production; where the reference replay disagrees with
// what was recorded, that is reported too ("replay differs from the record"), never smoothed over.
// A candidate that asks someone who never acted is shown waiting for them, never assumed approved.
import type { Fact } from '../facts/index.js';
import type { CompiledPolicy, ValueIR } from '../ir/types.js';
import { type MachineEvent, type PersonRef, start, step } from '../machine/index.js';
import { actsOf, eventOf, labelOf, type RecordedAct, type SkippedAct } from './impact-acts.js';
import {
  compare,
  type ImpactDifference,
  type ReplayStatus,
  type Trace,
  traceOfFacts,
  type Wait,
  waitsOf,
} from './impact-compare.js';
import { Simulation } from './simulation.js';
import type { World } from './world.js';

export { actsOf, labelOf } from './impact-acts.js';
export type { RecordedAct, SkippedAct } from './impact-acts.js';
export type { Fired, ImpactDifference, ReplayStatus, Wait } from './impact-compare.js';

/** One finished instance as the store knows it: its start, its end and its ledger's facts. */
export interface PastInstance {
  instanceId: string;
  process: string;
  input: Record<string, ValueIR>;
  startedAt: number;
  startedBy: string;
  /** When the record says it ended: both replays are compared at this instant. */
  endedAt: number;
  /** The facts of the instance's own chain, in chain order. */
  facts: readonly { at: number; fact: Fact }[];
}

export type ImpactVerdict = 'same' | 'differs' | 'wouldWait' | 'notReplayed';

export interface InstanceImpact {
  instanceId: string;
  verdict: ImpactVerdict;
  /** Why the instance could not be replayed (`notReplayed`), else null. */
  reason: string | null;
  base: { status: ReplayStatus; message: string | null } | null;
  candidate: { status: ReplayStatus; message: string | null; waitingFor: Wait[] } | null;
  /** The candidate against the reference replay: what the version change changes. */
  differences: ImpactDifference[];
  /** The reference replay against the ledger: where the simulator does not reproduce the record. */
  replayDiffersFromRecord: ImpactDifference[];
}

export interface ImpactSummary {
  instances: number;
  same: number;
  differs: number;
  wouldWait: number;
  notReplayed: number;
  /** Instances whose reference replay disagrees with their record. */
  replayDiffersFromRecord: number;
  /** `notReplayed` by reason, for the summary line. */
  notReplayedReasons: Record<string, number>;
}

export interface ImpactReport {
  instances: InstanceImpact[];
  summary: ImpactSummary;
  /**
   * References the world could not answer (unknown group or person, no manager), in first-seen
   * order: a caller whose world is a partial copy of a directory looks these up and runs again.
   */
  unresolved: PersonRef[];
}

/** Replays every instance under both versions and compares them (see the file comment). */
export function impactOf(
  base: CompiledPolicy,
  candidate: CompiledPolicy,
  world: World,
  instances: readonly PastInstance[],
): ImpactReport {
  const unresolved = new Map<string, PersonRef>();
  const results = instances.map((past) => impactOfOne(base, candidate, world, past, unresolved));
  return { instances: results, summary: summaryOf(results), unresolved: [...unresolved.values()] };
}

function impactOfOne(
  base: CompiledPolicy,
  candidate: CompiledPolicy,
  world: World,
  past: PastInstance,
  unresolved: Map<string, PersonRef>,
): InstanceImpact {
  const notReplayed = (reason: string): InstanceImpact => ({
    instanceId: past.instanceId,
    verdict: 'notReplayed',
    reason,
    base: null,
    candidate: null,
    differences: [],
    replayDiffersFromRecord: [],
  });
  const acts = actsOf(past.facts);
  const instanceWorld = withRecordedCapacity(world, past.facts);
  const reference = replay(base, past, instanceWorld, acts, unresolved);
  if (typeof reference === 'string') return notReplayed(`the version in force: ${reference}`);
  const inputProblem = missingInput(candidate, past);
  if (inputProblem !== null) return notReplayed(inputProblem);
  const changed = replay(candidate, past, instanceWorld, acts, unresolved);
  if (typeof changed === 'string') return notReplayed(`the candidate: ${changed}`);

  const differences = compare(reference.trace, changed.trace, true);
  const placedInBase = new Set(acts.filter((a) => !reference.skipped.some((s) => s.act === a)));
  for (const skipped of changed.skipped) {
    if (placedInBase.has(skipped.act)) differences.push({ kind: 'actSkipped', skipped });
  }
  const waits = waitsOf(changed.sim);
  for (const wait of waits) differences.push({ kind: 'wouldWait', wait });
  const recorded = traceOfFacts(
    past.facts.map(({ at, fact }) => ({ at, fact })),
    'running',
    null,
  );
  const replayDiffersFromRecord = [
    ...compare(recorded, reference.trace, false),
    ...reference.skipped.map((skipped): ImpactDifference => ({ kind: 'actSkipped', skipped })),
  ];
  const verdict: ImpactVerdict = waits.length > 0 ? 'wouldWait' : differences.length > 0 ? 'differs' : 'same';
  return {
    instanceId: past.instanceId,
    verdict,
    reason: null,
    base: { status: reference.trace.status, message: reference.trace.message },
    candidate: { status: changed.trace.status, message: changed.trace.message, waitingFor: waits },
    differences,
    replayDiffersFromRecord,
  };
}

interface Replayed {
  sim: Simulation;
  trace: Trace;
  skipped: SkippedAct[];
}

/** One version's replay up to the record's end, or why it cannot start. */
function replay(
  policy: CompiledPolicy,
  past: PastInstance,
  world: World,
  acts: readonly RecordedAct[],
  unresolved: Map<string, PersonRef>,
): Replayed | string {
  if (!policy.ir.processes.some((p) => p.name === past.process)) {
    return `version ${policy.ir.policy.version} has no process ${past.process}`;
  }
  let sim: Simulation;
  const skipped: SkippedAct[] = [];
  try {
    sim = new Simulation(policy, { ...startOf(past, policy), world });
    for (const act of acts) {
      if (act.at > sim.clock) sim.advanceTo(act.at);
      if (sim.ended) {
        skipped.push({ act, reason: `the instance had already ended ${sim.state.status}` });
        continue;
      }
      const event = eventOf(sim, act);
      if (typeof event === 'string') skipped.push({ act, reason: event });
      else {
        const refusal = sim.act(event, labelOf(act));
        if (refusal) skipped.push({ act, reason: `refused (${refusal.code}): ${refusal.message}` });
      }
    }
    if (past.endedAt > sim.clock) sim.advanceTo(past.endedAt);
  } catch (error) {
    // The machine's own errors (a runaway reminder loop, an input it cannot take) end this replay.
    return error instanceof Error ? error.message : String(error);
  }
  for (const event of sim.events) {
    if (event.kind !== 'resolved') continue;
    for (const { ref } of event.problems) unresolved.set(JSON.stringify(ref), ref);
  }
  const decisions = sim.state.decisions.flatMap((d) => (d.fact ? [{ at: d.at, fact: d.fact }] : []));
  const trace = traceOfFacts(decisions, sim.state.status, sim.state.message);
  trace.deadlines = deadlinesOf(policy, past, sim.events);
  return { sim, trace, skipped };
}

function startOf(past: PastInstance, policy: CompiledPolicy) {
  // Fields the candidate no longer declares are left out: its start takes only its own.
  const declared = new Set(
    policy.ir.processes.find((p) => p.name === past.process)?.input.map((f) => f.name),
  );
  const input = Object.fromEntries(Object.entries(past.input).filter(([name]) => declared.has(name)));
  return {
    process: past.process,
    input,
    startedAt: past.startedAt,
    startedBy: past.startedBy,
    instanceId: past.instanceId,
  };
}

/** A required input field the candidate adds has no value in a past instance: no replay, no guess. */
function missingInput(candidate: CompiledPolicy, past: PastInstance): string | null {
  const process = candidate.ir.processes.find((p) => p.name === past.process);
  const missing = (process?.input ?? []).filter(
    (f) => !f.optional && f.default === null && !Object.hasOwn(past.input, f.name),
  );
  if (missing.length === 0) return null;
  return `the candidate requires input ${missing.map((f) => f.name).join(', ')}, which the instance was not started with`;
}

/**
 * The capacity the record's reallocations found (hours per pool and skill), so that a replay's
 * reallocation gets the answer production got rather than an empty pool's.
 */
function withRecordedCapacity(world: World, facts: PastInstance['facts']): World {
  const requested = new Map<string, { pool: string; skill: string }>();
  // A copy: the world is shared by every instance's replay.
  const capacity = JSON.parse(JSON.stringify(world.capacity)) as World['capacity'];
  for (const { fact } of facts) {
    if (fact.kind === 'reallocationRequested')
      requested.set(fact.step, { pool: fact.pool, skill: fact.skill });
    if (fact.kind !== 'reallocated') continue;
    const where = requested.get(fact.step);
    if (where === undefined) continue;
    const skills = (capacity[where.pool] ??= {});
    skills[where.skill] = (skills[where.skill] ?? 0) + fact.hours;
  }
  return { ...world, capacity };
}
/**
 * The due times of each step's deadlines (an approval's SLA, an attestation's or a waiver's due
 * date), as the tasks people see carry them: the events the simulation applied are stepped once
 * more, and every state on the way shows what its open approvals and checks are due by.
 */
function deadlinesOf(
  policy: CompiledPolicy,
  past: PastInstance,
  events: readonly MachineEvent[],
): Map<string, number[]> {
  // Keyed by task, so that an approval counts once however many events it lived through.
  const dueByTask = new Map<string, { step: string; dueAt: number }>();
  const { process, input, startedAt, startedBy, instanceId } = startOf(past, policy);
  let state = start(policy, process, input, { instanceId, startedAt, startedBy }).state;
  const collect = () => {
    const checks = [...state.threads.map((t) => t.waiting), ...state.rechecks.map((check) => ({ check }))];
    for (const waiting of checks) {
      if (waiting === null) continue;
      if ('kind' in waiting && waiting.kind === 'approve' && waiting.approval.dueAt !== null) {
        const { task, step: stepId, dueAt } = waiting.approval;
        dueByTask.set(task, { step: stepId, dueAt });
      } else if ('check' in waiting && waiting.check.task !== null && waiting.check.dueAt !== null) {
        dueByTask.set(waiting.check.task, { step: waiting.check.step, dueAt: waiting.check.dueAt });
      }
    }
  };
  collect();
  for (const event of events) {
    state = step(state, event).state;
    collect();
  }
  const deadlines = new Map<string, number[]>();
  for (const { step: stepId, dueAt } of dueByTask.values()) {
    deadlines.set(stepId, [...(deadlines.get(stepId) ?? []), dueAt]);
  }
  return deadlines;
}

function summaryOf(results: readonly InstanceImpact[]): ImpactSummary {
  const count = (verdict: ImpactVerdict) => results.filter((r) => r.verdict === verdict).length;
  const notReplayedReasons: Record<string, number> = {};
  for (const r of results) {
    if (r.reason !== null) notReplayedReasons[r.reason] = (notReplayedReasons[r.reason] ?? 0) + 1;
  }
  return {
    instances: results.length,
    same: count('same'),
    differs: count('differs'),
    wouldWait: count('wouldWait'),
    notReplayed: count('notReplayed'),
    replayDiffersFromRecord: results.filter((r) => r.replayDiffersFromRecord.length > 0).length,
    notReplayedReasons,
  };
}
