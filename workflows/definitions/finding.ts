// A finding's chase: reminders before it is due, the due notice, the escalation ladder, until a
// person resolves or waives it or a passing run closes it. The times come from the policy version
// that opened it (findingPlan); a person acting on the finding signals `findingChanged`, and the
// workflow reads the finding again: acknowledged stops reminders, anything not live ends it.
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { MonitorActivities } from '../monitors/contract.js';
import { workflowNow } from './clock.js';
import { findingChanged, type FindingArgs } from './monitor-messages.js';

const activities = proxyActivities<MonitorActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function charterFinding(args: FindingArgs): Promise<'ended' | 'exhausted'> {
  let changed = false;
  setHandler(findingChanged, () => {
    changed = true;
  });
  let plan = await activities.findingPlan(args);
  let next = 0;
  while (plan.live && next < plan.alarms.length) {
    const alarm = plan.alarms[next];
    if (alarm === undefined) break;
    if (plan.acknowledged && alarm.kind === 'remind') {
      next++;
      continue;
    }
    const wait = Math.max(0, alarm.at - workflowNow());
    // An alarm already due (the workflow started late, or a signal came at its time) acts now.
    const woke = wait > 0 ? await condition(() => changed, wait) : changed;
    if (woke) {
      changed = false;
      plan = await activities.findingPlan(args);
      continue;
    }
    await activities.findingAlarm({ ...args, alarm });
    next++;
  }
  return plan.live ? 'exhausted' : 'ended';
}
