// The interpreter's engine room: it owns the machine state, carries out the commands of each
// transition through activities, and takes the next event in the order of the instance's agenda
// (engine/agenda): answers of the store first (they belong to the transition that asked), then
// people's actions (Updates, applied as they arrive), then answers of external checks in the order
// the checks started, then the earliest timer. Checks run in the background: a slow service holds
// up only the step that waits for it; the agenda keeps their time budgets. Everything here is
// deterministic: the order of events depends only on history.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
} from '@temporalio/workflow';
import { Agenda, type RunCheck } from '../../engine/agenda/index.js';
import {
  blockedOn,
  type MachineCommand,
  type MachineEvent,
  type MachineState,
  type Refusal,
  step,
  validate,
} from '../../engine/machine/index.js';
import type {
  CharterActivities,
  CheckOutput,
  CheckResult,
  EffectCommand,
  InstanceRef,
  ViewSnapshot,
} from '../activities/contract.js';
import { workflowNow } from './clock.js';
import { type ActionReceipt, type CheckReport, REFUSED } from './messages.js';

// Writes and look-ups retry until they succeed: a storage outage delays an instance, never fails it.
// An attempt that has not answered in 30 s is given up and retried (every write is idempotent):
// that is also how long the instances of a worker that died mid-write wait for another worker.
// That is more than a replica-set election takes (about 12 s with MongoDB's default settings).
const storage = proxyActivities<CharterActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** A transition whose commands still have to be carried out, with the view it leads to. */
interface Backlog {
  commands: MachineCommand[];
  transition: number;
  view: ViewSnapshot;
}

const EFFECTS: ReadonlySet<MachineCommand['kind']> = new Set([
  'notify',
  'openTask',
  'addToTask',
  'closeTask',
  'audit',
  'finished',
]);

/**
 * Instances started before this patch awaited every check of a transition before taking the next
 * event; their histories replay that way.
 */
export const CHECKS_IN_BACKGROUND = 'checks-in-background';

export class InstanceDriver {
  /** Waiting answers, pending timers and the checks under way, in the order they are taken. */
  private readonly agenda: Agenda;
  /** Transitions whose commands are still to be carried out, oldest first. */
  private readonly backlog: Backlog[] = [];
  private lastView = '';

  constructor(
    public state: MachineState,
    public transition: number,
    commands: MachineCommand[] = [],
  ) {
    // The state holds the timers of `commands` already (and all of them after continue-as-new).
    this.agenda = new Agenda(state.timers);
    this.backlog.push({ commands, transition, view: this.view() });
  }

  get ended(): boolean {
    return this.state.status !== 'running';
  }

  get instance(): InstanceRef {
    const project = this.state.input['project'];
    const policy = this.state.policy.ir.policy;
    return {
      instanceId: this.state.instanceId,
      policy: { name: policy.name, version: policy.version, sha256: this.state.policy.sha256 },
      process: this.state.process,
      project: typeof project === 'string' ? project : null,
    };
  }

  /** Nothing queued or running: a safe point to continue-as-new. */
  get idle(): boolean {
    return this.backlog.length === 0 && this.agenda.idle;
  }

  /** The Update validator: refuses exactly what `step` would refuse now, with the engine's code. */
  check(event: MachineEvent): void {
    const refusal = validate(this.state, event);
    if (refusal) throw refused(refusal);
  }

  /**
   * A person's action, applied at once: the caller learns what it led to within one workflow task,
   * while the commands it caused queue behind those of earlier transitions.
   */
  act(event: MachineEvent): ActionReceipt {
    const refusal = this.apply(event);
    if (refusal) throw refused(refusal);
    return { status: this.state.status, message: this.state.message, blockedOn: blockedOn(this.state) };
  }

  /** The reportCheck validator: only a check whose service said it would report, and only once. */
  checkReport(report: CheckReport): void {
    const awaiting = this.agenda.awaitingReport(report.request);
    if (!awaiting || awaiting.service !== report.service) {
      throw refused({
        code: 'no-such-check',
        message: `no check of service "${report.service}" awaits a report for request ${report.request}`,
      });
    }
    this.check(reportEvent(report, workflowNow()));
  }

