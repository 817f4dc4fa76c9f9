// The notices the API itself causes: a comment's @mention and a task's delegation. The machine's
// notices are planned from its facts (engine/notices/plan.ts); these two come from something a
// person did through the API, so the route that did it builds them here and posts them to the
// delivery queue (store.deliveries), which lists, mails and chats them like any other.
//
// Ids are deterministic (`comment:<id>/<person>`, `delegation:<id>/<person>`): a retried request
// that posts the same notice again queues nothing new.
import type { Moment } from '../../engine/facts/index.js';
import type { Notice, NoticeInstance } from '../../engine/notices/types.js';
import type { Store, Task, TaskComment } from '../../store/index.js';

/** How much of a comment a mention quotes: enough to decide whether to open it now. */
export const EXCERPT_LENGTH = 280;

/** The comment's first EXCERPT_LENGTH characters (code points: an emoji is never cut in half). */
export function excerptOf(text: string): string {
  const points = [...text];
  return points.length <= EXCERPT_LENGTH ? text : points.slice(0, EXCERPT_LENGTH).join('');
}

/**
 * The instance a task belongs to, as a notice names it. The requester comes from the instance's
 * view (the task does not keep it); a task whose view is missing names nobody rather than failing
 * the comment or the delegation that is being told about.
 */
export async function instanceOfTask(store: Store, task: Task): Promise<NoticeInstance> {
  const view = await store.views.get(task.instanceId);
  return {
    id: task.instanceId,
    process: task.process,
    policy: task.policy.name,
    project: task.project,
    requester: view?.startedBy ?? '',
  };
}

/** A task's deadline as a notice carries it; the recipient's zone is applied when it is rendered. */
const dueOf = (task: Task): Moment | null =>
  task.dueAt === null ? null : { at: task.dueAt.getTime(), zone: 'UTC' };

/** One notice per person mentioned in `comment`, in the order they were mentioned. */
export function mentionNotices(comment: TaskComment, task: Task, instance: NoticeInstance): Notice[] {
  return comment.mentions.map((person) => ({
    id: `comment:${comment.id}/${person}`,
    kind: 'mention',
    recipient: person,
    onBehalfOf: null,
    at: comment.at.getTime(),
    instance,
    task: task.id,
    step: task.step,
    due: dueOf(task),
    cause: { kind: 'mention', by: comment.author, excerpt: excerptOf(comment.text), comment: comment.id },
  }));
}

export interface TaskDelegation {
  id: string;
  from: string;
  to: string;
  start: Date;
  end: Date;
  note: string | null;
}

/**
 * The delegate's notice of a delegation made from a task: the task is theirs to decide now, on
 * behalf of the delegator, until the delegation ends.
 */
export function delegationNotice(delegation: TaskDelegation, task: Task, instance: NoticeInstance): Notice {
  return {
    id: `delegation:${delegation.id}/${delegation.to}`,
    kind: 'taskAssigned',
    recipient: delegation.to,
    onBehalfOf: delegation.from,
    at: delegation.start.getTime(),
    instance,
    task: task.id,
    step: task.step,
    due: dueOf(task),
    cause: {
      kind: 'delegation',
      by: delegation.from,
      from: delegation.from,
      until: delegation.end.getTime(),
      note: delegation.note,
    },
  };
}
