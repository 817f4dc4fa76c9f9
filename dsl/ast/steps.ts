// Steps. The grammar accepts every step (and `input`, `branch`) in every block; this module says
// where each belongs. Nested blocks recurse, which is safe because parse.ts refuses input nested
// deeper than the nesting limit before the parser ever runs.
import type { CstNode } from 'chevrotain';
import type {
  CheckKind,
  CheckStep,
  EndStep,
  Grant,
  Ident,
  IfStep,
  NotifyStep,
  OnFail,
  ParallelBranch,
  ParallelStep,
  ReallocateStep,
  Span,
  Step,
  WaitStep,
} from './types.js';
import { meant } from '../diagnostics/diagnostic.js';
import { SYNTAX } from '../diagnostics/syntax-codes.js';
import { suggest } from '../diagnostics/suggest.js';
import { buildApprove } from './approve.js';
import { buildApprovers, buildExpression } from './expr.js';
import { durationOf, numberLit, stringLit, wholeNumber } from './literals.js';
import {
  type BuildContext,
  childOf,
  childrenOf,
  cover,
  identAt,
  nodeSpan,
  report,
  reportJunk,
  tokenOf,
  tokenSpan,
} from './support.js';
import { buildTemplate } from '../templates.js';
import { STEP_WORDS } from '../parse/lexer.js';

export type StepItem =
  | { kind: 'step'; step: Step }
  | { kind: 'input'; node: CstNode; span: Span }
  | { kind: 'branch'; branch: ParallelBranch };

/** Every item of a `stepList`, in order, with stray tokens reported. */
export function buildStepItems(list: CstNode | undefined, ctx: BuildContext): StepItem[] {
  if (!list) return [];
  reportJunk(list, ['step'], ctx, 'a step', (first) => meant(suggest(first.image, STEP_WORDS)).help);
  const items: StepItem[] = [];
  for (const stepNode of childrenOf(list, 'step')) {
    const inner = Object.values(stepNode.children)[0]?.[0];
    if (!inner || !('children' in inner)) continue;
    const item = buildItem(inner, ctx);
    if (item) items.push(item);
  }
  return items;
}

/** Steps of a nested block, where `input` and `branch` do not belong. */
export function buildSteps(list: CstNode | undefined, ctx: BuildContext): Step[] {
  const steps: Step[] = [];
  for (const item of buildStepItems(list, ctx)) {
    if (item.kind === 'step') steps.push(item.step);
    else if (item.kind === 'input') reportMisplacedInput(item.span, ctx);
    else {
      report(
        ctx,
        SYNTAX.misplacedBlock,
        item.branch.span,
        '`branch` only groups steps directly inside `parallel`',
        {
          help: 'remove `branch` and keep its steps, or move it into a `parallel` block',
        },
      );
      steps.push(...item.branch.steps);
    }
  }
  return steps;
}

export const reportMisplacedInput = (span: Span, ctx: BuildContext): void =>
  report(ctx, SYNTAX.misplacedBlock, span, 'an `input` block belongs directly inside a `process`', {
    help: 'move it to the top of the process',
  });

function buildItem(node: CstNode, ctx: BuildContext): StepItem | null {
  if (node.name === 'inputBlock') {
    const span = nodeSpan(node);
    return span ? { kind: 'input', node, span } : null;
  }
  if (node.name === 'branchStep') {
    const id = identAt(node, 'id');
    const span = nodeSpan(node);
    return id && span
      ? { kind: 'branch', branch: { id, steps: buildSteps(childOf(node, 'stepList'), ctx), span } }
      : null;
  }
  const step = buildStep(node, ctx);
  return step ? { kind: 'step', step } : null;
}

function buildStep(node: CstNode, ctx: BuildContext): Step | null {
  switch (node.name) {
    case 'approveStep':
      return buildApprove(node, ctx);
    case 'checkStep':
      return buildCheck(node, ctx);
    case 'reallocateStep':
      return buildReallocate(node, ctx);
    case 'notifyStep':
      return buildNotify(node, ctx);
    case 'waitStep':
      return buildWait(node, ctx);
    case 'ifStep':
      return buildIf(node, ctx);
    case 'parallelStep':
      return buildParallel(node, ctx);
    case 'endStep':
      return buildEnd(node, ctx);
    default:
      return null;
  }
}

function buildCheck(node: CstNode, ctx: BuildContext): CheckStep | null {
  const id = identAt(node, 'id');
  const span = nodeSpan(node);
  const check = buildCheckKind(node, ctx);
  if (!id || !span || !check) return null;
  const onFailNode = childOf(node, 'onFail');
  return { kind: 'check', id, check, onFail: onFailNode ? buildOnFail(onFailNode, ctx) : null, span };
}

