// Routes of the portfolio: projects as records (/v1/projects: list with filters, create, read,
// patch, history; the list as a CSV file and a CSV file imported, export.ts and import.ts), the
// PMO's list of phases (/v1/portfolio/phases) and how instances name projects (linking.ts).
// Everyone reads; the PMO and admins write.
//
// The store keeps a project's versions and history (store/projects.ts); here a request is checked
// against what only the store knows: the phase must be one of the PMO's, the manager and sponsor
// active people, and a patched end must not fall before the stored start (or the reverse). Every
// problem of one request is answered together, with its field path.
import { z } from 'zod';
import type { Store } from '../../store/index.js';
import {
  type Project,
  type ProjectFields,
  type ProjectFilter,
  ProjectExistsError,
  ProjectNotFoundError,
  ProjectVersionConflictError,
} from '../../store/projects.js';
import { ApiError, invalidRequest, notFound, type Problem } from '../errors.js';
import { findingsHealthOf } from '../findings/health.js';
import { MAX_CSV_BYTES } from '../notifications/import.js';
import { pageOf, pageQuery } from '../paging.js';
import { ALL_ROLES, json, route, type RouteSpec } from '../route.js';
import { CSV_COLUMNS, problemPath, readProjectsCsv } from './csv.js';
import { streamProjectsCsv } from './export.js';
import { runImport } from './import.js';
import { linkingRoutes } from './linking.js';
import {
  changeView,
  createProjectBody,
  endProblem,
  exportQuery,
  importQuery,
  importView,
  patchProjectBody,
  phasesBody,
  phasesView,
  projectParams,
  projectsQuery,
  projectView,
  showChange,
  showProject,
} from './schemas.js';

const WRITERS = ['pmo', 'admin'] as const;

/** The fields of a request that the store must vouch for, as far as the request gives them. */
interface Checked {
  phase?: string | undefined;
  manager?: string | null | undefined;
  sponsor?: string | null | undefined;
}

/** Problems of the phase and people of a request: not one of the PMO's phases, nobody active. */
async function storeProblems(store: Store, fields: Checked): Promise<Problem[]> {
  const problems: Problem[] = [];
  if (fields.phase !== undefined) {
    const phases = await store.projects.phases();
    if (!phases.includes(fields.phase)) {
      problems.push({
        path: 'body.phase',
        message: `${fields.phase} is not a phase of this PMO (the phases are: ${phases.join(', ')})`,
      });
    }
  }
  const people = (['manager', 'sponsor'] as const).flatMap((key) => {
    const id = fields[key];
    return typeof id === 'string' ? [{ key, id }] : [];
  });
  if (people.length > 0) {
    const missing = new Set(await store.directoryQueries.notActiveAmong(people.map((p) => p.id)));
    for (const { key, id } of people) {
      if (missing.has(id))
        problems.push({ path: `body.${key}`, message: `${id} is not a known, active person` });
    }
  }
  return problems;
}

/** Projects as the API shows them, each with the health its live findings give it (one read). */
async function shown(store: Store, projects: readonly Project[]): Promise<ReturnType<typeof showProject>[]> {
  const health = await findingsHealthOf(
    store,
    projects.map((p) => p.code),
  );
  return projects.map((p) => showProject(p, health.get(p.code) ?? null));
}

/** The project, or 404 as for any unknown code. */
async function projectOf(store: Store, code: string): Promise<Project> {
  const project = await store.projects.get(code);
  if (project === null) throw notFound(`project ${code}`);
  return project;
}

const versionConflict = (error: ProjectVersionConflictError): ApiError =>
  new ApiError(
    409,
    'version-conflict',
    `project ${error.code} is at version ${error.actual}, not ${error.expected}: read it again and reapply the change`,
    [],
    { currentVersion: error.actual },
  );

/** Errors of a patch with an answer of their own: the project went away, or moved past `version`. */
function patchError(error: unknown): Error {
  if (error instanceof ProjectNotFoundError) return notFound(`project ${error.code}`);
  if (error instanceof ProjectVersionConflictError) return versionConflict(error);
  return error instanceof Error ? error : new Error(String(error));
}

/** Only the filters given: the store reads a present key as a condition. */
const filterOf = (given: Record<string, unknown>): ProjectFilter =>
  Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));

/** The CSV routes: declared before `/projects/:code`, which would otherwise take `export` as a code. */
function csvRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/projects/export',
      summary: `Every project the list's filters match as a CSV download (columns: ${CSV_COLUMNS.join(', ')}; tags joined with ";"), which the import reads back unchanged`,
      roles: ALL_ROLES,
      query: exportQuery,
      produces: ['text/csv'],
      handler: async ({ deps, query, res }) => {
        await streamProjectsCsv(deps.store, filterOf(query), res, deps.now());
        return { streamed: true };
      },
    }),
    route({
      method: 'post',
      path: '/projects/import',
      summary:
        "Creates and updates projects from a CSV file (text/csv, the export's columns, `code` required): every row is checked like a create or a patch and all are written together, or none while any row is invalid (422 with each row's outcome); `dryRun=true` answers the same without writing",
      roles: WRITERS,
      query: importQuery,
      body: z.string().max(MAX_CSV_BYTES).describe('the CSV file'),
      consumes: 'text/csv',
      response: importView,
      handler: async ({ caller, deps, query, body }) => {
        const csv = readProjectsCsv(body);
        if (!csv.ok) {
          const problems = csv.problems.map((p) => ({ path: problemPath(p), message: p.message }));
          const first = csv.problems[0]?.message ?? 'the file cannot be read';
          throw new ApiError(422, 'invalid-csv', `${first}; nothing was imported`, problems);
        }
        const options = { dryRun: query.dryRun, by: caller.person, at: deps.now() };
        return json(await runImport(deps.store, csv.rows, options));
      },
    }),
  ];
}

function projectRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/projects',
      summary: 'Projects by code, filtered by phase, health, manager or tag',
      roles: ALL_ROLES,
      query: projectsQuery,
      response: pageOf(projectView),
      handler: async ({ deps, query }) => {
        const { cursor, limit, ...given } = query;
        const page = await deps.store.projects.page(filterOf(given), cursor ?? null, limit);
        return json({ items: await shown(deps.store, page.items), nextCursor: page.nextCursor });
      },
    }),
    route({
      method: 'post',
      path: '/projects',
      summary: 'Creates a project (409 when its code is taken)',
      roles: WRITERS,
      body: createProjectBody,
      response: projectView,
      status: 201,
      handler: async ({ caller, deps, body }) => {
        const { code, ...fields } = body;
        const problems = await storeProblems(deps.store, fields);
        if (problems.length > 0) throw invalidRequest(problems);
        try {
          const created = await deps.store.projects.create(code, fields, caller.person, deps.now());
          return json((await shown(deps.store, [created]))[0], 201);
        } catch (error) {
          if (error instanceof ProjectExistsError) {
            throw new ApiError(409, 'project-exists', `a project ${code} exists already`);
          }
          throw error;
        }
      },
    }),
    route({
      method: 'get',
      path: '/projects/:code',
      summary: 'A project (its `version` is what a PATCH expects)',
      roles: ALL_ROLES,
      params: projectParams,
      response: projectView,
      handler: async ({ deps, params }) =>
        json((await shown(deps.store, [await projectOf(deps.store, params.code)]))[0]),
    }),
    route({
      method: 'patch',
      path: '/projects/:code',
      summary: 'Changes some fields of a project (409 when `version` is given and stale)',
      roles: WRITERS,
      params: projectParams,
      body: patchProjectBody,
      response: projectView,
      handler: async ({ caller, deps, params, body }) => {
        const { version, ...patch } = body;
        const stored = await projectOf(deps.store, params.code);
        const problems = await storeProblems(deps.store, patch);
        // The range as it would be: the given dates over the stored ones.
        const start = patch.start === undefined ? stored.start : patch.start;
        const end = patch.end === undefined ? stored.end : patch.end;
        const range = endProblem(start, end);
        if (range !== null) {
          const path = patch.end === undefined ? 'body.start' : 'body.end';
          const message = patch.end === undefined ? `must not be after end (${String(end)})` : range;
          problems.push({ path, message });
        }
        if (problems.length > 0) throw invalidRequest(problems);
        try {
          // Only the given fields: a key left out is no change (the schema's optional keys are undefined).
          const changes = Object.fromEntries(
            Object.entries(patch).filter(([, value]) => value !== undefined),
          ) as Partial<ProjectFields>;
          const updated = await deps.store.projects.update(
            params.code,
            changes,
            version ?? null,
            caller.person,
            deps.now(),
          );
          return json((await shown(deps.store, [updated]))[0]);
        } catch (error) {
          throw patchError(error);
        }
      },
    }),
    route({
      method: 'get',
      path: '/projects/:code/history',
      summary: "A project's changes, newest first: who changed which field, from what to what",
      roles: ALL_ROLES,
      params: projectParams,
      query: pageQuery,
      response: pageOf(changeView),
      handler: async ({ deps, params, query }) => {
        // An unknown code has no history rather than an empty one: 404, as for the project.
        await projectOf(deps.store, params.code);
        const page = await deps.store.projects.history(params.code, query.cursor ?? null, query.limit);
        return json({ items: page.items.map(showChange), nextCursor: page.nextCursor });
      },
    }),
  ];
}

function phaseRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/portfolio/phases',
      summary: "The PMO's project phases, in order",
      roles: ALL_ROLES,
      response: phasesView,
      handler: async ({ deps }) => json({ phases: await deps.store.projects.phases() }),
    }),
    route({
      method: 'put',
      path: '/portfolio/phases',
      summary: "Replaces the PMO's project phases (projects keep the phase they are in)",
      roles: WRITERS,
      body: phasesBody,
      response: phasesView,
      handler: async ({ deps, body }) => {
        await deps.store.projects.setPhases(body.phases);
        return json({ phases: await deps.store.projects.phases() });
      },
    }),
  ];
}

export function projectsRoutes(): RouteSpec[] {
  return [...csvRoutes(), ...projectRoutes(), ...phaseRoutes(), ...linkingRoutes()];
}
