// Instances and projects: an instance carries the `project` text it was started with, which
// installations used as free text before projects were records. Here the PMO sees the texts that
// name no project (GET /v1/portfolio/unlinked, to create projects from them), and may require that
// new instances name a known, open project (the `requireKnownProject` setting, GET/PUT
// /v1/portfolio/settings; off by default, so existing installations keep starting instances).
//
// With the setting on, POST /v1/instances (api/instances/routes.ts) is refused with 422 at
// `body.input.project` when the input's `project` is no project's code, or the code of a project
// in the phase `closed`, which takes no new work; the answer suggests a close code of an open
// project ("did you mean"), with the same limits as the policy checker's suggestions. An input
// without a `project` text is the process's business, not the portfolio's: it passes.
import { suggest } from '../../dsl/diagnostics/suggest.js';
import type { Store } from '../../store/index.js';
import { ApiError } from '../errors.js';
import { ALL_ROLES, json, route, type RouteSpec } from '../route.js';
import { linkingBody, linkingView, projectCode, unlinkedQuery, unlinkedView } from './schemas.js';

/** The phase of a project that is over: it takes no new instances. */
export const CLOSED_PHASE = 'closed';

/** Codes a "did you mean" compares with: the portfolio is a PMO's list, hundreds of projects. */
const MAX_CODES = 10_000;

const WRITERS = ['pmo', 'admin'] as const;

/** The codes of the projects that take new instances. */
async function openCodes(store: Store): Promise<string[]> {
  const codes = await store.projects.codes(MAX_CODES);
  return codes.filter((c) => c.phase !== CLOSED_PHASE).map((c) => c.code);
}

/** A project text as a project code (`intranet` → `INTRANET`), or null when it cannot be one. */
export function codeFor(text: string): string | null {
  const code = text
    .toUpperCase()
    .replace(/[^A-Z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
  return projectCode.safeParse(code).success ? code : null;
}

/**
 * The refusal of an instance start whose input names no open project, when the PMO requires
 * known projects; null when the start may go ahead.
 */
export async function startProjectRefusal(
  store: Store,
  input: Record<string, unknown>,
): Promise<ApiError | null> {
  const text = input['project'];
  if (typeof text !== 'string') return null;
  if (!(await store.projects.linking()).requireKnownProject) return null;
  const project = await store.projects.get(text);
  if (project !== null && project.phase !== CLOSED_PHASE) return null;
  let message: string;
  let suggestion: string | undefined;
  if (project !== null) {
    message = `project \`${text}\` is closed: it takes no new instances`;
  } else {
    suggestion = suggest(text, await openCodes(store));
    message =
      `no open project has the code \`${text}\`` +
      (suggestion === undefined ? '' : `; did you mean \`${suggestion}\`?`);
  }
  return new ApiError(
    422,
    'unknown-project',
    `body.input.project: ${message}`,
    [{ path: 'body.input.project', message }],
    suggestion === undefined ? {} : { suggestion },
  );
}

export function linkingRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/portfolio/unlinked',
      summary:
        'Project texts of instances that name no project, most instances first: how many instances, the newest start, a close code, the text as a code',
      roles: WRITERS,
      query: unlinkedQuery,
      response: unlinkedView,
      handler: async ({ deps, query }) => {
        const [found, codes] = await Promise.all([
          deps.store.projects.unlinked(query.limit),
          openCodes(deps.store),
        ]);
        return json({
          items: found.items.map((u) => ({
            text: u.text,
            instances: u.instances,
            newestStart: u.newestStart.toISOString(),
            suggestion: suggest(u.text, codes) ?? null,
            newCode: codeFor(u.text),
          })),
          total: found.total,
        });
      },
    }),
    route({
      method: 'get',
      path: '/portfolio/settings',
      summary: 'How instances name projects: whether a start must name a known, open project',
      roles: ALL_ROLES,
      response: linkingView,
      handler: async ({ deps }) => json(await deps.store.projects.linking()),
    }),
    route({
      method: 'put',
      path: '/portfolio/settings',
      summary:
        'Sets whether an instance start must name a known, open project (422 at body.input.project otherwise)',
      roles: WRITERS,
      body: linkingBody,
      response: linkingView,
      handler: async ({ deps, body }) => {
        await deps.store.projects.setLinking(body);
        return json(await deps.store.projects.linking());
      },
    }),
  ];
}
