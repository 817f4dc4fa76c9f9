// The clock side of an approval: the SLA deadline and what `on timeout` does, reminders that
// repeat until the step is decided, and the escalation ladder. Timers fire as events; a timer of
// a step that has closed was cancelled with it, so any timer arriving here belongs to the step.
import { renderTemplate } from '../expr/index.js';
import { type ApprovalClose, showMoment } from '../facts/index.js';
import { after, factsOf, momentOf } from './compiled.js';
import { closeApproval, stepOf } from './approvals.js';
import { escalate } from './escalation.js';
import { expandApprovers } from './people.js';
import { tally } from './quorum.js';
import { emit, newId, record, type Run } from './runtime.js';
import type { ApprovalState, Timer } from './types.js';

export function onApprovalTimer(run: Run, approval: ApprovalState, timer: Timer): void {
  const step = stepOf(run, approval.step);
  run.state.timers = run.state.timers.filter((t) => t.id !== timer.id);
  switch (timer.purpose) {
    case 'remind': {
      const { undecided } = tally(approval);
      const dueAt = approval.dueAt === null ? null : momentOf(run.m, approval.dueAt, step.sla);
      const due = dueAt === null ? '' : `; due ${showMoment(dueAt)}`;
      if (undecided.length > 0) {
        emit(run, {
          kind: 'notify',
          step: step.id,
          recipients: undecided,
          message: `reminder: ${step.id} awaits your decision${due}`,
        });
        record(run, { kind: 'reminded', step: step.id, people: undecided, dueAt }, step.span);
      }
      if (step.remindEvery) {
        const id = newId(run, step.id);
        const at = after(run.m, step.remindEvery, timer.at);
        run.state.timers.push({ id, step: step.id, purpose: 'remind', at });
        emit(run, { kind: 'startTimer', timer: id, step: step.id, at, purpose: 'remind' });
      }
      return;
    }
    case 'escalate': {
      const level = timer.level ?? 0;
      const escalation = step.escalations[level];
      if (!escalation) return;
      escalate(run, approval, expandApprovers(run.m, run.state, escalation.to), level);
      return;
    }
    case 'sla':
      timeout(run, approval);
      return;
    case 'wait':
      return;
  }
}

function timeout(run: Run, approval: ApprovalState): void {
  const step = stepOf(run, approval.step);
  const action = step.onTimeout;
  if (!action) return;
  const dueAt = approval.dueAt === null ? null : momentOf(run.m, approval.dueAt, step.sla);
  const due = dueAt === null ? 'the deadline' : showMoment(dueAt);
  const message =
    action.action !== 'escalate' && action.message
      ? renderTemplate(action.message, run.m.env, factsOf(run.state))
      : `no decision by ${due}`;
  switch (action.action) {
    case 'reject':
      closeApproval(run, step, approval, 'rejected by timeout', timedOut('reject', message, null));
      return;
    case 'approve':
      // Never approve what could not be decided: a blocked step times out rejected (fail closed).
      if (approval.phase === 'blocked') {
        const why = timedOut('approve', message, approval.blocked ?? '');
        closeApproval(run, step, approval, 'rejected by timeout', why);
      } else closeApproval(run, step, approval, 'approved by timeout', timedOut('approve', message, null));
      return;
    case 'fail':
      closeApproval(run, step, approval, 'failed', timedOut('fail', message, null));
      return;
    case 'escalate':
      // Escalation on timeout sets no further deadline: the step waits for the added deciders.
      approval.dueAt = null;
      record(run, { kind: 'approvalTimedOut', step: step.id, dueAt, action: 'escalate' }, action.span);
      escalate(run, approval, expandApprovers(run.m, run.state, action.to), -1);
      return;
  }
}

const timedOut = (
  action: 'approve' | 'reject' | 'fail',
  message: string,
  blocked: string | null,
): ApprovalClose => ({ kind: 'timeout', action, message, blocked });
