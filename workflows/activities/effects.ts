// The writes of one machine transition, in the order an auditor would want them to survive a
// crash: the ledger first (what happened), then the tasks people act on, the notifications, and
// last the instance view. Every write is keyed by the machine's deterministic ids, so a retry after
// a crash anywhere in here writes nothing twice.
import type { AuditEventInput, Store, TaskKind } from '../../store/index.js';
import type { EffectCommand, EffectsInput } from './contract.js';

export async function applyEffects(store: Store, input: EffectsInput): Promise<void> {
  const { instance, commands, transition } = input;
  const at = new Date(input.at);
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
    };
  });
  if (events.length > 0) await store.audit.append(events);

  let notice = 0;
  for (const command of commands) {
    switch (command.kind) {
      case 'openTask':
        await store.tasks.open({
          id: taskId(instance.instanceId, command.task),
          instanceId: instance.instanceId,
          task: command.task,
          step: command.step,
          title: command.title,
          kind: kindOf(command.title),
          assignees: command.people,
          dueAt: dueOf(input.dueAt[command.task]),
          openedAt: at,
          policy: instance.policy,
          process: instance.process,
          project: instance.project,
        });
        break;
      case 'addToTask':
        await store.tasks.addAssignees(taskId(instance.instanceId, command.task), command.people);
        break;
      case 'closeTask':
        await store.tasks.close(taskId(instance.instanceId, command.task), command.reason, at);
        break;
      case 'notify':
        notice += 1;
        await store.outbox.enqueue({
          id: `${instance.instanceId}:${transition}:${notice}`,
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

  const view = input.view;
  await store.views.upsert({
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
  });
}

export const taskId = (instanceId: string, task: string): string => `${instanceId}/${task}`;

/** The machine titles its tasks `decide <step>`, `attest <step>: ...` and `waive <step>: ...`. */
function kindOf(title: string): TaskKind {
  if (title.startsWith('attest ')) return 'attestation';
  if (title.startsWith('waive ')) return 'waiver';
  return 'approval';
}

const dueOf = (at: number | null | undefined): Date | null =>
  at === null || at === undefined ? null : new Date(at);
