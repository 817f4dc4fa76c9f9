// The evaluator's side of the depth limit (engine/expr/depth.ts) and of flat `and`/`or` chains, on
// IR built by hand: IR the checker never saw, as deep as it likes, must never make compiling or
// evaluating throw; everything within the limit evaluates. And one `and` node over a whole chain
// must decide and explain exactly as the nested binary form always did, whatever the nesting.
import fc from 'fast-check';
import type { ExprIR, RuleIR, SourceSpan } from '../../../engine/ir/types.js';
import {
  compileExpression,
  compileRules,
  compileValue,
  type Evaluation,
  explain,
  type ExprEnvironment,
  type Facts,
  MAX_EXPRESSION_DEPTH,
} from '../../../engine/expr/index.js';

const span: SourceSpan = { file: 0, line: 1, col: 1, endLine: 1, endCol: 2 };
const BOOLEAN = { kind: 'boolean' } as const;
const flag = (i: number): ExprIR => ({ op: 'input', field: `f${i}`, type: BOOLEAN, span });
const not = (arg: ExprIR): ExprIR => ({ op: 'not', arg, type: BOOLEAN, span });
const ref = (rule: string): ExprIR => ({ op: 'rule', rule, type: BOOLEAN, span });
const rule = (name: string, condition: ExprIR): RuleIR => ({ name, condition, because: null, span });
const envOf = (rules: RuleIR[] = []): ExprEnvironment => ({ rules, addDuration: (date) => date });
const facts = (input: Facts['input']): Facts => ({ input, steps: {} });

/** `r0 = f0`, `r1 = r0`, ...: rule `r<i>` is i + 1 levels deep. */
const aliasChain = (length: number): RuleIR[] =>
  Array.from({ length }, (_, i) => rule(`r${i}`, i === 0 ? flag(0) : ref(`r${i - 1}`)));

const nots = (count: number, inner: ExprIR): ExprIR => {
  let expr = inner;
  for (let i = 0; i < count; i++) expr = not(expr);
  return expr;
};

const tooDeep = (e: Evaluation): boolean =>
  e.value === undefined && e.because.some((r) => r.text.includes(`more than ${MAX_EXPRESSION_DEPTH} levels`));

describe('the depth limit in the evaluator', () => {
  test('when a chain of rules is exactly as deep as the limit, then its last rule decides and explains', () => {
    const rules = compileRules(envOf(aliasChain(MAX_EXPRESSION_DEPTH)));
    const top = `r${MAX_EXPRESSION_DEPTH - 1}`;

    expect(rules.decide(top, facts({ f0: true }))).toBe(true);
    const sentence = explain(rules.evaluate(top, facts({ f0: false })));
    expect(sentence).toMatch(
      new RegExp(`^${top} did not hold: r${MAX_EXPRESSION_DEPTH - 2} did not hold \\(`),
    );
    expect(sentence).toContain('request.f0 = no');
  });

  test('when a chain of rules is one level too deep, then its last rule is unset with the reason, and the others still decide', () => {
    const rules = compileRules(envOf(aliasChain(MAX_EXPRESSION_DEPTH + 1)));
    const evaluation = rules.evaluate(`r${MAX_EXPRESSION_DEPTH}`, facts({ f0: true }));

    expect(tooDeep(evaluation)).toBe(true);
    expect(explain(evaluation)).toBe(
      `r${MAX_EXPRESSION_DEPTH} did not hold: rule r${MAX_EXPRESSION_DEPTH} nests more than ${MAX_EXPRESSION_DEPTH} levels deep, counting the rules it uses, and is not evaluated`,
    );
    expect(rules.decide(`r${MAX_EXPRESSION_DEPTH - 1}`, facts({ f0: true }))).toBe(true);
  });

  test('when 20,000 rules each use the one before, then compiling and evaluating any of them throws nothing', () => {
    const chain = aliasChain(20_000);
    // Rules listed last first: each is compiled on first use, with the rules it uses before it.
    const rules = compileRules(envOf([...chain].reverse()));

    expect(tooDeep(rules.evaluate('r19999', facts({ f0: true })))).toBe(true);
    expect(rules.decide('r19999', facts({ f0: true }))).toBe(false);
    expect(rules.decide('r100', facts({ f0: true }))).toBe(true);
  });

  test('when `not` is nested as deep as the limit allows, then it evaluates, and 100,000 deep it is unset', () => {
    const within = nots(MAX_EXPRESSION_DEPTH - 1, flag(0));
    const beyond = nots(100_000, flag(0));

    // An even number of `not`s is the flag itself; the limit minus one is odd.
    expect(compileValue(within, envOf())(facts({ f0: true }))).toBe(false);
    expect(compileExpression(within, envOf())(facts({ f0: false })).value).toBe(true);
    expect(compileValue(beyond, envOf())(facts({ f0: true }))).toBeUndefined();
    expect(tooDeep(compileExpression(beyond, envOf())(facts({ f0: true })))).toBe(true);
  });

  test('when a step reads a rule at the limit, then the step expression is one level too deep and unset', () => {
    const env = envOf(aliasChain(MAX_EXPRESSION_DEPTH));
    const evaluation = compileExpression(ref(`r${MAX_EXPRESSION_DEPTH - 1}`), env)(facts({ f0: true }));

    expect(evaluation.because.map((r) => r.text)).toEqual([
      `this expression nests more than ${MAX_EXPRESSION_DEPTH} levels deep, counting the rules it uses, and is not evaluated`,
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Chains: one node over all operands against the binary semantics, written out independently.

type Tree = { flag: number } | { op: 'and' | 'or'; left: Tree; right: Tree };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ flag: fc.integer({ min: 0, max: 5 }) }),
    fc.record({ op: fc.constantFrom('and' as const, 'or' as const), left: tie('tree'), right: tie('tree') }),
  ),
})).tree;

