// An instance as the API shows it: the stored view and the audit ledger (which outlive Temporal's
// retention), plus, while the workflow runs, what its Queries say right now. Also the mapping of
// an Update's failure to our errors: the engine's refusal becomes a 409 with the engine's code.
import {
  ApplicationFailure,
  type Client,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { z } from 'zod';
import type { AuditEvent, InstanceView, Store } from '../../store/index.js';
import { inputScalarSchema, visibility } from '../../store/instances.js';
import type { BlockedOn, Decision, Refusal } from '../../engine/machine/types.js';
import {
  blockedOnQuery,
  explainQuery,
  type InstanceStatus,
  REFUSED,
  statusQuery,
} from '../../workflows/definitions/messages.js';
import { factResponse } from '../audit/filters.js';
import { ApiError } from '../errors.js';
import { policyRefSchema } from '../../store/documents.js';

/** A query that takes longer means no worker answers: the stored view is shown instead. */
const QUERY_TIMEOUT_MS = 3_000;
/** Audit events shown in an instance's timeline; the audit routes page through longer ones. */
const MAX_TIMELINE = 5_000;
const AUDIT_PAGE = 1_000;

const blockedSchema = z.object({
  step: z.string(),
  kind: z.string(),
  text: z.string(),
  dueAt: z.iso.datetime().nullable(),
});
/** `file` indexes the policy version's `sources` (0 is the policy's own file); lines from 1. */
const sourceSpan = z.object({
  file: z.number().int(),
  line: z.number().int(),
  col: z.number().int(),
  endLine: z.number().int(),
  endCol: z.number().int(),
});
const policyRef = policyRefSchema;

export const viewSchema = z.object({
  instanceId: z.string(),
  policy: policyRef,
  process: z.string(),
  project: z.string().nullable(),
  status: z.enum(['running', 'approved', 'rejected', 'cancelled']),
  message: z.string().nullable(),
  startedAt: z.iso.datetime(),
  startedBy: z.string(),
  endedAt: z.iso.datetime().nullable(),
  currentSteps: z.array(z.string()),
  blockedOn: z.array(blockedSchema),
});

/**
 * An input field's value for the OpenAPI document. Lists are shown two levels deep rather than as
 * the recursive type they are: a `$ref` to `$defs` inside an operation's schema would point at the
 * document's root, where no tool finds it.
 */
const inputValueSchema = z
  .union([inputScalarSchema, z.array(z.union([inputScalarSchema, z.array(z.unknown())]))])
  .describe(
    'text, date (YYYY-MM-DD), person or enum value: a string; number or percentage: a number; ' +
      'boolean; money: `{amount, currency}`, the amount as exact decimal text; duration: `{amount, unit, business, calendar}`; or a list of these',
  );

export const detailSchema = viewSchema.extend({
  /**
   * What the instance was started with, validated against its process (defaults applied): kept
   * with the instance, so it outlives the workflow's history. Null for instances stored before
   * inputs were kept, and for a moment after a start.
   */
  input: z
    .record(z.string(), inputValueSchema)
    .nullable()
    .describe("The validated input, one member per field of the process's input block"),
  /** SHA-256 hex of the input's canonical JSON, as the `started` audit event carries it. */
  inputSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .describe(
      "SHA-256 of the input's canonical JSON (sorted keys, no whitespace); the started event has it too",
    ),
  /** True when blockedOn and explanation come from the running workflow itself. */
  live: z.boolean(),
  explanation: z
    .array(z.object({ seq: z.number(), at: z.iso.datetime(), step: z.string().nullable(), text: z.string() }))
    .nullable(),
  timeline: z.array(
    z.object({
      seq: z.number().int(),
      at: z.iso.datetime(),
      type: z.string(),
      step: z.string().nullable(),
      text: z.string(),
      actor: z.string().nullable(),
      onBehalfOf: z.string().nullable(),
      outcome: z.string().nullable(),
      reasons: z.array(z.object({ text: z.string() }).loose()),
      /** Where in the policy's source the event came from (its step's or rule's lines), if anywhere. */
      span: sourceSpan.nullable(),
      fact: factResponse.optional(),
    }),
  ),
});

export const receiptSchema = z.object({
  instanceId: z.string(),
  status: z.enum(['running', 'approved', 'rejected', 'cancelled']),
  message: z.string().nullable(),
  blockedOn: z.array(blockedSchema),
});

const iso = (at: Date | number | null): string | null => (at === null ? null : new Date(at).toISOString());

export const blockedJson = (b: BlockedOn) => ({
  step: b.step,
  kind: b.kind,
  text: b.text,
  dueAt: iso(b.dueAt),
});

export function viewJson(v: InstanceView): z.infer<typeof viewSchema> {
  return {
    instanceId: v.instanceId,
    policy: { name: v.policy.name, version: v.policy.version, sha256: v.policy.sha256 },
    process: v.process,
    project: v.project,
    status: v.status,
    message: v.message,
    startedAt: v.startedAt.toISOString(),
    startedBy: v.startedBy,
    endedAt: iso(v.endedAt),
    currentSteps: v.currentSteps,
    blockedOn: v.blockedOn.map((b) => ({ step: b.step, kind: b.kind, text: b.text, dueAt: iso(b.dueAt) })),
  };
}

async function withTimeout<T>(work: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), QUERY_TIMEOUT_MS);
      }),
    ]);
  } catch {
    // Closed and purged, or not a Charter workflow: the stored view is all there is.
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** The workflow's own status, or null when it does not answer. */
export function liveStatus(client: Client, instanceId: string): Promise<InstanceStatus | null> {
  return withTimeout(client.workflow.getHandle(instanceId).query(statusQuery));
}

/**
 * The view of an instance whose first transition is not stored yet (it was started a moment
 * ago), from the workflow's status; null when the workflow does not answer either.
 */
export async function viewFromWorkflow(client: Client, instanceId: string): Promise<InstanceView | null> {
  const status = await liveStatus(client, instanceId);
  if (status === null || status.instanceId !== instanceId) return null;
  return {
    instanceId,
    workflowId: instanceId,
    policy: status.policy,
    process: status.process,
    project: null,
    status: status.status,
    message: status.message,
    startedAt: new Date(status.startedAt),
    startedBy: status.startedBy,
    endedAt: status.endedAt === null ? null : new Date(status.endedAt),
    currentSteps: [...new Set(status.blockedOn.map((b) => b.step))],
    blockedOn: status.blockedOn.map((b) => ({ ...b, dueAt: b.dueAt === null ? null : new Date(b.dueAt) })),
    transition: 0,
    // Not stored yet: the input arrives with the first transition's write.
    input: null,
    inputSha256: null,
    visibleTo: [visibility.started(status.startedBy)],
  };
}

async function timelineOf(store: Store, instanceId: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let after: string | null = null;
  do {
    const page = await store.audit.query(
      { instanceId },
      { limit: AUDIT_PAGE, ...(after === null ? {} : { after }) },
    );
    events.push(...page.events);
    after = page.next;
  } while (after !== null && events.length < MAX_TIMELINE);
  return events.sort((a, b) => a.seq - b.seq);
}

export async function detailOf(
  store: Store,
  client: Client,
  view: InstanceView,
): Promise<z.infer<typeof detailSchema>> {
  const running = view.status === 'running';
  const handle = client.workflow.getHandle(view.instanceId);
  const [blocked, explanation, events] = await Promise.all([
    running ? withTimeout<BlockedOn[]>(handle.query(blockedOnQuery)) : Promise.resolve(null),
    running ? withTimeout<Decision[]>(handle.query(explainQuery)) : Promise.resolve(null),
    timelineOf(store, view.instanceId),
  ]);
  const base = viewJson(view);
  return {
    ...base,
    blockedOn: blocked === null ? base.blockedOn : blocked.map(blockedJson),
    live: blocked !== null,
    input: view.input,
    inputSha256: view.inputSha256,
    explanation:
      explanation === null
        ? null
        : explanation.map((d) => ({
            seq: d.seq,
            at: new Date(d.at).toISOString(),
            step: d.step,
            text: d.text,
          })),
    timeline: events.map((e) => ({
      seq: e.seq,
      at: e.at.toISOString(),
      type: e.type,
      step: e.step,
      text: e.text,
      actor: e.actor,
      onBehalfOf: e.onBehalfOf,
      outcome: e.outcome,
      reasons: e.reasons,
      span: e.span,
      ...(e.fact === undefined ? {} : { fact: e.fact }),
    })),
  };
}

/** An Update's failure as our error: the engine's refusal, an ended run, or the error as it is. */
export function updateError(error: unknown): unknown {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure && cause.type === REFUSED) {
      const refusal = cause.details?.[0] as Partial<Refusal> | undefined;
      return new ApiError(409, refusal?.code ?? 'refused', refusal?.message ?? cause.message);
    }
  }
  if (error instanceof WorkflowNotFoundError) {
    return new ApiError(409, 'ended', 'the instance has ended: it takes no more actions');
  }
  return error;
}
