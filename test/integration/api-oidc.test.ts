// Single sign-on over real HTTP: a real OpenID Connect provider (oidc-provider, its login and
// consent forms), the API on a real store, and a browser played by fetch with a cookie jar. A
// known person gets a session with their mapped and granted roles and lands where they were going;
// an unknown or unverified address, a tampered, replayed or foreign state, an expired login and a
// person without roles land on the sign-in page with the reason and no session; taking a granted
// role away ends the session. Off, the routes say so.
import { apiConfig, ApiConfigError } from '../../api/config.js';
import { type ApiHarness, startApiHarness } from '../support/api.js';
import {
  BrowserLike,
  callbackOf,
  enableSingleSignOn,
  startOidcProvider,
  type TestProvider,
} from '../support/oidc-provider.js';
import { databaseNameFor } from '../support/services.js';

const ADMIN = 'it-lead@halden.example';
const PAT = 'pat@halden.example';
const RITA = 'rita@halden.example';
const NORA = 'nora@halden.example';
const UMA = 'uma@halden.example';

let api: ApiHarness;
let provider: TestProvider;
let admin: string;

beforeAll(async () => {
  api = await startApiHarness(import.meta.url, { worker: false });
  provider = await startOidcProvider(
    [
      { login: 'pat', email: 'Pat@Halden.example', emailVerified: true, groups: ['pmo-staff', 'cafe'] },
      { login: 'rita', email: RITA, groups: [] },
      { login: 'nora', email: NORA, groups: ['cafe'] },
      { login: 'uma', email: UMA, emailVerified: false, groups: ['pmo-staff'] },
      { login: 'stranger', email: 'stranger@elsewhere.example', groups: ['pmo-staff'] },
    ],
    [callbackOf(api.base)],
  );
  admin = await api.tokenFor(ADMIN, ['admin']);
  await api.store.directory.seedFromWorld({ groups: {}, managers: {}, people: [PAT, RITA, NORA, UMA] });
});

afterAll(async () => {
  await provider?.close();
  await api?.close();
});

const SESSION = 'charter_session';
const start = (next?: string) =>
  `${api.base}/v1/session/oidc${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}`;

/** `/v1/session` as the browser, with its cookies. */
async function sessionOf(browser: BrowserLike) {
  const answer = await browser.request(`${api.base}/v1/session`);
  return { status: answer.status, body: (await answer.json()) as { person?: string; roles?: string[] } };
}

describe('when single sign-on is not configured', () => {
  test('then the console is told so, and the routes answer 404 saying what to do instead', async () => {
    const options = await api.call('GET', '/v1/session/single-sign-on');
    const begin = await api.call<{ error: { code: string; message: string } }>('GET', '/v1/session/oidc');

    expect(options.body).toEqual({ enabled: false, name: null, start: null });
    expect(begin.status).toBe(404);
    expect(begin.body.error.code).toBe('single-sign-on-off');
    expect(begin.body.error.message).toMatch(/CHARTER_OIDC_ISSUER is unset.*API token/);
  });
});

