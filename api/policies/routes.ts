// Routes of /v1/policies: authors validate and publish `.charter` uploads (immutable versions,
// the same upload twice is `unchanged`, different content under a published version is a 409),
// everyone reads them (with `retired`, see retire.ts), the PMO retires them, and authors and
// requesters dry-run a published version in the simulator.
import { z } from 'zod';
import { PolicyConflictError } from '../../store/index.js';
import { PolicyPublishError } from '../../store/policies.js';
import { ApiError, notFound } from '../errors.js';
import {
  compileUpload,
  diagnosticSchema,
  draftJson,
  summaryJson,
  summarySchema,
  uploadSchema,
} from './compile.js';
import { pageQuery } from '../paging.js';
import { simulate, simulateBodySchema, simulationSchema } from './simulate.js';
import { listedSchema, retiredJson, retireRoutes } from './retire.js';
import { impactRoutes } from './impact.js';
import { diffRoutes } from './diff.js';
import { retirementOf } from '../../store/policy-retirements.js';
import { reconcileMonitorsAfter } from '../monitors/reconcile.js';
import { ALL_ROLES, json, route, type RouteSpec } from '../route.js';

/** Publish takes the upload (as validate does) and the author's optional "why this change". */
const publishBodySchema = z
  .strictObject({
    ...uploadSchema.shape,
    note: z
      .string()
      .trim()
      .min(1, 'leave the note out, or say why this version is published')
      .max(2000)
      .optional()
      .describe('why this version is published, kept with it and shown beside it'),
  })
  .superRefine((body, ctx) => {
    const upload = uploadSchema.safeParse({ source: body.source, entry: body.entry, files: body.files });
    if (upload.success) return;
    for (const issue of upload.error.issues)
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

/** A version's note as the API shows it: null when it has none. */
/** A version's instances: started, and of those, how they ended or that they still run. */
const versionInstancesSchema = z.object({
  started: z.number().int(),
  running: z.number().int(),
  approved: z.number().int(),
  rejected: z.number().int(),
  cancelled: z.number().int(),
});

function versionInstancesJson(n: Record<string, number> | undefined): z.infer<typeof versionInstancesSchema> {
  const [started, approved, rejected, cancelled] = ['started', 'approved', 'rejected', 'cancelled'].map(
    (name) => n?.[name] ?? 0,
  ) as [number, number, number, number];
  // An end folded before its start (backfill pages) must not make "running" negative.
  return {
    started,
    running: Math.max(0, started - approved - rejected - cancelled),
    approved,
    rejected,
    cancelled,
  };
}

const noteSchema = z
  .string()
  .nullable()
  .describe('why the author published this version; null when not said');

export const versionParams = z.object({
  name: z.string().min(1).max(200),
  version: z.coerce.number().int().positive().max(1_000_000_000),
});

export function policiesRoutes(): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/policies/validate',
      summary: 'Check and compile a policy upload without publishing it; 422 invalid-policy with diagnostics',
      roles: ['author', 'admin'],
      body: uploadSchema,
      response: z.object({
        ok: z.literal(true),
        diagnostics: z.array(diagnosticSchema),
        policy: z.object({
          name: z.string(),
          version: z.number().int(),
          effective: z.string(),
          owner: z.string().nullable(),
          sha256: z.string(),
          processes: z.array(z.string()),
        }),
      }),
      handler: ({ body }) => {
        const { compiled, warnings } = compileUpload(body);
        return Promise.resolve(json({ ok: true, diagnostics: warnings, policy: draftJson(compiled) }));
      },
    }),
    route({
      method: 'post',
      path: '/policies',
      summary:
        'Publish a policy version (201 published or unchanged; 409 policy-conflict when the version exists with other content)',
      roles: ['author', 'admin'],
      body: publishBodySchema,
      status: 201,
      response: z.object({
        status: z.enum(['published', 'unchanged']),
        policy: summarySchema,
        diagnostics: z.array(diagnosticSchema),
      }),
      handler: async ({ body, caller, deps }) => {
        const { note, ...upload } = body;
        const { compiled, warnings, sources } = compileUpload(upload);
        try {
          const published = await deps.store.policies.publish({
            compiled,
            sources,
            publishedBy: caller.person,
            at: deps.now(),
            note,
          });
          // The monitors in force may have changed: their schedules follow now (never fails the publish).
          const { name, version } = published.policy;
          await reconcileMonitorsAfter(deps, `publishing ${name} v${version}`);
          // 201 both times: a retried publish must look like the first one to CI scripts.
          return json({
            status: published.status,
            policy: summaryJson(published.policy),
            diagnostics: warnings,
          });
        } catch (error) {
          if (error instanceof PolicyConflictError) {
            throw new ApiError(409, 'policy-conflict', error.message, [], {
              existingSha256: error.existingSha256,
              uploadedSha256: error.newSha256,
            });
          }
          if (error instanceof PolicyPublishError) throw new ApiError(422, 'invalid-policy', error.message);
          throw error;
        }
      },
    }),
    route({
      method: 'get',
      path: '/policies',
      summary:
        'Every published version: by name, newest version first, each with its retirement (or null) and its instances as the dashboards last counted them',
      roles: ALL_ROLES,
      query: pageQuery,
      response: z.object({
        items: z.array(listedSchema.extend({ note: noteSchema, instances: versionInstancesSchema })),
        nextCursor: z.string().nullable(),
        /** When the dashboard projector last folded the ledger: the counts hold up to then; null: never. */
        instancesCountedAt: z.iso.datetime().nullable(),
      }),
      handler: async ({ query, deps }) => {
        const page = await deps.store.policies.page({ after: query.cursor, limit: query.limit });
        const names = page.items.map((p) => p.name);
        const [retirements, counts, freshness] = await Promise.all([
          deps.store.policyRetirements.ofNames(names),
          deps.store.dashboards.versionCounts(names),
          deps.store.dashboards.freshness(),
        ]);
        const items = page.items.map((p) => ({
          ...summaryJson(p),
          retired: retiredJson(retirementOf(retirements.get(p.name) ?? [], p.version)),
          note: p.note ?? null,
          instances: versionInstancesJson(counts.get(p.name)?.get(p.version)),
        }));
        return json({
          items,
          nextCursor: page.next,
          instancesCountedAt: freshness.foldedAt?.toISOString() ?? null,
        });
      },
    }),
    route({
      method: 'get',
      path: '/policies/:name/versions/:version',
      summary: 'One published version with its source texts, its compiled IR and its retirement (or null)',
      roles: ALL_ROLES,
      params: versionParams,
      response: listedSchema.extend({
        sources: z.array(z.object({ path: z.string(), text: z.string(), sha256: z.string() })),
        ir: z.record(z.string(), z.unknown()),
        note: noteSchema,
      }),
      handler: async ({ params, deps }) => {
        const [found, retirements] = await Promise.all([
          deps.store.policies.get(params.name, params.version),
          deps.store.policyRetirements.of(params.name),
        ]);
        if (!found) throw notFound(`policy "${params.name}" version ${params.version}`);
        return json({
          ...summaryJson(found),
          retired: retiredJson(retirementOf(retirements, found.version)),
          sources: found.sources,
          ir: found.compiled.ir,
          note: found.note ?? null,
        });
      },
    }),
    route({
      method: 'post',
      path: '/policies/:name/versions/:version/simulate',
      summary:
        'Dry-run a published version in the simulator: a scenario (input, world, script) on a virtual clock',
      roles: ['author', 'admin', 'requester'],
      params: versionParams,
      body: simulateBodySchema,
      response: simulationSchema,
      handler: async ({ params, body, caller, deps }) => {
        const compiled = await deps.store.policies.compiled(params.name, params.version);
        if (!compiled) throw notFound(`policy "${params.name}" version ${params.version}`);
        return json(simulate(compiled, body, caller.person, deps.now()));
      },
    }),
    ...retireRoutes(),
    ...impactRoutes(),
    ...diffRoutes(),
  ];
}
