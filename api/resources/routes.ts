// Routes of /v1/resources: capacity per pool, skill and ISO week, its utilisation, the allocations
// a project holds, and a preview of a reallocation that changes nothing. Requesters see none of
// it (they ask for work, the PMO plans the people); auditors read; only admins set capacity.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CapacityAllocatedError } from '../../store/capacity.js';
import { isoWeeksFrom, type Role } from '../../store/index.js';
import { pageOf } from '../paging.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, invalidRequest } from '../errors.js';
import { json, route, type RouteSpec } from '../route.js';
import {
  allocationView,
  capacityBody,
  MAX_WEEKS,
  pageQuery,
  previewAnswer,
  previewBody,
  showAllocation,
  weekCapacity,
  weekRangeQuery,
  weeksOfQuery,
  weekUtilisation,
} from './schemas.js';

const READERS: readonly Role[] = ['author', 'approver', 'auditor', 'pmo', 'admin'];

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Each ISO week of the query with its capacity, free and allocated hours and utilisation. */
async function weeksOf(deps: ApiDeps, query: z.output<typeof weekRangeQuery>) {
  const weeks = weeksOfQuery(query, deps.now());
  const by = await deps.store.capacity.utilisation(query.pool, query.skill, weeks);
  return weeks.map((week) => {
    const { capacity = 0, free = 0, utilisation = 0 } = by[week] ?? {};
    return { week, capacity, free, allocated: round2(capacity - free), utilisation };
  });
}

export function resourcesRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/resources/capacity',
      summary: 'Capacity and free hours of a pool and skill per ISO week',
      roles: READERS,
      query: weekRangeQuery,
      response: z.object({ pool: z.string(), skill: z.string(), weeks: z.array(weekCapacity) }),
      handler: async ({ deps, query }) => {
        const weeks = await weeksOf(deps, query);
        return json({
          pool: query.pool,
          skill: query.skill,
          weeks: weeks.map(({ week, capacity, free }) => ({ week, capacity, free })),
        });
      },
    }),
    route({
      method: 'put',
      path: '/resources/capacity',
      summary: 'Sets the capacity of a pool and skill for one ISO week',
      roles: ['admin'],
      body: capacityBody,
      response: weekUtilisation.extend({ pool: z.string(), skill: z.string() }),
      handler: async ({ deps, body }) => {
        try {
          await deps.store.capacity.setCapacity(body.pool, body.skill, body.week, body.hours);
        } catch (error) {
          // Capacity below what is already promised would silently break allocations.
          if (error instanceof CapacityAllocatedError) {
            throw new ApiError(409, 'capacity-allocated', error.message);
          }
          throw error;
        }
        const now = (await deps.store.capacity.utilisation(body.pool, body.skill, [body.week]))[body.week];
        const capacity = now?.capacity ?? body.hours;
        const free = now?.free ?? body.hours;
        return json({
          pool: body.pool,
          skill: body.skill,
          week: body.week,
          capacity,
          free,
          allocated: round2(capacity - free),
          utilisation: now?.utilisation ?? 0,
        });
      },
    }),
    route({
      method: 'get',
      path: '/resources/utilisation',
      summary: 'Allocated hours and utilisation (percent) of a pool and skill per ISO week',
      roles: READERS,
      query: weekRangeQuery,
      response: z.object({ pool: z.string(), skill: z.string(), weeks: z.array(weekUtilisation) }),
      handler: async ({ deps, query }) => {
        const weeks = await weeksOf(deps, query);
        return json({ pool: query.pool, skill: query.skill, weeks });
      },
    }),
    route({
      method: 'get',
      path: '/resources/projects/:project/allocations',
      summary: "A project's allocations, oldest first, with utilisation before and after each",
      roles: READERS,
      params: z.object({ project: z.string().min(1).max(200) }),
      query: pageQuery,
      response: pageOf(allocationView),
      handler: async ({ deps, params, query }) => {
        const page = await deps.store.capacity.allocationPage(params.project, {
          after: query.cursor,
          limit: query.limit,
        });
        return json({ items: page.allocations.map(showAllocation), nextCursor: page.next });
      },
    }),
    route({
      method: 'post',
      path: '/resources/preview',
      summary: 'What a reallocation would do to utilisation per week, without changing anything',
      roles: ['author', 'approver', 'admin'],
      body: previewBody,
      response: previewAnswer,
      handler: async ({ deps, body }) => {
        const weeks =
          body.weeks ?? (body.start && body.periodMs ? isoWeeksFrom(body.start, body.periodMs) : []);
        if (weeks.length > MAX_WEEKS) {
          throw invalidRequest([{ path: 'body.periodMs', message: `spans more than ${MAX_WEEKS} weeks` }]);
        }
        const { result, weeks: shares } = await deps.store.capacity.previewAllocation({
          // A request id nobody used: the preview must not find and replay a real allocation.
          request: `preview:${randomUUID()}`,
          pool: body.pool,
          skill: body.skill,
          project: body.project,
          hours: body.hours,
          weeks,
          priority: body.priority,
          at: deps.now(),
        });
        return json({
          outcome: result.outcome,
          detail: result.detail,
          weeks: shares.map(({ week, capacity, freeBefore }) => ({
            week,
            capacity,
            free: freeBefore,
            utilisationBefore: result.before[week] ?? 0,
            utilisationAfter: result.after[week] ?? 0,
          })),
        });
      },
    }),
  ];
}
