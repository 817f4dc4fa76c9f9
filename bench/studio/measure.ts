// One studio page with a published policy open, and one keystroke measured on it: a character
// typed after the role name in `by cab` (so `cabx`, an unknown role: the checker's error), from the
// keydown to the character drawn and to the underline drawn, then Ctrl+Z, from its keydown to the
// underline gone. All in the page's clock (probes.ts). The cursor is put at the end of that line
// once (putCursorAtEndOf); each undo puts it back there.
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, signInWithToken } from '../../test/support/browser.js';
import { arm, longestTaskIn, longTasksObserved, markOf, probedContext } from './probes.js';
import { ROLE_LINE } from './world.js';

export interface KeystrokeSample {
  /** Keydown to the typed character drawn in its line. */
  drawnMs: number;
  /** Keydown to the first error underline drawn. */
  underlineMs: number;
  /** The longest main-thread task between the keydown and the underline (0: none over 50 ms). */
  longestTaskMs: number;
  /** Ctrl+Z's keydown to the underline gone (the checker's run on the restored text). */
  clearedMs: number;
}

export interface StudioPage {
  page: Page;
  close(): Promise<void>;
}

const TYPED = 'x';

/** Signs in, opens /studio on `policy` version 1, waits until it checked clean, puts the cursor. */
export async function openStudio(
  browser: Browser,
  base: string,
  token: string,
  policy: string,
  roleLine: number,
): Promise<StudioPage> {
  const { context, page } = await probedContext(() =>
    browser.newContext({ baseURL: base, viewport: DESKTOP }),
  );
  try {
    await signInWithToken(page, token);
    await longTasksObserved(page);
    await page.goto(`/studio?policy=${encodeURIComponent(policy)}&version=1`);
    await page
      .locator('.studio-publish-help', { hasText: 'Ready to publish' })
      .waitFor({ state: 'visible', timeout: 60_000 });
    if ((await page.locator('.cm-lintRange-error').count()) > 0)
      throw new Error(`${policy}: the studio underlines an error before any keystroke`);
    await putCursorAtEndOf(page, roleLine);
    return { page, close: () => context.close() };
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Puts the cursor at the end of line `line` (1-based) as a keyboard user would: into the editor,
 * to its start, down until the active line is that one (the editor draws only the lines in view,
 * so the line may not be in the DOM to click; a wrapped line takes more than one step), to its end.
 */
async function putCursorAtEndOf(page: Page, line: number): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  const gutter = page.locator('.cm-activeLineGutter').first();
  for (let steps = 0; (await gutter.textContent())?.trim() !== String(line); steps++) {
    if (steps > 4 * line) throw new Error(`the cursor did not reach line ${line}`);
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('End');
  const active = (await page.locator('.cm-activeLine').first().textContent()) ?? '';
  if (!active.endsWith(ROLE_LINE))
    throw new Error(`the cursor is on "${active.trim()}", not on line ${line} ("${ROLE_LINE}")`);
}

const forgetKey = (page: Page) => page.evaluate('delete window.__studioBench.marks.key');

/** One keystroke that breaks the role name, and its undo. */
export async function keystroke(page: Page): Promise<KeystrokeSample> {
  await forgetKey(page);
  await arm(page, 'drawn', 'lineEndsWith', `${ROLE_LINE}${TYPED}`);
  await arm(page, 'underlined', 'underlined');
  await page.keyboard.type(TYPED);
  const key = await markOf(page, 'key', 'the keystroke reached the page', 5_000);
  const drawn = await markOf(page, 'drawn', `"${ROLE_LINE}${TYPED}" drawn in the editor`);
  const underlined = await markOf(page, 'underlined', `the error underline under "cab${TYPED}"`);
  const longestTaskMs = await longestTaskIn(page, key, underlined);

  await forgetKey(page);
  await arm(page, 'cleared', 'clean');
  await arm(page, 'restored', 'lineEndsWith', ROLE_LINE);
  await page.keyboard.press('Control+z');
  const undo = await markOf(page, 'key', 'the undo reached the page', 5_000);
  await markOf(page, 'restored', `Ctrl+Z restoring "${ROLE_LINE}"`);
  const cleared = await markOf(page, 'cleared', 'the error underline gone after Ctrl+Z');
  return { drawnMs: drawn - key, underlineMs: underlined - key, longestTaskMs, clearedMs: cleared - undo };
}
