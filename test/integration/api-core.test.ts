// The API's contract, route-independent, over real HTTP with real servers: tokens (401 vs 403),
// one error body shape, malformed and oversized bodies, no framework fingerprints, health and
// readiness, the OpenAPI document, and Idempotency-Key replays on POST.
import type { Server } from 'node:http';
import { z } from 'zod';
import { createApp } from '../../api/app.js';
import { json, route, type RouteSpec } from '../../api/route.js';
import { allRoutes } from '../../api/routes.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';

interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: {
    schemas: { Error: { properties: { error: { properties: object; additionalProperties?: unknown } } } };
  };
}

interface ErrorAnswer {
  error: {
    code: string;
    message: string;
    problems?: { path: string; message: string }[];
    requestId?: string;
  };
}

describe('the API contract over HTTP', () => {
  let api: ApiHarness;
  let author: string;

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    author = await api.tokenFor('rita.sommer@halden.example', ['author']);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  test('a missing, malformed or unknown token is 401 with the one error shape', async () => {
    for (const token of [null, 'chr_unknown']) {
      const answer = await api.call<ErrorAnswer>('GET', '/v1/me', { token });
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('unauthorized');
      expect(answer.body.error.requestId).toEqual(answer.headers.get('x-request-id'));
    }
    const basic = await api.call<ErrorAnswer>('GET', '/v1/me', { headers: { authorization: 'Basic abc' } });
    expect(basic.status).toBe(401);
    expect(basic.body.error.message).toContain('Bearer');
  });

  test('a known token answers who is calling; a revoked one no longer does', async () => {
    const me = await api.call<{ person: string; roles: string[] }>('GET', '/v1/me', { token: author });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ person: 'rita.sommer@halden.example', roles: ['author'] });
    const stored = await api.store.tokens.find((await import('../../api/auth.js')).tokenHash(author));
    expect(stored?.person).toBe('rita.sommer@halden.example');
    const other = await api.tokenFor('temp@halden.example', ['auditor']);
    await api.store.tokens.revokeHash((await import('../../api/auth.js')).tokenHash(other), new Date());
    expect((await api.call('GET', '/v1/me', { token: other })).status).toBe(401);
  });

  test('headers over the limit are 431 and a `__proto__` member is 422, each in the error shape', async () => {
    const answer = await fetch(`${api.base}/v1/me`, { headers: { 'x-filler': 'x'.repeat(20_000) } });
    expect(answer.status).toBe(431);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await answer.json()) as ErrorAnswer).error.code).toBe('headers-too-large');
    // JSON.parse keeps the member; zod would drop it without a word, so it is refused at its path.
    const started = await api.call<ErrorAnswer>('POST', '/v1/instances', {
      token: await api.tokenFor('ivan.petrov@halden.example', ['requester']),
      body: JSON.parse('{"policy": "p", "process": "q", "input": {"__proto__": {"x": 1}}}') as unknown,
    });
    expect(started.status).toBe(422);
    expect(started.body.error.problems?.map((p) => p.path)).toEqual(['body.input.__proto__']);
  });

  test('no x-powered-by, no stack traces; unknown routes are 404 in the same shape', async () => {
    const answer = await api.call<ErrorAnswer>('GET', '/v1/nothing-here', { token: author });
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('no-such-route');
    expect(answer.headers.get('x-powered-by')).toBeNull();
    expect(answer.text).not.toMatch(/at .*\.ts:\d+/);
  });

  test('health answers at once; readiness checks MongoDB and Temporal', async () => {
    expect((await api.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await api.call<Record<string, string>>('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', mongo: 'ok', temporal: 'ok' });
  });

  test('the OpenAPI 3.1 document describes every route with its roles', async () => {
    const answer = await api.call<{
      openapi: string;
      paths: Record<string, Record<string, { 'x-roles': string[] }>>;
    }>('GET', '/openapi.json');
    expect(answer.body.openapi).toBe('3.1.0');
    for (const spec of allRoutes()) {
      const path = `/v1${spec.path.replace(/:(\w+)/g, '{$1}')}`;
      expect(answer.body.paths[path]?.[spec.method]?.['x-roles']).toEqual(spec.roles);
    }
    const docs = await api.call('GET', '/docs');
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(docs.text).toContain('/openapi.json');
  });

  test('the document allows what the routes answer: 201 from a PUT that created, diagnostics in a 422', async () => {
    const document = (await api.call<OpenApi>('GET', '/openapi.json')).body;
    const admin = await api.tokenFor('ada.admin@halden.example', ['admin']);
    const put = () =>
      api.call('PUT', '/v1/directory/people/nina.new@halden.example', {
        token: admin,
        body: { name: 'Nina New', manager: null },
      });
    expect([(await put()).status, (await put()).status]).toEqual([201, 200]);
    expect(Object.keys(document.paths['/v1/directory/people/{id}']?.['put']?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '201']),
    );
    const invalid = await api.call<{ error: Record<string, unknown> }>('POST', '/v1/policies/validate', {
      token: author,
      body: { source: 'policy "x" version 1 effective 2026-01-01\nrole r = group' },
    });
    expect(invalid.status).toBe(422);
    const error = document.components.schemas.Error.properties.error;
    // Every member of the answer is one the document declares or allows.
    for (const member of Object.keys(invalid.body.error)) {
      expect([member, member in error.properties || error.additionalProperties !== false]).toEqual([
        member,
        true,
      ]);
    }
    expect(Object.keys(invalid.body.error)).toContain('diagnostics');
    expect(error.properties).toHaveProperty('diagnostics');
  });
});

