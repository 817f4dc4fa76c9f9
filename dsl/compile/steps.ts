// Lowering steps: one function per step kind, in source order, with the ids the checker
// assigned. Defaults the language leaves implicit are made explicit here so that the engine never
// has to know them: quorum `any`, `on fail stop rejected`, retries 0, priority `normal`,
// `cancel others`.
import type {
  ApproverRef,
  ApproveStep,
  CheckStep,
  OnFail,
  ParallelStep,
  Quorum,
  Step,
  TimeoutAction,
} from '../ast/types.js';
import type { ApproverIR, CheckIR, OnFailIR, QuorumIR, StepIR, TimeoutIR } from '../../engine/ir/types.js';
import {
  CompileError,
  type Lowering,
  lowerDuration,
  lowerExpr,
  lowerOptionalDuration,
  lowerOptionalTemplate,
  lowerTemplate,
  sourceSpan,
} from './exprs.js';

export function lowerApprovers(l: Lowering, refs: readonly ApproverRef[]): ApproverIR[] {
  return refs.map((ref): ApproverIR => {
    const span = sourceSpan(l, ref.span);
    switch (ref.kind) {
      case 'role':
        return { kind: 'role', role: ref.name.name, span };
      case 'group':
        return { kind: 'group', group: ref.id.value, span };
      case 'person':
        return { kind: 'person', person: ref.id.value, span };
      case 'managerOf':
        return { kind: 'managerOf', of: lowerExpr(l, ref.of), span };
      case 'path':
        return { kind: 'expr', expr: lowerExpr(l, ref.path), span };
    }
  });
}

export function lowerSteps(l: Lowering, steps: readonly Step[]): StepIR[] {
  return steps.map((step) => lowerStep(l, step));
}

function stepId(l: Lowering, step: Step): string {
  const id = l.model.stepIds.get(step);
  if (id === undefined) throw new CompileError(`step at ${step.span.line}:${step.span.col} has no id`);
  return id;
}

function lowerStep(l: Lowering, step: Step): StepIR {
  const base = { id: stepId(l, step), span: sourceSpan(l, step.span) };
  switch (step.kind) {
    case 'approve':
      return { ...base, ...lowerApproval(l, step) };
    case 'check':
      return { ...base, kind: 'check', check: lowerCheck(l, step), onFail: lowerOnFail(l, step.onFail) };
    case 'reallocate':
      return {
        ...base,
        kind: 'reallocate',
        hours: step.hours.value,
        skill: step.skill.value,
        pool: step.pool.value,
        project: lowerExpr(l, step.project),
        period: lowerDuration(l, step.period),
        priority: step.priority?.value ?? 'normal',
      };
    case 'notify':
      return {
        ...base,
        kind: 'notify',
        recipients: lowerApprovers(l, step.recipients),
        message: lowerTemplate(l, step.message),
      };
    case 'wait': {
      const wait = step.wait;
      return {
        ...base,
        kind: 'wait',
        wait:
          wait.kind === 'for'
            ? { kind: 'for', duration: lowerDuration(l, wait.duration) }
            : { kind: 'until', date: lowerExpr(l, wait.date) },
      };
    }
    case 'if':
      return {
        ...base,
        kind: 'if',
        branches: step.branches.map((b) => ({
          condition: lowerExpr(l, b.condition),
          steps: lowerSteps(l, b.steps),
          span: sourceSpan(l, b.span),
        })),
        otherwise: step.otherwise ? lowerSteps(l, step.otherwise.steps) : [],
      };
    case 'parallel':
      return { ...base, ...lowerParallel(l, step) };
    case 'end':
      return { ...base, kind: 'end', outcome: step.outcome, message: lowerOptionalTemplate(l, step.message) };
  }
}

