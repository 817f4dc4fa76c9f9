// Reasons as evaluation records them: the values a comparison saw and how it came out, with the
// words written the first time someone reads `text`. Writing `request.budget = 80,000 EUR >=
// 50,000 EUR` costs more than deciding it (formatting money and numbers, joining strings), and
// most explained decisions are stored or counted, not read: the rules benchmark measured an
// explained decision at 15-23 times an unexplained one while every reason wrote its text up front.
// The facts are kept, the sentence is a view of them (docs: "a sentence is a view of a fact").
//
// Everything that does not change between evaluations (the span, the rule that holds the text,
// how the operands read) is fixed per compiled node in a Site, so a reason is one small object.
import type { SourceSpan, ValueIR } from '../ir/types.js';
import { ruleText } from './explain.js';
import type { Reason } from './types.js';

/** Where the reasons of one compiled node point: its policy text and the rule that holds it. */
export interface Site {
  readonly span: SourceSpan;
  /** The rule whose condition holds the node; undefined for a step's own expression. */
  readonly rule: string | undefined;
}

/** A node that compares two values, and how its finding reads. */
export interface ClauseSite extends Site {
  words(a: ValueIR, b: ValueIR, held: boolean): string;
}

/** The plain form of a reason, for JSON (query results, logs) and for reasons fixed at compile time. */
export interface ReasonRecord {
  text: string;
  span: SourceSpan;
  rule?: string;
  details?: readonly Reason[];
}

/** A reason whose text is known at compile time (`request.window is not set`). */
export function fixedReason(site: Site, text: string): Reason {
  const reason: ReasonRecord = { text, span: site.span };
  if (site.rule !== undefined) reason.rule = site.rule;
  return Object.freeze(reason);
}

/**
 * What a comparison, `in` or `contains` found: two values and the outcome, worded when `text` is
 * first read. `span` and `rule` are own properties like those of any reason; the parts of the
 * finding are private, so that JSON (through toJSON) and structural comparison see the reason, not
 * how it is kept. A class rather than an object literal with a getter, which V8 builds and reads
 * several times slower.
 */
export class Clause implements Reason {
  readonly span: SourceSpan;
  readonly rule: string | undefined;
  readonly #site: ClauseSite;
  readonly #a: ValueIR;
  readonly #b: ValueIR;
  readonly #held: boolean;
  #written: string | undefined;

  constructor(site: ClauseSite, a: ValueIR, b: ValueIR, held: boolean) {
    this.span = site.span;
    this.rule = site.rule;
    this.#site = site;
    this.#a = a;
    this.#b = b;
    this.#held = held;
  }

  get text(): string {
    return (this.#written ??= this.#site.words(this.#a, this.#b, this.#held));
  }

  toJSON(): ReasonRecord {
    return recordOf(this);
  }
}

/**
 * A referenced rule as one clause, its own reasons in `details`; the text puts them in
 * parentheses: `high_risk held (request.budget = 80,000 EUR >= 50,000 EUR)`.
 */
export class RuleReason implements Reason {
  readonly #value: ValueIR | undefined;
  #written: string | undefined;

  constructor(
    readonly rule: string,
    readonly span: SourceSpan,
    value: ValueIR | undefined,
    readonly details: readonly Reason[],
  ) {
    this.#value = value;
  }

  get text(): string {
    return (this.#written ??= ruleText(this.rule, this.#value, this.details));
  }

  toJSON(): ReasonRecord {
    return recordOf(this);
  }
}

function recordOf(reason: Reason): ReasonRecord {
  const record: ReasonRecord = { text: reason.text, span: reason.span };
  if (reason.rule !== undefined) record.rule = reason.rule;
  if (reason.details !== undefined) record.details = reason.details;
  return record;
}
