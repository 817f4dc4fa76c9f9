// What a worker does for protocol monitors when it starts (`charter worker`, `npm start`): makes
// sure the daily reconcile exists (the Temporal Schedule `charter:reconcile-monitor-schedules`,
// 00:05 UTC, running `charterReconcileMonitors`), then reconciles once, so that whatever was
// published or retired while no worker ran is scheduled now rather than after midnight. Neither
// stops the worker: a failure is logged, and the daily reconcile (or the next start) repairs it.
//
// The daily schedule has one id per Temporal namespace. A second Charter deployment on the same
// namespace (another task queue) finds the first one's and leaves it alone; it is told so in the
// log, since its own monitors are then reconciled only on publish, retire and worker start.
import {
  Client,
  Connection,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type ScheduleOptions,
} from '@temporalio/client';
import type { Store } from '../store/index.js';
import { RECONCILE_WORKFLOW, reconcileScheduleId, reconcileSchedules } from './monitors/schedules.js';
import { connectionPart, type TemporalConnectionOptions } from './temporal-connection.js';

/**
 * The daily reconcile on `taskQueue`: at 00:05 UTC, just after the UTC day changes, which is when
 * versions effective that day come into force (store/policies.ts: effective dates are UTC days).
 * A missed reconcile is made up within a day (the next one repairs anything later anyway); a run
 * that cannot start (no worker) gives up after 12 hours, so nothing piles up.
 */
export function reconcileScheduleOptions(
  taskQueue: string,
  scheduleId = reconcileScheduleId(taskQueue),
): ScheduleOptions {
  return {
    scheduleId,
    spec: {
      calendars: [{ hour: 0, minute: 5, comment: 'daily 00:05 UTC: versions taking effect today' }],
      timezone: 'UTC',
    },
    action: {
      type: 'startWorkflow',
      workflowType: RECONCILE_WORKFLOW,
      workflowId: scheduleId,
      taskQueue,
      args: [],
      workflowExecutionTimeout: '12 hours',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
}

const isAlreadyRunning = (error: unknown): boolean =>
  // By name too: jest's vm modules may load @temporalio/client twice, which defeats instanceof.
  error instanceof ScheduleAlreadyRunning ||
  (error instanceof Error && error.name === 'ScheduleAlreadyRunning');

/**
 * What making sure of a schedule found: made now, there on this task queue as asked, there with
 * other intervals and now changed to these (`was`: the intervals it had, in ms), or another
 * deployment's.
 */
export type EnsuredSchedule =
  | { outcome: 'created' | 'present' }
  | { outcome: 'updated'; was: number[] }
  | { outcome: 'other'; taskQueue: string };

/**
 * Creates the schedule `options` describe unless one of its id exists. An existing one on the
 * options' task queue whose intervals differ from the options' (an operator changed
 * CHARTER_LEDGER_SIGN_MINUTES) gets the options' spec; otherwise it is left as it is, and one of
 * another deployment (another task queue) is never touched. Answers what was found: `created`,
 * `present`, `updated`, or `other` with the task queue of the deployment that owns it. Other
 * schedules use it too (workflows/qualifications/schedule.ts).
 */
export async function ensureSchedule(client: Client, options: ScheduleOptions): Promise<EnsuredSchedule> {
  try {
    await client.schedule.create(options);
    return { outcome: 'created' };
  } catch (error) {
    if (!isAlreadyRunning(error)) throw error;
  }
  const handle = client.schedule.getHandle(options.scheduleId);
  const described = await handle.describe();
  const theirs = described.action.taskQueue;
  if (theirs !== options.action.taskQueue) return { outcome: 'other', taskQueue: theirs };
  // Intervals compare when given in ms (as the ledger signer's are); calendars are left as they are.
  const wanted = (options.spec.intervals ?? []).map((i) => (typeof i.every === 'number' ? i.every : NaN));
  const was = (described.spec.intervals ?? []).map((i) => i.every);
  if (wanted.length === 0 || wanted.some(Number.isNaN) || sameNumbers(wanted, was))
    return { outcome: 'present' };
  await handle.update((previous) => ({ ...previous, spec: options.spec }));
  return { outcome: 'updated', was };
}

const sameNumbers = (a: number[], b: number[]): boolean =>
  a.length === b.length && a.every((n, i) => n === b[i]);

/** Creates the daily reconcile unless it exists (ensureSchedule). */
export function ensureReconcileSchedule(
  client: Client,
  taskQueue: string,
  scheduleId = reconcileScheduleId(taskQueue),
): Promise<EnsuredSchedule> {
  return ensureSchedule(client, reconcileScheduleOptions(taskQueue, scheduleId));
}

/** Temporal's address (TLS, API key) and namespace, as the worker's own connection has them. */
export interface MonitorStartOptions extends TemporalConnectionOptions {
  namespace: string;
  taskQueue: string;
  store: Store;
  log: (line: string) => void;
  now?: () => Date;
}

/** The daily reconcile made sure of, then one reconcile now; logs and never throws. */
export async function reconcileMonitorsAtStart(options: MonitorStartOptions): Promise<void> {
  const { taskQueue, log } = options;
  const now = options.now ?? (() => new Date());
  let connection: Connection | null = null;
  try {
    connection = await Connection.connect(connectionPart(options));
    const client = new Client({ connection, namespace: options.namespace });
    const daily = await ensureReconcileSchedule(client, taskQueue);
    if (daily.outcome === 'created')
      log(`monitors: daily reconcile scheduled (${reconcileScheduleId(taskQueue)}, 00:05 UTC)`);
    if (daily.outcome === 'other') {
      log(
        `monitors: the daily reconcile ${reconcileScheduleId(taskQueue)} belongs to task queue "${daily.taskQueue}"; ` +
          `this deployment's monitor schedules are reconciled on publish, retire and worker start only`,
      );
    }
    const outcome = await reconcileSchedules(client, options.store, taskQueue, now());
    log(
      `monitors: schedules reconciled (${outcome.created.length} created, ` +
        `${outcome.updated.length} updated, ${outcome.deleted.length} deleted)`,
    );
  } catch (error) {
    log(
      `monitors: reconciling schedules at start failed (the daily reconcile will repair it): ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
