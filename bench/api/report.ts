// The benchmark's figures: one line per measurement as it is taken, then per target the median
// of the rounds, the ratios of each route to its bare driver find (per round, then their median:
// a round's ratio compares two measurements taken minutes apart, not hours), and one JSON line
// for machines. Goal (issue 12): a route's p99 at most 3x its bare find's.
import type { Measurement } from './load.js';
import { median } from './load.js';
import type { TargetName } from './loader.js';

export type Mode = 'closed' | 'open';
export type Results = Record<Mode, Partial<Record<TargetName, Measurement[]>>>;

export interface Summary {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  rounds: number;
  /** Open loop only. */
  offered?: number;
  unfinished?: number;
}

/** Whole requests/s, but slow targets keep their digits (0.4, not 0). */
const rate = (perSecond: number) =>
  (perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toPrecision(3)).padStart(7);
const ms = (value: number) => value.toFixed(2).padStart(8);

export function formatMeasurement(mode: Mode, m: Measurement): string {
  const offered = mode === 'open' ? `offered ${m.offered ?? '?'}/s, achieved ` : '';
  const unfinished = (m.unfinished ?? 0) > 0 ? `, ${m.unfinished} UNFINISHED` : '';
  return (
    `${mode.padEnd(6)} ${m.name.padEnd(10)} ${offered}${rate(m.perSecond)} req/s   p50 ${ms(m.p50Ms)} ms   ` +
    `p99 ${ms(m.p99Ms)} ms   max ${m.maxMs.toFixed(1).padStart(7)} ms   (${m.requests} requests` +
    `${m.errors > 0 ? `, ${m.errors} ERRORS: ${m.firstError ?? ''}` : ''}${unfinished})`
  );
}

export function summarize(measured: Measurement[]): Summary {
  const open = measured[0]?.offered !== undefined;
  return {
    perSecond: median(measured.map((m) => m.perSecond)),
    p50Ms: median(measured.map((m) => m.p50Ms)),
    p99Ms: median(measured.map((m) => m.p99Ms)),
    errors: measured.reduce((sum, m) => sum + m.errors, 0),
    rounds: measured.length,
    ...(open
      ? {
          offered: measured[0]?.offered ?? 0,
          unfinished: measured.reduce((sum, m) => sum + (m.unfinished ?? 0), 0),
        }
      : {}),
  };
}

interface Ratio {
  median: number;
  rounds: number[];
}

/** `field` of `a` over `b`, round by round (rounds pair up by position), and the median. */
function ratio(
  results: Results,
  mode: Mode,
  a: TargetName,
  b: TargetName,
  field: 'perSecond' | 'p99Ms',
): Ratio {
  const over = results[mode][b] ?? [];
  const rounds = (results[mode][a] ?? []).map((m, i) => m[field] / (over[i]?.[field] ?? Number.NaN));
  return { median: median(rounds), rounds };
}

const ratioLine = (label: string, r: Ratio) =>
  `  ${label.padEnd(40)} ${r.median.toPrecision(3).padStart(7)}   (rounds: ${r.rounds.map((x) => x.toPrecision(3)).join(', ')})`;

/** The summary table, the ratios and the JSON line; `context` goes into the JSON as it is. */
export function report(results: Results, context: Record<string, unknown>): string {
  const lines: string[] = [];
  const summaries: Record<string, Record<string, Summary>> = { closed: {}, open: {} };
  for (const mode of ['closed', 'open'] as const) {
    lines.push(
      mode === 'closed'
        ? 'median of rounds, closed loop (as fast as answers come, at the connection count):'
        : 'median of rounds, open loop (fixed offered rate, latency from the scheduled send):',
    );
    for (const [name, measured] of Object.entries(results[mode])) {
      const s = summarize(measured);
      summaries[mode]![name] = s;
      lines.push(
        `  ${name.padEnd(10)} ${mode === 'open' ? `offered ${s.offered}/s achieved ` : ''}${rate(s.perSecond)} req/s` +
          `   p50 ${ms(s.p50Ms)} ms   p99 ${ms(s.p99Ms)} ms   errors ${s.errors}` +
          (mode === 'open' ? `   unfinished ${s.unfinished ?? 0}` : ''),
      );
    }
  }
  const ratios: Record<string, Ratio> = {};
  const add = (key: string, label: string, r: Ratio) => {
    if (r.rounds.length === 0) return; // a target left out (BENCH_TARGETS)
    ratios[key] = r;
    lines.push(ratioLine(label, r));
  };
  lines.push('ratios (goal: route p99 / bare p99 <= 3):');
  for (const route of ['inbox', 'audit'] as const) {
    const bare = `bare ${route}` as const;
    add(
      `${route}P99OverBare`,
      `p99 ${route} / ${bare} (16 connections)`,
      ratio(results, 'closed', route, bare, 'p99Ms'),
    );
    add(
      `${route}P99OverBareOpen`,
      `p99 ${route} / ${bare} (open loop)`,
      ratio(results, 'open', route, bare, 'p99Ms'),
    );
    add(
      `${route}ThroughputOverBare`,
      `throughput ${route} / ${bare}`,
      ratio(results, 'closed', route, bare, 'perSecond'),
    );
    add(`${route}P99OverHello`, `p99 ${route} / hello`, ratio(results, 'closed', route, 'hello', 'p99Ms'));
  }
  lines.push(
    JSON.stringify({
      bench: 'api',
      ...context,
      summary: summaries,
      ratios: Object.fromEntries(Object.entries(ratios).map(([key, r]) => [key, r.median])),
    }),
  );
  return lines.join('\n');
}
