// Expressions written back as policy text, for explanations: `request.budget`,
// `request.approved_budget * 1.1`, `upper(request.country)`. The IR keeps spans but not the text,
// and the engine must explain without the source file, so the words are rebuilt from the tree,
// with literals in business form (`50,000 EUR`) and only the parentheses precedence needs.
import type { ExprIR, ValueIR } from '../ir/types.js';
import { formatValue } from './values.js';

const SYMBOLS = {
  or: 'or',
  and: 'and',
  eq: '==',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  in: 'in',
  add: '+',
  sub: '-',
  mul: '*',
  div: '/',
} as const;

type BinaryOp = keyof typeof SYMBOLS;

/** Binding strength, loosest first, as the parser reads it. */
function precedence(expr: ExprIR): number {
  switch (expr.op) {
    case 'or':
      return 1;
    case 'and':
      return 2;
    case 'not':
      return 3;
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
    case 'in':
      return 4;
    case 'add':
    case 'sub':
      return 5;
    case 'mul':
    case 'div':
      return 6;
    case 'neg':
      return 7;
    default:
      return 8;
  }
}

function literal(value: ValueIR, expr: ExprIR): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) {
    const element = expr.type.kind === 'list' ? expr.type.element : undefined;
    return `[${value.map((item) => (typeof item === 'boolean' ? String(item) : formatValue(item, element, 'explain'))).join(', ')}]`;
  }
  return formatValue(value, expr.type, 'explain');
}

function wrap(expr: ExprIR, atLeast: number): string {
  const text = sourceOf(expr);
  return precedence(expr) < atLeast ? `(${text})` : text;
}

/** The expression as a reader of the policy would write it. */
export function sourceOf(expr: ExprIR): string {
  switch (expr.op) {
    case 'literal':
      return literal(expr.value, expr);
    case 'input':
      return `request.${expr.field}`;
    case 'stepResult':
      return `${expr.step}.${expr.property}`;
    case 'rule':
      return expr.rule;
    case 'project':
      return `project.${expr.field}`;
    case 'today':
      return 'today';
    case 'history':
      return `${expr.process}.${expr.property}`;
    case 'not':
      return `not ${wrap(expr.arg, 3)}`;
    case 'neg':
      return `-${wrap(expr.arg, 7)}`;
    case 'list':
      return `[${expr.items.map(sourceOf).join(', ')}]`;
    case 'call':
      return `${expr.fn}(${expr.args.map(sourceOf).join(', ')})`;
    default:
      return binary(expr.op, expr.left, expr.right, precedence(expr));
  }
}

function binary(op: BinaryOp, left: ExprIR, right: ExprIR, level: number): string {
  // `and` and `or` chain either way; other operators bind left to right, and comparisons do not
  // chain at all, so a right operand of the same strength needs parentheses.
  const associative = op === 'and' || op === 'or';
  const leftText = wrap(left, level === 4 ? level + 1 : level);
  const rightText = wrap(right, associative ? level : level + 1);
  return `${leftText} ${SYMBOLS[op]} ${rightText}`;
}

/** Literals, lists of literals and negated literals: values that explain themselves. */
export function isConstant(expr: ExprIR): boolean {
  switch (expr.op) {
    case 'literal':
      return true;
    case 'neg':
      return isConstant(expr.arg);
    case 'list':
      return expr.items.every(isConstant);
    default:
      return false;
  }
}
