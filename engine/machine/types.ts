// The machine's contract: the JSON state it carries between events, the events the driver feeds
// it (each stamped with `at`, the only way time enters), the commands it asks the driver to carry
// out, and the words it explains itself in. Kept apart from the code so that the workflow, the
// simulator and the tests depend on the shapes without depending on the implementation.
import type { Fact, ProcessOutcome, TaskKind, Unqualified, VoteKind } from '../facts/index.js';
import type { CompiledPolicy, DurationIR, SourceSpan, ValueIR } from '../ir/types.js';

/** A reference the directory resolves to people; roles are expanded by the machine first. */
export type PersonRef =
  | { kind: 'group'; group: string }
  | { kind: 'person'; person: string }
  | { kind: 'managerOf'; person: string };

export type ResolveProblem = 'empty group' | 'unknown group' | 'unknown person' | 'no manager';

/** One entry of the decision log: what the machine established, why, and which policy text. */
export interface Decision {
  seq: number;
  at: number;
  /** The step the decision is about; null for process-level facts (start, end, cancel). */
  step: string | null;
  text: string;
  span: SourceSpan | null;
  actor?: string;
  onBehalfOf?: string;
  /** The expression module's reasons, each with its own span, when a condition decided. */
  reasons?: { text: string; span: SourceSpan }[];
  /** Which way an `if` went (`branch 1`, ..., `else`): for branch coverage and for auditors. */
  branch?: string;
  /**
   * What was established, as data; `text` is rendered from it. Absent only on entries made before
   * facts existed (a running instance's older log).
   */
  fact?: Fact;
}

export type DecisionKind = VoteKind;

/** How a check failed: its cause, the engine's reason, and the author's message (or the reason). */
export type CheckFailure = Pick<Extract<Fact, { kind: 'checkFailed' }>, 'cause' | 'because' | 'message'>;

export type MachineEvent =
  | {
      kind: 'resolved';
      at: number;
      request: string;
      people: string[];
      problems: { ref: PersonRef; problem: ResolveProblem }[];
      /**
       * Asked with `qualifications`: the people resolved who do not hold each of them, valid on
       * the day asked, left out of `people`. Absent when nothing was asked (older answers too).
       */
      unqualified?: Unqualified[];
    }
  | {
      kind: 'decide';
      at: number;
      step: string;
      actor: string;
      /** The person the actor decides for (delegation); eligibility is checked for them. */
      onBehalfOf?: string;
      decision: DecisionKind;
      reason?: string;
    }
  | { kind: 'timerFired'; at: number; timer: string }
  | { kind: 'cancel'; at: number; actor: string; reason: string }
  | {
      kind: 'checkResult';
      at: number;
      request: string;
      /** `error` (the service could not tell) counts as failed: a check never passes by default. */
      outcome: 'passed' | 'failed' | 'error';
      evidence?: string;
      detail?: string;
    }
  | { kind: 'waive'; at: number; step: string; actor: string; onBehalfOf?: string; reason: string }
  | { kind: 'attest'; at: number; step: string; actor: string; onBehalfOf?: string; evidence?: string }
  | {
      kind: 'reallocated';
      at: number;
      request: string;
      outcome: 'allocated' | 'insufficient';
      detail: string;
    };

export type TimerPurpose =
  'sla' | 'remind' | 'escalate' | 'wait' | 'attestDue' | 'waiverDue' | 'waiverExpiry';

export type MachineCommand =
  | {
      kind: 'resolve';
      request: string;
      step: string;
      refs: PersonRef[];
      /**
       * For the deciders of a step that requires qualifications: answer only the people holding
       * each, valid on the day of the answer, and list the others as `unqualified`. Absent
       * otherwise, so steps without qualifications ask exactly what they always asked.
       */
      qualifications?: string[];
    }
  | { kind: 'notify'; step: string; recipients: string[]; message: string }
  | { kind: 'openTask'; task: string; step: string; people: string[]; title: string; taskKind: TaskKind }
  | { kind: 'addToTask'; task: string; people: string[] }
  | { kind: 'closeTask'; task: string; reason: string }
  | { kind: 'startTimer'; timer: string; step: string; at: number; purpose: TimerPurpose }
  | { kind: 'cancelTimer'; timer: string }
  | { kind: 'audit'; id: string; decision: Decision }
  | {
      kind: 'runCheck';
      request: string;
      step: string;
      service: string;
      /** The service's time budget per attempt, calendar-aware; null when the policy sets none. */
      timeoutMs: number | null;
      retries: number;
    }
  | {
      kind: 'reallocate';
      request: string;
      step: string;
      hours: number;
      skill: string;
      pool: string;
      project: string;
      /** The period as written (weeks stay weeks for the capacity planner) and as milliseconds. */
      period: DurationIR;
      periodMs: number;
      priority: 'low' | 'normal' | 'high';
    }
  | { kind: 'finished'; outcome: Outcome; message: string };

export type { Refusal, RefusalCode } from './refusals.js';
export type { Unqualified } from '../facts/index.js';

export type Outcome = ProcessOutcome;

