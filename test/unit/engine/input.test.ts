// Process input as people and forms send it, checked against the declared input block: every
// type's accepted spellings, and every problem reported with its field path at once.
import { parseInput, pathText } from '../../../engine/input/index.js';
import type { ProcessIR } from '../../../engine/ir/types.js';
import { processOf } from './machine-support.js';

const INPUT = `    title: text
    requester: person
    risk: "low" | "high"
    budget: money EUR
    fee: money
    downtime: duration
    impact: percentage = 0%
    count: number optional
    urgent: boolean = false
    window: date optional
    systems: list of text = []
    reviewers: list of person = []`;

const process: ProcessIR = (() => {
  const p = processOf(INPUT, '  end approved').ir.processes[0];
  if (!p) throw new Error('no process');
  return p;
})();

const base = {
  title: 'Patch',
  requester: 'rita',
  risk: 'low',
  budget: '1,000 EUR',
  fee: '5 USD',
  downtime: '2h',
};

const problemsOf = (raw: unknown) => {
  const out = parseInput(process, raw);
  return out.ok ? [] : out.problems.map((p) => `${pathText(p.path)}: ${p.message}`);
};

describe('parseInput', () => {
  test('when every field is given in its friendly spelling, then each becomes its engine value', () => {
    const out = parseInput(process, {
      ...base,
      budget: '80,000.50 EUR',
      impact: '20%',
      count: 3,
      urgent: true,
      window: '2028-02-29',
      systems: ['erp'],
      reviewers: [' bob '],
    });
    expect(out).toEqual({
      ok: true,
      values: {
        title: 'Patch',
        requester: 'rita',
        risk: 'low',
        budget: { amount: '80000.5', currency: 'EUR' },
        fee: { amount: '5', currency: 'USD' },
        downtime: { amount: 2, unit: 'hour', business: false, calendar: null },
        impact: 20,
        count: 3,
        urgent: true,
        window: '2028-02-29',
        systems: ['erp'],
        reviewers: ['bob'],
      },
    });
  });

  test('when money and durations come as objects, then they are accepted as the IR writes them', () => {
    const out = parseInput(process, {
      ...base,
      budget: { amount: 5, currency: 'EUR' },
      downtime: { amount: 30, unit: 'minutes' },
    });
    expect(out.ok && out.values['budget']).toEqual({ amount: '5', currency: 'EUR' });
    expect(out.ok && out.values['downtime']).toEqual({
      amount: 30,
      unit: 'minute',
      business: false,
      calendar: null,
    });
  });

  test('when optional and defaulted fields are absent or null, then they stay unset for the machine to default', () => {
    const out = parseInput(process, { ...base, count: null });
    expect(out.ok && Object.keys(out.values).sort()).toEqual(Object.keys(base).sort());
  });

  test('when fields are wrong, missing or unknown, then every problem is reported with its path', () => {
    expect(
      problemsOf({
        title: 7,
        risk: 'extreme',
        budget: '80,000 USD',
        fee: '12 euros',
        downtime: 'a while',
        impact: 'lots',
        window: '2027-02-29',
        systems: ['erp', 4],
        reviewers: ['  '],
        colour: 'red',
      }),
    ).toEqual([
      'colour: unknown field; p takes title, requester, risk, budget, fee, downtime, impact, count, urgent, window, systems, reviewers',
      'title: expected text, got 7',
      'requester: required (person)',
      'risk: expected one of "low", "high", got "extreme"',
      'budget: expected an amount in EUR, got USD',
      'fee: expected an amount of money like "80,000 EUR", got "12 euros"',
      'downtime: expected a duration like "4h", "30m" or "2 days", got "a while"',
      'impact: expected a percentage like 20% or 20, got "lots"',
      'window: expected a date YYYY-MM-DD, got "2027-02-29"',
      'systems[1]: expected text, got 4',
      'reviewers[0]: a person id cannot be empty',
    ]);
  });

  test('when the input is not an object, then that is the one problem', () => {
    expect(problemsOf([1])).toEqual([': input must be an object, not a list']);
    expect(problemsOf(null)).toEqual([': input must be an object, not null']);
  });

  test('when a number is not finite or a list is not a list, then it is refused', () => {
    expect(problemsOf({ ...base, count: Number.NaN, systems: 'erp' })).toEqual([
      'count: expected a number, got NaN',
      'systems: expected a list of text, got "erp"',
    ]);
  });
});
