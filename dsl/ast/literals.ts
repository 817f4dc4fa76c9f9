// Literals, checked strictly: the lexer accepts any `dddd-dd-dd`, `d:dd`, and any name after a
// number, so that the errors here can say exactly what is wrong ("`2026-02-30` is not a calendar
// date", "`eur` is not a currency code") instead of a generic "unexpected token".
import type { CstNode, IToken } from 'chevrotain';
import { canonicalDecimal, MAX_DIGITS, MAX_SCALE } from '../../engine/ir/index.js';
import type {
  DateLit,
  DayName,
  DayRange,
  DurationLit,
  DurationUnit,
  Expr,
  NumberLit,
  Span,
  StringLit,
  TimeLit,
} from './types.js';
import { meant } from '../diagnostics/diagnostic.js';
import { SYNTAX } from '../diagnostics/syntax-codes.js';
import { suggest } from '../diagnostics/suggest.js';
import { UnterminatedString } from '../parse/lexer.js';
import {
  type BuildContext,
  childOf,
  identAt,
  joinSpans,
  nodeSpan,
  report,
  tokenOf,
  tokenSpan,
} from './support.js';

// ------------------------------------------------------------------------------------------------
// Strings

/** The text between the quotes, as written (escapes not yet resolved). */
export function stringContent(t: IToken): string {
  const closed = t.tokenType !== UnterminatedString && t.image.length >= 2;
  return t.image.slice(1, closed ? -1 : undefined);
}

/** A span inside a one-line token: `from`/`to` are offsets within the token's image. */
export function spanInToken(t: IToken, from: number, to: number): Span {
  const span = tokenSpan(t);
  return {
    offset: span.offset + from,
    end: span.offset + to,
    line: span.line,
    col: span.col + from,
    endLine: span.line,
    endCol: span.col + to,
  };
}

/** Resolves `\"` and `\\`; any other escape is reported and kept as written. */
export function unescapeString(raw: string, t: IToken, ctx: BuildContext, rawOffset = 1): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = raw[i + 1];
    if (next === '"' || next === '\\') {
      out += next;
    } else {
      const escape = `\\${next ?? ''}`;
      report(
        ctx,
        SYNTAX.unknownEscape,
        spanInToken(t, rawOffset + i, rawOffset + i + escape.length),
        `unknown escape \`${escape}\` in a string`,
        {
          help: 'write `\\"` for a quote and `\\\\` for a backslash',
        },
      );
      out += escape;
    }
    i++;
  }
  return out;
}

export function stringLit(t: IToken, ctx: BuildContext): StringLit {
  return { value: unescapeString(stringContent(t), t, ctx), span: tokenSpan(t) };
}

// ------------------------------------------------------------------------------------------------
// Numbers

export const numberValue = (raw: string): number => Number(raw.replace(/_/g, ''));

export const numberLit = (t: IToken): NumberLit => ({
  value: numberValue(t.image),
  raw: t.image,
  span: tokenSpan(t),
});

/** A number that must be whole: versions, quorum counts, retries. */
export function wholeNumber(t: IToken, ctx: BuildContext, what: string): NumberLit {
  const lit = numberLit(t);
  if (!Number.isSafeInteger(lit.value)) {
    report(ctx, SYNTAX.notWholeNumber, lit.span, `${what} must be a whole number, not \`${t.image}\``);
  }
  return lit;
}

export function checkPercent(value: number, raw: string, span: Span, ctx: BuildContext): void {
  if (value < 0 || value > 100) {
    report(ctx, SYNTAX.percentRange, span, `\`${raw}%\` is not a percentage between 0% and 100%`);
  }
}

// ------------------------------------------------------------------------------------------------
// Dates and times

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function dateLit(t: IToken, ctx: BuildContext): DateLit {
  const span = tokenSpan(t);
  const [year = 0, month = 0, day = 0] = t.image.split('-').map(Number);
  if (month < 1 || month > 12) {
    report(ctx, SYNTAX.invalidDate, span, `\`${t.image}\` is not a calendar date`, {
      help: 'months run from 01 to 12',
    });
  } else if (day < 1 || day > daysInMonth(year, month)) {
    report(ctx, SYNTAX.invalidDate, span, `\`${t.image}\` is not a calendar date`, {
      help: `${MONTHS[month - 1] ?? ''} ${year} has ${daysInMonth(year, month)} days`,
    });
  }
  return { value: t.image, span };
}

