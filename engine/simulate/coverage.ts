// Step and branch coverage of a policy by its tests, like `opa test --coverage` for Rego: which
// steps ran, and which way each decision point went. A decision point is an `if` (each arm and
// the else, written or not), an approval (approved, rejected, and its timeout when it has one), a
// check (passed, failed, and waived when a waiver may be granted) and a reallocation (allocated,
// insufficient capacity). Covered points are read off what a simulation did, never guessed.
import type { CompiledPolicy, SourceSpan, StepIR } from '../ir/types.js';
import type { MachineState } from '../machine/index.js';

export interface CoveragePoint {
  /** `process/step` for a step, `process/step: branch` for a branch. */
  key: string;
  process: string;
  step: string;
  branch: string | null;
  span: SourceSpan;
}

export interface PolicyPoints {
  steps: CoveragePoint[];
  branches: CoveragePoint[];
}

export function coveragePoints(policy: CompiledPolicy): PolicyPoints {
  const points: PolicyPoints = { steps: [], branches: [] };
  for (const process of policy.ir.processes) {
    walkSteps(process.steps, (step) => {
      points.steps.push(point(process.name, step, null, step.span));
      for (const [branch, span] of branchesOf(step))
        points.branches.push(point(process.name, step, branch, span));
    });
  }
  return points;
}

function point(process: string, step: StepIR, branch: string | null, span: SourceSpan): CoveragePoint {
  const key = branch === null ? `${process}/${step.id}` : `${process}/${step.id}: ${branch}`;
  return { key, process, step: step.id, branch, span };
}

function branchesOf(step: StepIR): [string, SourceSpan][] {
  switch (step.kind) {
    case 'if':
      return [
        ...step.branches.map((b, i): [string, SourceSpan] => [`branch ${i + 1}`, b.span]),
        ['else', step.span],
      ];
    case 'approve':
      return [
        ['approved', step.span],
        ['rejected', step.span],
        ...(step.onTimeout ? [['timeout', step.onTimeout.span] as [string, SourceSpan]] : []),
      ];
    case 'check':
      return [
        ['passed', step.span],
        ['failed', step.span],
        ...(step.onFail.action === 'waiver' ? [['waived', step.span] as [string, SourceSpan]] : []),
      ];
    case 'reallocate':
      return [
        ['allocated', step.span],
        ['insufficient', step.span],
      ];
    default:
      return [];
  }
}

/** What coverage reads of a simulation (simulation.ts's Simulation has it). */
export interface SimulationRun {
  state: MachineState;
  fired: readonly { step: string; purpose: string }[];
  outcomes: readonly (readonly [step: string, branch: string])[];
}

/** The keys of every point a finished (or stopped) simulation went through. */
export function coveredBy(simulation: SimulationRun): Set<string> {
  const covered = new Set<string>();
  const process = simulation.state.process;
  const add = (step: string, branch: string | null) =>
    covered.add(branch === null ? `${process}/${step}` : `${process}/${step}: ${branch}`);
  // An `end` ends the process (or its branch) in a decision about the process, citing the span
  // of the `end`: that span says which one ran.
  const ends = new Map<string, string>();
  const processIR = simulation.state.policy.ir.processes.find((p) => p.name === process);
  walkSteps(processIR?.steps ?? [], (step) => {
    if (step.kind === 'end') ends.set(spanKey(step.span), step.id);
  });
  for (const decision of simulation.state.decisions) {
    const end = decision.span ? ends.get(spanKey(decision.span)) : undefined;
    if (end !== undefined) add(end, null);
    if (decision.step === null) continue;
    add(decision.step, null);
    if (decision.branch !== undefined) add(decision.step, decision.branch);
  }
  for (const fired of simulation.fired) if (fired.purpose === 'sla') add(fired.step, 'timeout');
  for (const [stepId, outcome] of simulation.outcomes) add(stepId, outcome);
  return covered;
}

const spanKey = (span: SourceSpan): string =>
  `${span.file}:${span.line}:${span.col}:${span.endLine}:${span.endCol}`;

function walkSteps(steps: readonly StepIR[], visit: (step: StepIR) => void): void {
  for (const step of steps) {
    visit(step);
    if (step.kind === 'if') {
      for (const arm of step.branches) walkSteps(arm.steps, visit);
      walkSteps(step.otherwise, visit);
    } else if (step.kind === 'parallel') {
      for (const arm of step.branches) walkSteps(arm.steps, visit);
    }
  }
}

/** The coverage branch a step result stands for, if it is a final one. */
export function outcomeBranch(result: Record<string, unknown>): string | null {
  if (typeof result['approved'] === 'boolean' && typeof result['outcome'] === 'string') {
    const outcome = result['outcome'];
    return outcome === 'approved' || outcome === 'approved by timeout' ? 'approved' : 'rejected';
  }
  if (typeof result['passed'] === 'boolean') {
    if (result['passed'] === true) return 'passed';
    return result['waived'] === true ? 'waived' : 'failed';
  }
  if (typeof result['allocated'] === 'boolean') return result['allocated'] ? 'allocated' : 'insufficient';
  return null;
}
