// Where a check that waits for the outside world lives: in the foreground (a thread's `waiting`,
// the thread is stopped on it) or in the background (`rechecks`, a re-run after a waiver expired while the
// process waits elsewhere). Every handler finds its check here, so both places behave the same.
import type { CheckStepIR } from '../ir/types.js';
import { findStep } from './compiled.js';
import { completeStep, emit, endIfSettled, newId, processIR, type Run } from './runtime.js';
import type { CheckState, MachineState, TimerPurpose } from './types.js';

/** Every check waiting for an answer, in the threads first, then the background. */
export function checkStates(state: MachineState): CheckState[] {
  const foreground = state.threads.flatMap((t) => (t.waiting?.kind === 'check' ? [t.waiting.check] : []));
  return [...foreground, ...state.rechecks];
}

export function newCheckState(step: string, phase: CheckState['phase'], background: boolean): CheckState {
  return {
    step,
    phase,
    background,
    request: null,
    task: null,
    people: [],
    dueAt: null,
    failure: null,
    blocked: null,
  };
}

/** Puts a check where the process will find it: the waiting slot or the background list. */
export function placeCheck(run: Run, check: CheckState): void {
  if (check.background) run.state.rechecks.push(check);
  else run.thread.waiting = { kind: 'check', check };
}

/** The check is settled and the process may go on (foreground) or forget it (background). */
export function finishCheck(run: Run, check: CheckState): void {
  if (check.background) {
    run.state.rechecks = run.state.rechecks.filter((c) => c.step !== check.step);
    endIfSettled(run);
    return;
  }
  const waiting = run.thread.waiting;
  if (waiting?.kind === 'check' && waiting.check.step === check.step) completeStep(run);
}

export function checkStepOf(run: Run, id: string): CheckStepIR {
  const step = findStep(processIR(run).steps, id);
  if (step?.kind !== 'check') throw new Error(`no check step ${id}`);
  return step;
}

export function closeCheckTask(run: Run, check: CheckState, reason: string): void {
  if (check.task !== null) emit(run, { kind: 'closeTask', task: check.task, reason });
  check.task = null;
}

export function startTimer(run: Run, step: string, purpose: TimerPurpose, at: number): void {
  const id = newId(run, step);
  run.state.timers.push({ id, step, purpose, at });
  emit(run, { kind: 'startTimer', timer: id, step, at, purpose });
}

/** Cancels the step's timers of one purpose (a waiver's expiry outlives its check state). */
export function cancelTimers(run: Run, step: string, purpose: TimerPurpose): void {
  const matches = (t: { step: string; purpose: TimerPurpose }): boolean =>
    t.step === step && t.purpose === purpose;
  for (const timer of run.state.timers)
    if (matches(timer)) emit(run, { kind: 'cancelTimer', timer: timer.id });
  run.state.timers = run.state.timers.filter((t) => !matches(t));
}
