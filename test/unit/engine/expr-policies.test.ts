// The shipped policies, compiled by the real front end: every rule, branch condition, check and
// message of every process is evaluated against generated facts of the declared types. Nothing
// may throw, the fast and the explaining paths must agree, and the same facts must give the same
// decisions and words.
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { compileEntry } from '../../../dsl/index.js';
import { diskHost } from '../../../dsl/cli/files.js';
import type {
  DurationIR,
  ExprIR,
  PolicyIR,
  StepIR,
  TemplateIR,
  TypeIR,
  ValueIR,
} from '../../../engine/ir/types.js';
import { decimalText } from '../../../engine/ir/index.js';
import {
  compileExpression,
  compileRules,
  compileValue,
  explain,
  type ExprEnvironment,
  type Facts,
  renderTemplate,
} from '../../../engine/expr/index.js';

const policies = readdirSync('policies')
  .filter((name) => name.endsWith('.charter'))
  .map((name) => {
    const out = compileEntry(`policies/${name}`, diskHost);
    if (!out.compiled) throw new Error(`${name} does not compile`);
    return { name, ir: out.compiled.ir };
  });

/** Whole days on the proleptic calendar; business time is counted as plain time here. */
function addDuration(date: string, duration: DurationIR): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const perUnit = { minute: 1 / 1440, hour: 1 / 24, day: 1, week: 7 }[duration.unit];
  const at = new Date(Date.UTC(y, m - 1, d) + Math.floor(duration.amount * perUnit) * 86_400_000);
  return at.toISOString().slice(0, 10);
}

/** Every expression and message of a process, in the order the steps are written. */
function walk(steps: readonly StepIR[], exprs: ExprIR[], templates: TemplateIR[]): void {
  for (const step of steps) {
    switch (step.kind) {
      case 'if':
        for (const branch of step.branches) {
          exprs.push(branch.condition);
          walk(branch.steps, exprs, templates);
        }
        walk(step.otherwise, exprs, templates);
        break;
      case 'parallel':
        for (const branch of step.branches) walk(branch.steps, exprs, templates);
        break;
      case 'check':
        if (step.check.kind === 'rule') {
          exprs.push(step.check.condition);
          if (step.check.message) templates.push(step.check.message);
        }
        if (step.onFail.action === 'stop' && step.onFail.message) templates.push(step.onFail.message);
        break;
      case 'notify':
        templates.push(step.message);
        break;
      case 'end':
        if (step.message) templates.push(step.message);
        break;
      case 'wait':
        if (step.wait.kind === 'until') exprs.push(step.wait.date);
        break;
      case 'reallocate':
        exprs.push(step.project);
        break;
      case 'approve':
        for (const a of step.approvers)
          if (a.kind === 'expr' || a.kind === 'managerOf') exprs.push(a.kind === 'expr' ? a.expr : a.of);
        break;
    }
  }
}

/** The step results an expression reads, with their types, to generate them too. */
function stepReads(expr: ExprIR, found: Map<string, TypeIR>): void {
  switch (expr.op) {
    case 'stepResult':
      found.set(`${expr.step}\u0000${expr.property}`, expr.type);
      return;
    case 'not':
    case 'neg':
      return stepReads(expr.arg, found);
    case 'list':
      return expr.items.forEach((i) => stepReads(i, found));
    case 'call':
      return expr.args.forEach((a) => stepReads(a, found));
    case 'literal':
    case 'input':
    case 'rule':
    case 'project':
    case 'today':
    case 'history':
      return;
    default:
      stepReads(expr.left, found);
      stepReads(expr.right, found);
  }
}

