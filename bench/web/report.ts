// The console benchmark's summary: per measurement p50 and p99 (nearest rank: with a handful of
// samples the p99 is the largest), each next to its baseline measured in the same run and their
// ratio, then one JSON line for machines. Absolute figures depend on the machine (shared and
// noisy here); the ratios compare across runs.
import type { BundleSize } from './bundle.js';
import type { ApprovalSamples, LiveSamples } from './decisions.js';
import { type ListRound, VISIBLE_WAIT_MS } from './list.js';
import type { SignInSamples } from './sign-in.js';

export const INITIAL_JS_BUDGET = 200 * 1024;

export interface WebResults {
  bundle: BundleSize;
  many: number;
  few: number;
  list: { many: ListRound[]; few: ListRound[] };
  signIn: SignInSamples;
  approvals: ApprovalSamples;
  live: LiveSamples & { intervalMs: number };
}

export const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

interface Spread {
  p50: number;
  p99: number;
  n: number;
}
const spread = (values: readonly number[]): Spread => ({
  p50: quantile(values, 0.5),
  p99: quantile(values, 0.99),
  n: values.length,
});

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`.padStart(8);
const times = (value: number) => `${value.toPrecision(3)}x`;
const line = (label: string, s: Spread, unit = ms) =>
  `  ${label.padEnd(52)} p50 ${unit(s.p50)}   p99 ${unit(s.p99)}   (n=${s.n})`;
const count = (value: number) => String(value).padStart(8);
const ratio = (label: string, a: Spread, b: Spread) =>
  `  ${label.padEnd(52)} p50 ${times(a.p50 / b.p50).padStart(8)}   p99 ${times(a.p99 / b.p99).padStart(8)}`;

function listLines(label: string, rounds: ListRound[]) {
  const json = {
    visibleMs: spread(rounds.map((r) => r.visibleMs)),
    apiMs: spread(rounds.map((r) => r.apiMs)),
    afterApiMs: spread(rounds.map((r) => r.visibleMs - r.apiMs)),
    loadLongestMs: spread(rounds.map((r) => r.load.longestMs)),
    loadOver200: spread(rounds.map((r) => r.load.over200)),
    scrollLongestMs: spread(rounds.map((r) => r.scroll.longestMs)),
    scrollOver200: spread(rounds.map((r) => r.scroll.over200)),
    scrollMs: spread(rounds.map((r) => r.scrollMs)),
  };
  const steps = rounds[0]?.scrollSteps ?? 0;
  return {
    json,
    lines: [
      line(`${label}: sign-in click to list visible`, json.visibleMs),
      line(`${label}:   of which until the last API answer`, json.apiMs),
      line(`${label}:   of which after it (the page's own)`, json.afterApiMs),
      line(`${label}: loading, longest long task`, json.loadLongestMs),
      line(`${label}: loading, long tasks over ${VISIBLE_WAIT_MS} ms`, json.loadOver200, count),
      line(
        `${label}: scrolling (${steps} ${steps === 1 ? 'step' : 'steps'}), longest long task`,
        json.scrollLongestMs,
      ),
      line(`${label}: scrolling, long tasks over ${VISIBLE_WAIT_MS} ms`, json.scrollOver200, count),
      line(`${label}: scrolling top to bottom`, json.scrollMs),
    ],
  };
}

export function report(r: WebResults): string {
  const lines: string[] = [];
  const within = r.bundle.gzipped <= INITIAL_JS_BUDGET ? 'within' : 'OVER';
  lines.push(
    'bundle (gzip -9, as a static server would precompress):',
    `  initial JavaScript of the inbox              ${kb(r.bundle.gzipped)} gzipped (${kb(r.bundle.bytes)} raw, ` +
      `${r.bundle.files.length} ${r.bundle.files.length === 1 ? 'file' : 'files'}), ${within} the budget of ${kb(INITIAL_JS_BUDGET)}`,
    ...r.bundle.files.map(
      (f) => `    ${f.file.padEnd(40)} ${kb(f.gzipped).padStart(9)} (${kb(f.bytes)} raw)`,
    ),
    `  whole console, every JS chunk                ${kb(r.bundle.allGzipped)} gzipped`,
  );

  const many = listLines(`${r.many} tasks`, r.list.many);
  const few = listLines(`${r.few} tasks`, r.list.few);
  const perRound = r.list.many.map((m, i) => m.visibleMs / (r.list.few[i]?.visibleMs ?? Number.NaN));
  lines.push(
    `inbox list, ${r.list.many.length} rounds, fresh context each (long task: main-thread task over 50 ms):`,
    ...many.lines,
    ...few.lines,
    ratio(`list visible, ${r.many} / ${r.few} tasks`, many.json.visibleMs, few.json.visibleMs),
    `  ${'  per round'.padEnd(52)} ${perRound.map((x) => times(x)).join(', ')} (median ${times(quantile(perRound, 0.5))})`,
  );

  const signIn = spread(r.signIn.interactiveMs);
  const bare = spread(r.signIn.bareFetchMs);
  lines.push(
    `sign-in to interactive inbox (${r.few} tasks), fresh context each:`,
    line('sign-in click to first row visible, focusable', signIn),
    line('baseline: bare fetch of the inbox in the page', bare),
    ratio('sign-in / bare fetch', signIn, bare),
  );

  const ui = spread(r.approvals.uiMs);
  const http = spread(r.approvals.httpMs);
  lines.push(
    'approve to row leaving (real instances, decided through the worker):',
    line('console: Enter in the confirmation to row gone', ui),
    line('baseline: POST /v1/tasks/{id}/decide over HTTP', http),
    ratio('console / HTTP decide', ui, http),
  );

  const live = spread(r.live.delayMs);
  const interval = { p50: r.live.intervalMs, p99: r.live.intervalMs, n: 1 };
  lines.push(
    'live delay (decided over the API, row leaves another open inbox without reload):',
    line('decision answered to row gone', live),
    line('(the decide requests themselves)', spread(r.live.decideMs)),
    `  ${'baseline: polling interval (LIVE_INTERVAL_MS)'.padEnd(52)} ${ms(r.live.intervalMs)}`,
    ratio('delay / polling interval', live, interval),
  );

  lines.push(
    JSON.stringify({
      bench: 'web',
      bundle: {
        initialGzipped: r.bundle.gzipped,
        allGzipped: r.bundle.allGzipped,
        budget: INITIAL_JS_BUDGET,
      },
      list: { [r.many]: many.json, [r.few]: few.json },
      signIn: { interactiveMs: signIn, bareFetchMs: bare },
      approvals: { uiMs: ui, httpMs: http },
      live: { delayMs: live, intervalMs: r.live.intervalMs },
      ratios: {
        listVisibleManyOverFewP50: many.json.visibleMs.p50 / few.json.visibleMs.p50,
        listVisibleManyOverFewP99: many.json.visibleMs.p99 / few.json.visibleMs.p99,
        signInOverBareFetchP50: signIn.p50 / bare.p50,
        signInOverBareFetchP99: signIn.p99 / bare.p99,
        approveOverHttpP50: ui.p50 / http.p50,
        approveOverHttpP99: ui.p99 / http.p99,
        liveDelayOverIntervalP50: live.p50 / r.live.intervalMs,
        liveDelayOverIntervalP99: live.p99 / r.live.intervalMs,
      },
    }),
  );
  return lines.join('\n');
}
