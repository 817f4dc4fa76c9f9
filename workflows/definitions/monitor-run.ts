// One run of a monitor, started by its Temporal Schedule. The schedule appends the run's
// scheduled time to the workflow id (`monitor:<policy>:<monitor>-2026-12-07T07:00:00Z`): that time,
// not the time the run happens to start, is what the run judges, so a backfilled month judges each
// of its weeks and a delayed run judges the day it was meant for.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { MonitorActivities } from '../monitors/contract.js';
import type { MonitorRunResult } from '../monitors/run.js';
import type { MonitorRunArgs } from './monitor-messages.js';

const activities = proxyActivities<MonitorActivities>({
  // A run over tens of thousands of projects reads and writes in pages; it heartbeats per page.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const SCHEDULED_SUFFIX = /-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)$/;

/** The scheduled time in the id; a run started by hand (no suffix) judges its own start. */
export function scheduledTime(workflowId: string, startedAt: number): number {
  const match = SCHEDULED_SUFFIX.exec(workflowId);
  const at = match?.[1] === undefined ? Number.NaN : Date.parse(match[1]);
  return Number.isNaN(at) ? startedAt : at;
}

export async function charterMonitorRun(args: MonitorRunArgs): Promise<MonitorRunResult> {
  const info = workflowInfo();
  const runAt = scheduledTime(info.workflowId, info.startTime.getTime());
  const result = await activities.runMonitor({ ...args, runAt, runId: info.workflowId });
  if (result.opened.length > 0 || result.closed.length > 0) {
    await activities.followUpRun({ opened: result.opened, closed: result.closed });
  }
  return result;
}