const date = fc
  .record({
    y: fc.integer({ min: 2024, max: 2028 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

const amount = fc.oneof(
  fc.integer({ min: -1000, max: 2_000_000 }),
  fc.double({ min: -1e6, max: 1e9, noNaN: true }),
  fc.constant(0),
);

const moneyText = fc
  .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.nat(6))
  .map(([units, scale]) => decimalText({ units, scale }));

function valueOf(type: TypeIR, calendars: string[]): fc.Arbitrary<ValueIR> {
  switch (type.kind) {
    case 'text':
    case 'person':
      return fc.oneof(fc.string(), fc.constantFrom('SOX', 'sap-s4', 'DE', 'CN', 'oracle-db'));
    case 'enum':
      return fc.constantFrom(...type.values);
    case 'number':
    case 'percentage':
      return amount;
    case 'money':
      // Exact decimal text as engine/input writes it, and numbers as states from before exact
      // money hold them (any finite number: one beyond 60 decimals is no money, never a throw).
      return fc.record({
        amount: fc.oneof(amount, moneyText),
        currency: type.currency ? fc.constant(type.currency) : fc.constantFrom('EUR', 'USD'),
      });
    case 'duration':
      return fc.boolean().chain((business) =>
        fc.record({
          amount: fc.integer({ min: 0, max: 500 }),
          unit: fc.constantFrom('minute' as const, 'hour' as const, 'day' as const, 'week' as const),
          business: fc.constant(business),
          calendar: business && calendars.length > 0 ? fc.constantFrom(...calendars) : fc.constant(null),
        }),
      );
    case 'date':
      return date;
    case 'boolean':
      return fc.boolean();
    case 'list':
      return fc.array(valueOf(type.element, calendars), { maxLength: 4 });
  }
}

const maybe = (arb: fc.Arbitrary<ValueIR>): fc.Arbitrary<ValueIR | undefined> =>
  fc.option(arb, { nil: undefined });

interface Target {
  policy: string;
  process: string;
  ir: PolicyIR;
  exprs: ExprIR[];
  templates: TemplateIR[];
  facts: fc.Arbitrary<Facts>;
}

const targets: Target[] = policies.flatMap(({ name, ir }) =>
  ir.processes.map((process) => {
    const exprs: ExprIR[] = [];
    const templates: TemplateIR[] = [];
    walk(process.steps, exprs, templates);
    const reads = new Map<string, TypeIR>();
    for (const e of [
      ...exprs,
      ...templates.flatMap((t) => t.parts.flatMap((p) => ('expr' in p ? [p.expr] : []))),
    ]) {
      stepReads(e, reads);
    }
    const calendars = ir.calendars.map((c) => c.name);
    const input = Object.fromEntries(
      process.input.map((field) => {
        const arb = valueOf(field.type, calendars);
        return [field.name, field.optional || field.default !== null ? maybe(arb) : arb];
      }),
    );
    const results = [...reads].map(([key, type]) =>
      maybe(valueOf(type, calendars)).map((v) => [key, v] as const),
    );
    const facts = fc
      .record({ input: fc.record(input), results: fc.tuple(...results) })
      .map(({ input, results }) => {
        const steps: Record<string, Record<string, ValueIR | undefined>> = {};
        for (const [key, value] of results) {
          const [step = '', property = ''] = key.split('\u0000');
          (steps[step] ??= {})[property] = value;
        }
        return { input, steps };
      });
    return { policy: name, process: process.name, ir, exprs, templates, facts };
  }),
);

describe('the shipped policies', () => {
  test('when the policies are compiled, then there are processes, rules, conditions and messages to evaluate', () => {
    expect(targets.length).toBeGreaterThanOrEqual(6);
    expect(targets.reduce((n, t) => n + t.exprs.length, 0)).toBeGreaterThan(20);
    expect(targets.reduce((n, t) => n + t.templates.length, 0)).toBeGreaterThan(20);
    expect(policies.reduce((n, p) => n + p.ir.rules.length, 0)).toBeGreaterThan(10);
  });

  test.each(targets.map((t) => [`${t.policy} ${t.process}`, t] as const))(
    'when %s runs on random well-typed facts, then nothing throws and evaluation is deterministic',
    (...[, target]) => {
      const env: ExprEnvironment = { rules: target.ir.rules, addDuration };
      const rules = compileRules(env);
      fc.assert(
        fc.property(target.facts, (facts) => {
          for (const name of rules.names) {
            const first = rules.evaluate(name, facts);
            expect(rules.evaluate(name, facts)).toEqual(first);
            expect(rules.decide(name, facts)).toBe(first.value === true);
            expect(first.value === undefined || typeof first.value === 'boolean').toBe(true);
            expect(explain(first).startsWith(name)).toBe(true);
          }
          for (const expr of target.exprs) {
            const evaluation = compileExpression(expr, env)(facts);
            expect(compileExpression(expr, env)(facts)).toEqual(evaluation);
            expect(compileValue(expr, env)(facts)).toEqual(evaluation.value);
            // An unset value always says why; a condition always says why it came out as it did.
            if (evaluation.value === undefined || expr.type.kind === 'boolean') {
              expect(evaluation.because.length).toBeGreaterThan(0);
            }
            expect(typeof explain(evaluation)).toBe('string');
          }
          for (const template of target.templates) {
            const text = renderTemplate(template, env, facts);
            expect(renderTemplate(template, env, facts)).toBe(text);
          }
        }),
        { numRuns: 150, seed: 20261201 },
      );
    },
  );

  test('when a rule decides, then its reasons point into the rule declaration', () => {
    for (const { ir } of policies) {
      const env: ExprEnvironment = { rules: ir.rules, addDuration };
      const rules = compileRules(env);
      for (const rule of ir.rules) {
        const evaluation = rules.evaluate(rule.name, { input: {}, steps: {} });
        expect(evaluation.value).not.toBe(true);
        for (const reason of evaluation.because) {
          expect(reason.span.line).toBeGreaterThanOrEqual(rule.span.line);
          expect(reason.span.endLine).toBeLessThanOrEqual(rule.span.endLine);
          expect(reason.text).toMatch(/is not set|could not be decided/);
        }
      }
    }
  });
});
