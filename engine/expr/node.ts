// The unit of compilation: every ExprIR node becomes two closures built once, a fast one that
// computes only the value (for decisions in the hot path) and one that also says why (for
// explanations). Both call the same operator functions, so they cannot disagree; the tests and
// the fast-check properties compare them on every shipped rule.
import type { ExprIR, SourceSpan, ValueIR } from '../ir/types.js';
import type { AddDuration } from './operators.js';
import { faultText, unsetText } from './explain.js';
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
  value: CompiledValue;
  explain(facts: Parameters<CompiledValue>[0]): RuleEvaluation;
}

/** What compiling a node needs: date arithmetic and the shared rules of the environment. */
export interface Context {
  addDuration: AddDuration;
  rule(name: string): RuleNode;
}

/** An evaluation that never changes, built once at compile time. */
export const fixed = (value: ValueIR | undefined, because: readonly Reason[] = NO_REASONS): Evaluation =>
  Object.freeze({ value, because });

/** A frozen single-reason list. */
export const reasonAt = (text: string, span: SourceSpan): readonly Reason[] =>
  Object.freeze([Object.freeze({ text, span })]);

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
export function settle(expr: ExprIR, source: string, outcome: Outcome): Evaluation {
  if (outcome instanceof Fault) {
    return {
      value: undefined,
      because: [{ text: faultText(source, outcome.problem, expr.type.kind === 'boolean'), span: expr.span }],
    };
  }
  return { value: outcome, because: NO_REASONS };
}

export const valueOf = (outcome: Outcome): ValueIR | undefined =>
  outcome instanceof Fault ? undefined : outcome;

/** A node whose value can never be known, with the reason why (an undefined rule, a cycle). */
export function unknownNode(text: string, span: SourceSpan): Node {
  const evaluation = fixed(undefined, reasonAt(text, span));
  return { value: () => undefined, explain: () => evaluation };
}

/** The reason a reference is unset, computed once per node. */
export const unsetEvaluation = (expr: ExprIR): Evaluation =>
  fixed(undefined, reasonAt(unsetText(sourceOf(expr)), expr.span));
