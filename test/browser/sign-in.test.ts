// Signing in to the console and out again, in Chromium against the API on real servers: the
// session cookie's flags, the CSRF lock on mutations, the demo's person picker, a deep link that
// survives sign-in, and the sign-in screen's own checks (axe, phone width).
import type { Page } from 'playwright-core';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  signInWithToken,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';

describe('signing in to the console', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, {
      worker: false,
      demoPeople: [{ person: 'demo.approver@halden.example', roles: ['approver'], why: 'approves things' }],
    });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  const freshPage = async (viewport = DESKTOP): Promise<Page> => {
    const context = await h.browser.newContext({ baseURL: h.api.base, viewport });
    return context.newPage();
  };

  test('when a token is pasted, then the first screen of its roles opens and the cookie is HttpOnly and SameSite=Strict', async () => {
    const page = await freshPage();
    const token = await h.api.tokenFor('signin.approver@halden.example', ['approver']);
    await signInWithToken(page, token);
    expect(new URL(page.url()).pathname).toBe('/inbox');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'charter_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    await expect(page.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
    await page.context().close();
  });

  test('when the token is wrong, then the sign-in screen says so next to the field and stays', async () => {
    const page = await freshPage();
    await page.goto('/');
    await page.getByLabel('API token').fill('chr_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('the token is unknown, expired or revoked').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.context().close();
  });

  test('when signed in by cookie, then a mutation without the CSRF header is refused with 403', async () => {
    const page = await freshPage();
    const token = await h.api.tokenFor('signin.csrf@halden.example', ['approver']);
    await signInWithToken(page, token);
    const answer = await page.evaluate(async () => {
      const response = await fetch('/v1/session', { method: 'DELETE' });
      return { status: response.status, body: (await response.json()) as { error: { code: string } } };
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('csrf-token');
    // The session still works: the refused request changed nothing.
    const me = await page.evaluate(async () => (await fetch('/v1/me')).status);
    expect(me).toBe(200);
    await page.context().close();
  });

  test('when signing out, then the session ends on the server too: the old cookie gets 401', async () => {
    const page = await freshPage();
    const token = await h.api.tokenFor('signin.out@halden.example', ['auditor']);
    await signInWithToken(page, token);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'charter_session');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    const replayed = await h.api.call('GET', '/v1/me', {
      headers: { cookie: `charter_session=${cookie?.value ?? ''}` },
    });
    expect(replayed.status).toBe(401);
    await page.context().close();
  });

  test('when a deep link is opened signed out, then it opens after sign-in', async () => {
    const page = await freshPage();
    const token = await h.api.tokenFor('signin.deep@halden.example', ['requester']);
    await signInWithToken(page, token, '/instances/some-instance');
    expect(new URL(page.url()).pathname).toBe('/instances/some-instance');
    await page.context().close();
  });

  test('when the demo runs, then a person is picked from its list, and the screen passes axe on a phone', async () => {
    const page = await freshPage(PHONE);
    await page.goto('/');
    await page.getByRole('button', { name: /demo\.approver@halden\.example/ }).waitFor();
    expect(await screenProblems(page, 'sign-in-phone')).toEqual([]);
    await page.getByRole('button', { name: /demo\.approver@halden\.example/ }).click();
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/inbox');
    await page.context().close();
  });
});
