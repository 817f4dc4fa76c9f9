// The compiled form of a policy: plain JSON that the engine runs and the store keeps. Names are
// resolved, every expression carries its checked type, business durations name their calendar,
// and every node keeps its source span so that decisions can cite the policy line that made them.
// Changing this shape is a breaking change: bump IR_VERSION and keep reading the old one.

export const IR_VERSION = 1;

/** `file` indexes PolicyIR.sources; lines and columns are 1-based, the end column exclusive. */
export interface SourceSpan {
  file: number;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export type DayName = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface DurationIR {
  amount: number;
  unit: 'minute' | 'hour' | 'day' | 'week';
  /** Business durations count only working time of `calendar`. */
  business: boolean;
  /** The calendar a business duration counts on; null for plain durations. */
  calendar: string | null;
}

export interface MoneyValue {
  /**
   * The exact amount as canonical decimal text (decimal.ts): `"80000"`, `"0.3"`,
   * `"1000000000000000000.01"`. IR and machine states written before amounts were exact hold a
   * JSON number here: it is read as the decimal it prints as, and never written any more, since a
   * number keeps only about 15 significant digits. Their hashes were taken over the number, so it
   * stays as it is rather than being rewritten as text.
   */
  amount: string | number;
  /** ISO 4217 code, e.g. `EUR`. */
  currency: string;
}

export type TypeIR =
  | { kind: 'text' | 'number' | 'percentage' | 'duration' | 'date' | 'boolean' | 'person' }
  | { kind: 'money'; currency: string | null }
  | { kind: 'enum'; values: string[] }
  | { kind: 'list'; element: TypeIR };

/**
 * A value of some TypeIR: text, enum and person are strings; number and percentage (15 for 15%)
 * are numbers; dates are `YYYY-MM-DD` strings; money is a MoneyValue with an exact amount.
 */
export type ValueIR = string | number | boolean | MoneyValue | DurationIR | ValueIR[];

export type BuiltinFunction =
  'count' | 'length' | 'contains' | 'lower' | 'upper' | 'min' | 'max' | 'is_set' | 'days_between';

export type BinaryOpIR =
  'and' | 'or' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'in' | 'add' | 'sub' | 'mul' | 'div';

interface ExprBase {
  type: TypeIR;
  span: SourceSpan;
}

export type ExprIR =
  | (ExprBase & { op: 'literal'; value: ValueIR })
  | (ExprBase & { op: 'input'; field: string })
  | (ExprBase & { op: 'stepResult'; step: string; property: string })
  | (ExprBase & { op: 'rule'; rule: string })
  /** Monitors only: a field of the project being looked at (`project.phase`). */
  | (ExprBase & { op: 'project'; field: string })
  /** Monitors only: the day of the run, in the monitor's time zone. */
  | (ExprBase & { op: 'today' })
  /** Monitors only: `<process>.last_approved` of the project being looked at. */
  | (ExprBase & { op: 'history'; process: string; property: string })
  | (ExprBase & { op: 'not' | 'neg'; arg: ExprIR })
  | (ExprBase & { op: BinaryOpIR; left: ExprIR; right: ExprIR })
  | (ExprBase & { op: 'list'; items: ExprIR[] })
  | (ExprBase & { op: 'call'; fn: BuiltinFunction; args: ExprIR[] });

/** Literal text and `{expression}` holes, in order. */
export interface TemplateIR {
  parts: ({ text: string } | { expr: ExprIR })[];
  span: SourceSpan;
}

export type ApproverIR =
  | { kind: 'role'; role: string; span: SourceSpan }
  | { kind: 'group'; group: string; span: SourceSpan }
  | { kind: 'person'; person: string; span: SourceSpan }
  | { kind: 'managerOf'; of: ExprIR; span: SourceSpan }
  /** An expression of type person or list of person. */
  | { kind: 'expr'; expr: ExprIR; span: SourceSpan };

export type QuorumIR =
  | { kind: 'any' | 'all' | 'majority' }
  /** `poolAtLeast`: from `at least N of M`, the fewest people that must resolve. */
  | { kind: 'atLeast'; count: number; poolAtLeast: number | null }
  | { kind: 'percent'; percent: number };

/** A level of the escalation ladder: `escalate after` or `hand over after`. */
export interface EscalationIR {
  after: DurationIR;
  to: ApproverIR[];
  /**
   * Absent (`escalate`): `to` joins the people deciding and the quorum stays. `true` (`hand
   * over`): `to` replaces them. Only its people may decide from then on (still minus `exclude`
   * and `distinctFrom`; if nobody is left the step blocks), decisions made before no longer
   * count, and the first approval approves and the first rejection rejects, whatever the step's
   * quorum and veto. Never `false`, so that a policy without a handover compiles to the same bytes.
   */
  handover?: true;
  span: SourceSpan;
}

export type TimeoutIR =
  | { action: 'reject' | 'approve' | 'fail'; message: TemplateIR | null; span: SourceSpan }
  /** `on timeout escalate to`, or `hand over to` with `handover` as in EscalationIR. */
  | { action: 'escalate'; to: ApproverIR[]; handover?: true; span: SourceSpan };

export type OnFailIR =
  | { action: 'stop'; outcome: 'rejected' | 'cancelled'; message: TemplateIR | null }
  | { action: 'continue' }
  | { action: 'waiver'; by: ApproverIR[]; within: DurationIR; validFor: DurationIR | null };

interface StepBase {
  /** Unique within the process, stable across edits that do not rename it. */
  id: string;
  span: SourceSpan;
}

export interface ApproveStepIR extends StepBase {
  kind: 'approve';
  approvers: ApproverIR[];
  quorum: QuorumIR;
  /** `any reject rejects`; otherwise the step rejects once the quorum can no longer be met. */
  veto: boolean;
  exclude: ApproverIR[];
  distinctFrom: string[];
  sla: DurationIR | null;
  remindEvery: DurationIR | null;
  escalations: EscalationIR[];
  onTimeout: TimeoutIR | null;
  allowDelegation: boolean;
  allowChanges: boolean;
  /**
   * `require qualification "<id>"`: only people holding each of these, valid on the day the
   * step opens (and on the day they decide), may decide. Absent when none, so that policies
   * without one compile to the same bytes as before.
   */
  qualifications?: string[];
}

export type CheckIR =
  | { kind: 'rule'; condition: ExprIR; message: TemplateIR | null }
  | { kind: 'external'; service: string; timeout: DurationIR | null; retries: number }
  | {
      kind: 'attest';
      by: ApproverIR[];
      statement: string;
      evidence: boolean;
      within: DurationIR | null;
      /** The qualification the attestation records a completion of, for whom; absent when none. */
      grants?: GrantIR;
    };

/** `grants qualification "<id>" to <people>` of an attestation. */
export interface GrantIR {
  qualification: string;
  /** A person or a list of people, read from the request when the attestation is made. */
  to: ExprIR;
}

export interface CheckStepIR extends StepBase {
  kind: 'check';
  check: CheckIR;
  onFail: OnFailIR;
}

export interface ReallocateStepIR extends StepBase {
  kind: 'reallocate';
  hours: number;
  skill: string;
  pool: string;
  project: ExprIR;
  period: DurationIR;
  priority: 'low' | 'normal' | 'high';
}

export interface NotifyStepIR extends StepBase {
  kind: 'notify';
  recipients: ApproverIR[];
  message: TemplateIR;
}

export interface WaitStepIR extends StepBase {
  kind: 'wait';
  wait: { kind: 'for'; duration: DurationIR } | { kind: 'until'; date: ExprIR };
}

export interface IfStepIR extends StepBase {
  kind: 'if';
  branches: { condition: ExprIR; steps: StepIR[]; span: SourceSpan }[];
  otherwise: StepIR[];
}

export interface ParallelStepIR extends StepBase {
  kind: 'parallel';
  onFailure: 'cancelOthers' | 'finishOthers';
  branches: { id: string; steps: StepIR[]; span: SourceSpan }[];
}

export interface EndStepIR extends StepBase {
  kind: 'end';
  outcome: 'approved' | 'rejected' | 'cancelled';
  message: TemplateIR | null;
}

export type StepIR =
  | ApproveStepIR
  | CheckStepIR
  | ReallocateStepIR
  | NotifyStepIR
  | WaitStepIR
  | IfStepIR
  | ParallelStepIR
  | EndStepIR;

export interface InputFieldIR {
  name: string;
  type: TypeIR;
  optional: boolean;
  default: ValueIR | null;
  span: SourceSpan;
}

export interface ProcessIR {
  name: string;
  input: InputFieldIR[];
  steps: StepIR[];
  span: SourceSpan;
}

export interface CalendarIR {
  name: string;
  timezone: string;
  /** One entry per working day and interval, sorted by day then start. */
  hours: { day: DayName; from: string; to: string }[];
  holidays: string[];
  span: SourceSpan;
}

export interface RoleIR {
  name: string;
  members: ApproverIR[];
  span: SourceSpan;
}

export interface RuleIR {
  name: string;
  condition: ExprIR;
  because: string | null;
  span: SourceSpan;
}

/** When a monitor runs: these days at this time, in the zone of `calendar` (UTC without one). */
export interface MonitorScheduleIR {
  days: DayName[];
  /** `HH:MM`. */
  time: string;
  calendar: string | null;
  timezone: string;
}

/**
 * A rule the PMO's projects are held to on a schedule. Each run looks at every project `where`
 * selects (all without it) and opens a finding for each that fails `require`, owned by `owner`,
 * due `within` after the run, reminded and escalated like an approval; a later run that finds
 * the project passing closes it.
 */
export interface MonitorIR {
  name: string;
  schedule: MonitorScheduleIR;
  where: ExprIR | null;
  require: ExprIR;
  message: TemplateIR | null;
  owner: ApproverIR[];
  due: DurationIR | null;
  remindEvery: DurationIR | null;
  /** Ladder levels; a monitor only adds people (`escalate`), it never hands a finding over. */
  escalations: EscalationIR[];
  /** Who may waive a finding besides the PMO; empty when only the PMO may. */
  waivers: ApproverIR[];
  /** The worst health an open finding gives its project; null when findings leave health alone. */
  health: 'amber' | 'red' | null;
  span: SourceSpan;
}

export interface PolicyIR {
  irVersion: typeof IR_VERSION;
  policy: { name: string; version: number; effective: string; owner: string | null };
  /** The policy file first, then the libraries it uses, each with the sha256 of its text. */
  sources: { path: string; sha256: string }[];
  /** Every list below is sorted by name, so that the same source compiles to the same bytes. */
  calendars: CalendarIR[];
  roles: RoleIR[];
  rules: RuleIR[];
  processes: ProcessIR[];
  /** Absent when the policy declares no monitor, so older policies keep their bytes and hash. */
  monitors?: MonitorIR[];
}

/** What the compiler returns and the store keeps: the IR and the sha256 of its canonical JSON. */
export interface CompiledPolicy {
  ir: PolicyIR;
  sha256: string;
}
