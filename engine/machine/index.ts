// The process machine's public face: a pure `step(state, event)` that the Temporal workflow and
// the simulator both drive, with its Update validator and the readers for people and auditors.
export { start, step, validate } from './step.js';
export { blockedOn, explain } from './explain.js';
export { REFUSAL_CODES, REFUSALS, isRefusalCode, type RefusalInfo } from './refusals.js';
export { grantedQualification, notQualifiedMessage, requiredQualifications } from './qualifications.js';
export type {
  ApprovalState,
  BlockedOn,
  CheckState,
  Decision,
  DecisionKind,
  MachineCommand,
  MachineEvent,
  MachineState,
  Outcome,
  PersonRef,
  Refusal,
  RefusalCode,
  ResolveProblem,
  StartContext,
  Thread,
  Transition,
  Unqualified,
} from './types.js';