/** Where a thread stands: a path of indexes into nested step lists. */
export interface Frame {
  /**
   * The branch of the enclosing `if` (-1 for `else`) or `parallel` this frame runs; null at the
   * root.
   */
  branch: number | null;
  index: number;
}

/**
 * A line of execution: `main`, or one branch of a `parallel` (`<parallel step>/<branch id>`),
 * which starts with its parent's frames plus one and ends when its branch block ends.
 */
export interface Thread {
  id: string;
  parent: string | null;
  frames: Frame[];
  /** The frame depth of the thread's own block: at its end the thread ends. */
  base: number;
  waiting: Waiting | null;
}

export interface Timer {
  id: string;
  step: string;
  purpose: TimerPurpose;
  at: number;
  /** For escalation timers, the level (0-based) it starts. */
  level?: number;
}

export interface Vote {
  person: string;
  actor: string;
  decision: DecisionKind;
  reason: string | null;
  at: number;
}

/** An approval from entry to close. */
export interface ApprovalState {
  step: string;
  openedAt: number;
  /** `resolving` until every resolve has answered; `blocked` when it can never proceed as is. */
  phase: 'resolving' | 'open' | 'blocked';
  task: string;
  /** Resolve requests still unanswered, with what they are for. */
  pending: {
    request: string;
    purpose: 'approvers' | 'exclusions' | 'escalation' | 'blockedNotice';
    level?: number;
    /** A handover's problems found before resolving: any of them blocks it. */
    problems?: string[];
  }[];
  approvers: string[];
  excluded: string[];
  /** People who approved a `distinct from` step, with that step. */
  distinct: { person: string; step: string }[];
  /** Approvers minus exclusions minus distinct, then the people escalation added. */
  eligible: string[];
  /**
   * Approvers and escalated people left out because they did not hold a required qualification
   * when they were resolved; absent when none (and in states from before qualifications).
   */
  unqualified?: Unqualified[];
  needed: number;
  /**
   * Set once a `hand over` replaced the people deciding: one decision decides (the first approval
   * approves, the first rejection rejects). Absent before, and in states from before handovers.
   */
  handover?: true;
  votes: Vote[];
  dueAt: number | null;
  blocked: string | null;
  problems: string[];
}

/**
 * A check that needs the outside world: an external service run, an attestation, or a waiver
 * after a failure. `background` checks are re-runs after a waiver expired: they live in
 * `MachineState.rechecks` while the process goes on elsewhere.
 */
export interface CheckState {
  step: string;
  phase: 'running' | 'attest' | 'waiver';
  background: boolean;
  /** The unanswered runCheck or resolve request, if any. */
  request: string | null;
  /** The open task (attestation or waiver); null until opened and once closed. */
  task: string | null;
  /** Eligible attesters or waiver approvers, once resolved. */
  people: string[];
  dueAt: number | null;
  /** Why the check failed (waiver phase): what the waiver waives. */
  failure: string | null;
  /** Set when the task can never open as is (fail closed); the deadline timer still runs. */
  blocked: string | null;
}

export type Waiting =
  | { kind: 'approve'; approval: ApprovalState }
  | { kind: 'check'; check: CheckState }
  | { kind: 'reallocate'; step: string; request: string }
  | { kind: 'notify'; step: string; request: string }
  | { kind: 'wait'; step: string; timer: string; until: number }
  /**
   * A parallel step waiting for its branch threads. `ending` is how the process ends once they
   * all have: an `end` reached in a branch; a failure (the first) wins over `end approved`.
   */
  | {
      kind: 'parallel';
      step: string;
      children: string[];
      ending: { outcome: Outcome; message: string } | null;
    }
  /**
   * The process reached its approved end while checks re-run after a lapsed waiver: it ends
   * approved once they settle (passed or waived again), rejected if one fails for good.
   */
  | { kind: 'settling'; message: string; span: SourceSpan | null }
  /** A step the machine cannot carry on from (a fail-closed dead end: a blocked reallocation, an unset project). */
  | { kind: 'blocked'; step: string; reason: string };

export interface MachineState {
  version: 1;
  /** The policy travels with the state so that `step` needs nothing else; caches key on sha256. */
  policy: CompiledPolicy;
  process: string;
  instanceId: string;
  startedAt: number;
  startedBy: string;
  input: Record<string, ValueIR>;
  status: 'running' | Outcome;
  message: string | null;
  /** `main` first, then parallel branches in the order they started; empty once ended. */
  threads: Thread[];
  /** Checks re-run after their waiver expired, alongside the step the process waits on. */
  rechecks: CheckState[];
  timers: Timer[];
  results: Record<string, Record<string, ValueIR>>;
  decisions: Decision[];
  /** Counter behind request, task and timer ids (`<step>#<n>`), so that ids are deterministic. */
  nextId: number;
  endedAt: number | null;
}

export interface Transition {
  state: MachineState;
  commands: MachineCommand[];
}

/** What an instance waits for, in business words, with the step it is about. */
export interface BlockedOn {
  step: string;
  kind: 'approval' | 'resolve' | 'timer' | 'blocked' | 'check' | 'attestation' | 'waiver' | 'reallocation';
  text: string;
  dueAt: number | null;
}

export interface StartContext {
  instanceId: string;
  startedAt: number;
  startedBy: string;
}
