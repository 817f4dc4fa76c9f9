// The daily reminder that qualifications run out: the Temporal Schedule
// `charter:qualification-reminders:<task queue>` (workflows/qualifications/schedule.ts) starts this
// workflow at 06:00 UTC. The work is one idempotent activity (workflows/qualifications/
// reminders.ts): which completions expire a lead time after the workflow's UTC day, who renewed,
// and the notices, with ids that make a retry or an overlapping run post nothing twice. The
// workflow only says when: its time is the workflow task's, recorded in history and replayed.
import { proxyActivities } from '@temporalio/workflow';
import type { QualificationActivities, ReminderRunResult } from '../qualifications/reminders.js';
import { workflowNow } from './clock.js';

const activities = proxyActivities<QualificationActivities>({
  // Pages through the expiry index and queues a page of notices at a time: seconds as a rule. A
  // retry (MongoDB briefly away) does the same again and queues only what is not queued yet.
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Reminds people whose qualifications expire a configured lead time after today (UTC). */
export async function charterQualificationReminders(): Promise<ReminderRunResult> {
  return activities.remindExpiringQualifications({ at: workflowNow() });
}
