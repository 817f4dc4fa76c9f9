// The scale-out benchmark's table: per configuration (one process, two) the median rate over the
// rounds, latencies, and where the CPU went; the 2-vs-1 ratio of each round (measured in the same
// round, so the machine's mood of the moment cancels out) and their median; then a JSON line.
import os from 'node:os';
import type { Measurement } from '../api/load.js';
import type { CpuUse } from './cpu.js';
import type { RuntimeMeasurement } from './runtime.js';

export interface Sampled<T> {
  m: T;
  cpu: CpuUse | null;
}

export type ApiResult = Sampled<Measurement> & { servers: 1 | 2 };

/** The middle value, or the mean of the middle two (two rounds give their mean, not the larger). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ratios = (one: number[], two: number[]): number[] =>
  one.map((base, i) => (two[i] ?? Number.NaN) / base);

const cell = (text: string): string => text.padStart(20);
const row = (label: string, one: string, two: string, ratio = '', rounds = ''): string =>
  `${label.padEnd(38)}${cell(one)}${cell(two)}${cell(ratio)}   ${rounds}`.trimEnd();

/**
 * `1.99 / 0.84 / 0.18`: the machine's busy cores, the database's and Charter's processes' (workers
 * and serve), medians over the samples. What is left of the machine's is Temporal, the load
 * generator and whatever else runs there.
 */
function cpuCell(samples: Sampled<unknown>[]): string {
  const cpus = samples.flatMap((s) => (s.cpu === null ? [] : [s.cpu]));
  if (cpus.length === 0) return 'n/a';
  const of = (pick: (c: CpuUse) => number | undefined) => {
    const values = cpus.flatMap((c) => {
      const v = pick(c);
      return v === undefined ? [] : [v];
    });
    return values.length === 0 ? '-' : median(values).toFixed(2);
  };
  const charter = (c: CpuUse) => (c.groups['workers'] ?? 0) + (c.groups['serve'] ?? 0);
  return `${of((c) => c.machine)} / ${of((c) => c.groups['database'])} / ${of(charter)}`;
}

/** The table and the JSON line. */
export function report(
  runtime: Sampled<RuntimeMeasurement>[],
  api: ApiResult[],
  run: { scale: number; rounds: number },
): string {
  const rt = (workers: number) => runtime.filter((r) => r.m.workers === workers);
  const ap = (servers: number) => api.filter((r) => r.servers === servers);
  const rate = (samples: Sampled<{ perSecond: number }>[]) => samples.map((s) => s.m.perSecond);
  const rtRatios = ratios(rate(rt(1)), rate(rt(2)));
  const apiRatios = ratios(rate(ap(1)), rate(ap(2)));
  const med = (values: number[], digits: number) => median(values).toFixed(digits);
  const latency = (samples: Sampled<{ p50Ms: number; p99Ms: number }>[], digits: number) =>
    `${med(
      samples.map((s) => s.m.p50Ms),
      digits,
    )} / ${med(
      samples.map((s) => s.m.p99Ms),
      digits,
    )}`;
  const cores = os.cpus().length;
  const lines = [
    '',
    `scale-out, 2 processes vs 1 in the same run (Node ${process.version}, ${cores} CPU cores, loopback, ` +
      `BENCH_SCALE=${run.scale}, ${run.rounds} rounds, medians)`,
    row('', '1 process', '2 processes', '2 vs 1', 'per round'),
    row(
      'runtime: instances/s (workers)',
      med(rate(rt(1)), 2),
      med(rate(rt(2)), 2),
      median(rtRatios).toFixed(2),
      rtRatios.map((r) => r.toFixed(2)).join(', '),
    ),
    row('  start to end p50 / p99, ms', latency(rt(1), 0), latency(rt(2), 0)),
    row('  cores: machine / database / Charter', cpuCell(rt(1)), cpuCell(rt(2))),
    row(
      'API: requests/s (serve, mix)',
      med(rate(ap(1)), 0),
      med(rate(ap(2)), 0),
      median(apiRatios).toFixed(2),
      apiRatios.map((r) => r.toFixed(2)).join(', '),
    ),
    row('  request p50 / p99, ms', latency(ap(1), 1), latency(ap(2), 1)),
    row('  cores: machine / database / Charter', cpuCell(ap(1)), cpuCell(ap(2))),
    `note: on this ${cores}-core machine the processes measured share the cores with Temporal, the database, ` +
      'the load generator (and anything else running), so 2 vs 1 is bounded by the cores, not by Charter: a ' +
      'second process only gains the time the first leaves a core idle. A database at about one core busy ' +
      'is a serial bottleneck of its own (a single-threaded server such as SecantusDB): then no number of ' +
      'Charter processes goes faster. With cores to spare the same run measures how Charter scales out.',
    JSON.stringify({
      bench: 'scaleout',
      scale: run.scale,
      cores,
      runtimeRatio: median(rtRatios),
      runtimeRoundRatios: rtRatios,
      runtimePerSecond: { one: median(rate(rt(1))), two: median(rate(rt(2))) },
      apiRatio: median(apiRatios),
      apiRoundRatios: apiRatios,
      apiPerSecond: { one: median(rate(ap(1))), two: median(rate(ap(2))) },
    }),
  ];
  return lines.join('\n');
}
