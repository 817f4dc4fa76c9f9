// The daily reconcile of monitor schedules: the Temporal Schedule `charter:reconcile-monitor-
// schedules` (workflows/monitors/schedules.ts, RECONCILE_SCHEDULE_ID) starts this workflow at
// 00:05 UTC, so that a policy version published for a later day gets its monitors' schedules on
// that day, without anyone publishing or retiring anything then. Publishing, retiring and a worker
// starting reconcile too; this is the catch-all that repairs whatever they missed (a failed call,
// a worker that was down). The work is one idempotent activity; the workflow only says when.
import { proxyActivities } from '@temporalio/workflow';
import type { MonitorActivities } from '../monitors/contract.js';
import { workflowNow } from './clock.js';

const activities = proxyActivities<MonitorActivities>({
  // Lists every schedule of the namespace and reads every policy: seconds as a rule; a retry
  // (Temporal or MongoDB briefly away) does the same again, since reconciling is idempotent.
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export interface ReconcileResult {
  created: string[];
  updated: string[];
  deleted: string[];
}

/** Makes the monitor schedules match the versions in force at the workflow's time. */
export async function charterReconcileMonitors(): Promise<ReconcileResult> {
  return activities.reconcileSchedules({ at: workflowNow() });
}
