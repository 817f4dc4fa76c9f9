// The portfolio screens in Chromium against the API on real servers. A requester reads the list
// and narrows it by phase (the filter lands in the URL and survives a reload), opens a project and
// sees its fields, its instances and its timeline with the phase change marked. The PMO edits a
// project while an admin saves it first: the 409 is said in words and the form reloads at the new
// version, and the change made again is saved. The PMO checks a CSV file in a dry run (each row's
// outcome and problems in a table), fixes it, imports it, and creates a project from a text that
// instances carry. Every screen passes axe and fits a phone. No worker runs: the instance views
// are written as the worker writes them.
import type { Page } from 'playwright-core';
import type { ViewWrite } from '../../store/instances.js';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';

const RITA = 'rita.sommer@halden.example';
const ALICE = 'alice.meyer@halden.example';
const PETRA = 'petra.pmo@halden.example';
const GRETA = 'greta.holm@halden.example';

const view = (id: string, project: string, startedAt: string): ViewWrite => ({
  instanceId: id,
  workflowId: id,
  policy: { name: 'Portfolio purchase', version: 1, sha256: 'a'.repeat(64) },
  process: 'purchase',
  project,
  status: 'running',
  message: null,
  startedAt: new Date(startedAt),
  startedBy: RITA,
  endedAt: null,
  currentSteps: ['review'],
  blockedOn: [],
  transition: 1,
});

