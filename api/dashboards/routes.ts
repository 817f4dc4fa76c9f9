// Routes of /v1/dashboards (issue 18): the PMO dashboard's figures for pmo leads, auditors,
// authors and admins (approvers and requesters get 403). Unlike /v1/reports, which fold the
// ledger and the tasks on request, these read the rollups the projector keeps
// (store/dashboards.ts), so an answer costs the same at a thousand and at a million events; each
// says how fresh it is: `asOf`, the newest ledger event folded, and `foldedAt`, when the fold last
// reached the ledger tree's end (it runs after each signer run, every 10 minutes by default).
// Approver load too: the projector keeps each person's open tasks (store/dashboard-load.ts); their
// ages are bucketed at request time.
// Every figure takes `project`: cycle time, breaches and compliance read that project's rollups,
// kept beside the every-project totals; instances read the project's counters. Breaches by
// approver and instances per project are counters by name in a cell per policy and week, and
// without a period they read the all-time twin, one cell per policy: what a read examines is
// bounded by policies and weeks, never by people or projects.
// No path parameters: every figure is about many people's objects, never one person's.
import { z } from 'zod';
import type { Freshness, Role } from '../../store/index.js';
import { json, route, type RouteSpec } from '../route.js';
import {
  approverLoad,
  compliance,
  cycleTimes,
  instances,
  LOAD_AGES,
  slaBreaches,
  TOP_APPROVERS,
  waiverRow,
} from './figures.js';
import {
  currentQuery,
  instancesQuery,
  weeklyQuery,
  weeksEcho,
  weeksOf,
  type WeeklyQuery,
} from './filters.js';

const DASHBOARD_ROLES: readonly Role[] = ['author', 'auditor', 'pmo', 'admin'];
const EXPIRING_WITHIN_MS = 30 * 24 * 3600 * 1000;
/** Batches (of store/dashboards.ts FOLD_BATCH events) a rebuild request folds before answering. */
const REBUILD_BATCHES = 20;

const count = z.number().int();
const ms = z.number().int().min(0);
const week = z.string().regex(/^\d{4}-W\d{2}$/);
const instant = z.iso.datetime();
const freshness = {
  asOf: instant.nullable().meta({ description: 'the newest ledger event the figures include' }),
  foldedAt: instant.nullable().meta({ description: 'when the fold last reached the ledger tree end' }),
};
const weekly = { ...freshness, weeks: weeksEcho };

const freshnessOf = (f: Freshness) => ({
  asOf: f.asOf?.toISOString() ?? null,
  foldedAt: f.foldedAt?.toISOString() ?? null,
});

const scopeOf = (query: WeeklyQuery) => ({
  ...(query.policy === undefined ? {} : { policy: query.policy }),
  ...(query.from === undefined ? {} : { fromWeek: query.from }),
  ...(query.to === undefined ? {} : { toWeek: query.to }),
});
/** A range of weeks was asked for: its weekly cells, not the all-time ones. */
const isPeriod = (query: WeeklyQuery): boolean => query.from !== undefined || query.to !== undefined;
/** The rollups kept per project too (cycle, breaches, checks): one project's cells, or the totals. */
const projectScopeOf = (query: WeeklyQuery) => ({
  ...scopeOf(query),
  ...(query.project === undefined ? {} : { project: query.project }),
});

const cycleFields = { count, p50Ms: ms, p90Ms: ms, meanMs: ms, maxMs: ms };
const checkFields = { passed: count, failed: count, waived: count };
const outcomeFields = { started: count, approved: count, rejected: count, cancelled: count };

