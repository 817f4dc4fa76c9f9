// Expressions and approver references. Operator chains arrive as flat lists (the grammar loops
// instead of recursing) and are folded left-to-right in a loop, so `a + b + ... ` with thousands of
// terms costs no stack here. Later phases do recurse over the result, so one expression is capped
// at MAX_OPERATORS: beyond it the rest of the expression is dropped with one diagnostic, and the
// part that is kept is marked as cut (wasCut), because it can end anywhere, in the middle of a
// comparison (`request.n` without its `< 1000`) or before one (`- - request.n` without `> 0`): the
// checker must not report the types of a half expression as mistakes of their own.
import { type CstNode, type IToken, tokenMatcher } from 'chevrotain';
import type { ApproverRef, BinaryOp, Expr, Ident, PathExpr, RuleDecl } from './types.js';
import { Identifier } from '../parse/lexer.js';
import { meant } from '../diagnostics/diagnostic.js';
import { SYNTAX } from '../diagnostics/syntax-codes.js';
import { dateLit, durationToken, numberExpr, stringLit } from './literals.js';
import {
  type BuildContext,
  childOf,
  childrenOf,
  identOf,
  isPresent,
  isRealToken,
  joinSpans,
  nodeSpan,
  report,
  tokenOf,
  tokenSpan,
  tokensOf,
} from './support.js';

export const MAX_OPERATORS = 1000;

interface ExprState {
  operators: number;
  capped: boolean;
}

/** Expressions that were cut at MAX_OPERATORS (the roots returned by buildExpression). */
const cut = new WeakSet<Expr>();

/** Whether `expr` is what remains of an expression cut at MAX_OPERATORS (CH1007). */
export const wasCut = (expr: Expr): boolean => cut.has(expr);

/**
 * The rule of a declaration nested too deep to be read (CH1006, parse.ts): its name, so that its
 * uses are not reported as unknown rules on top of the one real problem, and a stand-in condition
 * marked as cut, which the checker types as unknown without a word. Null when no name follows.
 */
export function unreadRule(tokens: readonly IToken[]): RuleDecl | null {
  const [keyword, name] = tokens;
  const last = tokens[tokens.length - 1];
  if (!keyword || !name || !last || !tokenMatcher(name, Identifier)) return null;
  const condition: Expr = { kind: 'boolean', value: false, span: tokenSpan(name) };
  cut.add(condition);
  const span = joinSpans(tokenSpan(keyword), tokenSpan(last));
  return { kind: 'rule', name: identOf(name), condition, because: null, span };
}

export function buildExpression(node: CstNode | undefined, ctx: BuildContext): Expr | null {
  if (!node) return null;
  const state: ExprState = { operators: 0, capped: false };
  const expr = orLevel(node, ctx, state);
  if (expr && state.capped) cut.add(expr);
  return expr;
}

/** Counts one operator; false once the expression is over the cap (reported once). */
function countOperator(token: IToken, ctx: BuildContext, state: ExprState): boolean {
  if (state.capped) return false;
  state.operators++;
  if (state.operators <= MAX_OPERATORS) return true;
  state.capped = true;
  report(
    ctx,
    SYNTAX.expressionTooLong,
    tokenSpan(token),
    `this expression has more than ${MAX_OPERATORS.toLocaleString('en')} operators`,
    { help: 'split it into named rules; the rest of the expression is ignored' },
  );
  return false;
}

type Level = (node: CstNode, ctx: BuildContext, state: ExprState) => Expr | null;

/** Folds `operands[0] op operands[1] op ...` left-associatively, in a loop. */
function foldBinary(
  node: CstNode,
  ctx: BuildContext,
  state: ExprState,
  next: Level,
  opOf: (t: IToken) => BinaryOp,
): Expr | null {
  const operands = childrenOf(node, 'operands');
  const operators = (node.children['operators'] ?? []) as IToken[];
  const first = operands[0];
  let left = first ? next(first, ctx, state) : null;
  for (let i = 0; i < operators.length; i++) {
    const operator = operators[i];
    const operand = operands[i + 1];
    if (!operator || !isRealToken(operator) || !operand || !countOperator(operator, ctx, state)) break;
    const right = next(operand, ctx, state);
    if (!left || !right) {
      left = left ?? right;
      continue;
    }
    left = { kind: 'binary', op: opOf(operator), left, right, span: joinSpans(left.span, right.span) };
  }
  return left;
}

const orLevel: Level = (node, ctx, state) => foldBinary(node, ctx, state, andLevel, () => 'or');
const andLevel: Level = (node, ctx, state) => foldBinary(node, ctx, state, notLevel, () => 'and');

/** `not not x`: prefixes are a list, wrapped innermost-first in a loop. */
function prefixed(
  node: CstNode,
  ctx: BuildContext,
  state: ExprState,
  next: Level,
  op: 'not' | '-',
): Expr | null {
  const operandNode = childOf(node, 'operand');
  let result = operandNode ? next(operandNode, ctx, state) : null;
  const prefixes = tokensOf(node, 'prefixes');
  for (let i = prefixes.length - 1; i >= 0 && result; i--) {
    const prefix = prefixes[i];
    if (!prefix || !countOperator(prefix, ctx, state)) break;
    result = { kind: 'unary', op, operand: result, span: joinSpans(tokenSpan(prefix), result.span) };
  }
  return result;
}

