// An approval step from entry to close: resolve approvers and exclusions through the driver,
// compute the eligible set and the quorum (failing closed on any problem), accept or refuse
// decisions, and close with a result the rest of the process can read. Timers live in
// approval-timers.ts; the arithmetic of quorums in quorum.ts; required qualifications in
// qualifications.ts.
import { type ApprovalClose, type ApprovalOutcome, closeReason } from '../facts/index.js';
import type { ApproveStepIR } from '../ir/types.js';
import { after, dateOf, findStep } from './compiled.js';
import { expandApprovers, problemText, uniqueSorted } from './people.js';
import {
  askQualified,
  blockedBecause,
  keepUnqualified,
  unqualifiedField,
  unqualifiedRefusal,
  withUnqualified,
} from './qualifications.js';
import { neededFor, quorumText, tally, verdict } from './quorum.js';
import { cancelTimersOf, completeStep, emit, finish, newId, processIR, record, type Run } from './runtime.js';
import type { ApprovalState, MachineEvent, MachineState } from './types.js';
import { type Refusal, refuse } from './refusals.js';

export function openApproval(run: Run, step: ApproveStepIR): void {
  const approvers = expandApprovers(run.m, run.state, step.approvers);
  const exclusions = expandApprovers(run.m, run.state, step.exclude);
  const approval: ApprovalState = {
    step: step.id,
    openedAt: run.at,
    phase: 'resolving',
    task: newId(run, step.id),
    pending: [],
    approvers: [],
    excluded: [],
    distinct: step.distinctFrom.flatMap((other) =>
      approversOf(run.state, other).map((person) => ({ person, step: other })),
    ),
    eligible: [],
    needed: 0,
    votes: [],
    dueAt: null,
    blocked: null,
    problems: [...approvers.problems, ...exclusions.problems],
  };
  run.thread.waiting = { kind: 'approve', approval };
  record(run, { kind: 'approvalResolving', step: step.id }, step.span);
  if (approval.problems.length > 0) {
    blockApproval(run, step, approval, approval.problems.join('; '));
    return;
  }
  for (const [purpose, expanded] of [
    ['approvers', approvers],
    ['exclusions', exclusions],
  ] as const) {
    if (expanded.refs.length === 0) continue;
    const request = newId(run, step.id);
    approval.pending.push({ request, purpose });
    // Only the approvers must be qualified: the people a `not` clause names are barred anyway.
    const ask = purpose === 'approvers' ? askQualified(step) : {};
    emit(run, { kind: 'resolve', request, step: step.id, refs: expanded.refs, ...ask });
  }
  if (approval.pending.length === 0) settle(run, step, approval);
}

function approversOf(state: MachineState, step: string): string[] {
  const list = state.results[step]?.['approvers'];
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
}

export function stepOf(run: Run, id: string): ApproveStepIR {
  const step = findStep(processIR(run).steps, id);
  if (step?.kind !== 'approve') throw new Error(`no approval step ${id}`);
  return step;
}

type Resolved = Extract<MachineEvent, { kind: 'resolved' }>;

export function onApprovalResolved(run: Run, approval: ApprovalState, event: Resolved): void {
  const step = stepOf(run, approval.step);
  const entry = approval.pending.find((p) => p.request === event.request);
  approval.pending = approval.pending.filter((p) => p.request !== event.request);
  const problems = event.problems.map(problemText);
  const people = uniqueSorted(event.people);
  switch (entry?.purpose) {
    case 'approvers':
      approval.approvers = people;
      approval.problems.push(...problems);
      if (event.unqualified !== undefined)
        keepUnqualified(approval, withUnqualified(approval.unqualified, event.unqualified));
      break;
    case 'exclusions':
      approval.excluded = people;
      approval.problems.push(...problems);
      break;
    // Escalations are answered in escalation.ts (step.ts routes them there).
    case 'escalation':
      return;
    case 'blockedNotice':
      if (people.length > 0) {
        const message = `${step.id} is blocked and needs attention: ${approval.blocked ?? 'no eligible approver'}`;
        emit(run, { kind: 'notify', step: step.id, recipients: people, message });
        record(
          run,
          { kind: 'blockedNoticeSent', step: step.id, recipients: people },
          step.escalations[0]?.span ?? step.span,
        );
      }
      return;
    case undefined:
      return;
  }
  if (approval.phase === 'resolving' && approval.pending.length === 0) settle(run, step, approval);
}

