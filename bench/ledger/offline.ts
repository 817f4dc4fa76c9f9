// Part 3 of the ledger benchmark: offline verification of an exported ledger, `verifyOffline` of
// api/cli/offline-verify.ts (what `charter audit verify --offline` runs), over a synthetic export
// of BENCH_LEAVES events (export-file.ts) with its signed head and public key, against the floor
// measured in the same run: the same file read line by line and each line JSON.parse-d. Every run
// is a fresh child process (offline-run.ts); rounds alternate floor and verifier. Reported: the
// median time of each and their ratio, and for the verifier the RSS and heap sampled at 10%, 50%
// and 100% of its run (by time; the stream reads at an even pace), beside the floor's: memory that
// stays flat as the file streams through. Writing the export is context, printed apart.
//
// Fails (throws) when the verifier does not answer ok, or counts other than every event, or the
// floor parses other than every line.
import { type ChildProcess, fork } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SigningKey } from '../../workflows/ledger/keys.js';
import { EXPORT_CHAINS, writeExport } from './export-file.js';
import { fixed, mebibytes, median, ratio, seconds, since } from './figures.js';
import type { MemorySample, OfflineMode, OfflineRunRequest, OfflineRunResult } from './offline-run.js';

/** One run in a fresh child; rejects when the child dies without an answer. */
async function runChild(request: OfflineRunRequest): Promise<OfflineRunResult> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./offline-run.ts', import.meta.url)), []);
  return new Promise<OfflineRunResult>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`offline-run.ts (${request.mode}) exited with code ${code}`)),
    );
    child.on('message', (message) => {
      if (message === 'ready') child.send(request);
      else resolve(message as OfflineRunResult);
    });
  });
}

/** The sample nearest to `fraction` of the run's time (the last one for 1). */
function at(result: OfflineRunResult, fraction: number): MemorySample {
  const target = fraction * result.ms;
  let best = result.samples[0] ?? result.before;
  for (const s of result.samples) if (Math.abs(s.ms - target) < Math.abs(best.ms - target)) best = s;
  return fraction === 1 ? (result.samples.at(-1) ?? best) : best;
}

function memoryLine(result: OfflineRunResult): string {
  const points = [0.1, 0.5, 1].map((f) => {
    const s = at(result, f);
    return `${f * 100}%: RSS ${mebibytes(s.rss)}, heap ${mebibytes(s.heapUsed)}`;
  });
  const peak = Math.max(...result.samples.map((s) => s.rss));
  return (
    `before: RSS ${mebibytes(result.before.rss)}, heap ${mebibytes(result.before.heapUsed)}; ` +
    `${points.join('; ')}; peak RSS ${mebibytes(peak)} (${result.samples.length} samples)`
  );
}

function check(result: OfflineRunResult, events: number): void {
  if (result.mode === 'verify' && !result.ok)
    throw new Error(`the offline verification failed: ${result.problem ?? 'no problem named'}`);
  if (result.events !== events)
    throw new Error(`${result.mode}: counted ${result.events} events, the export holds ${events}`);
}

/** Writes the export, runs the alternating rounds, prints a line each; answers the summary lines. */
export async function benchOffline(events: number, key: SigningKey, rounds: number): Promise<string[]> {
  console.log(
    `part 3, offline verification: ${fixed(events)} exported events on ${fixed(EXPORT_CHAINS)} chains, ` +
      `${rounds} rounds of the floor (readline + JSON.parse) and verifyOffline, each in a fresh child process`,
  );
  const writing = performance.now();
  const files = await writeExport(events, key);
  console.log(
    `export: ${fixed(events)} events, ${mebibytes(files.bytes)}, head of ${fixed(files.head.treeSize)} leaves ` +
      `written to ${files.dir} in ${seconds(since(writing))}`,
  );
  try {
    const results: Record<OfflineMode, OfflineRunResult[]> = { parse: [], verify: [] };
    for (let round = 1; round <= rounds; round++) {
      for (const mode of ['parse', 'verify'] as const) {
        const result = await runChild({
          mode,
          exportFile: files.exportFile,
          headFile: files.headFile,
          keyFile: files.keyFile,
        });
        check(result, events);
        results[mode].push(result);
        console.log(
          `offline round ${round} ${mode === 'parse' ? 'floor   ' : 'verifier'}: ${seconds(result.ms)}, ` +
            `${fixed((result.events / result.ms) * 1000)} events/s; ${memoryLine(result)}`,
        );
      }
    }
    const parseMs = median(results.parse.map((r) => r.ms));
    const verifyMs = median(results.verify.map((r) => r.ms));
    const last = (mode: OfflineMode) => results[mode].at(-1)!;
    return [
      `floor (readline + JSON.parse, median of ${rounds}): ${seconds(parseMs)}, ${fixed((events / parseMs) * 1000)} lines/s`,
      `verifyOffline (median of ${rounds}): ${seconds(verifyMs)}, ${fixed((events / verifyMs) * 1000)} events/s, ` +
        `${ratio(verifyMs, parseMs)} the floor's time; ok, all ${fixed(events)} events`,
      `verifier memory (last round): ${memoryLine(last('verify'))}`,
      `floor memory (last round):    ${memoryLine(last('parse'))}`,
    ];
  } finally {
    await rm(files.dir, { recursive: true, force: true });
  }
}
