// The notices of one transition, posted to the delivery queue by the activity that stores it.
// The planner (engine/notices/plan.ts) decides who is told what from the transition's facts; this
// reads what it needs from the store (the instance's tasks, the failure a waiver task is about,
// who stands in for whom) and posts the notices. Posting is idempotent by notice id, so the
// activity's retries post nothing twice; the worker's deliverer sends them (workflows/notify).
import type { Fact } from '../../engine/facts/index.js';
import {
  type CheckFailedFact,
  type FactEntry,
  NOTICE_FACTS,
  needsFailure,
  planNotices,
  type TaskRef,
  withDelegates,
} from '../../engine/notices/plan.js';
import type { Notice } from '../../engine/notices/types.js';
import type { Store } from '../../store/index.js';
import type { InstanceRef } from './contract.js';

export interface TransitionFacts {
  instance: InstanceRef;
  requester: string;
  at: Date;
  entries: { id: string; at: number; fact: Fact | undefined }[];
  /** The tasks this transition opened: a notice about them needs no read of the instance's tasks. */
  opened: TaskRef[];
}

/** Plans and posts the notices of a transition; returns them (for tests and logs). */
export async function postNotices(store: Store, t: TransitionFacts): Promise<Notice[]> {
  const entries: FactEntry[] = [];
  for (const e of t.entries) {
    if (e.fact !== undefined && NOTICE_FACTS.has(e.fact.kind))
      entries.push({ id: e.id, at: e.at, fact: e.fact });
  }
  if (entries.length === 0) return [];
  const instanceId = t.instance.instanceId;
  const openedSteps = new Set(t.opened.map((task) => task.step));
  const covered = entries.every(
    (e) => !('step' in e.fact) || openedSteps.has(e.fact.step) || !linksTask(e.fact),
  );
  const tasks: TaskRef[] = covered
    ? t.opened
    : (await store.tasks.ofInstance(instanceId)).map((task) => ({
        id: task.id,
        step: task.step,
        open: task.status === 'open',
        due: task.dueAt === null ? null : { at: task.dueAt.getTime(), zone: 'UTC' },
      }));
  const failures: Record<string, CheckFailedFact> = {};
  for (const e of entries) {
    const step = 'step' in e.fact ? e.fact.step : null;
    if (step === null || !needsFailure(e.fact) || failures[step] !== undefined) continue;
    const failure = await lastFailure(store, instanceId, step);
    if (failure !== null) failures[step] = failure;
  }
  const planned = planNotices({
    instance: {
      id: instanceId,
      process: t.instance.process,
      policy: t.instance.policy.name,
      project: t.instance.project,
      requester: t.requester,
    },
    entries,
    tasks,
    failures,
  });
  if (planned.length === 0) return [];
  const recipients = [...new Set(planned.filter((n) => n.task !== null).map((n) => n.recipient))];
  const delegations =
    recipients.length === 0 ? [] : await store.deliverySettings.delegatesOf(recipients, t.at);
  const notices = withDelegates(planned, delegations);
  await store.deliveries.post(notices);
  return notices;
}

/** Facts whose notices link to the step's task (a decision or the end links to the instance). */
const linksTask = (fact: Fact): boolean =>
  fact.kind !== 'approvalClosed' && fact.kind !== 'ended' && fact.kind !== 'waived';

/** The latest `checkFailed` fact of a step: what its waiver task asks to waive. */
async function lastFailure(store: Store, instanceId: string, step: string): Promise<CheckFailedFact | null> {
  const { events } = await store.audit.query({ instanceId, fact: 'checkFailed', step }, { limit: 100 });
  for (let i = events.length - 1; i >= 0; i--) {
    const fact = events[i]?.fact;
    if (fact?.kind === 'checkFailed') return fact;
  }
  return null;
}
