// `approve <id> { <clauses> }`. The grammar takes clauses in any order and any number; here each
// single-use clause is kept the first time and every repeat is reported (pointing back at the
// first), while `not`, `distinct from` and the ladder (`escalate after`, `hand over after`)
// accumulate.
import type { CstNode } from 'chevrotain';
import type { ApproveStep, Quorum, Span, TimeoutAction } from './types.js';
import { meant } from '../diagnostics/diagnostic.js';
import { SYNTAX } from '../diagnostics/syntax-codes.js';
import { suggest } from '../diagnostics/suggest.js';
import { buildApprovers } from './expr.js';
import { checkPercent, durationOf, numberLit, stringLit, wholeNumber } from './literals.js';
import {
  type BuildContext,
  childOf,
  identAt,
  identOf,
  nodeSpan,
  report,
  reportJunk,
  tokenOf,
  tokenSpan,
  tokensOf,
} from './support.js';
import { buildTemplate } from '../templates.js';
import { CLAUSE_WORDS } from '../parse/lexer.js';

export function buildApprove(node: CstNode, ctx: BuildContext): ApproveStep | null {
  const id = identAt(node, 'id');
  const span = nodeSpan(node);
  if (!id || !span) return null;
  reportJunk(node, ['clauses'], ctx, 'an approval clause such as `by`, `within` or `on timeout`', (first) =>
    clauseHelp(first.image),
  );
  const step: ApproveStep = {
    kind: 'approve',
    id,
    by: [],
    quorum: null,
    veto: null,
    exclude: [],
    distinctFrom: [],
    within: null,
    remindEvery: null,
    escalations: [],
    onTimeout: null,
    allowDelegation: null,
    allowChanges: null,
    qualifications: [],
    span,
  };
  const seen = new Map<string, Span>();
  /** True the first time a single-use clause is seen; reports every repeat. */
  const once = (key: string, label: string, clauseSpan: Span): boolean => {
    const first = seen.get(key);
    if (!first) {
      seen.set(key, clauseSpan);
      return true;
    }
    report(ctx, SYNTAX.duplicateClause, clauseSpan, `approval \`${id.name}\` has a second ${label}`, {
      help: 'an approval takes this clause once; remove one of them',
      related: [{ message: `the first ${label}`, span: first }],
    });
    return false;
  };

  for (const clause of node.children['clauses'] ?? []) {
    if (!('children' in clause)) continue;
    const clauseSpan = nodeSpan(clause);
    if (clauseSpan) applyClause(step, clause, clauseSpan, ctx, once);
  }
  return step;
}

/** The closest clause word; `hand` only ever starts `hand over`, and `handover` is one word too few. */
function clauseHelp(word: string): string | undefined {
  if (/^hand_?over$/i.test(word)) return 'did you mean `hand over` (two words)';
  const closest = suggest(word, CLAUSE_WORDS);
  return meant(closest === 'hand' ? 'hand over' : closest).help;
}

type Once = (key: string, label: string, span: Span) => boolean;

function applyClause(step: ApproveStep, clause: CstNode, span: Span, ctx: BuildContext, once: Once): void {
  const has = (key: string): boolean => (clause.children[key]?.length ?? 0) > 0;
  if (has('By')) {
    if (once('by', '`by` clause', span)) step.by = buildApprovers(childOf(clause, 'by'), ctx);
  } else if (has('veto')) {
    if (once('veto', '`any reject rejects` clause', span)) step.veto = span;
  } else if (has('Any') || has('All') || has('Majority') || has('At')) {
    const quorum = buildQuorum(clause, span, ctx);
    if (quorum && once('quorum', 'quorum', span)) step.quorum = quorum;
  } else if (has('Not')) {
    step.exclude.push(...buildApprovers(childOf(clause, 'exclude'), ctx));
  } else if (has('Distinct')) {
    step.distinctFrom.push(...tokensOf(clause, 'steps').map(identOf));
  } else if (has('Within')) {
    const duration = durationOf(childOf(clause, 'within'), ctx);
    if (duration && once('within', '`within` clause', span)) {
      step.within = { duration, span };
    }
  } else if (has('Remind')) {
    const duration = durationOf(childOf(clause, 'remind'), ctx);
    if (duration && once('remind', '`remind every` clause', span)) step.remindEvery = duration;
  } else if (has('Escalate') || has('handover')) {
    const after = durationOf(childOf(clause, 'escalate'), ctx);
    const to = buildApprovers(childOf(clause, 'escalateTo'), ctx);
    if (after && to.length > 0) step.escalations.push({ after, to, handover: has('handover'), span });
  } else if (has('Timeout')) {
    const action = buildTimeoutAction(childOf(clause, 'timeoutAction'), ctx);
    if (action && once('timeout', '`on timeout` clause', span)) step.onTimeout = action;
  } else if (has('qualification')) {
    const id = tokenOf(clause, 'qualification');
    if (id) step.qualifications.push({ id: stringLit(id, ctx), span });
  } else if (has('Allow')) {
    const allowed = tokenOf(clause, 'allowed')?.image;
    if (allowed === 'delegation' && once('delegation', '`allow delegation` clause', span))
      step.allowDelegation = span;
    if (allowed === 'changes' && once('changes', '`allow changes` clause', span)) step.allowChanges = span;
  }
}

function buildQuorum(clause: CstNode, span: Span, ctx: BuildContext): Quorum | null {
  if (clause.children['Any']) return { kind: 'any', span };
  if (clause.children['All']) return { kind: 'all', span };
  if (clause.children['Majority']) return { kind: 'majority', span };
  const countToken = tokenOf(clause, 'count');
  if (!countToken) return null;
  if (tokenOf(clause, 'Percent')) {
    const percent = numberLit(countToken);
    checkPercent(percent.value, percent.raw, cover2(percent.span, span), ctx);
    return { kind: 'percent', percent, span };
  }
  const count = wholeNumber(countToken, ctx, 'a quorum count');
  const ofToken = tokenOf(clause, 'of');
  const of = ofToken ? wholeNumber(ofToken, ctx, 'the number of deciders') : null;
  return { kind: 'atLeast', count, of, span };
}

/** From the number to the end of the clause (`50%`). */
const cover2 = (number: Span, clause: Span): Span => ({
  ...number,
  end: clause.end,
  endLine: clause.endLine,
  endCol: clause.endCol,
});

function buildTimeoutAction(node: CstNode | undefined, ctx: BuildContext): TimeoutAction | null {
  if (!node) return null;
  const action = tokenOf(node, 'action');
  const span = nodeSpan(node);
  if (!action || !span) return null;
  if (action.image === 'escalate' || action.image === 'hand') {
    const to = buildApprovers(childOf(node, 'to'), ctx);
    return to.length > 0 ? { kind: 'escalate', to, handover: action.image === 'hand', span } : null;
  }
  const message = tokenOf(node, 'message');
  const kind = action.image === 'approve' ? 'approve' : action.image === 'fail' ? 'fail' : 'reject';
  return { kind, message: message ? buildTemplate(message, ctx) : null, span: span ?? tokenSpan(action) };
}
