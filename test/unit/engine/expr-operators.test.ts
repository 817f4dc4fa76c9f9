// Every operator and built-in of the language, for every operand type the checker accepts, run on
// IR compiled by the real front end: the evaluator must mean what the checker allowed.
import { compileEntry, memoryHost } from '../../../dsl/index.js';
import type { DurationIR, ExprIR, PolicyIR, StepIR, ValueIR } from '../../../engine/ir/types.js';
import {
  compileExpression,
  compileValue,
  type ExprEnvironment,
  type Facts,
} from '../../../engine/expr/index.js';

const INPUT = `
    t: text
    t2: text optional
    e: "low" | "medium" | "high"
    e2: "low" | "high" optional
    who: person
    n: number
    n2: number optional
    p: percentage
    m: money EUR
    m2: money EUR optional
    any: money
    d: duration
    day: date
    day2: date optional
    b: boolean
    tags: list of text
    tags2: list of text optional
    nums: list of number`;

function compileProcess(body: string): PolicyIR {
  const text = `policy "T" version 1 effective 2026-01-01

calendar office {
  timezone "UTC"
  hours mon-fri 09:00-17:00
}

process p {
  input {${INPUT}
  }
${body}
  end approved
}
`;
  const out = compileEntry('p.charter', memoryHost({ 'p.charter': text }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return out.compiled.ir;
}

const firstStep = (ir: PolicyIR): StepIR => {
  const step = ir.processes[0]?.steps[0];
  if (!step) throw new Error('no step');
  return step;
};

/** The IR of a value expression, via a message hole (booleans cannot be printed, see `cond`). */
function expr(text: string): ExprIR {
  const step = firstStep(compileProcess(`  notify group "g": "{${text}}"`));
  const part = step.kind === 'notify' ? step.message.parts.find((p) => 'expr' in p) : undefined;
  if (!part || !('expr' in part)) throw new Error('no hole');
  return part.expr;
}

/** The IR of a condition, via an `if`. */
function cond(text: string): ExprIR {
  const step = firstStep(compileProcess(`  if ${text} {\n    end rejected\n  }`));
  if (step.kind !== 'if' || !step.branches[0]) throw new Error('no if');
  return step.branches[0].condition;
}

const calls: { date: string; duration: DurationIR }[] = [];

/** Plain whole days on the proleptic calendar, and business days skipping weekends. */
function addDuration(date: string, duration: DurationIR): string {
  calls.push({ date, duration });
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d));
  const days = duration.unit === 'week' ? duration.amount * 7 : duration.unit === 'day' ? duration.amount : 0;
  if (!duration.business) at.setUTCDate(at.getUTCDate() + days);
  else {
    const step = Math.sign(days);
    for (let left = Math.abs(days); left > 0;) {
      at.setUTCDate(at.getUTCDate() + step);
      if (at.getUTCDay() !== 0 && at.getUTCDay() !== 6) left--;
    }
  }
  return at.toISOString().slice(0, 10);
}

const env: ExprEnvironment = { rules: [], addDuration };

/** Money as the engine writes it: exact decimal text (legacy numbers: money.test.ts). */
const eur = (amount: number) => ({ amount: String(amount), currency: 'EUR' });
const hours = (amount: number): DurationIR => ({ amount, unit: 'hour', business: false, calendar: null });
const days = (amount: number): DurationIR => ({ amount, unit: 'day', business: false, calendar: null });
const minutes = (amount: number): DurationIR => ({ amount, unit: 'minute', business: false, calendar: null });

const BASE: Facts['input'] = {
  t: 'Quarterly patch',
  e: 'medium',
  who: 'ana@halden.example',
  n: 12,
  p: 15,
  m: eur(80_000),
  any: { amount: '100', currency: 'USD' },
  d: hours(48),
  day: '2026-12-01',
  b: true,
  tags: ['sap-s4', 'crm'],
  nums: [1, 2, 3],
};

const facts = (input: Facts['input'] = {}): Facts => ({ input: { ...BASE, ...input }, steps: {} });

function run(node: ExprIR, input: Facts['input'] = {}): ValueIR | undefined {
  const f = facts(input);
  const explained = compileExpression(node, env)(f).value;
  // The fast path and the explaining path share operators; prove they agree on every case.
  expect(compileValue(node, env)(f)).toEqual(explained);
  return explained;
}

type Case = [string, ValueIR | undefined, Facts['input']?];

