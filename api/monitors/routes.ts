// Routes of /v1/monitors: the protocol monitors of the policies in force, each run by a Temporal
// Schedule (`monitor:<policy>:<monitor>`), and what admins do with those schedules.
//
// Everyone reads the list, as everyone reads findings: it says when the portfolio is judged and
// how the last run went. Only admins operate the schedules (pause, resume, run now, backfill):
// they run Charter's infrastructure, as they retry deliveries, while the PMO decides what is
// judged by publishing and retiring policies. A pause changes which days are judged at all, so it
// is an operator's act, recorded with its reason; the PMO asks an admin, or retires the version.
//
// 404 for a policy without a version in force or a monitor that version does not declare, 409
// `not-scheduled` for a monitor whose schedule reconciling has not made yet, 422 with field paths.
import type { ApiDeps } from '../deps.js';
import { ALL_ROLES, json, route, type RouteSpec } from '../route.js';
import {
  backfillMonitor,
  type MonitorTarget,
  pauseMonitor,
  resumeMonitor,
  runMonitorNow,
  targetOf,
} from './operate.js';
import {
  backfillBody,
  monitorParams,
  monitorsView,
  monitorView,
  pauseBody,
  requestedView,
  resumeBody,
} from './schemas.js';
import { monitorStatus, monitorsNow } from './status.js';

/** Who operates schedules: see the file comment. */
export const OPERATE_ROLES = ['admin'] as const;

/** Runs `act` on the monitor named by the path, then answers its state as the list shows it. */
async function operate(
  deps: ApiDeps,
  params: { policy: string; monitor: string },
  act: (target: MonitorTarget) => Promise<void>,
) {
  const target = await targetOf(deps, params.policy, params.monitor);
  await act(target);
  const { policy, monitor, scheduleId } = target;
  return json(
    await monitorStatus(deps, {
      scheduleId,
      policy: policy.name,
      monitor: monitor.name,
      version: policy.version,
      schedule: monitor.schedule,
    }),
  );
}

export function monitorsRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/monitors',
      summary:
        'Every monitor of the policy versions in force: its schedule, the Temporal Schedule’s state (paused with its note, next runs, recent runs), its last run and its live findings',
      roles: ALL_ROLES,
      response: monitorsView,
      handler: async ({ deps }) => {
        const at = deps.now();
        return json({ at: at.toISOString(), items: await monitorsNow(deps) });
      },
    }),
    route({
      method: 'post',
      path: '/monitors/:policy/:monitor/pause',
      summary:
        'Pauses a monitor’s schedule with a note (admins): runs missed while paused are not made up; recorded on the monitor’s ledger chain',
      roles: OPERATE_ROLES,
      params: monitorParams,
      body: pauseBody,
      response: monitorView,
      handler: ({ caller, deps, params, body }) =>
        operate(deps, params, (t) => pauseMonitor(deps, caller, t, body.note)),
    }),
    route({
      method: 'post',
      path: '/monitors/:policy/:monitor/resume',
      summary:
        'Resumes a paused monitor’s schedule (admins): it runs again at its next scheduled time; recorded on the monitor’s ledger chain',
      roles: OPERATE_ROLES,
      params: monitorParams,
      body: resumeBody,
      response: monitorView,
      handler: ({ caller, deps, params, body }) => {
        const note = body.note === undefined || body.note === '' ? null : body.note;
        return operate(deps, params, (t) => resumeMonitor(deps, caller, t, note));
      },
    }),
    route({
      method: 'post',
      path: '/monitors/:policy/:monitor/run',
      summary:
        'Runs a monitor now (admins), even while paused or while a scheduled run is going: the run judges the moment it starts',
      roles: OPERATE_ROLES,
      params: monitorParams,
      status: 202,
      response: requestedView,
      handler: async ({ caller, deps, params }) => {
        const target = await targetOf(deps, params.policy, params.monitor);
        const at = await runMonitorNow(deps, caller, target);
        return json(
          { scheduleId: target.scheduleId, requested: 'run', at: at.toISOString(), from: null, to: null },
          202,
        );
      },
    }),
    route({
      method: 'post',
      path: '/monitors/:policy/:monitor/backfill',
      summary:
        'Makes up a monitor’s runs of past days, from and to included, in its time zone (admins; at most 366 days, not after today): each run judges its own scheduled time',
      roles: OPERATE_ROLES,
      params: monitorParams,
      body: backfillBody,
      status: 202,
      response: requestedView,
      handler: async ({ caller, deps, params, body }) => {
        const target = await targetOf(deps, params.policy, params.monitor);
        const at = await backfillMonitor(deps, caller, target, body);
        return json(
          {
            scheduleId: target.scheduleId,
            requested: 'backfill',
            at: at.toISOString(),
            from: body.from,
            to: body.to,
          },
          202,
        );
      },
    }),
  ];
}
