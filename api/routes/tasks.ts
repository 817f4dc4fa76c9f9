// Routes of /v1/tasks: the approver's inbox, one task, the actions on it (decide, attest, waive),
// dated delegation, and the conversation on a task. Task ids contain `/` and `#`
// (`<instance>/<step>#<round>`): clients URL-encode them in the path.
//
// Visibility (api/tasks-access.ts): approvers see their own tasks and those of people who
// delegated to them; auditors and admins see every task, and only admins act on any of them (the
// engine still decides whether that person may). Anything else is the 404 of a task that does not
// exist. The comment routes live in api/tasks-comments.ts.
import type { z } from 'zod';
import type { Task, TaskKind } from '../../store/index.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, type Problem } from '../errors.js';
import { json, route, type RouteSpec, withOwnership } from '../route.js';
import { actingFor, onBehalfOfInInbox, type Visibility, visibleTask } from '../tasks-access.js';
import { performTaskAction, type TaskAction } from '../tasks-actions.js';
import { commentRoutes } from '../tasks-comments.js';
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
} from '../tasks-schemas.js';

const READ: Visibility = { seeAll: ['auditor', 'admin'], requesterOwnsInstance: false };
const ACT: Visibility = { seeAll: ['admin'], requesterOwnsInstance: false };

/** Delegations are for absences and hand-overs, not standing powers of attorney. */
const MAX_DELEGATION_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;

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

/**
 * One action route: the task must be visible to the caller and of `kind`; the API refuses what it
 * can tell without the engine (`precheck`: missing reasons), resolves on whose behalf the caller
 * acts, and sends the Update; `action` builds it from the task, the actor and the body.
 */
function actionRoute<B extends { onBehalfOf?: string | undefined }>(spec: {
  path: string;
  kind: TaskKind;
  summary: string;
  body: z.ZodType<B>;
  precheck?: (body: B) => void;
  action: (base: { step: string; actor: string; onBehalfOf?: string }, body: B) => TaskAction;
}): RouteSpec {
  return route({
    method: 'post',
    path: `/tasks/:id/${spec.path}`,
    summary: spec.summary,
    roles: ['approver', 'admin'],
    params: taskParams,
    ownership: { param: 'id', object: 'task', seeAll: ACT.seeAll, othersGet: 404 },
    body: spec.body,
    response: receiptResponse,
    handler: async ({ caller, params, body, deps }) => {
      const { task, delegators } = await visibleTask(deps, caller, params.id, ACT);
      requireKind(task, spec.kind);
      spec.precheck?.(body);
      const onBehalfOf = actingFor(task, caller, delegators, body.onBehalfOf);
      const base = {
        step: task.step,
        actor: caller.person,
        ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
      };
      return json(await performTaskAction(deps, caller, task, spec.action(base, body)));
    },
  });
}

function actionRoutes(): RouteSpec[] {
  return [
    actionRoute({
      path: 'decide',
      kind: 'approval',
      summary: 'Approve, reject (with a reason) or request changes on an approval task',
      body: decideBody,
      precheck: (body) => {
        if (body.decision === 'reject' && (body.reason ?? '').trim() === '') {
          throw reasonRequired('a rejection');
        }
      },
      action: (base, body) => ({
        kind: 'decide',
        input: {
          ...base,
          decision: body.decision,
          ...(body.reason === undefined ? {} : { reason: body.reason }),
        },
      }),
    }),
    actionRoute({
      path: 'attest',
      kind: 'attestation',
      summary: 'Attest an attestation task, with evidence where the policy asks for it',
      body: attestBody,
      action: (base, body) => ({
        kind: 'attest',
        input: { ...base, ...(body.evidence === undefined ? {} : { evidence: body.evidence }) },
      }),
    }),
    actionRoute({
      path: 'waive',
      kind: 'waiver',
      summary: 'Waive the failed check of a waiver task, with a reason',
      body: waiveBody,
      precheck: (body) => {
        if (body.reason.trim() === '') throw reasonRequired('a waiver');
      },
      action: (base, body) => ({ kind: 'waive', input: { ...base, reason: body.reason } }),
    }),
  ];
}

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
      await deps.store.directory.addDelegation({ id, from: caller.person, to: body.to, start, end });
      const note = body.note ?? null;
      await deps.store.outbox.enqueue({
        id: `delegation:${id}`,
        instanceId: task.instanceId,
        step: task.step,
        recipients: [body.to],
        message:
          `${caller.person} delegated their decisions to you until ${end.toISOString()}` +
          ` (starting with "${task.title}")${note === null ? '' : `: ${note}`}`,
        at: start,
      });
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
      roles: ['approver', 'auditor', 'admin'],
      params: taskParams,
      ownership: { param: 'id', object: 'task', seeAll: READ.seeAll, othersGet: 404 },
      response: taskResponse,
      handler: async ({ caller, params, deps }) => {
        const { task, delegators } = await visibleTask(deps, caller, params.id, READ);
        return json(taskJson(task, onBehalfOfInInbox(task, caller.person, delegators)));
      },
    }),
    ...actionRoutes(),
    delegationRoute(),
    // The conversation is the task's approvers' and its requester's (api/tasks-comments.ts).
    ...withOwnership(commentRoutes(), {
      'POST /tasks/:id/comments': { param: 'id', object: 'task', seeAll: ['admin'], othersGet: 404 },
      'GET /tasks/:id/comments': {
        param: 'id',
        object: 'task',
        seeAll: ['auditor', 'admin'],
        othersGet: 404,
      },
    }),
  ];
}
