// What an instance's audit ledger says about each step of its process: whether the run reached
// it, what came of it, and whether the flow settled it (went on past it, or ended there). The
// ledger outlives Temporal's retention, so an instance's progress is read from it rather than
// from the workflow.
//
// Where the IR gives a handle, the reading is structural: an `if` records the branch it took with
// that branch's span (the otherwise with the step's), and every end of a process or of a parallel
// branch is recorded with the span of the `end` step that caused it (the implicit end with the
// process's). Step outcomes exist only as the machine's sentences, so those are read here from the
// exact `record(...)` calls of engine/machine (approvals.ts closeApproval, checks.ts, waivers.ts,
// reallocate.ts, run.ts, step.ts), as api/audit/classify.ts does; the integration tests run each
// kind through the real workflow and pin these readings. A structured outcome on the machine's
// Decision would retire them.
import type { IfStepIR, ProcessIR, SourceSpan, StepIR } from '../../engine/ir/types.js';

/** The fields of an audit event this reading uses (store/audit.ts's AuditEvent has them all). */
export interface LedgerLine {
  type: string;
  step: string | null;
  text: string;
  actor: string | null;
  onBehalfOf: string | null;
  span: SourceSpan | null;
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

/** `text` starts with `prefix` as a whole phrase (the text ends, or `:` or a space follows). */
function startsPhrase(text: string, prefix: string): boolean {
  if (!text.startsWith(prefix)) return false;
  const next = text.charAt(prefix.length);
  return next === '' || next === ':' || next === ' ';
}

/** How the machine names who acted: `X`, or `X on behalf of Y`. */
const byOf = (line: LedgerLine): string =>
  line.onBehalfOf !== null && line.onBehalfOf !== line.actor
    ? `${line.actor ?? ''} on behalf of ${line.onBehalfOf}`
    : (line.actor ?? '');

type Reading = Pick<StepFacts, 'outcome' | 'settled' | 'failed'>;
const settled = (outcome: string, failed = false): Reading => ({ outcome, settled: true, failed });
const open = (outcome: string, failed: boolean): Reading => ({ outcome, settled: false, failed });

/** approvals.ts closeApproval: `<step> <outcome>: <why>`; longer outcomes first. */
const APPROVAL_OUTCOMES: [string, Reading][] = [
  ['approved by timeout', settled('approved by timeout')],
  ['rejected by timeout', settled('rejected by timeout', true)],
  ['approved', settled('approved')],
  ['rejected', settled('rejected', true)],
  // Only an `on timeout fail` deadline closes an approval as failed.
  ['failed', settled('timed out', true)],
];

function readApproval(id: string, line: LedgerLine): Reading | null {
  if (line.type === 'action') return null;
  const found = APPROVAL_OUTCOMES.find(([outcome]) => line.text.startsWith(`${id} ${outcome}: `));
  return found ? found[1] : null;
}

function readCheck(id: string, line: LedgerLine): Reading | null {
  const text = line.text;
  if (line.type === 'action' && line.actor !== null) {
    if (startsPhrase(text, `${byOf(line)} waived ${id}`)) return settled('waived');
    if (startsPhrase(text, `${byOf(line)} attested ${id}`)) return settled('attested');
    return null;
  }
  // checks.ts failed(): the three on-fail paths mark the end of the failure's sentence.
  const timedOut = text.startsWith(`${id}: no attestation by `);
  if (/; on fail stop (approved|rejected|cancelled)$/.test(text)) {
    return settled(timedOut ? 'timed out' : 'failed', true);
  }
  if (text.includes('; continued flagged: ')) return settled('flagged');
  if (text.includes('; a waiver is required by ')) return open(timedOut ? 'timed out' : 'failed', true);
  if (startsPhrase(text, `${id}: no waiver in time`)) return settled('failed', true);
  if (startsPhrase(text, `check ${id} held`) || startsPhrase(text, `${id} passed`)) return settled('passed');
  // The process goes on while the check runs again in the background.
  if (text.startsWith(`${id}: waiver expired`)) return settled('waiver expired');
  return null;
}

function readReallocation(id: string, line: LedgerLine): Reading | null {
  if (new RegExp(`^${id}: [0-9.]+ hours allocated`).test(line.text)) return settled('allocated');
  if (line.text.startsWith(`${id} is blocked: `)) return open('blocked', true);
  return null;
}

function readNotify(id: string, line: LedgerLine): Reading | null {
  if (line.text.startsWith(`${id}: notified `)) return settled('notified');
  if (line.text === `${id}: nobody to notify`) return settled('nobody to notify');
  return null;
}

function readWait(id: string, line: LedgerLine): Reading | null {
  if (line.text.startsWith(`${id}: waited until `)) return settled('waited');
  if (line.text.startsWith(`${id}: `) && line.text.endsWith(' has passed; continuing at once')) {
    return settled('waited');
  }
  if (line.text.startsWith(`${id}: not waiting: `)) return settled('not waited: no date');
  return null;
}

const READERS: Partial<Record<StepIR['kind'], (id: string, line: LedgerLine) => Reading | null>> = {
  approve: readApproval,
  check: readCheck,
  reallocate: readReallocation,
  notify: readNotify,
  wait: readWait,
};

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
      facts.settled = own.some((line) => line.text === `${step.id}: every branch has ended`);
      return facts;
    default: {
      const read = READERS[step.kind];
      for (const line of own) {
        const reading = read?.(step.id, line) ?? null;
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