describe('the portfolio screens', () => {
  let h: ConsoleHarness;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, { worker: false });
    const { store } = h.api;
    await store.directory.seedFromWorld({ groups: {}, managers: {}, people: [RITA, ALICE, PETRA, GRETA] });
    await store.directory.upsertPerson({ id: ALICE, name: 'Alice Meyer' });
    token['petra'] = await h.api.tokenFor(PETRA, ['pmo']);
    token['greta'] = await h.api.tokenFor(GRETA, ['admin']);
    const call = (method: string, path: string, body: unknown, as = 'petra') =>
      h.api.call(method, path, { token: token[as] ?? null, body });
    await call('PUT', '/v1/portfolio/phases', { phases: ['idea', 'plan', 'build', 'closed'] });
    const projects = [
      {
        code: 'ERP-2027',
        name: 'ERP replacement',
        phase: 'plan',
        manager: ALICE,
        budget: { amount: '1200000.50', currency: 'EUR' },
        start: '2027-01-04',
        end: '2027-12-17',
        health: { status: 'amber', reason: 'vendor late' },
        tags: ['finance', 'sap'],
      },
      {
        code: 'CRM-1',
        name: 'Sales pipeline',
        phase: 'build',
        health: { status: 'red', reason: 'no budget' },
      },
      { code: 'DWH-2', name: 'Data warehouse', phase: 'build', tags: ['finance'] },
      { code: 'NET-3', name: 'Network refresh', phase: 'idea' },
    ];
    for (const p of projects) {
      const made = await call('POST', '/v1/projects', p);
      if (made.status !== 201) throw new Error(`create ${p.code}: ${made.status} ${made.text}`);
    }
    const moved = await call('PATCH', '/v1/projects/ERP-2027', { version: 1, phase: 'build' });
    if (moved.status !== 200) throw new Error(`patch: ${moved.status} ${moved.text}`);
    await store.views.upsert(view('purchase-erp-1', 'ERP-2027', '2027-03-01T09:00:00Z'));
    await store.views.upsert(view('purchase-intranet-1', 'intranet', '2027-03-02T09:00:00Z'));
    await store.views.upsert(view('purchase-intranet-2', 'intranet', '2027-03-03T09:00:00Z'));
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  const rows = (page: Page) => page.locator('table.portfolio-table tbody tr');

  test('when a requester filters the list by phase and opens a project, then its fields, instances and timeline show', async () => {
    const page = await h.signIn(RITA, ['requester'], DESKTOP);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Portfolio' }).click();
    await page.getByText('Showing 4 projects').waitFor();
    // Health in words, not colour alone.
    expect(await rows(page).filter({ hasText: 'CRM-1' }).innerText()).toContain('In trouble');
    // Requesters read: no writing screens offered.
    expect(await page.getByRole('link', { name: 'New project' }).count()).toBe(0);
    expect(await screenProblems(page, 'portfolio-desktop')).toEqual([]);

    await page.getByLabel('Phase').selectOption('build');
    await page.waitForURL((url) => url.searchParams.get('phase') === 'build');
    await page.getByText('Showing 3 projects').waitFor();
    expect((await rows(page).allInnerTexts()).map((t) => t.split(/\s/)[0])).toEqual([
      'CRM-1',
      'DWH-2',
      'ERP-2027',
    ]);
    await page.getByLabel('Tag', { exact: true }).fill('finance');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('Showing 2 projects').waitFor();
    await page.reload();
    await page.getByText('Showing 2 projects').waitFor();
    expect(await page.getByLabel('Tag', { exact: true }).inputValue()).toBe('finance');
    const exportLink = page.getByRole('link', { name: 'Export these projects (CSV)' });
    expect(await exportLink.getAttribute('href')).toBe('/v1/projects/export?phase=build&tag=finance');

    await page.getByRole('link', { name: 'ERP-2027' }).click();
    await page.getByRole('heading', { level: 1, name: /ERP-2027 ERP replacement/ }).waitFor();
    const facts = page.locator('.portfolio-facts');
    expect(await facts.innerText()).toContain('1,200,000.5 EUR');
    expect(await facts.innerText()).toContain('At risk vendor late');
    await page.getByRole('link', { name: 'purchase-erp-1' }).waitFor();
    expect(await page.getByRole('link', { name: 'purchase-erp-1' }).getAttribute('href')).toBe(
      '/instances/purchase-erp-1',
    );
    const phaseChange = page.locator('.portfolio-change-phase');
    await phaseChange.waitFor();
    expect(await phaseChange.innerText()).toContain('Phase changed: plan → build');
    expect(await page.getByRole('heading', { name: 'Edit project' }).count()).toBe(0);
    expect(await screenProblems(page, 'portfolio-project-desktop')).toEqual([]);

    // A filter the API refuses (a hand-edited URL): the error state, and the problem at its field.
    await page.goto('/portfolio?health=blue');
    await page.getByText('Could not load the projects').waitFor();
    const health = page.getByLabel('Health', { exact: true });
    expect(await health.getAttribute('aria-invalid')).toBe('true');
    const described = (await health.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${described}"]`).innerText()).not.toBe('');
    await page.context().close();

    const phone = await h.signIn(RITA, ['requester'], PHONE);
    await phone.goto('/portfolio');
    await phone.getByText('Showing 4 projects').waitFor();
    expect(await screenProblems(phone, 'portfolio-phone')).toEqual([]);
    await phone.goto('/portfolio/ERP-2027');
    await phone.locator('.portfolio-change-phase').waitFor();
    expect(await screenProblems(phone, 'portfolio-project-phone')).toEqual([]);
    await phone.context().close();
  });

  test('when someone saves the project first, then the edit is refused in words, reloads, and saves once made again', async () => {
    const page = await h.signIn(PETRA, ['pmo'], DESKTOP);
    await page.goto('/portfolio/DWH-2');
    await page.getByRole('button', { name: 'Edit DWH-2' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Data warehouse 2');
    await page.getByLabel('Health', { exact: true }).selectOption('amber');
    const other = await h.api.call('PATCH', '/v1/projects/DWH-2', {
      token: token['greta'] ?? null,
      body: { end: '2027-09-30' },
    });
    expect(other.status).toBe(200);
    await page.getByRole('button', { name: 'Save changes' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'someone else changed DWH-2' });
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain('version 2');
    // The form shows the project as it is now: the admin's end date, the old name.
    expect(await page.getByLabel('End date').inputValue()).toBe('2027-09-30');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Data warehouse');
    expect(await screenProblems(page, 'portfolio-conflict-desktop')).toEqual([]);

    await page.getByLabel('Name', { exact: true }).fill('Data warehouse 2');
    await page.getByLabel('Budget amount').fill('12,5');
    await page.getByRole('button', { name: 'Save changes' }).click();
    // The API's problem next to its field.
    await page.getByText('expected a decimal amount as text').first().waitFor();
    expect(await page.getByLabel('Budget amount').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Budget amount').fill('12.5');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved as version 3.').waitFor();
    await page.getByRole('heading', { level: 1, name: /Data warehouse 2/ }).waitFor();
    expect((await h.api.store.projects.get('DWH-2'))?.budget).toEqual({ amount: '12.5', currency: 'EUR' });
    await page.context().close();
  });

  test('when the PMO checks a CSV file, then each row says what it would do; fixed, the file imports', async () => {
    const page = await h.signIn(PETRA, ['pmo'], DESKTOP);
    await page.goto('/portfolio');
    await page
      .getByRole('navigation', { name: 'Portfolio' })
      .getByRole('link', { name: 'Import and export' })
      .click();
    const file = (phase: string) =>
      ['code,name,phase,tags', 'NET-3,Network refresh,plan,', `OPS-9,Operations,${phase},ops`].join('\n');
    await page.getByLabel('Or paste the CSV text').fill(file('retire'));
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const table = page.getByRole('table', { name: 'What each row would do' });
    await table.waitFor();
    expect(await table.getByRole('row').filter({ hasText: 'NET-3' }).innerText()).toContain('Updated');
    const bad = table.getByRole('row').filter({ hasText: 'OPS-9' });
    expect(await bad.innerText()).toContain('row 3, column phase: retire is not a phase of this PMO');
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    expect(await screenProblems(page, 'portfolio-import-desktop')).toEqual([]);

    await page.getByLabel('Or paste the CSV text').fill(file('idea'));
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await table.getByRole('row').filter({ hasText: 'OPS-9' }).filter({ hasText: 'Created' }).waitFor();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('table', { name: 'What each row did' }).waitFor();
    await page.getByText('every row was written').waitFor();
    expect((await h.api.store.projects.get('OPS-9'))?.tags).toEqual(['ops']);
    expect((await h.api.store.projects.get('NET-3'))?.phase).toBe('plan');
    await page.context().close();

    const phone = await h.signIn(PETRA, ['pmo'], PHONE);
    await phone.goto('/portfolio/import');
    await phone.getByLabel('Or paste the CSV text').fill(file('retire'));
    await phone.getByRole('button', { name: 'Check (dry run)' }).click();
    await phone.getByRole('table', { name: 'What each row would do' }).waitFor();
    expect(await screenProblems(phone, 'portfolio-import-phone')).toEqual([]);
    await phone.context().close();
  });

  test('when instances carry a text that is no project, then the PMO creates the project from it, prefilled', async () => {
    const page = await h.signIn(PETRA, ['pmo'], DESKTOP);
    await page.goto('/portfolio/unlinked');
    const row = page.getByRole('row').filter({ hasText: 'intranet' });
    await row.waitFor();
    expect(await row.innerText()).toContain('2');
    expect(await screenProblems(page, 'portfolio-unlinked-desktop')).toEqual([]);
    await row.getByRole('link', { name: 'Create project from intranet' }).click();
    await page.waitForURL((url) => url.pathname === '/portfolio/new');
    expect(await page.getByLabel('Code').inputValue()).toBe('INTRANET');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('intranet');
    await page.getByLabel('Name', { exact: true }).fill('Intranet relaunch');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { level: 1, name: /INTRANET Intranet relaunch/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/portfolio/INTRANET');

    // The setting that makes starts name a known project.
    await page.goto('/portfolio/unlinked');
    await page.getByLabel('Refuse a start whose project is not an open project’s code').check();
    await page.getByRole('button', { name: 'Save setting' }).click();
    await page.getByText('Saved: new instances must name an open project by its code.').waitFor();
    expect(await h.api.store.projects.linking()).toEqual({ requireKnownProject: true });
    await page.context().close();
  });
});
