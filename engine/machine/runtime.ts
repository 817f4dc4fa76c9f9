// The working context of one transition: the state being rewritten (a private copy), the commands
// emitted so far, the event time and the compiled policy. Every module of the machine writes
// through these helpers so that the log, the audit commands and the ids stay in one order.
import { actorOfFact, type Fact, sentenceOf, stepOfFact } from '../facts/index.js';
import type { SourceSpan } from '../ir/types.js';
import { type CompiledMachine, compiledFor, findStep, processOf } from './compiled.js';
import type { Decision, MachineCommand, MachineState, Outcome, Thread, Waiting } from './types.js';

export interface Run {
  state: MachineState;
  commands: MachineCommand[];
  at: number;
  m: CompiledMachine;
  /** The thread being run or answered; objects inside `state`, so writes land in the state. */
  thread: Thread;
}

/**
 * A copy that a transition may rewrite without touching the caller's state. Everything is
 * copied deeply (plain JSON by construction) except what is never rewritten: the policy, and the
 * decision log, which only grows (a new array holding the same entries). Copying those would make
 * every step cost as much as the whole history, and a reminder loop quadratic. Key order is kept,
 * so states compare byte for byte.
 */
export function copyState(state: MachineState): MachineState {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) {
    if (key === 'policy') copy[key] = value;
    else if (key === 'decisions') copy[key] = [...state.decisions];
    else copy[key] = value !== null && typeof value === 'object' ? JSON.parse(JSON.stringify(value)) : value;
  }
  return copy as unknown as MachineState;
}

