// What an expression can see where it stands (the input fields of its process, or none; the steps
// of its process with which of them have surely run; where its types are recorded), and the small
// helpers every part of expression typing shares. A leaf: exprs.ts, calls.ts and paths.ts all
// read it, and it reads none of them.
import type { DurationLit, Expr, InputField, Span, Step } from '../ast/types.js';
import { type CheckContext, snippet } from './context.js';
import type { Ty } from './types.js';

export type InputEnv =
  /** A process's input; `viaRule` names the rule being typed against it, if any. */
  | {
      kind: 'process';
      process: string;
      processSpan: Span;
      fields: Map<string, InputField>;
      viaRule: string | null;
    }
  /**
   * A monitor: no `request`, but `project.<field>`, `today` and `<process>.last_approved`;
   * `viaRule` names the rule being typed against it, if any.
   */
  | { kind: 'monitor'; monitor: string; monitorSpan: Span; viaRule: string | null }
  /** A rule that no process uses: fields cannot be checked and are typed `unknown`. */
  | { kind: 'unchecked' }
  /** No `request` at all (a default value). */
  | { kind: 'none' };

export interface StepInfo {
  id: string;
  step: Step;
  /** Where the id is written, or the step itself for an automatic id. */
  span: Span;
}

export interface StepEnv {
  info(id: string): StepInfo | undefined;
  /** Every step id of the process, in source order, for suggestions. */
  ids(): string[];
  /** Whether the step has run on every path to the expression being checked. */
  hasRun(id: string): boolean;
}

export interface ExprEnv {
  ctx: CheckContext;
  file: number;
  /** Where this run records types; a rule is typed once per process and compared. */
  types: Map<Expr, Ty>;
  input: InputEnv;
  /** null outside a process: rules cannot read step results. */
  steps: StepEnv | null;
  /** Called for every rule the expression reads. */
  useRule(name: string): void;
  /** Called for every duration literal, to settle the calendar of business durations. */
  useDuration(duration: DurationLit): void;
}

export function record(env: ExprEnv, expr: Expr, type: Ty): Ty {
  env.types.set(expr, type);
  return type;
}

export const filePath = (env: ExprEnv): string => env.ctx.files[env.file]?.path ?? '';

/** The quoted source of an expression, for messages. */
export const quote = (env: Pick<ExprEnv, 'ctx' | 'file'>, expr: { span: Span }): string =>
  `\`${snippet(env.ctx.files[env.file]?.text ?? '', expr.span)}\``;

/** Types an expression: exprs.ts's typeExpr, handed to the parts it calls so they need not import it. */
export type TypeOf = (env: ExprEnv, expr: Expr) => Ty;
