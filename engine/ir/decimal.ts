// Exact decimal numbers for money. A JavaScript number holds about 15 significant digits and no
// decimal fraction exactly (0.1 + 0.2 is 0.30000000000000004), so amounts are kept as decimal
// text in the IR, in machine states and in the API, and computed on as a BigInt count of
// 10^-scale units. No library: the operations money needs (add, compare, multiply, divide to a
// given scale) are a few lines each on BigInt, and the engine must run inside Temporal's sandbox.
//
// The canonical text of a decimal, which the IR hashes and which every engine value carries, is
// the shortest plain decimal: an optional `-`, no leading zeros, no trailing zeros after the point,
// no point without a fraction, no exponent and no `-0`: `0`, `-12.5`, `1000000000000000000.01`.
// One value has one canonical text, so two policies that say the same amount hash the same.

/** `units × 10^-scale`; `scale` is 0 or more. Not necessarily normalised: `150, 2` is `1.5`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

/** Canonical text, for schemas; isDecimalText also rules out `-0` and absurd lengths. */
export const DECIMAL_TEXT_PATTERN = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;
const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;
const EXPONENT = /^(-?)(\d+)(?:\.(\d+))?e([+-]?\d+)$/;

/**
 * The most digits a decimal may have after the point, and in all: far beyond any currency, but
 * bounded, so that text from outside (an API body of a megabyte of digits) cannot keep BigInt
 * busy for seconds in every evaluation.
 */
export const MAX_SCALE = 60;
export const MAX_DIGITS = 200;

const TEN = 10n;
const pow10 = (n: number): bigint => TEN ** BigInt(n);

/** Whether `text` is a decimal in canonical form (see the header) within the limits above. */
export function isDecimalText(text: string): boolean {
  if (text.length > MAX_DIGITS + 2 || !DECIMAL_TEXT_PATTERN.test(text) || text === '-0') return false;
  const point = text.indexOf('.');
  const digits = text.length - (text.startsWith('-') ? 1 : 0) - (point < 0 ? 0 : 1);
  return digits <= MAX_DIGITS && (point < 0 || text.length - point - 1 <= MAX_SCALE);
}

function fromDigits(sign: string, whole: string, fraction: string, exponent: number): Decimal | undefined {
  const digits = whole + fraction;
  const scale = fraction.length - exponent;
  // With a positive exponent (`1.5e+20`) the zeros it stands for count as digits too.
  if (scale > MAX_SCALE || digits.length + Math.max(0, -scale) > MAX_DIGITS) return undefined;
  const magnitude = BigInt(digits);
  const units = sign === '-' ? -magnitude : magnitude;
  return scale >= 0 ? { units, scale } : { units: units * pow10(-scale), scale: 0 };
}

/**
 * A plain decimal as people and JSON write it: `12`, `-0.50`, `007.1`, not necessarily canonical,
 * without grouping or exponent. Undefined for anything else.
 */
export function parseDecimal(text: string): Decimal | undefined {
  const match = PLAIN.exec(text);
  if (!match) return undefined;
  return fromDigits(match[1] ?? '', match[2] ?? '', match[3] ?? '', 0);
}

/**
 * The decimal a finite number prints as: JavaScript's shortest text that reads back as the same
 * number (`0.1` for 0.1, `1e+21` for 10^21), so a number written as a short decimal comes back as
 * that decimal, not as the binary fraction it is stored as. Undefined for NaN and infinities.
 */
export function decimalFromNumber(value: number): Decimal | undefined {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  const plain = PLAIN.exec(text);
  if (plain) return fromDigits(plain[1] ?? '', plain[2] ?? '', plain[3] ?? '', 0);
  const exp = EXPONENT.exec(text);
  return exp ? fromDigits(exp[1] ?? '', exp[2] ?? '', exp[3] ?? '', Number(exp[4])) : undefined;
}

/** Whether `d` is within the limits above, so that its text is a valid amount (isDecimalText). */
export function isWithinLimits(d: Decimal): boolean {
  if (d.scale > MAX_SCALE) return false;
  const digits = (d.units < 0n ? -d.units : d.units).toString().length;
  return digits <= MAX_DIGITS;
}

