// The studio's preview, kept pure: the draft compiled in the page (dsl/ compileEntry, the code
// the server runs on publish), one process of it as the flow graph the instance page draws
// (engine/graph), and how each node is marked once the tests have run: covered (the step ran and
// every way it can go was taken), partly covered (it ran, some way was not taken), or not covered
// (no scenario reached it). Marks and words say it, so colour is never the only sign.
import { compileEntry, memoryHost } from '../../../../dsl/index.js';
import { processGraph } from '../../../../engine/graph/index.js';
import type { CompiledPolicy, ProcessIR } from '../../../../engine/ir/types.js';
import { type CoveragePoint, coveragePoints } from '../../../../engine/simulate/index.js';
import type { NodeLook } from '../instance/DiagramShapes.js';
import type { GraphEdge, GraphNode } from '../instance/reads.js';
import type { Draft } from './draft.js';
import type { TestReport } from './tests-run.js';

/** The draft's compiled policy, or null while it has errors (the checker lists them). */
export function compileDraft(draft: Pick<Draft, 'entry' | 'files'>): CompiledPolicy | null {
  try {
    return compileEntry(draft.entry, memoryHost(draft.files)).compiled;
  } catch {
    // A compiler fault on half-typed text must not take the page down; the checker still speaks.
    return null;
  }
}

export interface PreviewGraph {
  process: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** A process as the diagram draws it: the instance page's node shape, with no run state. */
export function previewGraph(process: ProcessIR): PreviewGraph {
  const graph = processGraph(process);
  return {
    process: process.name,
    nodes: graph.nodes.map((n): GraphNode => ({ ...n, state: 'pending', outcome: null })),
    edges: graph.edges,
  };
}

export type CoverageTone = 'covered' | 'partial' | 'uncovered' | 'untested';

export const COVERAGE_ORDER: readonly Exclude<CoverageTone, 'untested'>[] = [
  'covered',
  'partial',
  'uncovered',
];

export const COVERAGE_LOOK: Record<CoverageTone, NodeLook> = {
  covered: { tone: 'covered', mark: '✓', word: 'covered by the tests' },
  partial: { tone: 'partial', mark: '◐', word: 'partly covered: some way it can go was not tested' },
  uncovered: { tone: 'uncovered', mark: '✕', word: 'not covered by any test' },
  untested: { tone: 'untested', mark: '', word: 'tests not run' },
};

export const COVERAGE_WORD: Record<Exclude<CoverageTone, 'untested'>, string> = {
  covered: 'covered',
  partial: 'partly covered',
  uncovered: 'not covered',
};

/** The same marks after a Try-it run, in its words: reached, not every way, not reached. */
export const REACHED_LOOK: Record<CoverageTone, NodeLook> = {
  covered: { tone: 'covered', mark: '✓', word: 'reached by the Try-it run' },
  partial: { tone: 'partial', mark: '◐', word: 'reached; the run did not take every way it can go' },
  uncovered: { tone: 'uncovered', mark: '✕', word: 'not reached by the Try-it run' },
  untested: { tone: 'untested', mark: '', word: 'not run' },
};

export const REACHED_WORD: Record<Exclude<CoverageTone, 'untested'>, string> = {
  covered: 'reached',
  partial: 'reached, not every way',
  uncovered: 'not reached',
};

/** A Try-it run as the preview marks it: the steps and branches it reached, on which draft. */
export interface TriedRun {
  name: string;
  process: string;
  /** Coverage keys, `process/step` and `process/step: branch`. */
  reached: ReadonlySet<string>;
  /** The sha256 of the draft it ran on. */
  policy: string;
}

/** A Try-it run read as a report of one scenario, so the diagram marks it as it marks the tests'. */
export function triedReport(policy: CompiledPolicy, tried: TriedRun): TestReport {
  const points = coveragePoints(policy);
  const ratio = (of: readonly CoveragePoint[]) => ({
    covered: of.filter((p) => tried.reached.has(p.key)).length,
    total: of.length,
  });
  return {
    scenarios: [{ at: 'Try it', name: tried.name, passed: true, failures: [] }],
    steps: ratio(points.steps),
    branches: ratio(points.branches),
    covered: tried.reached,
    stepPoints: points.steps,
    branchPoints: points.branches,
    uncovered: [...points.steps, ...points.branches].filter((p) => !tried.reached.has(p.key)),
  };
}

/** Start, joins and the implicit end are where the flow goes, not steps a test can cover. */
const isStepNode = (node: GraphNode): boolean => !node.id.startsWith('#');

/** The tone of each node of `process` after `report` (all untested without a report). */
export function coverageTones(
  nodes: readonly GraphNode[],
  process: string,
  report: TestReport | null,
): Map<string, CoverageTone> {
  const tones = new Map<string, CoverageTone>();
  for (const node of nodes) {
    if (report === null || !isStepNode(node)) {
      tones.set(node.id, 'untested');
      continue;
    }
    const key = `${process}/${node.id}`;
    const branches = report.branchPoints.filter((p) => p.process === process && p.step === node.id);
    const tone: CoverageTone = !report.covered.has(key)
      ? 'uncovered'
      : branches.every((b) => report.covered.has(b.key))
        ? 'covered'
        : 'partial';
    tones.set(node.id, tone);
  }
  return tones;
}

/** "7 steps: 5 covered, 1 partly covered, 1 not covered" (or in the Try-it run's words). */
export function coverageSummary(tones: ReadonlyMap<string, CoverageTone>, words = COVERAGE_WORD): string {
  const steps = [...tones.values()].filter((t) => t !== 'untested');
  const counts = COVERAGE_ORDER.map((tone) => [tone, steps.filter((t) => t === tone).length] as const)
    .filter(([, n]) => n > 0)
    .map(([tone, n]) => `${n} ${words[tone]}`);
  return `${steps.length} ${steps.length === 1 ? 'step' : 'steps'}: ${counts.join(', ')}`;
}