  /** A late check result, applied at once like a person's action; the waiting attempt ends. */
  report(report: CheckReport): ActionReceipt {
    const receipt = this.act(reportEvent(report, workflowNow()));
    if (this.agenda.awaitingReport(report.request)) this.agenda.reportArrived(report.request);
    return receipt;
  }

  /** Steps the machine; a refused event (a timer cancelled meanwhile, say) changes nothing. */
  apply(event: MachineEvent): Refusal | null {
    const refusal = validate(this.state, event);
    if (refusal) {
      this.agenda.stepped(event, []);
      return refusal;
    }
    const out = step(this.state, event);
    this.agenda.stepped(event, out.commands);
    this.state = out.state;
    this.transition += 1;
    this.backlog.push({ commands: out.commands, transition: this.transition, view: this.view() });
    return null;
  }

  /** Carries out queued transitions, oldest first, until none is left. */
  async drain(): Promise<void> {
    for (let next = this.backlog.shift(); next; next = this.backlog.shift()) await this.perform(next);
  }

  /**
   * The next event from outside the workflow, as the agenda orders them: an answer of the store,
   * else (once the transitions people's actions caused are carried out: null says to carry them
   * out first) the answer of the earliest-started check, else the earliest timer when it is due.
   * Check deadlines are not waited for here: each check waits for its own (`checkToTheEnd`).
   */
  async next(): Promise<MachineEvent | null> {
    for (;;) {
      const input = this.agenda.take(this.backlog.length > 0 ? 'person' : 'check');
      if (input) return input.event;
      if (this.backlog.length > 0) return null;
      const due = this.agenda.nextTimer();
      const woken = () => this.backlog.length > 0 || this.agenda.hasInput;
      if (!due) {
        await condition(woken);
        continue;
      }
      const wait = due.at - workflowNow();
      if (wait <= 0 || !(await condition(woken, wait))) {
        return { kind: 'timerFired', at: workflowNow(), timer: due.timer.id };
      }
    }
  }

  /**
   * Carries out one transition's commands: its writes and look-ups in one activity (tasks,
   * notifications, audit entries, the instance view, directory and capacity), whose answers queue
   * in command order; then starts the external checks it asked for.
   */
  private async perform({ commands, transition, view }: Backlog): Promise<void> {
    const effects = commands.filter((c): c is EffectCommand => EFFECTS.has(c.kind));
    const resolves = commands.filter((c) => c.kind === 'resolve');
    const reallocations = commands.filter((c) => c.kind === 'reallocate');
    const viewText = JSON.stringify(view);
    const answers = new Map<string, MachineEvent>();
    if (effects.length > 0 || resolves.length > 0 || reallocations.length > 0 || viewText !== this.lastView) {
      const out = await storage.applyTransition({
        instance: this.instance,
        transition,
        at: workflowNow(),
        commands: effects,
        view,
        dueAt: dueAtOf(effects, view),
        // The first transition hands over the input for the view to keep. Only an activity's
        // input changes here, which replay does not compare: recorded histories replay as before.
        ...(transition === 1 ? { input: this.state.input } : {}),
        // Qualifications are asked only by steps that require them; an activity's input is not
        // compared on replay either way.
        resolve: resolves.map(({ request, step: stepId, refs, qualifications }) => ({
          request,
          step: stepId,
          refs,
          ...(qualifications === undefined ? {} : { qualifications }),
        })),
        reallocate: reallocations.map(({ kind: _kind, ...rest }) => rest),
      });
      this.lastView = viewText;
      const at = workflowNow();
      for (const { request, ...answer } of out.resolved)
        answers.set(request, { kind: 'resolved', at, request, ...answer });
      for (const { request, ...answer } of out.reallocated) {
        answers.set(request, { kind: 'reallocated', at, request, ...answer });
      }
    }
    const checks = commands.filter((c) => c.kind === 'runCheck');
    if (checks.length > 0 && patched(CHECKS_IN_BACKGROUND)) {
      for (const command of checks) this.startCheck(command);
    } else {
      // Before the patch a pending answer was no valid answer: the activity failed and retried.
      // The results were answers of the transition itself, so they queue with the store's.
      const results = await Promise.all(checks.map((c) => runCheck(this.instance, c)));
      checks.forEach((c, i) => {
        const out = results[i];
        if (out && out.outcome !== 'pending') answers.set(c.request, checkEvent(c.request, out));
      });
    }
    // Answers queue in command order, so the same history always gives the same event order.
    for (const command of commands) {
      const answer = 'request' in command ? answers.get(command.request) : undefined;
      if (answer) this.agenda.arrive('store', answer);
    }
  }

