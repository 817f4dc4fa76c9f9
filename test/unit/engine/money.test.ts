// Exact money end to end (issue 14): policy literals through the IR to evaluation, explanations
// and JSON; the arithmetic and its rounding rule; amounts read with their currency's minor unit;
// input as text and as numbers; and IR and machine states written before amounts were exact.
import fc from 'fast-check';
import { compileEntry, memoryHost } from '../../../dsl/index.js';
import {
  compileRules,
  compileValue,
  explain,
  type ExprEnvironment,
  type Facts,
  formatMoney,
} from '../../../engine/expr/index.js';
import { compare } from '../../../engine/expr/operators.js';
import { parseInput } from '../../../engine/input/index.js';
import {
  type CompiledPolicy,
  type MoneyValue,
  parseCompiledPolicy,
  type ProcessIR,
  type ValueIR,
  canonicalDecimal,
  compareDecimalTexts,
  decimalText,
  significantDigits,
} from '../../../engine/ir/index.js';

const POLICY = `policy "Money" version 1 effective 2026-01-01

rule tenths = 0.1 EUR + 0.2 EUR == 0.3 EUR
rule huge = request.budget > 1_000_000_000_000_000 EUR
rule exact = request.budget == 1_000_000_000_000_000.01 EUR
rule cheap = request.budget * 15% < 1_851.85 EUR
rule costly = request.budget >= 50_000 EUR

process p {
  input {
    budget: money EUR
    limit: money EUR = -0.50 EUR
    fee: money optional
  }
  if huge or exact or cheap or costly or tenths {
    end rejected "{request.budget}"
  }
  end approved
}
`;

