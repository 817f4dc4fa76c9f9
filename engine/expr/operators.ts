// The operators on values, mirroring the checker's tables (dsl/check/operators.ts). Each returns
// a Fault instead of throwing when set operands still have no result (division by zero, money of
// two currencies in plain `money` fields, a fact of the wrong shape), so evaluation stays total.
// Unset operands never reach these functions: the compiled closures stop at them first.
import type { DurationIR, TypeIR, ValueIR } from '../ir/types.js';
import { addMoney, compareAmounts, divideMoney, moneyRatio, negateMoney, scaleMoney } from './money.js';
import { Fault, type Outcome } from './types.js';
import { dayNumber, formatValue, isDuration, isMoney, shapeOf } from './values.js';

const show = (value: ValueIR): string => formatValue(value, undefined, 'explain');

const mismatch = (a: ValueIR, b: ValueIR): Fault =>
  new Fault(`${show(a)} (${shapeOf(a)}) and ${show(b)} (${shapeOf(b)}) cannot be compared`);

const currencies = (a: ValueIR, b: ValueIR): Fault =>
  new Fault(`${show(a)} and ${show(b)} are in different currencies`);

// ---------------------------------------------------------------------------------------------
// Durations. Plain durations compare in minutes. Business time only compares with business time
// on the same calendar and of a kind that converts without one: minutes with hours; a business
// day (the calendar's working hours) and a business week (its working days) only with themselves.

const MINUTES: Record<DurationIR['unit'], number> = { minute: 1, hour: 60, day: 1440, week: 10080 };

/** A group within which two durations convert to a common measure, or -1 for none. */
function scaleOf(d: DurationIR): number {
  if (!d.business) return 0;
  return d.unit === 'minute' || d.unit === 'hour' ? 1 : d.unit === 'day' ? 2 : 3;
}

const measure = (d: DurationIR): number => (scaleOf(d) <= 1 ? d.amount * MINUTES[d.unit] : d.amount);

function sameScale(a: DurationIR, b: DurationIR): boolean {
  return scaleOf(a) === scaleOf(b) && (!a.business || (a.calendar ?? null) === (b.calendar ?? null));
}

const incomparable = (a: DurationIR, b: DurationIR): Fault =>
  new Fault(`${show(a)} and ${show(b)} cannot be compared without a calendar`);

/**
 * A sum of durations in different units, in the larger of the two units when that is exact
 * (`1d + 24h` is `2 days`), else the smaller (`1d + 12h` is `36 hours`), else minutes.
 */
function fromMeasure(a: DurationIR, b: DurationIR, amount: number): DurationIR {
  const base = { business: a.business, calendar: a.calendar ?? null };
  if (scaleOf(a) > 1) return { amount, unit: a.unit, ...base };
  const [small, large] = MINUTES[a.unit] <= MINUTES[b.unit] ? [a.unit, b.unit] : [b.unit, a.unit];
  for (const unit of [large, small]) {
    if (amount % MINUTES[unit] === 0) return { amount: amount / MINUTES[unit], unit, ...base };
  }
  return { amount, unit: 'minute', ...base };
}

// ---------------------------------------------------------------------------------------------
// Equality and order

/** `==` for every comparable pair; text, enum and person values are all strings. */
export function equals(a: ValueIR, b: ValueIR): boolean | Fault {
  if (a === b) return true;
  const kind = typeof a;
  if (kind !== 'object' || typeof b !== 'object') return kind === typeof b ? false : mismatch(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return mismatch(a, b);
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const same = equals(a[i] as ValueIR, b[i] as ValueIR);
      if (same !== true) return same;
    }
    return true;
  }
  const order = compare(a, b);
  return order instanceof Fault ? order : order === 0;
}

