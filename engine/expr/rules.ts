// One compilation context per environment: the rules are compiled once, on first reference, and
// every expression compiled against the same environment shares them. A rule is compiled after
// the rules it uses, by walking its dependencies with an explicit stack rather than by recursion,
// so a long chain of rules costs no stack to compile; and an expression or rule deeper than
// MAX_EXPRESSION_DEPTH (depth.ts) is never compiled at all, so none can overflow the stack when
// evaluated. A rule that names itself (which the checker forbids), an unknown rule and one that
// is too deep compile to an unset value with a reason, so even malformed IR cannot make
// evaluation loop or throw.
import type { ExprIR, RuleIR } from '../ir/types.js';
import { compileNode } from './compile.js';
import { expressionDepth, MAX_EXPRESSION_DEPTH, ruleReferences, tooDeepText } from './depth.js';
import { type Context, type Node, type RuleNode, unknownNode } from './node.js';
import { guardedAddDuration } from './operators.js';
import {
  type CompiledExpression,
  type CompiledValue,
  type ExprEnvironment,
  type Facts,
  NOWHERE,
  type RuleEvaluation,
} from './types.js';

interface Compilation extends Context {
  nodes: WeakMap<ExprIR, Node>;
  /** Levels of an expression counting the compiled rules it uses; compiles those rules first. */
  depthOf(expr: ExprIR): number;
}

const contexts = new WeakMap<ExprEnvironment, Compilation>();

/** The shared compilation of an environment; an environment object is one set of rules. */
export function contextFor(env: ExprEnvironment): Compilation {
  const known = contexts.get(env);
  if (known) return known;
  const declared = new Map<string, RuleIR>(env.rules.map((rule) => [rule.name, rule]));
  const compiled = new Map<string, RuleNode>();
  const compiling = new Set<string>();
  const depthOfRule = (name: string): number => compiled.get(name)?.depth ?? 1;

  /** `first` and every rule it uses that is not compiled yet, each after the rules it uses. */
  const compileWithDependencies = (first: RuleIR): void => {
    const stack: { rule: RuleIR; uses: string[] }[] = [];
    const enter = (rule: RuleIR): void => {
      compiling.add(rule.name);
      stack.push({ rule, uses: [...ruleReferences(rule.condition)] });
    };
    enter(first);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      const used = top.uses.pop();
      if (used !== undefined) {
        const rule = declared.get(used);
        // A rule still compiling is a cycle: compileRule's reference to it gets a broken rule.
        if (rule && !compiled.has(used) && !compiling.has(used)) enter(rule);
        continue;
      }
      stack.pop();
      compiled.set(top.rule.name, compileRule(top.rule));
      compiling.delete(top.rule.name);
    }
  };

  const compileRule = (rule: RuleIR): RuleNode => {
    const depth = expressionDepth(rule.condition, depthOfRule);
    if (depth > MAX_EXPRESSION_DEPTH)
      return brokenRule(rule.name, rule.span, tooDeepText(`rule ${rule.name}`));
    return ruleNode(rule, nodeFor({ ...ctx, owner: rule.name }, rule.condition), depth);
  };

  const ctx: Compilation = {
    addDuration: guardedAddDuration((date, duration) => env.addDuration(date, duration)),
    nodes: new WeakMap(),
    owner: undefined,
    rule(name) {
      const done = compiled.get(name);
      if (done) return done;
      const rule = declared.get(name);
      if (!rule) return brokenRule(name, NOWHERE, `rule ${name} is not defined`);
      if (compiling.has(name)) return brokenRule(name, rule.span, `rule ${name} depends on itself`);
      compileWithDependencies(rule);
      return compiled.get(name) ?? brokenRule(name, rule.span, `rule ${name} could not be compiled`);
    },
    depthOf(expr) {
      for (const name of ruleReferences(expr)) ctx.rule(name);
      return expressionDepth(expr, depthOfRule);
    },
  };
  contexts.set(env, ctx);
  return ctx;
}

/** The compiled node of a rule's condition (checked by compileRule) or of an expression. */
function nodeFor(ctx: Compilation, expr: ExprIR): Node {
  const known = ctx.nodes.get(expr);
  if (known) return known;
  const node = compileNode(expr, ctx);
  ctx.nodes.set(expr, node);
  return node;
}

/** An expression of a step: too deep for the evaluator, it is unset with the reason. */
function checkedNodeFor(ctx: Compilation, expr: ExprIR): Node {
  if (ctx.nodes.has(expr) || ctx.depthOf(expr) <= MAX_EXPRESSION_DEPTH) return nodeFor(ctx, expr);
  const node = unknownNode(tooDeepText('this expression'), { span: expr.span, rule: undefined });
  ctx.nodes.set(expr, node);
  return node;
}

/** Every reason inside a rule's condition already names the rule (compile.ts, `owner`). */
function ruleNode(rule: RuleIR, condition: Node, depth: number): RuleNode {
  const { name, span } = rule;
  return {
    name,
    span,
    depth,
    value: condition.value,
    explain: (facts) => {
      const e = condition.explain(facts);
      return { rule: name, span, value: e.value, because: e.because };
    },
  };
}

function brokenRule(name: string, span: RuleIR['span'], text: string): RuleNode {
  const node = unknownNode(text, { span, rule: undefined });
  return {
    name,
    span,
    depth: 1,
    value: node.value,
    explain: (facts) => ({ rule: name, span, ...node.explain(facts) }),
  };
}

/** An expression with its explanation: `(facts) => { value, because }`. */
export function compileExpression(expr: ExprIR, env: ExprEnvironment): CompiledExpression {
  return checkedNodeFor(contextFor(env), expr).explain;
}

/** The same expression without explanation, for hot paths; always agrees with the above. */
export function compileValue(expr: ExprIR, env: ExprEnvironment): CompiledValue {
  return checkedNodeFor(contextFor(env), expr).value;
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
