// The studio's "Try it" tab and library files in Chromium against the console on real servers. A
// PMO author builds a scenario in the form with the keyboard (input, one day passing, an approval),
// a non-number in a number field is shown next to it and nothing runs, then the run shows the
// timeline the simulator gives (computed again here, in the test process, from the same policy),
// the preview marks the steps that run reached, and "Add to tests" makes it a test that passes
// in the Tests tab (whose coverage the preview then marks). A library file is added beside
// the policy (a bad name is refused next to the field), survives a reload, is checked with the rest
// (an error in it leaves nothing to try) and is removed again.
// Every state passes axe and fits a phone. Nothing here runs on Temporal.
import type { Page } from 'playwright-core';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import { coveragePoints, coveredBy, runScenario, worldSchema } from '../../engine/simulate/index.js';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';
import { twoStepPurchase } from '../support/purchase-policy.js';

const PETRA = 'petra.holm@halden.example';
const ROB = 'rob.review@halden.example';
const FAY = 'fay.finance@halden.example';

const TRY = twoStepPurchase('studio-try');

/** A test file with a zone, a start and a world, and no test yet. */
const TESTS = {
  timezone: 'Europe/Berlin',
  start: '2026-03-02 09:00',
  world: { groups: { reviewers: [ROB], finance: [FAY] } },
  tests: [],
};

/** Puts a draft in the tab's sessionStorage, where the studio resumes it on the next load. */
async function seedDraft(
  page: Page,
  draft: { entry: string; files: Record<string, string>; tests?: string },
) {
  const stored = JSON.stringify({ ...draft, active: draft.entry, origin: null });
  await page.evaluate((text) => {
    sessionStorage.removeItem('charter.studio.scenario');
    sessionStorage.setItem('charter.studio.draft', text);
  }, stored);
}

const problemCount = (page: Page) => page.locator('.studio-problem-count');

