// The PMO dashboards (issue 18) in Chromium against the API on real servers: the hand-counted
// ledger of test/integration/dashboards.test.ts appended, the tree grown by the signer's own
// function and the rollups folded by the projector (as the signer's runs do), open tasks and a
// capacity plan written through the store and the API. Each figure the screen shows in its data
// tables is the API's own number; a click on a chart segment and a table row's link open the
// matching list; the CSV download holds exactly the figure's rows; axe finds nothing at phone
// and desktop width.
import { readFileSync } from 'node:fs';
import {
  CAROL,
  chain,
  DAVE,
  DAY,
  ERIN,
  FRANK,
  handCounted,
  started,
  openCabs,
  VENDOR,
} from '../integration/fixtures/dashboard-ledger.js';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';
import { hours, seedCapacityPlan, seedPeople, signAndFold, tableOf } from './dashboard-screen.js';

const PIA = 'pia.pmo@halden.example';
const SLOW = 180_000;

/** A waiver that ends 10 days from the real now (the fixture's end is fixed in May 2026). */
function waiverEndingSoon(now: Date) {
  const start = new Date(now.getTime() - 3_600_000).toISOString();
  return chain('i-w', VENDOR, 'erp', start, [
    [0, started],
    [0, { kind: 'checkTaskOpened', step: 'legal', people: [ERIN, FRANK], task: 'waiver' }],
    [
      60,
      {
        kind: 'waived',
        step: 'legal',
        actor: FRANK,
        onBehalfOf: null,
        reason: 'accepted',
        failure: 'late',
        until: { at: now.getTime() + 10 * DAY, zone: 'UTC' },
      },
    ],
  ]);
}

