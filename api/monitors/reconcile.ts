// Reconciling monitor schedules from the API: after a version is published or retired, the
// monitors in force may have changed, so their Temporal Schedules are made to match at once
// (workflows/monitors/schedules.ts reconcileSchedules) rather than at the next daily reconcile.
// The request already did what it was asked (the version is stored, the retirement final): a
// failure here is logged for the operator and never fails it, and the daily reconcile at 00:05
// UTC, or the next publish, retire or worker start, repairs it.
import { reconcileSchedules } from '../../workflows/monitors/schedules.js';
import type { ApiDeps } from '../deps.js';

/** Reconciles now; `after` says what changed, for the log line. Never throws. */
export async function reconcileMonitorsAfter(deps: ApiDeps, after: string): Promise<void> {
  try {
    await reconcileSchedules(deps.temporal, deps.store, deps.taskQueue, deps.now());
  } catch (error) {
    deps.log(
      `monitor schedules were not reconciled after ${after}; the daily reconcile at 00:05 UTC will`,
      error,
    );
  }
}