/** Every resolve has answered: fix the eligible set and the quorum, or block (fail closed). */
function settle(run: Run, step: ApproveStepIR, approval: ApprovalState): void {
  if (approval.problems.length > 0) {
    blockApproval(run, step, approval, approval.problems.join('; '));
    return;
  }
  const barred = new Set([...approval.excluded, ...approval.distinct.map((d) => d.person)]);
  approval.eligible = approval.approvers.filter((p) => !barred.has(p));
  const needed = neededFor(step.quorum, approval.eligible.length);
  if ('blocked' in needed) {
    // "no eligible approver; not qualified: alice: qualification itil-change expired 2026-10-01".
    const unqualified = approval.unqualified?.filter((u) => !barred.has(u.person));
    blockApproval(run, step, approval, blockedBecause(needed.blocked, unqualified));
    return;
  }
  approval.needed = needed.needed;
  approval.phase = 'open';
  openTask(run, step, approval, [...barred].sort(), false);
  startApprovalTimers(run, step, approval);
}

function startApprovalTimers(run: Run, step: ApproveStepIR, approval: ApprovalState, remind = true): void {
  const start = (purpose: 'sla' | 'remind' | 'escalate', at: number, level?: number): void => {
    const id = newId(run, step.id);
    run.state.timers.push({ id, step: step.id, purpose, at, ...(level === undefined ? {} : { level }) });
    emit(run, { kind: 'startTimer', timer: id, step: step.id, at, purpose });
  };
  if (step.sla) {
    approval.dueAt = after(run.m, step.sla, approval.openedAt);
    // Without `on timeout` the deadline only shows; nothing happens when it passes (CH5007).
    if (step.onTimeout) start('sla', approval.dueAt);
  }
  if (step.remindEvery && remind) start('remind', after(run.m, step.remindEvery, approval.openedAt));
  for (const [level, escalation] of step.escalations.entries()) {
    start('escalate', after(run.m, escalation.after, approval.openedAt), level);
  }
}

/**
 * Fail closed: the step waits with the reason and the first escalation level hears of it at once.
 * Its deadline and escalation ladder still run (nobody is there to remind): an escalation may
 * bring in enough deciders to open it, and `on timeout` ends it, since a blocked step that
 * waited forever would hide the failure.
 */
function blockApproval(run: Run, step: ApproveStepIR, approval: ApprovalState, reason: string): void {
  approval.phase = 'blocked';
  approval.blocked = reason;
  const barred = new Set([...approval.excluded, ...approval.distinct.map((d) => d.person)]);
  approval.eligible = approval.approvers.filter((p) => !barred.has(p));
  record(run, { kind: 'stepBlocked', step: step.id, reason, still: false }, step.span);
  startApprovalTimers(run, step, approval, false);
  const first = step.escalations[0];
  if (!first) return;
  const expanded = expandApprovers(run.m, run.state, first.to);
  if (expanded.refs.length === 0) return;
  const request = newId(run, step.id);
  approval.pending.push({ request, purpose: 'blockedNotice' });
  emit(run, { kind: 'resolve', request, step: step.id, refs: expanded.refs });
}

/** The approval's task opens to the eligible, and the log says to whom and on which quorum. */
export function openTask(
  run: Run,
  step: ApproveStepIR,
  approval: ApprovalState,
  barred: string[],
  afterEscalation: boolean,
): void {
  const title = `decide ${step.id}`;
  const people = approval.eligible;
  emit(run, { kind: 'openTask', task: approval.task, step: step.id, people, title, taskKind: 'approval' });
  record(
    run,
    {
      kind: 'approvalOpened',
      step: step.id,
      eligible: people,
      needed: approval.needed,
      quorum: quorumText(step.quorum),
      veto: step.veto,
      barred,
      afterEscalation,
      task: 'approval',
      // When it first opens (an escalation's own fact says whom it left out), and only those the
      // qualification alone kept out: the barred are named above for a reason that outlasts it.
      ...unqualifiedField(
        afterEscalation ? undefined : approval.unqualified?.filter((u) => !barred.includes(u.person)),
      ),
    },
    step.span,
  );
}

type Decide = Extract<MachineEvent, { kind: 'decide' }>;

