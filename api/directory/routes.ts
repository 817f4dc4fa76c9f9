// Routes of /v1/directory: people and groups, which everyone may read (approver resolution is only
// trustworthy when people can see who is in `cab`) and only admins change; delegations and
// out-of-office come from api/directory/delegations.ts, the roles admins grant people from
// api/directory/roles.ts.
import { z } from 'zod';
import { invalidRequest, notFound } from '../errors.js';
import { ALL_ROLES, json, route, type RouteSpec, withOwnership } from '../route.js';
import { endAccess } from './access-end.js';
import { groupChanges, personChanges, recordDirectoryEdit } from './admin-record.js';
import { delegationRoutes } from './delegations.js';
import { roleGrantRoutes } from './roles.js';
import { pageAnswer, pageOf, pageQuery } from '../paging.js';
import {
  groupId,
  groupView,
  peopleQuery,
  personId,
  personSummary,
  personView,
  requireActivePeople,
  showAbsence,
  showPerson,
} from './schemas.js';
import type { Store } from '../../store/index.js';

/** Longest management chain walked when checking that a new manager closes no loop. */
const MAX_CHAIN = 200;

const personBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  manager: personId.nullable(),
  active: z.boolean().optional(),
});
const groupBody = z.strictObject({ members: z.array(personId).max(2000) });

async function personAnswer(store: Store, id: string): Promise<z.infer<typeof personView>> {
  const queries = store.directoryQueries;
  const person = await store.directory.person(id);
  if (person === null) throw notFound(`person ${id}`);
  const [groups, absence] = await Promise.all([queries.groupsOf(id), queries.absenceOf(id)]);
  return { ...showPerson(person), groups, outOfOffice: absence === null ? null : showAbsence(absence) };
}

/** 422 at body.manager unless `manager` may manage `id`: known, active, and not below them. */
async function checkManager(store: Store, id: string, manager: string): Promise<void> {
  const problem = (message: string) => invalidRequest([{ path: 'body.manager', message }]);
  if (manager === id) throw problem(`${id} cannot be their own manager`);
  await requireActivePeople(store.directoryQueries, [manager], () => 'body.manager');
  let above: string | null = manager;
  for (let hop = 0; above !== null && hop < MAX_CHAIN; hop++) {
    above = (await store.directory.person(above))?.manager ?? null;
    if (above === id) throw problem(`${manager} reports to ${id}: the change would make a management loop`);
  }
}

export function directoryRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/directory/people',
      summary:
        'People of the directory, by id (e-mail); with `q`, the active people whose id, name or a name word starts with it (at most 20)',
      roles: ALL_ROLES,
      query: peopleQuery,
      response: pageOf(personSummary),
      handler: async ({ deps, query }) => {
        const queries = deps.store.directoryQueries;
        if (query.q !== undefined) {
          const found = await queries.searchPeople(query.q, query.limit);
          return json({ items: found.map(showPerson), nextCursor: null });
        }
        const page = await queries.pageOfPeople(query.cursor ?? null, query.limit);
        return json(pageAnswer(page, showPerson));
      },
    }),
    route({
      method: 'get',
      path: '/directory/people/:id',
      summary: 'One person: manager, groups and out-of-office',
      roles: ALL_ROLES,
      params: z.object({ id: personId }),
      response: personView,
      handler: async ({ deps, params }) => json(await personAnswer(deps.store, params.id)),
    }),
    route({
      method: 'put',
      path: '/directory/people/:id',
      summary:
        'Creates or updates a person: name, manager, active; making someone inactive ends their browser sessions and revokes their live tokens at once',
      alsoStatus: [201],
      roles: ['admin'],
      params: z.object({ id: personId }),
      body: personBody,
      response: personView,
      handler: async ({ deps, caller, params, body }) => {
        const before = await deps.store.directory.person(params.id);
        if (body.manager !== null) await checkManager(deps.store, params.id, body.manager);
        await deps.store.directory.upsertPerson({
          id: params.id,
          name: body.name,
          manager: body.manager,
          ...(body.active === undefined ? {} : { active: body.active }),
        });
        const after = await deps.store.directory.person(params.id);
        const at = deps.now();
        // Made inactive: nothing they started before keeps working (access-end.ts).
        const ended =
          before?.active === true && after?.active === false
            ? await endAccess(deps.store, {
                person: params.id,
                upTo: at,
                at,
                by: caller.person,
                because: 'person-deactivated',
              })
            : null;
        await recordDirectoryEdit(deps.store, caller, at, {
          kind: 'person',
          id: params.id,
          created: before === null,
          changes: before === null || after === null ? [] : personChanges(before, after),
          ...(ended ? { ended } : {}),
        });
        return json(await personAnswer(deps.store, params.id), before === null ? 201 : 200);
      },
    }),
    route({
      method: 'get',
      path: '/directory/groups',
      summary: 'Groups of the directory with their members, by id',
      roles: ALL_ROLES,
      query: pageQuery,
      response: pageOf(groupView),
      handler: async ({ deps, query }) => {
        const page = await deps.store.directoryQueries.pageOfGroups(query.cursor ?? null, query.limit);
        return json(pageAnswer(page, (g) => ({ id: g._id, members: g.members })));
      },
    }),
    route({
      method: 'get',
      path: '/directory/groups/:id',
      summary: 'One group and its members',
      roles: ALL_ROLES,
      params: z.object({ id: groupId }),
      response: groupView,
      handler: async ({ deps, params }) => {
        const group = await deps.store.directory.group(params.id);
        if (group === null) throw notFound(`group ${params.id}`);
        return json({ id: group._id, members: group.members });
      },
    }),
    route({
      method: 'put',
      path: '/directory/groups/:id',
      summary: 'Creates a group or replaces its members (known, active people only)',
      alsoStatus: [201],
      roles: ['admin'],
      params: z.object({ id: groupId }),
      body: groupBody,
      response: groupView,
      handler: async ({ deps, caller, params, body }) => {
        // Checked first: the Directory would otherwise invent every unknown member as a person.
        await requireActivePeople(deps.store.directoryQueries, body.members, (i) => `body.members.${i}`);
        const before = await deps.store.directory.group(params.id);
        await deps.store.directory.upsertGroup({ id: params.id, members: body.members });
        // What upsertGroup stored: the members once each, in the order given.
        const members = [...new Set(body.members)];
        await recordDirectoryEdit(deps.store, caller, deps.now(), {
          kind: 'group',
          id: params.id,
          created: before === null,
          changes: groupChanges(before?.members ?? [], members),
        });
        return json({ id: params.id, members }, before === null ? 201 : 200);
      },
    }),
    // A delegation is its delegator's (its delegate only sees it); an absence is its person's.
    ...withOwnership(delegationRoutes(), {
      'DELETE /directory/delegations/:id': {
        param: 'id',
        object: 'delegation',
        seeAll: ['admin'],
        othersGet: 404,
      },
      // The person is public (GET /directory/people/:id shows their absence): refusing tells nothing.
      'PUT /directory/people/:id/out-of-office': {
        param: 'id',
        object: 'person',
        seeAll: ['admin'],
        othersGet: 403,
      },
      'DELETE /directory/people/:id/out-of-office': {
        param: 'id',
        object: 'person',
        seeAll: ['admin'],
        othersGet: 403,
      },
    }),
    ...roleGrantRoutes(),
  ];
}
