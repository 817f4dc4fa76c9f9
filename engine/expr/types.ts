// The shapes the expression evaluator speaks: the facts an expression reads, the environment it
// is compiled against, and what an evaluation returns. Kept apart from the code so that the
// engine, the simulator and the tests can depend on the contract without the implementation.
import type { DurationIR, RuleIR, SourceSpan, ValueIR } from '../ir/types.js';

/**
 * What an expression can read. `undefined` means "not set": an optional input field without a
 * default, or a step result that was not produced (yet).
 */
export interface Facts {
  input: Readonly<Record<string, ValueIR | undefined>>;
  steps: Readonly<Record<string, Readonly<Record<string, ValueIR | undefined>>>>;
  /** What a monitor reads of the project it looks at (`project.<field>`); absent in processes. */
  project?: Readonly<Record<string, ValueIR | undefined>>;
  /** The day of a monitor's run, `YYYY-MM-DD` in its zone. */
  today?: string;
  /** A monitor's view of a process's instances for the project: `history[process][property]`. */
  history?: Readonly<Record<string, Readonly<Record<string, ValueIR | undefined>>>>;
}

/**
 * What compilation needs from outside. Date arithmetic is injected because business durations
 * need calendars, which another module owns; the engine keeps one definition of "date + 2 days".
 */
export interface ExprEnvironment {
  rules: readonly RuleIR[];
  addDuration(date: string, duration: DurationIR): string;
}

/**
 * One statement of why a value came out as it did, in business words. `span` is the policy text
 * it is about; `rule` names the rule whose declaration holds that text, when there is one.
 * `details` (only on a reason about a referenced rule) are the reasons inside that rule. Most
 * reasons write their `text` when it is first read (reasons.ts): a decision records what it
 * compared, and only a caller that shows the explanation pays for the words.
 */
export interface Reason {
  readonly text: string;
  readonly span: SourceSpan;
  readonly rule?: string | undefined;
  readonly details?: readonly Reason[];
}

/** `value` undefined means unset: not known from the facts, which never makes a condition hold. */
export interface Evaluation {
  value: ValueIR | undefined;
  because: readonly Reason[];
}

/** The decision of a named rule, with its explanation. */
export interface RuleEvaluation extends Evaluation {
  rule: string;
  /** The rule's declaration, for "line 14" citations. */
  span: SourceSpan;
}

export type CompiledExpression = (facts: Facts) => Evaluation;

/** The fast path: the value alone, for callers that explain only when asked. */
export type CompiledValue = (facts: Facts) => ValueIR | undefined;

/**
 * Why an operation has no value although its operands are set (division by zero, money of two
 * currencies, a fact of the wrong shape). Operators return it instead of throwing, so that
 * evaluation stays total; the value path turns it into unset, the explaining path into a reason.
 */
export class Fault {
  constructor(readonly problem: string) {}
}

export const isFault = (value: unknown): value is Fault => value instanceof Fault;

export type Outcome = ValueIR | Fault;

/** Shared by every set value that needs no explanation of its own, to avoid allocations. */
export const NO_REASONS: readonly Reason[] = Object.freeze([]);

/** A span for reasons that have no place in the policy text (an unknown rule name). */
export const NOWHERE: SourceSpan = Object.freeze({ file: 0, line: 0, col: 0, endLine: 0, endCol: 0 });

/** Whether a condition holds: only a value of exactly `true` does; unset fails closed. */
export const holds = (evaluation: Pick<Evaluation, 'value'>): boolean => evaluation.value === true;
