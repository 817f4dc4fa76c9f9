// Routes of the PMO's qualifications: the registry (/v1/qualifications: everyone reads, the PMO
// and admins write), its holders with their standing today (the PMO, admins and auditors), a
// completion recorded one at a time or from a CSV file (the PMO and admins; import.ts), and a
// person's qualifications (theirs to read, and the PMO's, admins' and auditors').
//
// "Today" is the UTC day of the API's clock: the day standings are answered for, and the last day
// a completion may be recorded on (a course finishes before it counts). Every problem of one
// request is answered together, with its field path.
import { z } from 'zod';
import {
  CompletionConflictError,
  type Qualification,
  QualificationExistsError,
  QualificationNotFoundError,
  type Store,
  QualificationVersionConflictError,
} from '../../store/index.js';
import { hasRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, forbidden, invalidRequest, notFound, type Problem } from '../errors.js';
import { MAX_CSV_BYTES } from '../notifications/import.js';
import { pageOf, pageQuery } from '../paging.js';
import { ALL_ROLES, json, route, type RouteSpec, withOwnership } from '../route.js';
import { CSV_COLUMNS, problemPath, readCompletionsCsv } from './csv.js';
import { runImport } from './import.js';
import {
  completionView,
  createQualificationBody,
  holdersQuery,
  holderView,
  importQuery,
  importView,
  patchQualificationBody,
  personParams,
  personQualificationsView,
  qualificationParams,
  qualificationView,
  recordCompletionBody,
  showCompletion,
  showPersonQualifications,
  showQualification,
  showStanding,
} from './schemas.js';

const WRITERS = ['pmo', 'admin'] as const;
/** Who sees anyone's completions: a person's record is theirs and these roles'. */
const SEE_ALL = ['pmo', 'admin', 'auditor'] as const;

/** The UTC day of the API's clock, YYYY-MM-DD. */
const today = (deps: ApiDeps): string => deps.now().toISOString().slice(0, 10);

/** The entry, or 404 as for any unknown id. */
async function entryOf(store: Store, id: string): Promise<Qualification> {
  const entry = await store.qualifications.get(id);
  if (entry === null) throw notFound(`qualification ${id}`);
  return entry;
}

/** The entries shown with how many hold each validly today: one count read for all of them. */
async function shown(deps: ApiDeps, entries: readonly Qualification[]) {
  const counts = await deps.store.qualifications.validHolderCounts(
    entries.map((q) => q.id),
    today(deps),
  );
  return entries.map((q) => showQualification(q, counts.get(q.id) ?? 0));
}

const versionConflict = (error: QualificationVersionConflictError): ApiError =>
  new ApiError(
    409,
    'version-conflict',
    `qualification ${error.id} is at version ${error.actual}, not ${error.expected}: read it again and reapply the change`,
    [],
    { currentVersion: error.actual },
  );

function registryRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/qualifications',
      summary: 'The registry of qualifications by id, each with how many people hold it validly today',
      roles: ALL_ROLES,
      query: pageQuery,
      response: pageOf(qualificationView),
      handler: async ({ deps, query }) => {
        const page = await deps.store.qualifications.page(query.cursor ?? null, query.limit);
        return json({ items: await shown(deps, page.items), nextCursor: page.nextCursor });
      },
    }),
    route({
      method: 'post',
      path: '/qualifications',
      summary: 'Adds a qualification to the registry (409 when its id is taken)',
      roles: WRITERS,
      body: createQualificationBody,
      response: qualificationView,
      status: 201,
      handler: async ({ caller, deps, body }) => {
        const { id, ...fields } = body;
        try {
          const created = await deps.store.qualifications.create(id, fields, caller.person, deps.now());
          return json(showQualification(created, 0), 201);
        } catch (error) {
          if (error instanceof QualificationExistsError) {
            throw new ApiError(409, 'qualification-exists', `a qualification ${id} exists already`);
          }
          throw error;
        }
      },
    }),
    route({
      method: 'get',
      path: '/qualifications/:id',
      summary: 'A qualification (its `version` is what a PATCH expects) and how many hold it validly today',
      roles: ALL_ROLES,
      params: qualificationParams,
      response: qualificationView,
      handler: async ({ deps, params }) => {
        const [entry] = await shown(deps, [await entryOf(deps.store, params.id)]);
        return json(entry);
      },
    }),
    route({
      method: 'patch',
      path: '/qualifications/:id',
      summary:
        'Changes a qualification (409 when `version` is given and stale); a new validity applies to completions recorded from then on',
      roles: WRITERS,
      params: qualificationParams,
      body: patchQualificationBody,
      response: qualificationView,
      handler: async ({ caller, deps, params, body }) => {
        const { version, ...patch } = body;
        // Only the given fields: a key left out is no change.
        const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
        try {
          const updated = await deps.store.qualifications.update(
            params.id,
            changes,
            version ?? null,
            caller.person,
            deps.now(),
          );
          const [entry] = await shown(deps, [updated]);
          return json(entry);
        } catch (error) {
          if (error instanceof QualificationNotFoundError) throw notFound(`qualification ${params.id}`);
          if (error instanceof QualificationVersionConflictError) throw versionConflict(error);
          throw error;
        }
      },
    }),
  ];
}

function completionRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/qualifications/:id/holders',
      summary:
        'Who completed a qualification, by person, each with their latest completion and standing today (valid until, or expired on)',
      roles: SEE_ALL,
      params: qualificationParams,
      query: holdersQuery,
      response: pageOf(holderView),
      handler: async ({ deps, params, query }) => {
        await entryOf(deps.store, params.id);
        const page = await deps.store.qualifications.holders(
          params.id,
          today(deps),
          query.cursor ?? null,
          query.limit,
        );
        const items = page.items.map((h) => ({
          person: h.person,
          standing: showStanding(h.standing),
          latest: showCompletion(h.latest),
        }));
        return json({ items, nextCursor: page.nextCursor });
      },
    }),
    route({
      method: 'post',
      path: '/qualifications/:id/completions',
      summary:
        'Records that an active person completed a qualification on a day (201; 200 when the same completion was recorded before, 409 when with other evidence)',
      roles: WRITERS,
      params: qualificationParams,
      body: recordCompletionBody,
      response: completionView,
      status: 201,
      alsoStatus: [200],
      handler: async ({ caller, deps, params, body }) => {
        await entryOf(deps.store, params.id);
        const problems: Problem[] = [];
        if ((await deps.store.directoryQueries.notActiveAmong([body.person])).length > 0) {
          problems.push({ path: 'body.person', message: `${body.person} is not a known, active person` });
        }
        const day = today(deps);
        if (body.completedOn > day) {
          problems.push({
            path: 'body.completedOn',
            message: `is after today (${day}): record it once done`,
          });
        }
        if (problems.length > 0) throw invalidRequest(problems);
        try {
          const { completion, created } = await deps.store.qualifications.record(
            { ...body, qualification: params.id, source: 'admin' },
            caller.person,
            deps.now(),
          );
          return json(showCompletion(completion), created ? 201 : 200);
        } catch (error) {
          if (error instanceof CompletionConflictError) {
            throw new ApiError(
              409,
              'completion-conflict',
              `${error.message}; a completion is recorded once`,
              [],
              {
                existing: showCompletion(error.existing),
              },
            );
          }
          throw error;
        }
      },
    }),
    route({
      method: 'post',
      path: '/qualifications/completions/import',
      summary: `Records completions from a CSV file (text/csv, columns ${CSV_COLUMNS.join(', ')}): every row is checked and all new ones are recorded together, or none while any row is invalid (422 with each row's outcome); \`dryRun=true\` answers the same without recording`,
      roles: WRITERS,
      query: importQuery,
      body: z.string().max(MAX_CSV_BYTES).describe('the CSV file'),
      consumes: 'text/csv',
      response: importView,
      handler: async ({ caller, deps, query, body }) => {
        const csv = readCompletionsCsv(body, today(deps));
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

/** A person's qualifications today, or 404 for someone the directory never knew. */
async function personAnswer(deps: ApiDeps, person: string) {
  const on = today(deps);
  const items = await deps.store.qualifications.ofPerson(person, on);
  if (items.length === 0 && (await deps.store.directory.person(person)) === null) {
    throw notFound(`person ${person}`);
  }
  return showPersonQualifications(person, on, items);
}

function personRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/people/:id/qualifications',
      summary:
        "A person's qualifications: standing today and every completion (the person themself, the PMO, admins and auditors)",
      roles: ALL_ROLES,
      params: personParams,
      response: personQualificationsView,
      handler: async ({ caller, deps, params }) => {
        if (params.id !== caller.person && !hasRole(caller, ...SEE_ALL)) {
          throw forbidden(
            `${caller.person} may only read their own qualifications, not those of ${params.id}`,
          );
        }
        return json(await personAnswer(deps, params.id));
      },
    }),
    route({
      method: 'get',
      path: '/me/qualifications',
      summary: "The caller's qualifications: standing today and every completion",
      roles: ALL_ROLES,
      response: personQualificationsView,
      handler: async ({ caller, deps }) => {
        const on = today(deps);
        const items = await deps.store.qualifications.ofPerson(caller.person, on);
        return json(showPersonQualifications(caller.person, on, items));
      },
    }),
  ];
}

export function qualificationsRoutes(): RouteSpec[] {
  return [
    ...registryRoutes(),
    ...completionRoutes(),
    ...withOwnership(personRoutes(), {
      // Everyone may know a person exists (the directory is public): a refusal tells nothing.
      'GET /people/:id/qualifications': {
        param: 'id',
        object: 'person',
        seeAll: [...SEE_ALL],
        othersGet: 403,
      },
    }),
  ];
}
