// External checks from the moment they start until their answer: the time budget the policy gives
// a service (`timeout` per attempt, `retry N` more attempts), kept in one place for both drivers.
// An attempt asks the service; one that answers `pending` has until its deadline to report the
// result; an attempt that runs out of time is followed at once by the next; after the last the
// check ends as an error. The workflow waits for each deadline on a Temporal timer of its own, the
// simulator on its virtual clock; both learn here when that is and what follows.
import type { MachineCommand, MachineEvent } from '../machine/index.js';

export type RunCheck = Extract<MachineCommand, { kind: 'runCheck' }>;

/**
 * `asking`: the service has been called and has not answered yet. `awaitingReport`: it answered
 * `pending` and may report the result until `deadline`. `reported`: its late result has arrived
 * (and was applied as an action); the driver's wait for it ends. `gaveUp`: the last attempt ran
 * out of time; the error is the check's answer.
 */
export type AttemptPhase = 'asking' | 'awaitingReport' | 'reported' | 'gaveUp';

export interface CheckAttempt {
  request: string;
  step: string;
  service: string;
  /** The order the check was started in (from 1): its answer queues behind earlier checks'. */
  order: number;
  /** The attempt under way, from 1. */
  round: number;
  /** Attempts allowed in all: the first and the policy's `retry` more. */
  attempts: number;
  /** The policy's `timeout` per attempt; null when it sets none (a report may come any time). */
  timeoutMs: number | null;
  phase: AttemptPhase;
  /** When the attempt awaiting a report runs out of time; null in other phases or without a timeout. */
  deadline: number | null;
}

/** What follows an attempt that ran out of time: the next attempt, due at once, or the end. */
export type AfterTimeout = { kind: 'retry'; round: number } | { kind: 'gaveUp'; answer: MachineEvent };

/** The agenda was asked about a check it does not hold: a driver bug, never a policy outcome. */
export class AgendaError extends Error {}

/** The checks under way, by request, in the order they were started. */
export class CheckAttempts {
  private readonly running = new Map<string, CheckAttempt>();
  private started = 0;

  get size(): number {
    return this.running.size;
  }

  /** Every check under way, oldest first. */
  list(): CheckAttempt[] {
    return [...this.running.values()].map((c) => ({ ...c }));
  }

  get(request: string): CheckAttempt | undefined {
    const found = this.running.get(request);
    return found ? { ...found } : undefined;
  }

  /** A `runCheck` the driver starts now: the first attempt asks the service. */
  start(command: RunCheck): CheckAttempt {
    if (this.running.has(command.request)) {
      throw new AgendaError(`check ${command.request} (${command.step}) is already running`);
    }
    this.started += 1;
    const attempt: CheckAttempt = {
      request: command.request,
      step: command.step,
      service: command.service,
      order: this.started,
      round: 1,
      attempts: command.retries + 1,
      timeoutMs: command.timeoutMs,
      phase: 'asking',
      deadline: null,
    };
    this.running.set(command.request, attempt);
    return { ...attempt };
  }

  /**
   * The service answered `pending` at `at`: the attempt now waits for its report, until the
   * returned deadline (`at` plus the timeout), or without limit when the policy sets no timeout.
   */
  pending(request: string, at: number): number | null {
    const attempt = this.must(request, 'answer pending');
    attempt.phase = 'awaitingReport';
    attempt.deadline = attempt.timeoutMs === null ? null : at + attempt.timeoutMs;
    return attempt.deadline;
  }

  /** The service's late result arrived: no deadline applies any more. */
  reported(request: string): void {
    const attempt = this.must(request, 'report');
    attempt.phase = 'reported';
    attempt.deadline = null;
  }

  /**
   * The attempt awaiting a report ran out of time at `at`. The next attempt is due at once while
   * any are left; after the last, the check's answer is an error that says why. A report that
   * arrived at the very instant of the timeout does not cancel it: the workflow sees both in one
   * task and has always gone on as timed out (the machine then refuses the late answer).
   */
  timedOut(request: string, at: number): AfterTimeout {
    const attempt = this.must(request, 'time out');
    if (attempt.phase !== 'awaitingReport' && attempt.phase !== 'reported') {
      throw new AgendaError(`check ${request} cannot time out while ${attempt.phase}`);
    }
    attempt.deadline = null;
    if (attempt.round < attempt.attempts) {
      attempt.round += 1;
      attempt.phase = 'asking';
      return { kind: 'retry', round: attempt.round };
    }
    attempt.phase = 'gaveUp';
    const detail = `"${attempt.service}" accepted the check but reported no result within its timeout, ${attempt.attempts} times`;
    return { kind: 'gaveUp', answer: { kind: 'checkResult', at, request, outcome: 'error', detail } };
  }

  /** The check is over (answered, reported, given up or no longer wanted): its record goes. */
  end(request: string): CheckAttempt {
    const attempt = this.must(request, 'end');
    this.running.delete(request);
    return attempt;
  }

  /** The attempt whose deadline comes first (ties: the check started first), if any has one. */
  firstDeadline(): (CheckAttempt & { deadline: number }) | null {
    let first: (CheckAttempt & { deadline: number }) | null = null;
    for (const attempt of this.running.values()) {
      const { deadline } = attempt;
      if (deadline !== null && (first === null || deadline < first.deadline))
        first = { ...attempt, deadline };
    }
    return first;
  }

  private must(request: string, what: string): CheckAttempt {
    const attempt = this.running.get(request);
    if (!attempt) throw new AgendaError(`cannot ${what}: no check ${request} is running`);
    return attempt;
  }
}