/** A run on a copy of `state`, on the thread at `threadIndex` (main by default). */
export function runOn(state: MachineState, at: number, threadIndex = 0): Run {
  const copy = copyState(state);
  // An ended state has no threads; nothing runs on it, so a detached thread stands in.
  const thread = copy.threads[threadIndex] ??
    copy.threads[0] ?? { id: 'main', parent: null, frames: [], base: 1, waiting: null };
  return { state: copy, commands: [], at, m: compiledFor(state.policy), thread };
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

type Extra = Pick<Decision, 'reasons' | 'branch'>;

/**
 * Appends a fact to the decision log, with its sentence, step and actor taken from it, and emits
 * its audit command (`<instance>:<seq>`).
 */
export function record(run: Run, fact: Fact, span: SourceSpan | null, extra: Extra = {}): void {
  const who = actorOfFact(fact);
  const acting =
    who === null
      ? {}
      : who.onBehalfOf === null || who.onBehalfOf === who.actor
        ? { actor: who.actor }
        : { actor: who.actor, onBehalfOf: who.onBehalfOf };
  const decision: Decision = {
    seq: run.state.decisions.length + 1,
    at: run.at,
    step: stepOfFact(fact),
    text: sentenceOf(fact),
    span,
    ...acting,
    ...extra,
    fact,
  };
  run.state.decisions.push(decision);
  emit(run, { kind: 'audit', id: `${run.state.instanceId}:${decision.seq}`, decision });
}

/**
 * A step ends the process with `outcome`. In a parallel branch the branch ends, and how the
 * process ends waits for its siblings (see `endBranch`), so one branch never approves for others.
 */
export function finish(run: Run, outcome: Outcome, message: string, span: SourceSpan | null): void {
  if (joinOf(run) === null) endProcess(run, outcome, message, span);
  else endBranch(run, outcome, message, span);
}

function joinOf(run: Run): { parent: Thread; join: Extract<Waiting, { kind: 'parallel' }> } | null {
  const parent = run.state.threads.find((t) => t.id === run.thread.parent);
  return parent?.waiting?.kind === 'parallel' ? { parent, join: parent.waiting } : null;
}

/**
 * The current branch thread ends: ran to its end (`outcome` null) or reached an `end` / a failure.
 * A failure under `cancelOthers` cancels the siblings and fails the parallel step in its parent
 * thread at once; otherwise the siblings run to their end, and then the first failure, else an
 * `end approved` reached in a branch, ends the process; with neither the parent thread goes on.
 */
export function endBranch(run: Run, outcome: Outcome | null, message: string, span: SourceSpan | null): void {
  const thread = run.thread;
  const found = joinOf(run);
  if (!found) return;
  const { parent, join } = found;
  const owner = findStep(processIR(run).steps, join.step);
  record(run, { kind: 'branchEnded', step: join.step, thread: thread.id, outcome, message }, span);
  closeThreads(run, [thread], message);
  join.children = join.children.filter((c) => c !== thread.id);
  const failed = outcome !== null && outcome !== 'approved';
  if (failed && owner?.kind === 'parallel' && owner.onFailure === 'cancelOthers') {
    closeThreads(run, descendants(run.state, parent.id), `${join.step}: ${message}`);
    join.children = [];
    join.ending = { outcome, message };
  } else if (outcome !== null && (join.ending === null || (failed && join.ending.outcome === 'approved'))) {
    join.ending = { outcome, message };
  }
  if (join.children.length > 0) return;
  run.thread = parent;
  const ending = join.ending;
  if (ending) {
    parent.waiting = null;
    finish(run, ending.outcome, ending.message, span);
    return;
  }
  record(run, { kind: 'branchesJoined', step: join.step }, owner?.span ?? null);
  completeStep(run);
}

/** Every thread below `id`, however deep. */
function descendants(state: MachineState, id: string): Thread[] {
  const children = state.threads.filter((t) => t.parent === id);
  return [...children, ...children.flatMap((c) => descendants(state, c.id))];
}

/** The step whose timers belong to what a thread waits on. */
function waitingStep(waiting: Waiting | null): string | null {
  switch (waiting?.kind) {
    case 'approve':
      return waiting.approval.step;
    case 'check':
      return waiting.check.step;
    case 'wait':
      return waiting.step;
    default:
      return null;
  }
}

function closeTaskOf(run: Run, waiting: Waiting | null, reason: string): void {
  // Only an open approval has a task; one still resolving or blocked never opened it.
  if (waiting?.kind === 'approve' && waiting.approval.phase === 'open')
    emit(run, { kind: 'closeTask', task: waiting.approval.task, reason });
  if (waiting?.kind === 'check' && waiting.check.task !== null)
    emit(run, { kind: 'closeTask', task: waiting.check.task, reason });
}

/** Closes the threads' open tasks and timers and removes them; the rest of the process goes on. */
function closeThreads(run: Run, threads: readonly Thread[], reason: string): void {
  const steps = new Set<string>();
  for (const thread of threads) {
    closeTaskOf(run, thread.waiting, reason);
    const step = waitingStep(thread.waiting);
    if (step !== null) steps.add(step);
    thread.waiting = null;
  }
  for (const step of steps) cancelTimersOf(run, step);
  run.state.threads = run.state.threads.filter((t) => !threads.includes(t));
}

/** Closes whatever is open (tasks, timers, every thread) and ends the process. */
function endProcess(run: Run, outcome: Outcome, message: string, span: SourceSpan | null): void {
  const main = run.state.threads.find((t) => t.parent === null);
  if (outcome === 'approved' && run.state.rechecks.length > 0 && main) {
    // Never approve over a check that failed again and waits for a new waiver or answer.
    const steps = run.state.rechecks.map((c) => c.step);
    main.waiting = { kind: 'settling', message, span };
    record(run, { kind: 'settling', steps }, span);
    return;
  }
  closeOpenWork(run, message);
  run.state.status = outcome;
  run.state.message = message;
  run.state.endedAt = run.at;
  record(run, { kind: 'ended', outcome, message }, span);
  emit(run, { kind: 'finished', outcome, message });
}

/** The last background re-check has settled: a process held at its approved end now ends. */
export function endIfSettled(run: Run): void {
  const main = run.state.threads.find((t) => t.parent === null);
  if (run.state.rechecks.length > 0 || main?.waiting?.kind !== 'settling') return;
  endProcess(run, 'approved', main.waiting.message, main.waiting.span);
}

/** Cancel: the whole process ends, whichever thread the event reached. */
export function cancelProcess(run: Run, message: string): void {
  endProcess(run, 'cancelled', message, null);
}

function closeOpenWork(run: Run, reason: string): void {
  for (const thread of run.state.threads) closeTaskOf(run, thread.waiting, reason);
  // Attestation and waiver tasks re-opened in the background.
  for (const check of run.state.rechecks)
    if (check.task !== null) emit(run, { kind: 'closeTask', task: check.task, reason });
  run.state.rechecks = [];
  for (const timer of run.state.timers) emit(run, { kind: 'cancelTimer', timer: timer.id });
  run.state.timers = [];
  for (const thread of run.state.threads) thread.waiting = null;
  run.state.threads = [];
}

export function cancelTimersOf(run: Run, step: string): void {
  for (const timer of run.state.timers)
    if (timer.step === step) emit(run, { kind: 'cancelTimer', timer: timer.id });
  run.state.timers = run.state.timers.filter((t) => t.step !== step);
}

export const isEnded = (state: MachineState): boolean => state.status !== 'running';

/** Called once a waiting step has its answer: the next `advance` continues after it. */
export function completeStep(run: Run): void {
  run.thread.waiting = null;
  const top = run.thread.frames[run.thread.frames.length - 1];
  if (top) top.index += 1;
}
