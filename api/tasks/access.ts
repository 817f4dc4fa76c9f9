// Who may see and act on a task. An approver sees the tasks assigned to them and, while a dated
// delegation or an absence names them as delegate, the tasks of the people who delegated to them;
// a requester sees the tasks of the instances they started (for the conversation on them); some
// roles (auditor, admin) see every task. Anyone else gets the same 404 as for a task that does not
// exist, so that ids cannot be probed.
import type { Role, Task } from '../../store/index.js';
import { hasRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, notFound } from '../errors.js';
import type { Caller } from '../route.js';

export interface VisibleTask {
  task: Task;
  /** The people whose decisions the caller may take right now (delegations, absences). */
  delegators: string[];
}

export interface Visibility {
  /** Roles that see every task. */
  seeAll: readonly Role[];
  /** Whether a requester sees the tasks of the instances they started. */
  requesterOwnsInstance: boolean;
}

export async function visibleTask(
  deps: ApiDeps,
  caller: Caller,
  id: string,
  visibility: Visibility,
): Promise<VisibleTask> {
  const task = await deps.store.tasks.get(id);
  if (task === null) throw notFound(`task ${id}`);
  const delegators = await deps.store.directory.delegatorsOf(caller.person, deps.now());
  if (visibility.seeAll.some((role) => hasRole(caller, role))) return { task, delegators };
  if (hasRole(caller, 'approver') && assignedToCallerOrDelegators(task, caller, delegators)) {
    return { task, delegators };
  }
  if (visibility.requesterOwnsInstance && hasRole(caller, 'requester')) {
    const view = await deps.store.views.get(task.instanceId);
    if (view?.startedBy === caller.person) return { task, delegators };
  }
  throw notFound(`task ${id}`);
}

const assignedToCallerOrDelegators = (task: Task, caller: Caller, delegators: readonly string[]): boolean =>
  task.assignees.includes(caller.person) || delegators.some((d) => task.assignees.includes(d));

/** For whom the caller's task would be acted on: themselves (null) or the first delegator assigned. */
export function onBehalfOfInInbox(task: Task, person: string, delegators: readonly string[]): string | null {
  if (task.assignees.includes(person)) return null;
  return delegators.find((d) => task.assignees.includes(d)) ?? null;
}

/**
 * The principal an action is taken for, as the workflow wants it (undefined: the caller
 * themselves). An explicit `onBehalfOf` must be someone who delegated to the caller right now:
 * the engine checks the policy (`allow delegation`, eligibility), but only the directory knows
 * whether the delegation exists. Without it, a caller who is not assigned but stands in for
 * exactly one assignee acts for that one; for several, they must say which.
 */
export function actingFor(
  task: Task,
  caller: Caller,
  delegators: readonly string[],
  requested: string | undefined,
): string | undefined {
  if (requested !== undefined && requested !== caller.person) {
    if (delegators.includes(requested)) return requested;
    throw new ApiError(
      403,
      'not-delegated',
      `${requested} has not delegated their decisions to ${caller.person} (no delegation or absence in effect)`,
      [
        {
          path: 'body.onBehalfOf',
          message: `no delegation from ${requested} to ${caller.person} is in effect`,
        },
      ],
    );
  }
  if (requested !== undefined || task.assignees.includes(caller.person)) return undefined;
  const standingInFor = delegators.filter((d) => task.assignees.includes(d));
  if (standingInFor.length <= 1) return standingInFor[0];
  throw new ApiError(
    422,
    'on-behalf-of-required',
    `${caller.person} stands in for several assignees of this task; say for whom in onBehalfOf`,
    [{ path: 'body.onBehalfOf', message: `one of ${standingInFor.join(', ')}` }],
  );
}
