// What the studio benchmark observes inside the page, in the page's own clock (performance.now()),
// so Playwright's round trips never count: a script installed before the console's code
// (context.addInitScript) stamps every keydown in the capture phase, before CodeMirror sees it,
// records long tasks (PerformanceObserver 'longtask': main-thread tasks over 50 ms), and, once
// armed, stamps the first moment a condition on the editor holds, checked after every DOM mutation
// and every frame: an error underline (`.cm-lintRange-error`, CodeMirror lint's mark) is shown, or
// none is, or a line of the editor ends with a given text (the keystroke has been drawn).
//
// The checker runs inside the console's bundle, out of reach of page.evaluate, so its cost is seen
// only through the DOM: the time from the keystroke to the underline, less the debounce, and the
// longest long task in between (the checker's run is one task: check, then the marks drawn).
// This file has no DOM types (bench/ is compiled for Node), so the page's code is a string.
import type { BrowserContext, Page } from 'playwright-core';

/** Runs in every page before the console. `window.__studioBench` is the benchmark's alone. */
const PAGE_SCRIPT = `(() => {
  if (window.__studioBench) return;
  const bench = { marks: {}, longTasks: [], error: null, observer: null };
  window.__studioBench = bench;
  const keep = (entries) => {
    for (const e of entries) bench.longTasks.push({ start: e.startTime, duration: e.duration });
  };
  try {
    bench.observer = new PerformanceObserver((list) => keep(list.getEntries()));
    bench.observer.observe({ type: 'longtask', buffered: true });
  } catch (error) {
    bench.error = String(error);
  }
  document.addEventListener('keydown', () => { bench.marks.key = performance.now(); }, true);
  const conditions = {
    underlined: () => document.querySelector('.cm-lintRange-error') !== null,
    clean: () => document.querySelector('.cm-lintRange-error') === null,
    lineEndsWith: (text) => [...document.querySelectorAll('.cm-line')].some((l) => l.textContent.endsWith(text)),
  };
  bench.arm = (mark, condition, arg) => {
    delete bench.marks[mark];
    const test = () => {
      if (bench.marks[mark] === undefined && conditions[condition](arg)) bench.marks[mark] = performance.now();
      return bench.marks[mark] !== undefined;
    };
    if (test()) return;
    const observer = new MutationObserver(() => { if (test()) observer.disconnect(); });
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    const frame = () => { if (test()) observer.disconnect(); else requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  };
  // Resolves with the mark's time, or null after timeoutMs (the console's CSP forbids the eval
  // that Playwright's waitForFunction needs, so the waiting happens here).
  bench.waitMark = (mark, timeoutMs) => new Promise((resolve) => {
    const deadline = performance.now() + timeoutMs;
    const poll = () => {
      if (bench.marks[mark] !== undefined) resolve(bench.marks[mark]);
      else if (performance.now() > deadline) resolve(null);
      else setTimeout(poll, 5);
    };
    poll();
  });
  bench.longestTaskIn = (from, to) => {
    if (bench.observer) keep(bench.observer.takeRecords());
    return bench.longTasks
      .filter((t) => t.start < to && t.start + t.duration > from)
      .reduce((longest, t) => Math.max(longest, t.duration), 0);
  };
})();`;

export type Condition = 'underlined' | 'clean' | 'lineEndsWith';

/** A fresh context (its own cookies and storage) with the probes installed. */
export async function probedContext(
  newContext: () => Promise<BrowserContext>,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext();
  await context.addInitScript({ content: PAGE_SCRIPT });
  return { context, page: await context.newPage() };
}

/** Whether this Chromium reports long tasks at all (else "no long task" would mean nothing). */
export async function longTasksObserved(page: Page): Promise<void> {
  const error = await page.evaluate<string | null>('window.__studioBench.error');
  if (error !== null) throw new Error(`this Chromium does not observe 'longtask' entries: ${error}`);
}

/** Stamps `mark` when `condition(arg)` first holds from now on (or at once, if it holds now). */
export async function arm(page: Page, mark: string, condition: Condition, arg: string | null = null) {
  await page.evaluate(
    `window.__studioBench.arm(${JSON.stringify(mark)}, ${JSON.stringify(condition)}, ${JSON.stringify(arg)})`,
  );
}

/** The page's time of `mark` (`key`: the last keydown), waiting at most `timeoutMs`. */
export async function markOf(page: Page, mark: string, what: string, timeoutMs = 30_000): Promise<number> {
  const time = await page.evaluate<number | null>(
    `window.__studioBench.waitMark(${JSON.stringify(mark)}, ${timeoutMs})`,
  );
  if (time === null) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
  return time;
}

/** The longest long task overlapping [from, to], 0 if none; waits first (tasks are reported after they end). */
export async function longestTaskIn(page: Page, from: number, to: number): Promise<number> {
  await page.waitForTimeout(100);
  return page.evaluate<number>(`window.__studioBench.longestTaskIn(${from}, ${to})`);
}