/** The order of two set values: negative, zero or positive; a Fault when they have none. */
export function compare(a: ValueIR, b: ValueIR): number | Fault {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  // Ordered strings are `YYYY-MM-DD` dates, whose text order is their time order.
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (isMoney(a) && isMoney(b)) return a.currency === b.currency ? compareAmounts(a, b) : currencies(a, b);
  if (isDuration(a) && isDuration(b)) {
    if (!sameScale(a, b)) return incomparable(a, b);
    const x = measure(a);
    const y = measure(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return mismatch(a, b);
}

/** `x in list` and `contains(list, x)`: a Fault only when no item matched and one was unclear. */
export function member(item: ValueIR, list: ValueIR): boolean | Fault {
  if (!Array.isArray(list)) return new Fault(`${show(list)} is not a list`);
  let unclear: Fault | undefined;
  for (const candidate of list) {
    const same = equals(item, candidate);
    if (same === true) return true;
    if (same instanceof Fault) unclear ??= same;
  }
  return unclear ?? false;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic, chosen once per node from the checked operand types: percentages and numbers are
// both numbers at run time, but `budget * 10%` and `budget * 10` mean different things.

export type Binary = (a: ValueIR, b: ValueIR) => Outcome;
export type Arithmetic = 'add' | 'sub' | 'mul' | 'div';

/**
 * Float noise (`0.1 + 0.2`, `100_000 * 1.1`) would decide comparisons at the 15th digit; business
 * numbers are decimal, so results keep 15 significant digits. Non-finite results are faults.
 * Money is exact instead (money.ts): amounts need every digit, plain numbers rarely more than 15.
 */
function tidy(value: number): number | Fault {
  if (!Number.isFinite(value)) return new Fault('the result is too large to compute');
  return Number(value.toPrecision(15));
}

const wrongShape = (a: ValueIR, b: ValueIR): Fault =>
  new Fault(`cannot compute with ${show(a)} (${shapeOf(a)}) and ${show(b)} (${shapeOf(b)})`);

const divisionByZero = new Fault('it divides by zero');

function scaleDuration(d: DurationIR, factor: number): Outcome {
  const amount = tidy(d.amount * factor);
  return amount instanceof Fault ? amount : { ...d, amount };
}

function addDurations(a: DurationIR, b: DurationIR, sign: 1 | -1): Outcome {
  if (a.unit === b.unit && sameScale(a, b))
    return scaleDuration({ ...a, amount: a.amount + sign * b.amount }, 1);
  if (!sameScale(a, b)) return incomparable(a, b);
  const total = tidy(measure(a) + sign * measure(b));
  return total instanceof Fault ? total : fromMeasure(a, b, total);
}

/** A factor's value: a percentage is hundredths. */
const factorValue = (type: TypeIR, value: number): number =>
  type.kind === 'percentage' ? value / 100 : value;
const isPercentage = (type: TypeIR): boolean => type.kind === 'percentage';

export type AddDuration = (date: string, duration: DurationIR) => Outcome;

function additive(sign: 1 | -1, addDuration: AddDuration): Binary {
  return (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return tidy(a + sign * b);
    if (isMoney(a) && isMoney(b)) return a.currency === b.currency ? addMoney(a, b, sign) : currencies(a, b);
    if (isDuration(a) && isDuration(b)) return addDurations(a, b, sign);
    if (typeof a === 'string' && isDuration(b))
      return addDuration(a, sign === 1 ? b : { ...b, amount: -b.amount });
    if (sign === 1 && isDuration(a) && typeof b === 'string') return addDuration(b, a);
    return wrongShape(a, b);
  };
}

function multiply(left: TypeIR, right: TypeIR): Binary {
  return (a, b) => {
    if (typeof a === 'number' && typeof b === 'number')
      return tidy(factorValue(left, a) * factorValue(right, b));
    if (isMoney(a) && typeof b === 'number') return scaleMoney(a, b, isPercentage(right));
    if (typeof a === 'number' && isMoney(b)) return scaleMoney(b, a, isPercentage(left));
    if (isDuration(a) && typeof b === 'number') return scaleDuration(a, factorValue(right, b));
    if (typeof a === 'number' && isDuration(b)) return scaleDuration(b, factorValue(left, a));
    return wrongShape(a, b);
  };
}

const divide: Binary = (a, b) => {
  if (typeof b === 'number') {
    if (b === 0) return divisionByZero;
    if (typeof a === 'number') return tidy(a / b);
    if (isMoney(a)) return divideMoney(a, b);
    if (isDuration(a)) return scaleDuration(a, 1 / b);
    return wrongShape(a, b);
  }
  // A ratio of like quantities is a plain number.
  if (isMoney(a) && isMoney(b)) {
    if (a.currency !== b.currency) return currencies(a, b);
    const ratio = moneyRatio(a, b);
    return ratio instanceof Fault ? ratio : tidy(ratio);
  }
  if (isDuration(a) && isDuration(b)) {
    if (!sameScale(a, b)) return incomparable(a, b);
    return measure(b) === 0 ? divisionByZero : tidy(measure(a) / measure(b));
  }
  return wrongShape(a, b);
};

export function arithmetic(op: Arithmetic, left: TypeIR, right: TypeIR, addDuration: AddDuration): Binary {
  switch (op) {
    case 'add':
      return additive(1, addDuration);
    case 'sub':
      return additive(-1, addDuration);
    case 'mul':
      return multiply(left, right);
    case 'div':
      return divide;
  }
}

export function negate(a: ValueIR): Outcome {
  if (typeof a === 'number') return a === 0 ? 0 : -a;
  if (isMoney(a)) return negateMoney(a);
  if (isDuration(a)) return { ...a, amount: -a.amount };
  return new Fault(`${show(a)} (${shapeOf(a)}) has no negative`);
}

/**
 * Date arithmetic through the environment's one definition, guarded: the date must be a real
 * date, and a failing calendar becomes a reason rather than an exception inside a workflow.
 */
export function guardedAddDuration(add: (date: string, duration: DurationIR) => string): AddDuration {
  return (date, duration) => {
    if (dayNumber(date) === undefined) return new Fault(`${show(date)} is not a date`);
    try {
      const result = add(date, duration);
      return dayNumber(result) === undefined
        ? new Fault(`the calendar gave ${show(result)}, not a date`)
        : result;
    } catch (error) {
      const why = error instanceof Error ? error.message : 'unknown error';
      return new Fault(`${show(duration)} cannot be counted from ${date}: ${why}`);
    }
  };
}
