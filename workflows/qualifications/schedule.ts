// The daily reminder job as a Temporal Schedule: `charter:qualification-reminders:<task queue>`
// starts `charterQualificationReminders` (definitions/qualification-reminders.ts) at 06:00 UTC,
// which runs the activity of reminders.ts. A worker makes sure of it when it starts (`charter
// worker`, `npm start`), next to the monitors' daily reconcile (workflows/monitor-start.ts), and
// never stops for it: a failure is logged, and the next start tries again.
//
// Why 06:00 UTC: well after the UTC day the reminders count from has begun, and before the
// working day starts in Europe, so the reminders are queued by the time most people start; each
// message still goes out in its person's working hours (workflows/notify/decide.ts). Catch-up: a run missed
// while Temporal was away is made up within a day (catchupWindow), once (overlap SKIP); a run that
// cannot start (no worker) gives up after 12 hours. Whatever is still missed, the next day's run
// makes up by looking back one day (reminders.ts).
import { type Client, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { ensureSchedule, type EnsuredSchedule } from '../monitor-start.js';
import { ensureScheduleAtStart, type ScheduleStartOptions } from '../schedule-at-start.js';

export const QUALIFICATION_REMINDERS_SCHEDULE_ID = 'charter:qualification-reminders';
/** The reminder job of one deployment (task queue): two Charters in a namespace each keep theirs. */
export const qualificationRemindersScheduleId = (taskQueue: string): string =>
  `${QUALIFICATION_REMINDERS_SCHEDULE_ID}:${taskQueue}`;
export const QUALIFICATION_REMINDERS_WORKFLOW = 'charterQualificationReminders';

/** The schedule's spec and action: daily at 06:00 UTC on `taskQueue`. */
export function qualificationRemindersScheduleOptions(
  taskQueue: string,
  scheduleId = qualificationRemindersScheduleId(taskQueue),
): ScheduleOptions {
  return {
    scheduleId,
    spec: {
      calendars: [{ hour: 6, minute: 0, comment: 'daily 06:00 UTC: qualifications about to expire' }],
      timezone: 'UTC',
    },
    action: {
      type: 'startWorkflow',
      workflowType: QUALIFICATION_REMINDERS_WORKFLOW,
      workflowId: scheduleId,
      taskQueue,
      args: [],
      workflowExecutionTimeout: '12 hours',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
}

/** Creates the reminder job's schedule unless it exists (ensureSchedule answers what it found). */
export function ensureQualificationRemindersSchedule(
  client: Client,
  taskQueue: string,
  scheduleId = qualificationRemindersScheduleId(taskQueue),
): Promise<EnsuredSchedule> {
  return ensureSchedule(client, qualificationRemindersScheduleOptions(taskQueue, scheduleId));
}

export interface QualificationStartOptions extends ScheduleStartOptions {
  taskQueue: string;
}

/** The daily reminder job made sure of when a worker starts; logs what it found and never throws. */
export function scheduleQualificationRemindersAtStart(
  options: QualificationStartOptions,
): Promise<EnsuredSchedule | null> {
  return ensureScheduleAtStart(
    options,
    qualificationRemindersScheduleOptions(options.taskQueue),
    'qualifications: daily expiry reminders',
    '06:00 UTC',
  );
}
