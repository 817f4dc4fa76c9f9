// The scenario builder's form and what it becomes: a PMO author fills in who starts which process
// when, with what input, in which world, and what people do after (acts), and this turns it into
// the simulator's own Scenario, checked with its own schema (engine/simulate scenarioSchema) and
// the input with engine/input, so that every problem comes back keyed by the form field that shows
// it (`start`, `input.budget`, `groups.cab`, `acts.<id>.as`). Pure: no DOM, no React, unit-tested.
import type { CompiledPolicy, ProcessIR, StepIR } from '../../../../../engine/ir/types.js';
import { parseTime, type Scenario, scenarioSchema } from '../../../../../engine/simulate/index.js';
import { checkForm, type FormValues, initialValues, toApiInput } from '../../start/form-values.js';
import type { TestDefaults } from './tests-file.js';

/** What an act does: time passing, or one of the script's actions. */
export type ActKind =
  'wait' | 'approve' | 'reject' | 'requestChanges' | 'attest' | 'waive' | 'check' | 'cancel';

export const ACT_LABELS: Record<ActKind, string> = {
  wait: 'Time passes',
  approve: 'Approve',
  reject: 'Reject',
  requestChanges: 'Request changes',
  attest: 'Attest',
  waive: 'Waive a failed check',
  check: 'A check service answers',
  cancel: 'Cancel the request',
};

export const ACT_KINDS = Object.keys(ACT_LABELS) as ActKind[];

export type CheckOutcome = 'passed' | 'failed' | 'error';

/** One act as the form holds it: every part as typed; the kind decides which parts count. */
export interface ActForm {
  /** Stable while the act is edited and moved: it keys its fields and their problems. */
  id: string;
  kind: ActKind;
  /** `wait`: `+2h`, `+3d`, or a local `2026-03-03 10:00`. */
  at: string;
  step: string;
  as: string;
  /** The reason of a decision, waiver or cancellation; an attestation's evidence. */
  reason: string;
  outcome: CheckOutcome;
}

export interface ScenarioForm {
  name: string;
  process: string;
  startedBy: string;
  /** As a datetime-local control holds it: `2026-03-02T09:00`, in the scenario's zone. */
  start: string;
  values: FormValues;
  /** Group name to its people as typed: separated by commas or lines. */
  groups: Record<string, string>;
  /** `person: manager`, one a line. */
  managers: string;
  acts: ActForm[];
}

export interface ScenarioProblem {
  /** The form field it belongs to; '' for the scenario as a whole. */
  key: string;
  message: string;
}

export type Built = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

/** Every step of `steps`, nested ones (branches of `if` and `parallel`) included, in source order. */
function allSteps(steps: readonly StepIR[]): StepIR[] {
  return steps.flatMap((s): StepIR[] =>
    s.kind === 'if'
      ? [s, ...allSteps([...s.branches.flatMap((b) => b.steps), ...s.otherwise])]
      : s.kind === 'parallel'
        ? [s, ...allSteps(s.branches.flatMap((b) => b.steps))]
        : [s],
  );
}

/** The steps an act of `kind` can name in `process`: approvals for decisions, checks for answers. */
export function stepsFor(process: ProcessIR, kind: ActKind): string[] {
  const fits = (s: StepIR): boolean => {
    switch (kind) {
      case 'approve':
      case 'reject':
      case 'requestChanges':
        return s.kind === 'approve';
      case 'attest':
        return s.kind === 'check' && s.check.kind === 'attest';
      case 'check':
        return s.kind === 'check' && s.check.kind === 'external';
      case 'waive':
        return s.kind === 'check' && s.onFail.action === 'waiver';
      default:
        return false;
    }
  };
  return allSteps(process.steps)
    .filter(fits)
    .map((s) => s.id);
}

/** The acts this process offers: time, cancelling, and each action some step of it takes. */
export const actKindsFor = (process: ProcessIR): ActKind[] =>
  ACT_KINDS.filter((k) => k === 'wait' || k === 'cancel' || stepsFor(process, k).length > 0);

