// Conditions: `and`, `or`, `not`, comparisons and `in`, with three-valued (Kleene) logic. An
// unset operand makes a comparison unset; `and` is false as soon as one side is false and true
// only when both are; `or` the reverse. Explanations keep the operands that decided: for an `or`
// that held the first true side, for an `and` that failed the first false side, otherwise every
// side that mattered (all of them when it held / failed on all, the unset ones when unset).
import type { ExprIR, ValueIR } from '../ir/types.js';
import { type Comparison, comparisonText, faultText, membershipText, type Operand } from './explain.js';
import { type Node, unsetFrom } from './node.js';
import { compare, equals, member } from './operators.js';
import { sourceOf } from './source.js';
import { type Evaluation, Fault, type Reason } from './types.js';
import { isMoney } from './values.js';

type BinaryExpr = Extract<ExprIR, { left: ExprIR }>;

const bool = (value: ValueIR | undefined): boolean | undefined =>
  value === true ? true : value === false ? false : undefined;

/** Neither side decided: the sides that are unset (or not true or false) are the reasons. */
function undecided(a: Evaluation, b: Evaluation): Evaluation {
  const because: Reason[] = [];
  if (bool(a.value) === undefined) because.push(...a.because);
  if (bool(b.value) === undefined) because.push(...b.because);
  return { value: undefined, because };
}

export function andNode(left: Node, right: Node): Node {
  return {
    value: (f) => {
      const a = bool(left.value(f));
      if (a === false) return false;
      const b = bool(right.value(f));
      if (b === false) return false;
      return a === true && b === true ? true : undefined;
    },
    explain: (f) => {
      const a = left.explain(f);
      if (a.value === false) return a;
      const b = right.explain(f);
      if (b.value === false) return b;
      if (a.value === true && b.value === true) return { value: true, because: [...a.because, ...b.because] };
      return undecided(a, b);
    },
  };
}

export function orNode(left: Node, right: Node): Node {
  return {
    value: (f) => {
      const a = bool(left.value(f));
      if (a === true) return true;
      const b = bool(right.value(f));
      if (b === true) return true;
      return a === false && b === false ? false : undefined;
    },
    explain: (f) => {
      const a = left.explain(f);
      if (a.value === true) return a;
      const b = right.explain(f);
      if (b.value === true) return b;
      if (a.value === false && b.value === false)
        return { value: false, because: [...a.because, ...b.because] };
      return undecided(a, b);
    },
  };
}

