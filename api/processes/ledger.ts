// What an instance's audit ledger says about each step of its process: whether the run reached
// it, what came of it, and whether the flow settled it (went on past it, or ended there). The
// ledger outlives Temporal's retention, so an instance's progress is read from it rather than
// from the workflow.
//
// Where the IR gives a handle, the reading is structural: an `if` records the branch it took with
// that branch's span (the otherwise with the step's), and every end of a process or of a parallel
// branch is recorded with the span of the `end` step that caused it (the implicit end with the
// process's). Step outcomes are read from the facts the machine records (engine/facts); events
// written before facts existed, from their frozen sentences (api/audit/legacy-sentences.ts).
import type { ApprovalOutcome, Fact } from '../../engine/facts/index.js';
import type { IfStepIR, ProcessIR, SourceSpan, StepIR } from '../../engine/ir/types.js';
import { legacyStepReading } from '../audit/legacy-sentences.js';

/** The fields of an audit event this reading uses (store/audit.ts's AuditEvent has them all). */
export interface LedgerLine {
  type: string;
  step: string | null;
  text: string;
  actor: string | null;
  onBehalfOf: string | null;
  span: SourceSpan | null;
  fact?: Fact | undefined;
}

export interface StepFacts {
  reached: boolean;
  /** The engine's word for what came of it; for an `if` the branch taken. */
  outcome: string | null;
  /** The run went on past the step, or the step ended the process or its branch. */
  settled: boolean;
  /** Rejected, failed, timed out or blocked: the step is why the run stopped or waits. */
  failed: boolean;
  /** For an `if`: the index of the branch taken, -1 for the otherwise; null before it decided. */
  branchTaken: number | null;
}

const sameSpan = (a: SourceSpan | null, b: SourceSpan): boolean =>
  a !== null &&
  a.file === b.file &&
  a.line === b.line &&
  a.col === b.col &&
  a.endLine === b.endLine &&
  a.endCol === b.endCol;

type Reading = Pick<StepFacts, 'outcome' | 'settled' | 'failed'>;
const settled = (outcome: string, failed = false): Reading => ({ outcome, settled: true, failed });
const open = (outcome: string, failed: boolean): Reading => ({ outcome, settled: false, failed });

const APPROVAL_OUTCOMES: Record<ApprovalOutcome, Reading> = {
  'approved by timeout': settled('approved by timeout'),
  'rejected by timeout': settled('rejected by timeout', true),
  approved: settled('approved'),
  rejected: settled('rejected', true),
  // Only an `on timeout fail` deadline closes an approval as failed.
  failed: settled('timed out', true),
};

/** What a fact says about its step of kind `kind`; null when it says nothing about the outcome. */
function readFact(kind: StepIR['kind'], fact: Fact): Reading | null {
  switch (fact.kind) {
    case 'approvalClosed':
      return APPROVAL_OUTCOMES[fact.outcome];
    case 'attested':
      return settled('attested');
    case 'waived':
      return settled('waived');
    case 'checkPassed':
      return settled('passed');
    case 'checkFailed': {
      const failure = fact.cause === 'noAttestation' ? 'timed out' : 'failed';
      if (fact.onFail.action === 'stop') return settled(failure, true);
      if (fact.onFail.action === 'continue') return settled('flagged');
      return open(failure, true);
    }
    case 'waiverMissed':
      return settled('failed', true);
    // The process goes on while the check runs again in the background.
    case 'waiverExpired':
      return settled('waiver expired');
    case 'reallocated':
      return settled('allocated');
    case 'stepBlocked':
      return kind === 'reallocate' ? open('blocked', true) : null;
    case 'notified':
      return settled('notified');
    case 'nobodyToNotify':
      return settled('nobody to notify');
    case 'waited':
    case 'waitPassed':
      return settled('waited');
    case 'waitSkipped':
      return settled('not waited: no date');
    default:
      return null;
  }
}

const READ_KINDS: ReadonlySet<StepIR['kind']> = new Set(['approve', 'check', 'reallocate', 'notify', 'wait']);

/** Which branch an `if`'s record took: the span of the branch, or the step's for the otherwise. */
const branchOf = (step: IfStepIR, line: LedgerLine): number =>
  step.branches.findIndex((branch) => sameSpan(line.span, branch.span));

function factsOf(step: StepIR, own: readonly LedgerLine[], all: readonly LedgerLine[]): StepFacts {
  const facts: StepFacts = {
    reached: own.length > 0,
    outcome: null,
    settled: false,
    failed: false,
    branchTaken: null,
  };
  switch (step.kind) {
    case 'end':
      // Recorded by the process's end (or its branch's), with no step of its own but its span.
      facts.reached = all.some((line) => sameSpan(line.span, step.span));
      return facts.reached ? { ...facts, outcome: step.outcome, settled: true } : facts;
    case 'if': {
      const line = own[0];
      if (line === undefined) return facts;
      facts.branchTaken = branchOf(step, line);
      return { ...facts, settled: true };
    }
    case 'parallel':
      facts.settled = own.some((line) =>
        line.fact === undefined
          ? line.text === `${step.id}: every branch has ended`
          : line.fact.kind === 'branchesJoined',
      );
      return facts;
    default: {
      if (!READ_KINDS.has(step.kind)) return facts;
      for (const line of own) {
        const reading =
          line.fact === undefined
            ? legacyStepReading(step.kind, step.id, line)
            : readFact(step.kind, line.fact);
        if (reading !== null) Object.assign(facts, reading);
      }
      return facts;
    }
  }
}

/** Every step of a block, nested ones after their owner, in policy order. */
export function stepsOf(steps: readonly StepIR[]): StepIR[] {
  return steps.flatMap((step) => {
    if (step.kind === 'if')
      return [step, ...stepsOf(step.branches.flatMap((b) => b.steps)), ...stepsOf(step.otherwise)];
    if (step.kind === 'parallel') return [step, ...stepsOf(step.branches.flatMap((b) => b.steps))];
    return [step];
  });
}

export interface LedgerReading {
  steps: Map<string, StepFacts>;
  /** The process ran off its last step (the implicit end). */
  ranToEnd: boolean;
}

/** What `lines` (one instance's own chain, in order) say about every step of `process`. */
export function readLedger(process: ProcessIR, lines: readonly LedgerLine[]): LedgerReading {
  const byStep = new Map<string, LedgerLine[]>();
  for (const line of lines) {
    if (line.step === null) continue;
    const list = byStep.get(line.step) ?? [];
    list.push(line);
    byStep.set(line.step, list);
  }
  const steps = new Map<string, StepFacts>();
  for (const step of stepsOf(process.steps))
    steps.set(step.id, factsOf(step, byStep.get(step.id) ?? [], lines));
  // The start is recorded with the process's span too; every later process-level line with it is the end.
  const ranToEnd = lines.some(
    (line) => line.step === null && line.type !== 'started' && sameSpan(line.span, process.span),
  );
  return { steps, ranToEnd };
}
