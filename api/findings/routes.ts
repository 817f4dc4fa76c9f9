// Routes of the findings of protocol monitors (/v1/findings) and their report
// (/v1/reports/findings). A monitor run opens a finding for each project that fails the monitor;
// here people read them and act: acknowledge (with a note), resolve (with evidence) or waive
// (until a day, with a reason). Who may act is actions.ts; the store decides which status an
// action may start from and refuses a stale version.
//
// Everyone reads every finding, whatever their roles: a finding is about a project (the portfolio
// is everyone's to read), not about a person, and the people who owe the project's manager an
// answer need to see what is open. `mine=true` narrows the list to the caller's own.
import { z } from 'zod';
import type { Finding, FindingFilter } from '../../store/index.js';
import type { ApiDeps } from '../deps.js';
import { invalidRequest } from '../errors.js';
import { pageOf } from '../paging.js';
import { ALL_ROLES, type Caller, json, route, type RouteSpec } from '../route.js';
import {
  actionError,
  checkMay,
  type FindingAction,
  findingOf,
  mayOf,
  recordAction,
  tellWorkflow,
} from './actions.js';
import {
  acknowledgeBody,
  findingParams,
  findingsQuery,
  findingView,
  MAX_WAIVER_DAYS,
  reportView,
  resolveBody,
  showFinding,
  showReport,
  waiveBody,
} from './schemas.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The actions belong to the finding's people (owners, escalation's added, the `waive by` people
 * for a waiver): any other caller gets 403 (everyone may know the finding exists), the PMO and
 * admins act on any.
 */
const OWNED = { param: 'id', object: 'finding', seeAll: ['pmo', 'admin'], othersGet: 403 } as const;

/** The UTC day `days` after `at`, as YYYY-MM-DD. */
const dayAfter = (at: Date, days: number): string =>
  new Date(at.getTime() + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The problem of a waiver's last day: after today and at most MAX_WAIVER_DAYS ahead. Days are UTC
 * days here: the API has no zone of its own, and a day either way does not change a waiver's point.
 */
export function untilProblem(until: string, now: Date): string | null {
  const today = now.toISOString().slice(0, 10);
  if (until <= today) return `must be after today (${today})`;
  const latest = dayAfter(now, MAX_WAIVER_DAYS);
  if (until > latest) return `must be at most ${MAX_WAIVER_DAYS} days ahead (${latest} at the latest)`;
  return null;
}

/**
 * One action on a finding: 404 for an unknown id, 403 for someone who may not, then the store's
 * change (409 when it is not live or the version is stale), then the workflow told.
 */
async function act(
  deps: ApiDeps,
  caller: Caller,
  id: string,
  action: FindingAction,
  write: (finding: Finding) => Promise<Finding>,
) {
  const finding = await findingOf(deps, id);
  checkMay(caller, finding, action);
  let changed: Finding;
  try {
    changed = await write(finding);
  } catch (error) {
    throw actionError(error, action);
  }
  await recordAction(deps, changed, action);
  await tellWorkflow(deps, id, action);
  return json(showFinding(changed, mayOf(caller, changed)));
}

/** Only the filters given: the store reads a present key as a condition. */
function filterOf(query: z.output<typeof findingsQuery>, caller: Caller): FindingFilter {
  return {
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.project === undefined ? {} : { project: query.project }),
    ...(query.monitor === undefined ? {} : { monitor: query.monitor }),
    ...(query.policy === undefined ? {} : { policy: query.policy }),
    ...(query.mine ? { person: caller.person } : {}),
  };
}

export function findingsRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/findings',
      summary:
        'Findings of protocol monitors, newest first, filtered by status (`live`: open or acknowledged), project, monitor, policy, or the caller’s own (`mine=true`)',
      roles: ALL_ROLES,
      query: findingsQuery,
      response: pageOf(findingView),
      handler: async ({ caller, deps, query }) => {
        const page = await deps.store.findings.page(
          filterOf(query, caller),
          query.cursor ?? null,
          query.limit,
        );
        return json({
          items: page.items.map((f) => showFinding(f, mayOf(caller, f))),
          nextCursor: page.nextCursor,
        });
      },
    }),
    route({
      method: 'get',
      path: '/findings/:id',
      summary: 'One finding: what the run found, why, who owns it, what was done, and what the caller may do',
      roles: ALL_ROLES,
      params: findingParams,
      response: findingView,
      handler: async ({ caller, deps, params }) => {
        const finding = await findingOf(deps, params.id);
        return json(showFinding(finding, mayOf(caller, finding)));
      },
    }),
    route({
      method: 'post',
      path: '/findings/:id/acknowledge',
      summary:
        'Acknowledges an open finding, with an optional note (its owners, people it was escalated to, pmo, admins; 409 when not open)',
      roles: ALL_ROLES,
      params: findingParams,
      ownership: OWNED,
      body: acknowledgeBody,
      response: findingView,
      handler: ({ caller, deps, params, body }) =>
        act(deps, caller, params.id, 'acknowledged', (f) =>
          deps.store.findings.acknowledge(
            f.id,
            caller.person,
            deps.now(),
            body.note === undefined || body.note === '' ? null : body.note,
            body.version ?? null,
          ),
        ),
    }),
    route({
      method: 'post',
      path: '/findings/:id/resolve',
      summary:
        'Resolves a live finding with the evidence (its owners, people it was escalated to, pmo, admins; 409 when no longer live)',
      roles: ALL_ROLES,
      params: findingParams,
      ownership: OWNED,
      body: resolveBody,
      response: findingView,
      handler: ({ caller, deps, params, body }) =>
        act(deps, caller, params.id, 'resolved', (f) =>
          deps.store.findings.resolve(f.id, caller.person, deps.now(), body.evidence, body.version ?? null),
        ),
    }),
    route({
      method: 'post',
      path: '/findings/:id/waive',
      summary: `Waives a live finding until a day (after today, at most ${MAX_WAIVER_DAYS} days ahead) with a reason: runs through that day open none for its project and monitor (pmo, admins, the monitor's \`waive by\` people)`,
      roles: ALL_ROLES,
      params: findingParams,
      ownership: OWNED,
      body: waiveBody,
      response: findingView,
      handler: async ({ caller, deps, params, body }) => {
        const now = deps.now();
        const problem = untilProblem(body.until, now);
        if (problem !== null) throw invalidRequest([{ path: 'body.until', message: problem }]);
        return act(deps, caller, params.id, 'waived', (f) =>
          deps.store.findings.waive(f.id, caller.person, now, body.until, body.reason, body.version ?? null),
        );
      },
    }),
    route({
      method: 'get',
      path: '/reports/findings',
      summary:
        'Live findings per project by age (under 7 days, 7 to 30, over 30) and per monitor, and the mean time to resolve in hours',
      roles: ALL_ROLES,
      query: z.strictObject({}),
      response: reportView,
      handler: async ({ deps }) => json(showReport(await deps.store.findings.report(deps.now()))),
    }),
  ];
}
