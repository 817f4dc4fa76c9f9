// Sending an approver's action (decide, attest, waive) to the instance's workflow as an Update,
// and turning the engine's refusal into an HTTP answer. Every refused attempt is written to the
// audit ledger (on the instance's `/refused` chain, see store/refusals.ts) before the
// caller hears about it, so "who tried and was turned down" is as provable as "who decided".
//
// Refusal codes to HTTP statuses, so that clients can branch on the class and show the code:
//   403: the person may not act on this step at all (excluded and distinct-from: segregation of
//        duties; not-an-approver / -attester / -waiver-approver; delegation-not-allowed).
//   422: the request could be right with other input (reason-required, evidence-required,
//        changes-not-allowed), with the field in `problems`.
//   409: the instance is not in a state that takes it (step-not-open, already-decided, ended,
//        task-closed), and any code this table does not know yet: trying again later may differ.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Task } from '../store/index.js';
import {
  type ActionReceipt,
  type AttestInput,
  attestUpdate,
  type DecideInput,
  decideUpdate,
  REFUSED,
  type WaiveInput,
  waiveUpdate,
} from '../workflows/definitions/messages.js';
import type { ApiDeps } from './deps.js';
import { ApiError, type Problem } from './errors.js';
import type { Caller } from './route.js';

export type TaskAction =
  | { kind: 'decide'; input: DecideInput }
  | { kind: 'attest'; input: AttestInput }
  | { kind: 'waive'; input: WaiveInput };

interface Refusal {
  code: string;
  message: string;
}

const FORBIDDEN = new Set([
  'excluded',
  'distinct-from',
  'not-an-approver',
  'not-an-attester',
  'not-a-waiver-approver',
  'delegation-not-allowed',
]);
const INPUT_FIELD: Record<string, string> = {
  'reason-required': 'body.reason',
  'evidence-required': 'body.evidence',
  'changes-not-allowed': 'body.decision',
};

export function statusOfRefusal(code: string): number {
  if (FORBIDDEN.has(code)) return 403;
  return code in INPUT_FIELD ? 422 : 409;
}

/** Runs the action; an accepted one answers the engine's receipt, a refused one an ApiError. */
export async function performTaskAction(
  deps: ApiDeps,
  caller: Caller,
  task: Task,
  action: TaskAction,
): Promise<ActionReceipt> {
  const onBehalfOf = action.input.onBehalfOf ?? null;
  if (task.status === 'closed') {
    // A later round of the same step may be open: the Update names the step, not the task, so
    // sending it would act on a task the caller never saw.
    const message = `task ${task.id} is closed (${task.closeReason ?? 'no reason given'})`;
    throw await refuse(deps, caller, task, onBehalfOf, { code: 'task-closed', message });
  }
  const handle = deps.temporal.workflow.getHandle(task.instanceId);
  try {
    switch (action.kind) {
      case 'decide':
        return await handle.executeUpdate(decideUpdate, { args: [action.input] });
      case 'attest':
        return await handle.executeUpdate(attestUpdate, { args: [action.input] });
      case 'waive':
        return await handle.executeUpdate(waiveUpdate, { args: [action.input] });
    }
  } catch (error) {
    const refusal = refusalOf(error, task);
    if (refusal === null) throw error;
    throw await refuse(deps, caller, task, onBehalfOf, refusal);
  }
}

/** The engine's refusal in a failed Update, or `ended` for a workflow that is gone; else null. */
function refusalOf(error: unknown, task: Task): Refusal | null {
  if (error instanceof WorkflowNotFoundError || nameOf(error) === 'WorkflowNotFoundError') {
    return { code: 'ended', message: `instance ${task.instanceId} has ended` };
  }
  if (!(error instanceof WorkflowUpdateFailedError) && nameOf(error) !== 'WorkflowUpdateFailedError') {
    return null;
  }
  // Duck-typed: jest's vm modules may load @temporalio/common twice, which defeats instanceof.
  const cause = (error as { cause?: { type?: unknown; details?: unknown[] } }).cause;
  if (cause?.type !== REFUSED) return null;
  const detail = cause.details?.[0] as Partial<Refusal> | undefined;
  if (typeof detail?.code !== 'string') return null;
  return { code: detail.code, message: typeof detail.message === 'string' ? detail.message : detail.code };
}

const nameOf = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

async function refuse(
  deps: ApiDeps,
  caller: Caller,
  task: Task,
  onBehalfOf: string | null,
  refusal: Refusal,
): Promise<ApiError> {
  await deps.store.refusals.record({
    instanceId: task.instanceId,
    process: task.process,
    project: task.project,
    policy: task.policy,
    step: task.step,
    actor: caller.person,
    onBehalfOf,
    code: refusal.code,
    message: refusal.message,
    at: deps.now(),
  });
  const field = INPUT_FIELD[refusal.code];
  const problems: Problem[] = field === undefined ? [] : [{ path: field, message: refusal.message }];
  return new ApiError(statusOfRefusal(refusal.code), refusal.code, refusal.message, problems, {
    refused: { code: refusal.code, step: task.step, instanceId: task.instanceId },
  });
}
