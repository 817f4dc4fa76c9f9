// Lowering expressions, templates, durations and constant values. Every node keeps its span
// (with the index of its file in `sources`) and carries the type the checker gave it; names are
// already resolved in the model, so lowering is a plain structural map.
import type { BinaryOp, DurationLit, Expr, Ident, Span, Template, TypeExpr } from '../ast/types.js';
import type {
  BinaryOpIR,
  BuiltinFunction,
  DurationIR,
  ExprIR,
  SourceSpan,
  TemplateIR,
  TypeIR,
  ValueIR,
} from '../../engine/ir/types.js';
import { negateDecimalText } from '../../engine/ir/index.js';
import { isBuiltin } from '../check/calls.js';
import { chainOperands, foldChain } from '../check/depth.js';
import { fromTypeExpr, toTypeIR } from '../check/types.js';
import type { SemanticModel } from '../check/index.js';

/** Where lowering stands: the model, and the file whose nodes are being lowered. */
export interface Lowering {
  model: SemanticModel;
  file: number;
}

/** Thrown when the model lacks something an error-free check always provides: a checker bug. */
export class CompileError extends Error {
  override name = 'CompileError';
}

export function sourceSpan(l: Pick<Lowering, 'file'>, span: Span): SourceSpan {
  return { file: l.file, line: span.line, col: span.col, endLine: span.endLine, endCol: span.endCol };
}

/** An input field's declared type; the checker's reading of it is the one definition. */
export function lowerType(type: TypeExpr): TypeIR {
  return toTypeIR(fromTypeExpr(type));
}

export function lowerDuration(l: Lowering, duration: DurationLit): DurationIR {
  const calendar = l.model.durationCalendars.get(duration);
  if (duration.business && (calendar === undefined || calendar === null)) {
    throw new CompileError(`business duration at ${duration.span.line}:${duration.span.col} has no calendar`);
  }
  return {
    amount: duration.amount,
    unit: duration.unit,
    business: duration.business,
    calendar: calendar ?? null,
  };
}

export const lowerOptionalDuration = (l: Lowering, duration: DurationLit | null): DurationIR | null =>
  duration === null ? null : lowerDuration(l, duration);

const binaryOps: Record<BinaryOp, BinaryOpIR> = {
  or: 'or',
  and: 'and',
  '==': 'eq',
  '!=': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
  in: 'in',
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
};

function typeOf(l: Lowering, expr: Expr): TypeIR {
  const type = l.model.types.get(expr);
  if (!type) throw new CompileError(`expression at ${expr.span.line}:${expr.span.col} was never typed`);
  return type;
}

export function lowerExpr(l: Lowering, expr: Expr): ExprIR {
  const base = { type: typeOf(l, expr), span: sourceSpan(l, expr.span) };
  switch (expr.kind) {
    case 'binary':
      if (expr.op === 'and' || expr.op === 'or') return lowerChain(l, expr, base.type);
      return {
        ...base,
        op: binaryOps[expr.op],
        left: lowerExpr(l, expr.left),
        right: lowerExpr(l, expr.right),
      };
    case 'unary':
      return { ...base, op: expr.op === 'not' ? 'not' : 'neg', arg: lowerExpr(l, expr.operand) };
    case 'list':
      return { ...base, op: 'list', items: expr.items.map((item) => lowerExpr(l, item)) };
    case 'call':
      return { ...base, op: 'call', fn: builtin(expr.callee), args: expr.args.map((a) => lowerExpr(l, a)) };
    case 'path':
      return { ...base, ...lowerPath(l, expr) };
    default:
      return { ...base, op: 'literal', value: literalValue(l, expr) };
  }
}

/**
 * `a and b and c ...`: the operands in a loop, joined in the shape foldChain gives (leaning left
 * up to 16 operands, as written; balanced beyond), the shape the checker measured for CH5018. A
 * chain of a thousand operands is then ten levels deep, not a thousand, for every stage after this.
 */
function lowerChain(l: Lowering, expr: Extract<Expr, { kind: 'binary' }>, type: TypeIR): ExprIR {
  const op = binaryOps[expr.op];
  const operands = chainOperands(expr).map((operand) => lowerExpr(l, operand));
  return foldChain(operands, (left, right) => ({
    type,
    span: { ...left.span, endLine: right.span.endLine, endCol: right.span.endCol },
    op,
    left,
    right,
  }));
}

function builtin(callee: Ident): BuiltinFunction {
  if (isBuiltin(callee.name)) return callee.name;
  throw new CompileError(`unknown function \`${callee.name}\` at ${callee.span.line}:${callee.span.col}`);
}

function lowerPath(
  l: Lowering,
  path: Extract<Expr, { kind: 'path' }>,
):
  | { op: 'input'; field: string }
  | { op: 'rule'; rule: string }
  | { op: 'stepResult'; step: string; property: string }
  | { op: 'project'; field: string }
  | { op: 'today' }
  | { op: 'history'; process: string; property: string } {
  const target = l.model.paths.get(path);
  switch (target?.kind) {
    case 'input':
      return { op: 'input', field: target.field };
    case 'rule':
      return { op: 'rule', rule: target.rule };
    case 'step':
      return { op: 'stepResult', step: target.step, property: target.property };
    case 'project':
      return { op: 'project', field: target.field };
    case 'today':
      return { op: 'today' };
    case 'history':
      return { op: 'history', process: target.process, property: target.property };
    case undefined:
      throw new CompileError(`reference at ${path.span.line}:${path.span.col} was never resolved`);
  }
}

/** The value of a literal, or of a constant built from literals (defaults). */
export function constantValue(l: Lowering, expr: Expr): ValueIR {
  switch (expr.kind) {
    case 'list':
      return expr.items.map((item) => constantValue(l, item));
    case 'unary':
      return negateValue(constantValue(l, expr.operand), expr);
    default:
      return literalValue(l, expr);
  }
}

function literalValue(l: Lowering, expr: Expr): ValueIR {
  switch (expr.kind) {
    case 'number':
    case 'percent':
    case 'date':
    case 'string':
    case 'boolean':
      return expr.value;
    case 'money':
      return { amount: expr.amount, currency: expr.currency };
    case 'duration':
      return lowerDuration(l, expr);
    default:
      throw new CompileError(`${expr.kind} at ${expr.span.line}:${expr.span.col} is not a literal`);
  }
}

function negateValue(value: ValueIR, expr: Expr): ValueIR {
  if (typeof value === 'number') return -value;
  if (typeof value === 'object' && !Array.isArray(value)) {
    // Money literals carry decimal text (../ast/literals.ts), durations numbers.
    if (!('currency' in value)) return { ...value, amount: -value.amount };
    const { amount } = value;
    return { ...value, amount: typeof amount === 'string' ? negateDecimalText(amount) : -amount };
  }
  throw new CompileError(`cannot negate the constant at ${expr.span.line}:${expr.span.col}`);
}

export function lowerTemplate(l: Lowering, template: Template): TemplateIR {
  return {
    parts: template.parts.map((part) =>
      typeof part === 'string' ? { text: part } : { expr: lowerExpr(l, part) },
    ),
    span: sourceSpan(l, template.span),
  };
}

export const lowerOptionalTemplate = (l: Lowering, template: Template | null): TemplateIR | null =>
  template === null ? null : lowerTemplate(l, template);
