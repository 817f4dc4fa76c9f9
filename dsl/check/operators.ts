// The operator tables, as pure functions over types: which comparisons mean something and what
// arithmetic yields. They return a problem (code and help) instead of reporting, so that `==`,
// `in` and `min` can share them and word the diagnostic for their own situation.
import type { BinaryOp } from '../ast/types.js';
import type { CheckCode } from './codes.js';
import { isTextual, listOf, sameType, T, type Ty } from './types.js';

export interface Problem {
  code: CheckCode;
  help?: string;
}

export type Arithmetic = Extract<BinaryOp, '+' | '-' | '*' | '/'>;

const isDateDuration = (a: Ty, b: Ty): boolean =>
  (a.kind === 'date' && b.kind === 'duration') || (a.kind === 'duration' && b.kind === 'date');

const isMoneyNumber = (a: Ty, b: Ty): boolean =>
  (a.kind === 'money' && b.kind === 'number') || (a.kind === 'number' && b.kind === 'money');

const currencyHelp = 'money only meets money of the same currency';

/** Why `a` and `b` cannot be compared with `==`, or null when they can. */
export function compareProblem(a: Ty, b: Ty): Problem | null {
  if (a.kind === 'unknown' || b.kind === 'unknown') return null;
  if (a.kind === 'money' && b.kind === 'money') {
    const clash = a.currency !== null && b.currency !== null && a.currency !== b.currency;
    return clash ? { code: 'CH4002', help: currencyHelp } : null;
  }
  if (isMoneyNumber(a, b)) {
    return { code: 'CH4003', help: 'write the amount with its currency, e.g. `50_000 EUR`' };
  }
  if (isDateDuration(a, b)) return { code: 'CH4004' };
  if (a.kind === 'enum' && b.kind === 'enum') {
    return a.values.some((v) => b.values.includes(v))
      ? null
      : { code: 'CH4005', help: 'they share no value' };
  }
  if (isTextual(a) && isTextual(b)) return null;
  if (a.kind === 'list' && b.kind === 'list') return compareProblem(a.element, b.element);
  if (a.kind === 'percentage' && b.kind === 'number')
    return { code: 'CH4001', help: 'write a percentage with `%`, e.g. `15%`' };
  return sameType(a, b) ? null : { code: 'CH4001' };
}

/** The type of `a op b`, or the problem with it. */
export function arithmetic(op: Arithmetic, a: Ty, b: Ty): { type: Ty } | { problem: Problem } {
  if (a.kind === 'unknown' || b.kind === 'unknown') return { type: T.unknown };
  if (
    a.kind === 'money' &&
    b.kind === 'money' &&
    a.currency !== null &&
    b.currency !== null &&
    a.currency !== b.currency
  ) {
    return { problem: { code: 'CH4002', help: currencyHelp } };
  }
  const type = table[op](a, b);
  if (type) return { type };
  if ((op === '+' || op === '-') && isMoneyNumber(a, b)) {
    return { problem: { code: 'CH4003', help: 'write the amount with its currency, e.g. `500 EUR`' } };
  }
  if (isDateDuration(a, b) || (a.kind === 'date' && b.kind === 'date')) {
    const help =
      a.kind === 'date' && b.kind === 'date' && op === '-'
        ? 'use `days_between(a, b)` for the days between two dates'
        : 'only `date + duration` and `date - duration` mix dates and durations';
    return { problem: { code: 'CH4004', help } };
  }
  return { problem: { code: 'CH4001' } };
}

type Rule = (a: Ty, b: Ty) => Ty | undefined;

const money = (a: Ty, b: Ty): Ty => ({
  kind: 'money',
  currency: (a.kind === 'money' ? a.currency : null) ?? (b.kind === 'money' ? b.currency : null),
});

/** `+` and `-` on like quantities; dates move by durations. */
const additive =
  (allowDurationFirst: boolean): Rule =>
  (a, b) => {
    if (a.kind === 'money' && b.kind === 'money') return money(a, b);
    if (['number', 'percentage', 'duration'].includes(a.kind) && a.kind === b.kind) return a;
    if (a.kind === 'date' && b.kind === 'duration') return T.date;
    if (allowDurationFirst && a.kind === 'duration' && b.kind === 'date') return T.date;
    return undefined;
  };

const scalable = (type: Ty): boolean => type.kind === 'money' || type.kind === 'duration';
const factor = (type: Ty): boolean => type.kind === 'number' || type.kind === 'percentage';

const table: Record<Arithmetic, Rule> = {
  '+': additive(true),
  '-': additive(false),
  '*': (a, b) => {
    // A quantity times a number or a percentage (`request.budget * 10%`) keeps its kind; a
    // percentage of a plain number is a plain number.
    if (scalable(a) && factor(b)) return a;
    if (scalable(b) && factor(a)) return b;
    if (factor(a) && factor(b) && (a.kind === 'number' || b.kind === 'number')) return T.number;
    return undefined;
  },
  '/': (a, b) => {
    if (b.kind === 'number' && ['number', 'money', 'duration', 'percentage'].includes(a.kind)) return a;
    // A ratio of like quantities is a plain number.
    if (a.kind === b.kind && ['money', 'duration', 'percentage'].includes(a.kind)) return T.number;
    return undefined;
  },
};

/** The type of `-x`, or undefined when negation means nothing. */
export function negate(type: Ty): Ty | undefined {
  return ['number', 'money', 'percentage', 'duration', 'unknown'].includes(type.kind) ? type : undefined;
}

export const emptyList = listOf(T.unknown);
