// Reading a state back to people: the ordered decision log with reasons and policy spans, and what
// an open instance is waiting for, in the words a PMO uses ("1 more approval from cab_review …").
import { compiledFor, findStep, processOf, showInstant } from './compiled.js';
import { names } from './people.js';
import { plural, tally } from './quorum.js';
import type { BlockedOn, Decision, MachineState } from './types.js';

export function explain(state: MachineState): Decision[] {
  return state.decisions.map((d) => ({ ...d }));
}

export function blockedOn(state: MachineState): BlockedOn[] {
  if (state.status !== 'running') return [];
  const waiting = state.waiting;
  const m = compiledFor(state.policy);
  switch (waiting?.kind) {
    case undefined:
      return [];
    case 'blocked':
      return [
        {
          step: waiting.step,
          kind: 'blocked',
          text: `${waiting.step} is blocked: ${waiting.reason}`,
          dueAt: null,
        },
      ];
    case 'notify':
      return [
        { step: waiting.step, kind: 'resolve', text: `${waiting.step}: resolving recipients`, dueAt: null },
      ];
    case 'wait':
      return [
        {
          step: waiting.step,
          kind: 'timer',
          text: `${waiting.step}: waiting until ${showInstant(m, waiting.until, null)}`,
          dueAt: waiting.until,
        },
      ];
    case 'approve': {
      const a = waiting.approval;
      const found = findStep(processOf(m, state.process)?.steps ?? [], a.step);
      const sla = found?.kind === 'approve' ? found.sla : null;
      if (a.phase === 'blocked')
        return [
          { step: a.step, kind: 'blocked', text: `${a.step} is blocked: ${a.blocked ?? ''}`, dueAt: null },
        ];
      if (a.phase === 'resolving') {
        return [{ step: a.step, kind: 'resolve', text: `${a.step}: resolving approvers`, dueAt: null }];
      }
      const { approvals } = tally(a);
      const missing = a.needed - approvals.length;
      const so = approvals.length === 0 ? 'none yet' : `${names(approvals)} approved`;
      const due = a.dueAt === null ? '' : `; due ${showInstant(m, a.dueAt, sla)}`;
      const text = `${missing} more ${plural(missing, 'approval')} from ${a.step} (${a.needed} of ${a.eligible.length} needed; ${so})${due}`;
      return [{ step: a.step, kind: 'approval', text, dueAt: a.dueAt }];
    }
  }
}
