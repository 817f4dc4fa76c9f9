// Routes of /v1/tasks: the approver's inbox, one task, the actions on it (decide, attest, waive),
// the same decision on many tasks at once (api/tasks/bulk.ts), dated delegation, and the
// conversation on a task. Task ids contain `/` and `#`
// (`<instance>/<step>#<round>`): clients URL-encode them in the path.
//
// Visibility (api/tasks/access.ts): approvers see their own tasks and those of people who
// delegated to them; auditors and admins see every task, and only admins act on any of them (the
// engine still decides whether that person may). Anything else is the 404 of a task that does not
// exist. The comment routes live in api/tasks/comments.ts.
import type { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiError, type Problem } from '../errors.js';
import { delegationNotice, instanceOfTask } from '../notifications/notices.js';
import { json, route, type RouteSpec, withOwnership } from '../route.js';
import { onBehalfOfInInbox, type Visibility, visibleTask } from './access.js';
import { ACT, type ActionSpec, actOnTask, ATTEST, DECIDE, taskToActOn, WAIVE } from './actions.js';
import { bulkDecideRoute } from './bulk.js';
import { commentRoutes } from './comments.js';
import {
  attestBody,
  decideBody,
  delegateBody,
  delegationResponse,
  inboxResponse,
  pageQuery,
  receiptResponse,
  taskJson,
  taskParams,
  taskResponse,
  waiveBody,
} from './schemas.js';

const READ: Visibility = { seeAll: ['auditor', 'pmo', 'admin'], requesterOwnsInstance: false };

/** Delegations are for absences and hand-overs, not standing powers of attorney. */
const MAX_DELEGATION_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;

/** The store's cursor passes through opaque; one it did not issue is a 422 (api/errors.ts). */
async function inbox(deps: ApiDeps, person: string, query: z.infer<typeof pageQuery>) {
  const delegators = await deps.store.directory.delegatorsOf(person, deps.now());
  const page = await deps.store.tasks.inbox([person, ...delegators], {
    limit: query.limit,
    ...(query.cursor === undefined ? {} : { after: query.cursor }),
  });
  return {
    items: page.tasks.map((task) => taskJson(task, onBehalfOfInInbox(task, person, delegators))),
    nextCursor: page.next,
  };
}

/** One action route (api/tasks/actions.ts says what each action checks before the engine). */
function actionRoute<B extends { onBehalfOf?: string | undefined }>(
  spec: ActionSpec<B>,
  body: z.ZodType<B>,
): RouteSpec {
  return route({
    method: 'post',
    path: `/tasks/:id/${spec.path}`,
    summary: spec.summary,
    roles: ['approver', 'admin'],
    params: taskParams,
    ownership: { param: 'id', object: 'task', seeAll: ACT.seeAll, othersGet: 404 },
    body,
    response: receiptResponse,
    handler: async ({ caller, params, body, deps }) => {
      const visible = await taskToActOn(deps, caller, params.id);
      return json(await actOnTask(deps, caller, visible, spec, body));
    },
  });
}

const actionRoutes = (): RouteSpec[] => [
  actionRoute(DECIDE, decideBody),
  actionRoute(ATTEST, attestBody),
  actionRoute(WAIVE, waiveBody),
];

function delegationRoute(): RouteSpec {
  return route({
    method: 'post',
    path: '/tasks/:id/delegate',
    summary: 'Delegate your decisions to a colleague until a date (they act on your behalf)',
    roles: ['approver'],
    params: taskParams,
    // Only an assignee delegates: nobody may pass on anyone else's task.
    ownership: { param: 'id', object: 'task', seeAll: [], othersGet: 404 },
    body: delegateBody,
    response: delegationResponse,
    status: 201,
    handler: async ({ caller, params, body, deps }) => {
      const { task } = await visibleTask(deps, caller, params.id, ACT);
      if (!task.assignees.includes(caller.person)) {
        // Delegations do not chain (see Directory.substitute): a delegate cannot pass it on.
        throw new ApiError(
          403,
          'not-your-task',
          `only an assignee of task ${task.id} can delegate it; ${caller.person} acts on it as a delegate`,
        );
      }
      const start = deps.now();
      const end = new Date(body.until);
      const problems: Problem[] = [];
      if (body.to === caller.person)
        problems.push({ path: 'body.to', message: 'you cannot delegate to yourself' });
      else if ((await deps.store.directory.person(body.to))?.active !== true) {
        problems.push({ path: 'body.to', message: `nobody in the directory is called ${body.to}` });
      }
      if (end.getTime() <= start.getTime())
        problems.push({ path: 'body.until', message: 'must be in the future' });
      else if (end.getTime() - start.getTime() > MAX_DELEGATION_DAYS * DAY_MS) {
        problems.push({ path: 'body.until', message: `at most ${MAX_DELEGATION_DAYS} days from now` });
      }
      if (problems.length > 0) {
        throw new ApiError(
          422,
          'invalid-delegation',
          problems.map((p) => `${p.path}: ${p.message}`).join('; '),
          problems,
        );
      }
      const id = `${caller.person}->${body.to}@${start.toISOString()}`;
      const note = body.note ?? null;
      const delegation = { id, from: caller.person, to: body.to, start, end };
      await deps.store.directory.addDelegation(delegation);
      // The delegate is told that the task is theirs to decide now, on the caller's behalf.
      const instance = await instanceOfTask(deps.store, task);
      await deps.store.deliveries.post([delegationNotice({ ...delegation, note }, task, instance)]);
      return json({
        id,
        from: caller.person,
        to: body.to,
        start: start.toISOString(),
        end: end.toISOString(),
        note,
      });
    },
  });
}

export function tasksRoutes(): RouteSpec[] {
  return [
    // Before `/tasks/:id`, which would otherwise take "inbox" for a task id.
    route({
      method: 'get',
      path: '/tasks/inbox',
      summary: "The caller's open tasks and their delegators', soonest deadline first",
      roles: ['approver', 'admin'],
      query: pageQuery,
      response: inboxResponse,
      handler: async ({ caller, query, deps }) => json(await inbox(deps, caller.person, query)),
    }),
    route({
      method: 'get',
      path: '/tasks/:id',
      summary: 'One task: its step, assignees, deadline and what it is blocked on',
      roles: ['approver', 'auditor', 'pmo', 'admin'],
      params: taskParams,
      ownership: { param: 'id', object: 'task', seeAll: READ.seeAll, othersGet: 404 },
      response: taskResponse,
      handler: async ({ caller, params, deps }) => {
        const { task, delegators } = await visibleTask(deps, caller, params.id, READ);
        return json(taskJson(task, onBehalfOfInInbox(task, caller.person, delegators)));
      },
    }),
    ...actionRoutes(),
    bulkDecideRoute(),
    delegationRoute(),
    // The conversation is the task's approvers' and its requester's (api/tasks/comments.ts).
    ...withOwnership(commentRoutes(), {
      'POST /tasks/:id/comments': { param: 'id', object: 'task', seeAll: ['admin'], othersGet: 404 },
      'GET /tasks/:id/comments': {
        param: 'id',
        object: 'task',
        seeAll: ['auditor', 'pmo', 'admin'],
        othersGet: 404,
      },
    }),
  ];
}
