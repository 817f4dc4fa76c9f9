// Three-valued logic, rule references and the exact words of explanations, on rules compiled by
// the real front end.
import { compileEntry, memoryHost } from '../../../dsl/index.js';
import type { PolicyIR, ValueIR } from '../../../engine/ir/types.js';
import {
  compileExpression,
  compileRules,
  compileValue,
  evaluateRule,
  explain,
  type ExprEnvironment,
  type Facts,
  holds,
} from '../../../engine/expr/index.js';

const POLICY = `policy "T" version 1 effective 2026-01-01

rule high_risk = request.risk == "high" or request.budget > 50_000 EUR
  because "risky or costly changes need the CAB"
rule core = contains(request.systems, "sap-s4")
rule needs_cab = high_risk and core
rule freeze = is_set(request.window) and request.window >= 2026-11-16
rule both = request.a and request.b
rule either = request.a or request.b
rule negated = not request.a
rule small = request.budget <= 1_000 EUR
rule early = request.window < 2026-01-01
rule costly_share = request.share >= 20%
rule listed = request.risk in ["medium", "high"]
rule over = request.x > request.y

process p {
  input {
    risk: "low" | "medium" | "high"
    budget: money EUR
    systems: list of text = []
    window: date optional
    a: boolean optional
    b: boolean optional
    share: percentage = 0%
    x: number optional
    y: number optional
  }
  if needs_cab or freeze or both or either or negated or small or early or costly_share or listed or over {
    end rejected
  }
  end approved
}
`;

