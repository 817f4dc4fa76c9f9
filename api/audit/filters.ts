// The query-string filters of the audit and report routes. Query values arrive as strings (an
// array when a name repeats, which is refused), so numbers are coerced and times parsed here; a
// time window whose `from` is not before its `to` is a 422 on `query.to`, not an empty answer,
// because an auditor who swapped the two would otherwise read "nothing happened" as a fact.
import { z } from 'zod';
import { FACT_KINDS } from '../../engine/facts/index.js';
import type { AuditFilter } from '../../store/index.js';

const text = z.string().min(1).max(500);
const instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .refine((d) => !Number.isNaN(d.getTime()), 'not a valid time');

export const windowFields = { from: instant.optional(), to: instant.optional() };

/** The `from < to` rule, as a field problem on `to`. */
export function checkWindow(value: { from?: Date | undefined; to?: Date | undefined }, ctx: z.RefinementCtx) {
  // Zod still runs this when another key of the query failed (an unknown key, say); then `from`
  // and `to` may be the raw strings.
  const { from, to } = value as { from?: unknown; to?: unknown };
  if (from instanceof Date && to instanceof Date && from.getTime() >= to.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from`' });
  }
}

/**
 * What the event establishes, as data (engine/facts `Fact`, a union on `kind`): what clients
 * filter and branch on; `text` is its sentence for people. Absent on events written before facts.
 */
export const factResponse = z
  .object({ kind: z.enum(FACT_KINDS) })
  .loose()
  .meta({ description: 'engine/facts Fact: a discriminated union on `kind`' });

export const auditFilterFields = {
  project: text.optional(),
  policy: text.optional(),
  version: z.coerce.number().int().min(1).max(1_000_000).optional(),
  process: text.optional(),
  instance: text.optional(),
  actor: text.optional(),
  type: text.optional(),
  outcome: text.optional(),
  /** The kind of fact (`vote`, `checkFailed`, `approvalClosed`, ...). */
  fact: z.enum(FACT_KINDS).optional(),
  step: text.optional(),
  ...windowFields,
};

type AuditFilterQuery = {
  [K in keyof typeof auditFilterFields]?: z.output<(typeof auditFilterFields)[K]>;
};

export const pageFields = {
  cursor: z.string().min(1).max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
};

/** The ledger's filter from the route's query names (`policy`, `version`, `instance`). */
export function auditFilterOf(query: AuditFilterQuery): AuditFilter {
  const filter: AuditFilter = {};
  if (query.project !== undefined) filter.project = query.project;
  if (query.policy !== undefined) filter.policyName = query.policy;
  if (query.version !== undefined) filter.policyVersion = query.version;
  if (query.process !== undefined) filter.process = query.process;
  if (query.instance !== undefined) filter.instanceId = query.instance;
  if (query.actor !== undefined) filter.actor = query.actor;
  if (query.type !== undefined) filter.type = query.type;
  if (query.outcome !== undefined) filter.outcome = query.outcome;
  if (query.fact !== undefined) filter.fact = query.fact;
  if (query.step !== undefined) filter.step = query.step;
  if (query.from !== undefined) filter.from = query.from;
  if (query.to !== undefined) filter.to = query.to;
  return filter;
}
