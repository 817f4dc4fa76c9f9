// Who sees which instance. Authors, auditors and admins see every one; a requester sees the ones
// they started; an approver sees the ones where they (or someone who delegated to them) are or were
// asked to act. A person with several roles sees the union. Everything else answers 404 exactly as
// an unknown id does, so nobody learns that an instance they may not see exists.
//
// The view carries the answer: `visibleTo` holds a token for its starter and for everyone a task of
// it was ever opened for or widened to (store/instances.ts), so a check reads the view already at
// hand and a list is one indexed query over the caller's tokens, however many instances there are.
import type { InstanceView, Role } from '../../store/index.js';
import { type InstanceFilter, visibility } from '../../store/instances.js';
import { hasRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import type { Caller } from '../route.js';

/** The people who delegated their decisions to `caller` now (delegations, absences). */
const delegatorsOf = (deps: ApiDeps, caller: Caller): Promise<string[]> =>
  deps.store.directory.delegatorsOf(caller.person, deps.now());

/** The roles that read any instance (the route table's ownership declarations use the same list). */
export const SEE_EVERY_INSTANCE: readonly Role[] = ['author', 'auditor', 'pmo', 'admin'];

export const seesEverything = (caller: Caller): boolean => hasRole(caller, ...SEE_EVERY_INSTANCE);

export async function canSee(deps: ApiDeps, caller: Caller, view: InstanceView): Promise<boolean> {
  if (seesEverything(caller)) return true;
  if (hasRole(caller, 'requester') && view.startedBy === caller.person) return true;
  if (!hasRole(caller, 'approver')) return false;
  const asked = new Set(view.visibleTo);
  // Their own tasks first: the directory is asked only when those do not answer.
  if (asked.has(visibility.assigned(caller.person))) return true;
  return (await delegatorsOf(deps, caller)).some((person) => asked.has(visibility.assigned(person)));
}

export interface Page {
  instances: InstanceView[];
  next: string | null;
}

/** One page of the instances `caller` may see that match `filter`, newest first: one indexed query. */
export async function listVisible(
  deps: ApiDeps,
  caller: Caller,
  filter: InstanceFilter,
  page: { after?: string; limit: number },
): Promise<Page> {
  if (seesEverything(caller)) return deps.store.views.list(filter, page);
  const tokens: string[] = [];
  if (hasRole(caller, 'requester')) tokens.push(visibility.started(caller.person));
  if (hasRole(caller, 'approver')) {
    const people = [caller.person, ...(await delegatorsOf(deps, caller))];
    tokens.push(...people.map(visibility.assigned));
  }
  // No token, nothing visible: the store answers an empty page without a query.
  return deps.store.views.list({ ...filter, visibleTo: tokens }, page);
}
