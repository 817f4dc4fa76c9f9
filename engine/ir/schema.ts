// The runtime twin of types.ts: every PolicyIR that enters the engine from outside (the store, an
// API request, a workflow argument) is parsed here first, so the engine never runs a document that
// only looks like a policy. Objects are strict (an unknown key is an error, not something to drop
// silently: it means the writer and this reader disagree on the IR version). The schema checks the
// shape of types.ts and a few formats the types only document (dates, times, hashes); policy
// logic (names resolve, types agree) is the compiler's job, not this one.
import { z } from 'zod';
import { canonicalJson } from './canonical.js';
import { DECIMAL_TEXT_PATTERN, isDecimalText } from './decimal.js';
import { parseWith, PolicyIRError } from './schema-errors.js';
import { sha256Hex } from './sha256.js';
import { IR_VERSION } from './types.js';
import type {
  ApproverIR,
  CompiledPolicy,
  DurationIR,
  EscalationIR,
  MonitorIR,
  ExprIR,
  MoneyValue,
  PolicyIR,
  SourceSpan,
  StepIR,
  TemplateIR,
  TimeoutIR,
  TypeIR,
  ValueIR,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// Leaves

const position = z.int().min(0);
const spanSchema = z.strictObject({
  file: position,
  line: position,
  col: position,
  endLine: position,
  endCol: position,
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const clockTime = z.string().regex(/^\d{2}:\d{2}$/, 'expected a time as HH:MM');
const hexDigest = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');

const durationSchema = z.strictObject({
  amount: z.number(),
  unit: z.enum(['minute', 'hour', 'day', 'week']),
  business: z.boolean(),
  calendar: z.string().nullable(),
});

/**
 * A money amount: canonical decimal text, or a JSON number in IR written before amounts were
 * exact. The number is kept as it is, not rewritten as text: the policy's hash was taken over it,
 * and parseCompiledPolicy must find the same hash. Canonical text only, so that one amount has
 * one form and two policies that say the same thing hash the same.
 */
const CANONICAL_AMOUNT = 'expected a decimal amount in canonical form, like "1234.5"';

export const moneyAmountSchema = z
  .union([
    z
      .string()
      .regex(DECIMAL_TEXT_PATTERN, { error: CANONICAL_AMOUNT, abort: true })
      .refine(isDecimalText, CANONICAL_AMOUNT),
    z.number(),
  ])
  .describe(
    'the exact amount as decimal text, e.g. "80000" or "1000000000000000000.01"; ' +
      'a JSON number in values written before amounts were exact',
  );

const moneySchema = z.strictObject({ amount: moneyAmountSchema, currency: z.string() });

// Recursive schemas refer to each other through z.lazy with the contract type as the annotation:
// TypeScript cannot infer a type from its own initializer, and the annotation costs nothing since
// the assertions at the end of this file prove each unrolled level equal to types.ts anyway.
const typeRef = z.lazy((): z.ZodType<TypeIR> => typeSchema);
const valueRef = z.lazy((): z.ZodType<ValueIR> => valueSchema);
const exprRef = z.lazy((): z.ZodType<ExprIR> => exprSchema);
const stepsRef = z.array(z.lazy((): z.ZodType<StepIR> => stepSchema));

const typeSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal(['text', 'number', 'percentage', 'duration', 'date', 'boolean', 'person']),
  }),
  z.strictObject({ kind: z.literal('money'), currency: z.string().nullable() }),
  z.strictObject({ kind: z.literal('enum'), values: z.array(z.string()) }),
  z.strictObject({ kind: z.literal('list'), element: typeRef }),
]);

const valueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  moneySchema,
  durationSchema,
  z.array(valueRef),
]);

// ---------------------------------------------------------------------------------------------
// Expressions and templates

const exprBase = { type: typeSchema, span: spanSchema };

const exprSchema = z.discriminatedUnion('op', [
  z.strictObject({ ...exprBase, op: z.literal('literal'), value: valueSchema }),
  z.strictObject({ ...exprBase, op: z.literal('input'), field: z.string() }),
  z.strictObject({ ...exprBase, op: z.literal('stepResult'), step: z.string(), property: z.string() }),
  z.strictObject({ ...exprBase, op: z.literal('rule'), rule: z.string() }),
  z.strictObject({ ...exprBase, op: z.literal('project'), field: z.string() }),
  z.strictObject({ ...exprBase, op: z.literal('today') }),
  z.strictObject({ ...exprBase, op: z.literal('history'), process: z.string(), property: z.string() }),
  z.strictObject({ ...exprBase, op: z.literal(['not', 'neg']), arg: exprRef }),
  z.strictObject({
    ...exprBase,
    op: z.literal(['and', 'or', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'add', 'sub', 'mul', 'div']),
    left: exprRef,
    right: exprRef,
  }),
  z.strictObject({ ...exprBase, op: z.literal('list'), items: z.array(exprRef) }),
  z.strictObject({
    ...exprBase,
    op: z.literal('call'),
    fn: z.enum(['count', 'length', 'contains', 'lower', 'upper', 'min', 'max', 'is_set', 'days_between']),
    args: z.array(exprRef),
  }),
]);