export function timeLit(t: IToken, ctx: BuildContext): TimeLit {
  const span = tokenSpan(t);
  const [hours = 0, minutes = 0] = t.image.split(':').map(Number);
  const value = t.image.padStart(5, '0');
  if (t.image.length < 5) {
    report(ctx, SYNTAX.invalidTime, span, `\`${t.image}\` is not a time in \`HH:MM\` form`, {
      help: `write \`${value}\``,
    });
  } else if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) {
    report(ctx, SYNTAX.invalidTime, span, `\`${t.image}\` is not a time of day`, {
      help: 'times run from `00:00` to `24:00`',
    });
  }
  return { value, span };
}

// ------------------------------------------------------------------------------------------------
// Durations

/** Plurals first: `suggest` breaks ties by order, and `3 dayz` means `days`. */
const UNIT_WORDS: Record<string, DurationUnit> = {
  minutes: 'minute',
  hours: 'hour',
  days: 'day',
  weeks: 'week',
  minute: 'minute',
  hour: 'hour',
  day: 'day',
  week: 'week',
};
const UNIT_LETTERS: Record<string, DurationUnit> = { m: 'minute', h: 'hour', d: 'day', w: 'week' };

const isCurrencyCode = (word: string): boolean => /^[A-Z]{3}$/.test(word);

/** `48h` as one token. */
export function durationToken(t: IToken): DurationLit {
  const unit = UNIT_LETTERS[t.image.slice(-1)] ?? 'minute';
  return {
    kind: 'duration',
    amount: numberValue(t.image.slice(0, -1)),
    unit,
    business: false,
    calendar: null,
    span: tokenSpan(t),
  };
}

/** `3 days`, `2 business days`; null (reported) when the word is no unit or `business` misfits. */
function durationWords(
  amount: IToken,
  business: IToken | undefined,
  unitToken: IToken,
  ctx: BuildContext,
): DurationLit | null {
  const span = joinSpans(tokenSpan(amount), tokenSpan(unitToken));
  const unit = UNIT_WORDS[unitToken.image];
  if (!unit) {
    const options = isCurrencyCode(unitToken.image)
      ? { help: 'durations are written like `2 days` or `48h`' }
      : meant(suggest(unitToken.image, Object.keys(UNIT_WORDS)));
    const message = `\`${unitToken.image}\` is not a duration unit`;
    report(ctx, SYNTAX.notDuration, tokenSpan(unitToken), message, options);
    return null;
  }
  const businessFits = unit === 'day' || unit === 'hour';
  if (business && !businessFits) {
    const message = `\`business\` applies to days and hours, not \`${unitToken.image}\``;
    report(ctx, SYNTAX.businessUnit, span, message, { help: `write \`${amount.image} ${unitToken.image}\`` });
  }
  // Once reported, read as plain time, so later phases do not ask for a calendar as well.
  const isBusiness = business !== undefined && businessFits;
  return {
    kind: 'duration',
    amount: numberValue(amount.image),
    unit,
    business: isBusiness,
    calendar: null,
    span,
  };
}

/** A `clauseDuration` CST node, with its `on <calendar>`; null when missing or reported. */
export function durationOf(clause: CstNode | undefined, ctx: BuildContext): DurationLit | null {
  const node = clause ? childOf(clause, 'duration') : undefined;
  if (!clause || !node) return null;
  const calendar = identAt(clause, 'calendar') ?? null;
  const literal = tokenOf(node, 'literal');
  if (literal) return { ...durationToken(literal), calendar };
  const amount = tokenOf(node, 'amount');
  const unit = tokenOf(node, 'unit');
  if (!amount || !unit) return null;
  const duration = durationWords(amount, tokenOf(node, 'business'), unit, ctx);
  return duration && { ...duration, calendar };
}

