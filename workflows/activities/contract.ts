// The activities the interpreter workflow calls, as types only (the workflow imports this file by
// type): every one is idempotent under Temporal's retries, keyed by the instance and the machine's
// deterministic ids, so a worker killed mid-call never writes anything twice.
import type { ValueIR } from '../../engine/ir/types.js';
import type {
  BlockedOn,
  MachineCommand,
  PersonRef,
  ResolveProblem,
  Unqualified,
} from '../../engine/machine/types.js';

/** Who an activity works for: enough to key, file and display everything it writes. */
export interface InstanceRef {
  instanceId: string;
  policy: { name: string; version: number; sha256: string };
  process: string;
  project: string | null;
}

/** The commands whose effect is a write: tasks, notifications, the audit ledger, the end. */
export type EffectCommand = Extract<
  MachineCommand,
  { kind: 'notify' | 'openTask' | 'addToTask' | 'closeTask' | 'audit' | 'finished' }
>;

/** What the instance view shows after a transition. */
export interface ViewSnapshot {
  status: 'running' | 'approved' | 'rejected' | 'cancelled';
  message: string | null;
  startedAt: number;
  startedBy: string;
  endedAt: number | null;
  currentSteps: string[];
  blockedOn: BlockedOn[];
}

export interface EffectsInput {
  instance: InstanceRef;
  /** 1 for the start, then one per event: the view never moves backwards past it. */
  transition: number;
  at: number;
  commands: EffectCommand[];
  view: ViewSnapshot;
  /** Due instants of the tasks opened or still open, by task id. */
  dueAt: Record<string, number | null>;
  /**
   * The validated input the instance was started with (defaults applied): sent with the first
   * transition only, so that the view keeps it and the `started` event carries its hash. Absent
   * in histories recorded before it was sent (an activity's input is not part of replay).
   */
  input?: Record<string, ValueIR>;
}

export interface ResolveInput {
  instance: InstanceRef;
  step: string;
  refs: PersonRef[];
  at: number;
}

export interface ResolveOutput {
  people: string[];
  problems: { ref: PersonRef; problem: ResolveProblem }[];
  /** Asked with qualifications: the people resolved but left out of `people` for lacking one. */
  unqualified?: Unqualified[];
}

export interface CheckInput {
  instance: InstanceRef;
  request: string;
  step: string;
  service: string;
}

export interface CheckResult {
  outcome: 'passed' | 'failed' | 'error';
  evidence?: string;
  detail?: string;
}

/** `pending`: the service took the request and reports the result later (see reportCheck). */
export type CheckOutput = CheckResult | { outcome: 'pending' };

/** The machine's reallocate command, for one instance, at the instant it was asked. */
export type ReallocateInput = Omit<Extract<MachineCommand, { kind: 'reallocate' }>, 'kind'> & {
  instance: InstanceRef;
  at: number;
};

export interface ReallocateOutput {
  outcome: 'allocated' | 'insufficient';
  detail: string;
}

/**
 * One transition's storage work in one activity: its writes, then its directory look-ups and
 * capacity requests. Fewer activities mean fewer history events and round trips per instance;
 * retrying the whole is safe because every part is idempotent.
 */
export interface TransitionInput extends EffectsInput {
  /**
   * `qualifications`: the step's deciders must hold each, valid on the UTC day of `at` (the
   * machine's resolve command; absent for steps without, and in histories recorded before).
   */
  resolve: { request: string; step: string; refs: PersonRef[]; qualifications?: string[] }[];
  reallocate: Omit<ReallocateInput, 'instance' | 'at'>[];
}

export interface TransitionOutput {
  resolved: (ResolveOutput & { request: string })[];
  reallocated: (ReallocateOutput & { request: string })[];
}

export interface CharterActivities {
  applyTransition(input: TransitionInput): Promise<TransitionOutput>;
  applyEffects(input: EffectsInput): Promise<void>;
  resolvePeople(input: ResolveInput): Promise<ResolveOutput>;
  runCheck(input: CheckInput): Promise<CheckOutput>;
  reallocate(input: ReallocateInput): Promise<ReallocateOutput>;
}
