// GET /v1/policies/:name/diff?from=<v>&to=<v>: what changed between two published versions of a
// policy, for the PMO and authors reviewing a new version and for auditors asking what a version
// changed. The processes as the engine compares them (engine/ir/diff.ts: steps added, removed or
// changed aspect by aspect, inputs added, removed or retyped; rules, roles, calendars, header) and
// the source texts line by line (engine/text/line-diff.ts). The policy file is compared with the
// policy file whatever each upload called it; libraries by path. Any two versions in either order;
// a version against itself is allowed and shows no change. Versions are immutable, so the answer
// never changes for a pair: its ETag holds for good.
import { z } from 'zod';
import { diffPolicies } from '../../engine/ir/index.js';
import { sourceDiffs } from '../../engine/text/source-diff.js';
import type { Role } from '../../store/index.js';
import type { PublishedPolicy } from '../../store/policies.js';
import { retirementOf } from '../../store/policy-retirements.js';
import { ApiError, type Problem } from '../errors.js';
import { json, route, type RouteSpec } from '../route.js';
import { summaryJson } from './compile.js';
import { listedSchema, retiredJson } from './retire.js';

/** Who compares versions: the PMO and authors who write them, auditors who ask what changed. */
export const DIFF_ROLES: readonly Role[] = ['pmo', 'admin', 'auditor', 'author'];

const versionNumber = z.coerce
  .number()
  .int()
  .positive()
  .max(1_000_000_000)
  .describe('a published version number of the policy');

const diffQuery = z.strictObject({ from: versionNumber, to: versionNumber });

const lineSchema = z.object({
  kind: z.enum(['same', 'added', 'removed']),
  text: z.string(),
  from: z.number().int().nullable().describe('line number in the `from` version; null for an added line'),
  to: z.number().int().nullable().describe('line number in the `to` version; null for a removed line'),
});

const hunkSchema = z.object({
  fromStart: z.number().int(),
  fromLines: z.number().int(),
  toStart: z.number().int(),
  toLines: z.number().int(),
  lines: z.array(lineSchema),
});

const sourceDiffSchema = z.object({
  path: z.string().describe('the path in the `to` version (in `from` for a removed file)'),
  fromPath: z.string().nullable().describe('the path in the `from` version; null for an added file'),
  status: z.enum(['added', 'removed', 'changed', 'same']),
  fromLineCount: z.number().int(),
  toLineCount: z.number().int(),
  hunks: z.array(hunkSchema).describe('changes with 3 unchanged lines of context; empty when the same'),
});

const stepKind = z.enum(['approve', 'check', 'reallocate', 'notify', 'wait', 'if', 'parallel', 'end']);
const stepRefSchema = z.object({ step: z.string(), kind: stepKind, summary: z.string() });

const processDiffSchema = z.object({
  name: z.string(),
  status: z.enum(['added', 'removed', 'changed', 'same']),
  inputs: z.array(
    z.object({
      field: z.string(),
      change: z.enum(['added', 'removed', 'retyped', 'optional', 'default']),
      before: z.string().nullable(),
      after: z.string().nullable(),
    }),
  ),
  addedSteps: z.array(stepRefSchema),
  removedSteps: z.array(stepRefSchema),
  changes: z
    .array(z.object({ step: z.string(), kind: z.string(), before: z.string(), after: z.string() }))
    .describe(
      'per step in both versions, each aspect that differs: approvers, quorum, deadline, reminder, escalation, timeout, condition, check, onFail, ...',
    ),
});

export const policyDiffSchema = z.object({
  name: z.string(),
  from: listedSchema,
  to: listedSchema,
  same: z.boolean().describe('both versions compile to the same IR (equal sha256)'),
  definitions: z.array(
    z.object({
      kind: z.enum(['rule', 'role', 'calendar', 'policy']),
      name: z.string(),
      status: z.enum(['added', 'removed', 'changed']),
      before: z.string().nullable(),
      after: z.string().nullable(),
    }),
  ),
  processes: z.array(processDiffSchema),
  sources: z.array(sourceDiffSchema),
});

export function diffRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/policies/:name/diff',
      summary:
        'What changed between two published versions: processes (steps added, removed, changed; inputs) and the source texts line by line; 404 at query.from / query.to for a version not published',
      roles: DIFF_ROLES,
      params: z.object({ name: z.string().min(1).max(200) }),
      query: diffQuery,
      response: policyDiffSchema,
      handler: async ({ params, query, deps }) => {
        const [from, to, retirements] = await Promise.all([
          deps.store.policies.get(params.name, query.from),
          query.to === query.from ? null : deps.store.policies.get(params.name, query.to),
          deps.store.policyRetirements.of(params.name),
        ]);
        const toVersion = query.to === query.from ? from : to;
        const missing: Problem[] = [];
        if (from === null) missing.push(notPublished('query.from', params.name, query.from));
        if (toVersion === null) missing.push(notPublished('query.to', params.name, query.to));
        if (from === null || toVersion === null) {
          const versions = missing.map((p) => p.message).join('; ');
          throw new ApiError(404, 'not-found', versions, missing);
        }
        const listed = (p: PublishedPolicy) => ({
          ...summaryJson(p),
          retired: retiredJson(retirementOf(retirements, p.version)),
        });
        const changes = diffPolicies(from.compiled.ir, toVersion.compiled.ir);
        return json({
          name: params.name,
          from: listed(from),
          to: listed(toVersion),
          same: from.sha256 === toVersion.sha256,
          ...changes,
          sources: sourceDiffs(from.sources, toVersion.sources),
        });
      },
    }),
  ];
}

const notPublished = (path: string, name: string, version: number): Problem => ({
  path,
  message: `policy "${name}" version ${version} was not found`,
});
