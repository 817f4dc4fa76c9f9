// The shapes of /v1/tasks: what approvers send (zod checks them with field paths before any
// handler runs) and what they get back (for the OpenAPI document). Dates leave as ISO strings.
import { z } from 'zod';
import type { Task, TaskComment } from '../../store/index.js';
import { policyRefSchema } from '../../store/documents.js';
import { personId as directoryPersonId } from '../directory/schemas.js';

/** Task ids are `<instance>/<task>`: clients send them URL-encoded in the path. */
export const taskParams = z.object({ id: z.string().min(1).max(512) });

export { pageQuery } from '../paging.js';

/** A person id: an e-mail address, compared lower-case like the directory stores it. */
const personId = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(directoryPersonId)
  // zod describes a pipe's input by its first stage, any string: the OpenAPI document said so,
  // though only an e-mail address gets through (schemathesis's positive-data check found it).
  .meta({ format: 'email', maxLength: 254 });

export const decideBody = z.strictObject({
  decision: z.enum(['approve', 'reject', 'requestChanges']),
  reason: z.string().max(4000).optional(),
  onBehalfOf: personId.optional(),
});

/** At most this many tasks in one bulk decision: a screenful of an inbox, decided in one request. */
export const MAX_BULK_TASKS = 100;

export const bulkDecideBody = z.strictObject({
  tasks: z
    .array(taskParams.shape.id)
    .min(1)
    .max(MAX_BULK_TASKS)
    .superRefine((tasks, ctx) => {
      const seen = new Set<string>();
      tasks.forEach((task, index) => {
        if (seen.has(task))
          ctx.addIssue({ code: 'custom', path: [index], message: `task ${task} is listed twice` });
        seen.add(task);
      });
    }),
  decision: z.enum(['approve', 'reject']),
  reason: z.string().max(4000).optional(),
});

export const attestBody = z.strictObject({
  evidence: z.string().max(4000).optional(),
  onBehalfOf: personId.optional(),
});

export const waiveBody = z.strictObject({
  reason: z.string().max(4000),
  onBehalfOf: personId.optional(),
});

export const delegateBody = z.strictObject({
  to: personId,
  until: z.iso.datetime({ offset: true }),
  note: z.string().max(1000).optional(),
});

export const commentBody = z.strictObject({
  text: z
    .string()
    .min(1)
    .max(4000)
    .refine((t) => t.trim() !== '', 'a comment needs some text'),
});

const policyRef = policyRefSchema;

export const taskResponse = z.object({
  id: z.string(),
  instanceId: z.string(),
  task: z.string(),
  step: z.string(),
  title: z.string(),
  kind: z.enum(['approval', 'attestation', 'waiver']),
  status: z.enum(['open', 'closed']),
  assignees: z.array(z.string()),
  dueAt: z.string().nullable(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  closeReason: z.string().nullable(),
  blockedOn: z.string().nullable(),
  policy: policyRef,
  process: z.string(),
  project: z.string().nullable(),
  /** Set when the caller sees the task as someone's delegate. */
  onBehalfOf: z.string().nullable(),
});

export const inboxResponse = z.object({ items: z.array(taskResponse), nextCursor: z.string().nullable() });

export const receiptResponse = z.object({
  status: z.enum(['running', 'approved', 'rejected', 'cancelled']),
  message: z.string().nullable(),
  blockedOn: z.array(
    z.object({ step: z.string(), kind: z.string(), text: z.string(), dueAt: z.number().nullable() }),
  ),
});

const bulkError = z.object({
  code: z.string(),
  message: z.string(),
  problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const bulkDecideResponse = z.object({
  results: z
    .array(
      z.discriminatedUnion('ok', [
        z.object({
          task: z.string(),
          ok: z.literal(true),
          status: z
            .enum(['open', 'closed'])
            .describe('the task after the decision: still open while its step waits for more votes'),
          instanceId: z.string(),
          instanceStatus: z.enum(['running', 'approved', 'rejected', 'cancelled']),
        }),
        z.object({
          task: z.string(),
          ok: z.literal(false),
          status: z
            .number()
            .int()
            .describe('the HTTP status POST /v1/tasks/{id}/decide answers for this task'),
          error: bulkError,
        }),
      ]),
    )
    .describe('one result per task, in the order given'),
});

export const delegationResponse = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  start: z.string(),
  end: z.string(),
  note: z.string().nullable(),
});

export const commentResponse = z.object({
  id: z.string(),
  taskId: z.string(),
  instanceId: z.string(),
  step: z.string(),
  author: z.string(),
  text: z.string(),
  mentions: z.array(z.string()),
  at: z.string(),
});

export const commentsResponse = z.object({
  items: z.array(commentResponse),
  nextCursor: z.string().nullable(),
});

export function taskJson(task: Task, onBehalfOf: string | null): z.infer<typeof taskResponse> {
  return {
    id: task.id,
    instanceId: task.instanceId,
    task: task.task,
    step: task.step,
    title: task.title,
    kind: task.kind,
    status: task.status,
    assignees: task.assignees,
    dueAt: task.dueAt?.toISOString() ?? null,
    openedAt: task.openedAt.toISOString(),
    closedAt: task.closedAt?.toISOString() ?? null,
    closeReason: task.closeReason,
    blockedOn: task.blockedOn,
    policy: task.policy,
    process: task.process,
    project: task.project,
    onBehalfOf,
  };
}

export function commentJson(c: TaskComment): z.infer<typeof commentResponse> {
  return {
    id: c.id,
    taskId: c.taskId,
    instanceId: c.instanceId,
    step: c.step,
    author: c.author,
    text: c.text,
    mentions: c.mentions,
    at: c.at.toISOString(),
  };
}
