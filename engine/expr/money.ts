// Money at run time: exact amounts (engine/ir/decimal.ts), the arithmetic the language allows on
// them, and how they read. Sums, differences and comparisons are exact. A product or quotient
// with a plain number (`budget * 15%`, `budget / 3`) is rounded, half away from zero, to the
// currency's minor unit or to the amount's own decimals when it has more: 15% of 12,345.67 EUR is
// 1,851.85 EUR, and 0.0125 EUR × 3 stays 0.0375 EUR rather than losing what its writer meant.
import {
  addDecimals,
  compareDecimals,
  compareDecimalTexts,
  type Decimal,
  decimalFromNumber,
  decimalRatio,
  decimalText,
  divideHalfUpTo,
  isWithinLimits,
  MAX_DIGITS,
  multiplyDecimals,
  negateDecimal,
  parseDecimal,
  roundHalfUp,
  shiftDecimal,
} from '../ir/decimal.js';
import type { MoneyValue } from '../ir/types.js';
import { Fault, type Outcome } from './types.js';

/**
 * ISO 4217 currencies whose minor unit is not 2 (the standard's list 1, "minor unit" column):
 * Japanese yen have no cents, Bahraini dinars have 1000 fils. Every other code, known to the
 * standard or not, has 2.
 */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** The digits after the point that amounts in `currency` are written with: 0 for JPY, 3 for BHD. */
export const minorUnit = (currency: string): number => MINOR_UNITS[currency] ?? 2;

const exactAmount = ({ amount }: MoneyValue): Decimal | undefined =>
  typeof amount === 'number' ? decimalFromNumber(amount) : parseDecimal(amount);

/**
 * The exact amount. `money` has passed isMoney (values.ts), so its amount is canonical text or a
 * finite number from before exact money; anything else is a bug in the caller.
 */
export function amountOf(money: MoneyValue): Decimal {
  const d = exactAmount(money);
  if (d === undefined) throw new TypeError(`${String(money.amount)} is not an amount of money`);
  return d;
}

/** Money of `amount`, or a Fault when it has outgrown decimal.ts's limits (`10^150 × 10^150`). */
function moneyOf(amount: Decimal, currency: string): Outcome {
  return isWithinLimits(amount) ? { amount: decimalText(amount), currency } : tooManyDigits;
}

const tooManyDigits = new Fault(`the amount would have more than ${MAX_DIGITS} digits`);

/** The order of two amounts; text against text (the common case) without building BigInts. */
export function compareAmounts(a: MoneyValue, b: MoneyValue): number {
  if (typeof a.amount === 'string' && typeof b.amount === 'string')
    return compareDecimalTexts(a.amount, b.amount);
  return compareDecimals(amountOf(a), amountOf(b));
}

// ---------------------------------------------------------------------------------------------
// Arithmetic. Callers have checked the currencies (operators.ts); what cannot be computed is a
// Fault, as everywhere in evaluation.

export function addMoney(a: MoneyValue, b: MoneyValue, sign: 1 | -1): Outcome {
  const right = amountOf(b);
  return moneyOf(addDecimals(amountOf(a), sign === 1 ? right : negateDecimal(right)), a.currency);
}

export const negateMoney = (a: MoneyValue): Outcome => moneyOf(negateDecimal(amountOf(a)), a.currency);

/** The scale a product or quotient of `amount` is rounded to (see the header). */
const resultScale = (amount: Decimal, currency: string): number =>
  Math.max(minorUnit(currency), amount.scale);

const notAFactor = (value: number): Fault =>
  new Fault(`${String(value)} has too many digits to compute an amount of money with`);

/**
 * `a × factor` for a plain number or a percentage (`percentage`: 10 means 10%). The factor is the
 * decimal the number prints as, so 1.1 is exactly 1.1, not the binary fraction next to it.
 */
export function scaleMoney(a: MoneyValue, factor: number, percentage: boolean): Outcome {
  const exact = decimalFromNumber(factor);
  if (exact === undefined) return notAFactor(factor);
  const amount = amountOf(a);
  const product = multiplyDecimals(amount, percentage ? shiftDecimal(exact, 2) : exact);
  return moneyOf(roundHalfUp(product, resultScale(amount, a.currency)), a.currency);
}

/** `a / divisor` for a plain number. */
export function divideMoney(a: MoneyValue, divisor: number): Outcome {
  const exact = decimalFromNumber(divisor);
  if (exact === undefined) return notAFactor(divisor);
  const amount = amountOf(a);
  const quotient = divideHalfUpTo(amount, exact, resultScale(amount, a.currency));
  return quotient === undefined ? divisionByZero : moneyOf(quotient, a.currency);
}

const divisionByZero = new Fault('it divides by zero');

/** `a / b` of one currency: a plain number (decimalRatio); a Fault when b is 0. */
export function moneyRatio(a: MoneyValue, b: MoneyValue): number | Fault {
  return decimalRatio(amountOf(a), amountOf(b)) ?? divisionByZero;
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * `80,000 EUR`, `0.30 EUR`, `1,500 JPY`, `1.250 BHD`, `0.125 EUR`. Whole amounts read without
 * decimals, as policies write their thresholds; an amount with a fraction shows the currency's
 * minor unit; an amount with more decimals than that shows them all, since an explanation that
 * rounded would state a value the decision did not use.
 */
export function formatMoney(money: MoneyValue): string {
  const exact = exactAmount(money);
  // Only for a caller that skipped isMoney: show what is there rather than throw in a page.
  if (exact === undefined) return `${String(money.amount)} ${money.currency}`;
  const text = decimalText(exact);
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const digits = fraction === '' ? '' : `.${fraction.padEnd(minorUnit(money.currency), '0')}`;
  return `${negative ? '-' : ''}${grouped}${digits} ${money.currency}`;
}
