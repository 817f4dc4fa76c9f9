// Retiring policies: the PMO (or an admin) retires one published version, or the whole policy, so
// that no new instance starts under it; running instances finish on the version they pinned.
// Retiring v3 puts v2 back in force for new instances when v2 is effective and not retired itself.
// A retirement is final and idempotent: retiring again answers 200 'unchanged' with the first
// retirement (its reason, person and time). Each retirement is an event on the policy's own chain
// in the audit ledger (fact `policyRetired`). The list and the version read show `retired`.
// The retired version's monitors stop: their schedules are reconciled at once (monitors/reconcile.ts).
import { z } from 'zod';
import { PolicyNotFoundError, type Retirement, type Role } from '../../store/index.js';
import { notFound } from '../errors.js';
import { reconcileMonitorsAfter } from '../monitors/reconcile.js';
import { json, route, type RouteSpec } from '../route.js';
import { summarySchema } from './compile.js';

/** Who retires: the PMO owns the catalogue of policies in force; admins stand in. */
export const RETIRE_ROLES: readonly Role[] = ['pmo', 'admin'];

const MAX_REASON = 500;

const nameParams = z.object({ name: z.string().min(1).max(200) });
const versionParams = nameParams.extend({
  version: z.coerce.number().int().positive().max(1_000_000_000),
});

const reasonBody = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1, 'say why it is retired (for example what replaces it)')
    .max(MAX_REASON, `at most ${MAX_REASON} characters`)
    .describe('why, for the people who start requests and for the auditors (1-500 characters)'),
});

/** What the list and the version read say about a retired version; null while it is not. */
export const retiredSchema = z
  .object({
    at: z.iso.datetime(),
    by: z.string(),
    reason: z.string(),
    wholePolicy: z.boolean().describe('the whole policy was retired, not only this version'),
  })
  .nullable()
  .describe(
    "the version's retirement, or the whole policy's (which shows on every version), the earlier of the two; null when new instances may start under it",
  );

/** A version as the list shows it: its summary and whether it is retired. */
export const listedSchema = summarySchema.extend({ retired: retiredSchema });

export const retiredJson = (retirement: Retirement | null): z.infer<typeof retiredSchema> =>
  retirement === null
    ? null
    : {
        at: retirement.at.toISOString(),
        by: retirement.by,
        reason: retirement.reason,
        wholePolicy: retirement.version === null,
      };

const retirementSchema = z.object({
  status: z.enum(['retired', 'unchanged']),
  retirement: z.object({
    name: z.string(),
    version: z.number().int().nullable().describe('null: the whole policy is retired'),
    reason: z.string(),
    by: z.string(),
    at: z.iso.datetime(),
  }),
});

const retirementJson = (answer: {
  status: 'retired' | 'unchanged';
  retirement: Retirement;
}): z.infer<typeof retirementSchema> => ({
  status: answer.status,
  retirement: { ...answer.retirement, at: answer.retirement.at.toISOString() },
});

/** PolicyNotFoundError as the 404 of an unknown name or version; anything else as it is. */
function unknownAs404(error: unknown): never {
  if (error instanceof PolicyNotFoundError) {
    throw notFound(
      error.version === null
        ? `policy "${error.policy}"`
        : `policy "${error.policy}" version ${error.version}`,
    );
  }
  throw error;
}

export function retireRoutes(): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/policies/:name/versions/:version/retire',
      summary:
        'Retire a published version: no new instance starts under it (the newest effective version not retired is in force); final, and repeating it answers unchanged',
      roles: RETIRE_ROLES,
      params: versionParams,
      body: reasonBody,
      response: retirementSchema,
      handler: async ({ params, body, caller, deps }) => {
        const answer = await deps.store.policyRetirements
          .retire({
            name: params.name,
            version: params.version,
            reason: body.reason,
            by: caller.person,
            at: deps.now(),
          })
          .catch(unknownAs404);
        await reconcileMonitorsAfter(deps, `retiring ${params.name} v${params.version}`);
        return json(retirementJson(answer));
      },
    }),
    route({
      method: 'post',
      path: '/policies/:name/retire',
      summary:
        'Retire a whole policy: no new instance starts under any of its versions; final, and repeating it answers unchanged',
      roles: RETIRE_ROLES,
      params: nameParams,
      body: reasonBody,
      response: retirementSchema,
      handler: async ({ params, body, caller, deps }) => {
        const answer = await deps.store.policyRetirements
          .retire({
            name: params.name,
            version: null,
            reason: body.reason,
            by: caller.person,
            at: deps.now(),
          })
          .catch(unknownAs404);
        await reconcileMonitorsAfter(deps, `retiring ${params.name}`);
        return json(retirementJson(answer));
      },
    }),
  ];
}
