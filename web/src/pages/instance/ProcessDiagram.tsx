// The process an instance runs, drawn: each step in its place with its state (done, current,
// failed, skipped, pending) by colour and by mark, the path the run took drawn dark, a legend, and
// the same steps as a list for screen readers and keyboards (the picture is one image to them).
// The drawing itself is DiagramCanvas (shared with the studio's preview).
import { useMemo } from 'react';
import { STATE_MARK, STATE_ORDER, STATE_WORD, kindWord, nodeName } from './format.js';
import { DiagramCanvas } from './DiagramCanvas.js';
import { FONT } from './diagram-layout.js';
import type { GraphEdge, GraphNode, InstanceGraph, StepState } from './reads.js';
import { SourceLink } from './SourceExcerpt.js';

/** Start and joins are where the flow is, not steps anybody counts. */
const isStep = (node: GraphNode): boolean => node.kind !== 'start' && node.kind !== 'join';

/** "9 steps: 3 done, 2 current, 4 pending". */
export function stateSummary(nodes: readonly GraphNode[]): string {
  const steps = nodes.filter(isStep);
  const counts = STATE_ORDER.map((state) => [state, steps.filter((n) => n.state === state).length] as const)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${STATE_WORD[state]}`);
  return `${steps.length} ${steps.length === 1 ? 'step' : 'steps'}: ${counts.join(', ')}`;
}

const REACHED: ReadonlySet<StepState> = new Set(['done', 'current', 'failed']);

/** The run went along an edge when it left a finished node for one it reached. */
function taken(edge: GraphEdge, byId: ReadonlyMap<string, GraphNode>): boolean {
  const from = byId.get(edge.from);
  const to = byId.get(edge.to);
  return from?.state === 'done' && to !== undefined && REACHED.has(to.state);
}

export function ProcessDiagram({ graph }: { graph: InstanceGraph }) {
  const { nodes, edges } = graph.graph;
  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n] as const)), [nodes]);
  const summary = stateSummary(nodes);
  return (
    <div className="diagram">
      <Legend />
      <DiagramCanvas
        process={graph.process}
        nodes={nodes}
        edges={edges}
        summary={summary}
        taken={(edge) => taken(edge, byId)}
      />
      <p className="diagram-summary">{summary}.</p>
      <StepList nodes={nodes} />
    </div>
  );
}

function Legend() {
  return (
    <ul className="diagram-legend" aria-label="What the marks mean">
      {STATE_ORDER.map((state) => (
        <li key={state} className={`legend-${state}`}>
          <span className="legend-swatch" aria-hidden="true" style={{ font: FONT.detail }}>
            {STATE_MARK[state]}
          </span>
          {STATE_WORD[state]}
        </li>
      ))}
    </ul>
  );
}

/** Every node in policy order with its state in words, and a link to its line of the policy. */
function StepList({ nodes }: { nodes: readonly GraphNode[] }) {
  return (
    <details className="diagram-steps">
      <summary>The steps as a list</summary>
      <ol>
        {nodes.map((node) => (
          <li key={node.id} className={`step-${node.state}`}>
            <div>
              <span className="step-mark" aria-hidden="true">
                {STATE_MARK[node.state]}
              </span>{' '}
              <strong>{nodeName(node)}</strong> <span className="step-kind">({kindWord(node.kind)})</span>:{' '}
              {STATE_WORD[node.state]}
              {node.outcome ? `, ${node.outcome}` : ''}
              {node.branch ? <span className="step-kind"> · branch {node.branch}</span> : null}
            </div>
            <SourceLink place={{ processLine: node.line }} label={`line ${node.line}`} />
          </li>
        ))}
      </ol>
    </details>
  );
}
