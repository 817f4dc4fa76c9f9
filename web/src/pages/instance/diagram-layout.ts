// Where each node and edge of a process diagram goes: dagre ranks the graph top to bottom, puts the
// successors of a fork (a parallel block's branches) and of a decision side by side, and routes the
// edges with room for their labels. Sizes come from the measured texts, so a long step name gets
// a wide box instead of spilling out of it. Pure apart from `measure`, which the caller provides
// (a canvas in the browser). dagre is imported here only: this page loads lazily, so the inbox's
// JavaScript does not carry it.
import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import { kindWord, nodeName } from './format.js';
import type { GraphEdge, GraphNode } from './reads.js';

/** The width of `text` in pixels at `font` (a CSS font shorthand). */
export type Measure = (text: string, font: string) => number;

export const FONT = {
  name: '600 14px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  detail: '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  label: '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
} as const;

/** Edge labels longer than this are cut (the full text stays in the step list and the tooltip). */
const MAX_LABEL = 34;
const BOX_MIN_WIDTH = 132;
const BOX_HEIGHT = 52;
/** Where a box's texts start, after its state mark. */
export const BOX_TEXT_LEFT = 30;
const PILL_HEIGHT = 36;
/** Where a pill's text starts, after its state mark. */
export const PILL_TEXT_LEFT = 34;
const DIAMOND = 40;
const BAR = { width: 96, height: 10 };

export type Shape = 'box' | 'pill' | 'diamond' | 'bar';

export interface PlacedNode {
  node: GraphNode;
  shape: Shape;
  /** Centre. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The box's first line (marker and name) and second line (kind, outcome). */
  title: string;
  detail: string;
}

export interface PlacedEdge {
  edge: GraphEdge;
  points: { x: number; y: number }[];
  /** The label as drawn (cut when long), its centre and size; null when the edge has none. */
  label: { text: string; full: string; x: number; y: number; width: number; height: number } | null;
}

export interface DiagramLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export const shapeOf = (kind: GraphNode['kind']): Shape =>
  kind === 'decision'
    ? 'diamond'
    : kind === 'fork' || kind === 'join'
      ? 'bar'
      : kind === 'start' || kind === 'end'
        ? 'pill'
        : 'box';

const cut = (text: string): string => (text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text);

function textsOf(node: GraphNode): { title: string; detail: string } {
  const shape = shapeOf(node.kind);
  if (shape === 'pill') {
    const outcome = node.kind === 'end' && node.outcome ? `: ${node.outcome}` : '';
    return { title: `${nodeName(node)}${outcome}`, detail: '' };
  }
  if (shape !== 'box') return { title: nodeName(node), detail: '' };
  return {
    title: node.id,
    detail: node.outcome ? `${kindWord(node.kind)} · ${node.outcome}` : kindWord(node.kind),
  };
}

function sizeOf(node: GraphNode, texts: { title: string; detail: string }, measure: Measure) {
  switch (shapeOf(node.kind)) {
    case 'diamond':
      return { width: DIAMOND, height: DIAMOND };
    case 'bar':
      // A copy: dagre writes the position into the label object, so two bars must not share one.
      return { ...BAR };
    case 'pill':
      // The mark, a gap, the text, and round ends.
      return { width: Math.ceil(measure(texts.title, FONT.name) + PILL_TEXT_LEFT + 18), height: PILL_HEIGHT };
    case 'box': {
      // Both lines start after the mark's column and keep a margin on the right.
      const text = Math.max(measure(texts.title, FONT.name), measure(texts.detail, FONT.detail));
      return { width: Math.ceil(Math.max(BOX_MIN_WIDTH, BOX_TEXT_LEFT + text + 14)), height: BOX_HEIGHT };
    }
  }
}

/**
 * dagre keeps heavy edges short and straight. A branch hangs right below its fork or decision and
 * its steps follow in one column; the slack of a short branch goes into its edge to the join, so
 * the branches of a parallel block start side by side instead of ending side by side.
 */
