// Routes of /v1/reports: aggregate numbers a PMO dashboard draws, for authors (who tune the
// policies' SLAs and quorums), auditors and admins. Every report is computed on request from the
// tasks and the ledger (see api/reports/compute.ts); none of them changes anything.
import { z } from 'zod';
import type { Role } from '../../store/index.js';
import { checkWindow, windowFields } from '../audit/filters.js';
import {
  AGE_BUCKETS,
  approvalsByApprover,
  cycleTimes,
  openTasksByAge,
  type ReportScope,
  slaBreaches,
} from './compute.js';
import { json, route, type RouteSpec } from '../route.js';

const REPORT_ROLES: readonly Role[] = ['author', 'auditor', 'pmo', 'admin'];

const policyField = { policy: z.string().min(1).max(500).optional() };
const windowQuery = z.strictObject({ ...policyField, ...windowFields }).superRefine(checkWindow);
const policyQuery = z.strictObject(policyField);

const count = z.number().int();
const windowEcho = z.object({ from: z.iso.datetime().nullable(), to: z.iso.datetime().nullable() });
const votes = { approved: count, rejected: count, changesRequested: count };

type WindowQuery = z.output<typeof windowQuery>;

function scopeOf(query: WindowQuery): ReportScope {
  return {
    ...(query.policy === undefined ? {} : { policyName: query.policy }),
    ...(query.from === undefined ? {} : { from: query.from }),
    ...(query.to === undefined ? {} : { to: query.to }),
  };
}

const windowOf = (query: WindowQuery) => ({
  from: query.from?.toISOString() ?? null,
  to: query.to?.toISOString() ?? null,
});

export function reportsRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/reports/cycle-time',
      summary: 'Open-to-close durations of tasks closed in the window, per policy and step (ms)',
      roles: REPORT_ROLES,
      query: windowQuery,
      response: z.object({
        window: windowEcho,
        items: z.array(
          z.object({ policy: z.string(), step: z.string(), count, p50Ms: count, p90Ms: count, maxMs: count }),
        ),
      }),
      handler: async ({ query, deps }) =>
        json({
          window: windowOf(query),
          items: await cycleTimes(deps.store.reports, scopeOf(query)),
        }),
    }),
    route({
      method: 'get',
      path: '/reports/sla-breaches',
      summary: 'Share of tasks closed in the window after their deadline or by timeout, per policy and step',
      roles: REPORT_ROLES,
      query: windowQuery,
      response: z.object({
        window: windowEcho,
        items: z.array(
          z.object({
            policy: z.string(),
            step: z.string(),
            closed: count,
            breached: count,
            breachRate: z.number().min(0).max(1),
            openOverdue: count,
          }),
        ),
      }),
      handler: async ({ query, deps }) =>
        json({
          window: windowOf(query),
          items: await slaBreaches(deps.store.reports, scopeOf(query), deps.now()),
        }),
    }),
    route({
      method: 'get',
      path: '/reports/approvals-by-approver',
      summary: 'Approvals, rejections and change requests per person; decisions as a delegate apart',
      roles: REPORT_ROLES,
      query: windowQuery,
      response: z.object({
        window: windowEcho,
        items: z.array(z.object({ person: z.string(), ...votes, onBehalfOf: z.object(votes) })),
      }),
      handler: async ({ query, deps }) =>
        json({
          window: windowOf(query),
          items: await approvalsByApprover(deps.store.reports, scopeOf(query)),
        }),
    }),
    route({
      method: 'get',
      path: '/reports/open-tasks-by-age',
      summary: 'Open tasks per policy by age (<1d, 1-3d, 3-7d, >7d), with how many are overdue',
      roles: REPORT_ROLES,
      query: policyQuery,
      response: z.object({
        at: z.iso.datetime(),
        items: z.array(
          z.object({
            policy: z.string(),
            total: count,
            overdue: count,
            byAge: z.object(Object.fromEntries(AGE_BUCKETS.map((b) => [b, count]))),
          }),
        ),
      }),
      handler: async ({ query, deps }) => {
        const now = deps.now();
        const scope = query.policy === undefined ? {} : { policyName: query.policy };
        return json({
          at: now.toISOString(),
          items: await openTasksByAge(deps.store.reports, scope, now),
        });
      },
    }),
  ];
}
