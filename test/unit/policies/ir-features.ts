// Names every language capability a compiled policy shows, so a test can prove that the shipped
// policies, taken through parse, check and compile, exercise all of them.
import type {
  ApproverIR,
  ExprIR,
  OnFailIR,
  PolicyIR,
  StepIR,
  TemplateIR,
  TypeIR,
} from '../../../engine/ir/index.js';

export function featuresOf(ir: PolicyIR): Set<string> {
  const found = new Set<string>();
  const add = (feature: string) => found.add(feature);

  if (ir.sources.length > 1) add('use of a library');
  if (ir.policy.owner) add('policy owner');
  for (const calendar of ir.calendars) {
    if (calendar.holidays.length > 0) add('calendar holidays');
    if (new Set(calendar.hours.map((h) => h.day)).size >= 5) add('calendar working week');
  }
  for (const role of ir.roles) role.members.forEach((m) => approver(m, 'role member'));
  for (const rule of ir.rules) {
    if (rule.because) add('rule because');
    expr(rule.condition);
  }
  for (const process of ir.processes) {
    for (const field of process.input) {
      type(field.type);
      if (field.optional && field.default === null) add('input optional');
      if (field.default !== null) {
        add('input default');
        add(`literal ${field.type.kind}`);
      }
    }
    process.steps.forEach(step);
  }
  return found;

  function type(t: TypeIR): void {
    if (t.kind === 'money') add(t.currency ? 'type money with currency' : 'type money any currency');
    else add(`type ${t.kind}`);
    if (t.kind === 'list') type(t.element);
  }

  function step(s: StepIR): void {
    switch (s.kind) {
      case 'approve':
        add('step approve');
        add(
          s.quorum.kind === 'atLeast' && s.quorum.poolAtLeast !== null
            ? 'quorum N of M'
            : `quorum ${s.quorum.kind}`,
        );
        if (s.veto) add('approve veto');
        if (s.exclude.length > 0) add('approve segregation of duties');
        if (s.distinctFrom.length > 0) add('approve distinct from');
        if (s.sla) add(s.sla.business ? 'approve business-time SLA' : 'approve plain SLA');
        if (s.remindEvery) add('approve reminders');
        if (s.escalations.length >= 2) add('approve escalation ladder');
        if (s.onTimeout?.action === 'escalate' && s.onTimeout.handover) add('on timeout hand over');
        else if (s.onTimeout) add(`on timeout ${s.onTimeout.action}`);
        if (s.allowDelegation) add('approve allow delegation');
        if (s.allowChanges) add('approve allow changes');
        if ((s.qualifications ?? []).length > 0) add('approve require qualification');
        s.approvers.forEach((a) => approver(a, 'approver'));
        s.exclude.forEach((a) => approver(a, 'excluded'));
        s.escalations.forEach((e) => e.to.forEach((a) => approver(a, 'escalation')));
        if (s.onTimeout?.action === 'escalate') s.onTimeout.to.forEach((a) => approver(a, 'escalation'));
        else if (s.onTimeout?.message) template(s.onTimeout.message);
        return;
      case 'check':
        add(`check ${s.check.kind}`);
        if (s.check.kind === 'rule') {
          expr(s.check.condition);
          if (s.check.message) template(s.check.message);
        } else if (s.check.kind === 'attest') {
          if (s.check.evidence) add('attest with evidence');
          s.check.by.forEach((a) => approver(a, 'attester'));
        } else if (s.check.retries > 0) {
          add('external check retries');
        }
        onFail(s.onFail);
        return;
      case 'reallocate':
        add('step reallocate');
        add(`reallocate priority ${s.priority}`);
        expr(s.project);
        return;
      case 'notify':
        add('step notify');
        s.recipients.forEach((a) => approver(a, 'recipient'));
        template(s.message);
        return;
      case 'wait':
        add(`wait ${s.wait.kind}`);
        if (s.wait.kind === 'until') expr(s.wait.date);
        return;
      case 'if':
        add('step if');
        if (s.branches.length > 1) add('else if');
        if (s.otherwise.length > 0) add('else');
        s.branches.forEach((b) => {
          expr(b.condition);
          b.steps.forEach(step);
        });
        s.otherwise.forEach(step);
        return;
      case 'parallel':
        add(`parallel ${s.onFailure}`);
        if (s.branches.some((b) => b.steps.length > 1)) add('parallel multi-step branch');
        s.branches.forEach((b) => b.steps.forEach(step));
        return;
      case 'end':
        add(`end ${s.outcome}`);
        if (s.message) template(s.message);
        return;
    }
  }

  function onFail(f: OnFailIR): void {
    if (f.action === 'stop') add(`on fail stop ${f.outcome}`);
    else if (f.action === 'continue') add('on fail continue flagged');
    else {
      add('on fail waiver');
      if (f.validFor) add('waiver expiry');
      f.by.forEach((a) => approver(a, 'waiver'));
    }
  }

  function approver(a: ApproverIR, where: string): void {
    add(`${where} ${a.kind}`);
    if (a.kind === 'managerOf') expr(a.of);
    if (a.kind === 'expr') expr(a.expr);
  }

  function template(t: TemplateIR): void {
    if (t.parts.some((p) => 'expr' in p)) add('template hole');
    for (const part of t.parts) if ('expr' in part) expr(part.expr);
  }

  function expr(e: ExprIR): void {
    add(`expr ${e.op}`);
    switch (e.op) {
      case 'literal':
        add(`literal ${e.type.kind}`);
        return;
      case 'not':
      case 'neg':
        expr(e.arg);
        return;
      case 'list':
        e.items.forEach(expr);
        return;
      case 'call':
        add(`function ${e.fn}`);
        e.args.forEach(expr);
        return;
      case 'input':
      case 'stepResult':
      case 'rule':
      case 'project':
      case 'today':
      case 'history':
        if (e.op === 'stepResult') add(`step result ${e.property}`);
        return;
      default:
        expr(e.left);
        expr(e.right);
    }
  }
}
