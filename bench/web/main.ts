// The web console in Chromium against real servers: what the approver's inbox
// costs to download, to render and scroll at size, to sign in to, to approve in, and how soon it
// shows a decision made elsewhere. Each figure next to a baseline measured in the same run:
//   1. bundle: the inbox's initial JavaScript gzipped (bundle.ts; budget 200 KB) and every chunk;
//   2. list: an inbox of BENCH_WEB_MANY (1,000) seeded tasks against one of 10: sign-in click to
//      "N tasks wait for you" visible, then paging the list top to bottom; long tasks of both
//      phases (longest, count over 200 ms) from a PerformanceObserver in the page; ratio of the
//      times to visible (list.ts);
//   3. sign-in: click to the first task row visible and focusable, fresh context each, against a
//      bare fetch of the inbox from the same page with the new session (sign-in.ts);
//   4. approve: Enter in the confirmation to the row leaving the page, on real instances, against
//      the same decide request over HTTP, interleaved (decisions.ts);
//   5. live: a decision made over the API to its row leaving another person's open inbox, against
//      the console's polling interval (LIVE_INTERVAL_MS in web/src/app/live.ts; decisions.ts).
// Times are taken in the page's clock (probes.ts), so Playwright's round trips do not count. One
// unmeasured warm-up sign-in per list size first (server and browser caches). Absolute figures
// depend on the machine (shared and noisy here); the ratios compare across runs. Printed, never
// asserted. Needs running servers: `source .tools/run/test/env` (or dev) && `npm run bench:web`.
// The console is built as the browser tests build it (scripts/build-web.ts in a child process,
// NODE_ENV=production; CHARTER_WEB_OUT moves it); the API, a worker and one Chromium run as in
// test/support/browser.ts, on a database of their own that is dropped at the end.
//
// BENCH_WEB_ROUNDS (5) list rounds per size; BENCH_WEB_MANY (1000) tasks of the large inbox;
// BENCH_WEB_SIGNINS (20) sign-ins; BENCH_WEB_APPROVALS (15) approvals in the console and as many
// over HTTP; BENCH_WEB_LIVE (10) decisions watched live; BENCH_WEB_TIMEOUT_S (600) stops a run
// that hangs, closing the browser and servers.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  CONSOLE_DIR,
  type ConsoleHarness,
  DESKTOP,
  startConsoleHarness,
} from '../../test/support/browser.js';
import { initialJavaScript } from './bundle.js';
import { measureApprovals, measureLive } from './decisions.js';
import { formatListRound, type ListRound, measureList } from './list.js';
import { report } from './report.js';
import { measureSignIns, type NewContext } from './sign-in.js';
import { inboxOf, PEOPLE, publishWorld, seedTasks, startRequests, until } from './world.js';

const count = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
  return value;
};
const ROUNDS = count('BENCH_WEB_ROUNDS', 5);
const MANY = count('BENCH_WEB_MANY', 1000);
const FEW = 10;
const SIGNINS = count('BENCH_WEB_SIGNINS', 20);
const APPROVALS = count('BENCH_WEB_APPROVALS', 15);
const LIVE = count('BENCH_WEB_LIVE', 10);
const TIMEOUT_MS = count('BENCH_WEB_TIMEOUT_S', 600) * 1000;

