// The studio's editor in Chromium against the API on real servers. A PMO author types a policy
// with real keystrokes, sees the real checker underline a misspelt role with its code and help,
// applies the "did you mean" with one click on the lint tooltip's action, publishes after the
// confirmation, and the server holds the fixed text. Ctrl+S formats badly indented text into the
// canonical layout (on a phone). A published version opens as the next version, what is typed
// survives a reload, and publishing it makes version 2. Every state passes axe and fits a phone.
// Studio 2: a clean draft draws its diagram; its tests run in the page with coverage in numbers,
// on the diagram and in the source; publishing over a version with finished requests shows the
// process changes and the impact first, and the author's note ends up on the Policies screen.
import type { Page } from 'playwright-core';
import { format } from '../../dsl/index.js';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';

const PETRA = 'petra.holm@halden.example';

const TYPED = [
  'policy "studio-typed" version 1 effective 2026-01-01',
  'owner "pmo@halden.example"',
  'role approver = group "approvers"',
  'process change {',
  'input {',
  'title: text',
  '}',
  'approve review {',
  'by aprover',
  '}',
  '}',
];

/** The editor's text, line by line as CodeMirror shows it. */
const editorText = (page: Page): Promise<string> =>
  page.evaluate(() =>
    [...document.querySelectorAll('.studio-editor .cm-line')].map((l) => l.textContent).join('\n'),
  );

/** Empties the editor and types `lines` with real keystrokes; Escape closes completion before Enter. */
async function typeLines(page: Page, lines: readonly string[]): Promise<void> {
  await page.locator('.studio-editor .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  for (const line of lines) {
    await page.keyboard.type(line);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
  }
}

/** Where `word` sits (its centre, in page pixels) in the editor line that contains `lineText`. */
const wordCentre = (page: Page, lineText: string, word: string): Promise<{ x: number; y: number }> =>
  page.evaluate(
    ([lineText, word]) => {
      const line = [...document.querySelectorAll('.studio-editor .cm-line')].find((l) =>
        l.textContent?.includes(lineText),
      );
      const walker = document.createTreeWalker(line ?? document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.lastIndexOf(word) ?? -1;
        if (at === -1) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        const box = range.getBoundingClientRect();
        return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
      }
      throw new Error(`no ${word} in the line with ${lineText}`);
    },
    [lineText, word] as const,
  );

const problemCount = (page: Page) => page.locator('.studio-problem-count');

const RITA = 'rita.requester@halden.example';
const CARL = 'carl.cab@halden.example';

const COVER = `policy "studio-cover" version 1 effective 2026-01-01
owner "pmo@halden.example"

role cab = group "cab"

process change {
  input {
    title: text
  }
  approve review {
    by cab
  }
  approve signoff {
    by cab
  }
}
`;

/** One scenario passes, one fails (it expects the wrong status); neither reaches signoff. */
const COVER_TESTS = {
  start: '2026-03-02 09:00',
  world: { groups: { cab: [CARL] } },
  tests: ['a rejected review ends it', 'a rejected review is approved'].map((name, i) => ({
    name,
    process: 'change',
    startedBy: RITA,
    input: { title: 'New scanners' },
    script: [{ at: '+1h', as: CARL, reject: 'review', reason: 'too dear' }],
    expect: { status: i === 0 ? 'rejected' : 'approved' },
  })),
};

const IMPACT_V1 = `policy "studio-impact" version 1 effective 2026-01-01
owner "pmo@halden.example"
role cab = group "impact-cab"
process change {
  input {
    title: text
  }
  approve review {
    by cab
  }
}
`;

/** Puts a draft in the tab's sessionStorage, where the studio resumes it on the next load. */
async function seedDraft(
  page: Page,
  draft: { entry: string; files: Record<string, string>; origin: { policy: string; version: number } | null },
): Promise<void> {
  const stored = JSON.stringify({ ...draft, active: draft.entry });
  await page.evaluate((text) => sessionStorage.setItem('charter.studio.draft', text), stored);
}

