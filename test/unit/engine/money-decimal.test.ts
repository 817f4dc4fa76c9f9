// Exact decimals (engine/ir/decimal.ts), the arithmetic under money: canonical text, the
// number-to-decimal reading, half-up rounding, and the text comparison of the rules' fast path
// checked against BigInt arithmetic on random values of every magnitude.
import fc from 'fast-check';
import {
  addDecimals,
  canonicalDecimal,
  compareDecimals,
  compareDecimalTexts,
  type Decimal,
  decimalFromNumber,
  decimalRatio,
  decimalText,
  divideHalfUpTo,
  isDecimalText,
  MAX_DIGITS,
  MAX_SCALE,
  parseDecimal,
  roundHalfUp,
  significantDigits,
  subtractDecimals,
} from '../../../engine/ir/index.js';

const text = (d: Decimal | undefined): string | undefined => (d === undefined ? undefined : decimalText(d));

/** Decimals from 10^-8 to 10^30 and their negatives, many of them equal at different scales. */
const decimal: fc.Arbitrary<Decimal> = fc
  .tuple(fc.bigInt({ min: -(10n ** 38n), max: 10n ** 38n }), fc.nat(8))
  .map(([units, scale]) => ({ units, scale }));

/** The exact rational order, by cross-multiplication: independent of the code under test. */
const order = (a: Decimal, b: Decimal): number => {
  const x = a.units * 10n ** BigInt(b.scale);
  const y = b.units * 10n ** BigInt(a.scale);
  return x < y ? -1 : x > y ? 1 : 0;
};

