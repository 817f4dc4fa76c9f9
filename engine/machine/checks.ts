// Checks from start to result: rule checks evaluate at once, external checks ask the driver to run
// a service, attestations open a task for the attesters. Whatever fails goes through one on-fail
// path (stop, continue flagged, or a waiver in waivers.ts), so a rule, a service and a missed
// attestation fail the same way. An expired waiver re-runs its check in the background.
import { compileExpression, explain, renderTemplate } from '../expr/index.js';
import type { CheckStepIR, SourceSpan } from '../ir/types.js';
import { after, compiledFor, factsOf, findStep, momentOf, processOf, showInstant } from './compiled.js';
import {
  cancelTimers,
  checkStates,
  checkStepOf,
  closeCheckTask,
  finishCheck,
  newCheckState,
  placeCheck,
  startTimer,
} from './check-state.js';
import { expandApprovers, problemText, uniqueSorted } from './people.js';
import { emit, finish, newId, record, type Run } from './runtime.js';
import type { CheckFailure as Failure, CheckState, MachineEvent, MachineState, Timer } from './types.js';
import { grantedBy } from './qualifications.js';
import { blockCheck, onWaiverDue, openWaiver } from './waivers.js';
import { type Refusal, refuse } from './refusals.js';

type Reasons = { text: string; span: SourceSpan }[];

/** Runs a check: 'next' when it settled at once and the process goes on, else 'waiting'. */
export function startCheck(run: Run, step: CheckStepIR, background: boolean): 'next' | 'waiting' {
  const check = step.check;
  switch (check.kind) {
    case 'rule': {
      const evaluation = compileExpression(check.condition, run.m.env)(factsOf(run.state));
      const reasons = evaluation.because.map((r) => ({ text: r.text, span: r.span }));
      const why = explain(evaluation, `check ${step.id}`);
      if (evaluation.value === true) {
        run.state.results[step.id] = { passed: true, waived: false, outcome: 'passed' };
        const passed = { kind: 'checkPassed', step: step.id, source: 'rule', because: why } as const;
        record(run, { ...passed, evidence: null }, step.span, { reasons });
        return 'next';
      }
      const message = check.message ? renderTemplate(check.message, run.m.env, factsOf(run.state)) : why;
      return failed(run, step, null, background, { cause: 'rule', because: why, message }, reasons);
    }
    case 'external': {
      const state = newCheckState(step.id, 'running', background);
      state.request = newId(run, step.id);
      placeCheck(run, state);
      // Business time counts from now, so the budget is what the calendar allows from here.
      const timeoutMs = check.timeout ? after(run.m, check.timeout, run.at) - run.at : null;
      const { service, retries } = check;
      emit(run, { kind: 'runCheck', request: state.request, step: step.id, service, timeoutMs, retries });
      record(run, { kind: 'checkRunning', step: step.id, service }, step.span);
      return 'waiting';
    }
    case 'attest': {
      const state = newCheckState(step.id, 'attest', background);
      placeCheck(run, state);
      state.dueAt = check.within ? after(run.m, check.within, run.at) : null;
      const dueAt = state.dueAt === null ? null : momentOf(run.m, state.dueAt, check.within);
      record(run, { kind: 'attestationOpened', step: step.id, statement: check.statement, dueAt }, step.span);
      if (state.dueAt !== null) startTimer(run, step.id, 'attestDue', state.dueAt);
      const expanded = expandApprovers(run.m, run.state, check.by);
      if (expanded.problems.length > 0) blockCheck(run, step, state, expanded.problems.join('; '));
      else if (expanded.refs.length === 0) blockCheck(run, step, state, 'no attester');
      else {
        state.request = newId(run, step.id);
        emit(run, { kind: 'resolve', request: state.request, step: step.id, refs: expanded.refs });
      }
      return 'waiting';
    }
  }
}

/** The one on-fail path; `state` is null for a rule check that failed synchronously. */
function failed(
  run: Run,
  step: CheckStepIR,
  state: CheckState | null,
  background: boolean,
  failure: Failure,
  reasons: Reasons,
): 'next' | 'waiting' {
  const onFail = step.onFail;
  const { message } = failure;
  const base = { kind: 'checkFailed', step: step.id, ...failure } as const;
  switch (onFail.action) {
    case 'stop': {
      run.state.results[step.id] = { passed: false, waived: false, outcome: 'failed' };
      record(run, { ...base, onFail: { action: 'stop', outcome: onFail.outcome } }, step.span, { reasons });
      const text = onFail.message ? renderTemplate(onFail.message, run.m.env, factsOf(run.state)) : message;
      finish(run, onFail.outcome, text, step.span);
      return 'waiting';
    }
    case 'continue':
      run.state.results[step.id] = { passed: false, waived: false, outcome: 'flagged' };
      record(run, { ...base, onFail: { action: 'continue' } }, step.span, { reasons });
      if (state) {
        // A missed attestation's task must not outlive the check it asked for.
        closeCheckTask(run, state, `${step.id} flagged`);
        finishCheck(run, state);
      }
      return 'next';
    case 'waiver': {
      run.state.results[step.id] = { passed: false, waived: false, outcome: 'failed' };
      const waiting = state ?? newCheckState(step.id, 'waiver', background);
      if (state) closeCheckTask(run, state, `${step.id} failed`);
      else placeCheck(run, waiting);
      openWaiver(run, step, waiting, failure, reasons);
      return 'waiting';
    }
  }
}

type Resolved = Extract<MachineEvent, { kind: 'resolved' }>;

