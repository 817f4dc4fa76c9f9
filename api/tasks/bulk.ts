// The same decision on many tasks at once, for an approver working through an inbox of alike
// requests (twenty purchase approvals of one step). Each task is decided exactly as
// POST /v1/tasks/{id}/decide decides it (actions.ts actOnTask: the same visibility, the
// same engine refusals with the engine's code and sentence, the same audit of refused attempts),
// and answers on its own: one task refused or gone never stops the others.
//
// What is refused for the whole request, before any task is decided: a rejection without a reason
// (the single route refuses it for every task alike), and tasks of more than one step (one policy
// name and step id), since one decision and one reason are meant for one kind of request.
// Tasks the caller may not see answer 404 in their place, exactly as an unknown id does, and
// take no part in the one-step check, so that it tells nothing about them.
import type { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiError, invalidRequest } from '../errors.js';
import { type Caller, json, route, type RouteSpec } from '../route.js';
import type { VisibleTask } from './access.js';
import { actOnTask, DECIDE, taskToActOn } from './actions.js';
import type { Requirements } from './qualified.js';
import { bulkDecideBody, bulkDecideResponse } from './schemas.js';

type Result = z.infer<typeof bulkDecideResponse>['results'][number];

/** Updates sent at once: a few workflows in flight, not a hundred, on a shared worker. */
const CONCURRENCY = 4;

const failure = (task: string, error: ApiError): Result => ({
  task,
  ok: false,
  status: error.status,
  error: {
    code: error.code,
    message: error.message,
    ...(error.problems.length > 0 ? { problems: error.problems } : {}),
  },
});

/** The task the caller may act on, or the ApiError the single route would answer for it. */
async function load(deps: ApiDeps, caller: Caller, id: string): Promise<VisibleTask | ApiError> {
  try {
    return await taskToActOn(deps, caller, id);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

/** 422 at `body.tasks` unless every visible task is of one step of one policy. */
function requireOneStep(found: readonly (VisibleTask | ApiError)[]): void {
  const steps = new Set<string>();
  for (const entry of found) {
    if (!(entry instanceof ApiError)) steps.add(`step ${entry.task.step} of "${entry.task.policy.name}"`);
  }
  if (steps.size <= 1) return;
  throw invalidRequest([
    {
      path: 'body.tasks',
      message: `all tasks must be of one step of one policy; these are of ${[...steps].sort().join(', ')}`,
    },
  ]);
}

/** `work` on every item, at most `limit` at a time, results in the items' order. */
async function inOrder<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function decideOne(
  deps: ApiDeps,
  caller: Caller,
  entry: VisibleTask,
  decision: { decision: 'approve' | 'reject'; reason?: string },
  requirements: Requirements,
): Promise<Result> {
  const { task } = entry;
  try {
    const receipt = await actOnTask(deps, caller, entry, DECIDE, decision, requirements);
    // The Update answers before the worker writes the task: its step still waiting says it is open.
    const open = receipt.status === 'running' && receipt.blockedOn.some((b) => b.step === task.step);
    return {
      task: task.id,
      ok: true,
      status: open ? 'open' : 'closed',
      instanceId: task.instanceId,
      instanceStatus: receipt.status,
    };
  } catch (error) {
    if (error instanceof ApiError) return failure(task.id, error);
    deps.log(`bulk decision on task ${task.id} failed`, error);
    return failure(
      task.id,
      new ApiError(500, 'internal', 'the server failed to decide this task; it has been logged'),
    );
  }
}

export async function decideAll(
  deps: ApiDeps,
  caller: Caller,
  body: z.infer<typeof bulkDecideBody>,
): Promise<Result[]> {
  const decision = { decision: body.decision, ...(body.reason === undefined ? {} : { reason: body.reason }) };
  DECIDE.precheck?.(decision);
  const found = await inOrder(body.tasks, CONCURRENCY, (id) => load(deps, caller, id));
  requireOneStep(found);
  // One step of one policy: what it requires is read once for all its tasks.
  const requirements: Requirements = new Map();
  return inOrder(
    body.tasks.map((id, i) => ({ id, entry: found[i] })),
    CONCURRENCY,
    async ({ id, entry }): Promise<Result> => {
      if (entry === undefined) throw new Error(`no lookup for task ${id}`);
      return entry instanceof ApiError
        ? failure(id, entry)
        : decideOne(deps, caller, entry, decision, requirements);
    },
  );
}

export function bulkDecideRoute(): RouteSpec {
  return route({
    method: 'post',
    path: '/tasks/decide',
    summary:
      'Approve or reject many approval tasks of one step at once; each task answers on its own, in the order given',
    roles: ['approver', 'admin'],
    body: bulkDecideBody,
    response: bulkDecideResponse,
    handler: async ({ caller, body, deps }) => json({ results: await decideAll(deps, caller, body) }),
  });
}
