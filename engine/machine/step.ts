// The machine's entry points: `start` a process, `validate` an event (the Update validator), and
// `step` the state by an event. `step` refuses exactly what `validate` refuses, by calling it, and
// a refused event leaves the state as it was with no commands, so a driver may apply either.
import { renderTemplate } from '../expr/index.js';
import type { CompiledPolicy, ValueIR } from '../ir/types.js';
import { onApprovalResolved, onDecide, validateDecision } from './approvals.js';
import { onApprovalTimer } from './approval-timers.js';
import { checkStates, checkStepOf } from './check-state.js';
import {
  CHECK_TIMERS,
  onAttest,
  onCheckResolved,
  onCheckResult,
  onCheckTimer,
  validateAttest,
} from './checks.js';
import { onReallocated } from './reallocate.js';
import { onWaive, validateWaive } from './waivers.js';
import { compiledFor, factsOf, findStep, momentOf, processOf } from './compiled.js';
import { problemText } from './people.js';
import { advance } from './run.js';
import { cancelProcess, completeStep, emit, isEnded, record, type Run, runOn } from './runtime.js';
import type { MachineEvent, MachineState, StartContext, Transition, Waiting } from './types.js';
import { onEscalationResolved } from './escalation.js';
import { type Refusal, refuse } from './refusals.js';

/**
 * A new instance of `processName`, run until it must wait. Input defaults are applied here; a
 * missing required field or an unknown process is the caller's mistake and throws, since the API
 * validates input against the schema before anything starts.
 */
export function start(
  policy: CompiledPolicy,
  processName: string,
  input: Record<string, ValueIR>,
  context: StartContext,
): Transition {
  const m = compiledFor(policy);
  const process = processOf(m, processName);
  if (!process) throw new Error(`policy ${policy.ir.policy.name} has no process ${processName}`);
  const values: Record<string, ValueIR> = {};
  for (const field of process.input) {
    const given = Object.hasOwn(input, field.name) ? input[field.name] : undefined;
    const value = given ?? field.default ?? undefined;
    if (value !== undefined) values[field.name] = value;
    else if (!field.optional) throw new Error(`input ${field.name} of process ${processName} is required`);
  }
  const state: MachineState = {
    version: 1,
    policy,
    process: processName,
    instanceId: context.instanceId,
    startedAt: context.startedAt,
    startedBy: context.startedBy,
    input: values,
    status: 'running',
    message: null,
    threads: [{ id: 'main', parent: null, frames: [{ branch: null, index: 0 }], base: 1, waiting: null }],
    rechecks: [],
    timers: [],
    results: {},
    decisions: [],
    nextId: 0,
    endedAt: null,
  };
  const run = runOn(state, context.startedAt);
  record(run, { kind: 'started', process: processName, by: context.startedBy }, process.span);
  advance(run);
  return { state: run.state, commands: run.commands };
}

/** Whether `waiting` is what `event` answers: the event is applied on that thread. */
function answers(state: MachineState, waiting: Waiting | null, event: MachineEvent): boolean {
  switch (event.kind) {
    case 'resolved':
      return (
        (waiting?.kind === 'notify' && waiting.request === event.request) ||
        (waiting?.kind === 'approve' && waiting.approval.pending.some((p) => p.request === event.request)) ||
        (waiting?.kind === 'check' && waiting.check.request === event.request)
      );
    case 'checkResult':
      return waiting?.kind === 'check' && waiting.check.request === event.request;
    case 'reallocated':
      return waiting?.kind === 'reallocate' && waiting.request === event.request;
    case 'decide':
      return waiting?.kind === 'approve' && waiting.approval.step === event.step;
    case 'waive':
    case 'attest':
      return waiting?.kind === 'check' && waiting.check.step === event.step;
    case 'timerFired': {
      const timer = state.timers.find((t) => t.id === event.timer);
      if (!timer) return false;
      if (waiting?.kind === 'approve') return waiting.approval.step === timer.step;
      if (waiting?.kind === 'check') return waiting.check.step === timer.step;
      return waiting?.kind === 'wait' && waiting.timer === timer.id;
    }
    case 'cancel':
      return false;
  }
}

/** The thread an event is for; main when none waits for it (cancel, background checks). */
function threadIndex(state: MachineState, event: MachineEvent): number {
  return Math.max(
    0,
    state.threads.findIndex((t) => answers(state, t.waiting, event)),
  );
}

