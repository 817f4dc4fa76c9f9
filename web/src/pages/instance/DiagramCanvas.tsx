// The drawing of a process diagram, shared by the instance page (steps by run state) and the
// studio's preview (steps by test coverage): the laid-out graph as one SVG image that shrinks to
// fit a narrow screen down to three quarters of its size and scrolls inside its own box beyond
// that, never the page. What differs between the two is passed in: which edges the run took, and
// how each node is marked.
import { useId, useMemo } from 'react';
import { layoutDiagram, type Measure, type PlacedEdge } from './diagram-layout.js';
import { ArrowMarkers, DiagramEdge, DiagramNode, type NodeLook } from './DiagramShapes.js';
import type { GraphEdge, GraphNode } from './reads.js';

const SMALLEST_SCALE = 0.75;

let canvas: CanvasRenderingContext2D | null | undefined;

/** Text widths from a canvas in the page's own fonts; an estimate where there is no canvas. */
export const measure: Measure = (text, font) => {
  if (canvas === undefined) canvas = document.createElement('canvas').getContext('2d');
  if (canvas === null) return text.length * 7.5;
  canvas.font = font;
  return canvas.measureText(text).width;
};

interface Props {
  process: string;
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
  /** The image's description after the process name, e.g. "9 steps: 3 done, 6 pending". */
  summary: string;
  /** Whether an edge is drawn as the path taken (dark). */
  taken?: (edge: PlacedEdge['edge']) => boolean;
  /** A node's marks when not its run state (the studio's coverage). */
  lookOf?: (node: GraphNode) => NodeLook | undefined;
}

export function DiagramCanvas({ process, nodes, edges, summary, taken, lookOf }: Props) {
  const arrow = `arrow${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const layout = useMemo(() => layoutDiagram(nodes, edges, measure), [nodes, edges]);
  return (
    <div
      className="diagram-scroll"
      tabIndex={0}
      role="group"
      aria-label="Process diagram, scrolls when wider than the screen"
    >
      <svg
        role="img"
        aria-label={`Diagram of ${process}: ${summary}`}
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
            taken={taken?.(placed.edge) ?? false}
            arrow={arrow}
          />
        ))}
        {layout.nodes.map((placed) => {
          const look = lookOf?.(placed.node);
          return look === undefined ? (
            <DiagramNode key={placed.node.id} placed={placed} />
          ) : (
            <DiagramNode key={placed.node.id} placed={placed} look={look} />
          );
        })}
      </svg>
    </div>
  );
}
