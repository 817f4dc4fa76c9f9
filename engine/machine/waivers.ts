// `on fail require waiver by X within D [valid for V]`: a failed check may still let the process
// go on, but only by a named waiver approver's explicit, reasoned decision before the deadline.
// No waiver in time means the failure stands and the process ends rejected (fail closed). A
// waiver `valid for` V expires: checks.ts re-runs the check when the expiry timer fires.
import type { CheckStepIR, OnFailIR, SourceSpan } from '../ir/types.js';
import type { Moment } from '../facts/index.js';
import { after, momentOf } from './compiled.js';
import { cancelTimers, checkStates, closeCheckTask, finishCheck, startTimer } from './check-state.js';
import { expandApprovers, uniqueSorted } from './people.js';
import { emit, finish, newId, record, type Run } from './runtime.js';
import type { CheckFailure, CheckState, MachineEvent, MachineState } from './types.js';
import { type Refusal, refuse } from './refusals.js';

type Waiver = Extract<OnFailIR, { action: 'waiver' }>;

function waiverOf(step: CheckStepIR): Waiver | null {
  return step.onFail.action === 'waiver' ? step.onFail : null;
}

/** The check failed for `failure`: open the waiver (resolve approvers, start the deadline). */
export function openWaiver(
  run: Run,
  step: CheckStepIR,
  check: CheckState,
  failure: CheckFailure,
  reasons: { text: string; span: SourceSpan }[],
): void {
  const waiver = waiverOf(step);
  if (!waiver) throw new Error(`${step.id} has no waiver on fail`);
  const { because, message } = failure;
  check.phase = 'waiver';
  // The waiver approver reads the author's words first, then the values that failed.
  check.failure = message === because ? because : `${message} (${because})`;
  check.request = null;
  check.people = [];
  check.blocked = null;
  // The deadline runs from the failure whatever happens next, so a blocked waiver still ends.
  check.dueAt = after(run.m, waiver.within, run.at);
  startTimer(run, step.id, 'waiverDue', check.dueAt);
  const dueAt = momentOf(run.m, check.dueAt, waiver.within);
  const failed = { kind: 'checkFailed', step: step.id, ...failure } as const;
  record(run, { ...failed, onFail: { action: 'waiver', dueAt } }, step.span, { reasons });
  const expanded = expandApprovers(run.m, run.state, waiver.by);
  if (expanded.problems.length > 0) {
    blockCheck(run, step, check, expanded.problems.join('; '));
    return;
  }
  if (expanded.refs.length === 0) {
    blockCheck(run, step, check, 'no waiver approver');
    return;
  }
  check.request = newId(run, step.id);
  emit(run, { kind: 'resolve', request: check.request, step: step.id, refs: expanded.refs });
}

/** Fail closed: the task never opens; the instance waits visibly (and its deadline still runs). */
export function blockCheck(run: Run, step: CheckStepIR, check: CheckState, reason: string): void {
  check.blocked = reason;
  record(run, { kind: 'stepBlocked', step: step.id, reason, still: false }, step.span);
}

type Waive = Extract<MachineEvent, { kind: 'waive' }>;

export function validateWaive(state: MachineState, event: Waive): Refusal | null {
  const check = checkStates(state).find((c) => c.step === event.step && c.phase === 'waiver');
  if (!check) return refuse('step-not-open', `${event.step} is not open for a waiver`);
  if (check.blocked !== null) return refuse('step-blocked', `${event.step} is blocked: ${check.blocked}`);
  if (check.task === null)
    return refuse('step-not-open', `${event.step} is still resolving its waiver approvers`);
  // Waivers have no delegation clause: both the actor and whoever they act for must be approvers.
  for (const person of uniqueSorted([event.actor, event.onBehalfOf ?? event.actor])) {
    if (!check.people.includes(person))
      return refuse('not-a-waiver-approver', `${person} is not a waiver approver of ${event.step}`);
  }
  if (event.reason.trim() === '')
    return refuse('reason-required', `a waiver of ${event.step} needs a reason`);
  return null;
}

export function onWaive(run: Run, step: CheckStepIR, check: CheckState, event: Waive): void {
  const principal = event.onBehalfOf ?? event.actor;
  const onBehalfOf = principal === event.actor ? null : principal;
  run.state.results[step.id] = { passed: false, waived: true, outcome: 'waived' };
  closeCheckTask(run, check, `${step.id} waived`);
  cancelTimers(run, step.id, 'waiverDue');
  const waiver = waiverOf(step);
  const validFor = waiver?.validFor ?? null;
  let until: Moment | null = null;
  if (validFor) {
    const expires = after(run.m, validFor, run.at);
    startTimer(run, step.id, 'waiverExpiry', expires);
    until = momentOf(run.m, expires, validFor);
  }
  const failure = check.failure ?? 'the check failed';
  const waived = { kind: 'waived', step: step.id, actor: event.actor, onBehalfOf } as const;
  record(run, { ...waived, reason: event.reason.trim(), failure, until }, step.span);
  finishCheck(run, check);
}

/** The waiver deadline passed without a waiver: the failure stands and the process ends rejected. */
export function onWaiverDue(run: Run, step: CheckStepIR, check: CheckState): void {
  run.state.results[step.id] = { passed: false, waived: false, outcome: 'failed' };
  closeCheckTask(run, check, `${step.id}: no waiver in time`);
  record(run, { kind: 'waiverMissed', step: step.id, people: check.people }, step.span);
  finish(
    run,
    'rejected',
    `${step.id}: no waiver in time (${check.failure ?? 'the check failed'})`,
    step.span,
  );
}
