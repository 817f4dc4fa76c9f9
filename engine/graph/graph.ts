// A process as a flow graph, for people to look at: a start node, a node per step, `if` as a
// decision with an edge per branch, `parallel` as a fork and a join with each branch's steps
// chained between them, and an end. Built from the IR alone (no source text, no clock), so the
// console draws exactly the process the engine runs, and the API can lay an instance's progress
// over the same nodes.
//
// Node ids are the step ids (unique within a process); the nodes the IR has no step for get ids
// with `#`, which no step id can contain (ids are identifiers): `#start`, `#end` (the implicit end
// of a process that runs off its last step) and `#join:<parallel step id>`.
import { sourceOf } from '../expr/index.js';
import type { IfStepIR, ProcessIR, StepIR } from '../ir/types.js';

export type GraphNodeKind =
  'start' | 'approve' | 'check' | 'reallocate' | 'notify' | 'wait' | 'end' | 'decision' | 'fork' | 'join';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  /** The step id; for the nodes without a step, what they stand for. */
  label: string;
  /** The policy line the node comes from (1-based, in the file of the process). */
  line: number;
  /** The id of the innermost `parallel` branch the node runs in, or null outside any. */
  branch: string | null;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** An `if` branch's condition as policy text, `otherwise`, or a parallel branch's id; else null. */
  label: string | null;
}

export interface ProcessGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const START_NODE = '#start';
/** Where a process that runs off its last step ends (approved, as the engine ends it). */
export const IMPLICIT_END_NODE = '#end';
export const joinNodeOf = (parallelStep: string): string => `#join:${parallelStep}`;

/** The label of an `if`'s fall-through edge. */
export const OTHERWISE = 'otherwise';

const KIND_OF: Record<StepIR['kind'], GraphNodeKind> = {
  approve: 'approve',
  check: 'check',
  reallocate: 'reallocate',
  notify: 'notify',
  wait: 'wait',
  end: 'end',
  if: 'decision',
  parallel: 'fork',
};

/** An edge still to be drawn: from a node that the flow leaves, to whatever comes next. */
interface Exit {
  from: string;
  label: string | null;
}

/** The labels of an `if`'s edges, branch by branch: each condition as a reader of the policy writes it. */
export const branchLabels = (step: IfStepIR): string[] =>
  step.branches.map((branch, i) => {
    const text = sourceOf(branch.condition).trim();
    return text === '' ? `branch ${i + 1}` : text;
  });

class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];

  node(id: string, kind: GraphNodeKind, label: string, line: number, branch: string | null): void {
    this.nodes.push({ id, kind, label, line, branch });
  }

  connect(exits: readonly Exit[], to: string): void {
    for (const exit of exits) this.edges.push({ from: exit.from, to, label: exit.label });
  }

  /**
   * Chains `steps` after `entries` and returns the exits the flow leaves the block by (none when
   * every path ends). A step after a terminal one still gets its node, without an edge into it.
   */
  sequence(steps: readonly StepIR[], entries: readonly Exit[], branch: string | null): Exit[] {
    let exits: readonly Exit[] = entries;
    for (const step of steps) {
      this.connect(exits, step.id);
      exits = this.step(step, branch);
    }
    return [...exits];
  }

  private step(step: StepIR, branch: string | null): Exit[] {
    this.node(step.id, KIND_OF[step.kind], step.id, step.span.line, branch);
    switch (step.kind) {
      case 'end':
        return [];
      case 'if': {
        const labels = branchLabels(step);
        const exits = step.branches.flatMap((b, i) =>
          this.sequence(b.steps, [{ from: step.id, label: labels[i] ?? null }], branch),
        );
        exits.push(...this.sequence(step.otherwise, [{ from: step.id, label: OTHERWISE }], branch));
        return exits;
      }
      case 'parallel': {
        const join = joinNodeOf(step.id);
        const arriving = step.branches.flatMap((b) =>
          this.sequence(b.steps, [{ from: step.id, label: b.id }], b.id),
        );
        this.node(join, 'join', `${step.id} joined`, step.span.endLine, branch);
        this.connect(arriving, join);
        // Every branch ended the process: nothing flows on past the join.
        return arriving.length === 0 ? [] : [{ from: join, label: null }];
      }
      default:
        return [{ from: step.id, label: null }];
    }
  }
}

/** The flow graph of `process`: nodes in policy order (start first), edges in flow order. */
export function processGraph(process: ProcessIR): ProcessGraph {
  const builder = new GraphBuilder();
  builder.node(START_NODE, 'start', process.name, process.span.line, null);
  const exits = builder.sequence(process.steps, [{ from: START_NODE, label: null }], null);
  if (exits.length > 0) {
    builder.node(IMPLICIT_END_NODE, 'end', 'end of process', process.span.endLine, null);
    builder.connect(exits, IMPLICIT_END_NODE);
  }
  return { nodes: builder.nodes, edges: builder.edges };
}
