// The studio's preview, kept pure: the draft compiled in the page (dsl/ compileEntry, the code
// the server runs on publish), one process of it as the flow graph the instance page draws
// (engine/graph), and how each node is marked once the tests have run: covered (the step ran and
// every way it can go was taken), partly covered (it ran, some way was not taken), or not covered
// (no scenario reached it). Marks and words say it, so colour is never the only sign.
import { compileEntry, memoryHost } from '../../../../dsl/index.js';
import { processGraph } from '../../../../engine/graph/index.js';
import type { CompiledPolicy, ProcessIR } from '../../../../engine/ir/types.js';
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

/** "7 steps: 5 covered, 1 partly covered, 1 not covered". */
export function coverageSummary(tones: ReadonlyMap<string, CoverageTone>): string {
  const steps = [...tones.values()].filter((t) => t !== 'untested');
  const counts = COVERAGE_ORDER.map((tone) => [tone, steps.filter((t) => t === tone).length] as const)
    .filter(([, n]) => n > 0)
    .map(([tone, n]) => `${n} ${COVERAGE_WORD[tone]}`);
  return `${steps.length} ${steps.length === 1 ? 'step' : 'steps'}: ${counts.join(', ')}`;
}
