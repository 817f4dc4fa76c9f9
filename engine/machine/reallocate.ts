// `reallocate`: the engine asks the capacity service to move hours and never allocates anything
// itself. Insufficient capacity blocks the instance with the service's reason; it never goes on
// as if the hours were there. (The PMO has no role in a policy, so there is nobody to notify: the
// reason shows in blockedOn, where the PMO looks.)
import { compileValue, sourceOf } from '../expr/index.js';
import type { ReallocateStepIR } from '../ir/types.js';
import { after, factsOf, findStep } from './compiled.js';
import { completeStep, emit, newId, processIR, record, type Run } from './runtime.js';
import type { MachineEvent } from './types.js';

export function startReallocation(run: Run, step: ReallocateStepIR): 'waiting' {
  const project = compileValue(step.project, run.m.env)(factsOf(run.state));
  if (typeof project !== 'string' || project === '') {
    // Fail closed: hours moved to an unknown project could not be undone by the process.
    const reason = `the project (${sourceOf(step.project)}) is not set`;
    run.thread.waiting = { kind: 'blocked', step: step.id, reason };
    record(run, { kind: 'stepBlocked', step: step.id, reason, still: false }, step.span);
    return 'waiting';
  }
  const request = newId(run, step.id);
  run.thread.waiting = { kind: 'reallocate', step: step.id, request };
  const periodMs = after(run.m, step.period, run.at) - run.at;
  const { hours, skill, pool, priority, period } = step;
  emit(run, {
    kind: 'reallocate',
    request,
    step: step.id,
    hours,
    skill,
    pool,
    project,
    period,
    periodMs,
    priority,
  });
  const requested = { kind: 'reallocationRequested', step: step.id, hours, skill, pool } as const;
  record(run, { ...requested, project, priority }, step.span);
  return 'waiting';
}

type Reallocated = Extract<MachineEvent, { kind: 'reallocated' }>;

export function onReallocated(run: Run, stepId: string, event: Reallocated): void {
  const step = findStep(processIR(run).steps, stepId);
  if (step?.kind !== 'reallocate') return;
  const detail = event.detail.trim();
  if (event.outcome === 'allocated') {
    run.state.results[step.id] = { allocated: true, hours: step.hours };
    record(run, { kind: 'reallocated', step: step.id, hours: step.hours, detail: detail || null }, step.span);
    completeStep(run);
    return;
  }
  run.state.results[step.id] = { allocated: false, hours: 0 };
  const reason = `insufficient capacity${detail ? `: ${detail}` : ''}`;
  run.thread.waiting = { kind: 'blocked', step: step.id, reason };
  record(run, { kind: 'stepBlocked', step: step.id, reason, still: false }, step.span);
}
