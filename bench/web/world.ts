// The benchmark's data: one small published policy (a purchase its requester's manager approves
// within two business days), tasks seeded straight into the store for the list measurements (as
// test/browser/inbox.test.ts seeds its thousand: no workflow behind them, so they are only read),
// and real instances on the worker for everything that decides a task. Each measurement has its
// own approver, so no measurement sees another's tasks in its inbox.
import { randomUUID } from 'node:crypto';
import type { ApiHarness } from '../../test/support/api.js';
import { purchasePolicy } from '../../test/support/purchase-policy.js';

const POLICY_NAME = 'Bench purchase';
const POLICY = purchasePolicy(POLICY_NAME);

/** Approvers, one per measurement; requesters of real instances, one per approver. */
export const PEOPLE = {
  /** The large inbox (seeded). */
  many: 'many.tasks@halden.example',
  /** The small inbox (seeded): the list's baseline, and the person of the sign-in timings. */
  few: 'few.tasks@halden.example',
  /** Approves in the console. */
  uiApprover: 'henrik.larsen@halden.example',
  uiRequester: 'olaf.brandt@halden.example',
  /** Decides over HTTP (the approvals' baseline). */
  httpApprover: 'maren.vogt@halden.example',
  httpRequester: 'rita.sommer@halden.example',
  /** Watches the inbox while tasks are decided elsewhere. */
  liveApprover: 'karl.weber@halden.example',
  liveRequester: 'peter.jung@halden.example',
} as const;

export interface TaskRef {
  id: string;
  instanceId: string;
}

/** The directory (who manages whom) and the published policy; returns the policy's sha256. */
export async function publishWorld(api: ApiHarness): Promise<string> {
  await api.store.directory.seedFromWorld({
    groups: {},
    managers: {
      [PEOPLE.uiRequester]: PEOPLE.uiApprover,
      [PEOPLE.httpRequester]: PEOPLE.httpApprover,
      [PEOPLE.liveRequester]: PEOPLE.liveApprover,
    },
    people: [PEOPLE.many, PEOPLE.few],
  });
  return api.publish(POLICY, 'purchase.charter');
}

/** `count` open tasks of `person` straight into the store: the first 2 % overdue, half with a project. */
export async function seedTasks(api: ApiHarness, person: string, count: number, sha256: string) {
  const opened = Date.now();
  const overdue = Math.ceil(count * 0.02);
  const prefix = person.split('@')[0] ?? person;
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(5, '0')}`);
  for (let i = 0; i < ids.length; i += 100) {
    await Promise.all(
      ids.slice(i, i + 100).map((instanceId, j) =>
        api.store.tasks.open({
          id: `${instanceId}/manager_review`,
          instanceId,
          task: 'manager_review',
          step: 'manager_review',
          title: 'decide manager_review',
          kind: 'approval',
          assignees: [person],
          dueAt: new Date(opened + (i + j - overdue + 0.5) * 3_600_000),
          openedAt: new Date(opened),
          policy: { name: POLICY_NAME, version: 1, sha256 },
          process: 'purchase',
          project: i + j < count / 2 ? 'ERP rollout' : null,
        }),
      ),
    );
  }
}

/** `read` again until `ready` holds, at most `timeoutMs`; the error names `what` and the last value. */
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  ready: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ready(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs / 1000} s (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The open tasks in `token`'s inbox (the first 500, more than any measurement here needs). */
export async function inboxOf(api: ApiHarness, token: string): Promise<TaskRef[]> {
  const answer = await api.call<{ items: TaskRef[] }>('GET', '/v1/tasks/inbox?limit=500', { token });
  if (answer.status !== 200) throw new Error(`GET /v1/tasks/inbox: ${answer.status} ${answer.text}`);
  return answer.body.items.map(({ id, instanceId }) => ({ id, instanceId }));
}

/**
 * Starts `count` real purchase requests of `requester` (eight at a time) and waits until every
 * one's task is in the approver's inbox; returns those tasks in the inbox's order.
 */
export async function startRequests(
  api: ApiHarness,
  requester: string,
  approverToken: string,
  count: number,
): Promise<TaskRef[]> {
  const token = await api.tokenFor(requester, ['requester']);
  const started: string[] = [];
  for (let i = 0; i < count; i += 8) {
    const batch = Array.from({ length: Math.min(8, count - i) }, (_, j) => i + j);
    started.push(
      ...(await Promise.all(
        batch.map(async (n) => {
          const answer = await api.call<{ instanceId: string }>('POST', '/v1/instances', {
            token,
            body: {
              policy: POLICY_NAME,
              process: 'purchase',
              input: { requester, item: `Laptop ${n + 1}`, budget: '1,200 EUR' },
            },
          });
          if (answer.status !== 201) throw new Error(`POST /v1/instances: ${answer.status} ${answer.text}`);
          return answer.body.instanceId;
        }),
      )),
    );
  }
  const wanted = new Set(started);
  const inbox = await until(
    `the ${count} tasks of ${requester}'s requests in their manager's inbox`,
    () => inboxOf(api, approverToken),
    (tasks) => tasks.filter((t) => wanted.has(t.instanceId)).length === count,
  );
  return inbox.filter((t) => wanted.has(t.instanceId));
}

/**
 * Approves `task` over HTTP as `token`'s person with the very request the console sends (the same
 * body and a fresh Idempotency-Key); resolves when the API has answered 200.
 */
export async function decideOverHttp(api: ApiHarness, token: string, task: TaskRef): Promise<void> {
  const answer = await api.call('POST', `/v1/tasks/${encodeURIComponent(task.id)}/decide`, {
    token,
    headers: { 'idempotency-key': randomUUID() },
    body: { decision: 'approve' },
  });
  if (answer.status !== 200)
    throw new Error(`POST /v1/tasks/${task.id}/decide: ${answer.status} ${answer.text}`);
}

/** Resolves when the instance's workflow has ended (its decision fully processed, the worker idle). */
export async function instanceEnded(api: ApiHarness, instanceId: string, timeoutMs = 30_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`instance ${instanceId}: its workflow did not end within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([api.deps.temporal.workflow.getHandle(instanceId).result(), late]);
  } finally {
    clearTimeout(timer);
  }
}
