import type { Diagnostic } from '../../../dsl/diagnostics/diagnostic.js';
import { checked, policyText } from './check-support.js';

const at = (d: Diagnostic) => `${d.code} ${d.severity} ${d.file}:${d.span.line}:${d.span.col} ${d.message}`;
const policy = (...lines: string[]) => policyText('role cab = group "cab"', ...lines);

describe('check: rules', () => {
  test('when a rule is used through another rule, then both count as used and are typed', () => {
    const { diagnostics, model } = checked(
      policy(
        'rule costly = request.budget > 50_000 EUR because "money"',
        'rule review = costly or request.urgent because "either"',
        'process p { input { budget: money EUR  urgent: boolean } if review { notify cab: "x" } }',
      ),
    );

    expect(diagnostics).toEqual([]);
    expect([...model.used.rules].sort()).toEqual(['costly', 'review']);
    const costly = model.rules.get('costly')?.decl.condition;
    expect(costly && model.types.get(costly)).toEqual({ kind: 'boolean' });
  });

  test('when a rule of the policy is never used, then CH5015 warns; an unused library rule is fine', () => {
    const { diagnostics, model } = checked(
      policy(
        'use "lib.charter"',
        'rule orphan = 1 > 2 because "never read"',
        'process p { input { } notify cab: "x" }',
      ),
      { 'lib.charter': 'library "lib"\nrule shared = 2 > 1 because "for other policies"\n' },
    );

    expect(diagnostics.map(at)).toEqual(['CH5015 warning main.charter:5:6 rule `orphan` is never used']);
    expect(model.used.rules.size).toBe(0);
  });

  test('when an unused rule has a type error, then it is still reported', () => {
    const { diagnostics } = checked(policy('rule orphan = 1 EUR > 2 because "x"', 'process p { input { } }'));

    expect(diagnostics.map(at)).toEqual([
      'CH5015 warning main.charter:4:6 rule `orphan` is never used',
      'CH4003 error main.charter:4:15 cannot compare `1 EUR` (`money EUR`) with `2` (`number`)',
    ]);
  });

  test('when a rule is not a condition, then CH4007 names the rule', () => {
    const { diagnostics } = checked(
      policy(
        'rule sum = request.n + 1 because "x"',
        'process p { input { n: number } if sum { end rejected } }',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH4007 error main.charter:4:12 rule `sum` must be true or false, but `request.n + 1` is `number`',
    ]);
  });

  test('when a process using a rule lacks a field it reads, then CH3204 names process and rule', () => {
    const { diagnostics } = checked(
      policy(
        'rule costly = request.budget > 5 because "x"',
        'process a { input { budget: number } if costly { end rejected } }',
        'process b { input { budgte: number } if costly { end rejected } }',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH3204 error main.charter:4:23 `budget` is not an input field of process `b`, which uses rule `costly`',
    ]);
    expect(diagnostics[0]?.related?.[0]).toMatchObject({
      message: 'process `b` is declared here',
      span: { line: 6, col: 9 },
    });
    expect(diagnostics[0]?.help).toBe('did you mean `budgte`');
  });

  test('when processes give a rule different types, then CH4015 points at the first difference', () => {
    const { diagnostics } = checked(
      policy(
        'rule over = request.spent > request.limit because "x"',
        'process a { input { spent: number  limit: number } if over { end rejected } }',
        'process b { input { spent: money EUR  limit: money EUR } if over { end rejected } }',
      ),
    );

    expect(diagnostics.map(at)).toEqual([
      'CH4015 error main.charter:4:13 rule `over` reads `request.spent` as `number` in process `a` but as `money EUR` in process `b`',
    ]);
  });

  test('when a library rule is used, then it is typed against the policy process, in its own file', () => {
    const { diagnostics } = checked(
      policy('use "lib.charter"', 'process p { input { risk: text } if risky { end rejected } }'),
      {
        'lib.charter': 'library "lib"\nrule risky = request.risk == 3 because "x"\n',
      },
    );

    expect(diagnostics.map(at)).toEqual([
      'CH4001 error lib.charter:2:14 cannot compare `request.risk` (`text`) with `3` (`number`)',
    ]);
  });
});
