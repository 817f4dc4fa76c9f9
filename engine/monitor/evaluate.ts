// One monitor, compiled once per policy version, judging one project at a time: does the
// monitor look at it (`where`), and does it satisfy `require`? Pure and synchronous, so the
// Temporal activity, the simulator and `charter test` give the same verdict for the same facts.
//
// Fail closed, as approvals do: a `require` that cannot be decided (a field it reads is empty, a
// process never ran for the project) is a failure with the reason, never a pass. A `where` that
// cannot be decided leaves the project out, with the reason, since a monitor cannot hold a project
// to a rule it cannot tell applies; the run counts those so that nobody mistakes them for passes.
import { localDate } from '../calendar/index.js';
import {
  compileExpression,
  compileTemplate,
  explain,
  type Facts,
  holds,
  type Reason,
} from '../expr/index.js';
import { compiledFor, type CompiledMachine } from '../machine/compiled.js';
import { expandApproversIn, type Expanded } from '../machine/people.js';
import type {
  CompiledPolicy,
  ExprIR,
  MonitorIR,
  MoneyValue,
  PolicyIR,
  TemplateIR,
  ValueIR,
} from '../ir/types.js';

/** A project as a monitor reads it (the store's record without its bookkeeping). */
export interface ProjectFacts {
  code: string;
  name: string;
  phase: string;
  manager: string | null;
  sponsor: string | null;
  budget: MoneyValue | null;
  start: string | null;
  end: string | null;
  health: 'green' | 'amber' | 'red';
  tags: readonly string[];
}

/** What the run knows of a process's instances for one project. */
export interface ProcessHistory {
  /** `YYYY-MM-DD` (in the monitor's zone) of the newest instance that ended approved; null: none. */
  lastApproved: string | null;
}

/** Per process name; a process the monitor reads and the project never ran counts as none. */
export type ProjectHistory = Readonly<Record<string, ProcessHistory>>;

export type Verdict =
  | { kind: 'notSelected'; undecided: boolean; why: string }
  | { kind: 'passed'; why: string }
  | { kind: 'failed'; message: string; why: string; reasons: readonly Reason[] };

export interface CompiledMonitor {
  readonly ir: MonitorIR;
  readonly machine: CompiledMachine;
  /** The processes whose history the monitor reads (directly or through rules), sorted. */
  readonly processes: readonly string[];
  /** The day a run at `at` (epoch ms) judges, in the monitor's zone. */
  today(at: number): string;
  judge(project: ProjectFacts, history: ProjectHistory, today: string): Verdict;
  /** The finding's owners, as references the directory resolves; problems fail closed upstream. */
  owners(project: ProjectFacts, history: ProjectHistory, today: string): Expanded;
  /** The people a ladder level (1-based) adds, likewise (history and today do not matter there). */
  escalationOf(level: number, project: ProjectFacts): Expanded;
  /** Who may waive the finding besides the PMO (`waive by`), likewise. */
  waivers(project: ProjectFacts, history: ProjectHistory, today: string): Expanded;
}

export class UnknownMonitorError extends Error {
  override name = 'UnknownMonitorError';
}

const cache = new WeakMap<PolicyIR, Map<string, CompiledMonitor>>();

export function compileMonitor(policy: CompiledPolicy, name: string): CompiledMonitor {
  const known = cache.get(policy.ir)?.get(name);
  if (known) return known;
  const ir = policy.ir.monitors?.find((m) => m.name === name);
  if (!ir)
    throw new UnknownMonitorError(
      `policy ${policy.ir.policy.name} v${policy.ir.policy.version} has no monitor ${name}`,
    );
  const machine = compiledFor(policy);
  const where = ir.where ? compileExpression(ir.where, machine.env) : null;
  const require = compileExpression(ir.require, machine.env);
  const message = ir.message ? compileTemplate(ir.message, machine.env) : null;
  const compiled: CompiledMonitor = {
    ir,
    machine,
    processes: historyProcesses(policy.ir, ir),
    today: (at) => localDate(at, ir.schedule.timezone),
    judge(project, history, today) {
      const facts = factsFor(project, history, today);
      if (where) {
        const selected = where(facts);
        if (!holds(selected)) {
          return {
            kind: 'notSelected',
            undecided: selected.value === undefined,
            why: explain(selected, 'where'),
          };
        }
      }
      const verdict = require(facts);
      if (holds(verdict)) return { kind: 'passed', why: explain(verdict, 'require') };
      const why = explain(verdict, 'require');
      return { kind: 'failed', message: message ? message(facts) : why, why, reasons: verdict.because };
    },
    owners: (project, history, today) =>
      expandApproversIn(machine, factsFor(project, history, today), ir.owner),
    waivers: (project, history, today) =>
      expandApproversIn(machine, factsFor(project, history, today), ir.waivers),
    escalationOf: (level, project) =>
      expandApproversIn(machine, factsFor(project, {}, ''), ir.escalations[level - 1]?.to ?? []),
  };
  const perPolicy = cache.get(policy.ir) ?? new Map<string, CompiledMonitor>();
  perPolicy.set(name, compiled);
  cache.set(policy.ir, perPolicy);
  return compiled;
}

/** The facts expressions read: empty fields are unset, so they fail closed like inputs. */
export function factsFor(project: ProjectFacts, history: ProjectHistory, today: string): Facts {
  const fields: Record<string, ValueIR | undefined> = {
    code: project.code,
    name: project.name,
    phase: project.phase,
    manager: project.manager ?? undefined,
    sponsor: project.sponsor ?? undefined,
    budget: project.budget ?? undefined,
    start: project.start ?? undefined,
    end: project.end ?? undefined,
    health: project.health,
    tags: [...project.tags],
  };
  const processes: Record<string, Record<string, ValueIR | undefined>> = {};
  for (const [process, h] of Object.entries(history)) {
    processes[process] = { last_approved: h.lastApproved ?? undefined };
  }
  return { input: {}, steps: {}, project: fields, today, history: processes };
}

/** Every `<process>.<property>` the monitor reads, following the rules it uses. */
function historyProcesses(policy: PolicyIR, monitor: MonitorIR): string[] {
  const found = new Set<string>();
  const seenRules = new Set<string>();
  const pending: ExprIR[] = [monitor.require];
  if (monitor.where) pending.push(monitor.where);
  const templates: (TemplateIR | null)[] = [monitor.message];
  for (const t of templates) for (const part of t?.parts ?? []) if ('expr' in part) pending.push(part.expr);
  for (let e = pending.pop(); e !== undefined; e = pending.pop()) {
    switch (e.op) {
      case 'history':
        found.add(e.process);
        break;
      case 'rule': {
        const rule = policy.rules.find((r) => r.name === e.rule);
        if (rule && !seenRules.has(rule.name)) {
          seenRules.add(rule.name);
          pending.push(rule.condition);
        }
        break;
      }
      case 'not':
      case 'neg':
        pending.push(e.arg);
        break;
      case 'list':
        pending.push(...e.items);
        break;
      case 'call':
        pending.push(...e.args);
        break;
      case 'literal':
      case 'input':
      case 'stepResult':
      case 'project':
      case 'today':
        break;
      default:
        pending.push(e.left, e.right);
    }
  }
  return [...found].sort();
}