  /** Runs the check beside the rest of the instance; its answer joins the agenda's check answers. */
  private startCheck(command: RunCheck): void {
    this.agenda.checkStarted(command);
    void this.checkToTheEnd(command).then((event) => this.agenda.checkEnded(command.request, event));
  }

  /**
   * Calls the service until it gives a result. One that answers `pending` has until the deadline
   * the agenda sets (the policy's `timeout`; no timeout: no limit) to report, one Temporal timer
   * per attempt; the agenda says whether it is asked again or the check counts as an error. Null
   * when the result came as a report (already applied) or the instance ended. Never rejects: a
   * service that does not answer is a check result too.
   */
  private async checkToTheEnd(command: RunCheck): Promise<MachineEvent | null> {
    const { request } = command;
    for (;;) {
      const out = await runCheck(this.instance, command);
      if (out.outcome !== 'pending') return checkEvent(request, out);
      const asked = workflowNow();
      const deadline = this.agenda.attemptPending(request, asked);
      const settled = () => this.agenda.awaitingReport(request) === null || this.ended;
      const inTime =
        deadline === null
          ? await condition(settled).then(() => true)
          : await condition(settled, deadline - asked);
      if (inTime) return null;
      const next = this.agenda.attemptTimedOut(request, workflowNow());
      if (next.kind === 'gaveUp') return next.answer;
    }
  }

  view(): ViewSnapshot {
    const waiting = blockedOn(this.state);
    return {
      status: this.state.status,
      message: this.state.message,
      startedAt: this.state.startedAt,
      startedBy: this.state.startedBy,
      endedAt: this.state.endedAt,
      currentSteps: [...new Set(waiting.map((b) => b.step))],
      blockedOn: waiting,
    };
  }
}

async function runCheck(instance: InstanceRef, command: RunCheck): Promise<CheckOutput> {
  // The policy's own budget: `timeout` per attempt and `retry N` more attempts, then it counts as failed.
  const service = proxyActivities<CharterActivities>({
    startToCloseTimeout: command.timeoutMs ?? 5 * 60_000,
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumAttempts: command.retries + 1 },
  });
  try {
    return await service.runCheck({
      instance,
      request: command.request,
      step: command.step,
      service: command.service,
    });
  } catch (error) {
    const detail = `"${command.service}" did not answer after ${command.retries + 1} attempts: ${failureText(error)}`;
    return { outcome: 'error', detail };
  }
}

function checkEvent(request: string, out: CheckResult): MachineEvent {
  return { kind: 'checkResult', at: workflowNow(), request, ...out };
}

function reportEvent({ request, outcome, evidence, detail }: CheckReport, at: number): MachineEvent {
  return {
    kind: 'checkResult',
    at,
    request,
    outcome,
    ...(evidence === undefined ? {} : { evidence }),
    ...(detail === undefined ? {} : { detail }),
  };
}

function dueAtOf(effects: readonly EffectCommand[], view: ViewSnapshot): Record<string, number | null> {
  const due: Record<string, number | null> = {};
  for (const c of effects) {
    if (c.kind === 'openTask') due[c.task] = view.blockedOn.find((b) => b.step === c.step)?.dueAt ?? null;
  }
  return due;
}

function failureText(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

function refused(refusal: Refusal): ApplicationFailure {
  return ApplicationFailure.create({
    type: REFUSED,
    message: refusal.message,
    details: [refusal],
    nonRetryable: true,
  });
}
