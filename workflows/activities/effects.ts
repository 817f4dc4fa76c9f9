// The writes of one machine transition, in the order an auditor would want them to survive a
// crash: the ledger first (what happened), then the tasks people act on, the notifications, and
// last the instance view.
//
// Why an idempotent ordering and not a transaction: every write is keyed by the machine's
// deterministic ids (audit `<chain>:<seq>`, task `<instance>/<task>`, message
// `<instance>:<transition>:<n>`) or guarded by a condition (a closed task stays closed, the view
// only moves to a higher transition), so Temporal's retry of the whole activity after a crash
// anywhere in here writes nothing twice and completes what was missing. The view goes last, so a
// crash leaves it behind the ledger and the tasks, never ahead of them: nobody is shown a step
// whose task does not exist yet. The crash drill (test/integration/crash.test.ts) proves it. A
// transaction would add a round trip per transition and a retry loop on write conflicts, and
// would still need the same idempotence, since an activity can run twice.
import { type AuditEventInput, type Store, type TaskKind } from '../../store/index.js';
import { inputSha256, type ViewWrite } from '../../store/instances.js';
import type { OutboxMessage } from '../../store/outbox.js';
import type { EffectCommand, EffectsInput } from './contract.js';
import { postNotices } from './notices.js';
import { recordGrants } from './qualifications.js';
import type { TaskRef } from '../../engine/notices/plan.js';

/** What the worker can do with a transition's effects beyond the store. */
export interface EffectsSettings {
  /**
   * Whether the notification outbox is written: only when the worker has webhooks to send it to
   * (CHARTER_WEBHOOKS). Without them nothing would ever send or clear it, and its backlog and lag
   * would grow on /metrics for ever; people get the policy's messages from their deliveries either
   * way (a `notified` fact becomes a notice, like every other fact).
   */
  outbox: boolean;
}

export async function applyEffects(
  store: Store,
  input: EffectsInput,
  settings: EffectsSettings,
): Promise<void> {
  const { instance, commands, transition } = input;
  const at = new Date(input.at);
  const startInput = input.input;
  const inputHash = startInput === undefined ? null : inputSha256(startInput);
  const ended = commands.find((c) => c.kind === 'finished');
  const audits = commands.filter((c): c is Extract<EffectCommand, { kind: 'audit' }> => c.kind === 'audit');
  const events: AuditEventInput[] = audits.map((command, i) => {
    const d = command.decision;
    // The last entry of the transition that ended the process is the end itself.
    const isEnd = ended?.kind === 'finished' && i === audits.length - 1 && d.step === null;
    return {
      chain: instance.instanceId,
      seq: d.seq,
      id: command.id,
      at: new Date(d.at),
      type: d.seq === 1 ? 'started' : isEnd ? 'ended' : d.actor ? 'action' : 'decision',
      instanceId: instance.instanceId,
      process: instance.process,
      project: instance.project,
      policy: instance.policy,
      step: d.step,
      text: d.text,
      actor: d.actor ?? null,
      onBehalfOf: d.onBehalfOf ?? null,
      outcome: isEnd && ended?.kind === 'finished' ? ended.outcome : null,
      reasons: d.reasons ?? [],
      span: d.span,
      // The chain covers what was asked for: the start event carries the input's hash.
      ...(d.seq === 1 && inputHash !== null ? { inputSha256: inputHash } : {}),
      ...(d.fact === undefined ? {} : { fact: d.fact }),
    };
  });
  if (events.length > 0) await store.audit.append(events);
  // Completions granted by attestations, after the ledger states them and before anyone's task
  // could ask for them.
  await recordGrants(
    store,
    instance.instanceId,
    audits.map((a) => ({ fact: a.decision.fact })),
    at,
  );

  const assignees = new Set<string>();
  const opened: TaskRef[] = [];
  const messages: OutboxMessage[] = [];
  for (const command of commands) {
    switch (command.kind) {
      case 'openTask':
        for (const person of command.people) assignees.add(person);
        opened.push({
          id: taskId(instance.instanceId, command.task),
          step: command.step,
          open: true,
          due: dueMoment(input.dueAt[command.task]),
        });
        await store.tasks.open({
          id: taskId(instance.instanceId, command.task),
          instanceId: instance.instanceId,
          task: command.task,
          step: command.step,
          title: command.title,
          // Commands recorded before tasks carried their kind (older histories) were titled by it.
          kind: command.taskKind ?? kindOf(command.title),
          assignees: command.people,
          dueAt: dueOf(input.dueAt[command.task]),
          openedAt: at,
          policy: instance.policy,
          process: instance.process,
          project: instance.project,
        });
        break;
      case 'addToTask':
        for (const person of command.people) assignees.add(person);
        await store.tasks.addAssignees(taskId(instance.instanceId, command.task), command.people);
        break;
      case 'closeTask':
        await store.tasks.close(taskId(instance.instanceId, command.task), command.reason, at);
        break;
      case 'notify':
        messages.push({
          id: `${instance.instanceId}:${transition}:${messages.length + 1}`,
          instanceId: instance.instanceId,
          step: command.step,
          recipients: command.recipients,
          message: command.message,
          at,
        });
        break;
      case 'audit':
      case 'finished':
        break;
    }
  }
  if (settings.outbox) await store.outbox.enqueueAll(messages);
  // After the tasks, so that a notice can link to the task it is about; before the view, like
  // every other write the view must not run ahead of.
  await postNotices(store, {
    instance,
    requester: input.view.startedBy,
    at,
    entries: audits.map((a) => ({ id: a.id, at: a.decision.at, fact: a.decision.fact })),
    opened,
  });

  const view = input.view;
  const write: ViewWrite = {
    instanceId: instance.instanceId,
    workflowId: instance.instanceId,
    policy: instance.policy,
    process: instance.process,
    project: instance.project,
    status: view.status,
    message: view.message,
    startedAt: new Date(view.startedAt),
    startedBy: view.startedBy,
    endedAt: view.endedAt === null ? null : new Date(view.endedAt),
    currentSteps: view.currentSteps,
    blockedOn: view.blockedOn.map((b) => ({ ...b, dueAt: dueOf(b.dueAt) })),
    transition,
    assignees: [...assignees],
    ...(startInput === undefined ? {} : { input: startInput }),
  };
  await store.views.upsert(write);
}

export const taskId = (instanceId: string, task: string): string => `${instanceId}/${task}`;

/** Before `taskKind`, the machine titled its tasks `decide <step>`, `attest <step>: ...`, `waive <step>: ...`. */
function kindOf(title: string): TaskKind {
  if (title.startsWith('attest ')) return 'attestation';
  if (title.startsWith('waive ')) return 'waiver';
  return 'approval';
}

/** A task's due as a moment; the store keeps instants, so the zone is the recipient's to choose. */
const dueMoment = (at: number | null | undefined): TaskRef['due'] =>
  at === null || at === undefined ? null : { at, zone: 'UTC' };

const dueOf = (at: number | null | undefined): Date | null =>
  at === null || at === undefined ? null : new Date(at);