function compile(source = POLICY): CompiledPolicy {
  const out = compileEntry('money.charter', memoryHost({ 'money.charter': source }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return out.compiled;
}

const environment = (compiled: CompiledPolicy): ExprEnvironment => ({
  rules: compiled.ir.rules,
  addDuration: () => {
    throw new Error('no dates here');
  },
});

const eur = (amount: string | number): MoneyValue => ({ amount, currency: 'EUR' });
const facts = (input: Record<string, ValueIR>): Facts => ({ input, steps: {} });

/** An expression of the policy's input block, compiled alone: `request.budget * 3`. */
function valueOf(text: string, input: Record<string, ValueIR>): ValueIR | undefined {
  // A rule the process uses, so that the compiler keeps it.
  const source = POLICY.replace('rule tenths', `rule probe = ${text} == ${text}\nrule tenths`).replace(
    'if huge',
    'if probe or huge',
  );
  const compiled = compile(source);
  const probe = compiled.ir.rules.find((r) => r.name === 'probe')?.condition;
  if (probe?.op !== 'eq') throw new Error('the probe is no comparison');
  return compileValue(probe.left, environment(compiled))(facts(input));
}

describe('money literals, exact from the policy text to JSON', () => {
  const compiled = compile();
  const rules = compileRules(environment(compiled));
  const literals = JSON.stringify(compiled.ir.rules);

  test('when 0.1 EUR and 0.2 EUR are added, then the sum is exactly 0.3 EUR', () => {
    expect(rules.evaluate('tenths', facts({})).value).toBe(true);
    expect(valueOf('0.1 EUR + 0.2 EUR', {})).toEqual(eur('0.3'));
    expect(formatMoney(eur('0.3'))).toBe('0.30 EUR');
  });

  test('when a literal has 18 significant digits, then the IR holds it as exact decimal text', () => {
    expect(literals).toContain('{"amount":"1000000000000000.01","currency":"EUR"}');
    expect(literals).toContain('{"amount":"1851.85","currency":"EUR"}');
    const limit = compiled.ir.processes[0]?.input.find((f) => f.name === 'limit');
    expect(limit?.default).toEqual(eur('-0.5'));
  });

  test('when 1,000,000,000,000,000.01 EUR goes literal, IR, JSON, evaluation, explanation and back, then no cent is lost', () => {
    // The IR as the store and Temporal keep it: JSON text, read back and its hash verified.
    const stored = parseCompiledPolicy(JSON.parse(JSON.stringify(compiled)) as unknown);
    const process = stored.ir.processes[0] as ProcessIR;
    // The input as an API client sends it: JSON text with the amount as decimal text.
    const body = JSON.parse('{"budget": {"amount": "1000000000000000.01", "currency": "EUR"}}') as unknown;
    const input = parseInput(process, body);
    if (!input.ok) throw new Error(JSON.stringify(input.problems));
    const storedRules = compileRules(environment(stored));
    const f = facts(input.values);

    expect(storedRules.evaluate('exact', f).value).toBe(true);
    expect(storedRules.evaluate('huge', f).value).toBe(true);
    expect(explain(storedRules.evaluate('huge', f))).toBe(
      'huge held because request.budget = 1,000,000,000,000,000.01 EUR > 1,000,000,000,000,000 EUR',
    );
    const back = JSON.parse(JSON.stringify(input.values)) as Record<string, ValueIR>;
    expect(back['budget']).toEqual(eur('1000000000000000.01'));
    expect(storedRules.evaluate('exact', facts(back)).value).toBe(true);
    // One cent less is less: a number would have made both 10^15.
    expect(storedRules.evaluate('exact', facts({ budget: eur('1000000000000000') })).value).toBe(false);
  });
  test.each([
    [`1${'_000'.repeat(67)}`, 'the amount has 202 digits, more than money can have'],
    [`0.${'3'.repeat(61)}`, 'the amount has 61 digits after the point, more than money can have'],
  ])(
    'when a literal is beyond what an exact amount may hold, then CH2023 says so at the literal',
    (...[amount, message]) => {
      const source = POLICY.replace('0.3 EUR', `${amount} EUR`);
      const out = compileEntry('money.charter', memoryHost({ 'money.charter': source }));
      expect(out.diagnostics.map((d) => [d.code, d.message, d.span.line])).toEqual([['CH2023', message, 3]]);
    },
  );
});

describe('money arithmetic', () => {
  test.each<[string, MoneyValue, MoneyValue]>([
    ['request.budget * 15%', eur('12345.67'), eur('1851.85')],
    ['request.budget * 0.5', eur('0.05'), eur('0.03')],
    ['request.budget * 0.5', eur('-0.05'), eur('-0.03')],
    ['request.budget * 3', eur('0.0125'), eur('0.0375')],
    ['request.budget * 1.1', eur('100000'), eur('110000')],
    ['request.budget / 3', eur('100'), eur('33.33')],
    ['request.budget / 3', eur('200'), eur('66.67')],
    ['3 * request.budget', eur('1000000000000000.01'), eur('3000000000000000.03')],
    ['request.budget - 0.01 EUR', eur('1000000000000000.01'), eur('1000000000000000')],
    ['-request.budget', eur('0.5'), eur('-0.5')],
    ['max(request.budget, 0.3 EUR)', eur(0.3), eur(0.3)],
  ])('when %s is evaluated with %j, then it is %j', (...[text, budget, expected]) => {
    expect(valueOf(text, { budget })).toEqual(expected);
  });

  test('when money is divided by money, then the ratio is a plain number of the exact quotient', () => {
    expect(valueOf('request.budget / 0.1 EUR', { budget: eur('0.3') })).toBe(3);
  });

  test('when a product outgrows the limits of an amount, then it is unset, not a wrong number', () => {
    const budget = eur(`1${'0'.repeat(150)}`);
    expect(
      valueOf('request.budget * 1_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000', {
        budget,
      }),
    ).toBeUndefined();
  });

  /** Canonical amounts from 10^-6 to 10^25 and their negatives, many equal at another scale. */
  const amounts = fc
    .tuple(fc.bigInt({ min: -(10n ** 31n), max: 10n ** 31n }), fc.nat(6))
    .map(([units, scale]) => ({ units, scale, text: decimalText({ units, scale }) }));
  /** The amount as it was given: exact text, or a number where one holds it (states from before). */
  const forms = (a: { text: string }): MoneyValue[] =>
    significantDigits(a.text) <= 15 ? [eur(a.text), eur(Number(a.text))] : [eur(a.text)];

  test('when amounts of any magnitude are compared, then text and number forms agree with the exact order', () => {
    fc.assert(
      fc.property(amounts, amounts, (a, b) => {
        const x = a.units * 10n ** BigInt(b.scale);
        const y = b.units * 10n ** BigInt(a.scale);
        const expected = x < y ? -1 : x > y ? 1 : 0;
        for (const left of forms(a))
          for (const right of forms(b)) expect(Math.sign(compare(left, right) as number)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  test('when a budget is compared with a literal, then the fast path agrees with the exact order', () => {
    const rules = compileRules(environment(compile()));
    const near = fc
      .tuple(fc.integer({ min: -3, max: 3 }), fc.constantFrom('', '.01', '.000001', '.5'))
      .map(([offset, fraction]) => ({ text: `${49_999 + offset}${fraction}` }))
      .filter(({ text }) => text === canonicalDecimal(text));
    fc.assert(
      fc.property(fc.oneof(near, amounts), (a) => {
        const expected = compareDecimalTexts(a.text, '50000') >= 0;
        for (const budget of forms(a)) {
          expect(rules.decide('costly', facts({ budget }))).toBe(expected);
          expect(rules.evaluate('costly', facts({ budget })).value).toBe(expected);
        }
      }),
    );
  });
});

describe('amounts in their currency', () => {
  test.each<[MoneyValue, string]>([
    [eur('80000'), '80,000 EUR'],
    [eur('0.3'), '0.30 EUR'],
    [eur('-1234.5'), '-1,234.50 EUR'],
    [eur('0.125'), '0.125 EUR'],
    [eur('1000000000000000000.01'), '1,000,000,000,000,000,000.01 EUR'],
    [{ amount: '1500', currency: 'JPY' }, '1,500 JPY'],
    [{ amount: '1500.5', currency: 'JPY' }, '1,500.5 JPY'],
    [{ amount: '1.5', currency: 'BHD' }, '1.500 BHD'],
    [{ amount: '0.25', currency: 'KWD' }, '0.250 KWD'],
    [{ amount: '12', currency: 'CLF' }, '12 CLF'],
    [{ amount: '2.5', currency: 'XYZ' }, '2.50 XYZ'],
    [eur(1234.5), '1,234.50 EUR'],
  ])('when %j is read, then it is %p', (...[money, text]) => {
    expect(formatMoney(money)).toBe(text);
  });
});

describe('money input', () => {
  const process = compile().ir.processes[0] as ProcessIR;
  const budgetOf = (budget: unknown) => {
    const out = parseInput(process, { budget });
    return out.ok ? out.values['budget'] : out.problems;
  };

  test.each<[unknown, MoneyValue]>([
    ['80,000.50 EUR', eur('80000.5')],
    ['1000000000000000000.01 EUR', eur('1000000000000000000.01')],
    [{ amount: '1000000000000000000.01', currency: 'EUR' }, eur('1000000000000000000.01')],
    [{ amount: '1,000.10', currency: 'EUR' }, eur('1000.1')],
    [{ amount: 80000.5, currency: 'EUR' }, eur('80000.5')],
    [{ amount: 123456789012.34, currency: 'EUR' }, eur('123456789012.34')],
  ])('when the budget is %j, then it is %j', (...[given, expected]) => {
    expect(budgetOf(given)).toEqual(expected);
  });

  test.each<[unknown, { path: (string | number)[]; message: string }[]]>([
    [
      { amount: 'ten', currency: 'EUR' },
      [
        {
          path: ['budget', 'amount'],
          message: 'expected an amount as decimal text like "80000.50" or a number, got "ten"',
        },
      ],
    ],
    [
      { amount: '10', currency: 'euro' },
      [{ path: ['budget', 'currency'], message: 'expected a currency code like "EUR", got "euro"' }],
    ],
    [
      { amount: 1e18, currency: 'EUR' },
      [
        {
          path: ['budget', 'amount'],
          message:
            'the number 1000000000000000000 has more than 15 significant digits and may have lost some in JSON: send the amount as text, like "1000000000000000000.01"',
        },
      ],
    ],
    [
      { amount: true },
      [
        {
          path: ['budget', 'amount'],
          message: 'expected an amount as decimal text like "80000.50" or a number, got true',
        },
        { path: ['budget', 'currency'], message: 'expected a currency code like "EUR", got nothing' },
      ],
    ],
    [
      '1e3 EUR',
      [{ path: ['budget'], message: 'expected an amount of money like "80,000 EUR", got "1e3 EUR"' }],
    ],
  ])('when the budget is %j, then the problem names the member to fix', (...[given, problems]) => {
    expect(budgetOf(given)).toEqual(problems);
  });
});