export function validateDecision(
  approval: ApprovalState | null,
  step: ApproveStepIR | undefined,
  event: Decide,
): Refusal | null {
  if (!approval || !step || approval.step !== event.step)
    return refuse('step-not-open', `${event.step} is not open for decisions`);
  // Ranked where the API, which refuses it from the registry before asking, puts it (REFUSALS.md).
  const unqualified = unqualifiedRefusal(approval, event.actor, event.onBehalfOf ?? event.actor);
  if (unqualified) return unqualified;
  if (approval.phase === 'resolving')
    return refuse('step-not-open', `${event.step} is still resolving its approvers`);
  const principal = event.onBehalfOf ?? event.actor;
  if (principal !== event.actor && !step.allowDelegation) {
    return refuse(
      'delegation-not-allowed',
      `${step.id} does not allow delegation: ${event.actor} cannot decide for ${principal}`,
    );
  }
  for (const person of uniqueSorted([principal, event.actor])) {
    if (approval.excluded.includes(person)) {
      return refuse('excluded', `${person} may not decide ${step.id}: excluded by segregation of duties`);
    }
    const distinct = approval.distinct.find((d) => d.person === person);
    if (distinct) {
      return refuse(
        'distinct-from',
        `${person} may not decide ${step.id}: ${person} approved ${distinct.step}`,
      );
    }
  }
  // After the bars above: a person segregation of duties excludes hears so even on a blocked step.
  if (approval.phase === 'blocked')
    return refuse('step-blocked', `${event.step} is blocked: ${approval.blocked ?? ''}`);
  if (!approval.eligible.includes(principal))
    return refuse('not-an-approver', `${principal} is not an approver of ${step.id}`);
  const counted = approval.votes.filter((v) => v.decision !== 'requestChanges');
  const decided = counted.find(
    (v) => v.person === principal || v.actor === event.actor || v.person === event.actor,
  );
  if (decided) return refuse('already-decided', `${decided.person} has already decided ${step.id}`);
  if (event.decision === 'requestChanges' && !step.allowChanges) {
    return refuse('changes-not-allowed', `${step.id} does not allow requesting changes`);
  }
  if (event.decision === 'reject' && (event.reason ?? '').trim() === '') {
    return refuse('reason-required', `a rejection of ${step.id} needs a reason`);
  }
  return null;
}

export function onDecide(run: Run, approval: ApprovalState, event: Decide): void {
  const step = stepOf(run, approval.step);
  const principal = event.onBehalfOf ?? event.actor;
  const reason = event.reason?.trim() ?? null;
  approval.votes.push({
    person: principal,
    actor: event.actor,
    decision: event.decision,
    reason: reason === '' ? null : reason,
    at: run.at,
  });
  const onBehalfOf = principal === event.actor ? null : principal;
  const vote = { kind: 'vote', step: step.id, actor: event.actor, onBehalfOf, vote: event.decision } as const;
  record(run, { ...vote, reason: reason === '' ? null : reason }, step.span);
  const result = verdict(approval, step.veto);
  if (result === null) return;
  const { approvals, rejections, undecided } = tally(approval);
  const needed = approval.needed;
  const why: ApprovalClose =
    result === 'approved'
      ? { kind: 'quorumMet', approvers: approvals, needed }
      : step.veto && rejections.length > 0
        ? { kind: 'vetoed', by: rejections }
        : {
            kind: 'quorumUnreachable',
            approved: approvals.length,
            rejected: rejections.length,
            undecided: undecided.length,
            needed,
          };
  closeApproval(run, step, approval, result, why);
}

export function closeApproval(
  run: Run,
  step: ApproveStepIR,
  approval: ApprovalState,
  outcome: ApprovalOutcome,
  why: ApprovalClose,
): void {
  run.state.results[step.id] = {
    approved: outcome === 'approved',
    outcome,
    approvers: tally(approval).approvals,
    decided_at: dateOf(run.m, run.at),
  };
  // A step that timed out blocked never opened its task: there is nothing to close.
  if (approval.phase === 'open') {
    emit(run, { kind: 'closeTask', task: approval.task, reason: `${step.id} ${outcome}` });
  }
  cancelTimersOf(run, step.id);
  record(run, { kind: 'approvalClosed', step: step.id, outcome, why }, step.span);
  if (outcome === 'approved' || outcome === 'approved by timeout') {
    completeStep(run);
    return;
  }
  run.thread.waiting = null;
  finish(
    run,
    'rejected',
    outcome === 'failed' ? 'failed: deadline passed' : `${step.id} ${outcome}: ${closeReason(why)}`,
    step.span,
  );
}
