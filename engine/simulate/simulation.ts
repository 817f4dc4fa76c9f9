// One process instance on a virtual clock. The simulator is the machine's second driver (the
// Temporal workflow is the first): it feeds events, carries out commands against a scripted world,
// moves the clock to whatever the agenda (engine/agenda, shared with the workflow) says comes due
// next, and keeps a timeline people can read. Nothing here waits for anything real, so weeks of
// escalations run in microseconds.
import { Agenda, type AgendaView } from '../agenda/index.js';
import { formatInstant } from '../calendar/index.js';
import type { CompiledPolicy, ValueIR } from '../ir/types.js';
import {
  blockedOn,
  type BlockedOn,
  type MachineCommand,
  type MachineEvent,
  type MachineState,
  type Refusal,
  start,
  step,
  validate,
} from '../machine/index.js';
import { outcomeBranch } from './coverage.js';
import { screenQualified, withGrant } from './qualifications.js';
import { allocate, type CheckAnswer, knownPeople, resolveRefs, type World } from './world.js';

export interface TimelineEntry {
  at: number;
  kind: 'decision' | 'task' | 'action' | 'refused';
  step: string | null;
  text: string;
}

export interface OpenTask {
  task: string;
  step: string;
  title: string;
  assignees: string[];
  openedAt: number;
}

export interface Notification {
  at: number;
  step: string;
  recipients: string[];
  message: string;
}

export interface StartOptions {
  process: string;
  input: Record<string, ValueIR>;
  startedAt: number;
  startedBy: string;
  instanceId?: string;
  world: World;
}

/** A script asked for something the simulation cannot do (not a refusal by the policy). */
export class SimulationError extends Error {}

/** Timers fired by one move of the clock before the simulator suspects a runaway reminder loop. */
export const TIMER_LIMIT = 10_000;

export class Simulation {
  state: MachineState;
  clock: number;
  readonly timeline: TimelineEntry[] = [];
  readonly notifications: Notification[] = [];
  /** Timers that fired, in order, with their step and purpose (coverage counts timeouts). */
  readonly fired: { at: number; step: string; purpose: string }[] = [];
  /** Results steps reached (`approved`, `failed`, ...) as they changed, in order, for coverage. */
  readonly outcomes: [step: string, branch: string][] = [];
  /** Events applied, in order: replaying them on `start` gives the same state. */
  readonly events: MachineEvent[] = [];
  private readonly lastOutcome = new Map<string, string>();
  private readonly tasks = new Map<string, OpenTask>();
  /**
   * The world's answers waiting to be applied, the timers and the external checks under way. A
   * service that answers `pending` is asked again each time an attempt's `timeout` runs out, and
   * (being scripted) answers `pending` again: a check it never answers costs its whole budget,
   * `timeout` per attempt times the attempts, like the workflow's; then it ends as an error.
   */
  private readonly plan: Agenda;
  private readonly world: World;
  private readonly known: Set<string>;

  constructor(policy: CompiledPolicy, options: StartOptions) {
    // The world's capacity is drawn down by reallocations; the caller's copy stays as it was.
    this.world = { ...options.world, capacity: structuredCopy(options.world.capacity) };
    this.known = knownPeople(options.world, [options.startedBy]);
    this.clock = options.startedAt;
    const out = start(policy, options.process, options.input, {
      instanceId: options.instanceId ?? 'simulated',
      startedAt: options.startedAt,
      startedBy: options.startedBy,
    });
    this.state = out.state;
    this.plan = new Agenda(out.state.timers);
    this.absorb(out.commands);
    this.drain();
  }

  /** What the instance waits for and what comes due next, read-only. */
  get agenda(): AgendaView {
    return this.plan;
  }

  get ended(): boolean {
    return this.state.status !== 'running';
  }

  openTasks(): OpenTask[] {
    return [...this.tasks.values()].map((t) => ({ ...t, assignees: [...t.assignees] }));
  }

  blockedOn(): BlockedOn[] {
    return blockedOn(this.state);
  }

