// What changed between two versions of a policy, in the terms PMO authors review: processes added
// or removed; per process the input fields added, removed or retyped, the steps added or removed,
// and for steps in both versions each aspect that reads differently (approvers, quorum, deadline,
// reminder, escalation ladder, timeout, conditions, checks, ...), before and after in a few words
// (diff-text.ts). Steps are matched by id: named steps keep theirs across edits, while unnamed
// ones are numbered by kind (`notify_2`), so inserting an unnamed step may show its later
// namesakes as changed. Rules, roles and calendars are compared by name. Pure: no I/O.
import {
  approversText,
  checkText,
  durationText,
  inputText,
  ladderText,
  NONE,
  onFailText,
  quorumText,
  stepSummary,
  templateText,
  timeoutText,
  typeText,
} from './diff-text.js';
import { formatValue, sourceOf } from '../expr/index.js';
import type { InputFieldIR, PolicyIR, ProcessIR, StepIR } from './types.js';

export type StepChangeKind =
  | 'kind'
  | 'placement'
  | 'approvers'
  | 'quorum'
  | 'veto'
  | 'exclude'
  | 'distinctFrom'
  | 'deadline'
  | 'reminder'
  | 'escalation'
  | 'timeout'
  | 'delegation'
  | 'changes'
  | 'qualifications'
  | 'condition'
  | 'check'
  | 'onFail'
  | 'recipients'
  | 'message'
  | 'wait'
  | 'reallocation'
  | 'branches'
  | 'outcome';

export interface StepChange {
  step: string;
  kind: StepChangeKind;
  before: string;
  after: string;
}

export interface StepRef {
  step: string;
  kind: StepIR['kind'];
  /** The step in one line (diff-text.ts stepSummary). */
  summary: string;
}

export interface InputChange {
  field: string;
  change: 'added' | 'removed' | 'retyped' | 'optional' | 'default';
  /** The declaration (or its type, for `retyped`) before; null when the field is new. */
  before: string | null;
  after: string | null;
}

export interface ProcessDiff {
  name: string;
  status: 'added' | 'removed' | 'changed' | 'same';
  inputs: InputChange[];
  addedSteps: StepRef[];
  removedSteps: StepRef[];
  /** Changes of steps in both versions, in the order of the newer version's steps. */
  changes: StepChange[];
}

export interface DefinitionChange {
  kind: 'rule' | 'role' | 'calendar' | 'policy';
  name: string;
  status: 'added' | 'removed' | 'changed';
  before: string | null;
  after: string | null;
}

export interface PolicyDiff {
  /** The header (effective day, owner) and the rules, roles and calendars the processes use. */
  definitions: DefinitionChange[];
  /** Every process of either version, by name. */
  processes: ProcessDiff[];
}

interface PlacedStep {
  step: StepIR;
  /** Where it sits: `top`, or the enclosing step and branch (`if risk_gate, branch 2`). */
  placement: string;
}

/** Every step of a process, nested ones too, by id, in the order they appear. */
function stepsOf(process: ProcessIR): Map<string, PlacedStep> {
  const found = new Map<string, PlacedStep>();
  const walk = (steps: readonly StepIR[], placement: string): void => {
    for (const step of steps) {
      found.set(step.id, { step, placement });
      if (step.kind === 'if') {
        step.branches.forEach((b, i) => walk(b.steps, `if ${step.id}, branch ${i + 1}`));
        walk(step.otherwise, `if ${step.id}, otherwise`);
      } else if (step.kind === 'parallel') {
        for (const b of step.branches) walk(b.steps, `parallel ${step.id}, branch ${b.id}`);
      }
    }
  };
  walk(process.steps, 'top');
  return found;
}

const yesNo = (value: boolean | undefined): string => (value === true ? 'yes' : 'no');
const listText = (items: readonly string[] | undefined): string =>
  items === undefined || items.length === 0 ? NONE : items.join(', ');