/** A `numberLiteral` CST node in an expression: a number, percentage, money or duration. */
export function numberExpr(node: CstNode, ctx: BuildContext): Expr | null {
  const numberToken = tokenOf(node, 'number');
  if (!numberToken) return null;
  const raw = numberToken.image;
  const value = numberValue(raw);
  const percent = tokenOf(node, 'percent');
  const span = nodeSpan(node) ?? tokenSpan(numberToken);
  if (percent) {
    checkPercent(value, raw, span, ctx);
    return { kind: 'percent', value, raw, span };
  }
  const unit = tokenOf(node, 'unit');
  const business = tokenOf(node, 'business');
  if (!unit) return { kind: 'number', value, raw, span };
  if (business || UNIT_WORDS[unit.image]) return durationWords(numberToken, business, unit, ctx);
  if (isCurrencyCode(unit.image)) return moneyLit(raw, unit.image, span, ctx);
  const word = unit.image;
  const looksLikeCurrency = /^[A-Za-z]{3}$/.test(word) && !UNIT_WORDS[word.toLowerCase()];
  const suggestion = meant(looksLikeCurrency ? word.toUpperCase() : suggest(word, Object.keys(UNIT_WORDS)));
  const message = `\`${word}\` after a number is neither a currency code nor a duration unit`;
  report(ctx, SYNTAX.notCurrencyOrUnit, tokenSpan(unit), message, {
    help: suggestion.help ?? 'currency codes are three upper-case letters, such as `EUR`',
    fix: suggestion.fix,
  });
  // Read as what it most likely means, so the type checker does not report the same slip again.
  if (looksLikeCurrency) return moneyLit(raw, word.toUpperCase(), span, ctx);
  return { kind: 'number', value, raw, span: tokenSpan(numberToken) };
}

/**
 * `50_000 EUR`: the amount is kept as exact decimal text, never as a number, which would round
 * `1_000_000_000_000_000.01` to 10^18. Amounts beyond decimal.ts's bounds are reported and read
 * as 0, so that later phases still see money.
 */
function moneyLit(raw: string, currency: string, span: Span, ctx: BuildContext): Expr {
  const digits = raw.replace(/_/g, '');
  const amount = canonicalDecimal(digits);
  if (amount === undefined) {
    const decimals = digits.length - 1 - digits.indexOf('.');
    const message =
      digits.includes('.') && decimals > MAX_SCALE
        ? `the amount has ${decimals} digits after the point, more than money can have`
        : `the amount has ${digits.replace('.', '').length} digits, more than money can have`;
    report(ctx, SYNTAX.amountTooLong, span, message, {
      help: `amounts have at most ${MAX_DIGITS} digits, ${MAX_SCALE} of them after the point`,
    });
  }
  return { kind: 'money', amount: amount ?? '0', currency, raw, span };
}

// ------------------------------------------------------------------------------------------------
// Days (calendar hours, monitor schedules)

const DAYS: readonly DayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function buildDayRange(node: CstNode, ctx: BuildContext): DayRange | null {
  const span = nodeSpan(node);
  const fromToken = tokenOf(node, 'from');
  if (!span || !fromToken) return null;
  const from = dayName(fromToken.image, tokenSpan(fromToken), ctx);
  const toToken = tokenOf(node, 'to');
  const to = toToken ? dayName(toToken.image, tokenSpan(toToken), ctx) : null;
  if (!from || (toToken && !to)) return null;
  return { from, to, span };
}

function dayName(text: string, span: Span, ctx: BuildContext): DayName | null {
  const day = DAYS.find((d) => d === text);
  if (day) return day;
  const guess = meant(suggest(text, DAYS) ?? DAYS.find((d) => text.toLowerCase().startsWith(d)));
  report(ctx, SYNTAX.unknownDay, span, `\`${text}\` is not a day`, {
    help: guess.help ?? 'days are `mon`, `tue`, `wed`, `thu`, `fri`, `sat` and `sun`',
    fix: guess.fix,
  });
  return null;
}
