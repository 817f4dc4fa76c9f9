// The process an instance runs, drawn: each step in its place with its state (done, current,
// failed, skipped, pending) by colour and by mark, the path the run took drawn dark, a legend, and
// the same steps as a list for screen readers and keyboards (the picture is one image to them).
// On a narrow screen the drawing shrinks to fit, down to three quarters of its size; beyond that
// it scrolls inside its own box, never the page.
import { useId, useMemo } from 'react';
import { STATE_MARK, STATE_ORDER, STATE_WORD, kindWord, nodeName } from './format.js';
import { FONT, layoutDiagram, type Measure } from './diagram-layout.js';
import { ArrowMarkers, DiagramEdge, DiagramNode } from './DiagramShapes.js';
import type { GraphEdge, GraphNode, InstanceGraph, StepState } from './reads.js';
import { SourceLink } from './SourceExcerpt.js';

const SMALLEST_SCALE = 0.75;

let canvas: CanvasRenderingContext2D | null | undefined;

/** Text widths from a canvas in the page's own fonts; an estimate where there is no canvas. */
export const measure: Measure = (text, font) => {
  if (canvas === undefined) canvas = document.createElement('canvas').getContext('2d');
  if (canvas === null) return text.length * 7.5;
  canvas.font = font;
  return canvas.measureText(text).width;
};

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
  const arrow = `arrow${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const { nodes, edges } = graph.graph;
  const layout = useMemo(() => layoutDiagram(nodes, edges, measure), [nodes, edges]);
  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n] as const)), [nodes]);
  const summary = stateSummary(nodes);
  return (
    <div className="diagram">
      <Legend />
      <div
        className="diagram-scroll"
        tabIndex={0}
        role="group"
        aria-label="Process diagram, scrolls when wider than the screen"
      >
        <svg
          role="img"
          aria-label={`Diagram of ${graph.process}: ${summary}`}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          width={layout.width}
          height={layout.height}
          style={{
            width: '100%',
            height: 'auto',
            maxWidth: layout.width,
            minWidth: Math.round(layout.width * SMALLEST_SCALE),
          }}
        >
          <ArrowMarkers arrow={arrow} />
          {layout.edges.map((placed, i) => (
            <DiagramEdge
              key={`${placed.edge.from}>${placed.edge.to}#${i}`}
              placed={placed}
              taken={taken(placed.edge, byId)}
              arrow={arrow}
            />
          ))}
          {layout.nodes.map((placed) => (
            <DiagramNode key={placed.node.id} placed={placed} />
          ))}
        </svg>
      </div>
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
