// The answer shapes of a process (its input block and its flow graph) and of an instance's
// progress over that graph, for the OpenAPI document and the console's generated types. Types and
// values nest (a list of lists), but the schemas describe them to a fixed depth: a recursive zod
// schema becomes a `$ref` into `$defs`, which inside an operation points at the document's root,
// where no tool finds it.
import { z } from 'zod';
import type { GraphNodeKind, ProcessGraph } from '../../engine/graph/index.js';
import { moneyAmountSchema } from '../../engine/ir/index.js';
import type { InputFieldIR, ProcessIR, TypeIR } from '../../engine/ir/types.js';
import { policyRefSchema } from '../../store/documents.js';

const SIMPLE_KINDS = ['text', 'number', 'percentage', 'duration', 'date', 'boolean', 'person'] as const;

/** The types that are not lists, as the options of a union (spread, so unions stay flat). */
const scalarTypes = [
  z.object({ kind: z.enum(SIMPLE_KINDS) }),
  z.object({
    kind: z.literal('money'),
    currency: z.string().nullable().describe('ISO 4217 code; null for money in any currency'),
  }),
  z.object({ kind: z.literal('enum'), values: z.array(z.string()) }),
] as const;

/** A list's element: a type that is not a list, or a list whose own element is given by kind only. */
const elementTypeSchema = z.union([
  ...scalarTypes,
  z.object({
    kind: z.literal('list'),
    element: z
      .object({ kind: z.string() })
      .loose()
      .describe('the element type of a list of lists, in the same shape as a field type'),
  }),
]);

export const fieldTypeSchema = z
  .union([...scalarTypes, z.object({ kind: z.literal('list'), element: elementTypeSchema })])
  .describe('text, number, percentage, duration, date, boolean, person, money, enum, or a list of these');

const scalarValues = [
  z.string(),
  z.number(),
  z.boolean(),
  z.object({ amount: moneyAmountSchema, currency: z.string() }),
  z.object({
    amount: z.number(),
    unit: z.enum(['minute', 'hour', 'day', 'week']),
    business: z.boolean(),
    calendar: z.string().nullable(),
  }),
] as const;

const valueSchema = z
  .union([...scalarValues, z.array(z.union([...scalarValues, z.array(z.unknown())]))])
  .describe(
    'text, date (YYYY-MM-DD), person or enum value: a string; number or percentage (15 for 15%): a number; ' +
      'boolean; money: `{amount, currency}`, the amount as exact decimal text; duration: `{amount, unit, business, calendar}`; or a list of these',
  );

export const inputFieldSchema = z.object({
  name: z.string(),
  type: fieldTypeSchema,
  optional: z.boolean(),
  default: valueSchema.nullable().describe('the value used when the field is left out; null for none'),
  line: z.number().int(),
});

const NODE_KINDS = [
  'start',
  'approve',
  'check',
  'reallocate',
  'notify',
  'wait',
  'end',
  'decision',
  'fork',
  'join',
] as const satisfies readonly GraphNodeKind[];

export const graphNodeSchema = z.object({
  id: z
    .string()
    .describe('the step id; `#start`, `#end` and `#join:<parallel step>` for nodes without a step'),
  kind: z.enum(NODE_KINDS),
  label: z.string(),
  line: z.number().int().describe('the policy line the node comes from'),
  branch: z
    .string()
    .nullable()
    .describe('the parallel branch the node runs in, for laying branches side by side'),
});

export const graphEdgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  label: z
    .string()
    .nullable()
    .describe("an if branch's condition as policy text, `otherwise`, or a parallel branch's id"),
});

export const graphSchema = z.object({ nodes: z.array(graphNodeSchema), edges: z.array(graphEdgeSchema) });

const policyRef = policyRefSchema;

export const processResponse = z.object({
  policy: policyRef,
  process: z.string(),
  input: z.array(inputFieldSchema),
  graph: graphSchema,
});

export const STEP_STATES = ['done', 'current', 'skipped', 'failed', 'pending'] as const;

export const instanceGraphResponse = z.object({
  instanceId: z.string(),
  policy: policyRef,
  process: z.string(),
  status: z.enum(['running', 'approved', 'rejected', 'cancelled']),
  graph: z.object({
    nodes: z.array(
      graphNodeSchema.extend({
        state: z.enum(STEP_STATES),
        outcome: z
          .string()
          .nullable()
          .describe('what came of the step: approved, rejected, passed, failed, waived, timed out, ...'),
      }),
    ),
    edges: z.array(graphEdgeSchema),
  }),
});

/** A type as the answer shows it: a list of lists of lists gives its innermost element by kind. */
function typeJson(type: TypeIR, depth = 0): z.infer<typeof fieldTypeSchema> {
  if (type.kind !== 'list') return type;
  if (depth >= 1) return { kind: 'list', element: { ...type.element } };
  return { kind: 'list', element: typeJson(type.element, depth + 1) as z.infer<typeof elementTypeSchema> };
}

export const inputFieldJson = (field: InputFieldIR): z.infer<typeof inputFieldSchema> => ({
  name: field.name,
  type: typeJson(field.type),
  optional: field.optional,
  default: field.default,
  line: field.span.line,
});

export function processJson(
  policy: { name: string; version: number; sha256: string },
  process: ProcessIR,
  graph: ProcessGraph,
): z.infer<typeof processResponse> {
  return {
    policy: { name: policy.name, version: policy.version, sha256: policy.sha256 },
    process: process.name,
    input: process.input.map(inputFieldJson),
    graph,
  };
}