function buildCheckKind(node: CstNode, ctx: BuildContext): CheckKind | null {
  const require = tokenOf(node, 'Require');
  if (require) {
    const condition = buildExpression(childOf(node, 'condition'), ctx);
    const messageToken = tokenOf(node, 'message');
    const message = messageToken ? buildTemplate(messageToken, ctx) : null;
    const span = cover(tokenSpan(require), condition?.span, message?.span);
    return condition && span ? { kind: 'require', condition, message, span } : null;
  }
  const external = tokenOf(node, 'External');
  if (external) {
    const serviceToken = tokenOf(node, 'service');
    if (!serviceToken) return null;
    const timeout = durationOf(childOf(node, 'timeout'), ctx);
    const retryToken = tokenOf(node, 'retry');
    const retry = retryToken ? wholeNumber(retryToken, ctx, 'a retry count') : null;
    const service = stringLit(serviceToken, ctx);
    const span =
      cover(tokenSpan(external), service.span, timeout?.span, timeout?.calendar?.span, retry?.span) ??
      service.span;
    return { kind: 'external', service, timeout, retry, span };
  }
  const attest = tokenOf(node, 'Attest');
  const statementToken = tokenOf(node, 'statement');
  if (!attest || !statementToken) return null;
  const by = buildApprovers(childOf(node, 'by'), ctx);
  const statement = stringLit(statementToken, ctx);
  const evidence = tokenOf(node, 'evidence');
  const grants = grantOf(node, ctx);
  const within = durationOf(childOf(node, 'within'), ctx);
  const span =
    cover(
      tokenSpan(attest),
      statement.span,
      evidence && tokenSpan(evidence),
      grants?.span,
      within?.span,
      within?.calendar?.span,
    ) ?? statement.span;
  return { kind: 'attest', by, statement, evidence: evidence !== undefined, grants, within, span };
}

function grantOf(node: CstNode, ctx: BuildContext): Grant | null {
  const id = tokenOf(node, 'grants');
  const to = buildExpression(childOf(node, 'grantee'), ctx);
  if (!id || !to) return null;
  const qualification = stringLit(id, ctx);
  const span = cover(qualification.span, to.span) ?? qualification.span;
  return { qualification, to, span };
}

function buildOnFail(node: CstNode, ctx: BuildContext): OnFail | null {
  const action = tokenOf(node, 'action')?.image;
  const span = nodeSpan(node);
  if (!span) return null;
  if (action === 'stop') {
    const outcome = tokenOf(node, 'outcome')?.image === 'cancelled' ? 'cancelled' : 'rejected';
    const messageToken = tokenOf(node, 'message');
    return { kind: 'stop', outcome, message: messageToken ? buildTemplate(messageToken, ctx) : null, span };
  }
  if (action === 'continue') return { kind: 'continue', span };
  const within = durationOf(childOf(node, 'within'), ctx);
  if (action !== 'require' || !within) return null;
  const by = buildApprovers(childOf(node, 'by'), ctx);
  return { kind: 'waiver', by, within, validFor: durationOf(childOf(node, 'validFor'), ctx), span };
}

const PRIORITIES = ['low', 'normal', 'high'] as const;

function buildReallocate(node: CstNode, ctx: BuildContext): ReallocateStep | null {
  const hoursToken = tokenOf(node, 'hours');
  const skillToken = tokenOf(node, 'skill');
  const poolToken = tokenOf(node, 'pool');
  const project = buildExpression(childOf(node, 'project'), ctx);
  const period = durationOf(childOf(node, 'period'), ctx);
  const span = nodeSpan(node);
  if (!hoursToken || !skillToken || !poolToken || !project || !period || !span) return null;
  const priorityToken = tokenOf(node, 'priority');
  let priority: ReallocateStep['priority'] = null;
  if (priorityToken) {
    const value = PRIORITIES.find((p) => p === priorityToken.image);
    if (value) priority = { value, span: tokenSpan(priorityToken) };
    else {
      const suggestion = meant(suggest(priorityToken.image, PRIORITIES));
      report(
        ctx,
        SYNTAX.unknownPriority,
        tokenSpan(priorityToken),
        `\`${priorityToken.image}\` is not a priority`,
        {
          help: suggestion.help ?? 'a priority is `low`, `normal` or `high`',
          fix: suggestion.fix,
        },
      );
    }
  }
  return {
    kind: 'reallocate',
    id: labelOf(node),
    hours: numberLit(hoursToken),
    skill: stringLit(skillToken, ctx),
    pool: stringLit(poolToken, ctx),
    project,
    period,
    priority,
    span,
  };
}

function labelOf(node: CstNode): Ident | null {
  const label = childOf(node, 'stepLabel');
  return (label ? identAt(label, 'id') : undefined) ?? null;
}

