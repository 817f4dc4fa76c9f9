// The interpreter's engine room: it owns the machine state, carries out the commands of each
// transition through activities, and picks the next event: answers of activities first (they
// belong to the transition that asked), then people's actions in arrival order, then the earliest
// timer. Everything here is deterministic: the order of events depends only on history.
import { ActivityFailure, ApplicationFailure, condition, proxyActivities } from '@temporalio/workflow';
import {
  blockedOn,
  type MachineCommand,
  type MachineEvent,
  type MachineState,
  type Refusal,
  step,
  validate,
} from '../../engine/machine/index.js';
import type { CharterActivities, EffectCommand, InstanceRef, ViewSnapshot } from '../activities/contract.js';
import { workflowNow } from './clock.js';
import { type ActionReceipt, REFUSED } from './messages.js';

// Writes and look-ups retry until they succeed: a storage outage delays an instance, never fails it.
const storage = proxyActivities<CharterActivities>({
  startToCloseTimeout: '1 minute',
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

export class InstanceDriver {
  private readonly answers: MachineEvent[] = [];
  private readonly backlog: Backlog[] = [];
  private lastView = '';

  constructor(
    public state: MachineState,
    public transition: number,
    commands: MachineCommand[] = [],
  ) {
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

  /** Nothing queued: a safe point to continue-as-new. */
  get idle(): boolean {
    return this.answers.length === 0 && this.backlog.length === 0;
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

  /** Steps the machine; a refused event (a timer cancelled meanwhile, say) changes nothing. */
  apply(event: MachineEvent): Refusal | null {
    const refusal = validate(this.state, event);
    if (refusal) return refusal;
    const out = step(this.state, event);
    this.state = out.state;
    this.transition += 1;
    this.backlog.push({ commands: out.commands, transition: this.transition, view: this.view() });
    return null;
  }

  /** Carries out queued transitions, oldest first, until none is left. */
  async drain(): Promise<void> {
    for (let next = this.backlog.shift(); next; next = this.backlog.shift()) await this.perform(next);
  }

  /** The next event from outside the workflow: an activity's answer, else the earliest due timer. */
  async next(): Promise<MachineEvent | null> {
    for (;;) {
      const answer = this.answers.shift();
      if (answer) return answer;
      if (this.backlog.length > 0) return null;
      const due = [...this.state.timers].sort((a, b) => a.at - b.at || order(a.id) - order(b.id))[0];
      const woken = () => this.backlog.length > 0 || this.answers.length > 0;
      if (!due) {
        await condition(woken);
        continue;
      }
      const wait = due.at - workflowNow();
      if (wait <= 0 || !(await condition(woken, wait))) {
        return { kind: 'timerFired', at: workflowNow(), timer: due.id };
      }
    }
  }

  /**
   * Carries out one transition's commands: its writes in one activity (tasks, notifications,
   * audit entries, the instance view), then the look-ups and services it asked for, at once; their
   * answers queue in command order, so the same history always gives the same event order.
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
        resolve: resolves.map(({ request, step: stepId, refs }) => ({ request, step: stepId, refs })),
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
    const results = await Promise.all(checks.map((c) => runCheck(this.instance, c)));
    checks.forEach((c, i) => answers.set(c.request, results[i] as MachineEvent));
    // Answers queue in command order, so the same history always gives the same event order.
    for (const command of commands) {
      const answer = 'request' in command ? answers.get(command.request) : undefined;
      if (answer) this.answers.push(answer);
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

async function runCheck(
  instance: InstanceRef,
  command: Extract<MachineCommand, { kind: 'runCheck' }>,
): Promise<MachineEvent> {
  // The policy's own budget: `timeout` per attempt and `retry N` more attempts, then it counts as failed.
  const service = proxyActivities<CharterActivities>({
    startToCloseTimeout: command.timeoutMs ?? 5 * 60_000,
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumAttempts: command.retries + 1 },
  });
  try {
    const out = await service.runCheck({
      instance,
      request: command.request,
      step: command.step,
      service: command.service,
    });
    return { kind: 'checkResult', at: workflowNow(), request: command.request, ...out };
  } catch (error) {
    const detail = `"${command.service}" did not answer after ${command.retries + 1} attempts: ${failureText(error)}`;
    return { kind: 'checkResult', at: workflowNow(), request: command.request, outcome: 'error', detail };
  }
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

/** Timer ids are `<step>#<n>`: `n` is the order they were started in. */
const order = (id: string): number => Number(id.slice(id.lastIndexOf('#') + 1));