function lowerApproval(
  l: Lowering,
  step: ApproveStep,
): Omit<Extract<StepIR, { kind: 'approve' }>, 'id' | 'span'> {
  return {
    kind: 'approve',
    approvers: lowerApprovers(l, step.by),
    quorum: lowerQuorum(step.quorum),
    veto: step.veto !== null,
    exclude: lowerApprovers(l, step.exclude),
    distinctFrom: step.distinctFrom.map((id) => id.name),
    sla: step.within ? lowerDuration(l, step.within.duration) : null,
    remindEvery: lowerOptionalDuration(l, step.remindEvery),
    escalations: step.escalations.map((e) => ({
      after: lowerDuration(l, e.after),
      to: lowerApprovers(l, e.to),
      ...handover(e.handover),
      span: sourceSpan(l, e.span),
    })),
    onTimeout: step.onTimeout ? lowerTimeout(l, step.onTimeout) : null,
    allowDelegation: step.allowDelegation !== null,
    allowChanges: step.allowChanges !== null,
    ...qualifications(step),
  };
}

/** Each qualification once, sorted; the key only when there is one (older IR keeps its bytes). */
function qualifications(step: ApproveStep): { qualifications?: string[] } {
  const ids = [...new Set(step.qualifications.map((q) => q.id.value))].sort();
  return ids.length === 0 ? {} : { qualifications: ids };
}

function lowerQuorum(quorum: Quorum | null): QuorumIR {
  switch (quorum?.kind) {
    case undefined:
      return { kind: 'any' };
    case 'any':
    case 'all':
    case 'majority':
      return { kind: quorum.kind };
    case 'atLeast':
      return { kind: 'atLeast', count: quorum.count.value, poolAtLeast: quorum.of?.value ?? null };
    case 'percent':
      return { kind: 'percent', percent: quorum.percent.value };
  }
}

function lowerTimeout(l: Lowering, timeout: TimeoutAction): TimeoutIR {
  const span = sourceSpan(l, timeout.span);
  if (timeout.kind === 'escalate')
    return { action: 'escalate', to: lowerApprovers(l, timeout.to), ...handover(timeout.handover), span };
  return { action: timeout.kind, message: lowerOptionalTemplate(l, timeout.message), span };
}

/**
 * `handover: true` for `hand over`, and no key at all for `escalate`: the IR of every policy
 * written before handovers existed is hashed and stored, and must stay byte for byte the same.
 */
const handover = (isHandover: boolean): { handover?: true } => (isHandover ? { handover: true } : {});

function lowerCheck(l: Lowering, step: CheckStep): CheckIR {
  const check = step.check;
  switch (check.kind) {
    case 'require':
      return {
        kind: 'rule',
        condition: lowerExpr(l, check.condition),
        message: lowerOptionalTemplate(l, check.message),
      };
    case 'external':
      return {
        kind: 'external',
        service: check.service.value,
        timeout: lowerOptionalDuration(l, check.timeout),
        retries: check.retry?.value ?? 0,
      };
    case 'attest':
      return {
        kind: 'attest',
        by: lowerApprovers(l, check.by),
        statement: check.statement.value,
        evidence: check.evidence,
        within: lowerOptionalDuration(l, check.within),
        // Only when granted, so that attestations without a grant keep their IR bytes.
        ...(check.grants
          ? { grants: { qualification: check.grants.qualification.value, to: lowerExpr(l, check.grants.to) } }
          : {}),
      };
  }
}

function lowerOnFail(l: Lowering, onFail: OnFail | null): OnFailIR {
  switch (onFail?.kind) {
    case undefined:
      return { action: 'stop', outcome: 'rejected', message: null };
    case 'stop':
      return { action: 'stop', outcome: onFail.outcome, message: lowerOptionalTemplate(l, onFail.message) };
    case 'continue':
      return { action: 'continue' };
    case 'waiver':
      return {
        action: 'waiver',
        by: lowerApprovers(l, onFail.by),
        within: lowerDuration(l, onFail.within),
        validFor: lowerOptionalDuration(l, onFail.validFor),
      };
  }
}

function lowerParallel(
  l: Lowering,
  step: ParallelStep,
): Omit<Extract<StepIR, { kind: 'parallel' }>, 'id' | 'span'> {
  return {
    kind: 'parallel',
    onFailure: step.onFailure?.value === 'finish' ? 'finishOthers' : 'cancelOthers',
    branches: step.branches.map((branch) => {
      const id = l.model.branchIds.get(branch);
      if (id === undefined)
        throw new CompileError(`parallel branch at ${branch.span.line}:${branch.span.col} has no id`);
      return { id, steps: lowerSteps(l, branch.steps), span: sourceSpan(l, branch.span) };
    }),
  };
}