  /** External checks waiting for a scripted answer, by step. */
  runningChecks(): { request: string; step: string; service: string }[] {
    return this.plan.runningChecks().map(({ request, step: stepId, service }) => ({
      request,
      step: stepId,
      service,
    }));
  }

  /**
   * Moves the clock to `at`, handling everything that comes due by then at its own instant, in
   * the agenda's order: timers fire (ties in the order they were started), and check attempts
   * run out of time, a check's before a timer's at the same instant. Moving backwards is a
   * script error.
   */
  advanceTo(at: number): void {
    if (at < this.clock) {
      throw new SimulationError(`time cannot go back from ${iso(this.clock)} to ${iso(at)}`);
    }
    let fired = 0;
    while (!this.ended) {
      const due = this.plan.nextDue();
      if (due === null || due.at > at) break;
      this.clock = Math.max(this.clock, due.at);
      if (due.kind === 'checkTimeout') {
        this.attemptTimedOut(due.request, due.service);
        continue;
      }
      if (fired >= TIMER_LIMIT) {
        throw new SimulationError(`more than ${TIMER_LIMIT} timers fired before ${iso(at)}`);
      }
      fired += 1;
      this.fired.push({ at: this.clock, step: due.timer.step, purpose: due.timer.purpose });
      this.apply({ kind: 'timerFired', at: this.clock, timer: due.timer.id });
      this.drain();
    }
    this.clock = at;
  }

  /**
   * A person's (or a service's) event at the current clock. A refused event changes nothing and
   * is kept on the timeline with the machine's reason; the refusal is returned.
   */
  act(event: MachineEvent, label: string): Refusal | null {
    const refusal = validate(this.state, event);
    if (refusal) {
      this.note(
        event.at,
        'refused',
        stepOfEvent(event),
        `${label}: refused (${refusal.code}): ${refusal.message}`,
      );
      return refusal;
    }
    this.note(event.at, 'action', stepOfEvent(event), label);
    this.plan.arrive('person', event);
    this.drain();
    return null;
  }

  /** Answers the running external check of `stepId` (the most recent one when re-run). */
  checkRequestOf(stepId: string): string | null {
    const requests = this.plan.runningChecks().filter((c) => c.step === stepId);
    return requests.at(-1)?.request ?? null;
  }

  /** An attempt of a check ran out of time: the service is asked again, or the check ends as an error. */
  private attemptTimedOut(request: string, service: string): void {
    const next = this.plan.attemptTimedOut(request, this.clock);
    if (next.kind === 'retry') {
      this.ask(request, service);
    } else {
      this.plan.checkEnded(request, next.answer);
      this.drain();
    }
  }

  /** Steps the machine with one event and carries out its commands against the world. */
  private apply(event: MachineEvent): void {
    const out = step(this.state, event);
    this.events.push(event);
    this.plan.stepped(event, out.commands);
    this.state = out.state;
    this.absorb(out.commands);
  }

  /**
   * Applies waiting events in the agenda's order: the world's answers join it as commands are
   * carried out. A check's answer waits until the directory's and capacity's answers are taken,
   * like the workflow's, whose checks are HTTP calls running beside its own store writes.
   */
  private drain(): void {
    for (let input = this.plan.take(); input; input = this.plan.take()) this.apply(input.event);
  }

  /** Asks the world's service for a check's result: it answers at once, or `pending` until its deadline. */
  private ask(request: string, service: string): void {
    const answer = Object.hasOwn(this.world.services, service) ? this.world.services[service] : undefined;
    if (answer && answer.outcome !== 'pending') {
      this.plan.checkEnded(request, checkResult(this.clock, request, { ...answer, outcome: answer.outcome }));
    } else {
      this.plan.attemptPending(request, this.clock);
    }
  }