/** Each aspect of a step a reviewer compares, in words; absent aspects are left out. */
function aspectsOf(step: StepIR): Partial<Record<StepChangeKind, string>> {
  switch (step.kind) {
    case 'approve':
      return {
        approvers: approversText(step.approvers),
        quorum: quorumText(step.quorum, step.approvers),
        veto: step.veto ? 'any reject rejects' : 'rejects when the quorum is out of reach',
        exclude: approversText(step.exclude),
        distinctFrom: listText(step.distinctFrom),
        deadline: durationText(step.sla),
        reminder: step.remindEvery === null ? NONE : `every ${durationText(step.remindEvery)}`,
        escalation: ladderText(step.escalations),
        timeout: timeoutText(step.onTimeout),
        delegation: yesNo(step.allowDelegation),
        changes: yesNo(step.allowChanges),
        qualifications: listText(step.qualifications),
      };
    case 'check':
      return step.check.kind === 'rule'
        ? {
            condition: sourceOf(step.check.condition),
            message: templateText(step.check.message),
            onFail: onFailText(step.onFail),
          }
        : { check: checkText(step.check), onFail: onFailText(step.onFail) };
    case 'reallocate':
      return {
        reallocation:
          `${step.hours} hours of skill "${step.skill}" from pool "${step.pool}" to project ` +
          `${sourceOf(step.project)} for ${durationText(step.period)} priority ${step.priority}`,
      };
    case 'notify':
      return { recipients: approversText(step.recipients), message: templateText(step.message) };
    case 'wait':
      return {
        wait:
          step.wait.kind === 'for'
            ? `for ${durationText(step.wait.duration)}`
            : `until ${sourceOf(step.wait.date)}`,
      };
    case 'if':
      return {
        condition:
          step.branches.map((b, i) => `${i + 1}. ${sourceOf(b.condition)}`).join('; ') +
          (step.otherwise.length > 0 ? '; otherwise' : ''),
      };
    case 'parallel':
      return {
        branches: `${step.branches.map((b) => b.id).join(', ')}; on failure ${
          step.onFailure === 'cancelOthers' ? 'cancel others' : 'finish others'
        }`,
      };
    case 'end':
      return {
        outcome: step.message === null ? step.outcome : `${step.outcome} ${templateText(step.message)}`,
      };
  }
}

function stepChanges(id: string, before: PlacedStep, after: PlacedStep): StepChange[] {
  const changes: StepChange[] = [];
  if (before.step.kind !== after.step.kind) {
    changes.push({ step: id, kind: 'kind', before: before.step.kind, after: after.step.kind });
  }
  if (before.placement !== after.placement) {
    changes.push({ step: id, kind: 'placement', before: before.placement, after: after.placement });
  }
  const was = aspectsOf(before.step);
  const is = aspectsOf(after.step);
  const kinds = [...new Set([...Object.keys(is), ...Object.keys(was)])] as StepChangeKind[];
  for (const kind of kinds) {
    const a = was[kind] ?? NONE;
    const b = is[kind] ?? NONE;
    if (a !== b) changes.push({ step: id, kind, before: a, after: b });
  }
  return changes;
}

const defaultText = (field: InputFieldIR): string =>
  field.default === null ? NONE : formatValue(field.default, field.type, 'explain');

function inputChanges(before: readonly InputFieldIR[], after: readonly InputFieldIR[]): InputChange[] {
  const old = new Map(before.map((f) => [f.name, f]));
  const changes: InputChange[] = [];
  for (const field of after) {
    const was = old.get(field.name);
    if (was === undefined) {
      changes.push({ field: field.name, change: 'added', before: null, after: inputText(field) });
      continue;
    }
    const [typeWas, typeIs] = [typeText(was.type), typeText(field.type)];
    if (typeWas !== typeIs)
      changes.push({ field: field.name, change: 'retyped', before: typeWas, after: typeIs });
    if (was.optional !== field.optional) {
      changes.push({
        field: field.name,
        change: 'optional',
        before: yesNo(was.optional),
        after: yesNo(field.optional),
      });
    }
    const [defaultWas, defaultIs] = [defaultText(was), defaultText(field)];
    if (defaultWas !== defaultIs) {
      changes.push({ field: field.name, change: 'default', before: defaultWas, after: defaultIs });
    }
  }
  const kept = new Set(after.map((f) => f.name));
  for (const field of before) {
    if (!kept.has(field.name))
      changes.push({ field: field.name, change: 'removed', before: inputText(field), after: null });
  }
  return changes;
}

