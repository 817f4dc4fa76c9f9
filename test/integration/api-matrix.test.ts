// Every route of the route table, called over real HTTP by every role, without a token, and with
// bad input of every kind. The table is the one the app mounts and the OpenAPI document shows, so
// a new route is covered the day it is added. What must hold everywhere:
// - no token or an unknown one: 401; a role the route does not declare: 403;
// - a declared role never gets 401/403 for asking about an object that does not exist: 404 or
//   a 4xx about the input, never a 5xx (and never a hint that someone else's object exists);
// - malformed JSON: 400; a body over the limit: 413; wrong types, missing fields: 422 with field
//   paths; none of them a 5xx.
import { ROLES, type Role } from '../../store/index.js';
import type { RouteSpec } from '../../api/route.js';
import { allRoutes } from '../../api/routes.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';

interface ErrorAnswer {
  error?: { code: string; message: string; problems?: { path: string; message: string }[] };
}

const routes = allRoutes();
/** Path parameters filled with ids nobody has: the routes must answer about them calmly. */
const pathOf = (spec: RouteSpec): string =>
  `/v1${spec.path.replace(/:(\w+)/g, (_, name: string) => (name === 'version' ? '999' : `no-such-${name}`))}`;
const named = (spec: RouteSpec): string => `${spec.method.toUpperCase()} /v1${spec.path}`;

describe('every route, every role', () => {
  let api: ApiHarness;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    for (const role of ROLES) tokens.set(role, await api.tokenFor(`matrix-${role}@halden.example`, [role]));
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  test('the route table is not empty and every route declares at least one role, or is public', () => {
    expect(routes.length).toBeGreaterThan(20);
    for (const spec of routes) expect(spec.public === true || spec.roles.length > 0).toBe(true);
    // Public routes are the sign-in ones only: a new public route must be added here on purpose.
    expect(routes.filter((spec) => spec.public).map(named)).toEqual([
      'POST /v1/session',
      'GET /v1/session/demo-people',
      'GET /v1/session/single-sign-on',
      'GET /v1/session/oidc',
      'GET /v1/session/oidc/callback',
    ]);
  });

  test.each(routes.map((spec) => [named(spec), spec] as const))('%s', async (_name, spec) => {
    const method = spec.method.toUpperCase();
    const path = pathOf(spec);
    const body = spec.method === 'get' || spec.method === 'delete' ? undefined : {};
    const outcomes: string[] = [];
    const anonymous = await api.call<ErrorAnswer>(method, path, { body });
    if (anonymous.status !== 401 && !spec.public) outcomes.push(`no token: ${anonymous.status}`);
    if (spec.public && (anonymous.status === 401 || anonymous.status >= 500)) {
      outcomes.push(`public route without a token: ${anonymous.status}`);
    }
    const forged = await api.call<ErrorAnswer>(method, path, { token: 'chr_forged', body });
    if (forged.status !== 401 && !spec.public) outcomes.push(`unknown token: ${forged.status}`);
    for (const role of ROLES) {
      const answer = await api.call<ErrorAnswer>(method, path, { token: tokens.get(role) ?? null, body });
      const allowed = spec.public === true || spec.roles.includes(role);
      if (!allowed && answer.status !== 403) outcomes.push(`${role} (not allowed): ${answer.status}`);
      if (allowed && (answer.status === 401 || answer.status === 403 || answer.status >= 500)) {
        outcomes.push(`${role} (allowed): ${answer.status} ${answer.text.slice(0, 200)}`);
      }
      if (answer.status >= 400 && answer.body?.error?.code === undefined) {
        outcomes.push(`${role}: ${answer.status} without the error body`);
      }
    }
    expect(outcomes).toEqual([]);
  });
});

describe('bad input on every route that takes a body or a query', () => {
  let api: ApiHarness;
  let admin: string;

  beforeAll(async () => {
    api = await startApiHarness(`${import.meta.url}-input`, { worker: false });
    // One person with every role: bad input must be refused for what it is, not for who sends it.
    admin = await api.tokenFor('matrix-all@halden.example', [...ROLES]);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const withBody = routes.filter((spec) => spec.body !== undefined);
  const withQuery = routes.filter((spec) => spec.query !== undefined);

  test.each(withBody.map((spec) => [named(spec), spec] as const))(
    '%s: malformed, huge, wrong',
    async (_n, spec) => {
      const method = spec.method.toUpperCase();
      const path = pathOf(spec);
      const malformed = await api.call<ErrorAnswer>(method, path, { token: admin, rawBody: '{"a": ' });
      expect([malformed.status, malformed.body?.error?.code]).toEqual([400, 'malformed-json']);
      const huge = await api.call<ErrorAnswer>(method, path, {
        token: admin,
        body: { padding: 'x'.repeat(2 * 1024 * 1024) },
      });
      expect([huge.status, huge.body?.error?.code]).toEqual([413, 'too-large']);
      for (const wrong of [[], 42, 'text', { unexpected: { nested: [1, 2, 3] } }]) {
        const answer = await api.call<ErrorAnswer>(method, path, { token: admin, body: wrong });
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        if (answer.status === 422 && answer.body?.error?.code === 'invalid-request') {
          expect(answer.body.error.problems?.[0]?.path).toMatch(/^(body|params|query)/);
        }
      }
    },
  );

  test.each(withQuery.map((spec) => [named(spec), spec] as const))(
    '%s: garbage query values',
    async (_n, spec) => {
      const path = pathOf(spec);
      const garbage = '?limit=-5&cursor=%00%ff&from=yesterday&to=never&version=abc&status=%7B%7D';
      const answer = await api.call<ErrorAnswer>(spec.method.toUpperCase(), `${path}${garbage}`, {
        token: admin,
      });
      // A route may ignore parameters it does not take; it may not fail on them.
      expect(answer.status).toBeLessThan(500);
      if (answer.status >= 400) expect(answer.body?.error?.code).toBeDefined();
    },
  );
});
