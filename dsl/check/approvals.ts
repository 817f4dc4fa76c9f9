// Approval logic that types alone cannot catch: quorums that can never be met, segregation of
// duties that excludes every possible approver or everyone a handover goes to, `distinct from`
// steps that are not approvals or may not have run, and deadlines that say nothing about what
// happens when they pass.
import type { ApproveStep, ApproverRef, Quorum, Span } from '../ast/types.js';
import { suggest } from '../diagnostics/suggest.js';
import { checkApprovers, leaves } from './approvers.js';
import { useDuration } from './calendars.js';
import { type ExprEnv, filePath } from './expr-env.js';
import { checkTemplate } from './exprs.js';
import { reportNotRun } from './paths.js';
import { meant } from '../diagnostics/diagnostic.js';

export function checkApproval(env: ExprEnv, step: ApproveStep): void {
  checkApprovers(env, step.by);
  checkApprovers(env, step.exclude);
  for (const escalation of step.escalations) checkApprovers(env, escalation.to);
  if (step.onTimeout?.kind === 'escalate') checkApprovers(env, step.onTimeout.to);
  else if (step.onTimeout?.message) checkTemplate(env, step.onTimeout.message);
  checkDurations(env, step);
  if (step.quorum) checkQuorum(env, step.quorum);
  checkPeople(env, step);
  checkHandovers(env, step);
  for (const id of step.distinctFrom) checkDistinctFrom(env, id);
  checkTimeout(env, step);
  for (const q of step.qualifications) {
    if (q.id.value.trim() !== '') continue;
    reportEmptyQualification(
      env,
      q.id.span,
      `approval \`${step.id.name}\` requires`,
      'require qualification "itil-change"',
    );
  }
}

/** CH5021: a qualification named by an empty id, in a `require` or an attestation's `grants`. */
export function reportEmptyQualification(env: ExprEnv, span: Span, subject: string, example: string): void {
  env.ctx.report.error('CH5021', filePath(env), span, `${subject} a qualification with no id`, {
    help: `name a qualification of the registry by its id, e.g. \`${example}\``,
  });
}

/** Reminders and escalations count on the calendar of the deadline they act on, unless they name one. */
function checkDurations(env: ExprEnv, step: ApproveStep): void {
  const own = { inherited: undefined, markUsed: true, inExpression: false };
  const inherited = step.within ? useDuration(env.ctx, env.file, step.within.duration, own) : undefined;
  const use = { ...own, inherited };
  if (step.remindEvery) useDuration(env.ctx, env.file, step.remindEvery, use);
  for (const escalation of step.escalations) useDuration(env.ctx, env.file, escalation.after, use);
}

/** Quorums of nobody, or of more deciders than `of` allows. Fractions and percentages outside
 * 0-100% are the builder's to report (CH2012, CH2008). */
function checkQuorum(env: ExprEnv, quorum: Quorum): void {
  const report = (message: string, help: string) =>
    env.ctx.report.error('CH5003', filePath(env), quorum.span, message, { help });
  const nobody = 'nobody would decide the step; remove the approval if no approval is needed';
  if (quorum.kind === 'percent') {
    if (quorum.percent.value === 0)
      report(`\`at least ${quorum.percent.raw}%\` needs no approval at all`, nobody);
    return;
  }
  if (quorum.kind !== 'atLeast') return;
  const n = quorum.count.value;
  if (n === 0) {
    report(`\`at least ${quorum.count.raw}\` needs no approval at all`, nobody);
  } else if (quorum.of && quorum.of.value < n) {
    report(
      `\`at least ${n} of ${quorum.of.raw}\` asks for more approvals than deciders`,
      `the number after \`of\` must be at least ${n}`,
    );
  }
}

/** Quorums larger than the approver list, and exclusions that leave nobody (CH5004, CH5005). */
function checkPeople(env: ExprEnv, step: ApproveStep): void {
  if (step.by.length === 0) return;
  const allowed = leaves(env, step.by);
  const excluded = new Set(leaves(env, step.exclude).map((l) => l.key));
  const remaining = allowed.filter((l) => !excluded.has(l.key));
  if (remaining.length === 0 && step.exclude.length > 0) {
    env.ctx.report.error(
      'CH5005',
      filePath(env),
      cover(step.exclude),
      `\`not\` excludes every possible approver of \`${step.id.name}\``,
      {
        help: 'the step could never be decided: approve by someone the exclusion does not cover',
        related: [{ message: 'the approvers are listed here', file: filePath(env), span: cover(step.by) }],
      },
    );
    return;
  }
  if (!step.quorum || step.quorum.kind !== 'atLeast' || !remaining.every((l) => l.single)) return;
  const most = new Set(remaining.map((l) => l.key)).size;
  const needed = Math.max(step.quorum.count.value, step.quorum.of?.value ?? 0);
  if (needed <= most || !Number.isInteger(needed)) return;
  const people = most === 1 ? '1 possible approver' : `${most} possible approvers`;
  env.ctx.report.error(
    'CH5004',
    filePath(env),
    step.quorum.span,
    `this quorum needs ${needed} people, but \`${step.id.name}\` has at most ${people}`,
    {
      help: 'approve by a group or a role with enough people, or lower the quorum',
      related: [{ message: 'the approvers are listed here', file: filePath(env), span: cover(step.by) }],
    },
  );
}

