// One compilation context per environment: the rules are compiled once, on first reference, and
// every expression compiled against the same environment shares them. A rule that names itself
// (which the checker forbids) or an unknown rule compiles to an unset value with a reason, so even
// malformed IR cannot make evaluation loop or throw.
import type { ExprIR, RuleIR } from '../ir/types.js';
import { compileNode } from './compile.js';
import { type Context, type Node, type RuleNode, unknownNode } from './node.js';
import { guardedAddDuration } from './operators.js';
import {
  type CompiledExpression,
  type CompiledValue,
  type ExprEnvironment,
  type Facts,
  NOWHERE,
  type Reason,
  type RuleEvaluation,
} from './types.js';

interface Compilation extends Context {
  nodes: WeakMap<ExprIR, Node>;
}

const contexts = new WeakMap<ExprEnvironment, Compilation>();

/** The shared compilation of an environment; an environment object is one set of rules. */
export function contextFor(env: ExprEnvironment): Compilation {
  const known = contexts.get(env);
  if (known) return known;
  const declared = new Map<string, RuleIR>(env.rules.map((rule) => [rule.name, rule]));
  const compiled = new Map<string, RuleNode>();
  const compiling = new Set<string>();
  const ctx: Compilation = {
    addDuration: guardedAddDuration((date, duration) => env.addDuration(date, duration)),
    nodes: new WeakMap(),
    rule(name) {
      const done = compiled.get(name);
      if (done) return done;
      const rule = declared.get(name);
      if (!rule) return brokenRule(name, NOWHERE, `rule ${name} is not defined`);
      if (compiling.has(name)) return brokenRule(name, rule.span, `rule ${name} depends on itself`);
      compiling.add(name);
      try {
        const node = ruleNode(rule, nodeFor(ctx, rule.condition));
        compiled.set(name, node);
        return node;
      } finally {
        compiling.delete(name);
      }
    },
  };
  contexts.set(env, ctx);
  return ctx;
}

function nodeFor(ctx: Compilation, expr: ExprIR): Node {
  const known = ctx.nodes.get(expr);
  if (known) return known;
  const node = compileNode(expr, ctx);
  ctx.nodes.set(expr, node);
  return node;
}

/** Every reason inside a rule's condition names the rule, so a caller can cite it. */
const tag = (reasons: readonly Reason[], rule: string): Reason[] =>
  reasons.map((reason) => (reason.rule === undefined ? { ...reason, rule } : reason));

function ruleNode(rule: RuleIR, condition: Node): RuleNode {
  const { name, span } = rule;
  return {
    name,
    span,
    value: condition.value,
    explain: (facts) => {
      const e = condition.explain(facts);
      return { rule: name, span, value: e.value, because: tag(e.because, name) };
    },
  };
}

function brokenRule(name: string, span: RuleIR['span'], text: string): RuleNode {
  const node = unknownNode(text, span);
  return {
    name,
    span,
    value: node.value,
    explain: (facts) => ({ rule: name, span, ...node.explain(facts) }),
  };
}

/** An expression with its explanation: `(facts) => { value, because }`. */
export function compileExpression(expr: ExprIR, env: ExprEnvironment): CompiledExpression {
  return nodeFor(contextFor(env), expr).explain;
}

/** The same expression without explanation, for hot paths; always agrees with the above. */
export function compileValue(expr: ExprIR, env: ExprEnvironment): CompiledValue {
  return nodeFor(contextFor(env), expr).value;
}

export interface CompiledRules {
  /** The rule names of the environment, in its order. */
  readonly names: readonly string[];
  /** The decision with its explanation. */
  evaluate(name: string, facts: Facts): RuleEvaluation;
  /** Whether the rule holds (unset fails closed), without building an explanation. */
  decide(name: string, facts: Facts): boolean;
}

/** Every rule of the environment, compiled now so that the first decision pays no compile time. */
export function compileRules(env: ExprEnvironment): CompiledRules {
  const ctx = contextFor(env);
  for (const rule of env.rules) ctx.rule(rule.name);
  return {
    names: env.rules.map((rule) => rule.name),
    evaluate: (name, facts) => ctx.rule(name).explain(facts),
    decide: (name, facts) => ctx.rule(name).value(facts) === true,
  };
}

export const evaluateRule = (env: ExprEnvironment, name: string, facts: Facts): RuleEvaluation =>
  contextFor(env).rule(name).explain(facts);