describe('canonical decimal text', () => {
  test.each([
    ['0', '0'],
    ['-0', '0'],
    ['-0.000', '0'],
    ['007.50', '7.5'],
    ['1000', '1000'],
    ['-12.340', '-12.34'],
    ['0.000001', '0.000001'],
    ['1000000000000000000.01', '1000000000000000000.01'],
  ])('when %p is read, then its canonical text is %p', (...[input, canonical]) => {
    expect(canonicalDecimal(input)).toBe(canonical);
    expect(isDecimalText(canonical)).toBe(true);
  });

  test.each(['', '-', '.5', '5.', '1e3', '+1', '1,000', ' 1', '0x10', 'NaN'])(
    'when %p is read, then it is no decimal',
    (input) => {
      expect(parseDecimal(input)).toBeUndefined();
    },
  );

  test.each(['007', '1.50', '-0', '1.', '+1', '1e3'])('when %p is checked, then it is not canonical', (t) => {
    expect(isDecimalText(t)).toBe(false);
  });

  test('when a decimal is beyond the limits, then it is refused rather than computed', () => {
    const tooPrecise = `0.${'1'.repeat(MAX_SCALE + 1)}`;
    const tooLong = '9'.repeat(MAX_DIGITS + 1);
    expect(parseDecimal(tooPrecise)).toBeUndefined();
    expect(isDecimalText(tooPrecise)).toBe(false);
    expect(parseDecimal(tooLong)).toBeUndefined();
    expect(isDecimalText(tooLong)).toBe(false);
    expect(isDecimalText(`0.${'1'.repeat(MAX_SCALE)}`)).toBe(true);
  });

  test('when any decimal is written and read back, then it is the same value in the same text', () => {
    fc.assert(
      fc.property(decimal, (d) => {
        const t = decimalText(d);
        expect(isDecimalText(t)).toBe(true);
        const back = parseDecimal(t);
        expect(back && compareDecimals(back, d)).toBe(0);
        expect(back && decimalText(back)).toBe(t);
      }),
    );
  });

  test.each([
    [0.1, '0.1'],
    [0.30000000000000004, '0.30000000000000004'],
    [-2.5, '-2.5'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [-0, '0'],
  ])('when the number %p is read, then it is the decimal %p it prints as', (...[n, t]) => {
    expect(text(decimalFromNumber(n))).toBe(t);
  });

  test.each([NaN, Infinity, -Infinity, 5e-324])('when the number %p is read, then it is no amount', (n) => {
    expect(decimalFromNumber(n)).toBeUndefined();
  });

  test.each([
    ['1000', 4],
    ['1000.5', 5],
    ['0.0015', 2],
    ['-120.25', 5],
    ['0', 0],
  ])('when %p is measured, then it has %p significant digits', (...[t, digits]) => {
    expect(significantDigits(t)).toBe(digits);
  });
});

describe('decimal arithmetic', () => {
  test('when 0.1 and 0.2 are added, then the sum is exactly 0.3', () => {
    const sum = addDecimals(parseDecimal('0.1')!, parseDecimal('0.2')!);
    expect(decimalText(sum)).toBe('0.3');
    expect(compareDecimals(sum, parseDecimal('0.3')!)).toBe(0);
  });

  test('when decimals are added and the addend subtracted again, then the first comes back exactly', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        expect(compareDecimals(subtractDecimals(addDecimals(a, b), b), a)).toBe(0);
      }),
    );
  });

  test.each([
    ['0.125', 2, '0.13'],
    ['-0.125', 2, '-0.13'],
    ['0.124', 2, '0.12'],
    ['0.135', 2, '0.14'],
    ['2.5', 0, '3'],
    ['-2.5', 0, '-3'],
    ['1.25', 5, '1.25'],
  ])('when %p is rounded to %p places, then halves go away from zero: %p', (...[input, scale, out]) => {
    expect(decimalText(roundHalfUp(parseDecimal(input)!, scale))).toBe(out);
  });

  test.each([
    ['100', '3', 2, '33.33'],
    ['200', '3', 2, '66.67'],
    ['-200', '3', 2, '-66.67'],
    ['1', '-8', 2, '-0.13'],
    ['1', '0.5', 0, '2'],
  ])('when %p is divided by %p to %p places, then it is %p', (...[a, b, scale, out]) => {
    expect(text(divideHalfUpTo(parseDecimal(a)!, parseDecimal(b)!, scale))).toBe(out);
  });

  test('when a decimal is divided by zero, then there is no quotient', () => {
    expect(divideHalfUpTo(parseDecimal('1')!, parseDecimal('0.00')!, 2)).toBeUndefined();
    expect(decimalRatio(parseDecimal('1')!, parseDecimal('0')!)).toBeUndefined();
  });

  test('when a ratio is taken, then it is the nearest number to the exact quotient', () => {
    expect(decimalRatio(parseDecimal('0.3')!, parseDecimal('0.1')!)).toBe(3);
    expect(decimalRatio(parseDecimal('1')!, parseDecimal('3')!)).toBe(1 / 3);
    expect(decimalRatio(parseDecimal('1000000000000000000.01')!, parseDecimal('0.01')!)).toBe(1e20);
    expect(decimalRatio(parseDecimal('0.000001')!, parseDecimal('3000000')!)).toBe(1e-6 / 3e6);
  });
});

describe('comparing decimal texts', () => {
  test('when any two decimals are compared as text, then the order is the exact one', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const expected = order(a, b);
        expect(Math.sign(compareDecimalTexts(decimalText(a), decimalText(b)))).toBe(expected);
        expect(compareDecimals(a, b)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  test.each([
    ['999.99', '1000', -1],
    ['1000000000000000000.01', '1000000000000000000', 1],
    ['-1000000000000000000.01', '-1000000000000000000', -1],
    ['0.5', '0.45', 1],
    ['-0.5', '0', -1],
    ['0', '0.000001', -1],
    ['12', '12', 0],
  ])('when %p is compared with %p, then the order is %p', (...[a, b, expected]) => {
    expect(Math.sign(compareDecimalTexts(a, b))).toBe(expected);
    expect(Math.sign(compareDecimalTexts(b, a))).toBe(-expected || 0);
  });
});