/** Attesters or waiver approvers are known: open their task, or block (fail closed). */
export function onCheckResolved(run: Run, state: CheckState, event: Resolved): void {
  const step = checkStepOf(run, state.step);
  state.request = null;
  const who = state.phase === 'attest' ? 'attester' : 'waiver approver';
  if (event.problems.length > 0) {
    blockCheck(run, step, state, event.problems.map(problemText).join('; '));
    return;
  }
  const people = uniqueSorted(event.people);
  if (people.length === 0) {
    blockCheck(run, step, state, `no eligible ${who}`);
    return;
  }
  state.people = people;
  state.task = newId(run, step.id);
  const attest = step.check.kind === 'attest' && state.phase === 'attest';
  const title = attest
    ? `attest ${step.id}: ${step.check.kind === 'attest' ? step.check.statement : ''}`
    : `waive ${step.id}: ${state.failure ?? 'the check failed'}`;
  const taskKind = attest ? 'attestation' : 'waiver';
  emit(run, { kind: 'openTask', task: state.task, step: step.id, people, title, taskKind });
  record(run, { kind: 'checkTaskOpened', step: step.id, people, task: taskKind }, step.span);
}

type CheckResult = Extract<MachineEvent, { kind: 'checkResult' }>;

export function onCheckResult(run: Run, state: CheckState, event: CheckResult): void {
  const step = checkStepOf(run, state.step);
  state.request = null;
  const evidence = event.evidence ? ` (evidence: ${event.evidence})` : '';
  const detail = event.detail ? `: ${event.detail}` : '';
  if (event.outcome === 'passed') {
    run.state.results[step.id] = { passed: true, waived: false, outcome: 'passed' };
    const passed = { kind: 'checkPassed', step: step.id, source: 'service', because: null } as const;
    record(run, { ...passed, evidence: event.evidence || null }, step.span);
    finishCheck(run, state);
    return;
  }
  const error = event.outcome === 'error';
  const why = error
    ? `${step.id} could not be checked, which counts as failed${detail}`
    : `${step.id} failed${detail}${evidence}`;
  const cause = error ? 'serviceError' : 'service';
  failed(run, step, state, state.background, { cause, because: why, message: why }, []);
}

type Attest = Extract<MachineEvent, { kind: 'attest' }>;

export function validateAttest(state: MachineState, event: Attest): Refusal | null {
  const check = checkStates(state).find((c) => c.step === event.step && c.phase === 'attest');
  const step = findStep(processOf(compiledFor(state.policy), state.process)?.steps ?? [], event.step);
  if (!check || step?.kind !== 'check' || step.check.kind !== 'attest')
    return refuse('step-not-open', `${event.step} is not open for attestation`);
  if (check.blocked !== null) return refuse('step-blocked', `${event.step} is blocked: ${check.blocked}`);
  if (check.task === null) return refuse('step-not-open', `${event.step} is still resolving its attesters`);
  for (const person of uniqueSorted([event.actor, event.onBehalfOf ?? event.actor])) {
    if (!check.people.includes(person))
      return refuse('not-an-attester', `${person} is not an attester of ${event.step}`);
  }
  if (step.check.evidence && (event.evidence ?? '').trim() === '')
    return refuse('evidence-required', `${event.step} must be attested with evidence`);
  return null;
}

export function onAttest(run: Run, state: CheckState, event: Attest): void {
  const step = checkStepOf(run, state.step);
  const statement = step.check.kind === 'attest' ? step.check.statement : '';
  const principal = event.onBehalfOf ?? event.actor;
  const onBehalfOf = principal === event.actor ? null : principal;
  const evidence = event.evidence?.trim() || null;
  run.state.results[step.id] = { passed: true, waived: false, outcome: 'passed' };
  closeCheckTask(run, state, `${step.id} attested`);
  cancelTimers(run, step.id, 'attestDue');
  const attested = { kind: 'attested', step: step.id, actor: event.actor, onBehalfOf } as const;
  const grant = step.check.kind === 'attest' ? step.check.grants : undefined;
  // Only with a grant, so that attestations recorded before grants replay to the same facts.
  const grants = grant ? { grants: grantedBy(run.m, factsOf(run.state), grant, event.at) } : {};
  record(run, { ...attested, statement, evidence, ...grants }, step.span);
  finishCheck(run, state);
}

export const CHECK_TIMERS: readonly Timer['purpose'][] = ['attestDue', 'waiverDue', 'waiverExpiry'];

export function onCheckTimer(run: Run, timer: Timer): void {
  run.state.timers = run.state.timers.filter((t) => t.id !== timer.id);
  const step = checkStepOf(run, timer.step);
  const state = checkStates(run.state).find((c) => c.step === timer.step);
  switch (timer.purpose) {
    case 'attestDue': {
      if (state?.phase !== 'attest') return;
      const due = showInstant(run.m, timer.at, step.check.kind === 'attest' ? step.check.within : null);
      const why = `${step.id}: no attestation by ${due}`;
      failed(run, step, state, state.background, { cause: 'noAttestation', because: why, message: why }, []);
      return;
    }
    case 'waiverDue':
      if (state?.phase === 'waiver') onWaiverDue(run, step, state);
      return;
    case 'waiverExpiry': {
      // The waiver no longer covers the failure: the check runs again while the process goes on.
      run.state.results[step.id] = { passed: false, waived: false, outcome: 'expired' };
      record(run, { kind: 'waiverExpired', step: step.id }, step.span);
      startCheck(run, step, true);
      return;
    }
    default:
      return;
  }
}
