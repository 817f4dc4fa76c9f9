// The studio's editor in Chromium against the API on real servers. A PMO author types a policy
// with real keystrokes, sees the real checker underline a misspelt role with its code and help,
// applies the "did you mean" with one click on the lint tooltip's action, publishes after the
// confirmation, and the server holds the fixed text. Ctrl+S formats badly indented text into the
// canonical layout (on a phone). A published version opens as the next version, what is typed
// survives a reload, and publishing it makes version 2. Every state passes axe and fits a phone.
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

describe('the studio editor', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, { worker: false });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

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
});
