// The monitor benchmark's table (bench/monitor/main.ts): per state the median time of the rounds,
// its ratio to the baseline (the median of the per-round ratios: each round's run against that
// round's baseline, so a slow minute on the shared machine moves both), commands sent and
// documents read against the baseline's, and the cost per project; then what each run costs per
// failing project on top of reading the projects.
import { describeCommands, type Traffic } from './traffic.js';

export type State = 'baseline' | 'first' | 'repeat' | 'unhinted';
export const STATES: readonly State[] = ['baseline', 'first', 'repeat', 'unhinted'];

export interface Sample {
  ms: number;
  traffic: Traffic;
}

/** One list per state, one sample per round, in round order. */
export type Samples = Record<State, Sample[]>;

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const fixed = (n: number, digits: number): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const seconds = (ms: number): string => `${fixed(ms / 1000, 2)} s`;

/** The median over rounds of `f` of the state's sample against the same round's baseline. */
function perRound(samples: Samples, state: State, f: (s: Sample, base: Sample) => number): number {
  return median(samples[state].map((s, round) => f(s, samples.baseline[round]!)));
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)];
}

/** One line per round: each state's time and its ratio to that round's baseline. */
export function roundLine(samples: Samples, round: number): string {
  const base = samples.baseline[round]!.ms;
  return `round ${round + 1}: ${STATES.map((state) => {
    const ms = samples[state][round]!.ms;
    return state === 'baseline'
      ? `baseline ${seconds(ms)}`
      : `${state} ${seconds(ms)} (${fixed(ms / base, 2)}x)`;
  }).join(', ')}`;
}

export function report(
  samples: Samples,
  projects: number,
  failing: number,
  labels: Record<State, string>,
): string[] {
  const out: string[] = [];
  for (const state of STATES)
    out.push(
      `${state}, last round, by command (send to reply): ${describeCommands(samples[state].at(-1)!.traffic)}`,
    );
  const rows = STATES.map((state) => {
    const list = samples[state];
    const ms = median(list.map((s) => s.ms));
    const commands = median(list.map((s) => s.traffic.commands));
    const documents = median(list.map((s) => s.traffic.documents));
    const timeRatios = list.map((s, round) => s.ms / samples.baseline[round]!.ms);
    const commandRatio = perRound(samples, state, (s, b) => s.traffic.commands / b.traffic.commands);
    const documentRatio = perRound(samples, state, (s, b) => s.traffic.documents / b.traffic.documents);
    return [
      labels[state],
      seconds(ms),
      state === 'baseline'
        ? '1.00x'
        : `${fixed(median(timeRatios), 2)}x (${fixed(Math.min(...timeRatios), 2)}-${fixed(Math.max(...timeRatios), 2)})`,
      `${fixed(commands, 0)} (${fixed(commandRatio, 1)}x)`,
      `${fixed(documents, 0)} (${fixed(documentRatio, 2)}x)`,
      `${fixed((ms * 1000) / projects, 0)} µs, ${fixed(commands / projects, 3)}`,
    ];
  });
  out.push(
    ...table(
      [
        'measure',
        'time (median)',
        'vs baseline',
        'commands (vs baseline)',
        'documents read (vs baseline)',
        'per project: time, commands',
      ],
      rows,
    ),
  );
  for (const state of ['first', 'repeat'] as const) {
    const ms = perRound(samples, state, (s, b) => s.ms - b.ms);
    const commands = perRound(samples, state, (s, b) => s.traffic.commands - b.traffic.commands);
    out.push(
      `${state} run on top of the baseline, per failing project (${fixed(failing, 0)}): ${fixed(ms / failing, 1)} ms, ` +
        `${fixed(commands / failing, 2)} commands`,
    );
  }
  return out;
}