/** `not`: the facts that decided the operand decide its negation too, so the reasons stay. */
export function notNode(arg: Node): Node {
  return {
    value: (f) => {
      const v = arg.value(f);
      return v === true ? false : v === false ? true : undefined;
    },
    explain: (f) => {
      const e = arg.explain(f);
      const v = bool(e.value);
      return v === undefined ? { value: undefined, because: e.because } : { value: !v, because: e.because };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Comparisons

type Decide = (a: ValueIR, b: ValueIR) => boolean | Fault;

function decider(op: Comparison): Decide {
  switch (op) {
    case 'eq':
      return equals;
    case 'ne':
      return (a, b) => {
        const same = equals(a, b);
        return same instanceof Fault ? same : !same;
      };
    default: {
      const test = ORDER[op];
      return (a, b) => {
        const order = compare(a, b);
        return order instanceof Fault ? order : test(order);
      };
    }
  }
}

const ORDER: Record<'lt' | 'le' | 'gt' | 'ge', (order: number) => boolean> = {
  lt: (o) => o < 0,
  le: (o) => o <= 0,
  gt: (o) => o > 0,
  ge: (o) => o >= 0,
};

/**
 * `request.budget >= 50_000 EUR`, `request.risk == "high"`: the right side is a constant in most
 * rules, so those get a closure that tests the common case inline and falls back otherwise.
 */
function fastValue(op: Comparison, left: Node, right: ExprIR, slow: Decide): Node['value'] | undefined {
  if (right.op !== 'literal') return undefined;
  const k = right.value;
  const ordered = op !== 'eq' && op !== 'ne' ? ORDER[op] : undefined;
  const fallback = (a: ValueIR | undefined): boolean | undefined => {
    if (a === undefined) return undefined;
    const r = slow(a, k);
    return r instanceof Fault ? undefined : r;
  };
  if (typeof k === 'number' && ordered) {
    return (f) => {
      const a = left.value(f);
      return typeof a === 'number' ? ordered(a < k ? -1 : a > k ? 1 : 0) : fallback(a);
    };
  }
  if (isMoney(k) && ordered) {
    const { amount, currency } = k;
    return (f) => {
      const a = left.value(f);
      return isMoney(a) && a.currency === currency
        ? ordered(a.amount < amount ? -1 : a.amount > amount ? 1 : 0)
        : fallback(a);
    };
  }
  if (typeof k === 'string' && !ordered) {
    const wanted = op === 'eq';
    return (f) => {
      const a = left.value(f);
      return typeof a === 'string' ? (a === k) === wanted : fallback(a);
    };
  }
  return undefined;
}

export function comparisonNode(expr: BinaryExpr & { op: Comparison }, left: Node, right: Node): Node {
  const decide = decider(expr.op);
  const l: Operand = { expr: expr.left, source: sourceOf(expr.left) };
  const r: Operand = { expr: expr.right, source: sourceOf(expr.right) };
  const source = sourceOf(expr);
  return {
    value:
      fastValue(expr.op, left, expr.right, decide) ??
      ((f) => {
        const a = left.value(f);
        if (a === undefined) return undefined;
        const b = right.value(f);
        if (b === undefined) return undefined;
        const result = decide(a, b);
        return result instanceof Fault ? undefined : result;
      }),
    explain: (f) => {
      const ea = left.explain(f);
      const eb = right.explain(f);
      if (ea.value === undefined || eb.value === undefined) return unsetFrom(ea, eb);
      const result = decide(ea.value, eb.value);
      if (result instanceof Fault) return faulted(expr, source, result);
      return {
        value: result,
        because: [{ text: comparisonText(expr.op, l, r, ea.value, eb.value, result), span: expr.span }],
      };
    },
  };
}

function faulted(expr: ExprIR, source: string, fault: Fault): Evaluation {
  const because: Reason[] = [{ text: faultText(source, fault.problem, true), span: expr.span }];
  return { value: undefined, because };
}

/** Text and numbers of a constant list, for a Set lookup instead of a scan. */
function primitiveSet(expr: ExprIR): ReadonlySet<string | number> | undefined {
  if (
    expr.op !== 'list' ||
    !expr.items.every(
      (i) => i.op === 'literal' && (typeof i.value === 'string' || typeof i.value === 'number'),
    )
  ) {
    return undefined;
  }
  return new Set(expr.items.map((i) => (i.op === 'literal' ? (i.value as string | number) : '')));
}

export function inNode(expr: BinaryExpr, item: Node, list: Node): Node {
  const l: Operand = { expr: expr.left, source: sourceOf(expr.left) };
  const r: Operand = { expr: expr.right, source: sourceOf(expr.right) };
  const source = sourceOf(expr);
  const set = primitiveSet(expr.right);
  const slow = (f: Parameters<Node['value']>[0], a: ValueIR): boolean | undefined => {
    const b = list.value(f);
    if (b === undefined) return undefined;
    const found = member(a, b);
    return found instanceof Fault ? undefined : found;
  };
  return {
    value: set
      ? (f) => {
          const a = item.value(f);
          if (a === undefined) return undefined;
          return typeof a === 'string' || typeof a === 'number' ? set.has(a) : slow(f, a);
        }
      : (f) => {
          const a = item.value(f);
          return a === undefined ? undefined : slow(f, a);
        },
    explain: (f) => {
      const ea = item.explain(f);
      const eb = list.explain(f);
      if (ea.value === undefined || eb.value === undefined) return unsetFrom(ea, eb);
      const found = member(ea.value, eb.value);
      if (found instanceof Fault) return faulted(expr, source, found);
      return {
        value: found,
        because: [{ text: membershipText(l, r, ea.value, eb.value, found), span: expr.span }],
      };
    },
  };
}