const valueCases: Record<string, Case[]> = {
  '+': [
    ['request.n + 3', 15],
    ['request.p + 5%', 20],
    ['request.m + 500 EUR', eur(80_500)],
    ['request.m + request.m', eur(160_000)],
    ['request.d + 24h', hours(72)],
    ['request.d + 30m', minutes(2910)],
    ['1d + 12h', hours(36)],
    ['1d + 24h', days(2)],
    ['request.day + 2d', '2026-12-03'],
    ['2d + request.day', '2026-12-03'],
    ['request.day + 1w', '2026-12-08'],
    ['request.day + 2 business days', '2026-12-08', { day: '2026-12-04' }],
    ['0.1 + 0.2', 0.3],
  ],
  '-': [
    ['request.n - 20', -8],
    ['request.p - 5%', 10],
    ['request.m - 80_000 EUR', eur(0)],
    ['request.d - 1d', days(1)],
    ['request.d - 24h', hours(24)],
    ['request.d - 48h', hours(0)],
    ['request.day - 1w', '2026-11-24'],
    ['request.day - 1d', '2026-11-30'],
  ],
  '*': [
    ['request.m * 1.1', eur(88_000)],
    ['request.m * 10%', eur(8_000)],
    ['2 * request.m', eur(160_000)],
    ['request.d * 2', hours(96)],
    ['request.d * 50%', hours(24)],
    ['request.n * request.p', 1.8],
    ['request.p * 2', 0.3],
    ['request.n * 2', 24],
  ],
  '/': [
    ['request.n / 4', 3],
    ['request.m / 4', eur(20_000)],
    ['request.d / 4', hours(12)],
    ['request.p / 3', 5],
    ['request.m / 40_000 EUR', 2],
    ['request.d / 4h', 12],
    ['request.d / 1d', 2],
    ['request.p / 5%', 3],
  ],
  'unary -': [
    ['-request.n', -12],
    ['-request.m', eur(-80_000)],
    ['-request.p', -15],
    ['-request.d', hours(-48)],
  ],
  count: [
    ['count(request.tags)', 2],
    ['count(request.nums)', 3],
    ['count([])', 0],
    ['count(request.tags2)', undefined],
  ],
  length: [
    ['length(request.t)', 15],
    ['length(request.who)', 18],
    ['length(request.e)', 6],
    ['length(request.t)', 5, { t: 'Zoë 🚀' }],
  ],
  'lower and upper': [
    ['lower(request.t)', 'quarterly patch'],
    ['upper(request.e)', 'MEDIUM'],
    ['upper(request.t2)', undefined],
  ],
  'min and max': [
    ['min(request.n, 5)', 5],
    ['max(request.n, 5)', 12],
    ['min(request.p, 20%)', 15],
    ['max(request.m, 100_000 EUR)', eur(100_000)],
    ['min(request.day, 2026-01-01)', '2026-01-01'],
    ['max(request.d, 3d)', days(3)],
    ['min(request.d, 3d)', hours(48)],
    ['max(request.n2, 1)', undefined],
  ],
  days_between: [
    ['days_between(request.day, 2026-12-31)', 30],
    ['days_between(2026-12-31, request.day)', -30],
    ['days_between(2024-02-28, 2024-03-01)', 2],
    ['days_between(request.day, request.day2)', undefined],
  ],
};

describe('expression values', () => {
  for (const [operator, cases] of Object.entries(valueCases)) {
    test.each(cases)(
      `when ${operator} evaluates %s, then the value is %j`,
      (...[text, expected, input]: Case) => {
        expect(run(expr(text), input)).toEqual(expected);
      },
    );
  }

  test('when a date moves by a duration, then the injected calendar function computes it', () => {
    calls.length = 0;
    expect(compileValue(expr('request.day - 2 business days'), env)(facts())).toBe('2026-11-27');
    expect(calls).toEqual([
      { date: '2026-12-01', duration: { amount: -2, unit: 'day', business: true, calendar: 'office' } },
    ]);
  });
});

type CondCase = [string, boolean | undefined, Facts['input']?];

