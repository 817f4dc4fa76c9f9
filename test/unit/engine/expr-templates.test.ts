// Values in business words, and message templates with their holes filled.
import { compileEntry, memoryHost } from '../../../dsl/index.js';
import type { StepIR, TemplateIR, ValueIR } from '../../../engine/ir/types.js';
import {
  compileTemplate,
  type ExprEnvironment,
  formatDuration,
  formatNumber,
  formatValue,
  renderTemplate,
} from '../../../engine/expr/index.js';

describe('values in business words', () => {
  test.each([
    [80_000, '80,000'],
    [1_234_567.891, '1,234,567.891'],
    [0.05, '0.05'],
    [-1500, '-1,500'],
    [0, '0'],
    [-0, '0'],
    [999, '999'],
  ])('when the number %p is shown, then it reads %p', (...[value, text]) => {
    expect(formatNumber(value)).toBe(text);
  });

  test.each<[ValueIR, string]>([
    [{ amount: 80_000, currency: 'EUR' }, '80,000 EUR'],
    [{ amount: '1234.5', currency: 'USD' }, '1,234.50 USD'],
    // Never rounded: more decimals than the currency's minor unit are all shown (money.test.ts).
    [{ amount: 88_000.000001, currency: 'EUR' }, '88,000.000001 EUR'],
    [{ amount: '0.125', currency: 'GBP' }, '0.125 GBP'],
    [{ amount: 48, unit: 'hour', business: false, calendar: null }, '48 hours'],
    [{ amount: 1, unit: 'hour', business: false, calendar: null }, '1 hour'],
    [{ amount: 2, unit: 'day', business: true, calendar: 'berlin' }, '2 business days'],
    [{ amount: 30, unit: 'minute', business: false, calendar: null }, '30 minutes'],
    [['a', 'b'], '"a", "b"'],
    [[], 'none'],
    [true, 'yes'],
    [false, 'no'],
    ['low', '"low"'],
  ])('when %j is explained, then it reads %p', (...[value, text]) => {
    expect(formatValue(value, undefined, 'explain')).toBe(text);
  });

  test('when a number is typed percentage or date, then it reads as one', () => {
    expect(formatValue(15, { kind: 'percentage' }, 'explain')).toBe('15%');
    expect(formatValue('2026-12-01', { kind: 'date' }, 'explain')).toBe('2026-12-01');
    expect(formatValue(['a', 'b'], { kind: 'list', element: { kind: 'text' } }, 'template')).toBe('a, b');
    expect(formatValue(undefined, undefined, 'template')).toBe('not set');
  });

  test('when a duration is shown, then the unit is the one written', () => {
    expect(formatDuration({ amount: 6, unit: 'hour', business: true, calendar: 'berlin' })).toBe(
      '6 business hours',
    );
    expect(formatDuration({ amount: 2, unit: 'week', business: false, calendar: null })).toBe('2 weeks');
  });
});

const POLICY = `policy "T" version 1 effective 2026-01-01

process p {
  input {
    title: text
    budget: money EUR
    downtime: duration
    share: percentage
    systems: list of text = []
    counts: list of number = []
    owner: person
    due: date optional
    impact: "low" | "high"
  }
  notify group "g": "change {request.title} costs {request.budget} for {request.downtime}, {request.share} of customers"
  notify group "g": "systems: {request.systems}; counts: {request.counts}; {count(request.systems)} in all"
  notify group "g": "{request.owner} is due {request.due}, impact {upper(request.impact)}, {request.budget * 10%} reserve"
  end approved
}
`;

function templates(): TemplateIR[] {
  const out = compileEntry('t.charter', memoryHost({ 't.charter': POLICY }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const steps: StepIR[] = out.compiled.ir.processes[0]?.steps ?? [];
  return steps.flatMap((s) => (s.kind === 'notify' ? [s.message] : []));
}

describe('message templates', () => {
  const [costs, systems, owner] = templates();
  const env: ExprEnvironment = { rules: [], addDuration: (d) => d };
  const facts = {
    input: {
      title: 'Patch ERP',
      budget: { amount: 12_500, currency: 'EUR' },
      downtime: { amount: 2, unit: 'hour' as const, business: false, calendar: null },
      share: 12.5,
      systems: ['sap-s4', 'crm'],
      counts: [1000, 2],
      owner: 'ana@halden.example',
      impact: 'high',
    },
    steps: {},
  };

  test('when holes hold text, money, durations and percentages, then they read in business words', () => {
    expect(renderTemplate(costs!, env, facts)).toBe(
      'change Patch ERP costs 12,500 EUR for 2 hours, 12.5% of customers',
    );
  });

  test('when holes hold lists and counts, then items are joined without quotes', () => {
    expect(renderTemplate(systems!, env, facts)).toBe('systems: sap-s4, crm; counts: 1,000, 2; 2 in all');
  });

  test('when a hole is not set, then it reads "(not set)" instead of failing', () => {
    expect(renderTemplate(owner!, env, facts)).toBe(
      'ana@halden.example is due (not set), impact HIGH, 1,250 EUR reserve',
    );
  });

  test('when a list is empty, then it reads "none"', () => {
    expect(renderTemplate(systems!, env, { ...facts, input: { ...facts.input, systems: [] } })).toBe(
      'systems: none; counts: 1,000, 2; 0 in all',
    );
  });

  test('when a template is compiled, then rendering it gives the same text as renderTemplate', () => {
    expect(compileTemplate(costs!, env)(facts)).toBe(renderTemplate(costs!, env, facts));
  });
});
