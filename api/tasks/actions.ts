// An approver's action (decide, attest, waive) on one task, from the task id to the engine's answer:
// the task must be visible to the caller and of the action's kind, the API refuses what it can
// tell without the engine (missing reasons), resolves on whose behalf the caller acts, sends the
// Update to the instance's workflow and turns the engine's refusal into an HTTP answer. The
// single-task routes (tasks/routes.ts) and the bulk decision (bulk.ts) both go through
// `actOnTask`, so a task is decided the same way either way. Every refused attempt is written to the
// audit ledger (on the instance's `/refused` chain, see store/refusals.ts) before the
// caller hears about it, so "who tried and was turned down" is as provable as "who decided".
//
// A decision on a step that requires qualifications is refused (`not-qualified`) before the Update
// when the registry no longer shows the person holding one today, and an attestation that grants a
// qualification the registry lacks is refused (`unknown-qualification`) (api/tasks/qualified.ts).
//
// Refusal codes to HTTP statuses come from the one table of codes (engine/machine/REFUSALS.md):
// 403 the person may not act on this step at all, 422 the request could be right with other input
// (with the field in `problems`), 409 the instance is not in a state that takes it now.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { z } from 'zod';
import { isRefusalCode, REFUSALS, type RefusalInfo } from '../../engine/machine/index.js';
import type { Task, TaskKind } from '../../store/index.js';
import {
  type ActionReceipt,
  type AttestInput,
  attestUpdate,
  type DecideInput,
  decideUpdate,
  REFUSED,
  type WaiveInput,
  waiveUpdate,
} from '../../workflows/definitions/messages.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, type Problem } from '../errors.js';
import type { Caller } from '../route.js';
import { actingFor, type VisibleTask, type Visibility, visibleTask } from './access.js';
import { grantRefusal, qualificationRefusal, type Requirements } from './qualified.js';
import type { attestBody, decideBody, waiveBody } from './schemas.js';

/** Who may act on a task: its assignees and their delegates; admins on any (the engine decides). */
export const ACT: Visibility = { seeAll: ['admin'], requesterOwnsInstance: false };

export type TaskAction =
  | { kind: 'decide'; input: DecideInput }
  | { kind: 'attest'; input: AttestInput }
  | { kind: 'waive'; input: WaiveInput };

interface Refusal {
  code: string;
  message: string;
}

export function statusOfRefusal(code: string): number {
  // A code from a newer engine than this table: trying again later may differ.
  return isRefusalCode(code) ? REFUSALS[code].status : 409;
}

function fieldOfRefusal(code: string): string | undefined {
  if (!isRefusalCode(code)) return undefined;
  const info: RefusalInfo = REFUSALS[code];
  return info.field;
}

/** One action as the routes declare it: the task kind it is for, and how the Update is made. */
export interface ActionSpec<B extends { onBehalfOf?: string | undefined }> {
  /** The path segment after `/tasks/:id/`. */
  path: string;
  kind: TaskKind;
  summary: string;
  /** What the API refuses before the engine sees it (422), from the body alone. */
  precheck?: (body: B) => void;
  action: (base: { step: string; actor: string; onBehalfOf?: string }, body: B) => TaskAction;
}

const ACTION_OF: Record<TaskKind, string> = { approval: 'decide', attestation: 'attest', waiver: 'waive' };

function requireKind(task: Task, kind: TaskKind): void {
  if (task.kind === kind) return;
  throw new ApiError(
    409,
    'wrong-task-kind',
    `task ${task.id} is ${task.kind === 'approval' ? 'an' : 'a'} ${task.kind} task: use POST /v1/tasks/{id}/${ACTION_OF[task.kind]}`,
  );
}

const reasonRequired = (what: string): ApiError =>
  new ApiError(422, 'reason-required', `${what} needs a reason`, [
    { path: 'body.reason', message: `${what} needs a non-empty reason` },
  ]);

