// The interpreter loop: run steps from the program counter until one must wait for the outside
// world or the process ends. Steps that need nothing from outside (if, end, rule checks) complete
// here synchronously; the others hand over to their modules, which call `completeStep` and
// `advance` again when their answer arrives. Steps this slice does not run block, explicitly.
import { instantOf } from '../calendar/index.js';
import { compileExpression, explain, renderTemplate } from '../expr/index.js';
import type { CheckStepIR, IfStepIR, NotifyStepIR, StepIR, WaitStepIR } from '../ir/types.js';
import { openApproval } from './approvals.js';
import { after, blockOf, dateOf, factsOf, showInstant } from './compiled.js';
import { expandApprovers } from './people.js';
import { emit, finish, newId, processIR, record, type Run } from './runtime.js';

type Ran = 'next' | 'entered' | 'waiting';

export function advance(run: Run): void {
  const process = processIR(run);
  while (run.state.status === 'running' && run.state.waiting === null) {
    const frames = run.state.frames;
    const top = frames[frames.length - 1];
    if (!top) {
      finish(run, 'approved', 'the process ran to its end', process.span);
      return;
    }
    const step = blockOf(process, frames)[top.index];
    if (!step) {
      // The end of a block: continue after the step that opened it.
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) parent.index += 1;
      continue;
    }
    if (runStep(run, step) === 'next') top.index += 1;
  }
}

function runStep(run: Run, step: StepIR): Ran {
  switch (step.kind) {
    case 'if':
      return runIf(run, step);
    case 'end': {
      const message = step.message ? render(run, step.message) : `ended ${step.outcome} at ${step.id}`;
      finish(run, step.outcome, message, step.span);
      return 'waiting';
    }
    case 'check':
      return runCheck(run, step);
    case 'notify':
      return runNotify(run, step);
    case 'wait':
      return runWait(run, step);
    case 'approve':
      openApproval(run, step);
      return 'waiting';
    case 'parallel':
      return block(run, step, 'parallel blocks are not implemented yet');
    case 'reallocate':
      return block(run, step, 'reallocation is not implemented yet');
  }
}

/** Fail closed on what this slice cannot run: the instance waits, visibly, and never passes. */
function block(run: Run, step: StepIR, reason: string): Ran {
  run.state.waiting = { kind: 'blocked', step: step.id, reason };
  record(run, step.id, `${step.id} is blocked: ${reason}`, step.span);
  return 'waiting';
}

const render = (run: Run, template: Parameters<typeof renderTemplate>[0]): string =>
  renderTemplate(template, run.m.env, factsOf(run.state));

function runIf(run: Run, step: IfStepIR): Ran {
  const facts = factsOf(run.state);
  const reasons: { text: string; span: IfStepIR['span'] }[] = [];
  const notTaken: string[] = [];
  for (const [i, branch] of step.branches.entries()) {
    const evaluation = compileExpression(branch.condition, run.m.env)(facts);
    const subject = `the condition on line ${branch.span.line}`;
    reasons.push(...evaluation.because.map((r) => ({ text: r.text, span: r.span })));
    if (evaluation.value === true) {
      const text = `${step.id}: branch ${i + 1} taken: ${explain(evaluation, subject)}`;
      record(run, step.id, notTaken.length === 0 ? text : `${text} (${notTaken.join('; ')})`, branch.span, {
        reasons,
      });
      run.state.frames.push({ branch: i, index: 0 });
      return 'entered';
    }
    notTaken.push(explain(evaluation, subject));
  }
  record(run, step.id, `${step.id}: else taken: ${notTaken.join('; ')}`, step.span, { reasons });
  run.state.frames.push({ branch: -1, index: 0 });
  return 'entered';
}

function runCheck(run: Run, step: CheckStepIR): Ran {
  const check = step.check;
  if (check.kind === 'external') return block(run, step, 'external checks are not implemented yet');
  if (check.kind === 'attest') return block(run, step, 'attestations are not implemented yet');
  const evaluation = compileExpression(check.condition, run.m.env)(factsOf(run.state));
  const reasons = evaluation.because.map((r) => ({ text: r.text, span: r.span }));
  const why = explain(evaluation, `check ${step.id}`);
  if (evaluation.value === true) {
    run.state.results[step.id] = { passed: true, waived: false, outcome: 'passed' };
    record(run, step.id, why, step.span, { reasons });
    return 'next';
  }
  const onFail = step.onFail;
  const message = check.message ? render(run, check.message) : why;
  switch (onFail.action) {
    case 'stop':
      run.state.results[step.id] = { passed: false, waived: false, outcome: 'failed' };
      record(run, step.id, `${why}; on fail stop ${onFail.outcome}`, step.span, { reasons });
      finish(run, onFail.outcome, onFail.message ? render(run, onFail.message) : message, step.span);
      return 'waiting';
    case 'continue':
      run.state.results[step.id] = { passed: false, waived: false, outcome: 'flagged' };
      record(run, step.id, `${why}; continued flagged: ${message}`, step.span, { reasons });
      return 'next';
    case 'waiver':
      record(run, step.id, `${why}; a waiver is required`, step.span, { reasons });
      return block(run, step, 'waiver handling is not implemented yet');
  }
}

function runNotify(run: Run, step: NotifyStepIR): Ran {
  const expanded = expandApprovers(run.m, run.state, step.recipients);
  for (const problem of expanded.problems)
    record(run, step.id, `${step.id}: recipient skipped: ${problem}`, step.span);
  if (expanded.refs.length === 0) {
    record(run, step.id, `${step.id}: nobody to notify`, step.span);
    return 'next';
  }
  const request = newId(run, step.id);
  run.state.waiting = { kind: 'notify', step: step.id, request };
  emit(run, { kind: 'resolve', request, step: step.id, refs: expanded.refs });
  return 'waiting';
}

function runWait(run: Run, step: WaitStepIR): Ran {
  let until: number;
  if (step.wait.kind === 'for') {
    until = after(run.m, step.wait.duration, run.at);
  } else {
    const evaluation = compileExpression(step.wait.date, run.m.env)(factsOf(run.state));
    if (typeof evaluation.value !== 'string') {
      // An unset date cannot be waited for; waiting forever would hide it, so say so and go on.
      record(run, step.id, `${step.id}: not waiting: ${explain(evaluation, 'the date')}`, step.span);
      return 'next';
    }
    run.state.results[step.id] = { until: evaluation.value };
    until = dateInstant(run, evaluation.value);
    if (until <= run.at) {
      record(run, step.id, `${step.id}: ${evaluation.value} has passed; continuing at once`, step.span);
      return 'next';
    }
  }
  const timer = newId(run, step.id);
  run.state.timers.push({ id: timer, step: step.id, purpose: 'wait', at: until });
  run.state.waiting = { kind: 'wait', step: step.id, timer, until };
  if (step.wait.kind === 'for') run.state.results[step.id] = { until: dateOf(run.m, until) };
  emit(run, { kind: 'startTimer', timer, step: step.id, at: until, purpose: 'wait' });
  const duration = step.wait.kind === 'for' ? step.wait.duration : null;
  record(run, step.id, `${step.id}: waiting until ${showInstant(run.m, until, duration)}`, step.span);
  return 'waiting';
}

function dateInstant(run: Run, date: string): number {
  // Local midnight of the policy's zone: "wait until 2026-12-08" means the start of that day there.
  return instantOf(date, '00:00', run.m.zone);
}
