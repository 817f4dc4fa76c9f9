// Temporal Schedules for monitors, one per (policy name, monitor), made to match what is in force:
// the monitors of each policy's version in force now (store.policies.newestInEffect, which skips
// retired versions). A new monitor gets a schedule, a changed one (days, time, zone) is updated,
// one that is no longer in force (retired, or dropped by the version now in force) is deleted.
// Runs whatever version is in force at their time (the run reads it), so a schedule only carries
// when to run. Reconciled when a version is published or retired, when a worker starts, and daily
// at 00:05 UTC, when versions published for a later day take effect.
//
// Catch-up rule, the same for every monitor: a run missed because Temporal or the workers were
// down is made up when they return within a day (catchupWindow 1 day), once: overlap SKIP lets the
// first missed run start and drops the others, since a run judges projects as they are now. Runs
// missed while an admin paused the schedule are not made up; resuming runs at the next scheduled
// time, and an admin who wants the missed days judged backfills them.
import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import type { DayName, MonitorScheduleIR } from '../../engine/ir/types.js';
import type { Store } from '../../store/index.js';
import {
  MONITOR_RUN_WORKFLOW,
  monitorScheduleId,
  type MonitorRunArgs,
} from '../definitions/monitor-messages.js';

export const CATCHUP_WINDOW = '1 day';
/** The catch-up rule above, as Temporal policies. */
export const MONITOR_SCHEDULE_POLICIES = {
  overlap: ScheduleOverlapPolicy.SKIP,
  catchupWindow: CATCHUP_WINDOW,
};
export const RECONCILE_SCHEDULE_ID = 'charter:reconcile-monitor-schedules';
/** The daily reconcile of one deployment (task queue): two Charters in a namespace each keep theirs. */
export const reconcileScheduleId = (taskQueue: string): string => `${RECONCILE_SCHEDULE_ID}:${taskQueue}`;
export const RECONCILE_WORKFLOW = 'charterReconcileMonitors';
/** Marks the schedules Charter manages (value: the task queue), so reconciling touches no other. */
const MEMO_KEY = 'charterMonitor';

const TEMPORAL_DAYS: Record<
  DayName,
  'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY'
> = {
  mon: 'MONDAY',
  tue: 'TUESDAY',
  wed: 'WEDNESDAY',
  thu: 'THURSDAY',
  fri: 'FRIDAY',
  sat: 'SATURDAY',
  sun: 'SUNDAY',
};

/** The schedule spec of a monitor: its days at its time, in its calendar's zone. */
export function scheduleSpec(schedule: MonitorScheduleIR) {
  const [hour, minute] = schedule.time.split(':').map(Number);
  return {
    calendars: [
      {
        dayOfWeek: schedule.days.map((d) => TEMPORAL_DAYS[d]),
        hour: hour ?? 0,
        minute: minute ?? 0,
        comment: `${schedule.days.join(', ')} ${schedule.time} ${schedule.timezone}`,
      },
    ],
    timezone: schedule.timezone,
  };
}

interface Desired {
  id: string;
  args: MonitorRunArgs;
  schedule: MonitorScheduleIR;
  version: number;
}

/** Every monitor of every policy's version in force at `at`. */
export async function desiredSchedules(store: Store, at: Date): Promise<Desired[]> {
  const names = [...new Set((await store.policies.list()).map((p) => p.name))];
  const desired: Desired[] = [];
  for (const name of names) {
    const policy = await store.policies.newestInEffect(name, at);
    for (const monitor of policy?.compiled.ir.monitors ?? []) {
      desired.push({
        id: monitorScheduleId(name, monitor.name),
        args: { policy: name, monitor: monitor.name },
        schedule: monitor.schedule,
        version: policy?.version ?? 0,
      });
    }
  }
  return desired;
}

export async function reconcileSchedules(
  client: Client,
  store: Store,
  taskQueue: string,
  at: Date,
): Promise<{ created: string[]; updated: string[]; deleted: string[] }> {
  const desired = await desiredSchedules(store, at);
  // Ours: those recorded (a create is visible there at once) and those Temporal lists as ours.
  const managed = new Set((await store.monitorSchedules.of(taskQueue)).map((s) => s.scheduleId));
  for await (const summary of client.schedule.list()) {
    // Only this deployment's (its task queue): two Charters may share a namespace.
    if (summary.memo?.[MEMO_KEY] === taskQueue) managed.add(summary.scheduleId);
  }
  const outcome = { created: [] as string[], updated: [] as string[], deleted: [] as string[] };
  for (const d of desired) {
    managed.delete(d.id);
    const change = await ensureSchedule(client, taskQueue, d);
    await store.monitorSchedules.remember(taskQueue, { scheduleId: d.id, ...d.args }, at);
    if (change !== null) outcome[change].push(d.id);
  }
  for (const id of managed) {
    try {
      await client.schedule.getHandle(id).delete();
      outcome.deleted.push(id);
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
    await store.monitorSchedules.forget(id);
  }
  return outcome;
}

/** Creates the schedule, or updates its spec and action when they differ; null: already right. */
async function ensureSchedule(
  client: Client,
  taskQueue: string,
  d: Desired,
): Promise<'created' | 'updated' | null> {
  const spec = scheduleSpec(d.schedule);
  const action = {
    type: 'startWorkflow' as const,
    workflowType: MONITOR_RUN_WORKFLOW,
    workflowId: d.id,
    taskQueue,
    args: [d.args],
  };
  const handle = client.schedule.getHandle(d.id);
  let current;
  try {
    current = await handle.describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    try {
      await client.schedule.create({
        scheduleId: d.id,
        spec,
        action,
        policies: MONITOR_SCHEDULE_POLICIES,
        memo: { [MEMO_KEY]: taskQueue, version: d.version },
      });
      return 'created';
    } catch (raced) {
      // Another worker created it meanwhile: compare with theirs below.
      if (!(raced instanceof ScheduleAlreadyRunning)) throw raced;
      current = await handle.describe();
    }
  }
  const described = current.spec.calendars?.map((c) => [c.dayOfWeek, c.hour, c.minute]);
  const wanted = spec.calendars.map((c) => [
    c.dayOfWeek.map((day) => ({ start: day, end: day, step: 1 })),
    [{ start: c.hour, end: c.hour, step: 1 }],
    [{ start: c.minute, end: c.minute, step: 1 }],
  ]);
  const same =
    current.spec.timezone === spec.timezone &&
    JSON.stringify(described) === JSON.stringify(wanted) &&
    current.action.taskQueue === taskQueue;
  if (same) return null;
  // The paused state and its note are kept: an admin's pause outlives a new version.
  await handle.update((previous) => ({ ...previous, spec, action }));
  return 'updated';
}
