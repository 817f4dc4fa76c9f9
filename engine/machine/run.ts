// The interpreter loop: run each thread's steps from its program counter until it must wait for
// the outside world or the process ends. Steps that need nothing from outside (if, end, rule
// checks) complete here synchronously; the others hand over to their modules, which call
// `completeStep` and `advance` again when their answer arrives. `parallel` forks one thread per
// branch and waits; runtime.ts joins them.
import { instantOf } from '../calendar/index.js';
import { compileExpression, explain, renderTemplate } from '../expr/index.js';
import type { IfStepIR, NotifyStepIR, ParallelStepIR, StepIR, WaitStepIR } from '../ir/types.js';
import { openApproval } from './approvals.js';
import { startCheck } from './checks.js';
import { startReallocation } from './reallocate.js';
import { after, blockOf, dateOf, factsOf, momentOf } from './compiled.js';
import { expandApprovers } from './people.js';
import { emit, endBranch, finish, newId, processIR, record, type Run } from './runtime.js';
import type { Thread } from './types.js';

type Ran = 'next' | 'entered' | 'waiting';

/** Runs every thread that is not waiting, in order, until all wait or the process has ended. */
export function advance(run: Run): void {
  for (;;) {
    if (run.state.status !== 'running') return;
    const thread = run.state.threads.find((t) => t.waiting === null);
    if (!thread) return;
    run.thread = thread;
    advanceThread(run, thread);
  }
}

function advanceThread(run: Run, thread: Thread): void {
  const process = processIR(run);
  // A thread that ended (its branch finished or was cancelled) has left the list.
  while (run.state.status === 'running' && thread.waiting === null && run.state.threads.includes(thread)) {
    run.thread = thread;
    const frames = thread.frames;
    const top = frames[frames.length - 1];
    if (!top) return;
    const step = blockOf(process, frames)[top.index];
    if (!step) {
      if (frames.length <= thread.base) {
        // The end of the thread's own block: the process (main) or the branch ran to its end.
        if (thread.parent === null) finish(run, 'approved', 'the process ran to its end', process.span);
        else endBranch(run, null, 'the branch ran to its end', null);
        return;
      }
      // The end of an inner block: continue after the step that opened it.
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
      return startCheck(run, step, false);
    case 'notify':
      return runNotify(run, step);
    case 'wait':
      return runWait(run, step);
    case 'approve':
      openApproval(run, step);
      return 'waiting';
    case 'parallel':
      return runParallel(run, step);
    case 'reallocate':
      return startReallocation(run, step);
  }
}

/** Starts one thread per branch; this thread waits until every branch has ended. */
function runParallel(run: Run, step: ParallelStepIR): Ran {
  if (step.branches.length === 0) return 'next';
  const parent = run.thread;
  const children = step.branches.map((branch, i) => ({
    id: `${step.id}/${branch.id}`,
    parent: parent.id,
    frames: [...parent.frames.map((f) => ({ ...f })), { branch: i, index: 0 }],
    base: parent.frames.length + 1,
    waiting: null,
  }));
  parent.waiting = { kind: 'parallel', step: step.id, children: children.map((c) => c.id), ending: null };
  run.state.threads.push(...children);
  const threads = children.map((c) => c.id);
  const onFailure = step.onFailure === 'cancelOthers' ? 'cancelOthers' : 'finishOthers';
  record(run, { kind: 'branchesStarted', step: step.id, threads, onFailure }, step.span);
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
      const because = explain(evaluation, subject);
      record(run, { kind: 'branchTaken', step: step.id, branch: i + 1, because, notTaken }, branch.span, {
        reasons,
        branch: `branch ${i + 1}`,
      });
      run.thread.frames.push({ branch: i, index: 0 });
      return 'entered';
    }
    notTaken.push(explain(evaluation, subject));
  }
  record(run, { kind: 'elseTaken', step: step.id, notTaken }, step.span, {
    reasons,
    branch: 'else',
  });
  run.thread.frames.push({ branch: -1, index: 0 });
  return 'entered';
}

function runNotify(run: Run, step: NotifyStepIR): Ran {
  const expanded = expandApprovers(run.m, run.state, step.recipients);
  for (const problem of expanded.problems)
    record(run, { kind: 'recipientSkipped', step: step.id, problem }, step.span);
  if (expanded.refs.length === 0) {
    record(run, { kind: 'nobodyToNotify', step: step.id }, step.span);
    return 'next';
  }
  const request = newId(run, step.id);
  run.thread.waiting = { kind: 'notify', step: step.id, request };
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
      record(
        run,
        { kind: 'waitSkipped', step: step.id, because: explain(evaluation, 'the date') },
        step.span,
      );
      return 'next';
    }
    run.state.results[step.id] = { until: evaluation.value };
    until = dateInstant(run, evaluation.value);
    if (until <= run.at) {
      record(run, { kind: 'waitPassed', step: step.id, date: evaluation.value }, step.span);
      return 'next';
    }
  }
  const timer = newId(run, step.id);
  run.state.timers.push({ id: timer, step: step.id, purpose: 'wait', at: until });
  run.thread.waiting = { kind: 'wait', step: step.id, timer, until };
  if (step.wait.kind === 'for') run.state.results[step.id] = { until: dateOf(run.m, until) };
  emit(run, { kind: 'startTimer', timer, step: step.id, at: until, purpose: 'wait' });
  const duration = step.wait.kind === 'for' ? step.wait.duration : null;
  record(run, { kind: 'waiting', step: step.id, until: momentOf(run.m, until, duration) }, step.span);
  return 'waiting';
}

function dateInstant(run: Run, date: string): number {
  // Local midnight of the policy's zone: "wait until 2026-12-08" means the start of that day there.
  return instantOf(date, '00:00', run.m.zone);
}