function compilePolicy(): PolicyIR {
  const out = compileEntry('t.charter', memoryHost({ 't.charter': POLICY }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return out.compiled.ir;
}

const ir = compilePolicy();
const env: ExprEnvironment = { rules: ir.rules, addDuration: (date) => date };
const rules = compileRules(env);

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const facts = (input: Record<string, ValueIR | undefined>): Facts => ({
  input: { risk: 'low', budget: eur(20_000), systems: [], share: 0, ...input },
  steps: {},
});

const sentence = (rule: string, input: Record<string, ValueIR | undefined>) =>
  explain(rules.evaluate(rule, facts(input)));

describe('three-valued logic', () => {
  const T = true;
  const F = false;
  const U = undefined;
  // Kleene: false decides `and`, true decides `or`, otherwise unknown stays unknown.
  const table: [boolean | undefined, boolean | undefined, boolean | undefined, boolean | undefined][] = [
    // a, b, a and b, a or b
    [T, T, T, T],
    [T, F, F, T],
    [T, U, U, T],
    [F, T, F, T],
    [F, F, F, F],
    [F, U, F, U],
    [U, T, U, T],
    [U, F, F, U],
    [U, U, U, U],
  ];

  test.each(table)('when a is %p and b is %p, then `and` is %p and `or` is %p', (...[a, b, and, or]) => {
    const input = facts({ a, b });
    expect(rules.evaluate('both', input).value).toBe(and);
    expect(rules.evaluate('either', input).value).toBe(or);
    expect(compileValue(ir.rules.find((r) => r.name === 'both')!.condition, env)(input)).toBe(and);
    expect(rules.decide('either', input)).toBe(or === true);
  });

  test.each([
    [true, false],
    [false, true],
    [undefined, undefined],
  ])('when a is %p, then `not a` is %p', (...[a, negated]) => {
    expect(rules.evaluate('negated', facts({ a })).value).toBe(negated);
  });

  test('when a condition is unset, then it does not hold (fail closed)', () => {
    const evaluation = rules.evaluate('both', facts({ a: true }));
    expect(evaluation.value).toBeUndefined();
    expect(holds(evaluation)).toBe(false);
    expect(rules.decide('both', facts({ a: true }))).toBe(false);
    expect(holds({ value: true })).toBe(true);
  });
});

describe('explanations', () => {
  test('when an `or` holds, then the first true operand is the reason', () => {
    expect(sentence('high_risk', { budget: eur(80_000) })).toBe(
      'high_risk held because request.budget = 80,000 EUR > 50,000 EUR',
    );
    expect(sentence('high_risk', { risk: 'high', budget: eur(80_000) })).toBe(
      'high_risk held because request.risk = "high"',
    );
  });

  test('when an `or` fails, then every operand is a reason', () => {
    expect(sentence('high_risk', {})).toBe(
      'high_risk did not hold: request.risk = "low" is not "high", and request.budget = 20,000 EUR is not above 50,000 EUR',
    );
  });

  test('when an `and` holds on rule references, then each rule is a clause with its own reasons', () => {
    expect(sentence('needs_cab', { risk: 'high', systems: ['sap-s4', 'crm'] })).toBe(
      'needs_cab held because high_risk held (request.risk = "high"), and core held (request.systems = "sap-s4", "crm" contains "sap-s4")',
    );
  });

  test('when an `and` fails, then only the first false operand is the reason', () => {
    expect(sentence('needs_cab', { risk: 'high', systems: ['crm'] })).toBe(
      'needs_cab did not hold: core did not hold (request.systems = "crm" does not contain "sap-s4")',
    );
    expect(sentence('needs_cab', {})).toBe(
      'needs_cab did not hold: high_risk did not hold (request.risk = "low" is not "high", and request.budget = 20,000 EUR is not above 50,000 EUR)',
    );
  });

  test('when an optional field is not set, then the explanation names it', () => {
    expect(sentence('freeze', {})).toBe('freeze did not hold: request.window is not set');
    expect(sentence('both', { b: true })).toBe('both did not hold: request.a is not set');
    expect(sentence('either', { b: false })).toBe('either did not hold: request.a is not set');
    expect(sentence('over', {})).toBe('over did not hold: request.x is not set, and request.y is not set');
    expect(sentence('over', { x: 3 })).toBe('over did not hold: request.y is not set');
  });

  test('when Kleene logic decides despite an unset side, then the deciding side is the reason', () => {
    expect(sentence('both', { b: false })).toBe('both did not hold: request.b = no');
    expect(sentence('either', { b: true })).toBe('either held because request.b = yes');
  });

  test('when comparisons fail, then they say what is the case instead', () => {
    expect(sentence('small', {})).toBe('small did not hold: request.budget = 20,000 EUR is above 1,000 EUR');
    expect(sentence('early', { window: '2026-12-01' })).toBe(
      'early did not hold: request.window = 2026-12-01 is not below 2026-01-01',
    );
    expect(sentence('costly_share', { share: 5 })).toBe(
      'costly_share did not hold: request.share = 5% is below 20%',
    );
    expect(sentence('listed', {})).toBe(
      'listed did not hold: request.risk = "low" is not one of "medium", "high"',
    );
    expect(sentence('over', { x: 3, y: 3 })).toBe(
      'over did not hold: request.x = 3 is not above request.y = 3',
    );
  });

  test('when comparisons hold, then they show the operator', () => {
    expect(sentence('freeze', { window: '2026-12-01' })).toBe(
      'freeze held because request.window is set, and request.window = 2026-12-01 >= 2026-11-16',
    );
    expect(sentence('listed', { risk: 'medium' })).toBe(
      'listed held because request.risk = "medium" is one of "medium", "high"',
    );
    expect(sentence('negated', { a: false })).toBe('negated held because request.a = no');
  });

  test('when a rule is evaluated, then its reasons cite the rule and its policy line', () => {
    const evaluation = rules.evaluate('high_risk', facts({ budget: eur(80_000) }));
    expect(evaluation.rule).toBe('high_risk');
    expect(evaluation.span.line).toBe(3);
    // Reasons word themselves when read (engine/expr/reasons.ts): compare what a reader sees.
    expect(evaluation.because.map(({ text, rule, span }) => ({ text, rule, span }))).toEqual([
      {
        text: 'request.budget = 80,000 EUR > 50,000 EUR',
        rule: 'high_risk',
        span: { file: 0, line: 3, col: 44, endLine: 3, endCol: 71 },
      },
    ]);
  });

  test('when a rule references rules, then the nested reasons keep their own rule and line', () => {
    const [reason] = rules.evaluate('needs_cab', facts({ systems: ['crm'], risk: 'high' })).because;
    expect(reason).toMatchObject({ rule: 'core', span: { line: 5 } });
    expect(reason?.details?.map((d) => [d.rule, d.span.line])).toEqual([['core', 5]]);
  });

  test('when an expression is not a rule, then the sentence speaks of the condition', () => {
    const condition = ir.rules.find((r) => r.name === 'small')!.condition;
    const evaluation = compileExpression(condition, env)(facts({ budget: eur(500) }));
    expect(explain(evaluation)).toBe('the condition held because request.budget = 500 EUR <= 1,000 EUR');
    expect(explain(evaluation, 'the branch on line 12')).toBe(
      'the branch on line 12 held because request.budget = 500 EUR <= 1,000 EUR',
    );
  });

  test('when an unknown rule is evaluated, then it does not hold and says why', () => {
    const evaluation = evaluateRule(env, 'nope', facts({}));
    expect(explain(evaluation)).toBe('nope did not hold: rule nope is not defined');
  });
});

describe('compilation', () => {
  test('when the same expression is compiled twice in one environment, then the closure is shared', () => {
    const condition = ir.rules[0]!.condition;
    expect(compileValue(condition, env)).toBe(compileValue(condition, env));
    expect(compileExpression(condition, env)).toBe(compileExpression(condition, env));
  });

  test('when a rule refers to itself in malformed IR, then evaluation is unset instead of looping', () => {
    const rule = ir.rules.find((r) => r.name === 'core')!;
    const self = {
      ...rule,
      condition: { type: rule.condition.type, span: rule.span, op: 'rule' as const, rule: 'core' },
    };
    const loop: ExprEnvironment = { rules: [self], addDuration: (d) => d };
    expect(explain(evaluateRule(loop, 'core', facts({})))).toBe(
      'core did not hold: core could not be decided (rule core depends on itself)',
    );
  });

  test('when the same facts are evaluated twice, then the decisions and words are identical', () => {
    const input = facts({ risk: 'high', systems: ['sap-s4'], window: '2026-12-24' });
    for (const name of rules.names) {
      expect(rules.evaluate(name, input)).toEqual(rules.evaluate(name, input));
    }
  });
});
