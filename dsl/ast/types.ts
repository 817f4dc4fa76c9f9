// The abstract syntax tree of one `.charter` file, as dsl/cst-to-ast builds it: faithful to the
// source (every node keeps its span, nothing is resolved yet). The checker resolves names and
// types against it; the compiler lowers it to engine/ir; the formatter prints it back.

/** A source range. Offsets are 0-based and end-exclusive; lines and columns are 1-based. */
export interface Span {
  offset: number;
  end: number;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export interface Ident {
  name: string;
  span: Span;
}

export interface StringLit {
  value: string;
  span: Span;
}

export interface NumberLit {
  value: number;
  raw: string;
  span: Span;
}

export interface DateLit {
  /** `YYYY-MM-DD`, validated as a real calendar date by the builder. */
  value: string;
  span: Span;
}

export interface TimeLit {
  /** `HH:MM`, 00:00-24:00. */
  value: string;
  span: Span;
}

export type DurationUnit = 'minute' | 'hour' | 'day' | 'week';

export interface DurationLit {
  kind: 'duration';
  amount: number;
  unit: DurationUnit;
  business: boolean;
  /**
   * The calendar of `2 business days on office`, or null when not written. Only clause durations
   * can name one; a duration inside an expression always has null.
   */
  calendar: Ident | null;
  /** The duration itself, without `on <calendar>` (which has its own span). */
  span: Span;
}

export interface Comment {
  /** The text after `#`, without the line break. */
  text: string;
  span: Span;
}

// ---------------------------------------------------------------------------------------------
// File, header, declarations

export interface PolicyFile {
  kind: 'file';
  header: PolicyHeader | LibraryHeader | null;
  uses: UseDecl[];
  declarations: Declaration[];
  comments: Comment[];
  span: Span;
}

export interface PolicyHeader {
  kind: 'policy';
  name: StringLit;
  version: NumberLit;
  effective: DateLit;
  owner: StringLit | null;
  span: Span;
}

export interface LibraryHeader {
  kind: 'library';
  name: StringLit;
  span: Span;
}

export interface UseDecl {
  kind: 'use';
  path: StringLit;
  span: Span;
}

export type Declaration = CalendarDecl | RoleDecl | RuleDecl | ProcessDecl | MonitorDecl;

export type DayName = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface DayRange {
  from: DayName;
  /** Set for `mon-fri`; null for a single day. */
  to: DayName | null;
  span: Span;
}

export interface HoursLine {
  days: DayRange[];
  from: TimeLit;
  to: TimeLit;
  span: Span;
}

export interface CalendarDecl {
  kind: 'calendar';
  name: Ident;
  timezone: StringLit | null;
  hours: HoursLine[];
  holidays: DateLit[];
  span: Span;
}

export interface RoleDecl {
  kind: 'role';
  name: Ident;
  members: ApproverRef[];
  span: Span;
}

export interface RuleDecl {
  kind: 'rule';
  name: Ident;
  condition: Expr;
  because: StringLit | null;
  span: Span;
}

export interface ProcessDecl {
  kind: 'process';
  name: Ident;
  input: InputField[];
  steps: Step[];
  span: Span;
}

export type FindingHealth = 'amber' | 'red';

/**
 * `monitor <name> { ... }`: a rule the PMO's projects are held to on a schedule. Every clause is
 * optional in the AST; the checker reports the ones a monitor needs (`every`, `require`, `owner`).
 */
export interface MonitorDecl {
  kind: 'monitor';
  name: Ident;
  /** `every mon, thu 08:00 on berlin`. */
  every: { days: DayRange[]; time: TimeLit; calendar: Ident | null; span: Span } | null;
  /** Which projects the monitor looks at; null: every project. */
  where: { condition: Expr; span: Span } | null;
  require: { condition: Expr; message: Template | null; span: Span } | null;
  owner: ApproverRef[];
  /** When a finding is due, counted from the run that opened it. */
  within: { duration: DurationLit; span: Span } | null;
  remindEvery: DurationLit | null;
  escalations: Escalation[];
  /** Who may waive a finding; empty: only the PMO. */
  waivers: ApproverRef[];
  /** The health an open finding gives its project at worst. */
  health: { value: FindingHealth; span: Span } | null;
  span: Span;
}

// ---------------------------------------------------------------------------------------------
// Input schema

export type SimpleTypeName =
  'text' | 'number' | 'money' | 'percentage' | 'duration' | 'date' | 'boolean' | 'person';

export type TypeExpr =
  | { kind: 'simple'; name: SimpleTypeName; currency: Ident | null; span: Span }
  | { kind: 'enum'; values: StringLit[]; span: Span }
  | { kind: 'list'; element: TypeExpr; span: Span };

export interface InputField {
  name: Ident;
  type: TypeExpr;
  optional: boolean;
  default: Expr | null;
  span: Span;
}

// ---------------------------------------------------------------------------------------------
// Who: approver references (roles, groups, people, manager-of, fields)

export type ApproverRef =
  /** A bare name: a role (the checker reports it when no such role exists). */
  | { kind: 'role'; name: Ident; span: Span }
  | { kind: 'group'; id: StringLit; span: Span }
  | { kind: 'person'; id: StringLit; span: Span }
  | { kind: 'managerOf'; of: Expr; span: Span }
  /** A dotted path such as `request.requester` or `cab_review.approvers`. */
  | { kind: 'path'; path: PathExpr; span: Span };

// ---------------------------------------------------------------------------------------------
// Steps

export type Step =
  ApproveStep | CheckStep | ReallocateStep | NotifyStep | WaitStep | IfStep | ParallelStep | EndStep;

export type Quorum =
  | { kind: 'any' | 'all' | 'majority'; span: Span }
  | { kind: 'atLeast'; count: NumberLit; of: NumberLit | null; span: Span }
  | { kind: 'percent'; percent: NumberLit; span: Span };

/**
 * `on timeout escalate to` adds `to` to the deciders (`handover` false); `on timeout hand over to`
 * makes them the only deciders (`handover` true).
 */
export type TimeoutAction =
  | { kind: 'reject' | 'approve' | 'fail'; message: Template | null; span: Span }
  | { kind: 'escalate'; to: ApproverRef[]; handover: boolean; span: Span };

/** A ladder level: `escalate after` (adds `to`) or `hand over after` (`handover`: only `to` decides). */
export interface Escalation {
  after: DurationLit;
  to: ApproverRef[];
  handover: boolean;
  span: Span;
}

export interface ApproveStep {
  kind: 'approve';
  id: Ident;
  by: ApproverRef[];
  quorum: Quorum | null;
  /** Span of `any reject rejects`, or null when the clause is absent. */
  veto: Span | null;
  exclude: ApproverRef[];
  distinctFrom: Ident[];
  /** The deadline; `span` covers the clause, `on <calendar>` included. */
  within: { duration: DurationLit; span: Span } | null;
  remindEvery: DurationLit | null;
  escalations: Escalation[];
  onTimeout: TimeoutAction | null;
  allowDelegation: Span | null;
  allowChanges: Span | null;
  /** `require qualification "<id>"`: only people holding it, valid, may decide. */
  qualifications: { id: StringLit; span: Span }[];
  span: Span;
}

export type CheckKind =
  | { kind: 'require'; condition: Expr; message: Template | null; span: Span }
  | {
      kind: 'external';
      service: StringLit;
      timeout: DurationLit | null;
      retry: NumberLit | null;
      span: Span;
    }
  | {
      kind: 'attest';
      by: ApproverRef[];
      statement: StringLit;
      evidence: boolean;
      /** `grants qualification "<id>" to <people>`: the attestation records a completion of it. */
      grants: Grant | null;
      within: DurationLit | null;
      span: Span;
    };

/** A qualification an attestation grants, and to whom (a person, or a list of people). */
export interface Grant {
  qualification: StringLit;
  to: Expr;
  span: Span;
}

export type OnFail =
  | { kind: 'stop'; outcome: 'rejected' | 'cancelled'; message: Template | null; span: Span }
  | { kind: 'continue'; span: Span }
  | {
      kind: 'waiver';
      by: ApproverRef[];
      within: DurationLit;
      validFor: DurationLit | null;
      span: Span;
    };

export interface CheckStep {
  kind: 'check';
  id: Ident;
  check: CheckKind;
  onFail: OnFail | null;
  span: Span;
}

export type Priority = 'low' | 'normal' | 'high';

export interface ReallocateStep {
  kind: 'reallocate';
  id: Ident | null;
  hours: NumberLit;
  skill: StringLit;
  pool: StringLit;
  project: Expr;
  period: DurationLit;
  priority: { value: Priority; span: Span } | null;
  span: Span;
}

export interface NotifyStep {
  kind: 'notify';
  id: Ident | null;
  recipients: ApproverRef[];
  message: Template;
  span: Span;
}

export interface WaitStep {
  kind: 'wait';
  id: Ident | null;
  wait: { kind: 'for'; duration: DurationLit } | { kind: 'until'; date: Expr };
  span: Span;
}

export interface IfStep {
  kind: 'if';
  /** `if` and every `else if`, in order. */
  branches: { condition: Expr; steps: Step[]; span: Span }[];
  /** The final `else`, or null. */
  otherwise: { steps: Step[]; span: Span } | null;
  span: Span;
}

export interface ParallelBranch {
  /** Set for `branch <id> { ... }`; null when a single step is the branch. */
  id: Ident | null;
  steps: Step[];
  span: Span;
}

export interface ParallelStep {
  kind: 'parallel';
  /** null: not declared (the default, cancel others, applies). */
  onFailure: { value: 'cancel' | 'finish'; span: Span } | null;
  branches: ParallelBranch[];
  span: Span;
}

export interface EndStep {
  kind: 'end';
  outcome: 'approved' | 'rejected' | 'cancelled';
  message: Template | null;
  span: Span;
}

// ---------------------------------------------------------------------------------------------
// Expressions and templates

export type BinaryOp = 'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '+' | '-' | '*' | '/';

export interface PathExpr {
  kind: 'path';
  /** `request.budget` is two segments; a rule name is one. */
  segments: Ident[];
  span: Span;
}

export type Expr =
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: 'unary'; op: 'not' | '-'; operand: Expr; span: Span }
  | { kind: 'number'; value: number; raw: string; span: Span }
  /** `amount` is the exact canonical decimal text of `raw` (engine/ir/decimal.ts): `"50000"`. */
  | { kind: 'money'; amount: string; currency: string; raw: string; span: Span }
  | { kind: 'percent'; value: number; raw: string; span: Span }
  | DurationLit
  | { kind: 'date'; value: string; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'boolean'; value: boolean; span: Span }
  | { kind: 'list'; items: Expr[]; span: Span }
  | PathExpr
  | { kind: 'call'; callee: Ident; args: Expr[]; span: Span };

/** A message with `{expression}` holes; literal parts keep their text exactly. */
export interface Template {
  kind: 'template';
  parts: (string | Expr)[];
  span: Span;
}
