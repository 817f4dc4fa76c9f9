// Printing the small things: expressions, literals, strings, messages, types and approvers, each as
// one line of text. Parentheses are not in the AST, so they are put back exactly where the tree
// needs them (and nowhere else): the output must re-parse to the same tree.
import type { ApproverRef, DurationLit, Expr, Ident, PathExpr, Template, TypeExpr } from '../ast/types.js';
import type { SourceText } from './source.js';

// ------------------------------------------------------------------------------------------------
// Strings and messages

/** A string literal: `\` and `"` are the only characters the language escapes. */
export const quote = (value: string): string => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * A message: like a string, and braces in its text are doubled so they stay text, not holes. Inside
 * a hole, the quotes of a string literal are written `\"` (the message is itself a string); the
 * language has no way to put a `"` or a `}` in a string inside a hole, so no other escape is needed.
 */
export function template(t: Template, src: SourceText): string {
  const body = t.parts
    .map((part) =>
      typeof part === 'string'
        ? part.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[{}]/g, (c) => c + c)
        : `{${expr(part, src).replace(/"/g, '\\"')}}`,
    )
    .join('');
  return `"${body}"`;
}

// ------------------------------------------------------------------------------------------------
// Durations

const LETTERS = { minute: 'm', hour: 'h', day: 'd', week: 'w' } as const;

/**
 * A duration as its author wrote it (`48h` stays `48h`, `2 business days` stays in words), with
 * the spacing normalized. The AST keeps only the value, so the words come from the source; the
 * value is rebuilt only if the source does not hold the expected words (it always should).
 */
export function duration(d: DurationLit, src: SourceText): string {
  const words = src.literalWords(d.span.offset, d.span.end);
  const last = words[words.length - 1] ?? '';
  const looksRight =
    words.length === 1
      ? /^\d[\d_]*[mhdw]$/.test(last)
      : words.length === (d.business ? 3 : 2) && /^\d/.test(words[0]!);
  if (looksRight) return words.join(' ');
  const plural = d.amount === 1 ? '' : 's';
  return d.business
    ? `${d.amount} business ${d.unit}${plural}`
    : Number.isInteger(d.amount)
      ? `${d.amount}${LETTERS[d.unit]}`
      : `${d.amount} ${d.unit}${plural}`;
}

/** A clause duration with the calendar it names: `2 business days on office`. */
export const clauseDuration = (d: DurationLit, src: SourceText): string =>
  d.calendar ? `${duration(d, src)} on ${d.calendar.name}` : duration(d, src);

/** Where a clause duration ends in the source: after its `on <calendar>` when written. */
export const durationEnd = (d: DurationLit): number => d.calendar?.span.end ?? d.span.end;

// ------------------------------------------------------------------------------------------------
// Expressions

/**
 * Binding strength, loosest first, as the grammar's levels: `or`, `and`, `not`, comparisons,
 * `+ -`, `* /`, unary minus, then literals and references.
 */
const PRECEDENCE = {
  or: 1,
  and: 2,
  not: 3,
  '==': 4,
  '!=': 4,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  in: 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  negate: 7,
  primary: 8,
} as const;

const COMPARISON = 4;

function precedenceOf(e: Expr): number {
  if (e.kind === 'binary') return PRECEDENCE[e.op];
  if (e.kind === 'unary') return e.op === 'not' ? PRECEDENCE.not : PRECEDENCE.negate;
  return PRECEDENCE.primary;
}

/** `e`, in parentheses when it binds more loosely than `min` allows. */
function operand(e: Expr, min: number, src: SourceText): string {
  const text = expr(e, src);
  return precedenceOf(e) < min ? `(${text})` : text;
}

export const path = (p: PathExpr): string => p.segments.map((s) => s.name).join('.');

export function expr(e: Expr, src: SourceText): string {
  switch (e.kind) {
    case 'binary': {
      // A chain of `and` (or `or`) in a loop: it may be a thousand operands long.
      if (e.op === 'and' || e.op === 'or') return chainTexts(e, src).join(' ');
      const level = PRECEDENCE[e.op];
      // Operators group to the left, so a right operand at the same level needs parentheses; a
      // comparison never takes a comparison operand unparenthesized (the grammar refuses chains).
      const leftMin = level === COMPARISON ? level + 1 : level;
      return `${operand(e.left, leftMin, src)} ${e.op} ${operand(e.right, level + 1, src)}`;
    }
    case 'unary':
      // `not` over any operator keeps its parentheses, needed or not: `not a in b` means
      // `not (a in b)` to the parser, but a reader may well take it for `(not a) in b`.
      if (e.op === 'not')
        return `not ${e.operand.kind === 'binary' ? `(${expr(e.operand, src)})` : operand(e.operand, PRECEDENCE.not, src)}`;
      return `-${operand(e.operand, PRECEDENCE.negate, src)}`;
    case 'number':
      return e.raw;
    case 'money':
      return `${e.raw} ${e.currency}`;
    case 'percent':
      return `${e.raw}%`;
    case 'duration':
      return duration(e, src);
    case 'date':
      return e.value;
    case 'string':
      return quote(e.value);
    case 'boolean':
      return e.value ? 'true' : 'false';
    case 'list':
      return `[${e.items.map((item) => expr(item, src)).join(', ')}]`;
    case 'path':
      return path(e);
    case 'call':
      return `${e.callee.name}(${e.args.map((arg) => expr(arg, src)).join(', ')})`;
  }
}

/**
 * A long condition split for printing over several lines: `a and b and c` becomes `a`, `and b`,
 * `and c`. Only the outermost chain of `and` (or of `or`) is split, so each line reads as one
 * requirement; null when the condition is not such a chain.
 */
export function conditionLines(e: Expr, src: SourceText): string[] | null {
  return e.kind === 'binary' && (e.op === 'and' || e.op === 'or') ? chainTexts(e, src) : null;
}

/** `a`, `and b`, `and c`: the operands of a chain, each with the operator that joins it. */
function chainTexts(e: Extract<Expr, { kind: 'binary' }>, src: SourceText): string[] {
  const op = e.op;
  const operands: Expr[] = [];
  let left: Expr = e;
  // The chain leans left (`(a and b) and c`); a right operand of the same operator is a group
  // the author parenthesized, and stays one operand.
  while (left.kind === 'binary' && left.op === op) {
    operands.push(left.right);
    left = left.left;
  }
  operands.push(left);
  operands.reverse();
  const level = PRECEDENCE[op];
  return operands.map((operandExpr, index) => {
    const text = operand(operandExpr, index === 0 ? level : level + 1, src);
    return index === 0 ? text : `${op} ${text}`;
  });
}

// ------------------------------------------------------------------------------------------------
// Types and approvers

export function type(t: TypeExpr): string {
  switch (t.kind) {
    case 'simple':
      return t.currency ? `${t.name} ${t.currency.name}` : t.name;
    case 'enum':
      return t.values.map((v) => quote(v.value)).join(' | ');
    case 'list':
      return `list of ${type(t.element)}`;
  }
}

export function approver(a: ApproverRef, src: SourceText): string {
  switch (a.kind) {
    case 'role':
      return a.name.name;
    case 'group':
      return `group ${quote(a.id.value)}`;
    case 'person':
      return `person ${quote(a.id.value)}`;
    case 'managerOf':
      return `manager of ${expr(a.of, src)}`;
    case 'path':
      return path(a.path);
  }
}

export const approvers = (list: readonly ApproverRef[], src: SourceText): string =>
  list.map((a) => approver(a, src)).join(', ');

export const names = (list: readonly Ident[]): string => list.map((i) => i.name).join(', ');
