// Who sees which instance. Authors, auditors and admins see every one; a requester sees the ones
// they started; an approver sees the ones where they (or someone who delegated to them) are or were
// asked to act. A person with several roles sees the union. Everything else answers 404 exactly as
// an unknown id does, so nobody learns that an instance they may not see exists.
import type { InstanceView, Role } from '../store/index.js';
import type { InstanceFilter } from '../store/instances.js';
import { hasRole } from './auth.js';
import type { ApiDeps } from './deps.js';
import type { Caller } from './route.js';

/** Rows read at most for one page of a person whose instances are few among many. */
const MAX_SCANNED_PER_PAGE = 5_000;
/** Rows read at once while looking for visible ones. */
const CHUNK = 100;

/** The people whose tasks `caller` acts on: themselves and who delegated to them now. */
async function actingFor(deps: ApiDeps, caller: Caller): Promise<string[]> {
  const delegators = await deps.store.directory.delegatorsOf(caller.person, deps.now());
  return [caller.person, ...delegators];
}

/** The roles that read any instance (the route table's ownership declarations use the same list). */
export const SEE_EVERY_INSTANCE: readonly Role[] = ['author', 'auditor', 'admin'];

export const seesEverything = (caller: Caller): boolean => hasRole(caller, ...SEE_EVERY_INSTANCE);

export async function canSee(deps: ApiDeps, caller: Caller, view: InstanceView): Promise<boolean> {
  if (seesEverything(caller)) return true;
  if (hasRole(caller, 'requester') && view.startedBy === caller.person) return true;
  if (!hasRole(caller, 'approver')) return false;
  return deps.store.tasks.isAssignee(view.instanceId, await actingFor(deps, caller));
}

export interface Page {
  instances: InstanceView[];
  next: string | null;
}

/** One page of the instances `caller` may see that match `filter`, newest first. */
export async function listVisible(
  deps: ApiDeps,
  caller: Caller,
  filter: InstanceFilter,
  page: { after?: string; limit: number },
): Promise<Page> {
  const views = deps.store.views;
  if (seesEverything(caller)) return views.list(filter, page);
  const asRequester = hasRole(caller, 'requester');
  const assigned = hasRole(caller, 'approver')
    ? await deps.store.tasks.instancesAssignedTo(await actingFor(deps, caller))
    : new Set<string>();
  if (assigned.size === 0) {
    if (!asRequester) return { instances: [], next: null };
    if (filter.startedBy !== undefined && filter.startedBy !== caller.person)
      return { instances: [], next: null };
    return views.list({ ...filter, startedBy: caller.person }, page);
  }
  // Started by them or assigned to them: the store has no "or", so read the filtered list in
  // chunks and keep the visible rows; a page that fills up mid-chunk continues after its last row.
  const visible = (v: InstanceView) =>
    (asRequester && v.startedBy === caller.person) || assigned.has(v.instanceId);
  const instances: InstanceView[] = [];
  let after = page.after;
  let scanned = 0;
  for (;;) {
    const chunk = Math.min(500, Math.max(CHUNK, 2 * (page.limit - instances.length)));
    const read = await views.list(filter, { ...(after === undefined ? {} : { after }), limit: chunk });
    scanned += read.instances.length;
    for (const view of read.instances) {
      if (!visible(view)) continue;
      instances.push(view);
      if (instances.length === page.limit) {
        const more = view !== read.instances.at(-1) || read.next !== null;
        return { instances, next: more ? cursorAfter(view) : null };
      }
    }
    if (read.next === null) return { instances, next: null };
    after = read.next;
    // A short page with a cursor is still a correct page: the client asks for the next one.
    if (scanned >= MAX_SCANNED_PER_PAGE) return { instances, next: after };
  }
}

/**
 * The store's cursor after `view` (base64url JSON of its sort key, `[startedAt ms, id]`, see
 * store/instances.ts), for a page that ends inside a chunk the store read further.
 */
function cursorAfter(view: InstanceView): string {
  return Buffer.from(JSON.stringify([view.startedAt.getTime(), view.instanceId])).toString('base64url');
}