describe('the studio editor', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    // The worker finishes the request whose replay the publish confirmation shows.
    h = await startConsoleHarness(import.meta.url);
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  /** The approver approves the request's only task; the worker finishes it (polled through the API). */
  async function approveAndFinish(instanceId: string): Promise<void> {
    const token = await h.api.tokenFor(CARL, ['approver']);
    let taskId: string | undefined;
    for (let i = 0; i < 60 && taskId === undefined; i++) {
      const inbox = await h.api.call<{ items: { id: string; instanceId: string }[] }>(
        'GET',
        '/v1/tasks/inbox?limit=500',
        { token },
      );
      taskId = inbox.body.items.find((t) => t.instanceId === instanceId)?.id;
      if (taskId === undefined) await new Promise((r) => setTimeout(r, 500));
    }
    if (taskId === undefined) throw new Error('no review task in the approver inbox');
    const decided = await h.api.call('POST', `/v1/tasks/${encodeURIComponent(taskId)}/decide`, {
      token,
      body: { decision: 'approve' },
    });
    expect(decided.status).toBe(200);
    const reader = await h.api.tokenFor(PETRA, ['pmo']);
    for (let i = 0; i < 120; i++) {
      const read = await h.api.call<{ status: string }>(
        'GET',
        `/v1/instances/${encodeURIComponent(instanceId)}`,
        {
          token: reader,
        },
      );
      if (read.body.status === 'approved') return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('the request did not finish');
  }

  test('when a misspelt role is typed, then it is underlined, one click fixes it, and publishing stores the fixed text', async () => {
    const page = await h.signIn(PETRA, ['pmo', 'author'], DESKTOP);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Studio' }).click();
    await page.getByRole('heading', { level: 1, name: 'Studio' }).waitFor();
    // The template checks clean.
    await problemCount(page).getByText('No problems').waitFor();

    await typeLines(page, TYPED);
    await page.locator('.cm-lintRange-error').first().waitFor();
    const problem = page.locator('.studio-problem').filter({ hasText: 'CH3201: unknown role `aprover`' });
    await problem.waitFor();
    expect(await problem.textContent()).toContain('help: did you mean `approver`');
    expect(await problemCount(page).textContent()).toBe('1 error, 0 warnings');
    expect(await page.getByRole('button', { name: 'Publish…' }).isDisabled()).toBe(true);
    expect(await screenProblems(page, 'studio-error-desktop')).toEqual([]);

    // The lint tooltip offers the did-you-mean as an action: one click applies it.
    await page.locator('.cm-lintRange-error').first().hover();
    const action = page.locator('.cm-tooltip-lint .cm-diagnosticAction', { hasText: 'Change to approver' });
    await action.waitFor();
    await action.click();
    await problemCount(page).getByText('No problems').waitFor();
    expect(await page.locator('.cm-lintRange-error').count()).toBe(0);
    expect(await editorText(page)).toContain('by approver');

    // Hovering a role names its declaration, by line, with the declaration's first line.
    const { x, y } = await wordCentre(page, 'by approver', 'approver');
    await page.mouse.move(x, y);
    const hover = page.locator('.studio-hover');
    await hover.waitFor();
    expect(await hover.textContent()).toContain('role approver, declared on line 3');
    expect(await hover.textContent()).toContain('role approver = group "approvers"');

    await page.getByRole('button', { name: 'Publish…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish studio-typed version 1?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('2026');
    expect(await screenProblems(page, 'studio-publish-desktop')).toEqual([]);
    await dialog.getByRole('button', { name: 'Publish version 1' }).click();
    await page.getByText('Published studio-typed version 1').waitFor();

    const token = await h.api.tokenFor(PETRA, ['pmo']);
    const listed = await h.api.call<{ items: { name: string; version: number; publishedBy: string }[] }>(
      'GET',
      '/v1/policies',
      { token },
    );
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ name: 'studio-typed', version: 1, publishedBy: PETRA }),
    );
    const version = await h.api.call<{ sources: { text: string }[] }>(
      'GET',
      '/v1/policies/studio-typed/versions/1',
      { token },
    );
    expect(version.body.sources[0]?.text).toContain('by approver');
    expect(version.body.sources[0]?.text).not.toContain('aprover');
  }, 120_000);

  test('when Ctrl+S is pressed on a phone, then badly indented text becomes the canonical layout', async () => {
    const page = await h.signIn('fatima.okafor@halden.example', ['author'], PHONE);
    await page.goto('/studio');
    await problemCount(page).getByText('No problems').waitFor();
    const fixed = TYPED.map((line) => line.replace('aprover', 'approver'));
    await typeLines(page, fixed);
    await problemCount(page).getByText('No problems').waitFor();
    expect(await editorText(page)).not.toContain('  input {');

    await page.keyboard.press('Control+S');
    await page.getByText('Formatted policy.charter').waitFor();
    const canonical = format(`${fixed.join('\n')}\n`, 'policy.charter').text;
    expect(canonical).toContain('  input {');
    expect(await editorText(page)).toBe(canonical);
    expect(await screenProblems(page, 'studio-formatted-phone')).toEqual([]);

    // Completion offers the roles the text declares; Escape closes it, Escape and Tab leave the editor.
    await page.keyboard.press('Control+End');
    await page.keyboard.type('by appr');
    await page.keyboard.press('Control+Space');
    const offered = page.locator('.cm-tooltip-autocomplete li', { hasText: 'approver' });
    await offered.first().waitFor();
    expect(await offered.first().textContent()).toContain('role');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('.cm-editor') === null)).toBe(true);

    // Text that does not parse is not formatted, and the page says why.
    await page.locator('.studio-editor .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('process {');
    await page.getByRole('button', { name: 'Format' }).click();
    await page.getByText('Not formatted: the text does not parse').waitFor();
  }, 120_000);

  test('when a published version is opened, then it becomes the next version, survives a reload and publishes as version 2', async () => {
    await h.api.publish(
      'policy "studio-open" version 1 effective 2026-01-01\nowner "pmo@halden.example"\nrole cab = group "cab"\nprocess p {\n  input {\n    item: text\n  }\n  approve review {\n    by cab\n  }\n}\n',
      'studio-open.charter',
    );
    const page = await h.signIn('ada.admin@halden.example', ['admin'], PHONE);
    await page.goto('/studio');
    const choose = page.getByLabel('Or open a published version as the next one');
    await choose.locator('option[value="studio-open@1"]').waitFor({ state: 'attached' });
    await choose.selectOption('studio-open@1');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.waitForFunction(() =>
      document.querySelector('.studio-editor')?.textContent?.includes('studio-open'),
    );
    expect(new URL(page.url()).search).toBe('?policy=studio-open&version=1');
    expect(await editorText(page)).toContain('policy "studio-open" version 2 effective');

    // What is typed is kept in the tab: a reload shows it again.
    await page.locator('.studio-editor .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('# reviewed in the studio');
    await page.waitForFunction(() =>
      sessionStorage.getItem('charter.studio.draft')?.includes('reviewed in the studio'),
    );
    await page.reload();
    await page.waitForFunction(() =>
      document.querySelector('.studio-editor')?.textContent?.includes('reviewed in the studio'),
    );
    expect(await screenProblems(page, 'studio-opened-phone')).toEqual([]);

    await problemCount(page).getByText('No problems').waitFor();
    await page.getByRole('button', { name: 'Publish…' }).click();
    await page.getByRole('dialog', { name: 'Publish studio-open version 2?' }).waitFor();
    await page.getByRole('button', { name: 'Publish version 2' }).click();
    await page.getByText('Published studio-open version 2').waitFor();
    const token = await h.api.tokenFor('ada.admin@halden.example', ['admin']);
    const version = await h.api.call<{ sources: { text: string }[] }>(
      'GET',
      '/v1/policies/studio-open/versions/2',
      { token },
    );
    expect(version.body.sources[0]?.text).toContain('# reviewed in the studio');
  }, 120_000);
  test('when the tests run, then results, coverage numbers and uncovered steps show on the diagram and in the source', async () => {
    const page = await h.signIn(PETRA, ['author'], DESKTOP);
    await page.goto('/studio');
    await problemCount(page).getByText('No problems').waitFor();
    await seedDraft(page, { entry: 'cover.charter', files: { 'cover.charter': COVER }, origin: null });
    await page.goto('/studio');
    const diagram = page.getByRole('img', { name: /^Diagram of change:/ });
    await diagram.waitFor();
    expect(await diagram.getAttribute('aria-label')).toBe(
      'Diagram of change: 2 steps; run the tests to see which ones they cover',
    );

    await page.getByRole('tab', { name: 'Tests (cover.test.json)' }).click();
    const tests = page.getByLabel('Test scenarios (cover.test.json)');
    // A file of the wrong shape is refused with the zod problem at its path; nothing runs.
    await tests.fill('{ "tests": [{ "name": "no process" }] }');
    await page.getByRole('button', { name: 'Run tests' }).click();
    const refused = page.locator('.studio-test-problems');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('tests[0].process');

    await tests.fill(JSON.stringify(COVER_TESTS, null, 2));
    await page.getByRole('button', { name: 'Run tests' }).click();
    const totals = page.locator('.studio-test-totals');
    await totals.waitFor();
    expect(await totals.textContent()).toBe(
      '1 passed, 1 failed. Coverage: steps 1/2 (50.0%), branches 1/4 (25.0%).',
    );
    const failed = page.locator('.studio-scenario-failed');
    expect(await failed.textContent()).toContain('a rejected review is approved');
    expect(await failed.textContent()).toContain('expect: status is rejected');
    expect(await page.locator('.studio-scenario-passed').textContent()).toContain(
      'a rejected review ends it',
    );
    // On the diagram: review ran (rejected only), signoff never did; the legend says which is which.
    expect(await diagram.getAttribute('aria-label')).toBe(
      'Diagram of change: 2 steps: 1 partly covered, 1 not covered',
    );
    expect(await page.locator('.studio-diagram .diagram-uncovered title').textContent()).toContain(
      'signoff (approval, line 13): not covered by any test',
    );
    expect(await page.locator('.studio-diagram .diagram-partial title').textContent()).toContain('review');
    expect(await page.getByRole('list', { name: 'What the marks mean' }).textContent()).toContain(
      'not covered',
    );
    expect(await screenProblems(page, 'studio-tests-desktop')).toEqual([]);

    // In the source: the uncovered lines carry a mark in their own gutter.
    await page.getByRole('tab', { name: 'Policy source' }).click();
    const marks = page.locator('.studio-coverage-gutter .studio-uncovered-mark');
    await marks.first().waitFor();
    expect(await marks.evaluateAll((all) => all.map((m) => (m as HTMLElement).title))).toEqual([
      'Not covered: review: approved never taken',
      'Not covered: step signoff never ran; signoff: approved never taken; signoff: rejected never taken',
    ]);

    // An error keeps the last good diagram, marked out of date.
    await page.locator('.studio-editor .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('process {');
    await page.getByText('Out of date: fix the errors.').waitFor();
    expect(await diagram.isVisible()).toBe(true);
    await page.setViewportSize(PHONE);
    expect(await screenProblems(page, 'studio-preview-phone')).toEqual([]);
  }, 120_000);

  test('when v2 is published over a v1 with a finished request, then the confirmation shows the changes and the impact, and the note is kept', async () => {
    await h.api.store.directory.seedFromWorld({
      groups: { 'impact-cab': [CARL] },
      managers: {},
      people: [RITA],
    });
    await h.api.publish(IMPACT_V1, 'studio-impact.charter');
    const started = await h.api.call<{ instanceId: string }>('POST', '/v1/instances', {
      token: await h.api.tokenFor(RITA, ['requester']),
      body: { policy: 'studio-impact', process: 'change', input: { title: 'New scanners' } },
    });
    expect(started.status).toBe(201);
    await approveAndFinish(started.body.instanceId);

    const page = await h.signIn(PETRA, ['pmo', 'author'], DESKTOP);
    await page.goto('/studio?policy=studio-impact&version=1');
    await page.waitForFunction(() =>
      document.querySelector('.studio-editor')?.textContent?.includes('version 2'),
    );
    const v2 = IMPACT_V1.replace('version 1', 'version 2').replace(
      '  }\n}\n',
      '  }\n  approve signoff {\n    by cab\n  }\n}\n',
    );
    const origin = { policy: 'studio-impact', version: 1 };
    await seedDraft(page, { entry: 'studio-impact.charter', files: { 'studio-impact.charter': v2 }, origin });
    await page.reload();
    await page.waitForFunction(() =>
      document.querySelector('.studio-editor')?.textContent?.includes('signoff'),
    );
    await problemCount(page).getByText('No problems').waitFor();

    await page.getByRole('button', { name: 'Publish…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish studio-impact version 2?' });
    await dialog.getByRole('heading', { name: 'What changes from version 1 (in force)' }).waitFor();
    const process = dialog.locator('.diff-process', { hasText: 'Process change' });
    await process.waitFor();
    expect(await process.textContent()).toContain('signoff');
    expect(await process.textContent()).toContain('Added');
    const impact = dialog.locator('.studio-impact');
    await impact.waitFor({ timeout: 30_000 });
    expect(await impact.textContent()).toContain('Replayed the last 1 finished request of version 1');
    expect(await impact.textContent()).toContain(started.body.instanceId);
    expect(await screenProblems(page, 'studio-publish-changes-desktop')).toEqual([]);
    await page.setViewportSize(PHONE);
    expect(await screenProblems(page, 'studio-publish-changes-phone')).toEqual([]);

    await dialog.getByLabel('Why this change (optional)').fill('The CAB signs off after the review.');
    await dialog.getByRole('button', { name: 'Publish version 2' }).click();
    await page.getByText('Published studio-impact version 2').waitFor();
    const token = await h.api.tokenFor(PETRA, ['pmo']);
    const stored = await h.api.call<{ note: string | null }>('GET', '/v1/policies/studio-impact/versions/2', {
      token,
    });
    expect(stored.body.note).toBe('The CAB signs off after the review.');
    const older = await h.api.call<{ note: string | null }>('GET', '/v1/policies/studio-impact/versions/1', {
      token,
    });
    expect(older.body.note).toBeNull();
    await page.goto('/policies');
    const entry = page.locator('.policy-entry', {
      has: page.getByRole('heading', { name: 'studio-impact' }),
    });
    await entry.getByText('The CAB signs off after the review.').waitFor();
    expect(await entry.locator('.policy-note').textContent()).toBe(
      // The quotes are the <q> element's, drawn by CSS: not part of the text.
      'Why this change: The CAB signs off after the review.',
    );
    expect(await screenProblems(page, 'studio-policies-note-phone')).toEqual([]);
  }, 150_000);
});
