// Single sign-on in Chromium: the console on real servers, a real OpenID Connect provider
// (test/support/oidc-provider.ts) with its own login and consent pages. A person follows a deep
// link, clicks "Sign in with Halden ID", signs in at the provider and lands on the page they
// wanted, signed in with their group's role; someone the directory does not know comes back to
// the sign-in page with a sentence that says why, and no session. Axe clean.
import type { Page } from 'playwright-core';
import { DESKTOP, screenProblems, startConsoleHarness, type ConsoleHarness } from '../support/browser.js';
import {
  callbackOf,
  enableSingleSignOn,
  startOidcProvider,
  type TestProvider,
} from '../support/oidc-provider.js';

const PAT = 'sso.pat@halden.example';

describe('single sign-on on the sign-in page', () => {
  let h: ConsoleHarness;
  let provider: TestProvider;

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, { worker: false });
    provider = await startOidcProvider(
      [
        { login: 'pat', email: PAT, emailVerified: true, groups: ['approvers'] },
        { login: 'stranger', email: 'stranger@elsewhere.example', groups: ['approvers'] },
      ],
      [callbackOf(h.api.base)],
    );
    await h.api.store.directory.seedFromWorld({ groups: {}, managers: {}, people: [PAT] });
    enableSingleSignOn(h.api, provider, 'approvers=approver');
  }, 120_000);

  afterAll(async () => {
    await provider?.close();
    await h?.close();
  });

  const signInAtProvider = async (page: Page, login: string) => {
    await page.getByRole('link', { name: 'Sign in with Halden ID' }).click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  };

  test('when Pat follows a deep link and signs in with Halden ID, then the inbox opens signed in as an approver', async () => {
    const context = await h.browser.newContext({ baseURL: h.api.base, viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto('/inbox');
    await page.getByRole('link', { name: 'Sign in with Halden ID' }).waitFor();
    expect(await screenProblems(page, 'sign-in-sso')).toEqual([]);

    await signInAtProvider(page, 'pat');

    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/inbox');
    const me = await page.evaluate(async () => (await fetch('/v1/me')).json() as Promise<unknown>);
    expect(me).toEqual({ person: PAT, roles: ['approver'] });
    await context.close();
  }, 120_000);

  test('when someone the directory does not know signs in, then the sign-in page says why and nobody is signed in', async () => {
    const context = await h.browser.newContext({ baseURL: h.api.base, viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto('/');

    await signInAtProvider(page, 'stranger');

    await page.getByText('Charter’s directory has no active person with your e-mail address').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect((await context.cookies()).some((c) => c.name === 'charter_session')).toBe(false);
    expect(await screenProblems(page, 'sign-in-sso-refused')).toEqual([]);
    await context.close();
  }, 120_000);
});
