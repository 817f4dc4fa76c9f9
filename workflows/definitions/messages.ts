// What the outside world may send a running instance and ask it: the API and the CLI import
// these definitions (never the interpreter), so the wire names and shapes live in one place.
// Decisions, attestations, waivers and cancel are Updates: the caller learns at once whether the
// engine accepted the action, and a refusal carries the engine's code (`excluded`, ...).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CompiledPolicy, ValueIR } from '../../engine/ir/types.js';
import type { BlockedOn, Decision, DecisionKind, MachineState, Outcome } from '../../engine/machine/types.js';

export const INSTANCE_WORKFLOW = 'charterInstance';

/** The failure type of a refused Update; its `details[0]` is the engine's Refusal. */
export const REFUSED = 'CharterRefused';

export interface StartInstance {
  /** The pinned policy: a published version never changes under a running instance. */
  policy: CompiledPolicy;
  process: string;
  input: Record<string, ValueIR>;
  instanceId: string;
  startedBy: string;
  /** History events after which an idle run continues as new; tests lower it (default 2,000). */
  historyLimit?: number;
}

/** How a run continues after continue-as-new: the machine state carries everything. */
export interface ContinueInstance {
  state: MachineState;
  transition: number;
  historyLimit?: number;
}

export type InstanceArgs = StartInstance | ContinueInstance;

export interface DecideInput {
  step: string;
  actor: string;
  onBehalfOf?: string;
  decision: DecisionKind;
  reason?: string;
}

export interface AttestInput {
  step: string;
  actor: string;
  onBehalfOf?: string;
  evidence?: string;
}

export interface WaiveInput {
  step: string;
  actor: string;
  onBehalfOf?: string;
  reason: string;
}

/** A check service's late result for a request it answered `pending`. */
export interface CheckReport {
  request: string;
  service: string;
  outcome: 'passed' | 'failed' | 'error';
  evidence?: string;
  detail?: string;
}

export interface CancelInput {
  actor: string;
  reason: string;
}

/** What an accepted action led to, so the caller can show it without a second round trip. */
export interface ActionReceipt {
  status: 'running' | Outcome;
  message: string | null;
  blockedOn: BlockedOn[];
}

export interface InstanceStatus extends ActionReceipt {
  instanceId: string;
  policy: { name: string; version: number; sha256: string };
  process: string;
  startedAt: number;
  startedBy: string;
  endedAt: number | null;
  results: Record<string, Record<string, ValueIR>>;
}

export interface InstanceResult {
  status: Outcome;
  message: string | null;
}

export const decideUpdate = defineUpdate<ActionReceipt, [DecideInput]>('decide');
export const attestUpdate = defineUpdate<ActionReceipt, [AttestInput]>('attest');
export const waiveUpdate = defineUpdate<ActionReceipt, [WaiveInput]>('waive');
export const cancelUpdate = defineUpdate<ActionReceipt, [CancelInput]>('cancel');
export const reportCheckUpdate = defineUpdate<ActionReceipt, [CheckReport]>('reportCheck');

export const statusQuery = defineQuery<InstanceStatus>('status');
export const explainQuery = defineQuery<Decision[]>('explain');
export const blockedOnQuery = defineQuery<BlockedOn[]>('blockedOn');
