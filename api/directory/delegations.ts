// Delegations and out-of-office: who decides for whom, and when. A person manages their own
// (delegations from themselves, their own absence); admins manage anyone's; auditors only read.
// Everyone sees the delegations they give or receive, and nobody learns of anyone else's.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Role } from '../../store/index.js';
import { hasRole } from '../auth.js';
import { forbidden, invalidRequest, notFound } from '../errors.js';
import { pageAnswer, pageOf, pageQuery } from '../paging.js';
import {
  absenceView,
  delegationView,
  instant,
  personId,
  rangeProblems,
  requireActivePeople,
  showAbsence,
  showDelegation,
} from './schemas.js';
import { ALL_ROLES, json, route, type RouteSpec } from '../route.js';

/** Everyone who may change their own delegations and absences: all roles but the auditor. */
const ACTORS: readonly Role[] = ['author', 'requester', 'approver', 'pmo', 'admin'];

const delegationBody = z.strictObject({
  from: personId.optional(),
  to: personId,
  start: instant,
  end: instant,
});
const absenceBody = z.strictObject({
  from: instant,
  to: instant,
  delegate: personId.nullable().optional(),
});

/** Ids that sort by creation time, so the list reads oldest first without another index. */
const newDelegationId = (at: Date): string =>
  `dlg_${at.getTime().toString(36).padStart(9, '0')}_${randomBytes(6).toString('hex')}`;

export function delegationRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/directory/delegations',
      summary: 'Delegations: all for admins, auditors and the PMO, otherwise those given or received',
      roles: ALL_ROLES,
      query: pageQuery,
      response: pageOf(delegationView),
      handler: async ({ caller, deps, query }) => {
        const involving = hasRole(caller, 'admin', 'auditor', 'pmo') ? null : caller.person;
        const page = await deps.store.directoryQueries.pageOfDelegations(
          involving,
          query.cursor ?? null,
          query.limit,
        );
        return json(pageAnswer(page, showDelegation));
      },
    }),
    route({
      method: 'post',
      path: '/directory/delegations',
      summary: 'Delegates decisions for a date range (from oneself; admins for anyone)',
      roles: ACTORS,
      body: delegationBody,
      response: delegationView,
      status: 201,
      handler: async ({ caller, deps, body }) => {
        const from = body.from ?? caller.person;
        if (from !== caller.person && !hasRole(caller, 'admin')) {
          throw forbidden(`${caller.person} may only delegate their own decisions, not those of ${from}`);
        }
        const problems = rangeProblems(body, { start: 'start', end: 'end' }, deps.now());
        if (from === body.to)
          problems.push({ path: 'body.to', message: `${from} cannot delegate to themselves` });
        if (problems.length > 0) throw invalidRequest(problems);
        const queries = deps.store.directoryQueries;
        await requireActivePeople(queries, [from, body.to], (i) => (i === 0 ? 'body.from' : 'body.to'));
        const delegation = {
          id: newDelegationId(deps.now()),
          from,
          to: body.to,
          start: body.start,
          end: body.end,
        };
        await deps.store.directory.addDelegation(delegation);
        return json({ ...delegation, start: body.start.toISOString(), end: body.end.toISOString() });
      },
    }),
    route({
      method: 'delete',
      path: '/directory/delegations/:id',
      summary: 'Withdraws a delegation (its delegator or an admin)',
      roles: ACTORS,
      params: z.object({ id: z.string().min(1).max(100) }),
      response: delegationView,
      handler: async ({ caller, deps, params }) => {
        const delegation = await deps.store.directoryQueries.delegation(params.id);
        if (delegation === null) throw notFound(`delegation ${params.id}`);
        if (delegation.from !== caller.person && !hasRole(caller, 'admin')) {
          // The delegate already sees it in their list: a refusal tells them nothing new.
          if (delegation.to === caller.person) {
            throw forbidden(`only ${delegation.from} or an admin may withdraw delegation ${params.id}`);
          }
          throw notFound(`delegation ${params.id}`);
        }
        await deps.store.directory.removeDelegation(params.id);
        return json(showDelegation(delegation));
      },
    }),
    route({
      method: 'put',
      path: '/directory/people/:id/out-of-office',
      summary: "Records a person's absence and who decides meanwhile (themself or an admin)",
      roles: ACTORS,
      params: z.object({ id: personId }),
      body: absenceBody,
      response: z.object({ person: z.string(), outOfOffice: absenceView }),
      handler: async ({ caller, deps, params, body }) => {
        if ((await deps.store.directory.person(params.id)) === null) throw notFound(`person ${params.id}`);
        if (params.id !== caller.person && !hasRole(caller, 'admin')) {
          throw forbidden(`${caller.person} may only record their own absence, not that of ${params.id}`);
        }
        const delegate = body.delegate ?? null;
        const problems = rangeProblems(
          { start: body.from, end: body.to },
          { start: 'from', end: 'to' },
          deps.now(),
        );
        if (delegate === params.id) {
          problems.push({ path: 'body.delegate', message: `${params.id} cannot delegate to themselves` });
        }
        if (problems.length > 0) throw invalidRequest(problems);
        if (delegate !== null) {
          await requireActivePeople(deps.store.directoryQueries, [delegate], () => 'body.delegate');
        }
        const absence = { from: body.from, to: body.to, delegate };
        await deps.store.directory.setOutOfOffice(params.id, absence);
        return json({ person: params.id, outOfOffice: showAbsence({ _id: params.id, ...absence }) });
      },
    }),
    route({
      method: 'delete',
      path: '/directory/people/:id/out-of-office',
      summary: "Ends or cancels a person's absence and its stand-in (themself or an admin)",
      roles: ACTORS,
      params: z.object({ id: personId }),
      response: z.object({ person: z.string(), cleared: z.boolean() }),
      handler: async ({ caller, deps, params }) => {
        if ((await deps.store.directory.person(params.id)) === null) throw notFound(`person ${params.id}`);
        if (params.id !== caller.person && !hasRole(caller, 'admin')) {
          throw forbidden(`${caller.person} may only end their own absence, not that of ${params.id}`);
        }
        return json({ person: params.id, cleared: await deps.store.directory.clearOutOfOffice(params.id) });
      },
    }),
  ];
}