export const DECIDE: ActionSpec<z.infer<typeof decideBody>> = {
  path: 'decide',
  kind: 'approval',
  summary: 'Approve, reject (with a reason) or request changes on an approval task',
  precheck: (body) => {
    if (body.decision === 'reject' && (body.reason ?? '').trim() === '') throw reasonRequired('a rejection');
  },
  action: (base, body) => ({
    kind: 'decide',
    input: {
      ...base,
      decision: body.decision,
      ...(body.reason === undefined ? {} : { reason: body.reason }),
    },
  }),
};

export const ATTEST: ActionSpec<z.infer<typeof attestBody>> = {
  path: 'attest',
  kind: 'attestation',
  summary: 'Attest an attestation task, with evidence where the policy asks for it',
  action: (base, body) => ({
    kind: 'attest',
    input: { ...base, ...(body.evidence === undefined ? {} : { evidence: body.evidence }) },
  }),
};

export const WAIVE: ActionSpec<z.infer<typeof waiveBody>> = {
  path: 'waive',
  kind: 'waiver',
  summary: 'Waive the failed check of a waiver task, with a reason',
  precheck: (body) => {
    if (body.reason.trim() === '') throw reasonRequired('a waiver');
  },
  action: (base, body) => ({ kind: 'waive', input: { ...base, reason: body.reason } }),
};

/** The task `id` if the caller may act on it; the 404 of an unknown task otherwise. */
export const taskToActOn = (deps: ApiDeps, caller: Caller, id: string): Promise<VisibleTask> =>
  visibleTask(deps, caller, id, ACT);

/**
 * `spec`'s action on a task the caller may act on (taskToActOn): the engine's receipt, or the
 * ApiError of a refusal (recorded in the audit ledger when the engine or the task's state refused).
 * `requirements`: what steps require, shared by the tasks of one request (a bulk decision).
 */
export async function actOnTask<B extends { onBehalfOf?: string | undefined }>(
  deps: ApiDeps,
  caller: Caller,
  { task, delegators }: VisibleTask,
  spec: ActionSpec<B>,
  body: B,
  requirements?: Requirements,
): Promise<ActionReceipt> {
  requireKind(task, spec.kind);
  spec.precheck?.(body);
  const onBehalfOf = actingFor(task, caller, delegators, body.onBehalfOf);
  const base = { step: task.step, actor: caller.person, ...(onBehalfOf === undefined ? {} : { onBehalfOf }) };
  return performTaskAction(deps, caller, task, spec.action(base, body), requirements);
}

/** Runs the action; an accepted one answers the engine's receipt, a refused one an ApiError. */
export async function performTaskAction(
  deps: ApiDeps,
  caller: Caller,
  task: Task,
  action: TaskAction,
  requirements?: Requirements,
): Promise<ActionReceipt> {
  const onBehalfOf = action.input.onBehalfOf ?? null;
  if (task.status === 'closed') {
    // A later round of the same step may be open: the Update names the step, not the task, so
    // sending it would act on a task the caller never saw.
    const message = `task ${task.id} is closed (${task.closeReason ?? 'no reason given'})`;
    throw await refuse(deps, caller, task, onBehalfOf, { code: 'task-closed', message });
  }
  if (action.kind === 'decide') {
    const { actor, onBehalfOf: principal } = action.input;
    const lapsed = await qualificationRefusal(deps, task, actor, principal, requirements);
    if (lapsed) throw await refuse(deps, caller, task, onBehalfOf, lapsed);
  }
  if (action.kind === 'attest') {
    const unknown = await grantRefusal(deps, task);
    if (unknown) throw await refuse(deps, caller, task, onBehalfOf, unknown);
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
  const field = fieldOfRefusal(refusal.code);
  const problems: Problem[] = field === undefined ? [] : [{ path: field, message: refusal.message }];
  return new ApiError(statusOfRefusal(refusal.code), refusal.code, refusal.message, problems, {
    refused: { code: refusal.code, step: task.step, instanceId: task.instanceId },
  });
}