const templateSchema = z.strictObject({
  parts: z.array(z.union([z.strictObject({ text: z.string() }), z.strictObject({ expr: exprSchema })])),
  span: spanSchema,
});

// ---------------------------------------------------------------------------------------------
// Approvers, quorum, timeouts, checks

const approverSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('role'), role: z.string(), span: spanSchema }),
  z.strictObject({ kind: z.literal('group'), group: z.string(), span: spanSchema }),
  z.strictObject({ kind: z.literal('person'), person: z.string(), span: spanSchema }),
  z.strictObject({ kind: z.literal('managerOf'), of: exprSchema, span: spanSchema }),
  z.strictObject({ kind: z.literal('expr'), expr: exprSchema, span: spanSchema }),
]);
const approvers = z.array(approverSchema);

const quorumSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal(['any', 'all', 'majority']) }),
  z.strictObject({ kind: z.literal('atLeast'), count: z.number(), poolAtLeast: z.number().nullable() }),
  z.strictObject({ kind: z.literal('percent'), percent: z.number() }),
]);

// `handover` is present only when true (types.ts, EscalationIR): exactOptional refuses an explicit
// `undefined`, and the literal refuses `false`, so each IR has one spelling and one hash.
const handover = z.literal(true).exactOptional();

const escalationSchema = z.strictObject({ after: durationSchema, to: approvers, handover, span: spanSchema });

const timeoutSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal(['reject', 'approve', 'fail']),
    message: templateSchema.nullable(),
    span: spanSchema,
  }),
  z.strictObject({ action: z.literal('escalate'), to: approvers, handover, span: spanSchema }),
]);

const onFailSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('stop'),
    outcome: z.enum(['rejected', 'cancelled']),
    message: templateSchema.nullable(),
  }),
  z.strictObject({ action: z.literal('continue') }),
  z.strictObject({
    action: z.literal('waiver'),
    by: approvers,
    within: durationSchema,
    validFor: durationSchema.nullable(),
  }),
]);

const checkSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rule'), condition: exprSchema, message: templateSchema.nullable() }),
  z.strictObject({
    kind: z.literal('external'),
    service: z.string(),
    timeout: durationSchema.nullable(),
    retries: z.number(),
  }),
  z.strictObject({
    kind: z.literal('attest'),
    by: approvers,
    statement: z.string(),
    evidence: z.boolean(),
    within: durationSchema.nullable(),
    grants: z.strictObject({ qualification: z.string().min(1), to: exprSchema }).exactOptional(),
  }),
]);

// ---------------------------------------------------------------------------------------------
// Steps

const stepBase = { id: z.string(), span: spanSchema };

const dayName = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

const monitorScheduleSchema = z.strictObject({
  days: z.array(dayName).min(1),
  time: clockTime,
  calendar: z.string().nullable(),
  timezone: z.string(),
});

const monitorSchema = z.strictObject({
  name: z.string(),
  schedule: monitorScheduleSchema,
  where: exprSchema.nullable(),
  require: exprSchema,
  message: templateSchema.nullable(),
  owner: approvers,
  due: durationSchema.nullable(),
  remindEvery: durationSchema.nullable(),
  escalations: z.array(escalationSchema),
  waivers: approvers,
  health: z.enum(['amber', 'red']).nullable(),
  span: spanSchema,
});

const stepSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...stepBase,
    kind: z.literal('approve'),
    approvers,
    quorum: quorumSchema,
    veto: z.boolean(),
    exclude: approvers,
    distinctFrom: z.array(z.string()),
    sla: durationSchema.nullable(),
    remindEvery: durationSchema.nullable(),
    escalations: z.array(escalationSchema),
    onTimeout: timeoutSchema.nullable(),
    allowDelegation: z.boolean(),
    allowChanges: z.boolean(),
    qualifications: z.array(z.string().min(1)).exactOptional(),
  }),
  z.strictObject({ ...stepBase, kind: z.literal('check'), check: checkSchema, onFail: onFailSchema }),
  z.strictObject({
    ...stepBase,
    kind: z.literal('reallocate'),
    hours: z.number(),
    skill: z.string(),
    pool: z.string(),
    project: exprSchema,
    period: durationSchema,
    priority: z.enum(['low', 'normal', 'high']),
  }),
  z.strictObject({ ...stepBase, kind: z.literal('notify'), recipients: approvers, message: templateSchema }),
  z.strictObject({
    ...stepBase,
    kind: z.literal('wait'),
    wait: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('for'), duration: durationSchema }),
      z.strictObject({ kind: z.literal('until'), date: exprSchema }),
    ]),
  }),
  z.strictObject({
    ...stepBase,
    kind: z.literal('if'),
    branches: z.array(z.strictObject({ condition: exprSchema, steps: stepsRef, span: spanSchema })),
    otherwise: stepsRef,
  }),
  z.strictObject({
    ...stepBase,
    kind: z.literal('parallel'),
    onFailure: z.enum(['cancelOthers', 'finishOthers']),
    branches: z.array(z.strictObject({ id: z.string(), steps: stepsRef, span: spanSchema })),
  }),
  z.strictObject({
    ...stepBase,
    kind: z.literal('end'),
    outcome: z.enum(['approved', 'rejected', 'cancelled']),
    message: templateSchema.nullable(),
  }),
]);