describe('the dashboards screen', () => {
  let h: ConsoleHarness;
  let token: string;
  const get = async <T>(path: string): Promise<T> => {
    const answer = await h.api.call<T>('GET', path, { token });
    expect(answer.status).toBe(200);
    return answer.body;
  };

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, { worker: false });
    const { store } = h.api;
    const now = new Date();
    await seedPeople(store, PIA);
    // Approver load is folded from the ledger: three cabs still open for Carol and Dave.
    for (const events of [...handCounted, waiverEndingSoon(now), ...openCabs(now)])
      await store.audit.append(events);
    await signAndFold(store);
    token = await h.api.tokenFor(PIA, ['pmo']);
    await seedCapacityPlan(h.api, token, now);
  }, SLOW);

  afterAll(async () => {
    await h?.close();
  });

  test(
    'when the PMO opens the dashboards, then every figure in the tables is the API number',
    async () => {
      const page = await h.signIn(PIA, ['pmo'], DESKTOP);
      await page.getByRole('link', { name: 'Dashboards' }).click();
      await page.getByRole('heading', { name: 'Dashboards', level: 1 }).waitFor();

      type Cycle = {
        items: {
          policy: string;
          step: string;
          task: string;
          count: number;
          p50Ms: number;
          p90Ms: number;
          meanMs: number;
          maxMs: number;
        }[];
      };
      const cycle = await get<Cycle>('/v1/dashboards/cycle-time');
      expect(cycle.items.length).toBeGreaterThan(0);
      expect(await tableOf(page, 'Cycle time per step')).toEqual(
        cycle.items.map((r) => [
          r.policy,
          r.step,
          r.task,
          String(r.count),
          hours(r.p50Ms),
          hours(r.p90Ms),
          hours(r.meanMs),
          hours(r.maxMs),
        ]),
      );
      type Breaches = {
        byStep: { policy: string; step: string; task: string; breaches: number }[];
        byApprover: { policy: string; person: string; breaches: number }[];
      };
      const breaches = await get<Breaches>('/v1/dashboards/sla-breaches');
      expect(await tableOf(page, 'SLA breaches by step')).toEqual(
        breaches.byStep.map((r) => [r.policy, r.step, r.task, String(r.breaches)]),
      );
      expect(await tableOf(page, 'SLA breaches by approver')).toEqual(
        breaches.byApprover.map((r) => [r.policy, r.person, String(r.breaches)]),
      );
      type Checks = { byPolicy: { policy: string; passed: number; failed: number; waived: number }[] };
      const checks = await get<Checks>('/v1/dashboards/compliance');
      expect(await tableOf(page, 'Compliance per policy')).toEqual(
        checks.byPolicy.map((r) => [r.policy, String(r.passed), String(r.failed), String(r.waived)]),
      );
      type Outcomes = {
        items: {
          policy: string;
          project: string | null;
          started: number;
          approved: number;
          rejected: number;
          cancelled: number;
        }[];
      };
      const outcomes = await get<Outcomes>('/v1/dashboards/instances');
      expect(await tableOf(page, 'Instances per project by outcome')).toEqual(
        outcomes.items.map((r) => [
          r.policy,
          r.project ?? '(no project)',
          ...[r.started, r.approved, r.rejected, r.cancelled].map(String),
        ]),
      );
      type Load = {
        items: {
          person: string;
          open: number;
          overdue: number;
          byAge: Record<string, number>;
          delegatedTo: string[];
        }[];
      };
      const load = await get<Load>('/v1/dashboards/approver-load');
      expect(load.items.map((r) => r.person)).toEqual([CAROL, DAVE]);
      expect(await tableOf(page, 'Approver load: open tasks by age')).toEqual(
        load.items.map((r) => [
          r.person,
          String(r.open),
          String(r.overdue),
          ...['<1d', '1-3d', '3-7d', '>7d'].map((a) => String(r.byAge[a] ?? 0)),
          '—',
        ]),
      );
      type Waivers = { items: { instanceId: string }[] };
      const waivers = await get<Waivers>('/v1/dashboards/waivers-expiring');
      expect(waivers.items.map((w) => w.instanceId)).toEqual(['i-w']);
      expect((await tableOf(page, 'Waivers ending in the next 30 days')).map((r) => r[1])).toEqual(['i-w']);
      // People × weeks: Carol's 40 of 40 hours unflagged, Dave's 10 of 40 flagged under, in words.
      const people = await tableOf(page, 'People × weeks: allocated against capacity');
      const carol = people.find((r) => r[0] === CAROL);
      const dave = people.find((r) => r[0] === DAVE);
      expect([carol?.slice(2), dave?.slice(2)]).toEqual([
        ['40', '40', '100', ''],
        ['10', '40', '25', '▽ under'],
      ]);
      // Freshness in words on every ledger figure.
      const asOf = await page.locator('.dash-asof').first().textContent();
      expect(asOf).toMatch(/^as of .+, .+/);
      expect(await screenProblems(page, 'dashboards-desktop')).toEqual([]);
      await page.close();
    },
    SLOW,
  );

  test(
    'when a chart segment or a table link is clicked, then the matching list opens',
    async () => {
      const page = await h.signIn(PIA, ['pmo'], DESKTOP);
      await page.goto('/dashboards?policy=change-mgmt');
      const card = page.locator('section.dash-card', {
        has: page.getByRole('heading', { name: 'Compliance per policy' }),
      });
      // The passed part of change-mgmt's bar: the first series' colour in the SVG.
      const paths = card.locator('.dash-chart path[fill="#1f5fa8"]');
      await paths.first().waitFor();
      await card.scrollIntoViewIfNeeded();
      // The widest such path is the bar (the legend's swatch has the same colour). The chart is
      // drawn again when its figures change or its box resizes, which replaces its paths (under
      // load, none were there a moment after the first was): the bar is found and clicked by
      // position in one go, and again when that met a redraw (a click on the background does
      // nothing), for up to 20 s.
      const deadline = Date.now() + 20_000;
      for (;;) {
        const bar = await paths.evaluateAll((all) =>
          all
            .map((p) => {
              const { x, y, width, height } = p.getBoundingClientRect();
              return { x, y, width, height };
            })
            .reduce<{ x: number; y: number; width: number; height: number } | null>(
              (widest, r) => (widest === null || r.width > widest.width ? r : widest),
              null,
            ),
        );
        if (bar !== null) await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
        const opened = await page
          .waitForURL((url) => url.pathname === '/audit', { timeout: 1_000 })
          .then(() => true)
          .catch(() => false);
        if (opened) break;
        if (Date.now() > deadline) throw new Error(`clicks on the bar did not open /audit (${page.url()})`);
      }
      expect(new URL(page.url()).searchParams.get('policy')).toBe('change-mgmt');

      await page.goto('/dashboards');
      const instances = page.locator('section.dash-card', {
        has: page.getByRole('heading', { name: 'Instances per project by outcome' }),
      });
      await instances.getByText('Show as a table').click();
      await instances.getByRole('link', { name: /Open list for change-mgmt, erp/ }).click();
      await page.waitForURL((url) => url.pathname === '/portfolio/erp');

      // A breach's row opens the ledger at that step's timeouts: the one event that breached.
      await page.goto('/dashboards');
      const breaches = page.locator('section.dash-card', {
        has: page.getByRole('heading', { name: 'SLA breaches by step', exact: true }),
      });
      await breaches.getByText('Show as a table').click();
      await breaches
        .getByRole('link', { name: /Open list for change-mgmt/ })
        .first()
        .click();
      await page.waitForURL((url) => url.pathname === '/audit');
      const search = new URL(page.url()).searchParams;
      expect([search.get('policy'), search.get('step'), search.get('fact')]).toEqual([
        'change-mgmt',
        'cab',
        'approvalTimedOut',
      ]);
      const form = page.getByRole('search', { name: 'Search the ledger' });
      expect(await form.getByLabel('Step').inputValue()).toBe('cab');
      expect(await form.getByLabel('Fact', { exact: true }).inputValue()).toBe('approvalTimedOut');
      await page.locator('.audit-events tbody tr').first().waitFor();
      const events = await page.locator('.audit-events tbody tr').allInnerTexts();
      expect(events).toHaveLength(1);
      expect(events[0]).toContain('i-d');
      await page.close();
    },
    SLOW,
  );

  test(
    'when the CSV is downloaded, then it holds the figure; and the phone layout is clean',
    async () => {
      const page = await h.signIn(PIA, ['pmo'], DESKTOP);
      await page.goto('/dashboards');
      const card = page.locator('section.dash-card', {
        has: page.getByRole('heading', { name: 'SLA breaches by approver' }),
      });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        card.getByRole('button', { name: /Download CSV/ }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('sla-breaches-by-approver.csv');
      const text = readFileSync(await download.path(), 'utf8');
      const { byApprover } = await get<{
        byApprover: { policy: string; person: string; breaches: number }[];
      }>('/v1/dashboards/sla-breaches');
      expect(text).toBe(
        ['Policy,Approver,Breaches', ...byApprover.map((r) => `${r.policy},${r.person},${r.breaches}`)].join(
          '\r\n',
        ) + '\r\n',
      );

      const phone = await h.signIn(PIA, ['pmo'], PHONE);
      await phone.goto('/dashboards?from=2026-W19&to=2026-W20');
      await phone.locator('section.dash-card .dash-chart').first().waitFor();
      // Every card loaded (ten figures, each with its table) before the screenshot.
      await phone.locator('section.dash-card table').nth(9).waitFor({ state: 'attached' });
      expect(await screenProblems(phone, 'dashboards-phone')).toEqual([]);
      // A week that does not exist: the API's message under the field.
      await phone.goto('/dashboards?from=2026-W54');
      const problem = phone.locator('.dash-filter .field-problem');
      await problem.waitFor();
      expect(await problem.textContent()).toMatch(/not a week of 2026/);
      // Closed before the harness: their reads would otherwise still poll a closing API.
      await Promise.all([page.close(), phone.close()]);
    },
    SLOW,
  );
});
