// The audit ledger's Merkle tree as pure math (RFC 9162): leaf and node hashes, roots, the
// frontier its one writer appends to, tree head bytes, and inclusion and consistency proofs built
// from stored perfect nodes and verified by the RFC's algorithms. FORMAT.md is the auditor's view.
export {
  HASH_BYTES,
  MerkleError,
  TREE_HEAD_BYTES,
  TreeFrontier,
  emptyRoot,
  engineSha256,
  eventLeafHash,
  hashFromHex,
  hashToHex,
  hashesEqual,
  hashesFromHex,
  leafHash,
  nodeHash,
  rootOf,
  treeHeadBytes,
  type FrontierJson,
  type NodeId,
  type PerfectNode,
  type Sha256,
  type TreeHead,
} from './merkle.js';
export {
  consistencyProof,
  consistencyProofNodes,
  inclusionProof,
  inclusionProofNodes,
  verifyConsistency,
  verifyInclusion,
  type GetNode,
  type ProofCheck,
  type ProofProblem,
} from './proofs.js';
export {
  EXPORT_PROBLEMS,
  ExportCheck,
  exportedEventHash,
  type ExportCheckOptions,
  type ExportCheckReport,
  type ExportProblem,
  type ExportProblemReport,
} from './export-check.js';