// ---------------------------------------------------------------------------------------------
// Declarations and the policy

const inputFieldSchema = z.strictObject({
  name: z.string(),
  type: typeSchema,
  optional: z.boolean(),
  default: valueSchema.nullable(),
  span: spanSchema,
});

export const policyIRSchema = z.strictObject({
  irVersion: z.literal(IR_VERSION),
  policy: z.strictObject({
    name: z.string(),
    version: z.number(),
    effective: isoDate,
    owner: z.string().nullable(),
  }),
  sources: z.array(z.strictObject({ path: z.string(), sha256: hexDigest })),
  calendars: z.array(
    z.strictObject({
      name: z.string(),
      timezone: z.string(),
      hours: z.array(
        z.strictObject({
          day: dayName,
          from: clockTime,
          to: clockTime,
        }),
      ),
      holidays: z.array(isoDate),
      span: spanSchema,
    }),
  ),
  roles: z.array(z.strictObject({ name: z.string(), members: approvers, span: spanSchema })),
  rules: z.array(
    z.strictObject({
      name: z.string(),
      condition: exprSchema,
      because: z.string().nullable(),
      span: spanSchema,
    }),
  ),
  processes: z.array(
    z.strictObject({ name: z.string(), input: z.array(inputFieldSchema), steps: stepsRef, span: spanSchema }),
  ),
  monitors: z.array(monitorSchema).exactOptional(),
});

export const compiledPolicySchema = z.strictObject({ ir: policyIRSchema, sha256: hexDigest });

export { PolicyIRError } from './schema-errors.js';

// ---------------------------------------------------------------------------------------------
// Parsing

/**
 * Validates a PolicyIR read from outside the engine. Throws PolicyIRError whose message names the
 * first failing field, e.g. `invalid policy IR: processes[0].steps[2].quorum.count: expected number`.
 */
export function parsePolicyIR(json: unknown): PolicyIR {
  return parseWith(policyIRSchema, 'policy IR', json);
}

/**
 * Validates a CompiledPolicy and recomputes its hash: a stored policy whose IR no longer matches
 * the hash it was approved under must not run. The hash is the one hashPolicyIR (index.ts)
 * computes, written out here so that this module does not import its own facade.
 */
export function parseCompiledPolicy(json: unknown): CompiledPolicy {
  const compiled = parseWith(compiledPolicySchema, 'compiled policy', json);
  const actual = sha256Hex(canonicalJson(compiled.ir));
  if (actual !== compiled.sha256) {
    throw new PolicyIRError(
      `invalid compiled policy: sha256: the IR hashes to ${actual}, not ${compiled.sha256} (was it edited?)`,
    );
  }
  return compiled;
}

// ---------------------------------------------------------------------------------------------
// Compile-time proof that the schema and types.ts describe the same documents. Each recursive
// schema is checked one level unrolled (its self-references are typed by the contract), which
// by induction covers the whole tree. A mismatch in either direction fails `tsc`.

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

/** Exported only so that the compiler keeps (and checks) it; it carries no runtime value. */
export type SchemaMatchesTypes = [
  Assert<Same<z.infer<typeof spanSchema>, SourceSpan>>,
  Assert<Same<z.infer<typeof durationSchema>, DurationIR>>,
  Assert<Same<z.infer<typeof moneySchema>, MoneyValue>>,
  Assert<Same<z.infer<typeof typeSchema>, TypeIR>>,
  Assert<Same<z.infer<typeof valueSchema>, ValueIR>>,
  Assert<Same<z.infer<typeof exprSchema>, ExprIR>>,
  Assert<Same<z.infer<typeof templateSchema>, TemplateIR>>,
  Assert<Same<z.infer<typeof approverSchema>, ApproverIR>>,
  Assert<Same<z.infer<typeof escalationSchema>, EscalationIR>>,
  Assert<Same<z.infer<typeof timeoutSchema>, TimeoutIR>>,
  Assert<Same<z.infer<typeof stepSchema>, StepIR>>,
  Assert<Same<z.infer<typeof monitorSchema>, MonitorIR>>,
  Assert<Same<z.infer<typeof policyIRSchema>, PolicyIR>>,
  Assert<Same<z.infer<typeof compiledPolicySchema>, CompiledPolicy>>,
];