describe('when single sign-on is configured', () => {
  beforeAll(() => {
    enableSingleSignOn(api, provider, 'pmo-staff=pmo, cab=approver');
  });

  test('then the console learns the provider name and where to start', async () => {
    const options = await api.call('GET', '/v1/session/single-sign-on');

    expect(options.body).toEqual({ enabled: true, name: 'Halden ID', start: '/v1/session/oidc' });
  });

  test('when Pat of pmo-staff signs in, then a session with pmo and granted auditor lands on the page Pat came from', async () => {
    await api.call('PUT', `/v1/directory/people/${PAT}/roles`, {
      token: admin,
      body: { roles: ['auditor'] },
    });
    const browser = new BrowserLike();

    const { location } = await browser.signIn(start('/inbox?tab=mine'), 'pat', api.base);

    expect(location).toBe('/inbox?tab=mine');
    const session = await sessionOf(browser);
    expect(session).toEqual({
      status: 200,
      body: expect.objectContaining({ person: PAT, roles: ['auditor', 'pmo'] }) as unknown,
    });
    // The login is used up: nothing of it stays in the database.
    const logins = api.mongo.db(databaseNameFor(import.meta.url)).collection('oidc_logins');
    expect(await logins.countDocuments()).toBe(0);
  });

  test.each([
    ['stranger', 'unknown-person', 'an address nobody in the directory has'],
    ['uma', 'unverified', 'an address the provider did not verify'],
    ['nora', 'no-roles', 'no mapped group and no granted role'],
  ])(
    'when %s signs in with %s, then the sign-in page says so and no session starts (%s)',
    async (login, code) => {
      const browser = new BrowserLike();

      const { location } = await browser.signIn(start(), login, api.base);

      expect(location).toBe(`/sign-in?sso-error=${code}`);
      expect(browser.cookie(api.base, SESSION)).toBeUndefined();
      expect((await sessionOf(browser)).status).toBe(401);
    },
  );

  test('when the state is changed on the way to the provider, then the callback refuses it and starts no session', async () => {
    const browser = new BrowserLike();
    const toProvider = new URL((await browser.request(start())).headers.get('location') ?? '');
    toProvider.searchParams.set('state', 'forged-state-value');

    const { location } = await browser.signIn(toProvider.href, 'pat', api.base);

    expect(location).toBe('/sign-in?sso-error=state');
    expect(browser.cookie(api.base, SESSION)).toBeUndefined();
  });

  test('when a callback is replayed, or completed in another browser, then it is refused', async () => {
    const first = new BrowserLike();
    const toProvider = (await first.request(start())).headers.get('location') ?? '';
    // Pat's browser signs in at the provider but another browser takes the way back.
    const other = new BrowserLike();
    let callback = '';
    let response = await first.request(toProvider);
    for (let hop = 0; hop < 20 && callback === ''; hop++) {
      const location = response.headers.get('location');
      if (location?.startsWith(callbackOf(api.base))) callback = location;
      else if (location !== null) response = await first.request(new URL(location, provider.issuer).href);
      else {
        const page = await response.text();
        const action = /action="([^"]+)"/.exec(page)?.[1] ?? '';
        const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1] ?? '';
        const form: Record<string, string> =
          prompt === 'login' ? { prompt, login: 'pat', password: 'x' } : { prompt };
        response = await first.request(new URL(action, provider.issuer).href, { method: 'POST', form });
      }
    }

    const stolen = await other.request(callback);
    const replayed = await first.request(callback);

    expect(stolen.headers.get('location')).toBe('/sign-in?sso-error=state');
    expect(other.cookie(api.base, SESSION)).toBeUndefined();
    // The stolen attempt used the login up: Pat's own browser cannot finish it either.
    expect(replayed.headers.get('location')).toBe('/sign-in?sso-error=state');
    expect(first.cookie(api.base, SESSION)).toBeUndefined();
  });

  test('when the login took longer than ten minutes, then it has expired', async () => {
    const browser = new BrowserLike();
    const toProvider = (await browser.request(start())).headers.get('location') ?? '';
    await api.mongo
      .db(databaseNameFor(import.meta.url))
      .collection('oidc_logins')
      .updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });

    const { location } = await browser.signIn(toProvider, 'pat', api.base);

    expect(location).toBe('/sign-in?sso-error=expired');
    expect(browser.cookie(api.base, SESSION)).toBeUndefined();
  });

  test('when a return path leads off the console, then the start is refused at query.next', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/v1/tokens']) {
      const answer = await api.call<{ error: { problems: { path: string }[] } }>(
        'GET',
        `/v1/session/oidc?next=${encodeURIComponent(next)}`,
      );
      expect([next, answer.status, answer.body.error.problems[0]?.path]).toEqual([next, 422, 'query.next']);
    }
  });

  test('when an admin takes away the role Rita signed in with, then her session ends and her token carrying it is revoked', async () => {
    await api.call('PUT', `/v1/directory/people/${RITA}/roles`, {
      token: admin,
      body: { roles: ['approver', 'requester'] },
    });
    const browser = new BrowserLike();
    await browser.signIn(start(), 'rita', api.base);
    expect((await sessionOf(browser)).body.roles).toEqual(['requester', 'approver']);
    const approverToken = await api.tokenFor(RITA, ['approver']);
    const requesterToken = await api.tokenFor(RITA, ['requester']);

    const taken = await api.call<{ changed: boolean; sessionsEnded: number; tokensRevoked: string[] }>(
      'PUT',
      `/v1/directory/people/${RITA}/roles`,
      { token: admin, body: { roles: ['requester'] } },
    );

    expect(taken.body).toMatchObject({ changed: true, sessionsEnded: 1 });
    expect(taken.body.tokensRevoked).toHaveLength(1);
    expect((await sessionOf(browser)).status).toBe(401);
    expect((await api.call('GET', '/v1/me', { token: approverToken })).status).toBe(401);
    expect((await api.call('GET', '/v1/me', { token: requesterToken })).status).toBe(200);
    const again = new BrowserLike();
    await again.signIn(start(), 'rita', api.base);
    expect((await sessionOf(again)).body.roles).toEqual(['requester']);
  });
});

