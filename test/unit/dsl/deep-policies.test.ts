// A policy that passes `charter check` must never crash later. Generated deep shapes (chains of
// rules that each use the one before, deep parentheses, long flat `and`/`or` chains, runs of unary
// operators) go through every stage a policy goes through: either the check reports exactly one
// coded diagnostic (CH1006 nesting, CH1007 length, CH5018 depth), or the policy compiles, its
// stored form parses back (zod schema and hash), it formats, and the simulator runs it to the
// decision an independent reckoning expects, with the explanation written out. Where each limit
// lies is reckoned here too, so the checker cannot drift from it unnoticed.
import fc from 'fast-check';
import { checkEntry, compileEntry, format, memoryHost } from '../../../dsl/index.js';
import { MAX_OPERATORS } from '../../../dsl/ast/expr.js';
import { MAX_NESTING } from '../../../dsl/parse/lexer.js';
import { compileRules, explain, MAX_EXPRESSION_DEPTH } from '../../../engine/expr/index.js';
import { parseCompiledPolicy } from '../../../engine/ir/schema.js';
import { EMPTY_WORLD, Simulation } from '../../../engine/simulate/index.js';

const FILE = 'deep.charter';

/** A policy whose process notifies when rule `top` holds; `request.n` is 5, the flags true. */
const policy = (
  rules: readonly string[],
  top: string,
): string => `policy "deep" version 1 effective 2026-01-01

${rules.join('\n')}

process p {
  input {
    n: number
    yes: boolean
    no: boolean
  }
  if ${top} {
    notify group "g": "held"
  }
  end approved
}
`;

const INPUT = { n: 5, yes: true, no: false };

type Outcome = { codes: string[] } | { held: boolean };

/** Every stage, in order; the codes of the errors when the check refuses the policy. */
function run(text: string, top: string): Outcome {
  const host = memoryHost({ [FILE]: text });
  const errors = checkEntry(FILE, host).diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { codes: errors.map((d) => d.code) };
  const { compiled } = compileEntry(FILE, host);
  if (!compiled) throw new Error('checked clean but did not compile');
  const stored = parseCompiledPolicy(JSON.parse(JSON.stringify(compiled)));
  expect(format(text, FILE).text).not.toBeNull();
  const env = { rules: stored.ir.rules, addDuration: (date: string) => date };
  const evaluation = compileRules(env).evaluate(top, { input: INPUT, steps: {} });
  expect(explain(evaluation)).toMatch(new RegExp(`^${top} (held|did not hold)`));
  const simulation = new Simulation(stored, {
    process: 'p',
    input: INPUT,
    startedAt: Date.UTC(2026, 0, 5, 9),
    startedBy: 'someone',
    world: { ...EMPTY_WORLD, groups: { g: ['a'] } },
  });
  expect(simulation.state.status).toBe('approved');
  expect(evaluation.value === true).toBe(simulation.notifications.length === 1);
  return { held: simulation.notifications.length === 1 };
}

/** Sizes spread over the whole range, and many right at a limit. */
const sizeAround = (limit: number, max: number): fc.Arbitrary<number> =>
  fc.oneof(fc.integer({ min: 1, max }), fc.integer({ min: limit - 3, max: limit + 3 }));

const PROPERTY = { numRuns: 25 };

describe('chains of rules that each use the one before', () => {
  type Link = 'and' | 'or' | 'not' | 'paren';
  /** How each form reads, what it adds to the depth, and what it makes of the previous value. */
  const LINKS: Record<
    Link,
    { text: (prev: string) => string; levels: number; value: (prev: boolean) => boolean }
  > = {
    and: { text: (p) => `${p} and request.n < 1000`, levels: 2, value: (p) => p },
    or: { text: (p) => `${p} or request.no`, levels: 2, value: (p) => p },
    not: { text: (p) => `not ${p}`, levels: 2, value: (p) => !p },
    paren: { text: (p) => `(${p})`, levels: 1, value: (p) => p },
  };

  test('when rules form a chain, then the check refuses it with one CH5018 exactly when it is too deep, else it runs', () => {
    const links = fc.array(fc.constantFrom<Link>('and', 'or', 'not', 'paren'), {
      minLength: 1,
      maxLength: 300,
    });
    fc.assert(
      fc.property(links, (chain) => {
        // `r0 = request.n > 0` is two levels; each link adds its levels; `if r<last>` one more.
        const rules = ['rule r0 = request.n > 0'];
        let depth = 2;
        let value = true;
        chain.forEach((link, i) => {
          rules.push(`rule r${i + 1} = ${LINKS[link].text(`r${i}`)}`);
          depth += LINKS[link].levels;
          value = LINKS[link].value(value);
        });
        const top = `r${chain.length}`;

        const outcome = run(policy(rules, top), top);

        expect(outcome).toEqual(depth + 1 > MAX_EXPRESSION_DEPTH ? { codes: ['CH5018'] } : { held: value });
      }),
      PROPERTY,
    );
  });

  test('when 1,500 rules form a chain, then one CH5018 points at the rule where it passes the limit', () => {
    const rules = ['rule r0 = request.n > 0'];
    for (let i = 1; i < 1500; i++) rules.push(`rule r${i} = r${i - 1} and request.n < 1000`);
    const host = memoryHost({ [FILE]: policy(rules, 'r1499') });

    const diagnostics = checkEntry(FILE, host).diagnostics.filter((d) => d.severity === 'error');

    expect(diagnostics.map((d) => [d.code, d.span.line, d.span.col])).toEqual([['CH5018', 3 + 128, 13]]);
    expect(diagnostics[0]?.message).toBe(
      'this expression nests 258 levels deep, and at most 256 are allowed',
    );
  });
});

