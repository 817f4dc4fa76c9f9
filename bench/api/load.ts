// A small closed-loop HTTP load generator: N clients on keep-alive connections, each sending its
// next GET as soon as the previous answer is read. A warm-up period is run and thrown away, then
// every latency of the measured period is recorded (no sampling, no histogram buckets), so p99 is
// the 99th percentile of what actually happened. A request counts when it completes within the
// measured period (a slow route whose requests outlast the warm-up still gets figures); requests
// still in flight at the end are let finish, uncounted. Non-2xx answers and socket errors count
// as errors.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadRequest {
  path: string;
  token?: string;
}

export interface LoadTarget {
  name: string;
  port: number;
  /** The next request to send; called for every request, so targets rotate their callers and filters. */
  next: () => LoadRequest;
}

export interface LoadOptions {
  connections: number;
  warmupMs: number;
  durationMs: number;
}

export interface Measurement {
  name: string;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  /** The first error seen (status and body start), to tell what went wrong. */
  firstError: string | null;
}

export const quantile = (sorted: Float64Array | number[], q: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export const median = (values: number[]): number =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

interface Answer {
  status: number;
  body: string;
}

function get(agent: Agent, port: number, req: LoadRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.token !== undefined) headers['authorization'] = `Bearer ${req.token}`;
    const outgoing = request(
      { host: '127.0.0.1', port, path: req.path, method: 'GET', agent, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** One GET outside any measurement, for the sanity checks before the rounds. */
export async function fetchOnce(port: number, req: LoadRequest): Promise<Answer> {
  const agent = new Agent({ keepAlive: false });
  try {
    return await get(agent, port, req);
  } finally {
    agent.destroy();
  }
}

export async function measure(target: LoadTarget, options: LoadOptions): Promise<Measurement> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let errors = 0;
  let firstError: string | null = null;
  const began = performance.now();
  const measureFrom = began + options.warmupMs;
  const end = measureFrom + options.durationMs;

  const record = (ms: number) => {
    if (count === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[count++] = ms;
  };

  const client = async () => {
    while (performance.now() < end) {
      const sent = performance.now();
      let failed: string | null = null;
      try {
        const answer = await get(agent, target.port, target.next());
        if (answer.status < 200 || answer.status >= 300)
          failed = `${answer.status} ${answer.body.slice(0, 300)}`;
      } catch (error) {
        failed = error instanceof Error ? error.message : String(error);
      }
      const done = performance.now();
      if (done < measureFrom || done > end) continue;
      if (failed === null) record(done - sent);
      else {
        errors++;
        firstError ??= failed;
      }
    }
  };
  // Requests in flight at the end are awaited, not aborted: the server would go on working on an
  // aborted one and slow the next measurement down. They are not counted.
  await Promise.all(Array.from({ length: options.connections }, client));
  agent.destroy();

  const sorted = latencies.slice(0, count).sort();
  return {
    name: target.name,
    requests: count,
    perSecond: count / (options.durationMs / 1000),
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    maxMs: count === 0 ? Number.NaN : sorted[count - 1]!,
    errors,
    firstError,
  };
}