/** The console's polling interval, read from its source (web/ is compiled for the browser, not here). */
function liveIntervalMs(): number {
  const file = fileURLToPath(new URL('../../web/src/app/live.ts', import.meta.url));
  const found = /export const LIVE_INTERVAL_MS = ([\d_]+);/.exec(readFileSync(file, 'utf8'))?.[1];
  if (found === undefined) throw new Error(`no \`export const LIVE_INTERVAL_MS = <number>;\` in ${file}`);
  return Number(found.replaceAll('_', ''));
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const log = (line: string) => console.log(line);

async function run(h: ConsoleHarness): Promise<string> {
  const api = h.api;
  const newContext: NewContext = () => h.browser.newContext({ baseURL: api.base, viewport: DESKTOP });
  const bundle = initialJavaScript(CONSOLE_DIR);
  const intervalMs = liveIntervalMs();

  let began = performance.now();
  const sha256 = await publishWorld(api);
  await seedTasks(api, PEOPLE.many, MANY, sha256);
  await seedTasks(api, PEOPLE.few, FEW, sha256);
  const token = async (person: string) => api.tokenFor(person, ['approver']);
  const tokens = {
    many: await token(PEOPLE.many),
    few: await token(PEOPLE.few),
    ui: await token(PEOPLE.uiApprover),
    http: await token(PEOPLE.httpApprover),
    live: await token(PEOPLE.liveApprover),
  };
  const [uiTasks, httpTasks, liveTasks] = await Promise.all([
    startRequests(api, PEOPLE.uiRequester, tokens.ui, APPROVALS),
    startRequests(api, PEOPLE.httpRequester, tokens.http, APPROVALS),
    startRequests(api, PEOPLE.liveRequester, tokens.live, LIVE),
  ]);
  log(
    `seed: ${MANY} and ${FEW} tasks into the store, ${2 * APPROVALS + LIVE} real instances started ` +
      `and their tasks open, in ${seconds(began)}`,
  );

  began = performance.now();
  await measureList(newContext, tokens.few, FEW);
  await measureList(newContext, tokens.many, MANY);
  log(`warm-up: one sign-in per list size, in ${seconds(began)}`);

  const list: { many: ListRound[]; few: ListRound[] } = { many: [], few: [] };
  for (let round = 1; round <= ROUNDS; round += 1) {
    // Alternating which size goes first, so neither always follows the other.
    const order = round % 2 === 1 ? (['many', 'few'] as const) : (['few', 'many'] as const);
    for (const which of order) {
      const r = await measureList(newContext, tokens[which], which === 'many' ? MANY : FEW);
      list[which].push(r);
      log(formatListRound(round, r));
    }
  }

  const signIn = await measureSignIns(newContext, tokens.few, SIGNINS, log);
  const approvals = await measureApprovals(
    newContext,
    api,
    { token: tokens.ui, tasks: uiTasks },
    { token: tokens.http, tasks: httpTasks },
    log,
  );
  const live = await measureLive(newContext, api, { token: tokens.live, tasks: liveTasks }, intervalMs, log);

  // Every decision was a real one: the workflows closed the tasks (the console hid them at once).
  for (const [who, t] of [
    ['the console approver', tokens.ui],
    ['the HTTP approver', tokens.http],
    ['the live watcher', tokens.live],
  ] as const) {
    await until(
      `${who}'s decided tasks closed by their workflows`,
      () => inboxOf(api, t),
      (tasks) => tasks.length === 0,
      30_000,
    );
  }
  log(`check: all ${2 * APPROVALS + LIVE} decided tasks closed by their workflows`);

  return report({
    bundle,
    many: MANY,
    few: FEW,
    list,
    signIn,
    approvals,
    live: { ...live, intervalMs },
  });
}

async function main(): Promise<void> {
  if (!process.env['TEMPORAL_ADDRESS'] || !process.env['MONGODB_URI'])
    throw new Error(
      'set TEMPORAL_ADDRESS and MONGODB_URI (source .tools/run/test/env or .tools/run/dev/env)',
    );
  const began = performance.now();
  log(
    `web bench: ${ROUNDS} list rounds (${MANY} and ${FEW} tasks), ${SIGNINS} sign-ins, ${APPROVALS} ` +
      `approvals (+${APPROVALS} over HTTP), ${LIVE} live decisions; Chromium ${DESKTOP.width}x${DESKTOP.height}, ` +
      `console from ${CONSOLE_DIR}`,
  );
  const h = await startConsoleHarness('bench-web');
  log(`servers: console built, API, worker and Chromium ${h.browser.version()} up in ${seconds(began)}`);
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= h.close());
  const watchdog = setTimeout(() => {
    console.error(`web bench: not done within ${TIMEOUT_MS / 1000} s (BENCH_WEB_TIMEOUT_S); stopping`);
    void close().finally(() => process.exit(1));
  }, TIMEOUT_MS);
  watchdog.unref();
  try {
    const summary = await run(h);
    log(summary);
    log(`web bench: done in ${seconds(began)}`);
  } finally {
    clearTimeout(watchdog);
    await close();
  }
}

await main();
