// Routes of /v1/resources for people: a person's hours per ISO week, their allocations to projects,
// utilisation per person and per project, and a preview of an allocation that changes nothing.
// Planners (authors, approvers, admins) and auditors read everyone; a requester reads only their
// own weeks, and someone else's answer 404 exactly like an unknown person, so that a requester
// cannot probe who exists. Only admins set capacity; authors and admins allocate.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CapacityAllocatedError, CapacityError } from '../../store/capacity.js';
import type { Role, Store } from '../../store/index.js';
import type { PersonAllocation, PersonAllocationRequest } from '../../store/people-capacity.js';
import { hasRole } from '../auth.js';
import { pageOf } from '../paging.js';
import { personId } from '../directory/schemas.js';
import { ApiError, notFound } from '../errors.js';
import {
  personAllocationAnswer,
  personAllocationBody,
  personCapacityAnswer,
  personCapacityBody,
  personWeeksAnswer,
  personWeeksQuery,
  projectMemberView,
  projectPeopleQuery,
  weeksBetween,
  weeksOfQuery,
} from './schemas.js';
import { json, route, type Caller, type RouteSpec } from '../route.js';

const PLANNERS: readonly Role[] = ['author', 'approver', 'auditor', 'pmo', 'admin'];
const personParams = z.object({ person: personId });
type AllocationBody = z.infer<typeof personAllocationBody>;

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The person, if the directory knows them and the caller may see them; 404 otherwise. */
async function visiblePerson(store: Store, caller: Caller, person: string): Promise<{ active: boolean }> {
  const ownOnly = !hasRole(caller, ...PLANNERS);
  const known = ownOnly && person !== caller.person ? null : await store.directory.person(person);
  if (known === null) throw notFound(`person ${person}`);
  return known;
}

/** Allocations go to people who are still here: an inactive person's hours are nobody's plan. */
async function activePerson(store: Store, caller: Caller, person: string): Promise<void> {
  if (!(await visiblePerson(store, caller, person)).active) {
    throw new ApiError(409, 'person-inactive', `${person} is no longer active: nothing can be allocated`);
  }
}

function allocationRequest(person: string, body: AllocationBody, at: Date): PersonAllocationRequest {
  return {
    // A fresh id: the app's Idempotency-Key is what makes a client's retry safe.
    request: randomUUID(),
    person,
    project: body.project,
    hours: body.hours,
    weeks: weeksBetween(body.from, body.to),
    priority: body.priority,
    at,
  };
}

const allocationAnswer = (person: string, project: string, a: PersonAllocation) => ({
  person,
  project,
  ...a,
});

/** A store that could not settle the change: it changed nothing and may simply be sent again. */
const busy = (error: CapacityError): ApiError =>
  new ApiError(503, 'capacity-busy', `capacity is changing too fast to decide: ${error.message}`);

export function peopleResourcesRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/resources/people/:person',
      summary: "A person's capacity, allocated and free hours, utilisation and projects per ISO week",
      roles: [...PLANNERS, 'requester'],
      params: personParams,
      ownership: { param: 'person', object: 'person', seeAll: PLANNERS, othersGet: 404 },
      query: personWeeksQuery,
      response: personWeeksAnswer,
      handler: async ({ deps, caller, params, query }) => {
        await visiblePerson(deps.store, caller, params.person);
        const weeks = await deps.store.peopleCapacity.weeksOf(params.person, weeksOfQuery(query, deps.now()));
        const totals = new Map<string, number>();
        for (const w of weeks) {
          for (const p of w.projects) totals.set(p.project, round2((totals.get(p.project) ?? 0) + p.hours));
        }
        const projects = [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return json({
          person: params.person,
          weeks,
          projects: projects.map(([project, hours]) => ({ project, hours })),
        });
      },
    }),
    route({
      method: 'put',
      path: '/resources/people/:person/capacity',
      summary: "Sets a person's hours for every ISO week of a range (all weeks or none)",
      roles: ['admin', 'pmo'],
      params: personParams,
      ownership: { param: 'person', object: 'person', seeAll: ['admin', 'pmo'], othersGet: 404 },
      body: personCapacityBody,
      response: personCapacityAnswer,
      handler: async ({ deps, caller, params, body }) => {
        await visiblePerson(deps.store, caller, params.person);
        const weeks = weeksBetween(body.from, body.to);
        try {
          await deps.store.peopleCapacity.setHours(params.person, weeks, body.hours);
        } catch (error) {
          // Capacity below what is already promised would silently break allocations.
          if (error instanceof CapacityAllocatedError) {
            throw new ApiError(409, 'capacity-allocated', error.message, [], { weeks: error.weeks });
          }
          if (error instanceof CapacityError) throw busy(error);
          throw error;
        }
        const now = await deps.store.peopleCapacity.weeksOf(params.person, weeks);
        return json({
          person: params.person,
          weeks: now.map(({ week, capacity, allocated, free, utilisation }) => ({
            week,
            capacity,
            allocated,
            free,
            utilisation,
          })),
        });
      },
    }),
    route({
      method: 'post',
      path: '/resources/people/:person/allocations',
      summary: 'Allocates a person to a project for hours spread over ISO weeks, all weeks or none',
      roles: ['admin', 'pmo', 'author'],
      params: personParams,
      ownership: { param: 'person', object: 'person', seeAll: ['admin', 'pmo', 'author'], othersGet: 404 },
      body: personAllocationBody,
      response: personAllocationAnswer,
      status: 201,
      handler: async ({ deps, caller, params, body }) => {
        await activePerson(deps.store, caller, params.person);
        let result: PersonAllocation;
        try {
          result = await deps.store.peopleCapacity.allocate(
            allocationRequest(params.person, body, deps.now()),
          );
        } catch (error) {
          if (error instanceof CapacityError) throw busy(error);
          throw error;
        }
        const answer = allocationAnswer(params.person, body.project, result);
        if (result.outcome === 'insufficient') {
          // Nothing was written; the weeks say where the hours are missing.
          throw new ApiError(409, 'insufficient-capacity', result.detail, [], {
            person: answer.person,
            project: answer.project,
            weeks: answer.weeks,
          });
        }
        return json(answer);
      },
    }),
    route({
      method: 'post',
      path: '/resources/people/:person/allocations/preview',
      summary: 'What allocating a person would do to their weeks, without changing anything',
      roles: ['admin', 'pmo', 'author', 'approver'],
      params: personParams,
      ownership: {
        param: 'person',
        object: 'person',
        seeAll: ['admin', 'pmo', 'author', 'approver'],
        othersGet: 404,
      },
      body: personAllocationBody,
      response: personAllocationAnswer,
      handler: async ({ deps, caller, params, body }) => {
        await activePerson(deps.store, caller, params.person);
        const result = await deps.store.peopleCapacity.preview(
          allocationRequest(params.person, body, deps.now()),
        );
        return json(allocationAnswer(params.person, body.project, result));
      },
    }),
    route({
      method: 'get',
      path: '/resources/projects/:project/people',
      summary: "A project's people: their hours on it per ISO week and their utilisation across projects",
      roles: PLANNERS,
      params: z.object({ project: z.string().min(1).max(200) }),
      query: projectPeopleQuery,
      response: pageOf(projectMemberView),
      handler: async ({ deps, params, query }) => {
        const weeks = weeksOfQuery(query, deps.now());
        const page = await deps.store.peopleCapacity.projectMembers(params.project, weeks, {
          after: query.cursor,
          limit: query.limit,
        });
        return json({ items: page.members, nextCursor: page.next });
      },
    }),
  ];
}