/** Walks the IR for people references: the groups it names and whether it asks for managers. */
function references(policy: CompiledPolicy): { groups: string[]; managers: boolean } {
  const groups = new Set<string>();
  let managers = false;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record['kind'] === 'group' && typeof record['group'] === 'string') groups.add(record['group']);
    if (record['kind'] === 'managerOf') managers = true;
    Object.values(record).forEach(visit);
  };
  visit(policy.ir.roles);
  visit(policy.ir.processes);
  return { groups: [...groups].sort(), managers };
}

export const policyGroups = (policy: CompiledPolicy): string[] => references(policy).groups;
export const usesManagers = (policy: CompiledPolicy): boolean => references(policy).managers;

/** `2026-03-02 09:00` (a test file's start) as a datetime-local value, or '' if it is not one. */
export function startControlValue(text: string | undefined): string {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})$/.exec(text?.trim() ?? '');
  return match ? `${match[1]}T${match[2]}` : '';
}

/** A new act, numbered after the highest in the form: ids only need to be unique within it. */
export function newAct(kind: ActKind, existing: readonly ActForm[], process: ProcessIR | undefined): ActForm {
  const highest = Math.max(0, ...existing.map((a) => Number(/^act(\d+)$/.exec(a.id)?.[1] ?? 0)));
  const step = process ? (stepsFor(process, kind)[0] ?? '') : '';
  return {
    id: `act${highest + 1}`,
    kind,
    at: kind === 'wait' ? '+1d' : '',
    step,
    as: '',
    reason: '',
    outcome: 'passed',
  };
}

/** A first form: the policy's first process, the test file's start and world, or now. */
export function newForm(
  policy: CompiledPolicy,
  process: string | undefined,
  startedBy: string,
  defaults: TestDefaults,
  now: string,
): ScenarioForm {
  const chosen = policy.ir.processes.find((p) => p.name === process) ?? policy.ir.processes[0];
  const world = defaults.world;
  const groups: Record<string, string> = {};
  for (const g of policyGroups(policy)) groups[g] = (world.groups[g] ?? []).join(', ');
  return {
    name: `${chosen?.name ?? 'process'} in the studio`,
    process: chosen?.name ?? '',
    startedBy,
    start: startControlValue(defaults.start) || now,
    values: chosen ? initialValues(chosen.input) : {},
    groups,
    managers: Object.entries(world.managers)
      .map(([person, manager]) => `${person}: ${manager}`)
      .join('\n'),
    acts: [],
  };
}

const people = (text: string): string[] =>
  text
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');

function managersOf(text: string, problems: ScenarioProblem[]): Record<string, string> {
  const managers: Record<string, string> = {};
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const match = /^\s*([^:]+?)\s*:\s*(\S.*?)\s*$/.exec(line);
    if (match) managers[match[1] ?? ''] = match[2] ?? '';
    else problems.push({ key: 'managers', message: `line ${i + 1}: write it as "person: their manager"` });
  }
  return managers;
}

const optional = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());

/** The script entry of an act; empty parts are left out so the schema names what is missing. */
function entryOf(act: ActForm): Record<string, unknown> {
  const as = optional(act.as);
  const actor = as === undefined ? {} : { as };
  const reason = optional(act.reason);
  switch (act.kind) {
    case 'wait':
      return { at: act.at.trim() };
    case 'approve':
    case 'reject':
    case 'requestChanges':
      return { [act.kind]: act.step, ...actor, ...(reason === undefined ? {} : { reason }) };
    case 'attest':
      return { attest: act.step, ...actor, ...(reason === undefined ? {} : { evidence: reason }) };
    case 'waive':
      return { waive: act.step, ...actor, reason: reason ?? '' };
    case 'check':
      return { check: act.step, outcome: act.outcome };
    case 'cancel':
      return { cancel: reason ?? '', ...actor };
  }
}

