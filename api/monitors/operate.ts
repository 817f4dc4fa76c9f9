// What an admin does with a monitor's Temporal Schedule: pause it (with a note), resume it, run it
// now, or backfill past days. Each names a monitor of a policy's version in force (404 otherwise)
// whose schedule exists (409 before reconciling made it), acts on Temporal, then writes who did
// what on the monitor's ledger chain `monitor:<policy>/<monitor>`, beside its runs, so that an
// auditor reading why a week was not judged finds the pause and its reason there.
//
// Temporal first, the ledger second: the ledger never claims what did not happen. A ledger write
// that fails after Temporal acted answers 500 with the schedule changed; the same request again
// acts again (pausing a paused schedule sets its note, resuming a running one changes nothing)
// and writes the fact then. Each fact's key holds the time and the person, so two admins acting
// in the same millisecond are both recorded.
//
// Run now triggers with overlap ALLOW_ALL: the admin asked for a run, so it starts even while a
// scheduled one is still going (the runs are idempotent per run and project), and it judges the
// moment it starts. A backfill asks for the scheduled times of whole past days in the monitor's
// zone, oldest first, one after the other (BUFFER_ALL): each judges its own day.
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { instantOf, localDate } from '../../engine/calendar/index.js';
import type { MonitorOperation, PublishedPolicy } from '../../store/index.js';
import type { MonitorIR } from '../../engine/ir/types.js';
import { monitorScheduleId } from '../../workflows/definitions/monitor-messages.js';
import { appendFact, monitorChain } from '../../workflows/monitors/ledger.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, invalidRequest, notFound } from '../errors.js';
import type { Caller } from '../route.js';
import { MAX_BACKFILL_DAYS } from './schemas.js';
import { describeSchedule } from './status.js';

const DAY_MS = 24 * 3600 * 1000;

/** A monitor of the version in force now, and its schedule's id. */
export interface MonitorTarget {
  policy: PublishedPolicy;
  monitor: MonitorIR;
  scheduleId: string;
}

/** The monitor, or 404 when its policy has no version in force or that version has no such monitor. */
export async function targetOf(deps: ApiDeps, policy: string, monitor: string): Promise<MonitorTarget> {
  const published = await deps.store.policies.newestInEffect(policy, deps.now());
  const declared = published?.compiled.ir.monitors?.find((m) => m.name === monitor);
  if (published === null || declared === undefined) {
    throw notFound(`monitor ${monitor} of a version in force of policy "${policy}"`);
  }
  return { policy: published, monitor: declared, scheduleId: monitorScheduleId(policy, monitor) };
}

/** The schedule's handle, or 409 when reconciling has not made the schedule yet. */
async function scheduleOf(deps: ApiDeps, target: MonitorTarget) {
  const described = await describeSchedule(deps, target.scheduleId);
  if (described === null) {
    throw new ApiError(
      409,
      'not-scheduled',
      `monitor ${target.monitor.name} of policy "${target.policy.name}" has no schedule yet: schedules are made when a version is published or retired, when a worker starts, and daily at 00:05 UTC`,
      [],
      { scheduleId: target.scheduleId },
    );
  }
  return deps.temporal.schedule.getHandle(target.scheduleId);
}

/** Writes `fact` on the monitor's chain, keyed by what was done, when and by whom. */
async function record(
  deps: ApiDeps,
  target: MonitorTarget,
  caller: Caller,
  what: string,
  at: Date,
  fact: MonitorOperation,
) {
  const { name, version, compiled } = target.policy;
  const key = `${what}:${at.toISOString()}:${caller.person}`;
  await appendFact(deps.store, {
    chain: monitorChain(name, target.monitor.name),
    key,
    at,
    subject: target.scheduleId,
    process: target.monitor.name,
    project: null,
    policy: { name, version, sha256: compiled.sha256 },
    actor: caller.person,
    fact,
  });
  // Also on the admin chain, where every change an admin made reads in one place.
  await deps.store.adminLog.record({
    key: `monitor:${name}/${target.monitor.name}:${key}`,
    at,
    actor: caller.person,
    fact,
  });
}

export async function pauseMonitor(deps: ApiDeps, caller: Caller, target: MonitorTarget, note: string) {
  const handle = await scheduleOf(deps, target);
  await handle.pause(note);
  const monitor = target.monitor.name;
  await record(deps, target, caller, 'pause', deps.now(), {
    kind: 'monitorPaused',
    monitor,
    by: caller.person,
    note,
  });
}

export async function resumeMonitor(
  deps: ApiDeps,
  caller: Caller,
  target: MonitorTarget,
  note: string | null,
) {
  const handle = await scheduleOf(deps, target);
  await handle.unpause(note ?? `resumed by ${caller.person}`);
  const monitor = target.monitor.name;
  await record(deps, target, caller, 'resume', deps.now(), {
    kind: 'monitorResumed',
    monitor,
    by: caller.person,
    note,
  });
}

export async function runMonitorNow(deps: ApiDeps, caller: Caller, target: MonitorTarget): Promise<Date> {
  const handle = await scheduleOf(deps, target);
  const at = deps.now();
  await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
  await record(deps, target, caller, 'run', at, {
    kind: 'monitorRunRequested',
    monitor: target.monitor.name,
    by: caller.person,
  });
  return at;
}

/** The day `days` after `day` (YYYY-MM-DD), by the calendar, whatever the zone. */
const dayPlus = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
const daysIncluded = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/**
 * The instants a backfill of the days `from` to `to` covers in the monitor's zone: from the start
 * of `from` to the end of `to`, cut at now (a time still ahead is the schedule's to run). 422 at
 * `body.to` for a range that runs backwards, is longer than MAX_BACKFILL_DAYS or reaches past today.
 */
export function backfillRange(
  target: MonitorTarget,
  from: string,
  to: string,
  now: Date,
): { start: Date; end: Date } {
  const zone = target.monitor.schedule.timezone;
  const today = localDate(now.getTime(), zone);
  const problem =
    to < from
      ? `must not be before from (${from})`
      : daysIncluded(from, to) > MAX_BACKFILL_DAYS
        ? `must be at most ${MAX_BACKFILL_DAYS} days from ${from} (both included), so ${dayPlus(from, MAX_BACKFILL_DAYS - 1)} at the latest`
        : to > today
          ? `must not be after today (${today} in ${zone})`
          : null;
  if (problem !== null) throw invalidRequest([{ path: 'body.to', message: problem }]);
  const start = instantOf(from, '00:00', zone);
  const end = Math.min(instantOf(dayPlus(to, 1), '00:00', zone), now.getTime());
  return { start: new Date(start), end: new Date(end) };
}

export async function backfillMonitor(
  deps: ApiDeps,
  caller: Caller,
  target: MonitorTarget,
  days: { from: string; to: string },
): Promise<Date> {
  const at = deps.now();
  const range = backfillRange(target, days.from, days.to, at);
  const handle = await scheduleOf(deps, target);
  await handle.backfill({ ...range, overlap: ScheduleOverlapPolicy.BUFFER_ALL });
  await record(deps, target, caller, 'backfill', at, {
    kind: 'monitorBackfillRequested',
    monitor: target.monitor.name,
    by: caller.person,
    from: days.from,
    to: days.to,
  });
  return at;
}
