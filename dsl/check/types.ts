// The checker's types: the IR's TypeIR plus `unknown`, the type of anything already reported as
// wrong (so that one mistake yields one diagnostic, not a cascade) and the element type of an
// empty list literal that nothing around it pins down.
import type { TypeExpr } from '../ast/types.js';
import type { TypeIR } from '../../engine/ir/types.js';

export type Ty =
  | { kind: 'text' | 'number' | 'percentage' | 'duration' | 'date' | 'boolean' | 'person' | 'unknown' }
  | { kind: 'money'; currency: string | null }
  | { kind: 'enum'; values: string[] }
  | { kind: 'list'; element: Ty };

export const T = {
  text: { kind: 'text' },
  number: { kind: 'number' },
  percentage: { kind: 'percentage' },
  duration: { kind: 'duration' },
  date: { kind: 'date' },
  boolean: { kind: 'boolean' },
  person: { kind: 'person' },
  unknown: { kind: 'unknown' },
} as const satisfies Record<string, Ty>;

export const listOf = (element: Ty): Ty => ({ kind: 'list', element });

export function fromTypeExpr(type: TypeExpr): Ty {
  switch (type.kind) {
    case 'simple':
      return type.name === 'money'
        ? { kind: 'money', currency: type.currency?.name ?? null }
        : { kind: type.name };
    case 'enum':
      return { kind: 'enum', values: type.values.map((v) => v.value) };
    case 'list':
      return listOf(fromTypeExpr(type.element));
  }
}

/**
 * The IR form of a checked type. `unknown` survives an error-free check only as the element of
 * an empty list that nothing constrains (`count([])`); any element type is then correct, and
 * text is the simplest one.
 */
export function toTypeIR(type: Ty): TypeIR {
  switch (type.kind) {
    case 'unknown':
      return { kind: 'text' };
    case 'money':
      return { kind: 'money', currency: type.currency };
    case 'enum':
      return { kind: 'enum', values: [...type.values] };
    case 'list':
      return { kind: 'list', element: toTypeIR(type.element) };
    default:
      return { kind: type.kind };
  }
}

/** How a type reads in a message: `money EUR`, `list of text`, `"low" | "high"`. */
export function show(type: Ty): string {
  switch (type.kind) {
    case 'money':
      return type.currency === null ? 'money' : `money ${type.currency}`;
    case 'enum':
      return type.values.map((v) => JSON.stringify(v)).join(' | ');
    case 'list':
      return `list of ${show(type.element)}`;
    default:
      return type.kind;
  }
}

/** Exact equality; enumerations are equal when they list the same values in any order. */
export function sameType(a: Ty, b: Ty): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'money' && b.kind === 'money') return a.currency === b.currency;
  if (a.kind === 'enum' && b.kind === 'enum') {
    return a.values.length === b.values.length && a.values.every((v) => b.values.includes(v));
  }
  if (a.kind === 'list' && b.kind === 'list') return sameType(a.element, b.element);
  return true;
}

/** True when the type contains `unknown` anywhere (an earlier error, or an unconstrained `[]`). */
export function hasUnknown(type: Ty): boolean {
  if (type.kind === 'unknown') return true;
  return type.kind === 'list' && hasUnknown(type.element);
}

export const isUnknown = (type: Ty): boolean => type.kind === 'unknown';

/** Text-like values are strings at run time and compare with each other. */
export const isTextual = (type: Ty): boolean =>
  type.kind === 'text' || type.kind === 'enum' || type.kind === 'person';

/** Types with an order, so that `<` and `min` mean something. */
export const isOrdered = (type: Ty): boolean =>
  ['number', 'money', 'percentage', 'duration', 'date'].includes(type.kind);

/**
 * Whether a `{...}` hole can show the value in a business message. Booleans cannot: "approved:
 * true" is not a sentence; the author should choose the wording with an `if`.
 */
export function isPrintable(type: Ty): boolean {
  if (type.kind === 'boolean') return false;
  if (type.kind === 'list') return type.element.kind !== 'list' && isPrintable(type.element);
  return true;
}

/** Whether a value of `value` may stand where `target` is expected (defaults, function args). */
export function assignable(value: Ty, target: Ty): boolean {
  if (value.kind === 'unknown' || target.kind === 'unknown') return true;
  if (target.kind === 'money' && value.kind === 'money') {
    return target.currency === null || value.currency === target.currency;
  }
  if (target.kind === 'enum' && value.kind === 'enum')
    return value.values.every((v) => target.values.includes(v));
  // Text literals are checked against the enumeration's values by the caller.
  if (target.kind === 'enum' && value.kind === 'text') return true;
  if (target.kind === 'person' && value.kind === 'text') return true;
  if (target.kind === 'list' && value.kind === 'list') return assignable(value.element, target.element);
  return sameType(value, target);
}

/** A type both sides fit, for list items and `min`/`max`; undefined when they do not meet. */
export function join(a: Ty, b: Ty): Ty | undefined {
  if (a.kind === 'unknown') return b;
  if (b.kind === 'unknown') return a;
  if (a.kind === 'money' && b.kind === 'money') {
    if (a.currency === null || b.currency === null)
      return { kind: 'money', currency: a.currency ?? b.currency };
    return a.currency === b.currency ? a : undefined;
  }
  if (a.kind === 'enum' && b.kind === 'enum')
    return { kind: 'enum', values: [...new Set([...a.values, ...b.values])] };
  if (isTextual(a) && isTextual(b)) return a.kind === b.kind ? a : T.text;
  if (a.kind === 'list' && b.kind === 'list') {
    const element = join(a.element, b.element);
    return element && listOf(element);
  }
  return sameType(a, b) ? a : undefined;
}