describe('bodies and Idempotency-Key, on a probe route that counts its effects', () => {
  let api: ApiHarness;
  let token: string;
  let effects = 0;
  let server: Server;
  let base = '';

  const probe: RouteSpec = route({
    method: 'post',
    path: '/probe',
    summary: 'test only',
    roles: ['requester'],
    body: z.object({ n: z.number().int(), note: z.string().max(20).optional() }),
    status: 201,
    handler: async ({ body }) => {
      effects += 1;
      await new Promise((resolve) => setTimeout(resolve, 150));
      if (body.n < 0) throw new (await import('../../api/errors.js')).ApiError(409, 'negative', 'n < 0');
      return json({ n: body.n, effect: effects });
    },
  });

  beforeAll(async () => {
    api = await startApiHarness(`${import.meta.url}-probe`, { worker: false });
    token = await api.tokenFor('ivan.petrov@halden.example', ['requester']);
    server = createApp(api.deps, { routes: [probe], bodyLimit: 1024 }).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const address = server.address();
    base = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
  }, 60_000);

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await api?.close();
  });

  const post = async (body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}/v1/probe`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: JSON.parse(text) as ErrorAnswer & Record<string, unknown>,
    };
  };

  test('malformed JSON is 400, a body over the limit 413, wrong fields 422 with field paths', async () => {
    expect((await post('{"n": 1')).body.error.code).toBe('malformed-json');
    const huge = await post(JSON.stringify({ n: 1, note: 'x'.repeat(5000) }));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('too-large');
    const wrong = await post(JSON.stringify({ n: 'one', note: 'y'.repeat(30) }));
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.problems?.map((p) => p.path)).toEqual(['body.n', 'body.note']);
    const before = effects;
    expect((await post('[]')).status).toBe(422);
    expect(effects).toBe(before);
  });

  test('the same key and body twice: one effect, the same answer, marked as a replay', async () => {
    const before = effects;
    const first = await post(JSON.stringify({ n: 7 }), { 'idempotency-key': 'k-1' });
    const second = await post(JSON.stringify({ n: 7 }), { 'idempotency-key': 'k-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(effects).toBe(before + 1);
  });

  test('the same key concurrently: one runs, the others are told it is in progress or replayed', async () => {
    const before = effects;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => post(JSON.stringify({ n: 9 }), { 'idempotency-key': 'k-2' })),
    );
    expect(effects).toBe(before + 1);
    for (const a of answers) expect([201, 409]).toContain(a.status);
    expect(
      answers.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') === null),
    ).toHaveLength(1);
    const later = await post(JSON.stringify({ n: 9 }), { 'idempotency-key': 'k-2' });
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBe('true');
  });

  test('the same key on a different body is refused; a refused request replays its refusal', async () => {
    await post(JSON.stringify({ n: 1 }), { 'idempotency-key': 'k-3' });
    const reused = await post(JSON.stringify({ n: 2 }), { 'idempotency-key': 'k-3' });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency-key-reused');
    const before = effects;
    const refused = await post(JSON.stringify({ n: -1 }), { 'idempotency-key': 'k-4' });
    const again = await post(JSON.stringify({ n: -1 }), { 'idempotency-key': 'k-4' });
    expect(refused.status).toBe(409);
    expect(again.body).toEqual(refused.body);
    expect(effects).toBe(before + 1);
  });
});
