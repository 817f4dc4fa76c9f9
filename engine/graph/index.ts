// The process graph's public face: a process as nodes and edges for people to look at (the
// console's diagrams, an instance's progress laid over them).
export {
  branchLabels,
  IMPLICIT_END_NODE,
  joinNodeOf,
  OTHERWISE,
  processGraph,
  START_NODE,
  type GraphEdge,
  type GraphNode,
  type GraphNodeKind,
  type ProcessGraph,
} from './graph.js';