const toIR = (t: Tree): ExprIR =>
  'flag' in t ? flag(t.flag) : { op: t.op, left: toIR(t.left), right: toIR(t.right), type: BOOLEAN, span };

interface Expected {
  value: boolean | undefined;
  because: string[];
}

/** The semantics of the binary `and`/`or` nodes the evaluator had before chains were flattened. */
function binary(t: Tree, input: Facts['input']): Expected {
  if ('flag' in t) {
    const v = input[`f${t.flag}`];
    const text =
      v === undefined ? `request.f${t.flag} is not set` : `request.f${t.flag} = ${v ? 'yes' : 'no'}`;
    return { value: typeof v === 'boolean' ? v : undefined, because: [text] };
  }
  const decisive = t.op === 'or';
  const a = binary(t.left, input);
  if (a.value === decisive) return a;
  const b = binary(t.right, input);
  if (b.value === decisive) return b;
  if (a.value === !decisive && b.value === !decisive)
    return { value: !decisive, because: [...a.because, ...b.because] };
  const unset = [a, b].filter((side) => side.value === undefined).flatMap((side) => side.because);
  return { value: undefined, because: unset };
}

describe('chains of `and` and `or`', () => {
  const flags = fc.array(fc.constantFrom(true, false, undefined), { minLength: 6, maxLength: 6 });
  const inputOf = (values: (boolean | undefined)[]): Facts['input'] =>
    Object.fromEntries(values.flatMap((v, i) => (v === undefined ? [] : [[`f${i}`, v]])));

  test('when any tree of `and` and `or` is evaluated, then value and reasons are those of the binary semantics', () => {
    fc.assert(
      fc.property(tree, flags, (t, values) => {
        const input = inputOf(values);
        const expected = binary(t, input);
        const explained = compileExpression(toIR(t), envOf())(facts(input));

        expect(compileValue(toIR(t), envOf())(facts(input))).toBe(expected.value);
        expect({ value: explained.value, because: explained.because.map((r) => r.text) }).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  test('when IR nests a chain of `and` 100,000 deep (the compiler balances long chains), then it is refused, not overflowed', () => {
    let chain: ExprIR = flag(0);
    for (let i = 0; i < 100_000; i++) chain = { op: 'and', left: flag(1), right: chain, type: BOOLEAN, span };

    expect(tooDeep(compileExpression(chain, envOf())(facts({ f0: true, f1: true })))).toBe(true);
  });

  test('when a chain of 1,000 operands is balanced as the compiler builds it, then it decides and explains in order', () => {
    const operands = Array.from({ length: 1000 }, (_, i) => flag(i % 2));
    const build = (items: ExprIR[]): ExprIR => {
      if (items.length === 1) return items[0]!;
      const half = Math.ceil(items.length / 2);
      return {
        op: 'and',
        left: build(items.slice(0, half)),
        right: build(items.slice(half)),
        type: BOOLEAN,
        span,
      };
    };
    const evaluation = compileExpression(build(operands), envOf())(facts({ f0: true, f1: true }));

    expect(evaluation.value).toBe(true);
    expect(evaluation.because).toHaveLength(1000);
    expect(evaluation.because[999]?.text).toBe('request.f1 = yes');
  });

  test('when reasons are turned into JSON, then they carry their words', () => {
    const t: Tree = { op: 'and', left: { flag: 0 }, right: { flag: 1 } };
    const evaluation = compileExpression(toIR(t), envOf([]))(facts({ f0: true, f1: true }));
    const json = JSON.parse(JSON.stringify(evaluation)) as { because: { text: string }[] };

    expect(json.because.map((r) => r.text)).toEqual(['request.f0 = yes', 'request.f1 = yes']);
  });
});
