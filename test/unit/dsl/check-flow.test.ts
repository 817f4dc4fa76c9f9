import type { Diagnostic } from '../../../dsl/diagnostics/diagnostic.js';
import { diagnose, processText } from './check-support.js';

const at = (d: Diagnostic) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`;

/** A process whose steps start on line 6. */
const steps = (...lines: string[]) =>
  diagnose(processText(['role cab = group "cab"'], 'risk: "low" | "high"', lines));

describe('check: step results that may not exist', () => {
  test('when a step ran on every path before its result is read, then nothing is reported', () => {
    const diagnostics = steps(
      'approve first { by cab }',
      'if request.risk == "high" { approve a { by cab } notify cab: "{a.outcome} {first.outcome}" }',
      'else { approve a2 { by cab } end rejected }',
      'notify cab: "{a.outcome}"',
      'parallel { approve x { by cab } approve y { by cab } }',
      'notify cab: "{x.outcome} {y.outcome}"',
    );

    expect(diagnostics).toEqual([]);
  });

  test('when a step inside one if branch is read after the if, then CH5001 points at the step', () => {
    const diagnostics = steps(
      'if request.risk == "high" { approve cab_review { by cab } }',
      'notify cab: "{cab_review.outcome}"',
    );

    expect(diagnostics.map(at)).toEqual(['CH5001 7:17 step `cab_review` may not have run here']);
    expect(diagnostics[0]?.related?.[0]).toMatchObject({
      message: '`cab_review` is declared here',
      span: { line: 6, col: 39 },
    });
  });

  test('when a result is read before its step, or by a parallel sibling, then CH5001 says so', () => {
    const diagnostics = steps(
      'notify cab: "{later.outcome}"',
      'approve later { by cab }',
      'parallel { approve x { by cab } notify cab: "{x.outcome}" }',
    );

    expect(diagnostics.map(at)).toEqual([
      'CH5001 6:17 step `later` has not run yet here',
      'CH5001 8:49 step `x` may not have run here',
    ]);
    expect(diagnostics[0]?.help).toBe('a step can only use results of steps before it');
  });

  test('when a step reads its own result, then CH5001 says it has not run yet', () => {
    const diagnostics = steps('approve a { by cab distinct from a }', 'approve b { by b.approvers }');

    expect(diagnostics.map(at)).toEqual([
      'CH5001 6:36 step `a` has not run yet here',
      'CH5001 7:18 step `b` has not run yet here',
    ]);
  });

  test('when a step follows `end` in its block, then CH5002 reports the first unreachable step only', () => {
    const diagnostics = steps('end rejected', 'notify cab: "one"', 'notify cab: "two"');

    expect(diagnostics.map(at)).toEqual(['CH5002 7:3 step `notify_1` can never run']);
    expect(diagnostics[0]?.related?.[0]).toMatchObject({
      message: 'the process ends here',
      span: { line: 6, col: 3 },
    });
  });

  test('when every branch of an if/else ends, then the step after it is unreachable', () => {
    const diagnostics = steps(
      'if request.risk == "high" { end rejected } else if request.risk == "low" { end approved } else { end cancelled }',
      'approve late { by cab }',
    );

    expect(diagnostics.map(at)).toEqual(['CH5002 7:3 step `late` can never run']);
    expect(diagnostics[0]?.related?.[0]?.message).toBe('every path through this `if` ends the process');
  });

  test('when an if without else ends in its branch, then the step after it is reachable', () => {
    const diagnostics = steps('if request.risk == "high" { end rejected }', 'notify cab: "low risk goes on"');

    expect(diagnostics).toEqual([]);
  });

  test('when a parallel branch always ends, then the step after the parallel is unreachable', () => {
    const diagnostics = steps(
      'parallel { branch b { notify cab: "x" end rejected } approve a { by cab } }',
      'wait 1h',
    );

    expect(diagnostics.map(at)).toEqual(['CH5002 7:3 step `wait_1` can never run']);
  });
});
