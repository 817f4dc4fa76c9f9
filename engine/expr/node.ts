// The unit of compilation: every ExprIR node becomes two closures built once, a fast one that
// computes only the value (for decisions in the hot path) and one that also says why (for
// explanations). Both call the same operator functions, so they cannot disagree; the tests and
// the fast-check properties compare them on every shipped rule. Because they agree, the explaining
// closure of an operator on values (a comparison, `+`, a call) takes its operands' values from
// their fast closures and asks for their reasons only when one is unset: a set value has none.
import type { ExprIR, SourceSpan, ValueIR } from '../ir/types.js';
import type { AddDuration } from './operators.js';
import { faultText, unsetText } from './explain.js';
import { fixedReason, type Site } from './reasons.js';
import {
  type CompiledExpression,
  type CompiledValue,
  type Evaluation,
  Fault,
  NO_REASONS,
  type Outcome,
  type Reason,
  type RuleEvaluation,
} from './types.js';
import { sourceOf } from './source.js';

export interface Node {
  value: CompiledValue;
  explain: CompiledExpression;
}

/** A compiled rule, shared by every reference to it within one environment. */
export interface RuleNode {
  name: string;
  span: SourceSpan;
  /** Levels of its condition, counting the rules it uses (depth.ts). */
  depth: number;
  value: CompiledValue;
  explain(facts: Parameters<CompiledValue>[0]): RuleEvaluation;
}

/** What compiling a node needs: date arithmetic, the shared rules, and whose condition it is in. */
export interface Context {
  addDuration: AddDuration;
  rule(name: string): RuleNode;
  /** The rule whose condition is being compiled: every reason given inside it names the rule. */
  owner: string | undefined;
}

/** Where the reasons of `expr` point, fixed at compile time. */
export const siteOf = (expr: ExprIR, ctx: Pick<Context, 'owner'>): Site => ({
  span: expr.span,
  rule: ctx.owner,
});

/** An evaluation that never changes, built once at compile time. */
export const fixed = (value: ValueIR | undefined, because: readonly Reason[] = NO_REASONS): Evaluation =>
  Object.freeze({ value, because });

/** A frozen single-reason list. */
export const reasonAt = (text: string, site: Site): readonly Reason[] =>
  Object.freeze([fixedReason(site, text)]);

/** Unset because of the operands that were unset; set operands did not cause it. */
export function unsetFrom(a: Evaluation, b?: Evaluation): Evaluation {
  const bUnset = b !== undefined && b.value === undefined;
  if (a.value !== undefined) return bUnset ? b : { value: undefined, because: NO_REASONS };
  return bUnset ? { value: undefined, because: [...a.because, ...b.because] } : a;
}

/** Unset because of every unset item, for calls and lists with several operands. */
export function unsetFromAll(evaluations: readonly Evaluation[]): Evaluation {
  const because: Reason[] = [];
  for (const e of evaluations) if (e.value === undefined) because.push(...e.because);
  return { value: undefined, because };
}

/**
 * The evaluation of an operator's outcome: a value needs no reason of its own unless the node is
 * a condition (callers add that), a Fault becomes unset with the problem in words.
 */
export function settle(expr: ExprIR, site: Site, source: string, outcome: Outcome): Evaluation {
  if (outcome instanceof Fault) {
    const text = faultText(source, outcome.problem, expr.type.kind === 'boolean');
    return { value: undefined, because: [fixedReason(site, text)] };
  }
  return { value: outcome, because: NO_REASONS };
}

export const valueOf = (outcome: Outcome): ValueIR | undefined =>
  outcome instanceof Fault ? undefined : outcome;

/** A node whose value can never be known, with the reason why (an undefined rule, a cycle). */
export function unknownNode(text: string, site: Site): Node {
  const evaluation = fixed(undefined, reasonAt(text, site));
  return { value: () => undefined, explain: () => evaluation };
}

/** The reason a reference is unset, computed once per node. */
export const unsetEvaluation = (expr: ExprIR, site: Site): Evaluation =>
  fixed(undefined, reasonAt(unsetText(sourceOf(expr)), site));
