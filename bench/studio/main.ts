// The studio's editor at size in Chromium (issue 18): from a keystroke that breaks a role name to
// the checker's error underline, on a 1,000-line policy, next to the same on a policy of about 50
// lines (generate-policy.ts's header and one process: 59) and next to the editor's debounce (CHECK_DELAY_MS in web/src/pages/studio/editor-setup.ts),
// all measured in the same run. Each sample: type `x` after `by cab` (an unknown role), keydown to
// the character drawn, keydown to `.cm-lintRange-error` drawn, then Ctrl+Z, keydown to the
// underline gone (measure.ts; times in the page's clock, probes.ts).
//
// The checker (dsl checkEntry) runs inside the console's bundle, where page.evaluate cannot reach
// it; its cost is read from the DOM only: keystroke to underline less the debounce (the checker's
// run plus CodeMirror drawing its marks and React the problem list), and the longest main-thread
// task in that window (the linter's run is one task; the observer sees only tasks over 50 ms, so
// 0 means none that long). p50 and p99 are nearest rank: with 30 samples the p99 is the largest.
//
// Samples alternate between the two sizes in blocks of 5, each on its own page, after 3 unmeasured
// keystrokes per page. Absolute figures depend on the machine (shared and noisy here); the ratios
// compare across runs. Printed, never asserted. Needs running servers: `source
// .tools/run/test/env && npm run bench:studio` (the database `bench_studio`, dropped at the start
// and the end; CHARTER_WEB_OUT moves the console's build). BENCH_STUDIO_SAMPLES (30) per size;
// BENCH_STUDIO_TIMEOUT_S (600) stops a run that hangs.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CONSOLE_DIR } from '../../test/support/browser.js';
import { quantile } from '../web/report.js';
import { keystroke, type KeystrokeSample, openStudio, type StudioPage } from './measure.js';
import { startStudioWorld, type StudioWorld } from './world.js';

const count = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
  return value;
};
const SAMPLES = count('BENCH_STUDIO_SAMPLES', 30);
const TIMEOUT_MS = count('BENCH_STUDIO_TIMEOUT_S', 600) * 1000;
const LARGE = 1000;
const SMALL = 50;
const WARM_UP = 3;
const BLOCK = 5;

/** The editor's debounce, read from its source (web/ is compiled for the browser, not here). */
function checkDelayMs(): number {
  const file = fileURLToPath(new URL('../../web/src/pages/studio/editor-setup.ts', import.meta.url));
  const found = /export const CHECK_DELAY_MS = ([\d_]+);/.exec(readFileSync(file, 'utf8'))?.[1];
  if (found === undefined) throw new Error(`no \`export const CHECK_DELAY_MS = <number>;\` in ${file}`);
  return Number(found.replaceAll('_', ''));
}

const log = (line: string) => console.log(line);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const ms = (value: number) => `${value.toFixed(0)} ms`.padStart(7);

interface Spread {
  p50: number;
  p99: number;
}
const spread = (values: readonly number[]): Spread => ({
  p50: quantile(values, 0.5),
  p99: quantile(values, 0.99),
});
const line = (label: string, s: Spread) => `  ${label.padEnd(58)} p50 ${ms(s.p50)}   p99 ${ms(s.p99)}`;
const ratio = (label: string, a: Spread, b: Spread) =>
  `  ${label.padEnd(58)} p50 ${`${(a.p50 / b.p50).toFixed(2)}x`.padStart(7)}   p99 ${`${(a.p99 / b.p99).toFixed(2)}x`.padStart(7)}`;

interface Size {
  lines: number;
  samples: KeystrokeSample[];
}

function figures(size: Size, delayMs: number) {
  const of = (pick: (s: KeystrokeSample) => number) => spread(size.samples.map(pick));
  return {
    drawn: of((s) => s.drawnMs),
    underline: of((s) => s.underlineMs),
    afterDebounce: of((s) => s.underlineMs - delayMs),
    longestTask: of((s) => s.longestTaskMs),
    cleared: of((s) => s.clearedMs),
  };
}

