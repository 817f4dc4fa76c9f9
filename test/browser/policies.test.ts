// The Policies screen in Chromium against the API on real servers. Before anything is published it
// says so. Then a PMO officer sees which version of each policy new requests start under, retires
// the version in force (a blank reason is refused by the server, next to the field) and sees the
// version before it take over, and retires a whole policy with the keyboard alone (Escape keeps
// it; Enter on the confirmation retires it). An auditor reads the same screen without the Retire
// buttons. Each version shows its instances as the dashboards' projector counted them from the
// signed ledger (started, how they ended, still running) and when. Every state passes axe and fits
// a phone.
import type { Page } from 'playwright-core';
import { growAndSign } from '../../workflows/ledger/signer.js';
import { chain, ended, started } from '../integration/fixtures/dashboard-ledger.js';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';

const STAGE = 'Screen stage gate';
const NOTES = 'Screen meeting notes';
const version = (
  name: string,
  n: number,
  effective: string,
) => `policy "${name}" version ${n} effective ${effective}
owner "pmo@halden.example"
process review {
  input {
    item: text
  }
  end approved "{request.item} approved"
}
`;

const PETRA = 'petra.holm@halden.example';
const SIMON = 'simon.frey@halden.example';

/** The row of `n` in the versions table of `policy`. */
const row = (page: Page, policy: string, n: number) =>
  page
    .getByRole('region', { name: policy })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: String(n), exact: true }) });

/** The text of the element that has focus. */
const focused = (page: Page): Promise<string> =>
  page.evaluate<string>('document.activeElement?.textContent?.trim() ?? ""');