const refOf = ({ step }: PlacedStep): StepRef => ({
  step: step.id,
  kind: step.kind,
  summary: stepSummary(step),
});

export function diffProcess(before: ProcessIR | null, after: ProcessIR | null): ProcessDiff {
  const name = after?.name ?? before?.name ?? '';
  const was = before === null ? new Map<string, PlacedStep>() : stepsOf(before);
  const is = after === null ? new Map<string, PlacedStep>() : stepsOf(after);
  const addedSteps = [...is.entries()].filter(([id]) => !was.has(id)).map(([, s]) => refOf(s));
  const removedSteps = [...was.entries()].filter(([id]) => !is.has(id)).map(([, s]) => refOf(s));
  const changes = [...is.entries()].flatMap(([id, s]) => {
    const old = was.get(id);
    return old === undefined ? [] : stepChanges(id, old, s);
  });
  const inputs = inputChanges(before?.input ?? [], after?.input ?? []);
  const status =
    before === null
      ? 'added'
      : after === null
        ? 'removed'
        : addedSteps.length + removedSteps.length + changes.length + inputs.length === 0
          ? 'same'
          : 'changed';
  return { name, status, inputs, addedSteps, removedSteps, changes };
}

/** Named things of one kind compared by their words. */
function definitionChanges(
  kind: DefinitionChange['kind'],
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): DefinitionChange[] {
  const changes: DefinitionChange[] = [];
  for (const [name, text] of after) {
    const was = before.get(name);
    if (was === undefined) changes.push({ kind, name, status: 'added', before: null, after: text });
    else if (was !== text) changes.push({ kind, name, status: 'changed', before: was, after: text });
  }
  for (const [name, text] of before) {
    if (!after.has(name)) changes.push({ kind, name, status: 'removed', before: text, after: null });
  }
  return changes;
}

function definitionsOf(ir: PolicyIR) {
  return {
    policy: new Map([
      ['effective', ir.policy.effective],
      ['owner', ir.policy.owner ?? NONE],
    ]),
    rule: new Map(
      ir.rules.map((r) => [
        r.name,
        `${sourceOf(r.condition)}${r.because === null ? '' : ` because "${r.because}"`}`,
      ]),
    ),
    role: new Map(ir.roles.map((r) => [r.name, approversText(r.members)])),
    calendar: new Map(
      ir.calendars.map((c) => [
        c.name,
        `${c.timezone}; ${c.hours.map((h) => `${h.day} ${h.from}-${h.to}`).join(', ')}; ` +
          `${c.holidays.length} holiday${c.holidays.length === 1 ? '' : 's'}`,
      ]),
    ),
  };
}

/** What changed from `before` to `after` (any two versions, either order; the same one gives no change). */
export function diffPolicies(before: PolicyIR, after: PolicyIR): PolicyDiff {
  const [was, is] = [definitionsOf(before), definitionsOf(after)];
  const definitions = (['policy', 'role', 'rule', 'calendar'] as const).flatMap((kind) =>
    definitionChanges(kind, was[kind], is[kind]),
  );
  const old = new Map(before.processes.map((p) => [p.name, p]));
  const names = [...new Set([...after.processes.map((p) => p.name), ...before.processes.map((p) => p.name)])];
  const current = new Map(after.processes.map((p) => [p.name, p]));
  const processes = names
    .sort((a, b) => a.localeCompare(b))
    .map((name) => diffProcess(old.get(name) ?? null, current.get(name) ?? null));
  return { definitions, processes };
}
