// Process input from the outside world (API bodies, simulator scripts, policy tests) checked
// against the process's declared input block and turned into engine values. People write money as
// "80,000 EUR", durations as "4h" and percentages as "20%"; the engine wants one shape per type.
// Every problem is reported with its field path, all at once, so a form can mark every field.
import {
  canonicalDecimal,
  decimalFromNumber,
  decimalText,
  MAX_SCALE,
  significantDigits,
} from '../ir/decimal.js';
import type { DurationIR, InputFieldIR, MoneyValue, ProcessIR, TypeIR, ValueIR } from '../ir/types.js';

export interface InputProblem {
  /** Field path from the input object: `['systems', 2]`. */
  path: (string | number)[];
  message: string;
}

export type InputResult =
  { ok: true; values: Record<string, ValueIR> } | { ok: false; problems: InputProblem[] };

/** `systems[2]`, `budget`: the path as people read it. */
export function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * Checks `raw` against `process.input`. Absent optional fields stay unset (defaults are the
 * machine's to apply); `null` means unset too. Unknown fields are refused: a typo must not be
 * silently dropped from a compliance record.
 */
export function parseInput(process: ProcessIR, raw: unknown): InputResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: [], message: `input must be an object, not ${describe(raw)}` }] };
  }
  const given = raw as Record<string, unknown>;
  const fields = new Map(process.input.map((f) => [f.name, f] as const));
  const problems: InputProblem[] = [];
  const values: Record<string, ValueIR> = {};
  for (const name of Object.keys(given)) {
    if (!fields.has(name)) {
      const known = process.input.map((f) => f.name).join(', ');
      problems.push({ path: [name], message: `unknown field; ${process.name} takes ${known}` });
    }
  }
  for (const field of process.input) {
    const value = Object.hasOwn(given, field.name) ? given[field.name] : undefined;
    if (value === undefined || value === null) {
      if (!isOptional(field))
        problems.push({ path: [field.name], message: `required (${typeText(field.type)})` });
      continue;
    }
    const parsed = parseValue(field.type, value, [field.name], problems);
    if (parsed !== undefined) values[field.name] = parsed;
  }
  return problems.length === 0 ? { ok: true, values } : { ok: false, problems };
}

const isOptional = (field: InputFieldIR): boolean => field.optional || field.default !== null;

function parseValue(
  type: TypeIR,
  value: unknown,
  path: (string | number)[],
  problems: InputProblem[],
): ValueIR | undefined {
  const fail = (message: string): undefined => {
    problems.push({ path, message });
    return undefined;
  };
  switch (type.kind) {
    case 'text':
      return typeof value === 'string' ? value : fail(`expected text, got ${describe(value)}`);
    case 'person':
      if (typeof value !== 'string') return fail(`expected a person id, got ${describe(value)}`);
      return value.trim() === '' ? fail('a person id cannot be empty') : value.trim();
    case 'enum':
      return typeof value === 'string' && type.values.includes(value)
        ? value
        : fail(
            `expected one of ${type.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(value)}`,
          );
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? value
        : fail(`expected a number, got ${describe(value)}`);
    case 'boolean':
      return typeof value === 'boolean' ? value : fail(`expected true or false, got ${describe(value)}`);
    case 'percentage':
      return parsePercentage(value) ?? fail(`expected a percentage like 20% or 20, got ${describe(value)}`);
    case 'date':
      return parseDate(value) ?? fail(`expected a date YYYY-MM-DD, got ${describe(value)}`);
    case 'money': {
      const money = parseMoney(value, path, problems);
      if (!money) return undefined;
      if (type.currency !== null && money.currency !== type.currency) {
        return fail(`expected an amount in ${type.currency}, got ${money.currency}`);
      }
      return money;
    }
    case 'duration':
      return (
        parseDuration(value) ??
        fail(`expected a duration like "4h", "30m" or "2 days", got ${describe(value)}`)
      );
    case 'list': {
      if (!Array.isArray(value))
        return fail(`expected a list of ${typeText(type.element)}, got ${describe(value)}`);
      const before = problems.length;
      const items = value.map((item: unknown, i) => parseValue(type.element, item, [...path, i], problems));
      return problems.length === before ? (items as ValueIR[]) : undefined;
    }
  }
}

function parsePercentage(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
  return match ? Number(match[1]) : null;
}

function parseDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const days = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days ? value : null;
}

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * Money as people type it, `"80,000.50 EUR"`, or as a program sends it, `{amount, currency}` with
 * the amount as decimal text (exact at any size) or as a JSON number. A number is refused beyond 15
 * significant digits: JSON parsers keep no more, so `1000000000000000000.01` would arrive as
 * 10^18 and the cents would vanish unnoticed; such amounts must come as text. Problems of the
 * object form are reported at `amount` or `currency`, so a client knows which member to fix.
 */
function parseMoney(
  value: unknown,
  path: (string | number)[],
  problems: InputProblem[],
): MoneyValue | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { amount, currency } = value as Record<string, unknown>;
    const exact = moneyAmount(amount, [...path, 'amount'], problems);
    if (typeof currency !== 'string' || !CURRENCY.test(currency)) {
      const message = `expected a currency code like "EUR", got ${describe(currency)}`;
      problems.push({ path: [...path, 'currency'], message });
      return undefined;
    }
    return exact === undefined ? undefined : { amount: exact, currency };
  }
  const match = typeof value === 'string' ? MONEY_TEXT.exec(value) : null;
  const amount = match ? canonicalDecimal(ungrouped(match[1] ?? '')) : undefined;
  if (!match || amount === undefined) {
    problems.push({ path, message: `expected an amount of money like "80,000 EUR", got ${describe(value)}` });
    return undefined;
  }
  return { amount, currency: match[2] ?? '' };
}

const CURRENCY = /^[A-Z]{3}$/;
/** Thousands separators as people type them: 80,000 or 80_000 (no decimal comma: ambiguous). */
const GROUPED_AMOUNT = String.raw`-?(?:\d{1,3}(?:[,_]\d{3})+|\d+)(?:\.\d+)?`;
const MONEY_TEXT = new RegExp(String.raw`^\s*(${GROUPED_AMOUNT})\s*([A-Z]{3})\s*$`);
const AMOUNT_TEXT = new RegExp(String.raw`^\s*(${GROUPED_AMOUNT})\s*$`);
const ungrouped = (text: string): string => text.replace(/[,_]/g, '');

/** Integers and decimals of at most this many digits survive a trip through a JSON number. */
const EXACT_NUMBER_DIGITS = 15;

/** The canonical decimal text of an amount given as text or as a JSON number. */
function moneyAmount(
  amount: unknown,
  path: (string | number)[],
  problems: InputProblem[],
): string | undefined {
  const fail = (message: string): undefined => {
    problems.push({ path, message });
    return undefined;
  };
  if (typeof amount === 'number') {
    const d = decimalFromNumber(amount);
    const text = d === undefined ? undefined : decimalText(d);
    if (text === undefined)
      return fail(`expected a finite amount with at most ${MAX_SCALE} decimals, got ${describe(amount)}`);
    if (significantDigits(text) <= EXACT_NUMBER_DIGITS) return text;
    return fail(
      `the number ${describe(amount)} has more than ${EXACT_NUMBER_DIGITS} significant digits and may have lost some in JSON: send the amount as text, like "1000000000000000000.01"`,
    );
  }
  const match = typeof amount === 'string' ? AMOUNT_TEXT.exec(amount) : null;
  const text = match ? canonicalDecimal(ungrouped(match[1] ?? '')) : undefined;
  return (
    text ?? fail(`expected an amount as decimal text like "80000.50" or a number, got ${describe(amount)}`)
  );
}

const UNITS: Record<string, DurationIR['unit']> = {
  m: 'minute',
  min: 'minute',
  minute: 'minute',
  minutes: 'minute',
  h: 'hour',
  hour: 'hour',
  hours: 'hour',
  d: 'day',
  day: 'day',
  days: 'day',
  w: 'week',
  week: 'week',
  weeks: 'week',
};

function parseDuration(value: unknown): DurationIR | null {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { amount, unit } = value as Record<string, unknown>;
    const known = typeof unit === 'string' ? UNITS[unit] : undefined;
    return typeof amount === 'number' && Number.isFinite(amount) && amount >= 0 && known
      ? { amount, unit: known, business: false, calendar: null }
      : null;
  }
  if (typeof value !== 'string') return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/.exec(value);
  const unit = match ? UNITS[match[2] ?? ''] : undefined;
  return match && unit ? { amount: Number(match[1]), unit, business: false, calendar: null } : null;
}

export function typeText(type: TypeIR): string {
  switch (type.kind) {
    case 'money':
      return type.currency ? `money ${type.currency}` : 'money';
    case 'enum':
      return type.values.map((v) => JSON.stringify(v)).join(' | ');
    case 'list':
      return `list of ${typeText(type.element)}`;
    default:
      return type.kind;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}
