// The ledger signer as a Temporal Schedule: `charter:ledger-signer:<task queue>` starts
// `charterLedgerSigner` (definitions/ledger-signer.ts) every CHARTER_LEDGER_SIGN_MINUTES minutes
// (10 by default), so that a head covering an event is at most that far behind it. A worker makes
// sure of it when it starts (`charter worker`, `npm start`). Overlap SKIP: a run still going
// (a large first tree) is not doubled; a run missed while Temporal was away is not made up, the
// next one takes every event since.
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { EnsuredSchedule } from '../monitor-start.js';
import { ensureScheduleAtStart, type ScheduleStartOptions } from '../schedule-at-start.js';

export const LEDGER_SIGNER_SCHEDULE_ID = 'charter:ledger-signer';
export const ledgerSignerScheduleId = (taskQueue: string): string =>
  `${LEDGER_SIGNER_SCHEDULE_ID}:${taskQueue}`;
export const LEDGER_SIGNER_WORKFLOW = 'charterLedgerSigner';
export const DEFAULT_SIGN_MINUTES = 10;

export function ledgerSignerScheduleOptions(
  taskQueue: string,
  minutes = DEFAULT_SIGN_MINUTES,
): ScheduleOptions {
  const scheduleId = ledgerSignerScheduleId(taskQueue);
  return {
    scheduleId,
    // In ms: a worker started with another CHARTER_LEDGER_SIGN_MINUTES compares and updates it.
    spec: { intervals: [{ every: minutes * 60_000 }] },
    action: {
      type: 'startWorkflow',
      workflowType: LEDGER_SIGNER_WORKFLOW,
      workflowId: scheduleId,
      taskQueue,
      args: [],
      workflowExecutionTimeout: '1 hour',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
}

export interface LedgerStartOptions extends ScheduleStartOptions {
  taskQueue: string;
  minutes?: number;
}

/** The signer's schedule made sure of when a worker starts; logs what it found and never throws. */
export function scheduleLedgerSignerAtStart(options: LedgerStartOptions): Promise<EnsuredSchedule | null> {
  const minutes = options.minutes ?? DEFAULT_SIGN_MINUTES;
  return ensureScheduleAtStart(
    options,
    ledgerSignerScheduleOptions(options.taskQueue, minutes),
    'ledger: tree head signer',
    `every ${minutes} minutes`,
  );
}
