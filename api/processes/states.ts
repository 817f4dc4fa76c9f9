// An instance's progress laid over its process graph: a state and an outcome for every node,
// from what the ledger says about each step (api/processes/ledger.ts) and where the instance stands
// (its status and current steps). Pure: the route reads the view and the ledger, this decides.
//
// The rules, node by node:
// - `current`: the instance runs and the step waits for something (it is among the current
//   steps, or the ledger shows it reached and not settled); a parallel block while any of its
//   branches still runs.
// - `done`: the step settled and the run went on (or ended there, for an `end`); the start always.
// - `failed`: the step settled as a failure (rejected, failed, timed out, blocked), or it was
//   reached and never settled because the instance ended meanwhile (outcome `cancelled`: a
//   withdrawal, or a sibling branch that failed under `cancel others`); a parallel block that did
//   not join and holds a failed step.
// - `skipped`: never reached, and it never will be: in a branch of a decided `if` that the run did
//   not take, or anywhere on an instance that has ended.
// - `pending`: not reached yet on a running instance, on a path the run may still take.
// A join is done once every branch has ended; the implicit end once the process ran off its last step.
import {
  branchLabels,
  IMPLICIT_END_NODE,
  joinNodeOf,
  OTHERWISE,
  type ProcessGraph,
  START_NODE,
} from '../../engine/graph/index.js';
import type { ProcessIR, StepIR } from '../../engine/ir/types.js';
import { type LedgerLine, readLedger, type StepFacts } from './ledger.js';

export type NodeState = 'done' | 'current' | 'skipped' | 'failed' | 'pending';

export interface NodeProgress {
  state: NodeState;
  outcome: string | null;
}

export interface InstanceStanding {
  status: 'running' | 'approved' | 'rejected' | 'cancelled';
  currentSteps: readonly string[];
}

const NOT_REACHED: StepFacts = {
  reached: false,
  outcome: null,
  settled: false,
  failed: false,
  branchTaken: null,
};

class Progress {
  readonly nodes = new Map<string, NodeProgress>();
  private readonly running: boolean;
  private readonly current: Set<string>;

  constructor(
    private readonly facts: Map<string, StepFacts>,
    standing: InstanceStanding,
  ) {
    this.running = standing.status === 'running';
    this.current = new Set(this.running ? standing.currentSteps : []);
  }

  /** Not reached: skipped where the run cannot come any more, else pending. */
  private unreached(untaken: boolean): NodeProgress {
    return { state: untaken || !this.running ? 'skipped' : 'pending', outcome: null };
  }

  /** Sets the states of `steps` and what they hold; `untaken`: in a branch the run did not take. */
  block(steps: readonly StepIR[], untaken: boolean): NodeProgress[] {
    return steps.map((step) => this.step(step, untaken));
  }

  private step(step: StepIR, untaken: boolean): NodeProgress {
    const facts = this.facts.get(step.id) ?? NOT_REACHED;
    let progress: NodeProgress;
    switch (step.kind) {
      case 'if': {
        const taken = facts.branchTaken;
        step.branches.forEach((b, i) => this.block(b.steps, untaken || (taken !== null && taken !== i)));
        this.block(step.otherwise, untaken || (taken !== null && taken !== -1));
        const label = taken === null ? null : taken === -1 ? OTHERWISE : (branchLabels(step)[taken] ?? null);
        progress = facts.reached ? { state: 'done', outcome: label } : this.unreached(untaken);
        break;
      }
      case 'parallel': {
        const inside = step.branches.flatMap((b) => this.block(b.steps, untaken));
        progress = this.parallel(facts, inside, untaken);
        this.nodes.set(joinNodeOf(step.id), joinOf(facts, progress));
        break;
      }
      default:
        progress = this.plain(step.id, facts, untaken);
    }
    this.nodes.set(step.id, progress);
    return progress;
  }

  private parallel(facts: StepFacts, inside: readonly NodeProgress[], untaken: boolean): NodeProgress {
    if (!facts.reached) return this.unreached(untaken);
    if (facts.settled) return { state: 'done', outcome: null };
    if (this.running) return { state: 'current', outcome: null };
    return { state: inside.some((p) => p.state === 'failed') ? 'failed' : 'done', outcome: null };
  }

  private plain(id: string, facts: StepFacts, untaken: boolean): NodeProgress {
    if (facts.settled) return { state: facts.failed ? 'failed' : 'done', outcome: facts.outcome };
    if (this.current.has(id) || (facts.reached && this.running))
      return { state: 'current', outcome: facts.outcome };
    if (facts.reached) return { state: 'failed', outcome: facts.outcome ?? 'cancelled' };
    return this.unreached(untaken);
  }
}

/** A join is reached once every branch ended; while they run it is ahead; else never reached. */
function joinOf(parallel: StepFacts, progress: NodeProgress): NodeProgress {
  if (parallel.settled) return { state: 'done', outcome: null };
  const ahead = progress.state === 'current' || progress.state === 'pending';
  return { state: ahead ? 'pending' : 'skipped', outcome: null };
}

/** The state and outcome of every node of `graph` (the graph of `process`). */
export function progressOf(
  process: ProcessIR,
  graph: ProcessGraph,
  lines: readonly LedgerLine[],
  standing: InstanceStanding,
): Map<string, NodeProgress> {
  const reading = readLedger(process, lines);
  const progress = new Progress(reading.steps, standing);
  progress.block(process.steps, false);
  const nodes = progress.nodes;
  nodes.set(START_NODE, { state: 'done', outcome: null });
  if (graph.nodes.some((n) => n.id === IMPLICIT_END_NODE)) {
    nodes.set(
      IMPLICIT_END_NODE,
      reading.ranToEnd
        ? { state: 'done', outcome: 'approved' }
        : { state: standing.status === 'running' ? 'pending' : 'skipped', outcome: null },
    );
  }
  return nodes;
}
