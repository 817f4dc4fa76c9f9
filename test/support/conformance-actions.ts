// What the conformance test (test/integration/conformance.test.ts) does to the real workflow for a
// script entry: a person's action or a check's report, sent as the Update the API would send, and
// what it answered (the refusal code, or null when accepted).
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { CheckAnswer } from '../../engine/simulate/index.js';
import type { Refusal } from '../../engine/machine/index.js';
import type { charterInstance } from '../../workflows/definitions/instance.js';
import {
  attestUpdate,
  cancelUpdate,
  decideUpdate,
  REFUSED,
  reportCheckUpdate,
  waiveUpdate,
  type CheckReport,
} from '../../workflows/definitions/messages.js';
import type { Accepted, Action } from './conformance.js';

type Handle = WorkflowHandle<typeof charterInstance>;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends the action like `act`. A check's report may reach the stub service before the workflow has
 * recorded that the check awaits it (the activity that called the service has not returned yet):
 * the workflow then refuses it with `no-such-check`, and a validator's refusal leaves no trace in
 * the history. So where the simulator accepted the report, it is sent again until accepted or
 * `settleMs` has passed; a refusal the simulator also gave is never retried.
 */
export async function actOnceKnown(
  handle: Handle,
  action: Action,
  report: CheckReport | null,
  simulatorRefused: string | null,
  settleMs: number,
): Promise<string | null> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const refused = await act(handle, action, report);
    const early = action.kind === 'check' && refused === 'no-such-check' && simulatorRefused === null;
    if (!early || Date.now() > deadline) return refused;
    await delay(50);
  }
}

/** Sends the action; returns the refusal code, null when accepted. */
async function act(handle: Handle, action: Action, report: CheckReport | null): Promise<string | null> {
  try {
    switch (action.kind) {
      case 'decide':
        await handle.executeUpdate(decideUpdate, { args: [action.input] });
        break;
      case 'attest':
        await handle.executeUpdate(attestUpdate, { args: [action.input] });
        break;
      case 'waive':
        await handle.executeUpdate(waiveUpdate, { args: [action.input] });
        break;
      case 'cancel':
        await handle.executeUpdate(cancelUpdate, { args: [action.input] });
        break;
      case 'check':
        if (report) await handle.executeUpdate(reportCheckUpdate, { args: [report] });
        break;
    }
    return null;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause as { type?: string; details?: unknown[] } | undefined;
      if (cause?.type === REFUSED) return (cause.details?.[0] as Refusal).code;
    }
    // A workflow that has ended runs no validator: Temporal answers that the workflow (or the
    // Update, when it ended while the Update was on its way) is not found. That is `ended`.
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') return 'ended';
    return `error: ${(error as Error).message}`;
  }
}

export function reportOf(accepted: Accepted, answer: CheckAnswer): CheckReport {
  const { outcome, evidence, detail } = answer;
  return {
    request: accepted.request,
    service: accepted.service,
    // The simulator's `pending` answer never reaches a script entry that answers a check.
    outcome: outcome === 'pending' ? 'error' : outcome,
    ...(evidence === undefined ? {} : { evidence }),
    ...(detail === undefined ? {} : { detail }),
  };
}

/** PendingActivityState (temporal.api.enums.v1): scheduled, not yet taken by a worker; running. */
const SCHEDULED = 1;
const STARTED = 2;

/**
 * Waits (in real time, at most `limitMs`) until no activity of the instance runs or waits for a
 * worker. Skipping time fires every timer due in between, activities' time-outs included: an
 * activity still running when the clock jumps hours (a check's HTTP call, a store write on a busy
 * machine) times out and is retried after its back-off, which the test then waits out in real
 * time, past its limits; seen as a check report refused with `no-such-check` on a loaded machine.
 * An activity waiting out a retry back-off is not waited for: skipping that is the point.
 */
export async function activitiesSettled(handle: Handle, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const { raw } = await handle.describe();
    const busy = (raw.pendingActivities ?? []).some((activity) => {
      const state = Number(activity.state);
      return state === STARTED || (state === SCHEDULED && !activity.nextAttemptScheduleTime);
    });
    if (!busy || Date.now() > deadline) return;
    await delay(20);
  }
}
