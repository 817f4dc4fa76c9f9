// What the machine established, as data: one member of `Fact` for every kind of entry in the
// decision log. Compliance reports, the ledger's indexes, the console's readings and (later) the
// messages sent to people all read these fields; the English sentence beside each entry is
// rendered from its fact (sentences.ts) and is for people only. Rewording or translating a
// sentence therefore changes no report. Facts are plain JSON: they are hashed into the audit
// chain with the rest of the event, so a field, once written, is never renamed.

import { ADMIN_FACT_KINDS, type AdminFact } from './admin-facts.js';
import { MONITOR_FACT_KINDS, type MonitorFact } from './monitor-facts.js';

/** An instant with the zone it is shown in (the calendar's zone of the duration that set it). */
export interface Moment {
  at: number;
  zone: string;
}

export type ProcessOutcome = 'approved' | 'rejected' | 'cancelled';
export type VoteKind = 'approve' | 'reject' | 'requestChanges';
export type ApprovalOutcome =
  'approved' | 'rejected' | 'approved by timeout' | 'rejected by timeout' | 'failed';
/** The kind of work a task asks of its assignees. */
export type TaskKind = 'approval' | 'attestation' | 'waiver';
/** What `on timeout` does when an approval's SLA passes. */
export type TimeoutAction = 'approve' | 'reject' | 'fail' | 'escalate';

/** Why an approval closed. */
export type ApprovalClose =
  | { kind: 'quorumMet'; approvers: string[]; needed: number }
  | { kind: 'vetoed'; by: string[] }
  | { kind: 'quorumUnreachable'; approved: number; rejected: number; undecided: number; needed: number }
  /**
   * The SLA passed and `on timeout` decided. `message` is the author's message, or "no decision
   * by <due>"; `blocked` is set when `approve` was asked for a blocked step, which rejects.
   */
  | { kind: 'timeout'; action: Exclude<TimeoutAction, 'escalate'>; message: string; blocked: string | null };

/**
 * A person left out of an approval because the registry does not show them holding a
 * qualification the step requires (`require qualification "<id>"`), valid on the day it was
 * asked: their latest completion expired on `expiredOn`, or (null) they never completed it.
 */
export interface Unqualified {
  person: string;
  qualification: string;
  expiredOn: string | null;
}

/** How a check failed: a rule that did not hold, a service's answer, or a missed attestation. */
export type CheckFailureCause = 'rule' | 'service' | 'serviceError' | 'noAttestation';

/** What the check's `on fail` clause did about the failure. */
export type OnFailTaken =
  { action: 'stop'; outcome: ProcessOutcome } | { action: 'continue' } | { action: 'waiver'; dueAt: Moment };

