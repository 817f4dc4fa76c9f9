// ExprIR to closures, once: each node is turned into its two closures (node.ts) when the
// expression is compiled, so evaluating walks no tree and looks nothing up by operator name.
// References read the facts; literals are fixed values; operators come from logic.ts,
// builtins.ts and operators.ts, chosen per node from the checked types. The caller (rules.ts)
// has checked the expression's depth, so recursing over it here is safe.
import type { ExprIR, ValueIR } from '../ir/types.js';
import { callNode } from './builtins.js';
import { constantText, flagText } from './explain.js';
import { allNode, anyNode, comparisonNode, inNode, notNode } from './logic.js';
import {
  type Context,
  fixed,
  type Node,
  reasonAt,
  settle,
  siteOf,
  unsetEvaluation,
  unsetFrom,
  unsetFromAll,
  valueOf,
} from './node.js';
import { type Arithmetic, arithmetic, negate } from './operators.js';
import { RuleReason } from './reasons.js';
import { sourceOf } from './source.js';
import { type Evaluation, type Facts, NO_REASONS } from './types.js';
import { formatValue, shapeOf } from './values.js';

type BinaryExpr = Extract<ExprIR, { left: ExprIR }>;

export function compileNode(expr: ExprIR, ctx: Context): Node {
  const sub = (child: ExprIR): Node => compileNode(child, ctx);
  switch (expr.op) {
    case 'literal':
      return literalNode(expr.value, expr, ctx);
    case 'input': {
      const read = reader<ValueIR>(expr.field);
      return referenceNode(expr, (f) => read(f.input), ctx);
    }
    case 'stepResult': {
      const step = reader<Readonly<Record<string, ValueIR | undefined>>>(expr.step);
      const property = reader<ValueIR>(expr.property);
      return referenceNode(expr, (f) => property(step(f.steps)), ctx);
    }
    case 'rule':
      return ruleRefNode(expr.rule, ctx);
    case 'project': {
      const read = reader<ValueIR>(expr.field);
      return referenceNode(expr, (f) => read(f.project), ctx);
    }
    case 'today':
      return referenceNode(expr, (f) => f.today, ctx);
    case 'history': {
      const process = reader<Readonly<Record<string, ValueIR | undefined>>>(expr.process);
      const property = reader<ValueIR>(expr.property);
      return referenceNode(expr, (f) => property(process(f.history)), ctx);
    }
    case 'not':
      return notNode(sub(expr.arg));
    case 'neg':
      return negNode(expr, sub(expr.arg), ctx);
    case 'and':
      return allNode(chainOperands(expr, 'and').map(sub));
    case 'or':
      return anyNode(chainOperands(expr, 'or').map(sub));
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return comparisonNode({ ...expr, op: expr.op }, sub(expr.left), sub(expr.right), ctx);
    case 'in':
      return inNode(expr, sub(expr.left), sub(expr.right), ctx);
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
      return arithmeticNode(expr, expr.op, sub(expr.left), sub(expr.right), ctx);
    case 'list':
      return listNode(expr, expr.items.map(sub), ctx);
    case 'call':
      return callNode(expr, expr.args.map(sub), ctx);
  }
}

/**
 * The operands of an `and` (or `or`) and of every `and` under it, left to right: the compiler
 * nests long chains as balanced trees and short ones leaning left, and either way `and` groups
 * the same (Kleene logic is associative), so one node over all of them decides and explains alike.
 */
function chainOperands(expr: ExprIR, op: 'and' | 'or'): ExprIR[] {
  const operands: ExprIR[] = [];
  const pending: ExprIR[] = [expr];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.op === op) pending.push(node.right, node.left);
    else operands.push(node);
  }
  return operands;
}

/** Fact records come from JSON: `constructor` or `__proto__` must not reach Object.prototype. */
function reader<T>(
  key: string,
): (record: Readonly<Record<string, T | undefined>> | undefined) => T | undefined {
  if (key in Object.prototype) {
    return (record) =>
      record != null && Object.hasOwn(record, key) ? (record[key] ?? undefined) : undefined;
  }
  return (record) => (record == null || typeof record !== 'object' ? undefined : (record[key] ?? undefined));
}

