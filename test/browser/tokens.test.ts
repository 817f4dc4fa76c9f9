// API tokens on the People screen, in Chromium against the API on real servers: an admin issues
// a token to a person (the text shown once, and it works against the API), a missing label is
// named next to its field, revoking asks first and ends the token at once; a person on their own
// page is offered only the roles they hold. Axe clean and no sideways scrolling on a phone.
import type { Page } from 'playwright-core';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  signInWithToken,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';

const ADMIN = 'tokens.admin@halden.example';
const PAT = 'tokens.pat@halden.example';

describe('API tokens on the People screen', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, { worker: false });
    await h.api.store.directory.seedFromWorld({ groups: {}, managers: {}, people: [ADMIN, PAT] });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  const signedIn = async (
    person: string,
    roles: Parameters<ConsoleHarness['api']['tokenFor']>[1],
    viewport = DESKTOP,
  ) => {
    const context = await h.browser.newContext({ baseURL: h.api.base, viewport });
    const page = await context.newPage();
    await signInWithToken(page, await h.api.tokenFor(person, roles), `/people/${encodeURIComponent(PAT)}`);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    return page;
  };

  const issue = async (page: Page, label: string, roles: string[]) => {
    // The token form's boxes: an admin's view of the page also has the person's Roles card.
    const form = page.getByRole('form', { name: 'Issue a token' });
    if (label !== '') await form.getByLabel('What it is for').fill(label);
    for (const role of roles) await form.getByRole('checkbox', { name: role, exact: true }).check();
    await form.getByRole('button', { name: 'Issue the token' }).click();
  };

  test('when an admin issues a token to Pat, then its text shows once and works, and revoking it asks first and ends it', async () => {
    const page = await signedIn(ADMIN, ['admin']);
    await page.getByText('No tokens').waitFor();

    await issue(page, '', ['auditor']);
    await page.locator('.field-problem').first().waitFor();
    expect(await page.getByLabel('What it is for').getAttribute('aria-invalid')).toBe('true');

    await issue(page, 'reporting job', []);
    const text = await page.getByLabel('Copy it now: it is not shown again').inputValue();
    expect(text).toMatch(/^chr_/);
    const me = await fetch(`${h.api.base}/v1/me`, { headers: { authorization: `Bearer ${text}` } });
    expect(await me.json()).toEqual({ person: PAT, roles: ['auditor'] });
    const row = page.getByRole('row').filter({ hasText: 'reporting job' });
    await row.getByText('live').waitFor();
    expect(await screenProblems(page, 'tokens-issued')).toEqual([]);

    await row.getByRole('button', { name: /Revoke/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke "reporting job"?' });
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await row.getByText('live').waitFor();
    await row.getByRole('button', { name: /Revoke/ }).click();
    await dialog.getByRole('button', { name: 'Revoke the token' }).click();
    await row.getByText('revoked').waitFor();
    const after = await fetch(`${h.api.base}/v1/me`, { headers: { authorization: `Bearer ${text}` } });
    expect(after.status).toBe(401);
    await page.context().close();
  }, 120_000);

  test('when Pat opens their own page on a phone, then only the roles they hold are offered and the screen is clean', async () => {
    const page = await signedIn(PAT, ['requester', 'approver'], PHONE);

    const labels = await page.getByRole('group', { name: 'Roles' }).locator('label').allTextContents();

    expect(labels.map((l) => l.trim())).toEqual(['requester', 'approver']);
    expect(await page.getByRole('option', { name: 'never' }).count()).toBe(0);
    await issue(page, 'my laptop', ['approver']);
    await page.getByLabel('Copy it now: it is not shown again').waitFor();
    expect(await screenProblems(page, 'tokens-own-phone')).toEqual([]);
    await page.context().close();
  }, 120_000);
});