export function validate(state: MachineState, event: MachineEvent): Refusal | null {
  if (isEnded(state)) return refuse('ended', `instance ${state.instanceId} has ended ${state.status}`);
  const waiting = state.threads[threadIndex(state, event)]?.waiting ?? null;
  switch (event.kind) {
    case 'cancel':
      return null;
    case 'resolved': {
      const known =
        (waiting?.kind === 'notify' && waiting.request === event.request) ||
        (waiting?.kind === 'approve' && waiting.approval.pending.some((p) => p.request === event.request)) ||
        checkStates(state).some((c) => c.phase !== 'running' && c.request === event.request);
      return known ? null : refuse('unknown-request', `no open request ${event.request}`);
    }
    case 'checkResult':
      return checkStates(state).some((c) => c.phase === 'running' && c.request === event.request)
        ? null
        : refuse('unknown-request', `no running check ${event.request}`);
    case 'reallocated':
      return waiting?.kind === 'reallocate' && waiting.request === event.request
        ? null
        : refuse('unknown-request', `no open reallocation ${event.request}`);
    case 'waive':
      return validateWaive(state, event);
    case 'attest':
      return validateAttest(state, event);
    case 'timerFired':
      return state.timers.some((t) => t.id === event.timer)
        ? null
        : refuse('unknown-timer', `no running timer ${event.timer}`);
    case 'decide': {
      const approval = waiting?.kind === 'approve' ? waiting.approval : null;
      const found = findStep(processOf(compiledFor(state.policy), state.process)?.steps ?? [], event.step);
      return validateDecision(approval, found?.kind === 'approve' ? found : undefined, event);
    }
  }
}

export function step(state: MachineState, event: MachineEvent): Transition {
  if (validate(state, event) !== null) return { state, commands: [] };
  const run = runOn(state, event.at, threadIndex(state, event));
  apply(run, event);
  advance(run);
  return { state: run.state, commands: run.commands };
}

function apply(run: Run, event: MachineEvent): void {
  const waiting = run.thread.waiting;
  switch (event.kind) {
    case 'cancel':
      record(run, { kind: 'cancelled', by: event.actor, reason: event.reason }, null);
      cancelProcess(run, event.reason);
      return;
    case 'decide':
      if (waiting?.kind === 'approve') onDecide(run, waiting.approval, event);
      return;
    case 'resolved': {
      const check = checkStates(run.state).find((c) => c.request === event.request);
      if (check) onCheckResolved(run, check, event);
      else if (waiting?.kind === 'approve') {
        const entry = waiting.approval.pending.find((p) => p.request === event.request);
        if (entry?.purpose === 'escalation') onEscalationResolved(run, waiting.approval, event);
        else onApprovalResolved(run, waiting.approval, event);
      } else if (waiting?.kind === 'notify') onNotifyResolved(run, waiting.step, event);
      return;
    }
    case 'checkResult': {
      const check = checkStates(run.state).find((c) => c.request === event.request);
      if (check) onCheckResult(run, check, event);
      return;
    }
    case 'waive': {
      const check = checkStates(run.state).find((c) => c.step === event.step && c.phase === 'waiver');
      if (check) onWaive(run, checkStepOf(run, check.step), check, event);
      return;
    }
    case 'attest': {
      const check = checkStates(run.state).find((c) => c.step === event.step && c.phase === 'attest');
      if (check) onAttest(run, check, event);
      return;
    }
    case 'reallocated':
      if (waiting?.kind === 'reallocate') onReallocated(run, waiting.step, event);
      return;
    case 'timerFired': {
      const timer = run.state.timers.find((t) => t.id === event.timer);
      if (!timer) return;
      if (CHECK_TIMERS.includes(timer.purpose)) {
        onCheckTimer(run, timer);
      } else if (waiting?.kind === 'approve' && timer.step === waiting.approval.step) {
        onApprovalTimer(run, waiting.approval, timer);
      } else if (waiting?.kind === 'wait' && waiting.timer === timer.id) {
        run.state.timers = run.state.timers.filter((t) => t.id !== timer.id);
        record(run, { kind: 'waited', step: waiting.step, until: momentOf(run.m, timer.at, null) }, null);
        completeStep(run);
      }
      return;
    }
  }
}

function onNotifyResolved(
  run: Run,
  stepId: string,
  event: Extract<MachineEvent, { kind: 'resolved' }>,
): void {
  const process = processOf(run.m, run.state.process);
  const step = process ? findStep(process.steps, stepId) : undefined;
  if (step?.kind !== 'notify') return;
  for (const problem of event.problems)
    record(run, { kind: 'recipientSkipped', step: step.id, problem: problemText(problem) }, step.span);
  const recipients = [...new Set(event.people)].sort();
  if (recipients.length > 0) {
    const message = renderTemplate(step.message, run.m.env, factsOf(run.state));
    emit(run, { kind: 'notify', step: step.id, recipients, message });
    record(run, { kind: 'notified', step: step.id, recipients, message }, step.span);
  } else {
    record(run, { kind: 'nobodyToNotify', step: step.id }, step.span);
  }
  completeStep(run);
}