export type Fact =
  // The process as a whole.
  | { kind: 'started'; process: string; by: string }
  | { kind: 'cancelled'; by: string; reason: string }
  /** The approved end is reached while re-runs of checks whose waiver expired are unsettled. */
  | { kind: 'settling'; steps: string[] }
  | { kind: 'ended'; outcome: ProcessOutcome; message: string }
  // Flow.
  | { kind: 'branchTaken'; step: string; branch: number; because: string; notTaken: string[] }
  | { kind: 'elseTaken'; step: string; notTaken: string[] }
  | { kind: 'branchesStarted'; step: string; threads: string[]; onFailure: 'cancelOthers' | 'finishOthers' }
  | { kind: 'branchEnded'; step: string; thread: string; outcome: ProcessOutcome | null; message: string }
  | { kind: 'branchesJoined'; step: string }
  | { kind: 'waiting'; step: string; until: Moment }
  | { kind: 'waited'; step: string; until: Moment }
  /** `wait until <date>` whose date is unset: the process goes on (waiting forever would hide it). */
  | { kind: 'waitSkipped'; step: string; because: string }
  | { kind: 'waitPassed'; step: string; date: string }
  | { kind: 'notified'; step: string; recipients: string[]; message: string }
  | { kind: 'recipientSkipped'; step: string; problem: string }
  | { kind: 'nobodyToNotify'; step: string }
  // Approvals.
  | { kind: 'approvalResolving'; step: string }
  | {
      kind: 'approvalOpened';
      step: string;
      eligible: string[];
      needed: number;
      /** The quorum as the policy words it (`majority`, `at least 2 of 3`). */
      quorum: string;
      veto: boolean;
      /** People in the pool who may not decide (exclusions, `distinct from`). */
      barred: string[];
      afterEscalation: boolean;
      task: TaskKind;
      /** Approvers left out for a required qualification; absent when none (and before qualifications). */
      unqualified?: Unqualified[];
    }
  /** A step that cannot go on as it is (fail closed); `still` when an escalation did not help. */
  | { kind: 'stepBlocked'; step: string; reason: string; still: boolean }
  | { kind: 'blockedNoticeSent'; step: string; recipients: string[] }
  | { kind: 'escalationProblem'; step: string; problem: string }
  /** An escalation level (0-based), or `on timeout escalate` (level -1), added these deciders. */
  | { kind: 'escalated'; step: string; added: string[]; level: number; unqualified?: Unqualified[] }
  /**
   * `hand over` (a ladder level, or on timeout as level -1): `to` replaced the people deciding and
   * the first decision of any of them decides; decisions made before no longer count.
   */
  | { kind: 'handedOver'; step: string; to: string[]; level: number; unqualified?: Unqualified[] }
  | { kind: 'reminded'; step: string; people: string[]; dueAt: Moment | null }
  | { kind: 'approvalTimedOut'; step: string; dueAt: Moment | null; action: TimeoutAction }
  | {
      kind: 'vote';
      step: string;
      actor: string;
      onBehalfOf: string | null;
      vote: VoteKind;
      reason: string | null;
    }
  | { kind: 'approvalClosed'; step: string; outcome: ApprovalOutcome; why: ApprovalClose }
  // Checks, attestations, waivers.
  | { kind: 'checkRunning'; step: string; service: string }
  | { kind: 'attestationOpened'; step: string; statement: string; dueAt: Moment | null }
  | {
      kind: 'checkPassed';
      step: string;
      source: 'rule' | 'service';
      /** The rule's explanation; null for a service's answer. */
      because: string | null;
      evidence: string | null;
    }
  | {
      kind: 'checkFailed';
      step: string;
      cause: CheckFailureCause;
      /** Why it failed, in the engine's words (the rule's explanation, the service's detail). */
      because: string;
      /** The author's message for the failure, or `because` when the policy gives none. */
      message: string;
      onFail: OnFailTaken;
    }
  | { kind: 'checkTaskOpened'; step: string; people: string[]; task: 'attestation' | 'waiver' }
  | {
      kind: 'attested';
      step: string;
      actor: string;
      onBehalfOf: string | null;
      statement: string;
      evidence: string | null;
      /** `grants qualification`: the completion the attestation records; absent without a grant. */
      grants?: GrantedQualification;
    }
  | {
      kind: 'waived';
      step: string;
      actor: string;
      onBehalfOf: string | null;
      reason: string;
      failure: string;
      until: Moment | null;
    }
  | { kind: 'waiverMissed'; step: string; people: string[] }
  | { kind: 'waiverExpired'; step: string }
  // Resource reallocation.
  | {
      kind: 'reallocationRequested';
      step: string;
      hours: number;
      skill: string;
      pool: string;
      project: string;
      priority: 'low' | 'normal' | 'high';
    }
  | { kind: 'reallocated'; step: string; hours: number; detail: string | null }
  // Policies (not the machine's: written by the API on the policy's own chain, store/policy-retirements.ts).
  /** A published version (or, with `version` null, the whole policy) no longer starts new instances. */
  | { kind: 'policyRetired'; policy: string; version: number | null; reason: string }
  // Protocol monitors (monitor-facts.ts): runs and the life of findings.
  | MonitorFact
  // Administration (admin-facts.ts): tokens, directory edits, signing keys, on the `admin` chain.
  | AdminFact;

export type FactKind = Fact['kind'];

/** Every kind, for validation and API enums (checked complete against the union by the compiler). */
const KINDS: Record<FactKind, true> = {
  started: true,
  cancelled: true,
  settling: true,
  ended: true,
  branchTaken: true,
  elseTaken: true,
  branchesStarted: true,
  branchEnded: true,
  branchesJoined: true,
  waiting: true,
  waited: true,
  waitSkipped: true,
  waitPassed: true,
  notified: true,
  recipientSkipped: true,
  nobodyToNotify: true,
  approvalResolving: true,
  approvalOpened: true,
  stepBlocked: true,
  blockedNoticeSent: true,
  escalationProblem: true,
  escalated: true,
  handedOver: true,
  reminded: true,
  approvalTimedOut: true,
  vote: true,
  approvalClosed: true,
  checkRunning: true,
  attestationOpened: true,
  checkPassed: true,
  checkFailed: true,
  checkTaskOpened: true,
  attested: true,
  waived: true,
  waiverMissed: true,
  waiverExpired: true,
  reallocationRequested: true,
  reallocated: true,
  policyRetired: true,
  ...MONITOR_FACT_KINDS,
  ...ADMIN_FACT_KINDS,
};

export const FACT_KINDS = Object.keys(KINDS) as [FactKind, ...FactKind[]];

/** The step a fact is about; null for facts about the whole process. */
export function stepOfFact(fact: Fact): string | null {
  return 'step' in fact ? fact.step : null;
}

/** The person who acted, and for whom, on facts that record a person's action. */
export function actorOfFact(fact: Fact): { actor: string; onBehalfOf: string | null } | null {
  switch (fact.kind) {
    case 'started':
    case 'cancelled':
      return { actor: fact.by, onBehalfOf: null };
    case 'vote':
    case 'attested':
    case 'waived':
      return { actor: fact.actor, onBehalfOf: fact.onBehalfOf };
    default:
      return null;
  }
}

/**
 * A qualification an attestation grants: each of `people` completed it on `completedOn` (the UTC
 * day of the attestation). `people` is empty when the request names nobody; `unset` then says
 * which input was missing.
 */
export interface GrantedQualification {
  qualification: string;
  people: string[];
  completedOn: string;
  unset?: string;
}
