// One check per step kind, for what each step says by itself: its expressions and messages are
// typed, its approvers resolved, its durations given a calendar. Ordering and reachability are
// flow.ts's concern; approval logic is approvals.ts's.
import type { CheckStep, DurationLit, Grant, OnFail, ReallocateStep, Step, WaitStep } from '../ast/types.js';
import { checkApproval, reportEmptyQualification } from './approvals.js';
import { checkApprovers, expectPeople } from './approvers.js';
import { useDuration } from './calendars.js';
import { type ExprEnv, filePath } from './expr-env.js';
import { checkTemplate, expectBoolean, typeExpr } from './exprs.js';
import { quote } from './expr-env.js';
import { isTextual, show, T } from './types.js';

/** Steps other than `if` and `parallel`, whose blocks flow.ts walks. */
export function checkStep(env: ExprEnv, step: Step): void {
  switch (step.kind) {
    case 'approve':
      return checkApproval(env, step);
    case 'check':
      return checkCheck(env, step);
    case 'reallocate':
      return checkReallocate(env, step);
    case 'notify':
      checkApprovers(env, step.recipients);
      return checkTemplate(env, step.message);
    case 'wait':
      return checkWait(env, step);
    case 'end':
      if (step.message) checkTemplate(env, step.message);
      return;
    case 'if':
    case 'parallel':
      return;
  }
}

/** A clause duration outside an approval: it inherits no calendar, it only names its own. */
export function clauseDuration(env: ExprEnv, duration: DurationLit | null): void {
  if (duration)
    useDuration(env.ctx, env.file, duration, { inherited: undefined, markUsed: true, inExpression: false });
}

function checkCheck(env: ExprEnv, step: CheckStep): void {
  const check = step.check;
  switch (check.kind) {
    case 'require':
      expectBoolean(env, check.condition, `the condition of \`${step.id.name}\``);
      if (check.message) checkTemplate(env, check.message);
      break;
    case 'external':
      clauseDuration(env, check.timeout);
      break;
    case 'attest':
      checkApprovers(env, check.by);
      if (check.grants) checkGrant(env, step, check.grants);
      clauseDuration(env, check.within);
      break;
  }
  if (step.onFail) checkOnFail(env, step.onFail);
}

/** Whom an attestation grants a qualification: people, and a qualification named by its id. */
function checkGrant(env: ExprEnv, step: CheckStep, grant: Grant): void {
  expectPeople(env, grant.to, true, `the grantee of \`${step.id.name}\``);
  if (grant.qualification.value.trim() !== '') return;
  reportEmptyQualification(
    env,
    grant.qualification.span,
    `attestation \`${step.id.name}\` grants`,
    'grants qualification "itil-change" to request.trainee',
  );
}

function checkOnFail(env: ExprEnv, onFail: OnFail): void {
  switch (onFail.kind) {
    case 'stop':
      if (onFail.message) checkTemplate(env, onFail.message);
      return;
    case 'continue':
      return;
    case 'waiver':
      checkApprovers(env, onFail.by);
      clauseDuration(env, onFail.within);
      clauseDuration(env, onFail.validFor);
      return;
  }
}

function checkReallocate(env: ExprEnv, step: ReallocateStep): void {
  if (step.hours.value <= 0) {
    env.ctx.report.error(
      'CH5016',
      filePath(env),
      step.hours.span,
      `reallocating \`${step.hours.raw}\` hours moves no one`,
      {
        help: 'reallocate more than 0 hours, or remove the step',
      },
    );
  }
  const project = typeExpr(env, step.project, T.text);
  if (project.kind !== 'unknown' && !isTextual(project)) {
    env.ctx.report.error(
      'CH4018',
      filePath(env),
      step.project.span,
      `the project must be text, but ${quote(env, step.project)} is \`${show(project)}\``,
      {
        help: 'name the project with a text input field, e.g. `to project request.project`',
      },
    );
  }
  clauseDuration(env, step.period);
}

function checkWait(env: ExprEnv, step: WaitStep): void {
  const wait = step.wait;
  if (wait.kind === 'for') {
    clauseDuration(env, wait.duration);
    return;
  }
  const type = typeExpr(env, wait.date, T.date);
  if (type.kind === 'date' || type.kind === 'unknown') return;
  env.ctx.report.error(
    'CH4011',
    filePath(env),
    wait.date.span,
    `\`wait until\` needs a date, but ${quote(env, wait.date)} is \`${show(type)}\``,
    {
      help:
        type.kind === 'duration'
          ? 'to wait for a length of time, write `wait <duration>`'
          : 'give a date, e.g. `request.window`',
    },
  );
}
