// The words of explanations. Every reason is a clause a PMO reader can check against the request:
// `request.budget = 80,000 EUR > 50,000 EUR`, `request.risk = "low" is not "high"`,
// `request.window is not set`. Clauses join into one sentence: `high_risk held because …` or
// `high_risk did not hold: …`. Kept apart from evaluation so the wording is reviewed in one place.
import type { ExprIR, ValueIR } from '../ir/types.js';
import type { Evaluation, Reason, RuleEvaluation } from './types.js';
import { isConstant, sourceOf } from './source.js';
import { formatValue } from './values.js';

/**
 * An operand of a clause as compile time knows it: its expression, its words, whether it is a
 * constant, and (once first written) a constant's value in words, which never changes.
 */
export interface Operand {
  readonly expr: ExprIR;
  readonly source: string;
  readonly constant: boolean;
  shown?: string;
}

export const operand = (expr: ExprIR): Operand => ({
  expr,
  source: sourceOf(expr),
  constant: isConstant(expr),
});

/** An operand as evidence: a constant shows its value, anything else its source and value. */
export function describe(operand: Operand, value: ValueIR): string {
  if (operand.constant) return (operand.shown ??= formatValue(value, operand.expr.type, 'explain'));
  return `${operand.source} = ${formatValue(value, operand.expr.type, 'explain')}`;
}

export type Comparison = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/**
 * What a comparison found, phrased by the relation that is true of the values: a comparison that
 * held shows the operator (`>`), one that failed says what is the case instead (`is not above`).
 */
const RELATION: Record<Comparison, { held: string; failed: string }> = {
  eq: { held: '=', failed: 'is not' },
  ne: { held: 'is not', failed: '=' },
  gt: { held: '>', failed: 'is not above' },
  ge: { held: '>=', failed: 'is below' },
  lt: { held: '<', failed: 'is not below' },
  le: { held: '<=', failed: 'is above' },
};

export function comparisonText(
  op: Comparison,
  left: Operand,
  right: Operand,
  a: ValueIR,
  b: ValueIR,
  result: boolean,
): string {
  const relation = result ? RELATION[op].held : RELATION[op].failed;
  if (relation === '=') return sameText(left, right, a, b);
  return `${describe(left, a)} ${relation} ${describe(right, b)}`;
}

/** Equal values: `request.risk = "high"` rather than repeating the value on both sides. */
function sameText(left: Operand, right: Operand, a: ValueIR, b: ValueIR): string {
  if (!left.constant && right.constant) return describe(left, a);
  if (left.constant && !right.constant) return describe(right, b);
  return `${describe(left, a)} is the same as ${describe(right, b)}`;
}

export function membershipText(item: Operand, list: Operand, a: ValueIR, b: ValueIR, found: boolean): string {
  const relation = found ? 'is one of' : 'is not one of';
  return `${describe(item, a)} ${relation} ${describe(list, b)}`;
}

export function containsText(list: Operand, item: Operand, a: ValueIR, b: ValueIR, found: boolean): string {
  const relation = found ? 'contains' : 'does not contain';
  return `${describe(list, a)} ${relation} ${describe(item, b)}`;
}

export const unsetText = (source: string): string => `${source} is not set`;

export const setText = (source: string, isSet: boolean): string => `${source} is ${isSet ? '' : 'not '}set`;

/** A boolean read directly (`request.backout_tested`, `scan.waived`): its value is the reason. */
export const flagText = (source: string, value: boolean): string => `${source} = ${value ? 'yes' : 'no'}`;

export const constantText = (value: boolean): string => `the condition is always ${value ? 'true' : 'false'}`;

export const faultText = (source: string, problem: string, decided: boolean): string =>
  `${source} cannot be ${decided ? 'decided' : 'computed'}: ${problem}`;

/** `a`, `a, and b`, `a, b, and c`: every clause is needed, so they join with "and". */
export function joinClauses(clauses: readonly string[]): string {
  if (clauses.length <= 1) return clauses[0] ?? '';
  return `${clauses.slice(0, -1).join(', ')}, and ${clauses[clauses.length - 1] ?? ''}`;
}

const parenthesised = (reasons: readonly Reason[]): string =>
  reasons.length === 0 ? '' : ` (${joinClauses(reasons.map((r) => r.text))})`;

/**
 * A referenced rule as one clause, with its own reasons in parentheses, so that nesting reads
 * `high_risk held (request.budget = 80,000 EUR >= 50,000 EUR)` inside the outer sentence.
 */
export function ruleText(name: string, value: ValueIR | undefined, details: readonly Reason[]): string {
  const verdict = value === true ? 'held' : value === false ? 'did not hold' : 'could not be decided';
  return `${name} ${verdict}${parenthesised(details)}`;
}

const isRuleEvaluation = (evaluation: Evaluation): evaluation is RuleEvaluation =>
  typeof (evaluation as Partial<RuleEvaluation>).rule === 'string';

/**
 * One sentence for a decision: `high_risk held because …`, `high_risk did not hold: …`. An unset
 * condition did not hold (fail closed) and its clauses name what was missing. `subject` names
 * a condition that is not a rule (`the branch on line 40`); rules name themselves.
 */
export function explain(evaluation: Evaluation, subject?: string): string {
  const name = subject ?? (isRuleEvaluation(evaluation) ? evaluation.rule : 'the condition');
  const clauses = joinClauses(evaluation.because.map((reason) => reason.text));
  const { value } = evaluation;
  if (value === true) return clauses === '' ? `${name} held` : `${name} held because ${clauses}`;
  if (value === false || value === undefined) {
    return clauses === '' ? `${name} did not hold` : `${name} did not hold: ${clauses}`;
  }
  const shown = `${name} is ${formatValue(value, undefined, 'explain')}`;
  return clauses === '' ? shown : `${shown} because ${clauses}`;
}