describe('deep nesting', () => {
  test('when parentheses nest an operator at every level, then it runs up to the nesting limit and is one CH1006 beyond', () => {
    fc.assert(
      fc.property(sizeAround(MAX_NESTING, 80), fc.boolean(), (levels, logic) => {
        // `(request.n + (request.n + (... request.n)))`, or the same with `and` and flags.
        const [join, leaf] = logic ? ['and', 'request.yes'] : ['+', 'request.n'];
        const inner = `${`(${leaf} ${join} `.repeat(levels)}${leaf}${')'.repeat(levels)}`;
        const rule = logic ? `rule deep = ${inner}` : `rule deep = ${inner} > 0`;

        const outcome = run(policy([rule], 'deep'), 'deep');

        expect(outcome).toEqual(levels > MAX_NESTING ? { codes: ['CH1006'] } : { held: true });
      }),
      PROPERTY,
    );
  });
});

describe('long flat chains of `and` and `or`', () => {
  test('when a chain has up to 1,000 operators, then it runs whatever its length, and beyond it is one CH1007', () => {
    fc.assert(
      fc.property(sizeAround(MAX_OPERATORS + 1, 1500), fc.constantFrom('and', 'or'), (operands, op) => {
        // `request.yes and request.yes ...` holds; `request.no or request.no ...` does not.
        const leaf = op === 'and' ? 'request.yes' : 'request.no';
        const rule = `rule flat = ${Array.from({ length: operands }, () => leaf).join(` ${op} `)}`;

        const outcome = run(policy([rule], 'flat'), 'flat');

        expect(outcome).toEqual(
          operands - 1 > MAX_OPERATORS ? { codes: ['CH1007'] } : { held: op === 'and' },
        );
      }),
      PROPERTY,
    );
  });

  test('when a chain of comparisons is cut at 1,000 operators inside a comparison, then CH1007 is the only diagnostic', () => {
    // `helper` is used only inside the cut expression: still used, so no "never used" warning.
    const rules = ['rule helper = request.yes', `rule flat = helper${' and request.n < 1000'.repeat(999)}`];
    const host = memoryHost({ [FILE]: policy(rules, 'flat') });

    expect(checkEntry(FILE, host).diagnostics.map((d) => d.code)).toEqual(['CH1007']);
  });
});

describe('runs of unary operators', () => {
  test('when `-` or `not` repeats, then it runs within the depth limit, else one CH5018, and one CH1007 past 1,000', () => {
    fc.assert(
      fc.property(
        fc.oneof(sizeAround(MAX_EXPRESSION_DEPTH - 3, 1200), sizeAround(MAX_OPERATORS, 1200)),
        fc.constantFrom('-', 'not'),
        (count, prefix) => {
          // `- - - request.n > 0` holds when the count is even; `not not ... request.n > 0` too.
          const body =
            prefix === '-' ? `${'- '.repeat(count)}request.n > 0` : `${'not '.repeat(count)}request.n > 0`;
          // Depth: the reference, `count` prefixes and the comparison, and `if deep` one more.
          const depth = count + 2 + 1;
          const operators = count + 1;

          const outcome = run(policy([`rule deep = ${body}`], 'deep'), 'deep');

          expect(outcome).toEqual(
            operators > MAX_OPERATORS
              ? { codes: ['CH1007'] }
              : depth > MAX_EXPRESSION_DEPTH
                ? { codes: ['CH5018'] }
                : { held: count % 2 === 0 },
          );
        },
      ),
      PROPERTY,
    );
  });
});
