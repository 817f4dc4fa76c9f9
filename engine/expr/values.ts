// Values at run time: recognising their shapes (facts arrive as JSON, so the evaluator checks
// rather than trusts), and writing them in business words: `80,000 EUR` (money.ts), `15%`,
// `48 hours`, `2 business days`, `2026-12-01`. Formatting is done by hand, not with Intl, so that
// the text is the same in every runtime and in the workflow sandbox whatever ICU data it ships.
import { decimalFromNumber, isDecimalText } from '../ir/decimal.js';
import type { DurationIR, MoneyValue, TypeIR, ValueIR } from '../ir/types.js';
import { formatMoney } from './money.js';

const UNITS: ReadonlySet<string> = new Set(['minute', 'hour', 'day', 'week']);

/**
 * Money: an amount as canonical decimal text, or as a finite number in states and IR from before
 * amounts were exact (engine/ir/types.ts), and a currency code.
 */
export function isMoney(value: unknown): value is MoneyValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { amount, currency } = value as MoneyValue;
  if (typeof currency !== 'string') return false;
  if (typeof amount === 'string') return isDecimalText(amount);
  // A legacy number is money when it converts: a finite number of at most 60 decimals.
  return typeof amount === 'number' && decimalFromNumber(amount) !== undefined;
}

export function isDuration(value: unknown): value is DurationIR {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const d = value as DurationIR;
  return typeof d.amount === 'number' && UNITS.has(d.unit) && typeof d.business === 'boolean';
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date, or undefined when it is not a real date. Pure
 * arithmetic (days from civil), so that no Date object and no time zone is involved.
 */
export function dayNumber(date: unknown): number | undefined {
  if (typeof date !== 'string') return undefined;
  const match = DATE.exec(date);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const maxDay = month === 2 && !leap ? 28 : (MONTH_DAYS[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > maxDay) return undefined;
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** `80,000`, `1,234.5`, `0.05`: thousands separators, trailing zeros dropped. */
export function formatNumber(value: number, decimals = 4): string {
  if (!Number.isFinite(value))
    return Number.isNaN(value) ? 'not a number' : value > 0 ? 'infinity' : '-infinity';
  const magnitude = Math.abs(value);
  // The common case of explanations (scores, counts, small amounts) needs no rounding or grouping.
  if (Number.isInteger(value) && magnitude < 1000) return value === 0 ? '0' : String(value);
  // toFixed switches to exponent notation from 1e21 on; such amounts need no grouping to be read.
  if (magnitude >= 1e21) return String(value);
  const [whole = '0', fraction = ''] = magnitude.toFixed(decimals).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = trimmed === '' ? grouped : `${grouped}.${trimmed}`;
  return value < 0 && text !== '0' ? `-${text}` : text;
}

export const formatPercentage = (value: number): string => `${formatNumber(value)}%`;

/** `48 hours`, `1 hour`, `2 business days`: the unit as written, never converted. */
export function formatDuration(duration: DurationIR): string {
  const plural = Math.abs(duration.amount) === 1 ? '' : 's';
  const business = duration.business ? 'business ' : '';
  return `${formatNumber(duration.amount)} ${business}${duration.unit}${plural}`;
}

/**
 * How a value reads. In explanations text is quoted, so that `"low"` is clearly a value; in
 * message templates it is not, and booleans read `yes` / `no`. `type` only tells a percentage
 * from a plain number (both are numbers at run time).
 */
export type Style = 'explain' | 'template';

export function formatValue(value: ValueIR | undefined, type: TypeIR | undefined, style: Style): string {
  if (value === undefined || value === null) return 'not set';
  switch (typeof value) {
    case 'string':
      // Dates read as dates; text is quoted in explanations so that `"low"` is clearly a value.
      return style === 'explain' && type?.kind !== 'date' ? JSON.stringify(value) : value;
    case 'number':
      return type?.kind === 'percentage' ? formatPercentage(value) : formatNumber(value);
    case 'boolean':
      return value ? 'yes' : 'no';
    default:
      break;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    const element = type?.kind === 'list' ? type.element : undefined;
    return value.map((item) => formatValue(item, element, style)).join(', ');
  }
  if (isMoney(value)) return formatMoney(value);
  if (isDuration(value)) return formatDuration(value);
  return 'an unreadable value';
}

/** A short description of a value's runtime shape, for "has an unexpected value" reasons. */
export function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isMoney(value)) return 'money';
  if (isDuration(value)) return 'a duration';
  if (dayNumber(value) !== undefined) return 'a date';
  return typeof value === 'string' ? 'text' : typeof value;
}
