// The PMO dashboards (issue 18) as each role and each state shows them, in Chromium against the API
// on real servers: an empty database (every card's empty state), a filter the API refuses (its
// message under the field, the cards pointing there), a figure the server fails to answer (that
// card's error with a retry that works, the others unharmed), a requester who opens the address
// (one "not for your role" sentence), an auditor (every figure, nothing offered they may not do),
// the project filter (each table is the API's answer for that project) and the people × weeks
// flag in the cell and in words. axe and sideways scrolling at phone and desktop width.
import type { Page } from 'playwright-core';
import { CAROL, DAVE, twoProjects } from '../integration/fixtures/dashboard-ledger.js';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';
import { cardOf, hours, seedCapacityPlan, seedPeople, signAndFold, tableOf } from './dashboard-screen.js';
import { databaseNameFor } from '../support/services.js';

const PIA = 'pia.pmo@halden.example';
const AUDREY = 'audrey.auditor@halden.example';
const RITA = 'rita@halden.example';
const SLOW = 180_000;
const CARDS = 10;

/** Waits until no card is loading any more (each shows its figure, its empty state or an error). */
async function settled(page: Page): Promise<void> {
  await page
    .locator('section.dash-card')
    .nth(CARDS - 1)
    .waitFor();
  await page.waitForFunction(
    () => document.querySelectorAll('section.dash-card .state-loading').length === 0,
  );
}

