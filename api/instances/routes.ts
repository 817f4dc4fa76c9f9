// Routes of /v1/instances: requesters start process instances under the policy version in effect,
// everyone lists and reads the instances they may see (see api/instances/access.ts), requesters
// withdraw their own, and slow external check services report their results.
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import type { InstanceView } from '../../store/index.js';
import { isInstanceCursor } from '../../store/instances.js';
import { cancelUpdate, reportCheckUpdate } from '../../workflows/definitions/messages.js';
import { startInstance, StartError } from '../../workflows/client.js';
import { hasRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, invalidRequest, notFound } from '../errors.js';
import { canSee, listVisible, SEE_EVERY_INSTANCE } from './access.js';
import {
  blockedJson,
  detailOf,
  detailSchema,
  liveStatus,
  receiptSchema,
  updateError,
  viewFromWorkflow,
  viewJson,
  viewSchema,
} from './live.js';
import { summaryJson, summarySchema } from '../policies/compile.js';
import { instanceGraph } from '../processes/progress.js';
import { instanceGraphResponse } from '../processes/schemas.js';
import { startProjectRefusal } from '../projects/linking.js';
import { ALL_ROLES, type Caller, json, route, type RouteSpec } from '../route.js';
import { taskJson, taskResponse } from '../tasks/schemas.js';

const name = z.string().min(1).max(200);
const idParams = z.object({ id: z.string().min(1).max(300) });

const startBody = z.strictObject({
  policy: name,
  process: name,
  input: z
    .record(z.string(), z.unknown())
    .describe(
      'one member per input field, checked against the process (422 names each bad field). Money as ' +
        '"80,000.50 EUR" or `{amount, currency}`, the amount as decimal text ("1000000000000000000.01", ' +
        'exact) or a JSON number of at most 15 significant digits',
    ),
});

const listQuery = z.object({
  status: z.enum(['running', 'approved', 'rejected', 'cancelled']).optional(),
  policy: name.optional(),
  process: name.optional(),
  project: name.optional(),
  startedBy: z.string().min(1).max(320).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  // Checked here, so that a bad cursor is reported with the other bad parameters of the query.
  cursor: z.string().max(1000).refine(isInstanceCursor, 'not a cursor this list issued').optional(),
});

/** The view of an instance `caller` may see; 404 otherwise, the same as for an unknown id. */
async function visibleInstance(deps: ApiDeps, caller: Caller, id: string): Promise<InstanceView> {
  const view = (await deps.store.views.get(id)) ?? (await viewFromWorkflow(deps.temporal, id));
  if (view === null || !(await canSee(deps, caller, view))) throw notFound(`instance ${id}`);
  return view;
}

/** With an Idempotency-Key, the workflow id follows from it: Temporal refuses a second start. */
function instanceIdFor(process: string, caller: Caller, key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  const digest = createHash('sha256').update(`${caller.person}\n${key}`).digest('hex').slice(0, 32);
  return `${process}-${digest}`;
}

/** Reads of one instance: anyone who may see it; to others it does not exist (404). */
const READ_ONE_INSTANCE = {
  roles: ALL_ROLES,
  params: idParams,
  ownership: { param: 'id', object: 'instance', seeAll: SEE_EVERY_INSTANCE, othersGet: 404 },
} as const;