const conditionCases: Record<string, CondCase[]> = {
  '== and !=': [
    ['request.t == "Quarterly patch"', true],
    ['request.t != "Quarterly patch"', false],
    ['request.e == "high"', false],
    ['request.e != "high"', true],
    ['request.e == request.e2', false, { e2: 'low' }],
    ['request.e == request.e2', true, { e: 'low', e2: 'low' }],
    ['request.who == "ana@halden.example"', true],
    ['request.n == 12', true],
    ['request.p == 15%', true],
    ['request.m == 80_000 EUR', true],
    ['request.m != 80_000.01 EUR', true],
    ['request.d == 2d', true],
    ['request.d == 2880m', true],
    ['request.day == 2026-12-01', true],
    ['request.b == true', true],
    ['request.b != false', true],
    ['request.tags == ["sap-s4", "crm"]', true],
    ['request.tags == ["crm", "sap-s4"]', false],
    ['request.nums != [1, 2]', true],
  ],
  '< <= > >=': [
    ['request.n > 11', true],
    ['request.n >= 12', true],
    ['request.n < 12', false],
    ['request.n <= 12', true],
    ['request.p >= 15%', true],
    ['request.p < 10%', false],
    ['request.m > 50_000 EUR', true],
    ['request.m <= 79_999.99 EUR', false],
    ['request.any > 50 USD', true],
    ['request.d > 1d', true],
    ['request.d < 1w', true],
    ['request.d >= 2880m', true],
    ['request.day >= 2026-11-16', true],
    ['request.day < 2026-12-01', false],
    ['request.day <= request.day2', true, { day2: '2027-01-08' }],
    ['2 business days < 3 business days', true],
    ['4 business hours < 1 business day', undefined],
  ],
  in: [
    ['request.t in ["Quarterly patch", "other"]', true],
    ['request.e in ["high", "medium"]', true],
    ['request.e in ["high"]', false],
    ['request.n in [1, 12]', true],
    ['request.n in request.nums', false],
    ['"crm" in request.tags', true],
    ['request.who in ["bob@halden.example"]', false],
    ['request.m in [80_000 EUR, 1 EUR]', true],
    ['request.t2 in ["x"]', undefined],
    ['"x" in request.tags2', undefined],
  ],
  contains: [
    ['contains(request.tags, "crm")', true],
    ['contains(request.tags, "erp")', false],
    ['contains(request.nums, 2)', true],
    ['contains(request.tags2, "crm")', undefined],
    ['contains(request.tags, request.t2)', undefined],
  ],
  is_set: [
    ['is_set(request.t2)', false],
    ['is_set(request.t2)', true, { t2: '' }],
    ['is_set(request.day2)', false],
  ],
};

describe('condition values', () => {
  for (const [operator, cases] of Object.entries(conditionCases)) {
    test.each(cases)(
      `when ${operator} evaluates %s, then the value is %j`,
      (...[text, expected, input]: CondCase) => {
        expect(run(cond(text), input)).toEqual(expected);
      },
    );
  }
});

describe('faults are unset with a reason', () => {
  const reasons = (text: string, input: Facts['input'], isCondition = true) =>
    compileExpression(isCondition ? cond(text) : expr(text), env)(facts(input));

  test('when a number is divided by zero, then the value is unset and the reason says so', () => {
    const e = reasons('request.n / request.n2', { n2: 0 }, false);
    expect(e).toEqual({
      value: undefined,
      because: [
        expect.objectContaining({ text: 'request.n / request.n2 cannot be computed: it divides by zero' }),
      ],
    });
  });

  test('when money is divided by zero money, then the value is unset, not Infinity', () => {
    expect(reasons('request.m / request.m2', { m2: eur(0) }, false).value).toBeUndefined();
  });

  test('when plain money fields hold two currencies, then comparing them is unset with the currencies named', () => {
    const e = reasons('request.any > 50 EUR', {});
    expect(e.value).toBeUndefined();
    expect(e.because.map((r) => r.text)).toEqual([
      'request.any > 50 EUR cannot be decided: 100 USD and 50 EUR are in different currencies',
    ]);
  });

  test('when plain money fields hold two currencies, then adding them is unset', () => {
    expect(reasons('request.any + request.m', {}, false).value).toBeUndefined();
  });

  test('when business time meets wall-clock time, then the comparison is unset', () => {
    const e = reasons('request.d > 2 business days', {});
    expect(e.value).toBeUndefined();
    expect(e.because[0]?.text).toBe(
      'request.d > 2 business days cannot be decided: 48 hours and 2 business days cannot be compared without a calendar',
    );
  });

  test('when a fact has the wrong shape, then the comparison is unset instead of throwing', () => {
    const e = reasons('request.m > 50_000 EUR', { m: 'lots' });
    expect(e.value).toBeUndefined();
    expect(e.because[0]?.text).toContain('cannot be compared');
  });

  test('when the injected calendar throws, then date arithmetic is unset with its message', () => {
    const failing: ExprEnvironment = {
      rules: [],
      addDuration: () => {
        throw new Error('no calendar for 2099');
      },
    };
    const e = compileExpression(expr('request.day + 2d'), failing)(facts());
    expect(e.value).toBeUndefined();
    expect(e.because[0]?.text).toBe(
      'request.day + 2 days cannot be computed: 2 days cannot be counted from 2026-12-01: no calendar for 2099',
    );
  });
});
