// The escalation ladder and `on timeout escalate` / `hand over`: who is asked once a step waited
// too long. `escalate` adds people to those deciding and keeps the quorum; `hand over` replaces
// them, and then one decision decides (the first approval approves, the first rejection rejects)
// and decisions made before no longer count. Segregation of duties applies to the new people
// either way; a handover that leaves nobody, or whose people cannot be resolved, blocks the step
// (fail closed) rather than fall back to the people it replaced. A step that requires
// qualifications asks them of the new people too (qualifications.ts): those without are left out,
// and the level's fact says why.
import type { ApproveStepIR } from '../ir/types.js';
import { openTask, stepOf } from './approvals.js';
import { type Expanded, problemText, uniqueSorted } from './people.js';
import {
  askQualified,
  blockedBecause,
  keepUnqualified,
  unqualifiedField,
  withoutPeople,
  withUnqualified,
} from './qualifications.js';
import { neededFor } from './quorum.js';
import { emit, newId, record, type Run } from './runtime.js';
import type { ApprovalState, MachineEvent, Unqualified } from './types.js';

/** Level `level` of the ladder (or -1, `on timeout`) hands over rather than adds. */
function handsOver(step: ApproveStepIR, level: number): boolean {
  if (level >= 0) return step.escalations[level]?.handover === true;
  return step.onTimeout?.action === 'escalate' && step.onTimeout.handover === true;
}

function spanOf(step: ApproveStepIR, level: number) {
  return level >= 0 ? (step.escalations[level]?.span ?? step.span) : (step.onTimeout?.span ?? step.span);
}

/** A level is due: resolve its people through the driver (or act at once when there is nobody). */
export function escalate(run: Run, approval: ApprovalState, expanded: Expanded, level: number): void {
  const step = stepOf(run, approval.step);
  if (expanded.refs.length === 0) {
    escalated(run, step, approval, { people: [], problems: expanded.problems, unqualified: [], level });
    return;
  }
  const request = newId(run, step.id);
  // A handover reports its problems with its answer: any of them blocks it.
  if (handsOver(step, level))
    approval.pending.push({ request, purpose: 'escalation', level, problems: expanded.problems });
  else {
    for (const problem of expanded.problems)
      record(run, { kind: 'escalationProblem', step: step.id, problem }, step.span);
    approval.pending.push({ request, purpose: 'escalation', level });
  }
  emit(run, { kind: 'resolve', request, step: step.id, refs: expanded.refs, ...askQualified(step) });
}

type Resolved = Extract<MachineEvent, { kind: 'resolved' }>;

/** What a level's resolve brought: its people, what could not be resolved, and which level. */
interface Answer {
  people: readonly string[];
  problems: readonly string[];
  /** The people resolved but left out for a required qualification (none when none is required). */
  unqualified: readonly Unqualified[];
  level: number;
}

/** The directory answered an escalation's resolve. */
export function onEscalationResolved(run: Run, approval: ApprovalState, event: Resolved): void {
  const entry = approval.pending.find((p) => p.request === event.request);
  approval.pending = approval.pending.filter((p) => p.request !== event.request);
  if (entry === undefined) return;
  const step = stepOf(run, approval.step);
  const problems = [...(entry.problems ?? []), ...event.problems.map(problemText)];
  escalated(run, step, approval, {
    people: uniqueSorted(event.people),
    problems,
    unqualified: withUnqualified([], event.unqualified),
    level: entry.level ?? -1,
  });
}

function escalated(run: Run, step: ApproveStepIR, approval: ApprovalState, answer: Answer): void {
  if (handsOver(step, answer.level)) handOver(run, step, approval, answer);
  else addDeciders(run, step, approval, answer);
}

/** `escalate`: more people may decide; the quorum stays. */
function addDeciders(
  run: Run,
  step: ApproveStepIR,
  approval: ApprovalState,
  { people, problems, unqualified, level }: Answer,
): void {
  const span = spanOf(step, level);
  for (const problem of problems) record(run, { kind: 'escalationProblem', step: step.id, problem }, span);
  const left = unqualifiedField(unqualified);
  const barred = new Set([
    ...approval.excluded,
    ...approval.distinct.map((d) => d.person),
    ...approval.eligible,
  ]);
  const added = people.filter((p) => !barred.has(p));
  // Someone left out before who holds the qualification now (renewed) joins; the level's people
  // without it are kept with their reason, for the log and for a refusal.
  keepUnqualified(approval, withUnqualified(withoutPeople(approval.unqualified, added), unqualified));
  if (added.length === 0) {
    record(run, { kind: 'escalated', step: step.id, added, level, ...left }, span);
    return;
  }
  approval.eligible = [...approval.eligible, ...added];
  if (approval.phase === 'open') emit(run, { kind: 'addToTask', task: approval.task, people: added });
  emit(run, {
    kind: 'notify',
    step: step.id,
    recipients: added,
    message: `${step.id} has been escalated to you for a decision`,
  });
  record(run, { kind: 'escalated', step: step.id, added, level, ...left }, span);
  if (approval.phase === 'blocked') unblock(run, step, approval);
}

/** A blocked step with escalated deciders opens if its quorum can now be met by the eligible. */
function unblock(run: Run, step: ApproveStepIR, approval: ApprovalState): void {
  // After a handover one decision decides, whatever the step's quorum.
  const needed = approval.handover ? { needed: 1 } : neededFor(step.quorum, approval.eligible.length);
  if ('blocked' in needed) {
    record(run, { kind: 'stepBlocked', step: step.id, reason: needed.blocked, still: true }, step.span);
    return;
  }
  approval.needed = needed.needed;
  approval.phase = 'open';
  approval.blocked = null;
  openTask(run, step, approval, [], true);
}

/** `hand over`: the people resolved replace those deciding, under a new task. */
function handOver(
  run: Run,
  step: ApproveStepIR,
  approval: ApprovalState,
  { people, problems, unqualified, level }: Answer,
): void {
  const span = spanOf(step, level);
  const barred = new Set([...approval.excluded, ...approval.distinct.map((d) => d.person)]);
  const to = people.filter((p) => !barred.has(p));
  keepUnqualified(approval, withUnqualified(withoutPeople(approval.unqualified, to), unqualified));
  // The people handed over from stop deciding either way: their task closes.
  if (approval.phase === 'open')
    emit(run, { kind: 'closeTask', task: approval.task, reason: `${step.id} handed over` });
  approval.handover = true;
  approval.votes = [];
  approval.eligible = to;
  approval.needed = 1;
  approval.task = newId(run, step.id);
  const reason =
    problems.length > 0
      ? `the hand-over could not be resolved: ${problems.join('; ')}`
      : to.length === 0
        ? blockedBecause(
            `nobody to hand over to${barred.size > 0 ? ' who may decide it (segregation of duties)' : ''}`,
            unqualified,
          )
        : null;
  if (reason !== null) {
    // Fail closed: the ladder and the deadline still run and may unblock or end the step.
    approval.phase = 'blocked';
    approval.blocked = reason;
    record(run, { kind: 'stepBlocked', step: step.id, reason, still: false }, span);
    return;
  }
  approval.phase = 'open';
  approval.blocked = null;
  emit(run, {
    kind: 'notify',
    step: step.id,
    recipients: to,
    message: `${step.id} has been handed over to you for a decision`,
  });
  record(run, { kind: 'handedOver', step: step.id, to, level, ...unqualifiedField(unqualified) }, span);
  openTask(run, step, approval, [], true);
}