/** The form field a script entry's member is typed in. */
const ACT_FIELD: Record<string, keyof ActForm> = {
  at: 'at',
  as: 'as',
  approve: 'step',
  reject: 'step',
  requestChanges: 'step',
  attest: 'step',
  waive: 'step',
  check: 'step',
  outcome: 'outcome',
  reason: 'reason',
  evidence: 'reason',
  cancel: 'reason',
};

/** The form key of a problem the schema found at `path` of the scenario. */
function keyOf(path: readonly PropertyKey[], form: ScenarioForm): string {
  const [top, second] = path;
  if (top === 'script' && typeof second === 'number') {
    const act = form.acts[second];
    const member = path[2];
    const field =
      typeof member === 'string' ? (ACT_FIELD[member] ?? 'kind') : act?.kind === 'wait' ? 'at' : 'step';
    return act ? `acts.${act.id}.${field}` : '';
  }
  if (top === 'world') return path[1] === 'groups' ? `groups.${String(path[2])}` : 'managers';
  return typeof top === 'string' ? top : '';
}

/** An empty text where one is required reads better as "required" than as a length. */
const said = (issue: { code: string; message: string }): string =>
  issue.code === 'too_small' && (issue as { minimum?: unknown }).minimum === 1 ? 'required' : issue.message;

/** Keys that differ from the file's world: a scenario names only what it changes. */
function changed<T>(mine: Record<string, T>, file: Record<string, T>): Record<string, T> | undefined {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(mine)) if (JSON.stringify(file[k]) !== JSON.stringify(v)) out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The Scenario the form describes, or every problem with it at its field. */
export function buildScenario(policy: CompiledPolicy, form: ScenarioForm, defaults: TestDefaults): Built {
  const problems: ScenarioProblem[] = [];
  const process = policy.ir.processes.find((p) => p.name === form.process);
  if (!process) return { ok: false, problems: [{ key: 'process', message: 'choose a process' }] };
  const input = checkForm(process, process.input, form.values);
  problems.push(...input.map((p) => ({ key: `input.${p.key}`, message: p.message })));
  const start = form.start.replace('T', ' ').trim();
  if (start === '') problems.push({ key: 'start', message: 'required' });
  else if (typeof parseTime(start, 0, defaults.timezone) === 'string' || start.startsWith('+'))
    problems.push({ key: 'start', message: 'a date and time, like 2026-03-02 09:00' });
  for (const act of form.acts) {
    if (act.kind !== 'wait') continue;
    const at = parseTime(act.at, 0, defaults.timezone);
    if (act.at.trim() === '') problems.push({ key: `acts.${act.id}.at`, message: 'required' });
    else if (typeof at === 'string') problems.push({ key: `acts.${act.id}.at`, message: at });
  }
  const groups: Record<string, string[]> = {};
  for (const [group, text] of Object.entries(form.groups)) groups[group] = people(text);
  const managers = managersOf(form.managers, problems);
  const world = {
    ...(changed(groups, defaults.world.groups) ? { groups: changed(groups, defaults.world.groups) } : {}),
    ...(changed(managers, defaults.world.managers)
      ? { managers: changed(managers, defaults.world.managers) }
      : {}),
  };
  const candidate = {
    name: form.name.trim(),
    process: form.process,
    start,
    startedBy: form.startedBy.trim(),
    // What the start form would send, so that defaults stay the machine's to apply.
    input: toApiInput(process.input, form.values).input,
    ...(Object.keys(world).length > 0 ? { world } : {}),
    script: form.acts.map(entryOf),
  };
  const parsed = scenarioSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push({ key: keyOf(issue.path, form), message: said(issue) });
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  // The world as written: parsing fills every member of a partial world with its empty default,
  // which would only clutter the test file the scenario may be added to.
  const scenario: Scenario = { ...parsed.data };
  delete scenario.world;
  if (Object.keys(world).length > 0) scenario.world = world;
  return { ok: true, scenario };
}
