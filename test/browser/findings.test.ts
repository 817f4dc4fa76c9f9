// The findings screens in Chromium against the API on real servers. Findings are seeded through
// the store, as a monitor run opens them (no schedule runs here). A project manager finds the list
// with each finding's status, health and deadline in words and the report of open findings by
// project and age; narrows it by status and project (the filters land in the URL and survive a
// reload); opens a finding; tries to resolve it without evidence and sees the API's refusal next
// to the field; resolves it with evidence and sees it in the timeline. On a phone, a requester
// reaches a project's live finding from the project page with the keyboard alone and sees that
// they may only read it. Every screen passes axe and fits its viewport.
import type { Page } from 'playwright-core';
import type { OpenFinding } from '../../store/index.js';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';

const MARIA = 'maria.manager@halden.example';
const DANA = 'dana.lead@halden.example';
const RITA = 'rita.sommer@halden.example';
const PMO = 'pmo@halden.example';
const DAY_MS = 24 * 3600 * 1000;

const ERP_MESSAGE = 'ERP-2027 has had no risk review passed in the last 30 days';

describe('the findings screens', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, { worker: false });
    const { store } = h.api;
    await store.directory.seedFromWorld({ groups: {}, managers: {}, people: [MARIA, DANA, RITA] });
    await store.directory.upsertPerson({ id: MARIA, name: 'Maria Manager' });
    for (const [code, name] of [
      ['ERP-2027', 'ERP replacement'],
      ['CRM-1', 'Sales pipeline'],
    ] as const) {
      await store.projects.create(
        code,
        {
          name,
          phase: 'build',
          manager: MARIA,
          sponsor: null,
          budget: null,
          start: null,
          end: null,
          health: { status: 'green', reason: null },
          tags: [],
        },
        PMO,
        new Date(),
      );
    }
    const open = (project: string, daysAgo: number, overrides: Partial<OpenFinding>) => {
      const runAt = new Date(Date.now() - daysAgo * DAY_MS);
      return store.findings.open({
        policy: { name: 'PMO protocol', version: 1, sha256: 'a'.repeat(64) },
        monitor: 'risk_review_current',
        project,
        runId: `run-${project}-${daysAgo}`,
        runAt,
        day: runAt.toISOString().slice(0, 10),
        message: `${project} has had no risk review passed in the last 30 days`,
        why: 'risk_review.last_approved is 2027-01-02, before today - 30 days',
        health: 'amber',
        owners: [MARIA],
        waivers: [DANA],
        dueAt: new Date(runAt.getTime() + 5 * DAY_MS),
        ...overrides,
      });
    };
    // Opened 10 days ago, due 5 days after: overdue 5 days. Opened 1 day ago: due in 4 days.
    await open('ERP-2027', 10, {});
    await open('CRM-1', 1, { monitor: 'sponsors', message: 'CRM-1 has no sponsor', health: 'red' });
    const ended = await open('CRM-1', 40, { monitor: 'budget_set', message: 'CRM-1 has no budget' });
    await store.findings.resolve(
      ended.finding.id,
      MARIA,
      new Date(Date.now() - 38 * DAY_MS),
      'budget set',
      null,
    );
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  /** The list's row of the finding whose message is `message`. */
  const rowOf = (page: Page, message: string) => page.getByRole('row').filter({ hasText: message });

  test('when an owner works through the list, then filters stay in the URL and a resolve without evidence is refused at its field', async () => {
    const page = await h.signIn(MARIA, ['approver'], DESKTOP);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Findings' }).click();
    const erp = rowOf(page, ERP_MESSAGE);
    await erp.waitFor();
    expect(await erp.innerText()).toMatch(/Open[\s\S]*At risk[\s\S]*opened 10 days ago[\s\S]*overdue 5 days/);
    expect(await rowOf(page, 'CRM-1 has no sponsor').innerText()).toMatch(/In trouble[\s\S]*due in 3 days/);
    expect(await rowOf(page, 'CRM-1 has no budget').innerText()).toMatch(/Resolved[\s\S]*ended/);
    // The report: two projects with open findings, by age, and the one ended finding's 48 hours.
    const report = page.getByRole('region', { name: 'Open findings by project and age' });
    await report.getByRole('row').filter({ hasText: 'ERP-2027' }).waitFor();
    expect(await report.getByRole('row').filter({ hasText: 'ERP-2027' }).innerText()).toMatch(
      /1\s+0\s+1\s+0\s+risk_review_current \(1\)/,
    );
    expect(await report.innerText()).toMatch(/Mean time to resolve: 2 days, over 1 ended finding/);
    expect(await screenProblems(page, 'findings-desktop')).toEqual([]);

    // Live only, then one project: each filter lands in the URL and survives a reload.
    await page.getByLabel('Status').selectOption('live');
    await page.waitForURL(/\/findings\?status=live$/);
    await rowOf(page, 'CRM-1 has no budget').waitFor({ state: 'detached' });
    await page.getByLabel('Project code').fill('erp-2027');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=live&project=ERP-2027$/);
    await page.reload();
    await rowOf(page, ERP_MESSAGE).waitFor();
    expect(await page.locator('.findings-table tbody tr').count()).toBe(1);
    expect(await page.getByLabel('Status').inputValue()).toBe('live');

    // Open it; a resolve without evidence is refused next to the field, then resolved with evidence.
    await page.getByRole('link', { name: ERP_MESSAGE }).click();
    await page.getByRole('heading', { level: 1, name: /ERP-2027/ }).waitFor();
    expect(await page.getByRole('region', { name: 'What you can do' }).innerText()).not.toContain('Waive');
    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    const evidence = page.getByLabel('Evidence');
    await page.getByText('say what shows it is resolved').waitFor();
    expect(await evidence.getAttribute('aria-invalid')).toBe('true');
    expect(await evidence.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await screenProblems(page, 'finding-refused-desktop')).toEqual([]);
    await evidence.fill('risk review RR-12 approved on 3 March');
    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    await page.getByText('Resolved: the finding is closed with your evidence.').waitFor();
    await page.getByRole('listitem').filter({ hasText: 'risk review RR-12 approved on 3 March' }).waitFor();
    expect(await page.locator('.findings-status-line').innerText()).toMatch(/Resolved/);
    expect(await page.getByRole('region', { name: 'What you can do' }).innerText()).toContain(
      'Nothing: the finding has ended.',
    );
    expect(await screenProblems(page, 'finding-desktop')).toEqual([]);
  });

  test('when a requester on a phone opens a project, then its live findings link to them and the keyboard reaches one', async () => {
    const page = await h.signIn(RITA, ['requester'], PHONE);
    await page.goto('/portfolio/CRM-1');
    const findings = page.getByRole('region', { name: 'Findings' });
    const link = findings.getByRole('link', { name: 'CRM-1 has no sponsor' });
    await link.waitFor();
    expect(await findings.innerText()).not.toContain('CRM-1 has no budget');
    expect(await page.locator('.portfolio-health-line').nth(1).innerText()).toMatch(
      /From its findings: In trouble 1 open finding of monitor sponsors since \d{4}-\d{2}-\d{2}/,
    );
    expect(await screenProblems(page, 'project-findings-phone')).toEqual([]);

    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /CRM-1 has no sponsor/ }).waitFor();
    expect(await page.getByRole('region', { name: 'What you can do' }).innerText()).toContain('Its owners');
    await page.goto('/findings');
    await rowOf(page, 'CRM-1 has no sponsor').waitFor();
    expect(await screenProblems(page, 'findings-phone')).toEqual([]);
    await page.goto(`/findings/${encodeURIComponent('PMO protocol/none/NOPE-1/2027-01-01T00:00:00.000Z')}`);
    await page.getByRole('heading', { name: 'No such finding' }).waitFor();
  });
});
