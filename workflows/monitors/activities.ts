// The monitor activities a worker registers, bound to its store and task queue. Starting the
// workflows of opened findings and stopping those of closed ones goes through the worker's own
// Temporal client (the activity context's), so no second connection is configured.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Store } from '../../store/index.js';
import { FINDING_WORKFLOW, findingChanged, findingWorkflowId } from '../definitions/monitor-messages.js';
import type { MonitorActivities } from './contract.js';
import { findingAlarm, findingPlan } from './finding-activities.js';
import { findingsOf } from './findings-port.js';
import { runMonitor } from './run.js';
import { reconcileSchedules } from './schedules.js';

export function createMonitorActivities(store: Store, taskQueue: string): MonitorActivities {
  const deps = { store, findings: findingsOf(store) };
  return {
    runMonitor: (input) => runMonitor(deps, input),
    async followUpRun({ opened, closed }) {
      const client = Context.current().client;
      for (const findingId of opened) {
        try {
          await client.workflow.start(FINDING_WORKFLOW, {
            workflowId: findingWorkflowId(findingId),
            taskQueue,
            args: [{ findingId }],
          });
        } catch (error) {
          // A retry, or a second worker doing the same run: the finding is chased already.
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        }
      }
      for (const findingId of closed) {
        try {
          await client.workflow
            .getHandle(findingWorkflowId(findingId))
            .signal(findingChanged, { action: 'closed' });
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
    },
    findingPlan: ({ findingId }) => findingPlan(deps, findingId),
    findingAlarm: (input) => findingAlarm(deps, input),
    reconcileSchedules: ({ at }) =>
      reconcileSchedules(Context.current().client, store, taskQueue, new Date(at)),
  };
}
