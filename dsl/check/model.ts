// What the checker learned and the compiler needs: resolved names, checked types, step ids and
// the calendar of every business duration. Keyed by AST node identity; the compiler walks the AST
// in source order and only looks nodes up here, so Map iteration order never reaches the IR.
import type {
  CalendarDecl,
  DurationLit,
  Expr,
  ParallelBranch,
  PathExpr,
  MonitorDecl,
  ProcessDecl,
  RoleDecl,
  RuleDecl,
  Step,
} from '../ast/types.js';
import type { TypeIR } from '../../engine/ir/types.js';

/** What a path expression names. */
export type PathTarget =
  | { kind: 'input'; field: string }
  | { kind: 'rule'; rule: string }
  | { kind: 'step'; step: string; property: string }
  /** In a monitor: a field of the project looked at, the day of the run, a process's history. */
  | { kind: 'project'; field: string }
  | { kind: 'today' }
  | { kind: 'history'; process: string; property: string };

/** A declaration with the index of its file: 0 the policy, then libraries in Program order. */
export interface Declared<T> {
  decl: T;
  file: number;
}

export interface SemanticModel {
  /** Every file of the program in `sources` order: the policy, then its libraries. */
  files: string[];
  calendars: Map<string, Declared<CalendarDecl>>;
  roles: Map<string, Declared<RoleDecl>>;
  rules: Map<string, Declared<RuleDecl>>;
  /** The policy file's processes (libraries have none that count). */
  processes: Map<string, Declared<ProcessDecl>>;
  /** The policy file's monitors. */
  monitors: Map<string, Declared<MonitorDecl>>;
  /** The checked type of each expression (a rule's as typed for the processes that use it). */
  types: Map<Expr, TypeIR>;
  paths: Map<PathExpr, PathTarget>;
  /** Every step's id: as written, or `<kind>_<n>` numbered per kind in source order. */
  stepIds: Map<Step, string>;
  /** `branch <id>` as written; a single-step branch takes its step's id. */
  branchIds: Map<ParallelBranch, string>;
  /** The calendar a duration counts on: set for business durations, null for plain ones. */
  durationCalendars: Map<DurationLit, string | null>;
  /** Names that the policy's processes reach, directly or through roles and rules. */
  used: { calendars: Set<string>; roles: Set<string>; rules: Set<string> };
}

export function emptyModel(files: string[]): SemanticModel {
  return {
    files,
    calendars: new Map(),
    roles: new Map(),
    rules: new Map(),
    processes: new Map(),
    monitors: new Map(),
    types: new Map(),
    paths: new Map(),
    stepIds: new Map(),
    branchIds: new Map(),
    durationCalendars: new Map(),
    used: { calendars: new Set(), roles: new Set(), rules: new Set() },
  };
}
