// ExprIR to closures, once: each node is turned into its two closures (node.ts) when the
// expression is compiled, so evaluating walks no tree and looks nothing up by operator name.
// References read the facts; literals are fixed values; operators come from logic.ts,
// builtins.ts and operators.ts, chosen per node from the checked types.
import type { ExprIR, ValueIR } from '../ir/types.js';
import { callNode } from './builtins.js';
import { constantText, flagText, ruleReason } from './explain.js';
import { andNode, comparisonNode, inNode, notNode, orNode } from './logic.js';
import {
  type Context,
  fixed,
  type Node,
  reasonAt,
  settle,
  unsetEvaluation,
  unsetFrom,
  unsetFromAll,
  valueOf,
} from './node.js';
import { type Arithmetic, arithmetic, negate } from './operators.js';
import { sourceOf } from './source.js';
import { type Evaluation, type Facts, NO_REASONS } from './types.js';
import { formatValue, shapeOf } from './values.js';

export function compileNode(expr: ExprIR, ctx: Context): Node {
  const sub = (child: ExprIR): Node => compileNode(child, ctx);
  switch (expr.op) {
    case 'literal':
      return literalNode(expr.value, expr);
    case 'input': {
      const read = reader<ValueIR>(expr.field);
      return referenceNode(expr, (f) => read(f.input));
    }
    case 'stepResult': {
      const step = reader<Readonly<Record<string, ValueIR | undefined>>>(expr.step);
      const property = reader<ValueIR>(expr.property);
      return referenceNode(expr, (f) => property(step(f.steps)));
    }
    case 'rule':
      return ruleRefNode(expr.rule, ctx);
    case 'not':
      return notNode(sub(expr.arg));
    case 'neg':
      return negNode(expr, sub(expr.arg));
    case 'and':
      return andNode(sub(expr.left), sub(expr.right));
    case 'or':
      return orNode(sub(expr.left), sub(expr.right));
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return comparisonNode({ ...expr, op: expr.op }, sub(expr.left), sub(expr.right));
    case 'in':
      return inNode(expr, sub(expr.left), sub(expr.right));
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
      return arithmeticNode(expr, expr.op, sub(expr.left), sub(expr.right), ctx);
    case 'list':
      return listNode(expr, expr.items.map(sub));
    case 'call':
      return callNode(expr, expr.args.map(sub));
  }
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

function literalNode(value: ValueIR, expr: ExprIR): Node {
  const evaluation =
    typeof value === 'boolean' ? fixed(value, reasonAt(constantText(value), expr.span)) : fixed(value);
  return { value: () => value, explain: () => evaluation };
}

/**
 * `request.<field>` and `<step>.<property>`. Unset gives the reason "… is not set". A boolean
 * read as a condition is its own reason; a fact that should be a boolean but is not is unset,
 * since a condition on it cannot fail closed otherwise.
 */
function referenceNode(expr: ExprIR, read: (f: Facts) => ValueIR | undefined): Node {
  const unset = unsetEvaluation(expr);
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
  const yes = fixed(true, reasonAt(flagText(source, true), expr.span));
  const no = fixed(false, reasonAt(flagText(source, false), expr.span));
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
      return { value: undefined, because: reasonAt(`${source} is ${shown}, not yes or no`, expr.span) };
    },
  };
}

/** A rule by name: the environment's shared compiled rule, explained as one clause with details. */
function ruleRefNode(name: string, ctx: Context): Node {
  const rule = ctx.rule(name);
  return {
    value: (f) => rule.value(f),
    explain: (f) => {
      const e = rule.explain(f);
      return { value: e.value, because: [ruleReason(rule.name, rule.span, e.value, e.because)] };
    },
  };
}

function negNode(expr: ExprIR, arg: Node): Node {
  const source = sourceOf(expr);
  return {
    value: (f) => {
      const a = arg.value(f);
      return a === undefined ? undefined : valueOf(negate(a));
    },
    explain: (f) => {
      const e = arg.explain(f);
      return e.value === undefined ? e : settle(expr, source, negate(e.value));
    },
  };
}

type BinaryExpr = Extract<ExprIR, { left: ExprIR }>;

function arithmeticNode(expr: BinaryExpr, op: Arithmetic, left: Node, right: Node, ctx: Context): Node {
  const fn = arithmetic(op, expr.left.type, expr.right.type, ctx.addDuration);
  const source = sourceOf(expr);
  return {
    value: (f) => {
      const a = left.value(f);
      if (a === undefined) return undefined;
      const b = right.value(f);
      return b === undefined ? undefined : valueOf(fn(a, b));
    },
    explain: (f) => {
      const ea = left.explain(f);
      const eb = right.explain(f);
      if (ea.value === undefined || eb.value === undefined) return unsetFrom(ea, eb);
      return settle(expr, source, fn(ea.value, eb.value));
    },
  };
}

/** A list with an unset item is unset: `[request.a, "x"]` cannot be known without `a`. */
function listNode(expr: Extract<ExprIR, { op: 'list' }>, items: readonly Node[]): Node {
  if (expr.items.every((item) => item.op === 'literal')) {
    const value = Object.freeze(
      expr.items.map((item) => (item.op === 'literal' ? item.value : '')),
    ) as ValueIR[];
    return literalNode(value, expr);
  }
  return {
    value: (f) => {
      const values: ValueIR[] = [];
      for (const item of items) {
        const v = item.value(f);
        if (v === undefined) return undefined;
        values.push(v);
      }
      return values;
    },
    explain: (f) => {
      const evaluations = items.map((item) => item.explain(f));
      if (evaluations.some((e) => e.value === undefined)) return unsetFromAll(evaluations);
      return { value: evaluations.map((e) => e.value as ValueIR), because: NO_REASONS };
    },
  };
}
