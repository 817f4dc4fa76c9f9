// The checks every console screen passes (test/support/browser.ts) must be able to fail: on pages
// written here with known faults, axe reports the serious and critical ones (not the moderate),
// once injected it keeps working across a screen change within the document and is injected again
// into a new document, and a page wider than its viewport is caught.
import type { Browser, Page } from 'playwright-core';
import {
  launchBrowser,
  PHONE,
  screenProblems,
  seriousViolations,
  sidewaysOverflow,
} from '../support/browser.js';

const FAULTY = `<!doctype html><html lang="en"><head><title>Faulty</title></head><body>
  <main>
    <h1>Faulty screen</h1>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
    <p style="color:#bbb;background:#fff">Light grey on white</p>
    <button></button>
  </main>
</body></html>`;

const CLEAN = `<!doctype html><html lang="en"><head><title>Clean</title></head><body>
  <main><h1>Clean screen</h1><p>Dark text on white.</p><button>Approve</button></main>
</body></html>`;

describe('the screen checks', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: PHONE });
  });

  afterEach(async () => {
    await page.close();
  });

  test('when a screen has an image without text, unreadable text and a nameless button, then axe names each', async () => {
    await page.setContent(FAULTY);
    const problems = await seriousViolations(page);
    expect(problems.map((p) => p.slice(0, p.indexOf(':')))).toEqual([
      'button-name (critical)',
      'color-contrast (serious)',
      'image-alt (critical)',
    ]);
    expect(problems.find((p) => p.startsWith('image-alt'))).toMatch(/ at img$/);
  });

  test('when the document changes under the injected axe, then it checks what is there now', async () => {
    await page.setContent(CLEAN);
    expect(await seriousViolations(page)).toEqual([]);
    // A screen change within the document, as the console's router does it.
    await page.evaluate(
      `document.querySelector('main').insertAdjacentHTML('beforeend', '<img src="x.png">')`,
    );
    expect(await seriousViolations(page)).toEqual([expect.stringMatching(/^image-alt \(critical\)/)]);
    // A new document (a page load) has no axe until it is injected again.
    await page.goto(`data:text/html,${encodeURIComponent(CLEAN)}`);
    expect(await page.evaluate<string>('typeof window.axe')).toBe('undefined');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('when a page is wider than its viewport, then the sideways scroll is a problem', async () => {
    await page.setContent(CLEAN.replace('</main>', '<div style="width:2000px">wide</div></main>'));
    expect(await sidewaysOverflow(page)).toBeGreaterThan(1_000);
    expect(await screenProblems(page, 'screen-checks-wide')).toEqual([
      expect.stringMatching(/^the page scrolls \d+ px sideways at 390 px$/),
    ]);
  });
});
