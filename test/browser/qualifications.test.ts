// Qualifications in Chromium against the API on real servers. A PMO officer finds the registry
// with each qualification's validity and its valid holders, adds a qualification (a refusal shown
// at each field first), records a completion (a day ahead refused at its field), sees the holders
// valid until their last day or expired on the day it ran out, and imports a CSV file: the dry
// run's table shows the bad row's problem, the corrected file its new rows, and only then can it
// be recorded. A requester reads "My qualifications" on a phone and reaches a qualification with
// the keyboard alone; an unknown qualification shows the API's error. Every screen passes axe and
// fits its viewport.
import type { Page } from 'playwright-core';
import { addMonths } from '../../store/qualification-model.js';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';

const PETRA = 'petra.holm@halden.example';
const ALICE = 'alice.meyer@halden.example';
const BOB = 'bob.schulz@halden.example';
const RITA = 'rita.sommer@halden.example';
const DANA = 'dana.keller@halden.example';
const PMO = 'pmo@halden.example';

const DAY_MS = 24 * 3600 * 1000;
const day = (offset: number): string => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
const dayBefore = (d: string): string =>
  new Date(Date.parse(`${d}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

/** The row of `name` in the table under the heading `heading`. */
const rowOf = (page: Page, heading: string, name: string) =>
  page
    .locator('section, form')
    .filter({ has: page.getByRole('heading', { name: heading, exact: true }) })
    .last()
    .getByRole('row')
    .filter({ hasText: name });

describe('the qualifications screens', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, { worker: false });
    const { store } = h.api;
    await store.directory.seedFromWorld({
      groups: {},
      managers: {},
      people: [PETRA, ALICE, BOB, RITA, DANA],
    });
    for (const [id, name] of [
      [ALICE, 'Alice Meyer'],
      [BOB, 'Bob Schulz'],
      [RITA, 'Rita Sommer'],
      [DANA, 'Dana Keller'],
    ] as const) {
      await store.directory.upsertPerson({ id, name });
    }
    const at = new Date();
    await store.qualifications.create(
      'itil-change',
      { name: 'ITIL change management', description: 'Change and release practice', validityMonths: 12 },
      PMO,
      at,
    );
    const record = (person: string, completedOn: string, evidence: string | null) =>
      store.qualifications.record(
        { person, qualification: 'itil-change', completedOn, source: 'admin', evidence },
        PMO,
        at,
      );
    await record(ALICE, day(-10), 'https://lms.halden.example/cert/7');
    await record(BOB, day(-400), 'CERT-1');
    await record(RITA, day(-30), null);
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  test('when the PMO keeps the registry, then holders show their standing and completions are recorded and imported', async () => {
    const page = await h.signIn(PETRA, ['pmo'], DESKTOP);
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: 'Qualifications' })
      .click();
    const itil = rowOf(page, 'The registry', 'ITIL change management');
    await itil.waitFor();
    expect(await itil.innerText()).toMatch(/12 months\s+2\s*$/);
    await page.getByText('No qualification is recorded for you').waitFor();
    expect(await screenProblems(page, 'qualifications-desktop')).toEqual([]);

    // Refused at its fields first, then added: the new qualification's page opens with no holders.
    await page.getByLabel('Id', { exact: true }).fill('Fire Warden');
    await page.getByLabel('Valid for (months)').fill('');
    await page.getByRole('button', { name: 'Add the qualification' }).click();
    await page.getByText('enter whole months, at least 1, or tick “It never expires”').first().waitFor();
    await page.getByLabel('Valid for (months)').fill('24');
    await page.getByRole('button', { name: 'Add the qualification' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'The qualification was not added' });
    // The summary of the first (client-side) refusal is still there: wait for the API's answer,
    // which marks the id, before asking where the focus went.
    await page.getByLabel('Id', { exact: true }).and(page.locator('[aria-invalid="true"]')).waitFor();
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByLabel('Id', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Id', { exact: true }).fill('fire-warden');
    await page.getByLabel('Name', { exact: true }).fill('Fire warden');
    await page.getByRole('button', { name: 'Add the qualification' }).click();
    await page.getByRole('heading', { level: 1, name: /Fire warden/ }).waitFor();
    await page.getByText('Nobody has completed Fire warden yet').waitFor();

    // ITIL: Alice valid until the day before her expiry, Bob expired on his, Rita valid.
    await page.goto('/qualifications/itil-change');
    const alice = rowOf(page, 'Holders', ALICE);
    await alice.waitFor();
    expect(await alice.locator('time').first().getAttribute('datetime')).toBe(
      dayBefore(addMonths(day(-10), 12)),
    );
    expect(await alice.innerText()).toContain('Valid until');
    const bob = rowOf(page, 'Holders', BOB);
    expect(await bob.innerText()).toContain('Expired on');
    expect(await bob.locator('time').first().getAttribute('datetime')).toBe(addMonths(day(-400), 12));

    // A day ahead is refused at its field; today is recorded and Dana joins the holders.
    await page.getByLabel('Person').fill(DANA);
    await page.getByLabel('Completed on').fill(day(3));
    await page.getByLabel('Evidence').fill('CERT-42');
    await page.getByRole('button', { name: 'Record the completion' }).click();
    await page
      .getByText(/is after today/)
      .first()
      .waitFor();
    expect(await page.getByLabel('Completed on').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Completed on').fill(day(0));
    await page.getByLabel('Completed on').press('Enter');
    await page.getByText(/^Recorded: dana\.keller@halden\.example completed it on/).waitFor();
    await rowOf(page, 'Holders', DANA).waitFor();
    expect(await screenProblems(page, 'qualification-desktop')).toEqual([]);

    // The import: checked first; the bad row holds the file back until it is corrected.
    const header = 'person,qualification,completedOn,evidence';
    const bad = [header, `${PETRA},itil-change,${day(-1)},LMS-1`, `${ALICE},fire-warden,31.12.2026,`].join(
      '\n',
    );
    const text = page.getByLabel('Or paste the CSV text');
    await text.fill(bad);
    await page.getByRole('button', { name: 'Check the file' }).click();
    const invalid = page.getByRole('row').filter({ hasText: 'Invalid' });
    await invalid.waitFor();
    expect(await invalid.innerText()).toContain('row 3, column completedOn: expected a date as YYYY-MM-DD');
    expect(await page.getByRole('button', { name: /^Record \d/ }).count()).toBe(0);
    expect(await screenProblems(page, 'qualification-import-desktop')).toEqual([]);

    await text.fill(bad.replace('31.12.2026', day(-2)));
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page
      .getByText('2 rows: 2 new, 0 recorded already, 0 invalid; a dry run: nothing was recorded')
      .waitFor();
    expect(await h.api.store.qualifications.completionsOf(PETRA)).toEqual([]);
    await page.getByRole('button', { name: 'Record 2 completions' }).click();
    await page
      .getByText('2 rows: 2 new, 0 recorded already, 0 invalid; every new completion was recorded')
      .waitFor();
    await rowOf(page, 'Holders', PETRA).waitFor();
    expect(
      (await h.api.store.qualifications.completionsOf(ALICE)).map((c) => c.qualification).sort(),
    ).toEqual(['fire-warden', 'itil-change']);
    await page.context().close();
  });

  test('when a requester reads their qualifications on a phone, then the screen fits and works by keyboard', async () => {
    const phone = await h.signIn(RITA, ['requester'], PHONE);
    await phone.goto('/qualifications');
    const mine = rowOf(phone, 'My qualifications', 'ITIL change management');
    await mine.waitFor();
    expect(await mine.innerText()).toContain('Valid until');
    expect(await mine.locator('time').first().getAttribute('datetime')).toBe(
      dayBefore(addMonths(day(-30), 12)),
    );
    // The registry shows no form to a requester.
    expect(await phone.getByRole('button', { name: 'Add the qualification' }).count()).toBe(0);
    expect(await screenProblems(phone, 'qualifications-phone')).toEqual([]);

    await mine.getByRole('link', { name: 'ITIL change management' }).focus();
    await phone.keyboard.press('Enter');
    await phone.getByRole('heading', { level: 1, name: /ITIL change management/ }).waitFor();
    await phone.getByText('Who holds it is shown to the PMO, admins and auditors.').waitFor();
    expect(await phone.getByRole('button', { name: 'Record the completion' }).count()).toBe(0);
    expect(await screenProblems(phone, 'qualification-phone')).toEqual([]);

    await phone.goto('/qualifications/no-such-thing');
    await phone.getByText('Could not load the qualification no-such-thing').waitFor();
    await phone.getByText('qualification no-such-thing was not found').waitFor();
    expect(await screenProblems(phone, 'qualification-missing-phone')).toEqual([]);
    await phone.context().close();
  });

  test('when the PMO works on a phone, then the holders and the import table stack and fit', async () => {
    const phone = await h.signIn(PETRA, ['pmo'], PHONE);
    await phone.goto('/qualifications/itil-change');
    await rowOf(phone, 'Holders', ALICE).waitFor();
    await phone
      .getByLabel('Or paste the CSV text')
      .fill(`person,qualification,completedOn\n${BOB},itil-change,${day(-1)}`);
    await phone.getByRole('button', { name: 'Check the file' }).click();
    await phone
      .getByText('1 row: 1 new, 0 recorded already, 0 invalid; a dry run: nothing was recorded')
      .waitFor();
    expect(await screenProblems(phone, 'qualification-pmo-phone')).toEqual([]);
    await phone.context().close();
  });
});