/** The canonical text of `d` (see the header). */
export function decimalText(d: Decimal): string {
  const negative = d.units < 0n;
  let digits = (negative ? -d.units : d.units).toString();
  if (d.scale > 0) {
    digits = digits.padStart(d.scale + 1, '0');
    const point = digits.length - d.scale;
    const fraction = digits.slice(point).replace(/0+$/, '');
    digits = fraction === '' ? digits.slice(0, point) : `${digits.slice(0, point)}.${fraction}`;
  }
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/** The canonical text of a plain decimal, or undefined when `text` is none (see parseDecimal). */
export function canonicalDecimal(text: string): string | undefined {
  const d = parseDecimal(text);
  return d === undefined ? undefined : decimalText(d);
}

/** `-x` of canonical text, without parsing: `0` stays `0`. */
export const negateDecimalText = (text: string): string =>
  text.startsWith('-') ? text.slice(1) : text === '0' ? text : `-${text}`;

/** Significant digits of canonical text, counting the zeros of the whole part: `1000` has 4. */
export function significantDigits(text: string): number {
  return text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

/** The same value at a scale of at least `scale` (never fewer digits: that is roundHalfUp's job). */
function atScale(d: Decimal, scale: number): bigint {
  return scale <= d.scale ? d.units : d.units * pow10(scale - d.scale);
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = atScale(a, scale);
  const y = atScale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: atScale(a, scale) + atScale(b, scale), scale };
}

export const negateDecimal = (d: Decimal): Decimal => ({ units: -d.units, scale: d.scale });

export const subtractDecimals = (a: Decimal, b: Decimal): Decimal => addDecimals(a, negateDecimal(b));

/** The exact product: its scale is the sum of the two scales. */
export const multiplyDecimals = (a: Decimal, b: Decimal): Decimal => ({
  units: a.units * b.units,
  scale: a.scale + b.scale,
});

/** `d / 10^places`, exactly: a percentage's value is its number of hundredths. */
export const shiftDecimal = (d: Decimal, places: number): Decimal => ({
  units: d.units,
  scale: d.scale + places,
});

// Rounding is half away from zero ("half up" on magnitudes: 0.125 to 0.13, -0.125 to -0.13): the
// rule of spreadsheets' ROUND and of most invoices, so that a PMO checking a threshold by hand
// gets the same cents. Banker's rounding would avoid a bias over long sums of rounded values,
// which policies do not make: they round a few products and compare them.

/** numerator / denominator to the nearest integer, halves away from zero; denominator > 0. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator; // has the numerator's sign
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  return twice >= denominator ? quotient + (numerator < 0n ? -1n : 1n) : quotient;
}

/** `d` with at most `scale` digits after the point, rounded half away from zero. */
export function roundHalfUp(d: Decimal, scale: number): Decimal {
  if (d.scale <= scale) return d;
  return { units: divideHalfUp(d.units, pow10(d.scale - scale)), scale };
}

/** `a / b` with `scale` digits after the point, rounded half away from zero; undefined when b is 0. */
export function divideHalfUpTo(a: Decimal, b: Decimal, scale: number): Decimal | undefined {
  if (b.units === 0n) return undefined;
  // a/b = (a.units × 10^b.scale) / (b.units × 10^a.scale); scaled up by 10^scale for the digits.
  let numerator = a.units * pow10(b.scale + scale);
  let denominator = b.units * pow10(a.scale);
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  return { units: divideHalfUp(numerator, denominator), scale };
}

/** Digits before the point, as a measure of magnitude: 0 for `0.05`, 3 for `123.4`. */
const wholeDigits = (d: Decimal): number => {
  const digits = (d.units < 0n ? -d.units : d.units).toString().length;
  return d.units === 0n ? 0 : digits - d.scale;
};

/**
 * `a / b` as a number: the quotient to about 17 significant digits (as many as a number holds),
 * then the nearest number; undefined when b is 0. For ratios of amounts (`actual / budget`),
 * which are plain numbers in the language.
 */
export function decimalRatio(a: Decimal, b: Decimal): number | undefined {
  const scale = Math.max(0, 17 - wholeDigits(a) + wholeDigits(b));
  const quotient = divideHalfUpTo(a, b, scale);
  return quotient === undefined ? undefined : Number(decimalText(quotient));
}

// ---------------------------------------------------------------------------------------------
// Order of canonical text without BigInt: the common comparison `request.budget >= 50_000 EUR`
// runs for every rule evaluation, and comparing digits costs a fraction of parsing them.

/** Compares the magnitudes of two unsigned canonical decimals. */
function compareMagnitudes(a: string, b: string): number {
  const pa = a.indexOf('.');
  const pb = b.indexOf('.');
  const wa = pa < 0 ? a.length : pa;
  const wb = pb < 0 ? b.length : pb;
  // No leading zeros: the longer whole part is the larger number.
  if (wa !== wb) return wa < wb ? -1 : 1;
  for (let i = 0; i < wa; i++) {
    const da = a.charCodeAt(i);
    const db = b.charCodeAt(i);
    if (da !== db) return da < db ? -1 : 1;
  }
  // Fractions have no trailing zeros, so text order is numeric order (a prefix is the smaller).
  const fa = pa < 0 ? '' : a.slice(pa + 1);
  const fb = pb < 0 ? '' : b.slice(pb + 1);
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** The order of two canonical decimal texts: negative, zero or positive. */
export function compareDecimalTexts(a: string, b: string): number {
  if (a === b) return 0;
  const negativeA = a.charCodeAt(0) === 45; // '-'
  const negativeB = b.charCodeAt(0) === 45;
  if (negativeA !== negativeB) return negativeA ? -1 : 1;
  return negativeA ? compareMagnitudes(b.slice(1), a.slice(1)) : compareMagnitudes(a, b);
}
