// The drawn parts of a process diagram: a node in its shape (boxes for steps, pills for start and
// end, a diamond for a decision, a bar for a parallel block's fork and join) with its state's mark,
// and an edge with its arrowhead and label. Colours come from styles.css by state class; the mark
// (✓ ● ✕ – ○) says the same thing without colour.
import { STATE_MARK, STATE_WORD, kindWord, nodeName } from './format.js';
import {
  BOX_TEXT_LEFT,
  edgePath,
  FONT,
  PILL_TEXT_LEFT,
  type PlacedEdge,
  type PlacedNode,
} from './diagram-layout.js';

/**
 * How a node is marked when not by its run state (the studio marks test coverage): the class
 * suffix its colours come from (`diagram-<tone>`), its mark, and the word its tooltip says.
 */
export interface NodeLook {
  tone: string;
  mark: string;
  word: string;
}

/** What a mouse pointer shows on hover; screen readers get the step list instead. */
function tooltipOf(placed: PlacedNode, look: NodeLook | undefined): string {
  const { node } = placed;
  const outcome = node.outcome ? `: ${node.outcome}` : '';
  const word = look ? look.word : STATE_WORD[node.state];
  return `${nodeName(node)} (${kindWord(node.kind)}, line ${node.line}): ${word}${outcome}`;
}

export function DiagramNode({ placed, look }: { placed: PlacedNode; look?: NodeLook }) {
  const { node, x, y, width: w, height: h } = placed;
  const left = x - w / 2;
  const top = y - h / 2;
  const mark = look ? look.mark : STATE_MARK[node.state];
  const current = !look && node.state === 'current';
  return (
    <g className={`diagram-node diagram-${look ? look.tone : node.state} diagram-${placed.shape}`}>
      <title>{tooltipOf(placed, look)}</title>
      {current && placed.shape !== 'bar' ? (
        <rect
          className="diagram-halo"
          x={left - 5}
          y={top - 5}
          width={w + 10}
          height={h + 10}
          rx={placed.shape === 'box' ? 12 : (h + 10) / 2}
        />
      ) : null}
      {placed.shape === 'box' ? (
        <>
          <rect className="diagram-shape" x={left} y={top} width={w} height={h} rx={8} />
          <text
            className="diagram-mark"
            x={left + 12}
            y={y - 8}
            dominantBaseline="middle"
            style={{ font: FONT.name }}
          >
            {mark}
          </text>
          <text
            className="diagram-title"
            x={left + BOX_TEXT_LEFT}
            y={y - 8}
            dominantBaseline="middle"
            style={{ font: FONT.name }}
          >
            {placed.title}
          </text>
          <text
            className="diagram-detail"
            x={left + BOX_TEXT_LEFT}
            y={y + 11}
            dominantBaseline="middle"
            style={{ font: FONT.detail }}
          >
            {placed.detail}
          </text>
        </>
      ) : null}
      {placed.shape === 'pill' ? (
        <>
          <rect className="diagram-shape" x={left} y={top} width={w} height={h} rx={h / 2} />
          <text
            className="diagram-mark"
            x={left + 16}
            y={y}
            dominantBaseline="middle"
            style={{ font: FONT.name }}
          >
            {mark}
          </text>
          <text
            className="diagram-title"
            x={left + PILL_TEXT_LEFT}
            y={y}
            dominantBaseline="middle"
            style={{ font: FONT.name }}
          >
            {placed.title}
          </text>
        </>
      ) : null}
      {placed.shape === 'diamond' ? (
        <>
          <polygon
            className="diagram-shape"
            points={`${x},${top} ${left + w},${y} ${x},${top + h} ${left},${y}`}
          />
          <text
            className="diagram-mark"
            x={x}
            y={y + 1}
            textAnchor="middle"
            dominantBaseline="middle"
            style={{ font: FONT.name }}
          >
            {mark}
          </text>
        </>
      ) : null}
      {placed.shape === 'bar' ? (
        <>
          <rect className="diagram-shape" x={left} y={top} width={w} height={h} rx={3} />
          <text
            className="diagram-mark"
            x={left + w + 8}
            y={y + 1}
            dominantBaseline="middle"
            style={{ font: FONT.detail }}
          >
            {mark}
          </text>
        </>
      ) : null}
    </g>
  );
}

/** An edge the run went along is drawn dark; the others light, so the path taken stands out. */
export function DiagramEdge({ placed, taken, arrow }: { placed: PlacedEdge; taken: boolean; arrow: string }) {
  const label = placed.label;
  return (
    <g className={taken ? 'diagram-edge diagram-edge-taken' : 'diagram-edge'}>
      <path d={edgePath(placed.points)} markerEnd={`url(#${arrow}-${taken ? 'taken' : 'ahead'})`} />
      {label ? (
        <g className="diagram-edge-label">
          <title>{label.full}</title>
          <rect
            x={label.x - label.width / 2}
            y={label.y - label.height / 2}
            width={label.width}
            height={label.height}
            rx={4}
          />
          <text
            x={label.x}
            y={label.y + 1}
            textAnchor="middle"
            dominantBaseline="middle"
            style={{ font: FONT.label }}
          >
            {label.text}
          </text>
        </g>
      ) : null}
    </g>
  );
}

/** The two arrowheads (taken, ahead), once per diagram; ids carry `arrow` so two diagrams never clash. */
export function ArrowMarkers({ arrow }: { arrow: string }) {
  return (
    <defs>
      {(['taken', 'ahead'] as const).map((kind) => (
        <marker
          key={kind}
          id={`${arrow}-${kind}`}
          className={`diagram-arrow-${kind}`}
          viewBox="0 0 10 10"
          refX={9}
          refY={5}
          markerWidth={8}
          markerHeight={8}
          markerUnits="userSpaceOnUse"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" />
        </marker>
      ))}
    </defs>
  );
}