function weightOf(from: GraphNode | undefined, to: GraphNode | undefined): number {
  if (to?.kind === 'join') return 1;
  if (from?.kind === 'fork' || from?.kind === 'decision') return 6;
  if (from?.branch != null && from.branch === to?.branch) return 6;
  return 2;
}

/** The successors of each split left to right in policy order: the first branch written is the leftmost. */
function branchOrder(edges: readonly GraphEdge[]): { left: string; right: string }[] {
  const successors = new Map<string, string[]>();
  for (const edge of edges) successors.set(edge.from, [...(successors.get(edge.from) ?? []), edge.to]);
  return [...successors.values()].flatMap((next) =>
    next.slice(1).map((right, i) => ({ left: next[i] ?? right, right })),
  );
}

/** Lays out the graph; `measure` sizes the texts. */
export function layoutDiagram(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  measure: Measure,
): DiagramLayout {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 36, ranksep: 34, edgesep: 16, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const texts = new Map(nodes.map((n) => [n.id, textsOf(n)] as const));
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  for (const node of nodes)
    g.setNode(node.id, sizeOf(node, texts.get(node.id) ?? { title: '', detail: '' }, measure));
  // Added last to first, with the branch order as constraints: over the shipped policies this
  // keeps every chain of steps in one column and the branches in policy order, where dagre's own
  // order from the first edge on mirrored most splits.
  [...edges].reverse().forEach((edge, j) => {
    const i = edges.length - 1 - j;
    const label = edge.label === null ? null : cut(edge.label);
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    g.setEdge(
      edge.from,
      edge.to,
      {
        weight: weightOf(from, to),
        ...(label === null
          ? {}
          : { width: Math.ceil(measure(label, FONT.label) + 12), height: 20, labelpos: 'c' as const }),
      },
      `e${i}`,
    );
  });
  dagre.layout(g, { constraints: branchOrder(edges) });

  const placed: PlacedNode[] = nodes.map((node) => {
    const at = g.node(node.id);
    const t = texts.get(node.id) ?? { title: '', detail: '' };
    return {
      node,
      shape: shapeOf(node.kind),
      x: at.x ?? 0,
      y: at.y ?? 0,
      width: at.width,
      height: at.height,
      title: t.title,
      detail: t.detail,
    };
  });
  const placedEdges: PlacedEdge[] = edges.map((edge, i) => {
    const at = g.edge(edge.from, edge.to, `e${i}`);
    const label = edge.label === null ? null : cut(edge.label);
    return {
      edge,
      points: (at.points ?? []).map((p) => ({ x: p.x, y: p.y })),
      label:
        label === null || edge.label === null
          ? null
          : {
              text: label,
              full: edge.label,
              x: at.x ?? 0,
              y: at.y ?? 0,
              width: at.width ?? 0,
              height: at.height ?? 0,
            },
    };
  });
  const size = g.graph();
  return {
    width: Math.ceil(size.width ?? 0),
    height: Math.ceil(size.height ?? 0),
    nodes: placed,
    edges: placedEdges,
  };
}

/** A smooth path through dagre's points: straight ends, rounded bends. */
export function edgePath(points: readonly { x: number; y: number }[]): string {
  const [first, ...rest] = points;
  if (first === undefined) return '';
  if (rest.length === 0) return `M${first.x},${first.y}`;
  let d = `M${first.x},${first.y}`;
  for (let i = 0; i < rest.length - 1; i += 1) {
    const p = rest[i];
    const q = rest[i + 1];
    if (p === undefined || q === undefined) continue;
    d += ` Q${p.x},${p.y} ${(p.x + q.x) / 2},${(p.y + q.y) / 2}`;
  }
  const last = rest[rest.length - 1];
  if (last !== undefined) d += ` L${last.x},${last.y}`;
  return d;
}
