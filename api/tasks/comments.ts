// Comments on a task with @mentions. A mention is `@` followed by a person id (their e-mail
// address), e.g. "@lea.hofmann@halden.example please look at the budget". Every mentioned person
// must be known to the directory, checked before anything is written: a typo answers 422 naming
// the unknown people instead of storing a comment whose mention silently reaches nobody. Each
// mentioned person then gets one `mention` notice (api/notifications/notices.ts) in the delivery
// queue, which lists it in their in-app notifications and mails or chats it as they chose. The
// routes are POST and GET /v1/tasks/:id/comments (mounted by api/tasks/routes.ts).
import type { Task, TaskComment } from '../../store/index.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { instanceOfTask, mentionNotices } from '../notifications/notices.js';
import { type Caller, json, route, type RouteSpec } from '../route.js';
import { type Visibility, visibleTask } from './access.js';
import {
  commentBody,
  commentJson,
  commentResponse,
  commentsResponse,
  pageQuery,
  taskParams,
} from './schemas.js';

/** Who reads the conversation: the task's approvers, the requester of the instance, auditors, admins. */
const READ: Visibility = { seeAll: ['auditor', 'pmo', 'admin'], requesterOwnsInstance: true };
/** Who writes in it: the same people but auditors, who change nothing. */
const WRITE: Visibility = { seeAll: ['admin'], requesterOwnsInstance: true };

// Not preceded by a word character, so "bob@x.example" inside an address is not a mention; the
// domain ends in letters, so a full stop closing the sentence is not part of it.
const MENTION = /(?<![\w.@])@([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;

/** The person ids mentioned in `text`, lower-cased, in order of first mention, without duplicates. */
export function mentionsIn(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((m) => (m[1] ?? '').toLowerCase()))];
}

/** Stores the comment and posts one notice per mentioned person. */
export async function addComment(
  deps: ApiDeps,
  caller: Caller,
  task: Task,
  text: string,
): Promise<TaskComment> {
  const mentions = mentionsIn(text);
  const unknown = await deps.store.directoryQueries.notActiveAmong(mentions);
  if (unknown.length > 0) {
    throw new ApiError(
      422,
      'unknown-mention',
      `nobody in the directory is called ${unknown.join(', ')}`,
      [{ path: 'body.text', message: `unknown people mentioned: ${unknown.join(', ')}` }],
      { unknown },
    );
  }
  const at = deps.now();
  const comment = await deps.store.comments.add({
    taskId: task.id,
    instanceId: task.instanceId,
    step: task.step,
    author: caller.person,
    text,
    mentions,
    at,
  });
  if (mentions.length > 0) {
    // Notice ids are deterministic per comment and person: posting them again queues nothing twice.
    const instance = await instanceOfTask(deps.store, task);
    await deps.store.deliveries.post(mentionNotices(comment, task, instance));
  }
  return comment;
}

export function commentRoutes(): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/tasks/:id/comments',
      summary: 'Comment on a task; @<person id> mentions notify those people',
      roles: ['approver', 'requester', 'admin'],
      params: taskParams,
      body: commentBody,
      response: commentResponse,
      status: 201,
      handler: async ({ caller, params, body, deps }) => {
        const { task } = await visibleTask(deps, caller, params.id, WRITE);
        return json(commentJson(await addComment(deps, caller, task, body.text)));
      },
    }),
    route({
      method: 'get',
      path: '/tasks/:id/comments',
      summary: 'The comments on a task, oldest first',
      roles: ['approver', 'requester', 'auditor', 'pmo', 'admin'],
      params: taskParams,
      query: pageQuery,
      response: commentsResponse,
      handler: async ({ caller, params, query, deps }) => {
        const { task } = await visibleTask(deps, caller, params.id, READ);
        // The store's cursor, unchanged both ways; one it did not issue is a 422 at query.cursor.
        const page = await deps.store.comments.list(task.id, { after: query.cursor, limit: query.limit });
        return json({ items: page.items.map(commentJson), nextCursor: page.next });
      },
    }),
  ];
}