const notLevel: Level = (node, ctx, state) => prefixed(node, ctx, state, comparisonLevel, 'not');

const COMPARISONS: Record<string, BinaryOp> = {
  '==': '==',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  in: 'in',
  '=': '==',
};

function comparisonLevel(node: CstNode, ctx: BuildContext, state: ExprState): Expr | null {
  const operators = tokensOf(node, 'operators');
  for (const operator of operators) {
    if (operator.image === '=') {
      report(ctx, SYNTAX.assignInExpression, tokenSpan(operator), '`=` is not a comparison', meant('=='));
    }
  }
  const second = operators[1];
  if (second) {
    report(ctx, SYNTAX.chainedComparison, tokenSpan(second), `comparisons cannot be chained`, {
      help: `compare twice and join with \`and\`, as in \`a < b and b < c\``,
    });
    // Keep only the first comparison: the chain has no meaning to build.
    const [a, b] = childrenOf(node, 'operands');
    const left = a ? additiveLevel(a, ctx, state) : null;
    const right = b ? additiveLevel(b, ctx, state) : null;
    const first = operators[0];
    if (!left || !right || !first || !countOperator(first, ctx, state)) return left;
    return {
      kind: 'binary',
      op: COMPARISONS[first.image] ?? '==',
      left,
      right,
      span: joinSpans(left.span, right.span),
    };
  }
  return foldBinary(node, ctx, state, additiveLevel, (t) => COMPARISONS[t.image] ?? '==');
}

const additiveLevel: Level = (node, ctx, state) =>
  foldBinary(node, ctx, state, multiplicativeLevel, (t) => (t.image === '-' ? '-' : '+'));
const multiplicativeLevel: Level = (node, ctx, state) =>
  foldBinary(node, ctx, state, unaryLevel, (t) => (t.image === '/' ? '/' : '*'));
const unaryLevel: Level = (node, ctx, state) => prefixed(node, ctx, state, primary, '-');

function primary(node: CstNode, ctx: BuildContext, state: ExprState): Expr | null {
  const text = tokenOf(node, 'string');
  if (text) return { kind: 'string', ...stringLit(text, ctx) };
  const date = tokenOf(node, 'date');
  if (date) return { kind: 'date', ...dateLit(date, ctx) };
  const duration = tokenOf(node, 'duration');
  if (duration) return durationToken(duration);
  const boolean = tokenOf(node, 'boolean');
  if (boolean) return { kind: 'boolean', value: boolean.image === 'true', span: tokenSpan(boolean) };
  const numberNode = childOf(node, 'numberLiteral');
  if (numberNode) return numberExpr(numberNode, ctx);
  const list = childOf(node, 'listLiteral');
  if (list) {
    const span = nodeSpan(list);
    const items = childrenOf(list, 'items')
      .map((item) => orLevel(item, ctx, state))
      .filter(isPresent);
    return span ? { kind: 'list', items, span } : null;
  }
  const inner = childOf(node, 'inner');
  if (inner) return orLevel(inner, ctx, state);
  const reference = childOf(node, 'reference');
  return reference ? referenceExpr(reference, ctx, state) : null;
}

/** The head (a name or `project`) and the `.` parts after it. */
function segmentsOf(node: CstNode): Ident[] {
  const head = childOf(node, 'pathHead');
  return [...(head ? tokensOf(head, 'segments') : []), ...tokensOf(node, 'segments')].map(identOf);
}

function referenceExpr(node: CstNode, ctx: BuildContext, state: ExprState): Expr | null {
  const segments = segmentsOf(node);
  const span = nodeSpan(node);
  const callee = segments[0];
  if (!callee || !span) return null;
  if (node.children['call']) {
    const args = childrenOf(node, 'args')
      .map((arg) => orLevel(arg, ctx, state))
      .filter(isPresent);
    return { kind: 'call', callee, args, span };
  }
  return { kind: 'path', segments, span };
}

// ------------------------------------------------------------------------------------------------
// Paths and approvers

export function buildPath(node: CstNode | undefined): PathExpr | null {
  if (!node) return null;
  const segments = segmentsOf(node);
  const span = nodeSpan(node);
  return segments.length > 0 && span ? { kind: 'path', segments, span } : null;
}

export function buildApprovers(list: CstNode | undefined, ctx: BuildContext): ApproverRef[] {
  if (!list) return [];
  return childrenOf(list, 'refs')
    .map((ref) => approverRef(ref, ctx))
    .filter(isPresent);
}

function approverRef(node: CstNode, ctx: BuildContext): ApproverRef | null {
  const span = nodeSpan(node);
  if (!span) return null;
  const kind = tokenOf(node, 'kind')?.image;
  if (kind === 'manager') {
    const of = buildExpression(childOf(node, 'of'), ctx);
    return of ? { kind: 'managerOf', of, span } : null;
  }
  if (kind === 'group' || kind === 'person') {
    const id = tokenOf(node, 'id');
    return id ? { kind, id: stringLit(id, ctx), span } : null;
  }
  const path = buildPath(childOf(node, 'path'));
  if (!path) return null;
  const [only] = path.segments;
  return path.segments.length === 1 && only
    ? { kind: 'role', name: only, span }
    : { kind: 'path', path, span };
}