describe('the dashboards for each role and state', () => {
  let h: ConsoleHarness;
  let token: string;
  const get = async <T>(path: string, as = token): Promise<T> => {
    const answer = await h.api.call<T>('GET', path, { token: as });
    expect([path, answer.status]).toEqual([path, 200]);
    return answer.body;
  };

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, { worker: false });
    token = await h.api.tokenFor(PIA, ['pmo']);
  }, SLOW);

  afterAll(async () => {
    await h?.close();
  });

  describe('before anything happened', () => {
    test(
      'when the database is empty, then every card shows its empty state, at desktop and phone width',
      async () => {
        for (const [viewport, name] of [
          [DESKTOP, 'dashboards-empty-desktop'],
          [PHONE, 'dashboards-empty-phone'],
        ] as const) {
          const page = await h.signIn(PIA, ['pmo'], viewport);
          await page.goto('/dashboards');
          await settled(page);
          expect(await page.locator('section.dash-card .state-empty').count()).toBe(CARDS);
          expect(await page.getByText('Nothing to show yet').count()).toBe(CARDS);
          expect(await page.getByRole('alert').count()).toBe(0);
          expect(await screenProblems(page, name)).toEqual([]);
          await page.close();
        }
      },
      SLOW,
    );

    test(
      'when a requester opens the dashboards, then one sentence says they are not for their role',
      async () => {
        const page = await h.signIn(RITA, ['requester'], PHONE);
        // Not in the menu (shown or folded away): the address typed or followed from a link.
        expect(await page.locator('a[href="/dashboards"]').count()).toBe(0);
        await page.goto('/dashboards');
        await page.getByText('The dashboards are not for your role').waitFor();
        expect(await page.getByRole('heading', { name: 'Dashboards', level: 1 }).count()).toBe(1);
        expect(await page.getByText(/you are signed in as requester/).count()).toBe(1);
        expect(await page.locator('section.dash-card').count()).toBe(0);
        expect(await page.getByRole('alert').count()).toBe(0);
        expect(await screenProblems(page, 'dashboards-not-for-role-phone')).toEqual([]);
        await page.getByRole('link', { name: 'Go to your first screen' }).click();
        await page.waitForURL((url) => url.pathname === '/start');
        await page.close();
      },
      SLOW,
    );

    test(
      'when the filter names a week that does not exist, then its message is under the field and the cards point there, no retry',
      async () => {
        const page = await h.signIn(PIA, ['pmo'], DESKTOP);
        await page.goto('/dashboards?from=2026-W60');
        const from = page.getByLabel('From week');
        await page.locator('.dash-filter .field-problem').waitFor();
        expect(await from.getAttribute('aria-invalid')).toBe('true');
        const describedBy = (await from.getAttribute('aria-describedby')) ?? '';
        const problemId = describedBy.split(' ').find((id) => id.endsWith('-problem')) ?? '';
        expect(await page.locator(`[id="${problemId}"]`).textContent()).toMatch(/not a week of 2026/);
        // Once, however many routes refused it.
        expect(await page.locator('.dash-filter .field-problem').count()).toBe(1);
        await settled(page);
        // The seven cards of the four weekly routes (and people × weeks) refuse it; those of what
        // is open now take no weeks and show their (empty) figures.
        const refused = page.locator('section.dash-card .state-refused');
        expect(await refused.count()).toBeGreaterThanOrEqual(7);
        expect(await refused.first().textContent()).toMatch(
          /filter was refused .*not a week of 2026.*Correct it above/,
        );
        expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
        expect(await screenProblems(page, 'dashboards-refused-filter-desktop')).toEqual([]);
        // Corrected in the field: every card loads.
        await from.fill('2026-W19');
        await page.getByRole('button', { name: 'Apply' }).click();
        await page.waitForURL((url) => url.searchParams.get('from') === '2026-W19');
        await settled(page);
        expect(await page.locator('section.dash-card .state-refused').count()).toBe(0);
        expect(await page.locator('.dash-filter .field-problem').count()).toBe(0);
        await page.close();
      },
      SLOW,
    );

    test(
      'when the server fails to answer one figure, then that card says so with a retry that works, and the others show',
      async () => {
        // A rollup the store cannot read (a week that is not one): the compliance route fails for real.
        const rollups = h.api.mongo
          .db(databaseNameFor(import.meta.url))
          .collection<{ _id: string }>('dashboard_rollups');
        const broken = {
          _id: 'broken',
          figure: 'checks',
          policy: 'change-mgmt',
          key: 'scan',
          part: '',
          week: 'not-a-week',
          project: null,
          n: { passed: 1 },
        };
        await rollups.insertOne(broken);
        expect((await h.api.call('GET', '/v1/dashboards/compliance', { token })).status).toBe(500);
        const page = await h.signIn(PIA, ['pmo'], PHONE);
        await page.goto('/dashboards');
        const card = cardOf(page, 'Compliance per policy');
        await card.getByRole('alert').waitFor();
        expect(await card.getByRole('alert').textContent()).toMatch(
          /Could not load compliance per policy.*the server failed to answer/,
        );
        await settled(page);
        expect(await page.getByRole('alert').count()).toBe(1);
        expect(await page.locator('section.dash-card .state-empty').count()).toBe(CARDS - 1);
        expect(await screenProblems(page, 'dashboards-card-error-phone')).toEqual([]);
        // The tab hidden, the screen stops asking on its own: only the retry can bring the figure.
        await page.evaluate(() =>
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }),
        );
        await rollups.deleteOne({ _id: 'broken' });
        await card.getByRole('button', { name: 'Try again' }).click();
        await card.getByText('Nothing to show yet').waitFor();
        expect(await page.getByRole('alert').count()).toBe(0);
        await page.close();
      },
      SLOW,
    );
  });

  describe('with two projects in the ledger and a capacity plan', () => {
    beforeAll(async () => {
      const { store } = h.api;
      const now = new Date();
      await seedPeople(store, PIA);
      for (const events of twoProjects) await store.audit.append(events);
      await signAndFold(store);
      await seedCapacityPlan(h.api, token, now);
    }, SLOW);

    test(
      'when an auditor opens the dashboards, then every figure shows and nothing they may not do is offered',
      async () => {
        const page = await h.signIn(AUDREY, ['auditor'], DESKTOP);
        await page.getByRole('link', { name: 'Dashboards', exact: true }).click();
        await page.getByRole('heading', { name: 'Dashboards', level: 1 }).waitFor();
        await settled(page);
        expect(await page.getByRole('alert').count()).toBe(0);
        expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
        // Rebuilding the rollups is an admin's: the screen offers no such thing.
        expect(await page.getByRole('button', { name: /rebuild/i }).count()).toBe(0);
        const auditor = await h.api.tokenFor(AUDREY, ['auditor']);
        const cycle = await get<{ items: { count: number; p50Ms: number }[] }>(
          '/v1/dashboards/cycle-time',
          auditor,
        );
        expect((await tableOf(page, 'Cycle time per step')).map((r) => [r[3], r[4]])).toEqual(
          cycle.items.map((r) => [String(r.count), hours(r.p50Ms)]),
        );
        expect(await screenProblems(page, 'dashboards-auditor-desktop')).toEqual([]);
        await page.close();
      },
      SLOW,
    );

    test(
      'when a project is typed into the filter, then every ledger table is the API answer for that project',
      async () => {
        const page = await h.signIn(PIA, ['pmo'], PHONE);
        await page.goto('/dashboards');
        await settled(page);
        await page.getByRole('textbox', { name: 'Project', exact: true }).fill('crm');
        await page.getByRole('button', { name: 'Apply' }).click();
        await page.waitForURL((url) => url.searchParams.get('project') === 'crm');
        await settled(page);
        type CycleRow = { policy: string; step: string; task: string; count: number; p50Ms: number };
        const cycle = await get<{ items: CycleRow[] }>('/v1/dashboards/cycle-time?project=crm');
        // crm's own: two cab decisions (2,048 s and 8,192 s), not erp's.
        expect(cycle.items.map((r) => r.count)).toEqual([2]);
        expect((await tableOf(page, 'Cycle time per step')).map((r) => r.slice(0, 5))).toEqual(
          cycle.items.map((r) => [r.policy, r.step, r.task, String(r.count), hours(r.p50Ms)]),
        );
        type Breaches = {
          byStep: { policy: string; step: string; task: string; breaches: number }[];
          byApprover: { policy: string; person: string; breaches: number }[];
        };
        const breaches = await get<Breaches>('/v1/dashboards/sla-breaches?project=crm');
        expect(breaches.byApprover).toEqual([{ policy: 'change-mgmt', person: DAVE, breaches: 1 }]);
        expect(await tableOf(page, 'SLA breaches by step')).toEqual(
          breaches.byStep.map((r) => [r.policy, r.step, r.task, String(r.breaches)]),
        );
        expect(await tableOf(page, 'SLA breaches by approver')).toEqual(
          breaches.byApprover.map((r) => [r.policy, r.person, String(r.breaches)]),
        );
        type Checks = { byPolicy: { policy: string; passed: number; failed: number; waived: number }[] };
        const checks = await get<Checks>('/v1/dashboards/compliance?project=crm');
        expect(checks.byPolicy).toEqual([{ policy: 'change-mgmt', passed: 1, failed: 0, waived: 0 }]);
        expect(await tableOf(page, 'Compliance per policy')).toEqual(
          checks.byPolicy.map((r) => [r.policy, String(r.passed), String(r.failed), String(r.waived)]),
        );
        expect(await page.getByText(/Not kept per project/).count()).toBe(0);
        expect(await screenProblems(page, 'dashboards-project-phone')).toEqual([]);
        await page.close();
      },
      SLOW,
    );

    test(
      'when someone is under-used, then the people × weeks cell and its table say so in a symbol and in words',
      async () => {
        const page = await h.signIn(PIA, ['pmo'], DESKTOP);
        await page.goto('/dashboards');
        const title = 'People × weeks: allocated against capacity';
        const people = await tableOf(page, title);
        // The weeks of the plan (the others have no capacity: "no capacity", not drawn).
        const dave = people.filter((r) => r[0] === DAVE && r[3] === '40');
        const carol = people.filter((r) => r[0] === CAROL && r[3] === '40');
        expect(dave.length).toBeGreaterThan(0);
        expect(dave.map((r) => r.slice(2))).toEqual(dave.map(() => ['10', '40', '25', '▽ under']));
        expect(carol.map((r) => r.slice(2))).toEqual(carol.map(() => ['40', '40', '100', '']));
        // The chart's cells carry the symbol beside the number (not colour alone).
        const labels = await cardOf(page, title)
          .locator('.dash-chart text')
          .evaluateAll((texts) => texts.map((t) => (t.textContent ?? '').trim()));
        expect(labels.filter((l) => l === '25▽').length).toBe(dave.length);
        expect(labels.filter((l) => l === '100').length).toBe(carol.length);
        expect(labels.some((l) => l.endsWith('▲') && /^\d/.test(l))).toBe(false);
        expect(await screenProblems(page, 'dashboards-people-weeks-desktop')).toEqual([]);
        await page.close();
      },
      SLOW,
    );
  });
});