export function dashboardsRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/dashboards/cycle-time',
      summary:
        'Open-to-close time per policy, step and task kind (p50, p90 from a histogram), and per week; of one project or all',
      roles: DASHBOARD_ROLES,
      query: weeklyQuery,
      response: z.object({
        ...weekly,
        items: z.array(z.object({ policy: z.string(), step: z.string(), task: z.string(), ...cycleFields })),
        trend: z.array(
          z.object({ week, policy: z.string(), step: z.string(), task: z.string(), ...cycleFields }),
        ),
      }),
      handler: async ({ query, deps }) => {
        const fresh = await deps.store.dashboards.freshness();
        const docs = await deps.store.dashboards.read({ figure: 'cycle', ...projectScopeOf(query) });
        return json({ ...freshnessOf(fresh), weeks: weeksOf(query), ...cycleTimes(docs) });
      },
    }),
    route({
      method: 'get',
      path: '/dashboards/sla-breaches',
      summary:
        'SLA breaches per policy and step, the approvers with the most, and per week; of one project or all',
      roles: DASHBOARD_ROLES,
      query: weeklyQuery,
      response: z.object({
        ...weekly,
        byStep: z.array(
          z.object({ policy: z.string(), step: z.string(), task: z.string(), breaches: count }),
        ),
        byApprover: z.array(z.object({ policy: z.string(), person: z.string(), breaches: count })).meta({
          description: `the ${TOP_APPROVERS} (policy, approver) pairs with the most breaches, most first`,
        }),
        approvers: count.meta({ description: '(policy, approver) pairs with a breach, listed or not' }),
        trend: z.array(z.object({ week, policy: z.string(), breaches: count })),
      }),
      handler: async ({ query, deps }) => {
        const { dashboards } = deps.store;
        const fresh = await dashboards.freshness();
        const steps = await dashboards.read({ figure: 'breach', ...projectScopeOf(query) });
        // Over all time, one cell per policy holds everyone's count; a period sums its weeks' cells.
        const people = await dashboards.read(
          isPeriod(query)
            ? { figure: 'breachBy', ...projectScopeOf(query) }
            : { figure: 'breachByAll', ...projectScopeOf(query), allTime: true },
        );
        return json({ ...freshnessOf(fresh), weeks: weeksOf(query), ...slaBreaches(steps, people) });
      },
    }),
    route({
      method: 'get',
      path: '/dashboards/compliance',
      summary: 'Checks passed, failed and waived per policy, and per policy and step; of one project or all',
      roles: DASHBOARD_ROLES,
      query: weeklyQuery,
      response: z.object({
        ...weekly,
        byPolicy: z.array(z.object({ policy: z.string(), ...checkFields })),
        byStep: z.array(z.object({ policy: z.string(), step: z.string(), ...checkFields })),
      }),
      handler: async ({ query, deps }) => {
        const fresh = await deps.store.dashboards.freshness();
        const docs = await deps.store.dashboards.read({ figure: 'checks', ...projectScopeOf(query) });
        return json({ ...freshnessOf(fresh), weeks: weeksOf(query), ...compliance(docs) });
      },
    }),
    route({
      method: 'get',
      path: '/dashboards/instances',
      summary:
        'Instances started and ended (approved, rejected, cancelled) per policy and project, and per policy and week',
      roles: DASHBOARD_ROLES,
      query: instancesQuery,
      response: z.object({
        ...weekly,
        items: z.array(z.object({ policy: z.string(), project: z.string().nullable(), ...outcomeFields })),
        trend: z
          .array(z.object({ week, policy: z.string(), ...outcomeFields }))
          .meta({ description: 'per policy and week, of the project filtered or of every project' }),
      }),
      handler: async ({ query, deps }) => {
        const { dashboards } = deps.store;
        const fresh = await dashboards.freshness();
        // A cell per policy and week counts every project: a project's figures are its counters.
        const weekly = await dashboards.read({ figure: 'instances', ...scopeOf(query) });
        const items = isPeriod(query)
          ? weekly
          : await dashboards.read({ figure: 'instancesAll', ...scopeOf(query), allTime: true });
        return json({
          ...freshnessOf(fresh),
          weeks: weeksOf(query),
          ...instances(items, weekly, query.project),
        });
      },
    }),
    route({
      method: 'get',
      path: '/dashboards/waivers-expiring',
      summary: 'Waivers in force that end within the next 30 days, soonest first',
      roles: DASHBOARD_ROLES,
      query: currentQuery,
      response: z.object({
        ...freshness,
        window: z.object({ from: instant, to: instant }),
        items: z.array(
          z.object({
            instanceId: z.string(),
            policy: z.string(),
            project: z.string().nullable(),
            step: z.string(),
            waivedBy: z.string(),
            waivedAt: instant,
            until: instant,
          }),
        ),
      }),
      handler: async ({ query, deps }) => {
        const now = deps.now();
        const end = new Date(now.getTime() + EXPIRING_WITHIN_MS);
        const fresh = await deps.store.dashboards.freshness();
        const waivers = (await deps.store.dashboards.waiversEnding(now, end)).filter(
          (w) =>
            (query.policy === undefined || w.policy === query.policy) &&
            (query.project === undefined || w.project === query.project),
        );
        return json({
          ...freshnessOf(fresh),
          window: { from: now.toISOString(), to: end.toISOString() },
          items: waivers.map(waiverRow),
        });
      },
    }),
    route({
      method: 'get',
      path: '/dashboards/approver-load',
      summary:
        'Open tasks per person by age (<1d, 1-3d, 3-7d, >7d), past their SLA, and their delegations now, as of the last fold',
      roles: DASHBOARD_ROLES,
      query: currentQuery,
      response: z.object({
        ...freshness,
        items: z.array(
          z.object({
            person: z.string(),
            open: count,
            overdue: count,
            byAge: z.object(Object.fromEntries(LOAD_AGES.map((age) => [age, count]))),
            delegatedTo: z.array(z.string()),
          }),
        ),
      }),
      handler: async ({ query, deps }) => {
        const fresh = await deps.store.dashboards.freshness();
        return json({ ...freshnessOf(fresh), items: await approverLoad(deps.store, query, deps.now()) });
      },
    }),
    route({
      method: 'post',
      path: '/dashboards/rebuild',
      summary:
        'Drops the dashboard rollups and folds the ledger again: 10,000 events now, the rest by the signer',
      roles: ['admin'],
      body: z.strictObject({}),
      response: z.object({ folded: count, position: count, ...freshness }),
      handler: async ({ deps }) => {
        await deps.store.dashboards.reset();
        // A bounded start in the request; the signer's runs fold the rest (`position` says how far).
        const result = await deps.store.dashboards.foldAll(deps.now, { maxBatches: REBUILD_BATCHES });
        return json({ folded: result.folded, position: result.position, ...freshnessOf(result) });
      },
    }),
  ];
}
