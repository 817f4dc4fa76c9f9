// The parts of a compiled policy in a few words each, as a reviewer compares two versions:
// approvers (`cab, manager of request.requester`), quorums (`at least 2 of cab`), durations
// (`3 business days on berlin`), ladders, timeouts, checks, types and templates. Rebuilt from the
// IR (which keeps no source text), with expressions written back by expr/source.ts, so that two
// versions that say the same thing read the same whatever their layout or comments.
import { formatDuration, formatValue, sourceOf } from '../expr/index.js';
import type {
  ApproverIR,
  CheckIR,
  DurationIR,
  EscalationIR,
  InputFieldIR,
  OnFailIR,
  QuorumIR,
  StepIR,
  TemplateIR,
  TimeoutIR,
  TypeIR,
} from './types.js';

/** What an absent clause reads as. */
export const NONE = 'none';

export function approverText(approver: ApproverIR): string {
  switch (approver.kind) {
    case 'role':
      return approver.role;
    case 'group':
      return `group "${approver.group}"`;
    case 'person':
      return `person "${approver.person}"`;
    case 'managerOf':
      return `manager of ${sourceOf(approver.of)}`;
    case 'expr':
      return sourceOf(approver.expr);
  }
}

export const approversText = (approvers: readonly ApproverIR[]): string =>
  approvers.length === 0 ? NONE : approvers.map(approverText).join(', ');

/** The quorum with the people it counts: `any 1 of cab`, `at least 3 of 5 of cab`, `all of cab`. */
export function quorumText(quorum: QuorumIR, approvers: readonly ApproverIR[]): string {
  const who = approversText(approvers);
  switch (quorum.kind) {
    case 'any':
      return `any 1 of ${who}`;
    case 'all':
      return `all of ${who}`;
    case 'majority':
      return `a majority of ${who}`;
    case 'atLeast':
      return quorum.poolAtLeast === null
        ? `at least ${quorum.count} of ${who}`
        : `at least ${quorum.count} of ${quorum.poolAtLeast} of ${who}`;
    case 'percent':
      return `at least ${quorum.percent}% of ${who}`;
  }
}

/** `4 hours`, `3 business days on berlin`; `none` for an absent clause. */
export function durationText(duration: DurationIR | null | undefined): string {
  if (duration === null || duration === undefined) return NONE;
  const words = formatDuration(duration);
  return duration.business && duration.calendar !== null ? `${words} on ${duration.calendar}` : words;
}

export function templateText(template: TemplateIR | null): string {
  if (template === null) return NONE;
  return `"${template.parts.map((part) => ('text' in part ? part.text : `{${sourceOf(part.expr)}}`)).join('')}"`;
}

/** One rung of the ladder: `after 2 hours to it_ops_head`, `hand over after 3 days to cio`. */
export const escalationText = (escalation: EscalationIR): string =>
  `${escalation.handover === true ? 'hand over' : 'escalate'} after ${durationText(escalation.after)} to ${approversText(escalation.to)}`;

export const ladderText = (escalations: readonly EscalationIR[]): string =>
  escalations.length === 0 ? NONE : escalations.map(escalationText).join('; ');

export function timeoutText(timeout: TimeoutIR | null): string {
  if (timeout === null) return NONE;
  if (timeout.action === 'escalate') {
    return `${timeout.handover === true ? 'hand over' : 'escalate'} to ${approversText(timeout.to)}`;
  }
  return timeout.message === null ? timeout.action : `${timeout.action} ${templateText(timeout.message)}`;
}

/** What a check asks, without what happens when it fails (onFailText). */
export function checkText(check: CheckIR): string {
  switch (check.kind) {
    case 'rule':
      return `require ${sourceOf(check.condition)}${check.message === null ? '' : ` else ${templateText(check.message)}`}`;
    case 'external':
      return `external "${check.service}" timeout ${durationText(check.timeout)} retry ${check.retries}`;
    case 'attest': {
      const evidence = check.evidence ? ' with evidence' : '';
      const within = check.within === null ? '' : ` within ${durationText(check.within)}`;
      const grants =
        check.grants === undefined
          ? ''
          : ` grants qualification "${check.grants.qualification}" to ${sourceOf(check.grants.to)}`;
      return `attest by ${approversText(check.by)} "${check.statement}"${evidence}${within}${grants}`;
    }
  }
}

export function onFailText(onFail: OnFailIR): string {
  switch (onFail.action) {
    case 'stop':
      return `stop ${onFail.outcome}${onFail.message === null ? '' : ` ${templateText(onFail.message)}`}`;
    case 'continue':
      return 'continue';
    case 'waiver': {
      const valid = onFail.validFor === null ? '' : ` valid for ${durationText(onFail.validFor)}`;
      return `waiver by ${approversText(onFail.by)} within ${durationText(onFail.within)}${valid}`;
    }
  }
}

export function typeText(type: TypeIR): string {
  switch (type.kind) {
    case 'money':
      return type.currency === null ? 'money' : `money ${type.currency}`;
    case 'enum':
      return type.values.map((value) => `"${value}"`).join(' | ');
    case 'list':
      return `list of ${typeText(type.element)}`;
    default:
      return type.kind;
  }
}

/** An input field's declaration as written: `budget: money EUR`, `window: date optional`. */
export function inputText(field: InputFieldIR): string {
  // A field with a default is optional in the IR; its declaration says only the default.
  const optional = field.optional && field.default === null ? ' optional' : '';
  const fallback = field.default === null ? '' : ` = ${formatValue(field.default, field.type, 'explain')}`;
  return `${field.name}: ${typeText(field.type)}${optional}${fallback}`;
}

/** A step in one line, for steps that only one of two versions has. */
export function stepSummary(step: StepIR): string {
  switch (step.kind) {
    case 'approve': {
      const within = step.sla === null ? '' : `, within ${durationText(step.sla)}`;
      return `approve: ${quorumText(step.quorum, step.approvers)}${within}`;
    }
    case 'check':
      return `check: ${checkText(step.check)}`;
    case 'reallocate':
      return `reallocate: ${step.hours} hours of skill "${step.skill}" from pool "${step.pool}"`;
    case 'notify':
      return `notify ${approversText(step.recipients)}: ${templateText(step.message)}`;
    case 'wait':
      return step.wait.kind === 'for'
        ? `wait ${durationText(step.wait.duration)}`
        : `wait until ${sourceOf(step.wait.date)}`;
    case 'if':
      return `if ${step.branches.map((b) => sourceOf(b.condition)).join(' / else if ')}`;
    case 'parallel':
      return `parallel: ${step.branches.length} branches`;
    case 'end':
      return `end ${step.outcome}${step.message === null ? '' : ` ${templateText(step.message)}`}`;
  }
}