function literalNode(value: ValueIR, expr: ExprIR, ctx: Context): Node {
  const evaluation =
    typeof value === 'boolean'
      ? fixed(value, reasonAt(constantText(value), siteOf(expr, ctx)))
      : fixed(value);
  return { value: () => value, explain: () => evaluation };
}

/**
 * `request.<field>` and `<step>.<property>`. Unset gives the reason "… is not set". A boolean
 * read as a condition is its own reason; a fact that should be a boolean but is not is unset,
 * since a condition on it cannot fail closed otherwise.
 */
function referenceNode(expr: ExprIR, read: (f: Facts) => ValueIR | undefined, ctx: Context): Node {
  const site = siteOf(expr, ctx);
  const unset = unsetEvaluation(expr, site);
  if (expr.type.kind !== 'boolean') {
    return {
      value: read,
      explain: (f) => {
        const value = read(f);
        return value === undefined ? unset : { value, because: NO_REASONS };
      },
    };
  }
  const source = sourceOf(expr);
  const yes = fixed(true, reasonAt(flagText(source, true), site));
  const no = fixed(false, reasonAt(flagText(source, false), site));
  return {
    value: (f) => {
      const value = read(f);
      return typeof value === 'boolean' ? value : undefined;
    },
    explain: (f): Evaluation => {
      const value = read(f);
      if (typeof value === 'boolean') return value ? yes : no;
      if (value === undefined) return unset;
      const shown = `${formatValue(value, undefined, 'explain')} (${shapeOf(value)})`;
      return { value: undefined, because: reasonAt(`${source} is ${shown}, not yes or no`, site) };
    },
  };
}

/** A rule by name: the environment's shared compiled rule, explained as one clause with details. */
function ruleRefNode(name: string, ctx: Context): Node {
  const rule = ctx.rule(name);
  return {
    value: rule.value,
    explain: (f) => {
      const e = rule.explain(f);
      return { value: e.value, because: [new RuleReason(rule.name, rule.span, e.value, e.because)] };
    },
  };
}

/**
 * Operators on values explain only what made them unset: a set result needs no reason of its
 * own, so the explaining path computes with the operands' values and asks for their reasons only
 * when one is unset.
 */
function negNode(expr: ExprIR, arg: Node, ctx: Context): Node {
  const site = siteOf(expr, ctx);
  const source = sourceOf(expr);
  return {
    value: (f) => {
      const a = arg.value(f);
      return a === undefined ? undefined : valueOf(negate(a));
    },
    explain: (f) => {
      const a = arg.value(f);
      return a === undefined ? arg.explain(f) : settle(expr, site, source, negate(a));
    },
  };
}

function arithmeticNode(expr: BinaryExpr, op: Arithmetic, left: Node, right: Node, ctx: Context): Node {
  const fn = arithmetic(op, expr.left.type, expr.right.type, ctx.addDuration);
  const site = siteOf(expr, ctx);
  const source = sourceOf(expr);
  return {
    value: (f) => {
      const a = left.value(f);
      if (a === undefined) return undefined;
      const b = right.value(f);
      return b === undefined ? undefined : valueOf(fn(a, b));
    },
    explain: (f) => {
      const a = left.value(f);
      const b = a === undefined ? undefined : right.value(f);
      if (a === undefined || b === undefined) return unsetFrom(left.explain(f), right.explain(f));
      return settle(expr, site, source, fn(a, b));
    },
  };
}

/** A list with an unset item is unset: `[request.a, "x"]` cannot be known without `a`. */
function listNode(expr: Extract<ExprIR, { op: 'list' }>, items: readonly Node[], ctx: Context): Node {
  if (expr.items.every((item) => item.op === 'literal')) {
    const value = Object.freeze(
      expr.items.map((item) => (item.op === 'literal' ? item.value : '')),
    ) as ValueIR[];
    return literalNode(value, expr, ctx);
  }
  const value = (f: Facts): ValueIR[] | undefined => {
    const values: ValueIR[] = [];
    for (const item of items) {
      const v = item.value(f);
      if (v === undefined) return undefined;
      values.push(v);
    }
    return values;
  };
  return {
    value,
    explain: (f) => {
      const values = value(f);
      return values === undefined
        ? unsetFromAll(items.map((item) => item.explain(f)))
        : { value: values, because: NO_REASONS };
    },
  };
}
