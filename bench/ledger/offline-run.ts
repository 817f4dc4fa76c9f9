// One timed run of the offline benchmark (part 3), alone in a fresh child process so that its
// memory figures are its own (not the parent's MongoDB client, trees and earlier parts): either
// `verifyOffline` (api/cli/offline-verify.ts) over the export, head and key, or the floor, the
// same file read line by line with readline and each line JSON.parse-d. RSS and heap are sampled
// every 50 ms while it runs (the stream yields between chunks, so the timer gets its turn); the
// parent picks the samples at 10%, 50% and 100% of the run's time. The answer goes to the parent
// over IPC, and the child exits.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { verifyOffline } from '../../api/cli/offline-verify.js';

export type OfflineMode = 'verify' | 'parse';

export interface OfflineRunRequest {
  mode: OfflineMode;
  exportFile: string;
  headFile: string;
  keyFile: string;
}

export interface MemorySample {
  /** Milliseconds since the run started. */
  ms: number;
  rss: number;
  heapUsed: number;
}

export interface OfflineRunResult {
  mode: OfflineMode;
  ms: number;
  /** Events the verifier counted, or lines parsed. */
  events: number;
  ok: boolean;
  /** The verifier's first problem, as JSON, when not ok. */
  problem: string | null;
  before: MemorySample;
  samples: MemorySample[];
}

const SAMPLE_EVERY_MS = 50;

async function parseAll(exportFile: string): Promise<number> {
  const lines = createInterface({ input: createReadStream(exportFile, 'utf8'), crlfDelay: Infinity });
  let parsed = 0;
  for await (const line of lines) {
    if (line === '') continue;
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null) parsed += 1;
  }
  return parsed;
}

async function run(request: OfflineRunRequest): Promise<OfflineRunResult> {
  const start = performance.now();
  const sample = (): MemorySample => {
    const { rss, heapUsed } = process.memoryUsage();
    return { ms: performance.now() - start, rss, heapUsed };
  };
  const before = sample();
  const samples: MemorySample[] = [];
  const timer = setInterval(() => samples.push(sample()), SAMPLE_EVERY_MS);
  try {
    if (request.mode === 'parse') {
      const events = await parseAll(request.exportFile);
      samples.push(sample());
      return {
        mode: 'parse',
        ms: performance.now() - start,
        events,
        ok: true,
        problem: null,
        before,
        samples,
      };
    }
    const report = await verifyOffline({
      exportFile: request.exportFile,
      headFile: request.headFile,
      publicKeyFiles: [request.keyFile],
    });
    samples.push(sample());
    return {
      mode: 'verify',
      ms: performance.now() - start,
      events: report.events,
      ok: report.ok,
      problem: report.firstProblem === undefined ? null : JSON.stringify(report.firstProblem),
      before,
      samples,
    };
  } finally {
    clearInterval(timer);
  }
}

process.once('message', (request: OfflineRunRequest) => {
  void run(request)
    .then((result) => process.send?.(result, () => process.exit(0)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
});
process.send?.('ready');
