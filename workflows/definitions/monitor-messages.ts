// What the outside world sends the workflows of protocol monitors: the API and the CLI import
// these definitions (never the workflows), so the wire names and shapes live in one place.
//
// A monitor run is one workflow per scheduled time, started by the monitor's Temporal Schedule;
// each finding it opens is chased (reminders, escalation) by a workflow of its own, which a person
// acting on the finding in the API wakes with `findingChanged` so that it stops chasing.
import { defineSignal } from '@temporalio/workflow';

export const MONITOR_RUN_WORKFLOW = 'charterMonitorRun';
export const FINDING_WORKFLOW = 'charterFinding';

/** What the schedule's action passes to every run: the policy and monitor, never a version. */
export interface MonitorRunArgs {
  policy: string;
  monitor: string;
}

/** The finding the workflow chases, as the run that opened it stored it. */
export interface FindingArgs {
  findingId: string;
}

/** The workflow of a finding: one per finding, so a retried start cannot chase twice. */
export const findingWorkflowId = (findingId: string): string => `finding:${findingId}`;

/** The schedule of a monitor: one per (policy name, monitor), whatever version is in force. */
export const monitorScheduleId = (policy: string, monitor: string): string => `monitor:${policy}:${monitor}`;

/** A person acknowledged, resolved or waived the finding (already written to the store). */
export const findingChanged =
  defineSignal<[{ action: 'acknowledged' | 'resolved' | 'waived' }]>('findingChanged');
