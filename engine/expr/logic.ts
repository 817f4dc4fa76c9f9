// Conditions: `and`, `or`, `not`, comparisons and `in`, with three-valued (Kleene) logic. An
// unset operand makes a comparison unset; `and` is false as soon as one operand is false and true
// only when all are; `or` the reverse. Explanations keep the operands that decided: for an `or`
// that held the first true one, for an `and` that failed the first false one, otherwise every one
// that mattered (all of them when it held / failed on all, the unset ones when unset).
import type { ExprIR, ValueIR } from '../ir/types.js';
import { type Comparison, comparisonText, faultText, membershipText, operand } from './explain.js';
import { type Context, type Node, siteOf, unsetFrom } from './node.js';
import { compare, equals, member } from './operators.js';
import { Clause, type ClauseSite, fixedReason, type Site } from './reasons.js';
import { sourceOf } from './source.js';
import { type Evaluation, Fault, type Reason } from './types.js';
import { compareAmounts } from './money.js';
import { isMoney } from './values.js';

type BinaryExpr = Extract<ExprIR, { left: ExprIR }>;

const bool = (value: ValueIR | undefined): boolean | undefined =>
  value === true ? true : value === false ? false : undefined;

/**
 * `a and b and c`, as one node over all operands however the IR nests them (compile.ts flattens
 * the chain), so a long chain costs no stack: false at the first false operand, true when all are
 * true, else unset. Held: the reasons of every operand; failed: those of the first false one;
 * unset: those of the operands that were neither true nor false.
 */
export function allNode(operands: readonly Node[]): Node {
  return chainNode(operands, false);
}

/** `a or b or c`: the same with true and false swapped (true at the first true operand). */
export function anyNode(operands: readonly Node[]): Node {
  return chainNode(operands, true);
}

/** `decisive` is the value that decides the chain at once: false for `and`, true for `or`. */
function chainNode(operands: readonly Node[], decisive: boolean): Node {
  return {
    value: (f) => {
      let unset = false;
      for (const operand of operands) {
        const v = operand.value(f);
        if (v === decisive) return decisive;
        if (v !== !decisive) unset = true;
      }
      return unset ? undefined : !decisive;
    },
    explain: (f) => {
      // The reasons of the operands that came out the other way (all needed if none decides), or
      // of those that were unset once one was; collected without copying in the common case.
      const settled: Reason[] = [];
      let unset: Reason[] | undefined;
      for (const operand of operands) {
        const e = operand.explain(f);
        if (e.value === decisive) return e;
        const into = e.value === !decisive ? (unset ? undefined : settled) : (unset ??= []);
        if (into) for (const reason of e.because) into.push(reason);
      }
      return unset ? { value: undefined, because: unset } : { value: !decisive, because: settled };
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
 * rules, so those get a test of the left value that handles the common case inline and falls back
 * otherwise; undefined from the test means the values cannot be compared (`slow` has the Fault).
 */
function fastTest(
  op: Comparison,
  right: ExprIR,
  slow: Decide,
): ((a: ValueIR) => boolean | undefined) | undefined {
  if (right.op !== 'literal') return undefined;
  const k = right.value;
  const ordered = op !== 'eq' && op !== 'ne' ? ORDER[op] : undefined;
  const fallback = (a: ValueIR): boolean | undefined => {
    const r = slow(a, k);
    return r instanceof Fault ? undefined : r;
  };
  if (typeof k === 'number' && ordered) {
    return (a) => (typeof a === 'number' ? ordered(a < k ? -1 : a > k ? 1 : 0) : fallback(a));
  }
  if (isMoney(k) && ordered) {
    const { currency } = k;
    return (a) => (isMoney(a) && a.currency === currency ? ordered(compareAmounts(a, k)) : fallback(a));
  }
  if (typeof k === 'string' && !ordered) {
    const wanted = op === 'eq';
    return (a) => (typeof a === 'string' ? (a === k) === wanted : fallback(a));
  }
  return undefined;
}

/**
 * The explaining path reads its operands' values first, as the fast path does: a set operand of a
 * comparison contributes no reason of its own, so the operands are explained only when one is
 * unset, to say which. The clause keeps the two values and words them when read.
 */
export function comparisonNode(
  expr: BinaryExpr & { op: Comparison },
  left: Node,
  right: Node,
  ctx: Pick<Context, 'owner'>,
): Node {
  const decide = decider(expr.op);
  const test = fastTest(expr.op, expr.right, decide);
  const l = operand(expr.left);
  const r = operand(expr.right);
  const op = expr.op;
  const site: ClauseSite = {
    ...siteOf(expr, ctx),
    words: (a, b, held) => comparisonText(op, l, r, a, b, held),
  };
  const source = sourceOf(expr);
  return {
    value: test
      ? (f) => {
          const a = left.value(f);
          return a === undefined ? undefined : test(a);
        }
      : (f) => {
          const a = left.value(f);
          if (a === undefined) return undefined;
          const b = right.value(f);
          if (b === undefined) return undefined;
          const result = decide(a, b);
          return result instanceof Fault ? undefined : result;
        },
    explain: (f) => {
      const a = left.value(f);
      const b = a === undefined ? undefined : right.value(f);
      if (a === undefined || b === undefined) return unsetFrom(left.explain(f), right.explain(f));
      const result = test?.(a) ?? decide(a, b);
      if (result instanceof Fault) return faulted(site, source, result);
      return { value: result, because: [new Clause(site, a, b, result)] };
    },
  };
}

/** A comparison with set operands that still has no answer (money in two currencies). */
function faulted(site: Site, source: string, fault: Fault): Evaluation {
  const because: Reason[] = [fixedReason(site, faultText(source, fault.problem, true))];
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

export function inNode(expr: BinaryExpr, item: Node, list: Node, ctx: Pick<Context, 'owner'>): Node {
  const l = operand(expr.left);
  const r = operand(expr.right);
  const site: ClauseSite = {
    ...siteOf(expr, ctx),
    words: (a, b, found) => membershipText(l, r, a, b, found),
  };
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
      const a = item.value(f);
      const b = a === undefined ? undefined : list.value(f);
      if (a === undefined || b === undefined) return unsetFrom(item.explain(f), list.explain(f));
      const found = member(a, b);
      if (found instanceof Fault) return faulted(site, source, found);
      return { value: found, because: [new Clause(site, a, b, found)] };
    },
  };
}