describe('configuration', () => {
  const base = {
    CHARTER_OIDC_ISSUER: 'https://id.halden.example',
    CHARTER_OIDC_CLIENT_ID: 'charter',
    CHARTER_OIDC_CLIENT_SECRET: 'secret',
    CHARTER_PUBLIC_URL: 'https://charter.halden.example',
  };
  const problemsOf = (env: Record<string, string>): string => {
    try {
      apiConfig(env);
      return 'accepted';
    } catch (error) {
      if (!(error instanceof ApiConfigError)) throw error;
      return error.message;
    }
  };

  test('when the issuer is set without its client, secret or public URL, then serve is refused naming each', () => {
    const message = problemsOf({ CHARTER_OIDC_ISSUER: base.CHARTER_OIDC_ISSUER });

    expect(message).toMatch(/CHARTER_OIDC_CLIENT_ID: must be set with CHARTER_OIDC_ISSUER/);
    expect(message).toMatch(/CHARTER_OIDC_CLIENT_SECRET: must be set with CHARTER_OIDC_ISSUER/);
    expect(message).toMatch(/CHARTER_PUBLIC_URL: must be set with CHARTER_OIDC_ISSUER/);
  });

  test('when the role map, the issuer or a lone client id is wrong, then the variable and entry are named', () => {
    expect(problemsOf({ ...base, CHARTER_OIDC_ROLES: 'pmo-staff=pmo,cab' })).toMatch(
      /CHARTER_OIDC_ROLES: entry 2 \("cab"\) must be group=role/,
    );
    expect(problemsOf({ ...base, CHARTER_OIDC_ROLES: 'cab=boss' })).toMatch(
      /CHARTER_OIDC_ROLES: entry 1 \("cab=boss"\): boss is not a role/,
    );
    expect(problemsOf({ ...base, CHARTER_OIDC_ISSUER: 'http://id.halden.example' })).toMatch(
      /CHARTER_OIDC_ISSUER: must be https:\/\//,
    );
    expect(problemsOf({ CHARTER_OIDC_CLIENT_ID: 'charter' })).toMatch(
      /CHARTER_OIDC_CLIENT_ID: is set but CHARTER_OIDC_ISSUER is not/,
    );
    expect(problemsOf({ ...base, CHARTER_OIDC_SCOPES: 'email groups' })).toMatch(
      /CHARTER_OIDC_SCOPES: must include openid/,
    );
    expect(problemsOf({ ...base, CHARTER_OIDC_ROLES: 'pmo-staff=pmo' })).toBe('accepted');
  });
});
