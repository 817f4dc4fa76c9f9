// The working context of one transition: the state being rewritten (a private copy), the commands
// emitted so far, the event time and the compiled policy. Every module of the machine writes
// through these helpers so that the log, the audit commands and the ids stay in one order.
import type { SourceSpan } from '../ir/types.js';
import { type CompiledMachine, compiledFor, processOf } from './compiled.js';
import type { Decision, MachineCommand, MachineState, Outcome } from './types.js';

export interface Run {
  state: MachineState;
  commands: MachineCommand[];
  at: number;
  m: CompiledMachine;
}

/** A deep copy, so that callers' states are never mutated (plain JSON by construction). */
export const copyState = (state: MachineState): MachineState =>
  JSON.parse(JSON.stringify(state)) as MachineState;

export function runOn(state: MachineState, at: number): Run {
  return { state: copyState(state), commands: [], at, m: compiledFor(state.policy) };
}

export function processIR(run: Run) {
  const process = processOf(run.m, run.state.process);
  if (!process) throw new Error(`policy ${run.m.ir.policy.name} has no process ${run.state.process}`);
  return process;
}

/** `<step>#<n>`: deterministic ids for requests, tasks and timers. */
export function newId(run: Run, step: string): string {
  run.state.nextId += 1;
  return `${step}#${run.state.nextId}`;
}

export function emit(run: Run, command: MachineCommand): void {
  run.commands.push(command);
}

type Extra = Pick<Decision, 'actor' | 'onBehalfOf' | 'reasons'>;

/** Appends to the decision log and emits its audit command (`<instance>:<seq>`). */
export function record(
  run: Run,
  step: string | null,
  text: string,
  span: SourceSpan | null,
  extra: Extra = {},
): void {
  const decision: Decision = { seq: run.state.decisions.length + 1, at: run.at, step, text, span, ...extra };
  run.state.decisions.push(decision);
  emit(run, { kind: 'audit', id: `${run.state.instanceId}:${decision.seq}`, decision });
}

/** Closes whatever is open (task, timers) and ends the process. */
export function finish(run: Run, outcome: Outcome, message: string, span: SourceSpan | null): void {
  closeOpenWork(run, message);
  run.state.status = outcome;
  run.state.message = message;
  run.state.endedAt = run.at;
  run.state.frames = [];
  record(run, null, `process ended ${outcome}: ${message}`, span);
  emit(run, { kind: 'finished', outcome, message });
}

export function closeOpenWork(run: Run, reason: string): void {
  const waiting = run.state.waiting;
  // Only an open approval has a task; one still resolving or blocked never opened it.
  if (waiting?.kind === 'approve' && waiting.approval.phase === 'open') {
    emit(run, { kind: 'closeTask', task: waiting.approval.task, reason });
  }
  for (const timer of run.state.timers) emit(run, { kind: 'cancelTimer', timer: timer.id });
  run.state.timers = [];
  run.state.waiting = null;
}

export function cancelTimersOf(run: Run, step: string): void {
  for (const timer of run.state.timers)
    if (timer.step === step) emit(run, { kind: 'cancelTimer', timer: timer.id });
  run.state.timers = run.state.timers.filter((t) => t.step !== step);
}

export const isEnded = (state: MachineState): boolean => state.status !== 'running';

/** Called once a waiting step has its answer: the next `advance` continues after it. */
export function completeStep(run: Run): void {
  run.state.waiting = null;
  const top = run.state.frames[run.state.frames.length - 1];
  if (top) top.index += 1;
}
