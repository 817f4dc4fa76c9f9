// The built-in functions of dsl/check/calls.ts at run time. Each is a function of set argument
// values returning a value or a Fault; an unset argument makes the call unset (so `count` of an
// unset list is unset), except `is_set`, whose whole point is to look at unset values.
import type { BuiltinFunction, ExprIR, ValueIR } from '../ir/types.js';
import { containsText, type Operand, setText } from './explain.js';
import { type Node, settle, unsetFromAll, valueOf } from './node.js';
import { compare, member } from './operators.js';
import { sourceOf } from './source.js';
import { Fault, type Outcome } from './types.js';
import { dayNumber, formatValue, shapeOf } from './values.js';

type CallExpr = Extract<ExprIR, { op: 'call' }>;
type Builtin = (args: readonly ValueIR[]) => Outcome;

const expected = (what: string, value: ValueIR | undefined): Fault =>
  value === undefined
    ? new Fault(`an argument is missing`)
    : new Fault(`${formatValue(value, undefined, 'explain')} is ${shapeOf(value)}, not ${what}`);

/** Characters as a reader counts them: code points, so an emoji or accented letter counts once. */
function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdbff || i + 1 === text.length) count++;
  }
  return count;
}

function text(fn: (value: string) => Outcome): Builtin {
  return ([a]) => (typeof a === 'string' ? fn(a) : expected('text', a));
}

function extreme(pickFirst: (order: number) => boolean): Builtin {
  return ([a, b]) => {
    if (a === undefined || b === undefined) return expected('a value', undefined);
    const order = compare(a, b);
    return order instanceof Fault ? order : pickFirst(order) ? a : b;
  };
}

const BUILTINS: Record<Exclude<BuiltinFunction, 'is_set'>, Builtin> = {
  count: ([a]) => (Array.isArray(a) ? a.length : expected('a list', a)),
  length: text(codePoints),
  lower: text((s) => s.toLowerCase()),
  upper: text((s) => s.toUpperCase()),
  contains: ([list, item]) => (item === undefined ? expected('a value', item) : member(item, list ?? [])),
  min: extreme((order) => order <= 0),
  max: extreme((order) => order >= 0),
  days_between: ([a, b]) => {
    const from = dayNumber(a);
    const to = dayNumber(b);
    if (from === undefined) return expected('a date', a);
    if (to === undefined) return expected('a date', b);
    return to - from;
  },
};

export function callNode(expr: CallExpr, args: readonly Node[]): Node {
  return expr.fn === 'is_set' ? isSetNode(expr, args[0]) : builtinNode(expr, BUILTINS[expr.fn], args);
}

/** `is_set(request.window)`: true or false, never unset, and says which. */
function isSetNode(expr: CallExpr, arg: Node | undefined): Node {
  const source = expr.args[0] ? sourceOf(expr.args[0]) : 'the value';
  const yes = Object.freeze({
    value: true,
    because: Object.freeze([{ text: setText(source, true), span: expr.span }]),
  });
  const no = Object.freeze({
    value: false,
    because: Object.freeze([{ text: setText(source, false), span: expr.span }]),
  });
  if (!arg) return { value: () => false, explain: () => no };
  return {
    value: (f) => arg.value(f) !== undefined,
    explain: (f) => (arg.explain(f).value !== undefined ? yes : no),
  };
}

function builtinNode(expr: CallExpr, fn: Builtin, args: readonly Node[]): Node {
  const source = sourceOf(expr);
  const [first, second] = args;
  const value: Node['value'] =
    args.length === 1 && first
      ? (f) => {
          const a = first.value(f);
          return a === undefined ? undefined : valueOf(fn([a]));
        }
      : args.length === 2 && first && second
        ? (f) => {
            const a = first.value(f);
            if (a === undefined) return undefined;
            const b = second.value(f);
            return b === undefined ? undefined : valueOf(fn([a, b]));
          }
        : (f) => {
            const values: ValueIR[] = [];
            for (const arg of args) {
              const v = arg.value(f);
              if (v === undefined) return undefined;
              values.push(v);
            }
            return valueOf(fn(values));
          };
  const contains = expr.fn === 'contains' ? containsOperands(expr) : undefined;
  return {
    value,
    explain: (f) => {
      const evaluations = args.map((arg) => arg.explain(f));
      const values: ValueIR[] = [];
      for (const e of evaluations) {
        if (e.value === undefined) return unsetFromAll(evaluations);
        values.push(e.value);
      }
      const outcome = fn(values);
      const [a, b] = values;
      if (!contains || typeof outcome !== 'boolean' || a === undefined || b === undefined) {
        return settle(expr, source, outcome);
      }
      const text = containsText(contains[0], contains[1], a, b, outcome);
      return { value: outcome, because: [{ text, span: expr.span }] };
    },
  };
}

function containsOperands(expr: CallExpr): [Operand, Operand] | undefined {
  const [list, item] = expr.args;
  if (!list || !item) return undefined;
  return [
    { expr: list, source: sourceOf(list) },
    { expr: item, source: sourceOf(item) },
  ];
}