function buildNotify(node: CstNode, ctx: BuildContext): NotifyStep | null {
  const messageToken = tokenOf(node, 'message');
  const span = nodeSpan(node);
  if (!messageToken || !span) return null;
  const first = buildApprovers(childOf(node, 'first'), ctx);
  const secondNode = childOf(node, 'second');
  let id: NotifyStep['id'] = null;
  let recipients = first;
  if (secondNode) {
    recipients = buildApprovers(secondNode, ctx);
    const [only] = first;
    if (first.length === 1 && only?.kind === 'role') id = only.name;
    else {
      const firstSpan = nodeSpan(childOf(node, 'first') ?? node) ?? span;
      report(ctx, SYNTAX.invalidStepId, firstSpan, 'a step id before `:` must be one plain name', {
        help: 'write `notify <id>: <recipients>: "<message>"`, as in `notify heads_up: cab: "..."`',
      });
    }
  }
  return { kind: 'notify', id, recipients, message: buildTemplate(messageToken, ctx), span };
}

function buildWait(node: CstNode, ctx: BuildContext): WaitStep | null {
  const span = nodeSpan(node);
  if (!span) return null;
  const untilNode = childOf(node, 'until');
  if (untilNode) {
    const date = buildExpression(untilNode, ctx);
    return date ? { kind: 'wait', id: labelOf(node), wait: { kind: 'until', date }, span } : null;
  }
  const duration = durationOf(childOf(node, 'for'), ctx);
  return duration ? { kind: 'wait', id: labelOf(node), wait: { kind: 'for', duration }, span } : null;
}

function buildIf(node: CstNode, ctx: BuildContext): IfStep | null {
  const span = nodeSpan(node);
  const ifToken = tokenOf(node, 'If');
  const elses = node.children['elses'] ?? [];
  const conditions = childrenOf(node, 'conditions');
  const bodies = childrenOf(node, 'bodies');
  const closes = node.children['closes'] ?? [];
  const branches: IfStep['branches'] = [];
  conditions.forEach((conditionNode, i) => {
    const condition = buildExpression(conditionNode, ctx);
    const opener = i === 0 ? ifToken : elses[i - 1];
    const close = closes[i];
    const branchSpan = cover(
      opener && 'image' in opener ? tokenSpan(opener) : undefined,
      condition?.span,
      close && 'image' in close && Number.isFinite(close.startOffset) ? tokenSpan(close) : undefined,
    );
    if (condition && branchSpan)
      branches.push({ condition, steps: buildSteps(bodies[i], ctx), span: branchSpan });
  });
  const finalElse = tokenOf(node, 'finalElse');
  const otherwiseList = childOf(node, 'otherwise');
  let otherwise: IfStep['otherwise'] = null;
  if (finalElse) {
    const close = tokenOf(node, 'otherwiseClose');
    const elseSpan = cover(tokenSpan(finalElse), close && tokenSpan(close)) ?? tokenSpan(finalElse);
    otherwise = { steps: buildSteps(otherwiseList, ctx), span: elseSpan };
  }
  return branches.length > 0 && span ? { kind: 'if', branches, otherwise, span } : null;
}

function buildParallel(node: CstNode, ctx: BuildContext): ParallelStep | null {
  const span = nodeSpan(node);
  if (!span) return null;
  const policy = tokenOf(node, 'onFailure');
  const start = tokenOf(node, 'policyStart');
  const end = tokenOf(node, 'policyEnd');
  const onFailure: ParallelStep['onFailure'] = policy
    ? {
        value: policy.image === 'finish' ? 'finish' : 'cancel',
        span: cover(start && tokenSpan(start), tokenSpan(policy), end && tokenSpan(end)) ?? tokenSpan(policy),
      }
    : null;
  const branches: ParallelBranch[] = [];
  for (const item of buildStepItems(childOf(node, 'stepList'), ctx)) {
    if (item.kind === 'step') branches.push({ id: null, steps: [item.step], span: item.step.span });
    else if (item.kind === 'branch') branches.push(item.branch);
    else reportMisplacedInput(item.span, ctx);
  }
  return { kind: 'parallel', onFailure, branches, span };
}

const OUTCOMES = ['approved', 'rejected', 'cancelled'] as const;

function buildEnd(node: CstNode, ctx: BuildContext): EndStep | null {
  const outcomeToken = tokenOf(node, 'outcome');
  const span = nodeSpan(node);
  if (!outcomeToken || !span) return null;
  const outcome = OUTCOMES.find((o) => o === outcomeToken.image);
  if (!outcome) {
    const suggestion = meant(suggest(outcomeToken.image, OUTCOMES));
    report(
      ctx,
      SYNTAX.unknownOutcome,
      tokenSpan(outcomeToken),
      `\`${outcomeToken.image}\` is not an outcome`,
      {
        help: suggestion.help ?? 'a process ends `approved`, `rejected` or `cancelled`',
        fix: suggestion.fix,
      },
    );
    return null;
  }
  const messageToken = tokenOf(node, 'message');
  return { kind: 'end', outcome, message: messageToken ? buildTemplate(messageToken, ctx) : null, span };
}