function report(large: Size, small: Size, delayMs: number): string {
  const l = figures(large, delayMs);
  const s = figures(small, delayMs);
  const debounce: Spread = { p50: delayMs, p99: delayMs };
  const lines = ['', `studio keystroke to underline, ${SAMPLES} samples per size, debounce ${delayMs} ms:`];
  for (const [size, f] of [
    [large, l],
    [small, s],
  ] as const) {
    const tag = `${size.lines} lines`;
    lines.push(
      line(`${tag}: keystroke to character drawn`, f.drawn),
      line(`${tag}: keystroke to error underline drawn`, f.underline),
      line(`${tag}:   after the debounce (check + marks drawn)`, f.afterDebounce),
      line(`${tag}:   longest main-thread task in between`, f.longestTask),
      line(`${tag}: Ctrl+Z to underline gone`, f.cleared),
    );
  }
  lines.push(
    ratio(`underline: ${large.lines} lines / ${small.lines} lines`, l.underline, s.underline),
    ratio(`underline: ${large.lines} lines / the debounce`, l.underline, debounce),
    ratio(
      `after the debounce: ${large.lines} lines / ${small.lines} lines`,
      l.afterDebounce,
      s.afterDebounce,
    ),
    JSON.stringify({
      bench: 'studio',
      delayMs,
      samples: SAMPLES,
      large: { lines: large.lines, ...l },
      small: { lines: small.lines, ...s },
    }),
  );
  return lines.join('\n');
}

async function run(world: StudioWorld, delayMs: number): Promise<string> {
  const policies = [await world.publishPolicy(LARGE), await world.publishPolicy(SMALL)];
  const pages: StudioPage[] = [];
  const sizes: Size[] = [];
  try {
    for (const policy of policies) {
      const studio = await openStudio(world.browser, world.base, world.token, policy.name, policy.roleLine);
      pages.push(studio);
      sizes.push({ lines: policy.lines, samples: [] });
      for (let i = 0; i < WARM_UP; i++) await keystroke(studio.page);
      log(`${policy.name}: ${policy.lines} lines open in the studio, ${WARM_UP} warm-up keystrokes`);
    }
    for (let block = 0; block * BLOCK < SAMPLES; block++) {
      // Alternating which size goes first, so neither always follows the other.
      const order = block % 2 === 0 ? [0, 1] : [1, 0];
      for (const which of order) {
        const studio = pages[which];
        const size = sizes[which];
        if (!studio || !size) continue;
        await studio.page.bringToFront();
        for (let i = 0; i < BLOCK && size.samples.length < SAMPLES; i++)
          size.samples.push(await keystroke(studio.page));
        const last = size.samples.slice(-BLOCK);
        log(`${size.lines} lines: underline ${last.map((s) => s.underlineMs.toFixed(0)).join(', ')} ms`);
      }
    }
  } finally {
    for (const page of pages) await page.close().catch(() => undefined);
  }
  const [large, small] = sizes;
  if (!large || !small) throw new Error('a size was not measured');
  return report(large, small, delayMs);
}

async function main(): Promise<void> {
  const uri = process.env['MONGODB_URI'];
  if (!uri) throw new Error('set MONGODB_URI (source .tools/run/test/env or .tools/run/dev/env)');
  const delayMs = checkDelayMs();
  const began = performance.now();
  log(`studio bench: ${SAMPLES} keystrokes on ${LARGE} and on ${SMALL} lines; console from ${CONSOLE_DIR}`);
  const world = await startStudioWorld(uri);
  log(`servers: console built, API and Chromium ${world.browser.version()} up in ${seconds(began)}`);
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= world.close());
  const watchdog = setTimeout(() => {
    console.error(`studio bench: not done within ${TIMEOUT_MS / 1000} s (BENCH_STUDIO_TIMEOUT_S); stopping`);
    void close().finally(() => process.exit(1));
  }, TIMEOUT_MS);
  watchdog.unref();
  try {
    log(await run(world, delayMs));
    log(`studio bench: done in ${seconds(began)}`);
  } finally {
    clearTimeout(watchdog);
    await close();
  }
}

await main();
