// What the benchmark observes inside the page, timed by the page's own clock (performance.now()),
// so Playwright's round trips to the browser never count: a script installed in every page before
// the console's own code (context.addInitScript) records long tasks (PerformanceObserver
// 'longtask': main-thread tasks over 50 ms), the moment the sign-in form is submitted and the
// moment Enter is pressed in a dialog, and, once armed, the first moment a condition on the page
// holds (checked after every DOM mutation and every frame). This file has no DOM types (bench/ is
// compiled for Node), so the page's code is a string.
import type { BrowserContext, Page } from 'playwright-core';

/** Runs in every page before the console. `window.__bench` is the benchmark's, nothing else's. */
const PAGE_SCRIPT = `(() => {
  if (window.__bench) return;
  const bench = { marks: {}, longTasks: [], observer: null, error: null };
  window.__bench = bench;
  const keep = (entries) => {
    for (const e of entries) bench.longTasks.push({ start: e.startTime, duration: e.duration });
  };
  try {
    bench.observer = new PerformanceObserver((list) => keep(list.getEntries()));
    bench.observer.observe({ type: 'longtask', buffered: true });
  } catch (error) {
    bench.error = String(error);
  }
  // The click on "Sign in" submits the sign-in form: the start of every sign-in timing.
  document.addEventListener('submit', (event) => {
    if (event.target instanceof Element && event.target.closest('.sign-in')) bench.marks.signIn = performance.now();
  }, true);
  // Enter in a dialog confirms it: the start of an approval's timing.
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.target instanceof Element && event.target.closest('dialog'))
      bench.marks.confirm = performance.now();
  }, true);
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight &&
      el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  };
  const focusable = (el) => !el.closest('[inert]') && !el.disabled && el.tabIndex >= 0;
  bench.conditions = {
    lead: (text) => {
      const p = document.querySelector('.inbox-head .lead');
      return p !== null && p.textContent.startsWith(text) && visible(p);
    },
    firstRowInteractive: () => {
      const link = document.querySelector('.inbox-row-slot .inbox-row-title');
      return link !== null && visible(link) && focusable(link);
    },
    rowGone: (id) => document.querySelector('.inbox-row-slot[data-task-id="' + CSS.escape(id) + '"]') === null,
  };
  bench.arm = (mark, condition, arg) => {
    delete bench.marks[mark];
    const test = () => {
      if (bench.marks[mark] === undefined && bench.conditions[condition](arg)) bench.marks[mark] = performance.now();
      return bench.marks[mark] !== undefined;
    };
    if (test()) return;
    const observer = new MutationObserver(() => { if (test()) observer.disconnect(); });
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    const frame = () => { if (test()) observer.disconnect(); else requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  };
  // Resolves with the mark's time, or null after timeoutMs (the page's CSP forbids the eval that
  // Playwright's waitForFunction needs, so the waiting happens here).
  bench.waitMark = (mark, timeoutMs) => new Promise((resolve) => {
    const deadline = performance.now() + timeoutMs;
    const poll = () => {
      if (bench.marks[mark] !== undefined) resolve(bench.marks[mark]);
      else if (performance.now() > deadline) resolve(null);
      else setTimeout(poll, 10);
    };
    poll();
  });
  // When the last answer of the API (/v1/...) that began in [from, to] had fully arrived, or null.
  bench.lastApiAnswer = (from, to) => {
    const ends = performance.getEntriesByType('resource')
      .filter((e) => new URL(e.name).pathname.startsWith('/v1/') && e.startTime >= from && e.responseEnd <= to)
      .map((e) => e.responseEnd);
    return ends.length === 0 ? null : Math.max(...ends);
  };
  bench.longTasksIn = (from, to) => {
    if (bench.observer) keep(bench.observer.takeRecords());
    return bench.longTasks.filter((t) => t.start < to && t.start + t.duration > from);
  };
  // Pages through the list as a reader would: one screenful per step, two frames between steps
  // (one to render the rows scrolled into view, one to paint them), until the bottom.
  bench.scrollThrough = async (lastPosition) => {
    const scroller = document.querySelector('.inbox-scroller');
    if (!scroller) throw new Error('no .inbox-scroller on the page');
    const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const from = performance.now();
    let steps = 0;
    while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1 && steps < 10000) {
      scroller.scrollTop += scroller.clientHeight;
      steps += 1;
      await frames();
    }
    await frames();
    const last = document.querySelector('.inbox-row-slot[aria-posinset="' + lastPosition + '"]');
    return { from, to: performance.now(), steps, lastShown: last !== null && visible(last) };
  };
})();`;

export type Condition = 'lead' | 'firstRowInteractive' | 'rowGone';
export interface LongTask {
  start: number;
  duration: number;
}
export interface Scrolled {
  from: number;
  to: number;
  steps: number;
  lastShown: boolean;
}

/** A fresh context (its own cookies and cache: a person on their own machine) with the probes. */
export async function probedContext(
  newContext: () => Promise<BrowserContext>,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext();
  await context.addInitScript({ content: PAGE_SCRIPT });
  return { context, page: await context.newPage() };
}

/** Whether the browser reports long tasks at all (else "no long task" would mean nothing). */
export async function longTasksObserved(page: Page): Promise<void> {
  const error = await page.evaluate<string | null>('window.__bench.error');
  if (error !== null) throw new Error(`this Chromium does not observe 'longtask' entries: ${error}`);
}

/** Records `mark` when `condition(arg)` first holds from now on (or at once, if it holds now). */
export async function arm(page: Page, mark: string, condition: Condition, arg: string | null = null) {
  await page.evaluate(
    `window.__bench.arm(${JSON.stringify(mark)}, ${JSON.stringify(condition)}, ${JSON.stringify(arg)})`,
  );
}

/** The page's time of `mark`, waiting for it at most `timeoutMs`; `what` says what did not happen. */
export async function markOf(page: Page, mark: string, what: string, timeoutMs = 60_000): Promise<number> {
  const time = await page.evaluate<number | null>(
    `window.__bench.waitMark(${JSON.stringify(mark)}, ${timeoutMs})`,
  );
  if (time === null) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
  return time;
}

/** The page's clock as milliseconds since the epoch (to compare with this process's clock). */
export const pageEpoch = (page: Page, time: number): Promise<number> =>
  page.evaluate<number>(`performance.timeOrigin + ${time}`);

/** Long tasks overlapping [from, to]; waits first, as the browser reports a task after it ends. */
export async function longTasksIn(page: Page, from: number, to: number): Promise<LongTask[]> {
  await page.waitForTimeout(300);
  return page.evaluate<LongTask[]>(`window.__bench.longTasksIn(${from}, ${to})`);
}

/** The page's time the last API answer begun and received within [from, to] arrived (null: none). */
export const lastApiAnswer = (page: Page, from: number, to: number): Promise<number | null> =>
  page.evaluate<number | null>(`window.__bench.lastApiAnswer(${from}, ${to})`);

export const scrollThrough = (page: Page, lastPosition: number): Promise<Scrolled> =>
  page.evaluate<Scrolled>(`window.__bench.scrollThrough(${lastPosition})`);

export const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