export function instancesRoutes(): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/instances',
      summary: 'Start an instance of a process under the policy version in effect today',
      roles: ['requester', 'admin'],
      body: startBody,
      status: 201,
      response: z.object({ instanceId: z.string(), policy: summarySchema }),
      handler: async ({ body, caller, deps, req }) => {
        // The portfolio's rule, when the PMO set it: the input's project must be an open project's code.
        const projectRefusal = await startProjectRefusal(deps.store, body.input);
        if (projectRefusal !== null) throw projectRefusal;
        const instanceId = instanceIdFor(body.process, caller, req.get('idempotency-key'));
        const request = {
          policy: body.policy,
          process: body.process,
          input: body.input,
          startedBy: caller.person,
          at: deps.now(),
          ...(instanceId === undefined ? {} : { instanceId }),
        };
        const client = { client: deps.temporal, store: deps.store, taskQueue: deps.taskQueue };
        try {
          const started = await startInstance(client, request);
          return json({ instanceId: started.instanceId, policy: summaryJson(started.policy) });
        } catch (error) {
          if (error instanceof StartError) throw startProblem(error);
          if (error instanceof WorkflowExecutionAlreadyStartedError && instanceId !== undefined) {
            return json(await earlierStart(deps, caller, instanceId));
          }
          throw error;
        }
      },
    }),
    route({
      method: 'get',
      path: '/instances',
      summary: 'The instances the caller may see, newest first, filtered',
      roles: ALL_ROLES,
      query: listQuery,
      response: z.object({ items: z.array(viewSchema), nextCursor: z.string().nullable() }),
      handler: async ({ query, caller, deps }) => {
        const page = await listVisible(
          deps,
          caller,
          {
            ...(query.status === undefined ? {} : { status: query.status }),
            ...(query.policy === undefined ? {} : { policyName: query.policy }),
            ...(query.process === undefined ? {} : { process: query.process }),
            ...(query.project === undefined ? {} : { project: query.project }),
            ...(query.startedBy === undefined ? {} : { startedBy: query.startedBy }),
          },
          { limit: query.limit, ...(query.cursor === undefined ? {} : { after: query.cursor }) },
        );
        return json({ items: page.instances.map(viewJson), nextCursor: page.next });
      },
    }),
    route({
      method: 'get',
      path: '/instances/:id',
      summary:
        'One instance: its input, where it stands, why it is blocked (live while running), its timeline',
      ...READ_ONE_INSTANCE,
      response: detailSchema,
      handler: async ({ params, caller, deps }) => {
        const view = await visibleInstance(deps, caller, params.id);
        return json(await detailOf(deps.store, deps.temporal, view));
      },
    }),
    route({
      method: 'get',
      path: '/instances/:id/tasks',
      summary: "An instance's tasks, open and closed, in the order they were opened (to whoever may see it)",
      ...READ_ONE_INSTANCE,
      response: z.object({ items: z.array(taskResponse) }),
      handler: async ({ params, caller, deps }) => {
        const view = await visibleInstance(deps, caller, params.id);
        const tasks = await deps.store.tasks.ofInstance(view.instanceId);
        return json({ items: tasks.map((task) => taskJson(task, null)) });
      },
    }),
    route({
      method: 'get',
      path: '/instances/:id/graph',
      summary:
        "The flow graph of an instance's process with each step's state (done, current, skipped, failed, pending) and outcome",
      ...READ_ONE_INSTANCE,
      response: instanceGraphResponse,
      handler: async ({ params, caller, deps }) => {
        const view = await visibleInstance(deps, caller, params.id);
        return json(await instanceGraph(deps.store, view));
      },
    }),
    route({
      method: 'post',
      path: '/instances/:id/cancel',
      summary: 'Withdraw a running instance (the requester who started it, or an admin)',
      roles: ['requester', 'admin'],
      params: idParams,
      ownership: { param: 'id', object: 'instance', seeAll: ['admin'], othersGet: 404 },
      body: z.strictObject({ reason: z.string().trim().min(1).max(2000) }),
      response: receiptSchema,
      handler: async ({ params, body, caller, deps }) => {
        const view = await visibleInstance(deps, caller, params.id);
        if (!hasRole(caller, 'admin') && view.startedBy !== caller.person) {
          throw new ApiError(
            403,
            'forbidden',
            'only the requester who started an instance, or an admin, cancels it',
          );
        }
        if (view.status !== 'running') throw ended(view);
        try {
          const receipt = await deps.temporal.workflow
            .getHandle(view.instanceId)
            .executeUpdate(cancelUpdate, { args: [{ actor: caller.person, reason: body.reason }] });
          return json({
            instanceId: view.instanceId,
            ...receipt,
            blockedOn: receipt.blockedOn.map(blockedJson),
          });
        } catch (error) {
          throw updateError(error);
        }
      },
    }),
    route({
      method: 'post',
      path: '/instances/:id/checks/:request/report',
      summary: 'A slow external check service reports the result of a check it answered as pending',
      roles: ['admin'],
      params: z.object({ id: z.string().min(1).max(300), request: z.string().min(1).max(300) }),
      body: z.strictObject({
        service: z.string().min(1).max(200),
        outcome: z.enum(['passed', 'failed', 'error']),
        evidence: z.string().max(10_000).optional(),
        detail: z.string().max(10_000).optional(),
      }),
      response: receiptSchema,
      handler: async ({ params, body, caller, deps }) => {
        const view = await visibleInstance(deps, caller, params.id);
        if (view.status !== 'running') throw ended(view);
        const report = {
          request: params.request,
          service: body.service,
          outcome: body.outcome,
          ...(body.evidence === undefined ? {} : { evidence: body.evidence }),
          ...(body.detail === undefined ? {} : { detail: body.detail }),
        };
        try {
          const receipt = await deps.temporal.workflow
            .getHandle(view.instanceId)
            .executeUpdate(reportCheckUpdate, { args: [report] });
          return json({
            instanceId: view.instanceId,
            ...receipt,
            blockedOn: receipt.blockedOn.map(blockedJson),
          });
        } catch (error) {
          throw updateError(error);
        }
      },
    }),
  ];
}

/**
 * The same key after a lost answer (the key was given back after a 5xx): the instance that start
 * made is the answer, with the version it pinned.
 */
async function earlierStart(deps: ApiDeps, caller: Caller, instanceId: string) {
  const status = await liveStatus(deps.temporal, instanceId);
  const policy = status && (await deps.store.policies.get(status.policy.name, status.policy.version));
  if (!status || status.startedBy !== caller.person || !policy) {
    throw new ApiError(
      409,
      'idempotency-key-used',
      'an instance was already started with this Idempotency-Key; use a new key for a new instance',
    );
  }
  return { instanceId, policy: summaryJson(policy) };
}

const ended = (view: InstanceView): ApiError =>
  new ApiError(
    409,
    'ended',
    `instance ${view.instanceId} has ended (${view.status}): it takes no more actions`,
  );

/** StartError as a 422 (409 for a retired policy) whose problems point at the body field to fix. */
function startProblem(error: StartError): ApiError {
  switch (error.code) {
    case 'policy-retired':
      // Not a bad request: the policy exists, and its state refuses new instances.
      return new ApiError(409, 'policy-retired', error.message, [
        { path: 'body.policy', message: error.message },
      ]);
    case 'unknown-policy':
      return new ApiError(422, 'unknown-policy', error.message, [
        { path: 'body.policy', message: error.message },
      ]);
    case 'unknown-process':
      return new ApiError(422, 'unknown-process', error.message, [
        { path: 'body.process', message: error.message },
      ]);
    case 'invalid-input': {
      const problems = error.problems.map((p) => ({
        path: ['body', 'input', ...p.path.map(String)].join('.'),
        message: p.message,
      }));
      const first = invalidRequest(problems);
      return new ApiError(422, 'invalid-input', first.message, problems);
    }
  }
}
