// The machine's entry points: `start` a process, `validate` an event (the Update validator), and
// `step` the state by an event. `step` refuses exactly what `validate` refuses, by calling it, and
// a refused event leaves the state as it was with no commands, so a driver may apply either.
import { renderTemplate } from '../expr/index.js';
import type { CompiledPolicy, ValueIR } from '../ir/types.js';
import { onApprovalResolved, onDecide, validateDecision } from './approvals.js';
import { onApprovalTimer } from './approval-timers.js';
import { compiledFor, factsOf, findStep, processOf, showInstant } from './compiled.js';
import { problemText } from './people.js';
import { advance } from './run.js';
import { completeStep, emit, finish, isEnded, record, type Run, runOn } from './runtime.js';
import type { MachineEvent, MachineState, Refusal, StartContext, Transition } from './types.js';

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
    frames: [{ branch: null, index: 0 }],
    waiting: null,
    timers: [],
    results: {},
    decisions: [],
    nextId: 0,
    endedAt: null,
  };
  const run = runOn(state, context.startedAt);
  record(run, null, `${processName} started by ${context.startedBy}`, process.span, {
    actor: context.startedBy,
  });
  advance(run);
  return { state: run.state, commands: run.commands };
}

const refuse = (code: string, message: string): Refusal => ({ code, message });

export function validate(state: MachineState, event: MachineEvent): Refusal | null {
  if (isEnded(state)) return refuse('ended', `instance ${state.instanceId} has ended ${state.status}`);
  const waiting = state.waiting;
  switch (event.kind) {
    case 'cancel':
      return null;
    case 'resolved': {
      const known =
        (waiting?.kind === 'notify' && waiting.request === event.request) ||
        (waiting?.kind === 'approve' && waiting.approval.pending.some((p) => p.request === event.request));
      return known ? null : refuse('unknown-request', `no open request ${event.request}`);
    }
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
  const run = runOn(state, event.at);
  apply(run, event);
  if (run.state.status === 'running' && run.state.waiting === null) advance(run);
  return { state: run.state, commands: run.commands };
}

function apply(run: Run, event: MachineEvent): void {
  const waiting = run.state.waiting;
  switch (event.kind) {
    case 'cancel':
      record(run, null, `cancelled by ${event.actor}: ${event.reason}`, null, { actor: event.actor });
      finish(run, 'cancelled', event.reason, null);
      return;
    case 'decide':
      if (waiting?.kind === 'approve') onDecide(run, waiting.approval, event);
      return;
    case 'resolved':
      if (waiting?.kind === 'approve') onApprovalResolved(run, waiting.approval, event);
      else if (waiting?.kind === 'notify') onNotifyResolved(run, waiting.step, event);
      return;
    case 'timerFired': {
      const timer = run.state.timers.find((t) => t.id === event.timer);
      if (!timer) return;
      if (waiting?.kind === 'approve' && timer.step === waiting.approval.step) {
        onApprovalTimer(run, waiting.approval, timer);
      } else if (waiting?.kind === 'wait' && waiting.timer === timer.id) {
        run.state.timers = run.state.timers.filter((t) => t.id !== timer.id);
        record(
          run,
          waiting.step,
          `${waiting.step}: waited until ${showInstant(run.m, timer.at, null)}`,
          null,
        );
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
    record(run, step.id, `${step.id}: recipient skipped: ${problemText(problem)}`, step.span);
  const recipients = [...new Set(event.people)].sort();
  if (recipients.length > 0) {
    const message = renderTemplate(step.message, run.m.env, factsOf(run.state));
    emit(run, { kind: 'notify', step: step.id, recipients, message });
    record(run, step.id, `${step.id}: notified ${recipients.join(', ')}: ${message}`, step.span);
  } else {
    record(run, step.id, `${step.id}: nobody to notify`, step.span);
  }
  completeStep(run);
}