/** Selects the field's text and types `text` over it with real keystrokes. */
async function typeInto(page: Page, field: ReturnType<Page['getByLabel']>, text: string): Promise<void> {
  await field.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

/** The simulator's own run of the scenario the form describes, in this process. */
function expected() {
  const policy = compileEntry('try.charter', memoryHost({ 'try.charter': TRY })).compiled;
  if (!policy) throw new Error('the test policy does not compile');
  const result = runScenario(
    policy,
    {
      name: 'expected',
      process: 'purchase',
      start: '2026-03-02 09:00',
      startedBy: PETRA,
      input: { title: 'Laptops', amount: 1200 },
      script: [{ at: '+1d' }, { approve: 'review', as: ROB }],
    },
    { timezone: TESTS.timezone, world: worldSchema.parse(TESTS.world) },
  );
  if (!result.simulation) throw new Error(result.failures.join('\n'));
  return { sim: result.simulation, policy };
}

describe('the studio scenario builder and library files', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, { worker: false });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  test('when a scenario is built with the keyboard and run, then the timeline is the simulator one and it becomes a passing test', async () => {
    const page = await h.signIn(PETRA, ['author'], DESKTOP);
    await page.goto('/studio');
    await problemCount(page).getByText('No problems').waitFor();
    await seedDraft(page, {
      entry: 'try.charter',
      files: { 'try.charter': TRY },
      tests: JSON.stringify(TESTS),
    });
    await page.goto('/studio');
    await problemCount(page).getByText('No problems').waitFor();

    // The tabs as the WAI-ARIA pattern has them: End moves to the last tab and shows it.
    await page.getByRole('tab', { name: 'Policy source' }).focus();
    await page.keyboard.press('End');
    const tryTab = page.getByRole('tab', { name: 'Try it' });
    expect(await tryTab.getAttribute('aria-selected')).toBe('true');
    const form = page.getByRole('form', { name: 'Scenario' });
    await form.waitFor();
    // Prefilled: who is signed in, the test file's start, and its world.
    expect(await form.getByLabel('Started by').inputValue()).toBe(PETRA);
    expect(await form.getByLabel('Starts at').inputValue()).toBe('2026-03-02T09:00');
    expect(await form.getByLabel('Group reviewers').inputValue()).toBe(ROB);

    await typeInto(page, form.getByLabel('Title', { exact: true }), 'Laptops');
    await typeInto(page, form.getByLabel('Amount', { exact: true }), 'lots');
    await form.getByRole('button', { name: 'Run' }).focus();
    await page.keyboard.press('Enter');
    // The engine's own words, next to the field and tied to it; nothing ran.
    const amount = form.getByLabel('Amount', { exact: true });
    expect(await amount.getAttribute('aria-invalid')).toBe('true');
    const problemId = (await amount.getAttribute('aria-describedby'))?.split(' ')[0] ?? '';
    expect(await page.locator(`[id="${problemId}"]`).textContent()).toContain('expected a number');
    expect(await page.getByRole('alert').first().textContent()).toContain('The scenario cannot run');
    expect(await page.locator('.scenario-result').count()).toBe(0);

    await typeInto(page, amount, '1200');
    // One day passes (the first act's default is +1d), then the reviewer approves.
    await form.getByRole('button', { name: 'Add', exact: true }).focus();
    await page.keyboard.press('Enter');
    await form.getByLabel('Add an act').selectOption('approve');
    await form.getByRole('button', { name: 'Add', exact: true }).focus();
    await page.keyboard.press('Enter');
    const acts = form.locator('.scenario-act');
    expect(await acts.nth(0).getByLabel('Until').inputValue()).toBe('+1d');
    expect(await acts.nth(1).getByLabel('Step').inputValue()).toBe('review');
    await typeInto(page, acts.nth(1).getByLabel('As (person)'), ROB);
    await form.getByRole('button', { name: 'Run' }).focus();
    await page.keyboard.press('Enter');

    const result = page.locator('.scenario-result');
    await result.waitFor();
    const { sim, policy } = expected();
    expect(await page.locator('.scenario-status').textContent()).toContain(
      `Final status: ${sim.state.status}`,
    );
    const rows = await page.locator('.scenario-entry').evaluateAll((all) =>
      all.map((li) => ({
        step: li.querySelector('.scenario-step')?.textContent ?? null,
        text: li.querySelector('.scenario-text')?.textContent ?? '',
      })),
    );
    expect(rows).toEqual(sim.timeline.map((e) => ({ step: e.step, text: e.text })));
    // The task the review opened, its approval, and the budget task now waiting for finance.
    expect(rows.filter((r) => r.step === 'review').length).toBeGreaterThanOrEqual(2);
    expect(rows.some((r) => r.step === 'review' && r.text.includes(ROB))).toBe(true);
    expect(await page.locator('.scenario-open-tasks').textContent()).toContain(FAY);
    expect(await page.locator('.scenario-when').first().textContent()).toBe('Mon 2026-03-02 09:00');
    // The preview marks the steps this run reached, as the simulator's coverage has them.
    const summary = page.locator('.studio-preview .diagram-summary');
    const steps = coveragePoints(policy).steps.filter((p) => p.process === 'purchase');
    const reached = steps.filter((p) => coveredBy(sim).has(p.key)).length;
    expect(reached).toBeGreaterThan(0);
    expect(await summary.textContent()).toMatch(
      new RegExp(`^The Try-it run \u201cpurchase in the studio\u201d: ${steps.length} steps: .*reached`),
    );
    const marked = (tones: string) =>
      page
        .locator(
          tones
            .split(' ')
            .map((t) => `.studio-preview .diagram-steps li.studio-step-${t}`)
            .join(', '),
        )
        .count();
    expect(await marked('covered partial')).toBe(reached);
    expect(await marked('uncovered')).toBe(steps.length - reached);
    expect(await screenProblems(page, 'studio-scenario-desktop')).toEqual([]);
    await page.setViewportSize(PHONE);
    expect(await screenProblems(page, 'studio-scenario-phone')).toEqual([]);
    await page.setViewportSize(DESKTOP);

    await page.getByRole('button', { name: 'Add to tests' }).click();
    await page.getByText('Added to try.test.json, expecting running.').waitFor();
    await page.getByRole('tab', { name: 'Tests (try.test.json)' }).click();
    expect(await page.getByLabel('Test scenarios (try.test.json)').inputValue()).toContain(
      '"name": "purchase in the studio"',
    );
    await page.getByRole('button', { name: 'Run tests' }).click();
    const totals = page.locator('.studio-test-totals');
    await totals.waitFor();
    expect(await totals.textContent()).toContain('1 passed, 0 failed');
    // Now the tests' coverage is what the preview marks.
    expect(await summary.textContent()).toMatch(new RegExp(`^${steps.length} steps: .*covered`));

    // The form survived the trip to the other tab.
    await tryTab.click();
    expect(await form.getByLabel('Title', { exact: true }).inputValue()).toBe('Laptops');
    expect(await form.locator('.scenario-act').count()).toBe(2);
  }, 120_000);

  test('when a library file is added, then it shows in the file switcher, survives a reload and can be removed', async () => {
    const page = await h.signIn(PETRA, ['author'], PHONE);
    await page.goto('/studio');
    await problemCount(page).getByText('No problems').waitFor();
    await seedDraft(page, { entry: 'try.charter', files: { 'try.charter': TRY } });
    await page.goto('/studio');
    await problemCount(page).getByText('No problems').waitFor();
    expect(await page.getByRole('navigation', { name: 'Open files' }).count()).toBe(0);

    await page.getByRole('button', { name: 'New library file…' }).click();
    const name = page.getByLabel('Library file name');
    for (const [typed, problem] of [
      ['lib/shared.charter', 'without folders'],
      ['shared', 'must end with .charter'],
      ['try.charter', 'already a file'],
    ] as const) {
      await name.fill(typed);
      await page.getByRole('button', { name: 'Create' }).click();
      expect(await name.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('.studio-library-form .field-problem').textContent()).toContain(problem);
    }
    expect(await screenProblems(page, 'studio-library-name-phone')).toEqual([]);
    await name.fill('shared.charter');
    await page.getByRole('button', { name: 'Create' }).click();

    const switcher = page.getByRole('navigation', { name: 'Open files' });
    await switcher.waitFor();
    const shown = switcher.getByRole('button', { name: 'shared.charter' });
    expect(await shown.getAttribute('aria-current')).toBe('true');
    await page.locator('.studio-editor .cm-line', { hasText: 'library "shared"' }).waitFor();
    await problemCount(page).getByText('No problems').waitFor();

    await page.reload();
    await switcher.waitFor();
    expect(await switcher.getByRole('button').allTextContents()).toEqual(['try.charter', 'shared.charter']);

    // The new file is checked with the rest; while it has an error, there is no scenario to try.
    await page.locator('.studio-editor .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('role {');
    await problemCount(page).getByText(/error/).waitFor();
    await page.getByRole('tab', { name: 'Try it' }).click();
    await page
      .getByText('Fix the errors in the policy first: a scenario runs on a policy that checks clean.')
      .waitFor();
    expect(await page.getByRole('form', { name: 'Scenario' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Policy source' }).click();

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Remove shared.charter' }).click();
    await page.locator('.studio-file', { hasText: 'try.charter' }).waitFor();
    expect(await switcher.count()).toBe(0);
    await problemCount(page).getByText('No problems').waitFor();
    const stored = await page.evaluate(() => sessionStorage.getItem('charter.studio.draft') ?? '');
    expect(Object.keys((JSON.parse(stored) as { files: object }).files)).toEqual(['try.charter']);
    expect(await screenProblems(page, 'studio-library-removed-phone')).toEqual([]);
  }, 120_000);
});
