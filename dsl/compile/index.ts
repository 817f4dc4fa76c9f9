// The compiler: an error-free checked program to the IR, and the IR's hash. Deterministic by
// construction: every list is built by walking the AST in source order and then sorted by name
// with plain code-unit comparison (never locale order, never Map iteration order), so the same
// sources always give the same bytes and the same hash.
//
// What goes in: the policy's own calendars and roles, the imported ones its processes use, and
// only the rules some process uses (unused rules are reported by the checker and left out).
import type { CalendarDecl, DayName, ProcessDecl, RoleDecl, RuleDecl } from '../ast/types.js';
import {
  type CalendarIR,
  type CompiledPolicy,
  hashPolicyIR,
  IR_VERSION,
  type PolicyIR,
  type ProcessIR,
  type RoleIR,
  type RuleIR,
  sha256Hex,
} from '../../engine/ir/index.js';
import { dayOrder, daysOf, minutes } from '../check/calendars.js';
import type { Declared, SemanticModel } from '../check/index.js';
import type { Program } from '../program.js';
import { CompileError, constantValue, type Lowering, lowerExpr, lowerType, sourceSpan } from './exprs.js';
import { lowerApprovers, lowerSteps } from './steps.js';
import { lowerMonitor } from './monitors.js';

export { CompileError } from './exprs.js';

export function compile(program: Program, model: SemanticModel): CompiledPolicy {
  const header = program.main.ast.header;
  if (header?.kind !== 'policy') {
    throw new CompileError(`\`${program.main.path}\` is not a policy: only policies compile`);
  }
  const included = <T>(declared: Map<string, Declared<T>>, used: ReadonlySet<string>) =>
    sortByName([...declared].filter(([name, d]) => d.file === 0 || used.has(name)));
  const ir: PolicyIR = {
    irVersion: IR_VERSION,
    policy: {
      name: header.name.value,
      version: header.version.value,
      effective: header.effective.value,
      owner: header.owner?.value ?? null,
    },
    sources: [program.main, ...program.libraries].map((f) => ({ path: f.path, sha256: sha256Hex(f.text) })),
    calendars: included(model.calendars, model.used.calendars).map(([, d]) => lowerCalendar(d)),
    roles: included(model.roles, model.used.roles).map(([, d]) => lowerRole(model, d)),
    rules: sortByName([...model.rules].filter(([name]) => model.used.rules.has(name))).map(([, d]) =>
      lowerRule(model, d),
    ),
    processes: sortByName([...model.processes]).map(([, d]) => lowerProcess(model, d)),
    ...monitors(model),
  };
  return { ir, sha256: hashPolicyIR(ir) };
}

/** The key only when the policy declares a monitor, so that other policies keep their bytes. */
function monitors(model: SemanticModel): Pick<PolicyIR, 'monitors'> {
  if (model.monitors.size === 0) return {};
  return { monitors: sortByName([...model.monitors]).map(([, d]) => lowerMonitor(model, d)) };
}

function sortByName<T>(entries: [string, T][]): [string, T][] {
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function lowerCalendar({ decl, file }: Declared<CalendarDecl>): CalendarIR {
  const hours = decl.hours.flatMap((line) =>
    daysOf(line).map((day) => ({ day, from: line.from.value, to: line.to.value })),
  );
  const dayIndex = (day: DayName) => dayOrder.indexOf(day);
  hours.sort((a, b) => dayIndex(a.day) - dayIndex(b.day) || minutes(a.from) - minutes(b.from));
  return {
    name: decl.name.name,
    timezone: decl.timezone?.value ?? 'UTC',
    hours,
    holidays: [...new Set(decl.holidays.map((h) => h.value))].sort(),
    span: sourceSpan({ file }, decl.span),
  };
}

function lowerRole(model: SemanticModel, { decl, file }: Declared<RoleDecl>): RoleIR {
  const l: Lowering = { model, file };
  return { name: decl.name.name, members: lowerApprovers(l, decl.members), span: sourceSpan(l, decl.span) };
}

function lowerRule(model: SemanticModel, { decl, file }: Declared<RuleDecl>): RuleIR {
  const l: Lowering = { model, file };
  return {
    name: decl.name.name,
    condition: lowerExpr(l, decl.condition),
    because: decl.because?.value ?? null,
    span: sourceSpan(l, decl.span),
  };
}

function lowerProcess(model: SemanticModel, { decl, file }: Declared<ProcessDecl>): ProcessIR {
  const l: Lowering = { model, file };
  return {
    name: decl.name.name,
    input: decl.input.map((field) => ({
      name: field.name.name,
      type: lowerType(field.type),
      optional: field.optional || field.default !== null,
      default: field.default === null ? null : constantValue(l, field.default),
      span: sourceSpan(l, field.span),
    })),
    steps: lowerSteps(l, decl.steps),
    span: sourceSpan(l, decl.span),
  };
}
