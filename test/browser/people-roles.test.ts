// Granted roles on the People screen, in Chromium against the API on real servers: an admin
// grants Pat a role with the keyboard and saves (the API has it), taking it away warns first and
// says what it ended (Pat's token carrying it stops working); for an inactive person a new role
// is refused beside the field; people who are not admins see no Roles card. Axe clean.
import {
  DESKTOP,
  screenProblems,
  signInWithToken,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';

const ADMIN = 'roles.admin@halden.example';
const PAT = 'roles.pat@halden.example';
const GONE = 'roles.gone@halden.example';

describe('granted roles on the People screen', () => {
  let h: ConsoleHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, { worker: false });
    await h.api.store.directory.seedFromWorld({ groups: {}, managers: {}, people: [ADMIN, PAT, GONE] });
    admin = await h.api.tokenFor(ADMIN, ['admin']);
    await h.api.call('PUT', `/v1/directory/people/${GONE}`, {
      token: admin,
      body: { name: 'Gone', manager: null, active: false },
    });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  const pageOf = async (person: string, token: string) => {
    const context = await h.browser.newContext({ baseURL: h.api.base, viewport: DESKTOP });
    const page = await context.newPage();
    await signInWithToken(page, token, `/people/${encodeURIComponent(person)}`);
    return page;
  };

  test('when an admin grants Pat approver with the keyboard and later takes it away, then the API has it and Pat’s token ends', async () => {
    const page = await pageOf(PAT, await h.api.tokenFor(ADMIN, ['admin']));
    const card = page.getByRole('region', { name: 'Roles', exact: true });
    await card.getByText('No role has been granted yet.').waitFor();

    await card.getByRole('checkbox', { name: 'approver', exact: true }).focus();
    await page.keyboard.press('Space');
    await card.getByRole('button', { name: 'Save roles' }).focus();
    await page.keyboard.press('Enter');
    await card.getByText(`Saved: ${PAT} now has approver.`).waitFor();
    const granted = await h.api.call<{ roles: string[] }>('GET', `/v1/directory/people/${PAT}/roles`, {
      token: admin,
    });
    expect(granted.body.roles).toEqual(['approver']);
    expect(await screenProblems(page, 'people-roles-granted')).toEqual([]);

    const patToken = await h.api.tokenFor(PAT, ['approver']);
    await card.getByRole('checkbox', { name: 'approver', exact: true }).uncheck();
    await card.getByText(`Taking away approver signs ${PAT} out everywhere`).waitFor();
    await card.getByRole('button', { name: 'Save roles' }).click();
    await card.getByText(`Saved: ${PAT} now has no roles; 1 token revoked.`).waitFor();
    expect((await h.api.call('GET', '/v1/me', { token: patToken })).status).toBe(401);
    await page.context().close();
  }, 120_000);

  test('when an admin grants a role to an inactive person, then the refusal is shown beside the roles', async () => {
    const page = await pageOf(GONE, await h.api.tokenFor(ADMIN, ['admin']));
    const card = page.getByRole('region', { name: 'Roles', exact: true });

    await card.getByRole('checkbox', { name: 'auditor', exact: true }).check();
    await card.getByRole('button', { name: 'Save roles' }).click();

    await card.locator('.field-problem').getByText(`${GONE} is inactive in the directory`).waitFor();
    expect(
      await card.getByRole('checkbox', { name: 'auditor', exact: true }).getAttribute('aria-invalid'),
    ).toBe('true');
    expect(await screenProblems(page, 'people-roles-refused')).toEqual([]);
    await page.context().close();
  }, 120_000);

  test('when a person who is not an admin opens their own page, then there is no Roles card', async () => {
    const page = await pageOf(PAT, await h.api.tokenFor(PAT, ['pmo']));
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();

    expect(await page.getByRole('heading', { name: 'Roles', exact: true }).count()).toBe(0);
    await page.context().close();
  }, 120_000);
});
