// Routes of /v1/audit: the ledger for auditors (and admins), read-only. Search with filters and a
// cursor, export as CSV or JSON Lines, verify the hash chains, and the compliance summary per
// policy and project. Auditors read everything, so there is no per-object ownership here; other
// roles get 403 from the app, and nothing here writes.
import { z } from 'zod';
import { refusedChainOf, type Role } from '../../store/index.js';
import { streamAuditExport } from './export.js';
import {
  auditFilterFields,
  auditFilterOf,
  checkWindow,
  factResponse,
  pageFields,
  windowFields,
} from './filters.js';
import { complianceSummary, summarySchema } from './summary.js';
import { treeVerifySchema, verifyTree } from './tree-verify.js';
import { notFound } from '../errors.js';
import { json, route, type RouteSpec } from '../route.js';
import { policyRefSchema } from '../../store/documents.js';

const AUDIT_ROLES: readonly Role[] = ['auditor', 'pmo', 'admin'];

const spanSchema = z.object({
  file: z.number(),
  line: z.number(),
  col: z.number(),
  endLine: z.number(),
  endCol: z.number(),
});

export const auditEventSchema = z.object({
  id: z.string(),
  chain: z.string(),
  seq: z.number().int(),
  at: z.iso.datetime(),
  type: z.string(),
  instanceId: z.string(),
  process: z.string(),
  project: z.string().nullable(),
  policy: policyRefSchema,
  step: z.string().nullable(),
  text: z.string(),
  actor: z.string().nullable(),
  onBehalfOf: z.string().nullable(),
  outcome: z.string().nullable(),
  reasons: z.array(z.object({ text: z.string(), span: spanSchema })),
  span: spanSchema.nullable(),
  /** On `started` events: the canonical hash of the instance's input (absent elsewhere). */
  inputSha256: z.string().optional(),
  fact: factResponse.optional(),
  prevHash: z.string(),
  hash: z.string(),
});

const eventsQuery = z.strictObject({ ...auditFilterFields, ...pageFields }).superRefine(checkWindow);
const exportQuery = z
  .strictObject({ ...auditFilterFields, format: z.enum(['csv', 'jsonl']) })
  .superRefine(checkWindow);
const verifyQuery = z.strictObject({ instance: z.string().min(1).max(500).optional() });
const summaryQuery = z
  .strictObject({
    policy: z.string().min(1).max(500).optional(),
    project: z.string().min(1).max(500).optional(),
    ...windowFields,
  })
  .superRefine(checkWindow);

const verifySchema = z.object({
  ok: z.boolean(),
  chains: z.number().int(),
  events: z.number().int(),
  firstProblem: z
    .object({
      chain: z.string(),
      seq: z.number().int(),
      id: z.string().nullable(),
      problem: z.enum(['hash mismatch', 'broken link', 'missing event', 'unparseable']),
    })
    .optional(),
  tree: treeVerifySchema
    .optional()
    .describe('the whole ledger against its newest signed head (absent for one instance)'),
});

export function auditRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/audit/events',
      summary: 'Ledger events matching the filters, oldest first, a page at a time',
      roles: AUDIT_ROLES,
      query: eventsQuery,
      response: z.object({ items: z.array(auditEventSchema), nextCursor: z.string().nullable() }),
      handler: async ({ query, deps }) => {
        // A cursor the ledger did not issue is InvalidCursorError: 422 at query.cursor (errors.ts).
        const page = await deps.store.audit.query(auditFilterOf(query), {
          limit: query.limit,
          ...(query.cursor === undefined ? {} : { after: query.cursor }),
        });
        return json({ items: page.events, nextCursor: page.next });
      },
    }),
    route({
      method: 'get',
      path: '/audit/export',
      summary: 'Every ledger event matching the filters as a CSV or JSON Lines download, with hashes',
      roles: AUDIT_ROLES,
      query: exportQuery,
      produces: ['text/csv', 'application/x-ndjson'],
      handler: async ({ query, deps, res }) => {
        const { format, ...filters } = query;
        await streamAuditExport(deps.store, auditFilterOf(filters), format, res, deps.now());
        return { streamed: true };
      },
    }),
    route({
      method: 'get',
      path: '/audit/verify',
      summary:
        "Re-checks the hash chains (one instance's, or the whole ledger and its Merkle tree against the newest signed head) and names the first problem",
      roles: AUDIT_ROLES,
      query: verifyQuery,
      response: verifySchema,
      handler: async ({ query, deps }) => {
        if (query.instance === undefined) {
          // The whole ledger: its chains, and the tree against the newest signed head.
          const [chains, tree] = await Promise.all([deps.store.audit.verify({}), verifyTree(deps.store)]);
          return json({ ...chains, ok: chains.ok && tree.ok, tree });
        }
        // An instance has its own chain and the chain of refused attempts the API recorded.
        const own = await deps.store.audit.verify({ chain: query.instance });
        // No chain at all: an unknown instance, which must not read as "verified, all good".
        if (own.chains === 0) throw notFound(`instance ${query.instance}`);
        const refused = await deps.store.audit.verify({ chain: refusedChainOf(query.instance) });
        const firstProblem = own.firstProblem ?? refused.firstProblem;
        return json({
          ok: own.ok && refused.ok,
          chains: own.chains + refused.chains,
          events: own.events + refused.events,
          ...(firstProblem === undefined ? {} : { firstProblem }),
        });
      },
    }),
    route({
      method: 'get',
      path: '/audit/summary',
      summary: 'Compliance per policy and project for the instances started in a window',
      roles: AUDIT_ROLES,
      query: summaryQuery,
      response: summarySchema,
      handler: async ({ query, deps }) => {
        const scope = {
          ...(query.policy === undefined ? {} : { policyName: query.policy }),
          ...(query.project === undefined ? {} : { project: query.project }),
          ...(query.from === undefined ? {} : { from: query.from }),
          ...(query.to === undefined ? {} : { to: query.to }),
        };
        return json(await complianceSummary(deps.store.reports, scope));
      },
    }),
  ];
}