/**
 * A handover whose people are all excluded (CH5017). Segregation of duties binds the people a
 * step is handed over to as it binds its approvers, and after a handover nobody else may decide:
 * the step would block for good. `not` excludes by reference (the same role, group, person or
 * field), `distinct from <step>` excludes `<step>.approvers`; anything else (a role member who
 * happens to be the requester) only shows at run time, where the step blocks with the reason.
 */
function checkHandovers(env: ExprEnv, step: ApproveStep): void {
  const handovers = [
    ...step.escalations.filter((e) => e.handover).map((e) => e.to),
    ...(step.onTimeout?.kind === 'escalate' && step.onTimeout.handover ? [step.onTimeout.to] : []),
  ];
  if (handovers.length === 0) return;
  const byNot = new Set(leaves(env, step.exclude).map((l) => l.key));
  const byDistinct = new Map(step.distinctFrom.map((id) => [`path:${id.name}.approvers`, id]));
  for (const to of handovers) {
    const targets = leaves(env, to);
    // No leaves: a role cycle, already reported (CH3209), which says nothing about exclusions.
    if (targets.length === 0 || !targets.every((t) => byNot.has(t.key) || byDistinct.has(t.key))) continue;
    const related = [
      ...(targets.some((t) => byNot.has(t.key))
        ? [{ message: 'excluded by `not` here', file: filePath(env), span: cover(step.exclude) }]
        : []),
      ...targets.flatMap((t) => {
        const id = byDistinct.get(t.key);
        return id
          ? [{ message: `excluded by \`distinct from ${id.name}\` here`, file: filePath(env), span: id.span }]
          : [];
      }),
    ];
    env.ctx.report.error(
      'CH5017',
      filePath(env),
      cover(to),
      `\`${step.id.name}\` would be handed over only to people excluded from deciding it`,
      {
        help: 'segregation of duties still applies after a handover, so nobody could decide the step: hand over to someone the exclusions leave in, or `escalate` to add people instead',
        related,
      },
    );
  }
}

function checkDistinctFrom(env: ExprEnv, id: ApproveStep['id']): void {
  const info = env.steps?.info(id.name);
  if (!info) {
    const approvals = env.steps?.ids().filter((s) => env.steps?.info(s)?.step.kind === 'approve') ?? [];
    const suggestion = meant(suggest(id.name, approvals));
    env.ctx.report.error('CH3205', filePath(env), id.span, `unknown step \`${id.name}\``, suggestion);
    return;
  }
  if (info.step.kind !== 'approve') {
    env.ctx.report.error(
      'CH5006',
      filePath(env),
      id.span,
      `\`${id.name}\` is a ${info.step.kind} step, not an approval`,
      {
        help: '`distinct from` names approvals, whose approvers this step must not share',
        related: [{ message: `\`${id.name}\` is declared here`, file: filePath(env), span: info.span }],
      },
    );
    return;
  }
  if (!env.steps?.hasRun(id.name)) reportNotRun(env, info, id);
}

function checkTimeout(env: ExprEnv, step: ApproveStep): void {
  if (!step.within || step.onTimeout) return;
  env.ctx.report.warning(
    'CH5007',
    filePath(env),
    step.within.span,
    `\`${step.id.name}\` has a deadline but no \`on timeout\`, so it keeps waiting once the deadline passes`,
    {
      help: 'say what the deadline does: `on timeout reject`, `on timeout escalate to <role>`, `on timeout hand over to <role>`, `on timeout approve` or `on timeout fail`',
    },
  );
}

/** The span from the first to the last approver of a list. */
function cover(refs: readonly ApproverRef[]): Span {
  const first = refs[0]?.span;
  const last = refs[refs.length - 1]?.span;
  if (!first || !last) throw new Error('cover() needs at least one approver');
  return { ...first, end: last.end, endLine: last.endLine, endCol: last.endCol };
}