  private absorb(commands: readonly MachineCommand[]): void {
    const at = this.clock;
    // Completions granted by attestations first, as the worker writes them right after the
    // ledger: a resolve of the same transition (the next step's deciders) already sees them.
    for (const command of commands) {
      const fact = command.kind === 'audit' ? command.decision.fact : undefined;
      if (fact?.kind === 'attested' && fact.grants && this.world.qualifications)
        this.world.qualifications = withGrant(this.world.qualifications, fact.grants);
    }
    for (const command of commands) {
      switch (command.kind) {
        case 'resolve': {
          const resolved = resolveRefs(this.world, this.known, command.refs);
          // A step's deciders who lack a required qualification are left out with the reason.
          const screened =
            command.qualifications === undefined
              ? {}
              : screenQualified(this.world.qualifications, resolved.people, command.qualifications, at);
          this.plan.arrive('store', {
            kind: 'resolved',
            at,
            request: command.request,
            ...resolved,
            ...screened,
          });
          break;
        }
        case 'runCheck':
          this.plan.checkStarted(command);
          this.ask(command.request, command.service);
          break;
        case 'reallocate':
          this.plan.arrive('store', {
            kind: 'reallocated',
            at,
            request: command.request,
            ...allocate(this.world.capacity, command.pool, command.skill, command.hours),
          });
          break;
        case 'notify':
          this.notifications.push({
            at,
            step: command.step,
            recipients: command.recipients,
            message: command.message,
          });
          break;
        case 'audit': {
          const decision = command.decision;
          this.note(decision.at, 'decision', decision.step, decision.text);
          // Every result is written together with a decision about its step, so this sees them all.
          const result = decision.step === null ? undefined : this.state.results[decision.step];
          const branch = result ? outcomeBranch(result) : null;
          if (decision.step !== null && branch !== null && this.lastOutcome.get(decision.step) !== branch) {
            this.lastOutcome.set(decision.step, branch);
            this.outcomes.push([decision.step, branch]);
          }
          break;
        }
        case 'openTask':
          this.tasks.set(command.task, {
            task: command.task,
            step: command.step,
            title: command.title,
            assignees: [...command.people],
            openedAt: at,
          });
          this.note(
            at,
            'task',
            command.step,
            `task opened for ${command.people.join(', ')}: ${command.title}`,
          );
          break;
        case 'addToTask': {
          const task = this.tasks.get(command.task);
          if (task) task.assignees = [...new Set([...task.assignees, ...command.people])];
          this.note(
            at,
            'task',
            task?.step ?? null,
            `${command.people.join(', ')} added to ${task?.title ?? command.task}`,
          );
          break;
        }
        case 'closeTask': {
          const task = this.tasks.get(command.task);
          this.tasks.delete(command.task);
          this.note(
            at,
            'task',
            task?.step ?? null,
            `task closed (${command.reason}): ${task?.title ?? command.task}`,
          );
          break;
        }
        case 'cancelTimer':
        case 'startTimer':
        case 'finished':
          // Timers live in the state; the end is a decision.
          break;
      }
    }
    // A check answered (or cancelled with its instance) no longer waits for a script.
    for (const { request } of this.plan.runningChecks()) {
      if (!this.stillRunning(request)) this.plan.checkEnded(request, null);
    }
  }

  private stillRunning(request: string): boolean {
    if (this.ended) return false;
    const waits = this.state.threads.map((t) => t.waiting);
    return (
      waits.some((w) => w?.kind === 'check' && w.check.request === request) ||
      this.state.rechecks.some((c) => c.request === request)
    );
  }

  private note(at: number, kind: TimelineEntry['kind'], stepId: string | null, text: string): void {
    this.timeline.push({ at, kind, step: stepId, text });
  }
}

function checkResult(
  at: number,
  request: string,
  answer: CheckAnswer & { outcome: 'passed' | 'failed' | 'error' },
): MachineEvent {
  return {
    kind: 'checkResult',
    at,
    request,
    outcome: answer.outcome,
    ...(answer.evidence === undefined ? {} : { evidence: answer.evidence }),
    ...(answer.detail === undefined ? {} : { detail: answer.detail }),
  };
}

function stepOfEvent(event: MachineEvent): string | null {
  return 'step' in event ? event.step : null;
}

const structuredCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

// Script errors name the instant in UTC: the script's own zone may not be the policy's.
const iso = (at: number): string => formatInstant(at, 'UTC');