describe('the policies screen', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, { worker: false });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  test('when nothing is published, then the screen says so', async () => {
    const page = await h.signIn(PETRA, ['pmo'], DESKTOP);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Policies' }).click();
    await page.getByRole('heading', { level: 1, name: 'Policies' }).waitFor();
    await page.getByText('No policy is published yet').waitFor();
    expect(await screenProblems(page, 'policies-empty-desktop')).toEqual([]);
    await page.context().close();
  });

  test('when a PMO officer retires the version in force, then the version before it takes over; a blank reason is refused at its field', async () => {
    await h.api.publish(version(STAGE, 1, '2026-01-01'), 'stage-v1.charter');
    await h.api.publish(version(STAGE, 2, '2026-02-01'), 'stage-v2.charter');
    await h.api.publish(version(STAGE, 3, '2099-01-01'), 'stage-v3.charter');
    await h.api.publish(version(NOTES, 1, '2026-01-01'), 'notes-v1.charter');
    const page = await h.signIn(PETRA, ['pmo'], DESKTOP);
    await page.goto('/policies');
    const stage = page.getByRole('region', { name: STAGE });
    await stage.getByText('New requests start under version 2.').waitFor();
    expect(await row(page, STAGE, 3).innerText()).toContain('Waits for');
    expect(await row(page, STAGE, 2).innerText()).toContain('In force now');
    expect(await row(page, STAGE, 1).innerText()).toMatch(/Not in force\s+version 2 is newer/);
    expect(await screenProblems(page, 'policies-desktop')).toEqual([]);

    await page.getByRole('button', { name: `Retire version 2 of ${STAGE}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Retire version 2?' });
    await dialog.getByText('new requests start under version 1.').waitFor();
    const reason = dialog.getByLabel('Why is it retired?');
    await reason.fill('   ');
    await dialog.getByRole('button', { name: 'Retire version 2' }).click();
    const problem = 'say why it is retired (for example what replaces it)';
    await dialog.getByText(problem).waitFor();
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    const described = (await reason.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${described.split(' ').pop() ?? ''}"]`).innerText()).toBe(problem);
    expect(await screenProblems(page, 'policies-retire-refused-desktop')).toEqual([]);

    await reason.fill('the v2 approver group no longer exists');
    await dialog.getByRole('button', { name: 'Retire version 2' }).click();
    await page.getByText(`Version 2 of ${STAGE} is retired. No new request starts under it.`).waitFor();
    await dialog.waitFor({ state: 'detached' });
    await stage.getByText('New requests start under version 1.').waitFor();
    expect(await row(page, STAGE, 2).innerText()).toMatch(
      new RegExp(`Retired\\s+on .+ by ${PETRA}: the v2 approver group no longer exists`),
    );
    expect(await row(page, STAGE, 1).innerText()).toContain('In force now');
    // The retired row has no button any more: focus is on what was done.
    expect(await focused(page)).toBe(`Version 2 of ${STAGE} is retired. No new request starts under it.`);
    expect((await h.api.store.policies.newestInEffect(STAGE, new Date()))?.version).toBe(1);
    await page.context().close();
  });

  test('when a whole policy is retired with the keyboard alone, then every version says so and nothing is in force', async () => {
    const page = await h.signIn(PETRA, ['pmo'], DESKTOP);
    await page.goto('/policies');
    const retirePolicy = page.getByRole('button', { name: `Retire the policy ${NOTES}` });
    await retirePolicy.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Retire the policy ${NOTES}?` });
    await dialog.waitFor();
    // Escape keeps it, and focus goes back to the button.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(page)).toBe(`Retire the policy ${NOTES}`);

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.type('replaced by the meeting policy of the PMO handbook');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Retire the policy');
    await page.keyboard.press('Enter');
    await page.getByText(`The policy ${NOTES} is retired. No new request starts under it.`).waitFor();
    const notes = page.getByRole('region', { name: NOTES });
    await notes.getByText('Retired: no new request starts under it.').waitFor();
    expect(await notes.getByRole('button').count()).toBe(0);
    expect(await row(page, NOTES, 1).innerText()).toContain('(the whole policy)');
    expect(await h.api.store.policies.whyNoneInForce(NOTES, new Date())).toMatchObject({
      kind: 'policyRetired',
      retirement: { by: PETRA, reason: 'replaced by the meeting policy of the PMO handbook' },
    });
    await page.context().close();
  });

  test('when an auditor reads the screen, then the retirements show without Retire buttons, on a desktop and a phone', async () => {
    const page = await h.signIn(SIMON, ['auditor'], DESKTOP);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Policies' }).click();
    await page
      .getByRole('region', { name: STAGE })
      .getByText('New requests start under version 1.')
      .waitFor();
    expect(await page.locator('main').getByRole('button').count()).toBe(0);
    expect(await row(page, STAGE, 2).innerText()).toContain('the v2 approver group no longer exists');
    await page.context().close();

    const phone = await h.signIn(PETRA, ['pmo'], PHONE);
    await phone.goto('/policies');
    await phone
      .getByRole('region', { name: STAGE })
      .getByText('New requests start under version 1.')
      .waitFor();
    expect(await screenProblems(phone, 'policies-phone')).toEqual([]);
    await phone.getByRole('button', { name: `Retire version 3 of ${STAGE}` }).click();
    await phone.getByRole('dialog', { name: 'Retire version 3?' }).waitFor();
    expect(await screenProblems(phone, 'policies-retire-phone')).toEqual([]);
    await phone.context().close();
  });

  test('when the ledger holds instances of two versions, then each version row counts its own once the projector has folded them', async () => {
    const shaOf = async (n: number) => (await h.api.store.policies.get(STAGE, n))?.sha256 ?? '';
    const ref = async (n: number) => ({ name: STAGE, version: n, sha256: await shaOf(n) });
    const [v1, v2] = [await ref(1), await ref(2)];
    const page = await h.signIn(PETRA, ['pmo'], DESKTOP);
    await page.goto('/policies');
    const stage = page.getByRole('region', { name: STAGE });
    await stage.getByText('none counted yet').waitFor();
    expect(await row(page, STAGE, 1).innerText()).toContain('None');

    const start = '2026-03-02T09:00:00Z';
    await h.api.store.audit.append(
      chain('stage-a', v1, null, start, [
        [0, started],
        [60, ended('approved')],
      ]),
    );
    await h.api.store.audit.append(chain('stage-b', v1, null, start, [[0, started]]));
    await h.api.store.audit.append(
      chain('stage-c', v2, null, start, [
        [0, started],
        [90, ended('rejected')],
      ]),
    );
    const at = new Date();
    await growAndSign(h.api.store, null, () => at);
    await h.api.store.dashboards.foldAll(() => at);
    // The page reads the catalogue again on its own (every 5 s while the tab is visible).
    await stage.getByText('Instances as the dashboards counted them').waitFor();
    expect(await row(page, STAGE, 1).innerText()).toMatch(/2 \(1 running\)\s*1 approved/);
    expect(await row(page, STAGE, 2).innerText()).toMatch(/1\s*1 rejected/);
    expect(await row(page, STAGE, 3).innerText()).toContain('None');
    expect(await screenProblems(page, 'policies-instances-desktop')).toEqual([]);
    await page.setViewportSize(PHONE);
    expect(await screenProblems(page, 'policies-instances-phone')).toEqual([]);
    await page.context().close();
  });
});
