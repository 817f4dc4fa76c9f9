// The console in a real browser for tests: Debian's Chromium (scripts/install-services.sh puts it
// at /usr/bin/chromium; CHARTER_CHROMIUM overrides) driven by playwright-core, nothing downloaded.
// One browser per test file, one context per person (its own cookies, like separate people on
// separate machines), the API on real servers with the built console (scripts/build-web.ts).
// Each screen is checked the way people judge it: axe finds no serious or critical violation,
// nothing scrolls sideways, and a screenshot lands under .tools/screenshots/ for a human to see.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Role } from '../../store/index.js';
import { type ApiHarness, type HarnessOptions, startApiHarness } from './api.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Where scripts/build-web.ts builds the console (CHARTER_WEB_OUT moves it, as it moves the build). */
export const CONSOLE_DIR = path.resolve(root, process.env['CHARTER_WEB_OUT'] ?? 'web/dist');
const SCREENSHOTS = path.join(root, '.tools/screenshots');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1440, height: 900 };

export interface ConsoleHarness {
  api: ApiHarness;
  browser: Browser;
  /** A signed-in page for `person` (a token with `roles`, signed in through the sign-in screen). */
  signIn(person: string, roles: Role[], viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Builds the console if its sources changed (a no-op after `npm test`'s own build step). In a child
 * process: Vite's bundler does not run inside jest's VM modules.
 */
function buildConsole(): void {
  execFileSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'scripts/build-web.ts')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function launchBrowser(): Promise<Browser> {
  const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({
    executablePath: process.env['CHARTER_CHROMIUM'] ?? '/usr/bin/chromium',
    headless: true,
    // Chromium's sandbox refuses to run as root (CI containers); it stays on for everyone else.
    args: runningAsRoot ? ['--no-sandbox'] : [],
  });
}

/** The API with the console on real servers, and one Chromium. */
export async function startConsoleHarness(
  testFile: string,
  options: HarnessOptions = {},
): Promise<ConsoleHarness> {
  buildConsole();
  const api = await startApiHarness(testFile, { ...options, consoleDir: CONSOLE_DIR });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await api.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    api,
    browser,
    async signIn(person, roles, viewport = DESKTOP) {
      const token = await api.tokenFor(person, roles);
      const context = await browser.newContext({ baseURL: api.base, viewport });
      contexts.push(context);
      const page = await context.newPage();
      await signInWithToken(page, token);
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await api.close();
    },
  };
}

/** Signs in through the sign-in screen with an API token and waits for the first screen. */
export async function signInWithToken(page: Page, token: string, next = '/'): Promise<void> {
  await page.goto(next);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation', { name: 'Screens' }).waitFor();
}

/**
 * axe's serious and critical violations on the page as it is now, as readable lines. axe-core runs
 * in the page itself, injected once per document (the console is one document across its
 * screens): @axe-core/playwright's AxeBuilder opened a second page for every scan to finish the
 * run in, and with that took 1.4-6.6 s a screen against 0.3-1.0 s here (measured on the portfolio
 * and dashboards screens), most of the browser suites' CPU. The console has no frames, the one
 * case that needs AxeBuilder's per-frame runs. Only violations come back, already as lines.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) await page.evaluate(axe.source);
  return page.evaluate<string[]>(`axe.run(document, { resultTypes: ['violations'] }).then((results) =>
    results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
        v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
}

/** How far the page scrolls sideways (0 when it fits the viewport). */
export const sidewaysOverflow = (page: Page): Promise<number> =>
  // A string: the expression runs in the page, where `document` exists (this file has no DOM types).
  page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');

/** Saves a screenshot under .tools/screenshots/<name>.png (not committed; for people to look at). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * The checks every screen passes: axe clean (no serious or critical violation), no sideways
 * scrolling at the page's viewport, and a screenshot named `name`. Returns the problems found.
 */
export async function screenProblems(page: Page, name: string): Promise<string[]> {
  await screenshot(page, name);
  const problems = await seriousViolations(page);
  const overflow = await sidewaysOverflow(page);
  if (overflow > 0)
    problems.push(`the page scrolls ${overflow} px sideways at ${page.viewportSize()?.width ?? '?'} px`);
  return problems;
}
