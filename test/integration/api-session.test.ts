// Browser sessions beside bearer tokens, change detection by ETag, the `pmo` role and the console's
// static files, over real HTTP with real servers. What must hold:
// - signing in answers with an HttpOnly, SameSite=Strict cookie and a CSRF token; the cookie alone
//   reads, a mutation also needs the CSRF header; sign-out and expiry end the session (401);
// - a read answers with an ETag made from its content: the same from any API process on the same
//   data, 304 for If-None-Match while nothing changed, a new tag once something did;
// - the console's page is served for deep links with a strict Content-Security-Policy, its hashed
//   assets are cached for a year, and the API's own paths are never answered with the page.
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../../api/app.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';
import { databaseNameFor } from '../support/services.js';

interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string; message: string }[] };
}
interface SessionAnswer {
  person: string;
  roles: string[];
  csrfToken: string | null;
  expiresAt: string | null;
}

const cookieFrom = (headers: Headers): string => {
  const set = headers.get('set-cookie') ?? '';
  return set.split(';')[0] ?? '';
};

describe('browser sessions', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, {
      worker: false,
      demoPeople: [{ person: 'demo.pmo@halden.example', roles: ['pmo'], why: 'plans people' }],
    });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const signIn = async (person: string, roles: Parameters<ApiHarness['tokenFor']>[1]) => {
    const token = await api.tokenFor(person, roles);
    const answer = await api.call<SessionAnswer>('POST', '/v1/session', { body: { token } });
    expect(answer.status).toBe(201);
    return { cookie: cookieFrom(answer.headers), csrf: answer.body.csrfToken ?? '', answer };
  };

  test('when signing in with a token, then the cookie is HttpOnly, SameSite=Strict, and reads work with it alone', async () => {
    const { cookie, csrf, answer } = await signIn('sess.reader@halden.example', ['approver']);
    const flags = answer.headers.get('set-cookie') ?? '';
    expect(flags).toMatch(/^charter_session=[A-Za-z0-9_-]{43};/);
    expect(flags).toMatch(/HttpOnly/);
    expect(flags).toMatch(/SameSite=Strict/);
    expect(flags).toMatch(/Path=\//);
    expect(csrf.length).toBeGreaterThanOrEqual(24);
    expect(answer.body).toMatchObject({ person: 'sess.reader@halden.example', roles: ['approver'] });
    const me = await api.call('GET', '/v1/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    const session = await api.call<SessionAnswer>('GET', '/v1/session', { headers: { cookie } });
    expect(session.body.csrfToken).toBe(csrf);
  });

  test('when a browser mutation lacks the CSRF token or carries a wrong one, then it is refused with 403 csrf-token', async () => {
    const { cookie, csrf } = await signIn('sess.writer@halden.example', ['approver']);
    const body = { to: 'someone@halden.example', start: '2030-01-01T00:00:00Z', end: '2030-01-02T00:00:00Z' };
    for (const headers of [{ cookie }, { cookie, 'x-csrf-token': `${csrf.slice(0, -1)}x` }]) {
      const refused = await api.call<ErrorAnswer>('POST', '/v1/directory/delegations', { headers, body });
      expect([refused.status, refused.body.error.code]).toEqual([403, 'csrf-token']);
    }
    // With the token the request reaches the route, which judges the body itself.
    const judged = await api.call<ErrorAnswer>('POST', '/v1/directory/delegations', {
      headers: { cookie, 'x-csrf-token': csrf },
      body,
    });
    expect(judged.status).not.toBe(403);
    expect(judged.status).not.toBe(401);
  });

  test('when signing out, then the session is gone on the server: the same cookie gets 401', async () => {
    const { cookie, csrf } = await signIn('sess.leaver@halden.example', ['auditor']);
    const out = await api.call<{ signedOut: boolean }>('DELETE', '/v1/session', {
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect([out.status, out.body.signedOut]).toEqual([200, true]);
    expect(out.headers.get('set-cookie')).toMatch(/charter_session=;.*Expires=Thu, 01 Jan 1970/);
    const after = await api.call<ErrorAnswer>('GET', '/v1/me', { headers: { cookie } });
    expect([after.status, after.body.error.message]).toEqual([
      401,
      'the session has expired or was ended; sign in again',
    ]);
  });

  test('when a session has expired, then it is refused even before the TTL monitor removes it', async () => {
    const now = new Date();
    await api.store.sessions.add({
      hash: createHash('sha256').update('expired-session-id').digest('hex'),
      person: 'sess.old@halden.example',
      roles: ['approver'],
      csrf: 'x'.repeat(32),
      createdAt: new Date(now.getTime() - 13 * 3_600_000),
      expiresAt: new Date(now.getTime() - 3_600_000),
    });
    const answer = await api.call('GET', '/v1/me', {
      headers: { cookie: 'charter_session=expired-session-id' },
    });
    expect(answer.status).toBe(401);
    const indexes = await api.mongo
      .db(databaseNameFor(import.meta.url))
      .collection('sessions')
      .indexes();
    expect(indexes.find((i) => i.name === 'expiry')).toMatchObject({
      key: { expiresAt: 1 },
      expireAfterSeconds: 0,
    });
  });

  test('when the sign-in body is wrong, then 401 or 422 says which field, and nothing is set', async () => {
    const wrongToken = await api.call<ErrorAnswer>('POST', '/v1/session', { body: { token: 'chr_nope' } });
    expect([wrongToken.status, wrongToken.body.error.message]).toEqual([
      401,
      'the token is unknown, expired or revoked',
    ]);
    expect(wrongToken.headers.get('set-cookie')).toBeNull();
    const both = await api.call<ErrorAnswer>('POST', '/v1/session', { body: { token: 'a', person: 'b' } });
    expect([both.status, both.body.error.problems?.[0]?.path]).toEqual([422, 'body']);
    const stranger = await api.call<ErrorAnswer>('POST', '/v1/session', {
      body: { person: 'nobody@halden.example' },
    });
    expect([stranger.status, stranger.body.error.problems?.[0]]).toEqual([
      422,
      { path: 'body.person', message: 'nobody@halden.example is not a demo person' },
    ]);
  });

  test('when the demo runs, then its people are listed and one can be picked without a token', async () => {
    const people = await api.call<{ enabled: boolean; people: { person: string }[] }>(
      'GET',
      '/v1/session/demo-people',
    );
    expect(people.body).toEqual({
      enabled: true,
      people: [{ person: 'demo.pmo@halden.example', roles: ['pmo'], why: 'plans people' }],
    });
    const picked = await api.call<SessionAnswer>('POST', '/v1/session', {
      body: { person: 'demo.pmo@halden.example' },
    });
    expect([picked.status, picked.body.roles]).toEqual([201, ['pmo']]);
  });

  test('when a pmo lead calls, then they read the audit, every instance and people, and may not publish', async () => {
    const pmo = await api.tokenFor('sess.pmo@halden.example', ['pmo']);
    for (const path of [
      '/v1/audit/events',
      '/v1/instances',
      '/v1/directory/delegations',
      '/v1/reports/cycle-time',
    ]) {
      expect([path, (await api.call('GET', path, { token: pmo })).status]).toEqual([path, 200]);
    }
    const publish = await api.call('POST', '/v1/policies', { token: pmo, body: { sources: [] } });
    expect(publish.status).toBe(403);
  });
});

describe('change detection by ETag', () => {
  let api: ApiHarness;
  let second: Server;
  let secondBase: string;

  beforeAll(async () => {
    api = await startApiHarness(`${import.meta.url}-etag`, { worker: false });
    // A second API process on the same database, as behind a load balancer.
    second = createApp(api.deps).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => second.once('listening', () => resolve()));
    secondBase = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    second?.closeAllConnections();
    await new Promise<void>((resolve) => (second ? second.close(() => resolve()) : resolve()));
    await api?.close();
  });

  test('when nothing changed, then If-None-Match gets 304 from either process; after a change, a new tag', async () => {
    const person = 'etag.person@halden.example';
    const token = await api.tokenFor(person, ['approver']);
    const first = await api.call('GET', '/v1/directory/delegations', { token });
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const again = await api.call('GET', '/v1/directory/delegations', {
      token,
      headers: { 'if-none-match': etag },
    });
    expect([again.status, again.text]).toEqual([304, '']);
    const elsewhere = await fetch(`${secondBase}/v1/directory/delegations`, {
      headers: { authorization: `Bearer ${token}`, 'if-none-match': etag },
    });
    expect(elsewhere.status).toBe(304);

    await api.store.directory.upsertPerson({
      id: 'etag.colleague@halden.example',
      name: 'Colleague',
      manager: null,
      active: true,
    });
    await api.store.directory.upsertPerson({ id: person, name: 'Person', manager: null, active: true });
    const made = await api.call('POST', '/v1/directory/delegations', {
      token,
      body: {
        to: 'etag.colleague@halden.example',
        start: '2030-01-01T00:00:00Z',
        end: '2030-01-05T00:00:00Z',
      },
    });
    expect(made.status).toBe(201);
    const changed = await api.call('GET', '/v1/directory/delegations', {
      token,
      headers: { 'if-none-match': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });
});

describe('the console at /', () => {
  let api: ApiHarness;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'charter-console-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>console</title><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log("hi")');
    api = await startApiHarness(`${import.meta.url}-console`, { worker: false, consoleDir: dir });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  test('when a browser opens a deep link, then it gets the page, revalidated, under a strict CSP', async () => {
    for (const link of ['/', '/tasks/inst-1%2Fapprove', '/instances/x']) {
      const page = await api.call('GET', link, { headers: { accept: 'text/html' } });
      expect([link, page.status]).toEqual([link, 200]);
      expect(page.text).toContain('<div id="root">');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  test('when an asset is asked for, then it is cached for a year; a missing one is 404, not the page', async () => {
    const asset = await api.call('GET', '/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await api.call('GET', '/assets/gone-999.js', { headers: { accept: 'text/html' } });
    expect(missing.status).toBe(404);
    expect(missing.text).not.toContain('<div id="root">');
  });

  test("when the API's own paths are asked for by a browser, then they are never answered with the page", async () => {
    const route = await api.call<ErrorAnswer>('GET', '/v1/no-such-thing', {
      headers: { accept: 'text/html' },
    });
    expect([route.status, route.body.error.code]).toEqual([404, 'no-such-route']);
    const docs = await api.call('GET', '/docs', { headers: { accept: 'text/html' } });
    expect(docs.text).toContain('Charter control API');
  });
});

describe('behind a load balancer that ends TLS', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false, trustProxy: 1 });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  test('when the trusted proxy says https, then the session cookie is Secure; over plain http it is not', async () => {
    const token = await api.tokenFor('sess.proxied@halden.example', ['approver']);

    const https = await api.call('POST', '/v1/session', {
      body: { token },
      headers: { 'x-forwarded-proto': 'https' },
    });
    const http = await api.call('POST', '/v1/session', { body: { token } });

    expect(https.headers.get('set-cookie')).toMatch(/; Secure/);
    expect(http.headers.get('set-cookie')).not.toMatch(/; Secure/);
  });
});
