// The agenda of one instance: what its driver has to do next, in which order, at which time. The
// Temporal workflow and the simulator both ask it instead of keeping their own lists, so the order
// in which the machine sees events cannot drift between production and `charter test`.
//
// It holds three things:
// - the inputs waiting to be applied, taken in this order:
//     1. answers of the store (directory look-ups, capacity), in the order they arrived: they
//        answer the transition that asked, in its command order;
//     2. people's actions, in arrival order;
//     3. answers of external checks, in the order the checks were started (not the order the
//        services answered in: a fast service must not overtake a slow one started earlier);
// - the pending timers, from the machine's startTimer and cancelTimer commands (seeded from the
//   state, so it survives continue-as-new); a timer leaves when it fires or is cancelled;
// - the external checks under way with their time budgets (check-attempts.ts).
//
// What comes due, when nothing is waiting: the earliest instant first. At the same instant a
// check's attempt timing out comes before a timer (its answer is a check answer, and those come
// before timers); among checks the one started first; among timers the one started first, by the
// counter `n` the machine puts in every timer id (`<step>#<n>`, unique within an instance), then
// by id. Nothing here reads a clock, and every tie is broken by one of these rules.
//
// In the workflow a person's action is an Update: the caller waits for its answer, so the driver
// applies it as it arrives and never queues it here (ahead even of store answers still waiting,
// which the simulator, whose world answers at once, never has); the transitions it causes are
// carried out before the next check answer or timer is taken (see `take`).
import type { MachineCommand, MachineEvent } from '../machine/index.js';
import type { Timer } from '../machine/types.js';
import { type AfterTimeout, type CheckAttempt, CheckAttempts, type RunCheck } from './check-attempts.js';

/** Where a waiting input came from; also the order in which waiting inputs are taken. */
export type Source = 'store' | 'person' | 'check';

const SOURCES: readonly Source[] = ['store', 'person', 'check'];

export interface Input {
  source: Source;
  event: MachineEvent;
}

export type PendingTimer = Pick<Timer, 'id' | 'step' | 'purpose' | 'at'>;

/** Something that comes due at an instant: a timer, or a check attempt's deadline. */
export type Due =
  | { kind: 'timer'; at: number; timer: PendingTimer }
  | { kind: 'checkTimeout'; at: number; request: string; step: string; service: string };

/** What a driver may read of an agenda without changing it (tools, tests). */
export interface AgendaView {
  readonly hasInput: boolean;
  readonly idle: boolean;
  pendingTimers(): PendingTimer[];
  runningChecks(): CheckAttempt[];
  nextTimer(): Extract<Due, { kind: 'timer' }> | null;
  nextDue(): Due | null;
}

export class Agenda implements AgendaView {
  private readonly timers = new Map<string, PendingTimer>();
  /** Answers of the store and people's actions, each in arrival order. */
  private readonly arrived: Record<'store' | 'person', MachineEvent[]> = { store: [], person: [] };
  /** Check answers, kept sorted by the order their checks started in. */
  private readonly checkAnswers: { order: number; event: MachineEvent }[] = [];
  private readonly checks = new CheckAttempts();

  /** An agenda for an instance whose machine state holds these timers (a start, continue-as-new). */
  constructor(timers: readonly PendingTimer[] = []) {
    for (const { id, step, purpose, at } of timers) this.timers.set(id, { id, step, purpose, at });
  }

  /** Something waits to be applied. */
  get hasInput(): boolean {
    return this.arrived.store.length > 0 || this.arrived.person.length > 0 || this.checkAnswers.length > 0;
  }

  /** Nothing waits and no check is under way: timers aside, the instance waits for the world. */
  get idle(): boolean {
    return !this.hasInput && this.checks.size === 0;
  }

  /**
   * What one transition did to the timers: the timer a `timerFired` event named has fired (the
   * machine drops it from its state without a command, and a refused one is gone as well), then
   * the commands start and cancel timers in their order. Call it for every event applied or
   * refused, with the commands of the transition (none for a refusal).
   */
  stepped(event: MachineEvent | null, commands: readonly MachineCommand[]): void {
    if (event?.kind === 'timerFired') this.timers.delete(event.timer);
    for (const command of commands) {
      if (command.kind === 'startTimer') {
        const { timer: id, step, purpose, at } = command;
        this.timers.set(id, { id, step, purpose, at });
      } else if (command.kind === 'cancelTimer') {
        this.timers.delete(command.timer);
      }
    }
  }

