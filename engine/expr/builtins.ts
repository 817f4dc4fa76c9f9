// The built-in functions of dsl/check/calls.ts at run time. Each is a function of set argument
// values returning a value or a Fault; an unset argument makes the call unset (so `count` of an
// unset list is unset), except `is_set`, whose whole point is to look at unset values.
import type { BuiltinFunction, ExprIR, ValueIR } from '../ir/types.js';
import { containsText, operand, setText } from './explain.js';
import { type Context, fixed, type Node, reasonAt, settle, siteOf, unsetFromAll, valueOf } from './node.js';
import { compare, member } from './operators.js';
import { Clause, type ClauseSite, type Site } from './reasons.js';
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

export function callNode(expr: CallExpr, args: readonly Node[], ctx: Context): Node {
  return expr.fn === 'is_set'
    ? isSetNode(expr, args[0], ctx)
    : builtinNode(expr, BUILTINS[expr.fn], args, ctx);
}

/** `is_set(request.window)`: true or false, never unset, and says which. */
function isSetNode(expr: CallExpr, arg: Node | undefined, ctx: Context): Node {
  const source = expr.args[0] ? sourceOf(expr.args[0]) : 'the value';
  const site = siteOf(expr, ctx);
  const yes = fixed(true, reasonAt(setText(source, true), site));
  const no = fixed(false, reasonAt(setText(source, false), site));
  if (!arg) return { value: () => false, explain: () => no };
  return {
    value: (f) => arg.value(f) !== undefined,
    explain: (f) => (arg.value(f) !== undefined ? yes : no),
  };
}

function builtinNode(expr: CallExpr, fn: Builtin, args: readonly Node[], ctx: Context): Node {
  const source = sourceOf(expr);
  const site = siteOf(expr, ctx);
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
  const contains = expr.fn === 'contains' ? containsSite(expr, site) : undefined;
  return {
    value,
    explain: (f) => {
      const values: ValueIR[] = [];
      for (const arg of args) {
        const v = arg.value(f);
        // Only an unset argument has reasons to give; they say which were unset.
        if (v === undefined) return unsetFromAll(args.map((each) => each.explain(f)));
        values.push(v);
      }
      const outcome = fn(values);
      const [a, b] = values;
      if (!contains || typeof outcome !== 'boolean' || a === undefined || b === undefined) {
        return settle(expr, site, source, outcome);
      }
      return { value: outcome, because: [new Clause(contains, a, b, outcome)] };
    },
  };
}

/** `contains(list, item)` words its finding like `in`: `request.systems = … contains "crm"`. */
function containsSite(expr: CallExpr, site: Site): ClauseSite | undefined {
  const [list, item] = expr.args;
  if (!list || !item) return undefined;
  const l = operand(list);
  const i = operand(item);
  return { ...site, words: (a, b, found) => containsText(l, i, a, b, found) };
}
