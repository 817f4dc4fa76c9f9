// Reading a state back to people: the ordered decision log with reasons and policy spans, and what
// an open instance is waiting for, in the words a PMO uses ("1 more approval from cab_review …").
import { compiledFor, findStep, processOf, showInstant } from './compiled.js';
import { names } from './people.js';
import { plural } from '../facts/index.js';
import { tally } from './quorum.js';
import type { ApproverIR, ApproveStepIR } from '../ir/types.js';
import type { ApprovalState, BlockedOn, CheckState, Decision, MachineState, Waiting } from './types.js';

export function explain(state: MachineState): Decision[] {
  return state.decisions.map((d) => ({ ...d }));
}

export function blockedOn(state: MachineState): BlockedOn[] {
  if (state.status !== 'running') return [];
  // Background re-runs of checks whose waiver expired wait alongside the foreground step.
  const threads = state.threads.flatMap((t) => foreground(state, t.waiting));
  return [...threads, ...state.rechecks.map((c) => checkBlockedOn(state, c))];
}

function foreground(state: MachineState, waiting: Waiting | null): BlockedOn[] {
  const m = compiledFor(state.policy);
  switch (waiting?.kind) {
    case undefined:
      return [];
    case 'parallel':
    case 'settling':
      // The branches (or the re-checks) say what they wait for; this thread only waits for them.
      return [];
    case 'check':
      return [checkBlockedOn(state, waiting.check)];
    case 'reallocate':
      return [
        {
          step: waiting.step,
          kind: 'reallocation',
          text: `${waiting.step}: waiting for the capacity service`,
          dueAt: null,
        },
      ];
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
    case 'approve':
      return [approvalBlockedOn(state, waiting.approval)];
  }
}

/**
 * "2 more approvals from cab_review (3 of 5 needed; alice approved); due Fri ...; escalates to
 * change_manager at Wed ...; on timeout rejected": what is missing, and what the clock will do.
 */
function approvalBlockedOn(state: MachineState, a: ApprovalState): BlockedOn {
  const m = compiledFor(state.policy);
  const found = findStep(processOf(m, state.process)?.steps ?? [], a.step);
  const step = found?.kind === 'approve' ? found : null;
  if (a.phase === 'resolving') {
    return { step: a.step, kind: 'resolve', text: `${a.step}: resolving approvers`, dueAt: null };
  }
  const clock = step ? clockText(state, a, step) : '';
  if (a.phase === 'blocked') {
    return {
      step: a.step,
      kind: 'blocked',
      text: `${a.step} is blocked: ${a.blocked ?? ''}${clock}`,
      dueAt: a.dueAt,
    };
  }
  const { approvals } = tally(a);
  const missing = a.needed - approvals.length;
  const so = approvals.length === 0 ? 'none yet' : `${names(approvals)} approved`;
  const text = `${missing} more ${plural(missing, 'approval')} from ${a.step} (${a.needed} of ${a.eligible.length} needed; ${so})${clock}`;
  return { step: a.step, kind: 'approval', text, dueAt: a.dueAt };
}

function clockText(state: MachineState, a: ApprovalState, step: ApproveStepIR): string {
  const m = compiledFor(state.policy);
  const parts: string[] = [];
  if (a.dueAt !== null) parts.push(`due ${showInstant(m, a.dueAt, step.sla)}`);
  const next = state.timers
    .filter((t) => t.step === a.step && t.purpose === 'escalate')
    .sort((x, y) => x.at - y.at)[0];
  const level = next?.level === undefined ? undefined : step.escalations[next.level];
  if (next && level) {
    const when = next.at === a.dueAt ? 'at that time' : `at ${showInstant(m, next.at, step.sla)}`;
    const verb = level.handover ? 'hands over to' : 'escalates to';
    parts.push(`${verb} ${level.to.map(approverText).join(', ')} ${when}`);
  }
  const timeout = step.onTimeout;
  if (timeout && a.dueAt !== null && state.timers.some((t) => t.step === a.step && t.purpose === 'sla')) {
    parts.push(
      timeout.action === 'escalate'
        ? `then ${timeout.handover ? 'hands over to' : 'escalates to'} ${timeout.to.map(approverText).join(', ')}`
        : `then ${TIMEOUT_WORDS[timeout.action]}`,
    );
  }
  return parts.length === 0 ? '' : `; ${parts.join('; ')}`;
}

const TIMEOUT_WORDS = {
  reject: 'rejected by timeout',
  approve: 'approved by timeout',
  fail: 'fails the process',
} as const;

/** An approver reference as the policy names it: the role, the group, the person. */
function approverText(approver: ApproverIR): string {
  switch (approver.kind) {
    case 'role':
      return approver.role;
    case 'group':
      return `group "${approver.group}"`;
    case 'person':
      return approver.person;
    case 'managerOf':
      return 'the manager';
    case 'expr':
      return 'the people named in the request';
  }
}

function checkBlockedOn(state: MachineState, check: CheckState): BlockedOn {
  const m = compiledFor(state.policy);
  const found = findStep(processOf(m, state.process)?.steps ?? [], check.step);
  const step = found?.kind === 'check' ? found : null;
  const base = { step: check.step, dueAt: check.dueAt };
  const within =
    step?.onFail.action === 'waiver' && check.phase === 'waiver'
      ? step.onFail.within
      : step?.check.kind === 'attest'
        ? step.check.within
        : null;
  const due = check.dueAt === null ? '' : `; due ${showInstant(m, check.dueAt, within)}`;
  if (check.phase === 'running') {
    const service = step?.check.kind === 'external' ? step.check.service : 'the service';
    return { ...base, kind: 'check', text: `${check.step}: waiting for "${service}"` };
  }
  const what = check.phase === 'attest' ? 'attestation' : 'waiver';
  if (check.blocked !== null)
    return { ...base, kind: 'blocked', text: `${check.step} is blocked: ${check.blocked}${due}` };
  if (check.task === null)
    return { ...base, kind: 'resolve', text: `${check.step}: resolving ${what} people${due}` };
  return { ...base, kind: what, text: `${check.step}: ${what} from ${names(check.people)}${due}` };
}