  /** The timers pending, in the order they come due. */
  pendingTimers(): PendingTimer[] {
    return [...this.timers.values()].sort(timerOrder).map((t) => ({ ...t }));
  }

  /** An answer of the store or a person's action, queued behind the others of its source. */
  arrive(source: 'store' | 'person', event: MachineEvent): void {
    this.arrived[source].push(event);
  }

  /**
   * The next waiting input by source (store, person, check), oldest first within a source, check
   * answers by the order their checks started. `through` stops the search after that source: the
   * workflow takes no check answer while transitions a person's action caused are still to be
   * carried out.
   */
  take(through: Source = 'check'): Input | null {
    for (const source of SOURCES.slice(0, SOURCES.indexOf(through) + 1)) {
      const event = source === 'check' ? this.checkAnswers.shift()?.event : this.arrived[source].shift();
      if (event) return { source, event };
    }
    return null;
  }

  /** A check the driver starts now, from the machine's `runCheck` command. */
  checkStarted(command: RunCheck): CheckAttempt {
    return this.checks.start(command);
  }

  /** The service answered `pending` at `at`: the deadline of this attempt, null for none. */
  attemptPending(request: string, at: number): number | null {
    return this.checks.pending(request, at);
  }

  /** The attempt awaiting a report ran out of time at `at`: the next attempt, or the error answer. */
  attemptTimedOut(request: string, at: number): AfterTimeout {
    return this.checks.timedOut(request, at);
  }

  /** The check whose service may still report, with that service; null when none may. */
  awaitingReport(request: string): { service: string; step: string } | null {
    const attempt = this.checks.get(request);
    return attempt?.phase === 'awaitingReport' ? { service: attempt.service, step: attempt.step } : null;
  }

  /** The service's late result arrived (and was applied as an action). */
  reportArrived(request: string): void {
    this.checks.reported(request);
  }

  /**
   * The check is over: its answer, if it has one to give (a report was applied as an action; a
   * check the machine no longer waits for has none), queues by the order the check started in.
   */
  checkEnded(request: string, answer: MachineEvent | null): void {
    const { order } = this.checks.end(request);
    if (answer === null) return;
    const later = this.checkAnswers.findIndex((w) => w.order > order);
    this.checkAnswers.splice(later === -1 ? this.checkAnswers.length : later, 0, { order, event: answer });
  }

  /** The checks under way, oldest first. */
  runningChecks(): CheckAttempt[] {
    return this.checks.list();
  }

  /** The timer that comes due first, if any. */
  nextTimer(): Extract<Due, { kind: 'timer' }> | null {
    let first: PendingTimer | null = null;
    for (const timer of this.timers.values())
      if (first === null || timerOrder(timer, first) < 0) first = timer;
    return first === null ? null : { kind: 'timer', at: first.at, timer: { ...first } };
  }

  /** What comes due first, timers and check deadlines together; at the same instant, checks first. */
  nextDue(): Due | null {
    const timer = this.nextTimer();
    const check = this.checks.firstDeadline();
    if (check !== null && (timer === null || check.deadline <= timer.at)) {
      const { request, step, service, deadline } = check;
      return { kind: 'checkTimeout', at: deadline, request, step, service };
    }
    return timer;
  }
}

/** Earliest first; then the timer started first (`<step>#<n>`), then by id, so the order is total. */
function timerOrder(a: PendingTimer, b: PendingTimer): number {
  return a.at - b.at || counterOf(a.id) - counterOf(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The `n` of `<step>#<n>`; ids of another shape sort after those that have one. */
function counterOf(id: string): number {
  const n = Number(id.slice(id.lastIndexOf('#') + 1));
  return Number.isSafeInteger(n) && id.includes('#') ? n : Number.MAX_SAFE_INTEGER;
}
