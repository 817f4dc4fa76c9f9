// The baseline of the runtime benchmark: the bench's three-step process (an approval by one of
// the approvers but not the requester, an external check, a notification) written by hand as a
// Temporal workflow, with the same activities and the same writes as the interpreter makes for it:
// audit entries on the same hash chain, the task, the outbox item, the instance view. What it
// lacks is the interpreter: no machine, no state copies, no generic command loop.
import { ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type {
  CharterActivities,
  EffectCommand,
  InstanceRef,
  ViewSnapshot,
} from '../../workflows/activities/contract.js';
import { workflowNow } from '../../workflows/definitions/clock.js';
import { decideUpdate, type DecideInput, REFUSED } from '../../workflows/definitions/messages.js';

const acts = proxyActivities<CharterActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface HandwrittenArgs {
  instance: InstanceRef;
  requester: string;
  service: string;
}

export async function handwrittenInstance(args: HandwrittenArgs): Promise<{ status: string }> {
  const { instance } = args;
  const startedAt = workflowNow();
  let seq = 0;
  let transition = 0;
  const audit = (step: string | null, text: string, actor?: string): EffectCommand => {
    seq += 1;
    const decision = { seq, at: workflowNow(), step, text, span: null, ...(actor ? { actor } : {}) };
    return { kind: 'audit', id: `${instance.instanceId}:${seq}`, decision };
  };
  const view = (status: ViewSnapshot['status'], steps: string[]): ViewSnapshot => ({
    status,
    message: null,
    startedAt,
    startedBy: args.requester,
    endedAt: status === 'running' ? null : workflowNow(),
    currentSteps: steps,
    blockedOn: [],
  });
  const apply = (commands: EffectCommand[], v: ViewSnapshot) => {
    transition += 1;
    return acts.applyEffects({ instance, transition, at: workflowNow(), commands, view: v, dueAt: {} });
  };

  let approver: string | null = null;
  let approvers: string[] = [];
  setHandler(
    decideUpdate,
    (input: DecideInput) => {
      approver = input.actor;
      return Promise.resolve({ status: 'running' as const, message: null, blockedOn: [] });
    },
    {
      validator: (input: DecideInput) => {
        const refuse = (code: string, message: string) =>
          ApplicationFailure.create({
            type: REFUSED,
            message,
            details: [{ code, message }],
            nonRetryable: true,
          });
        if (approvers.length === 0 || approver !== null) throw refuse('step-not-open', 'review is not open');
        if (input.actor === args.requester) throw refuse('excluded', 'the requester may not decide');
        if (!approvers.includes(input.actor))
          throw refuse('not-an-approver', `${input.actor} is not an approver`);
      },
    },
  );

  await apply([audit(null, 'started')], view('running', ['review']));
  const resolved = await acts.resolvePeople({
    instance,
    step: 'review',
    refs: [{ kind: 'group', group: 'approvers' }],
    at: workflowNow(),
  });
  approvers = resolved.people.filter((p) => p !== args.requester);
  await apply(
    [
      audit('review', 'review open'),
      {
        kind: 'openTask',
        task: 'review#1',
        step: 'review',
        people: approvers,
        title: 'decide review',
        taskKind: 'approval',
      },
    ],
    view('running', ['review']),
  );
  await condition(() => approver !== null);
  const decidedBy = approver ?? '';
  await apply(
    [
      audit('review', `${decidedBy} approved review`, decidedBy),
      { kind: 'closeTask', task: 'review#1', reason: 'review approved' },
      audit('review', 'review approved'),
      audit('scan', 'scan: running external check'),
    ],
    view('running', ['scan']),
  );
  const result = await acts.runCheck({ instance, request: 'scan#2', step: 'scan', service: args.service });
  if (result.outcome !== 'passed')
    throw ApplicationFailure.create({ message: 'check failed', nonRetryable: true });
  const recipients = await acts.resolvePeople({
    instance,
    step: 'tell',
    refs: [{ kind: 'person', person: args.requester }],
    at: workflowNow(),
  });
  await apply(
    [
      audit('scan', 'scan passed'),
      { kind: 'notify', step: 'tell', recipients: recipients.people, message: 'access granted' },
      audit('tell', 'notified'),
      audit(null, 'process ended approved'),
      { kind: 'finished', outcome: 'approved', message: 'done' },
    ],
    view('approved', []),
  );
  return { status: 'approved' };
}
