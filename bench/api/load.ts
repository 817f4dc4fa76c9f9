// A small load generator, two ways:
//  - closed loop (`measureClosed`): N clients, each sending its next request as soon as the
//    previous answer is read: the most a target serves at that concurrency.
//  - open loop (`measureOpen`): requests sent on a fixed schedule (R per second) whatever the
//    answers do, at most N in flight (the rest wait in a queue, as they would in a client's
//    connection pool); latency counts from the scheduled send time, so queueing shows once the
//    offered load nears what the target can serve.
// A warm-up period is run and thrown away, then every latency of the measured period is recorded
// (no sampling, no histogram buckets), so p99 is the 99th percentile of what actually happened.
// A target is anything that sends one request and says whether it failed: an HTTP GET on a
// keep-alive agent, or a driver find (loader.ts).
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request: resolves with null when it succeeded, or with what went wrong. */
export type Send = () => Promise<string | null>;

export interface LoadTarget {
  name: string;
  /** A sender for up to `connections` concurrent requests (an HTTP agent of that many sockets, ...). */
  open: (connections: number) => { send: Send; close: () => void };
}

export interface LoadOptions {
  connections: number;
  warmupMs: number;
  durationMs: number;
}

export interface Measurement {
  name: string;
  /** Requests counted: completed within the measured period (closed), or scheduled in it (open). */
  requests: number;
  /** Successful answers completed within the measured period, per second. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  /** The first error seen (status and body start), to tell what went wrong. */
  firstError: string | null;
  /** Open loop: the requests per second offered. */
  offered?: number;
  /** Open loop: requests of the measured period still unanswered after the drain time (not in p99). */
  unfinished?: number;
}

export const quantile = (sorted: Float64Array | number[], q: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export const median = (values: number[]): number =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

/** Latencies of one measurement, grown as needed. */
class Recorder {
  private latencies = new Float64Array(1 << 16);
  count = 0;
  errors = 0;
  firstError: string | null = null;

  record(ms: number, failed: string | null): void {
    if (failed !== null) {
      this.errors++;
      this.firstError ??= failed;
      return;
    }
    if (this.count === this.latencies.length) {
      const bigger = new Float64Array(this.latencies.length * 2);
      bigger.set(this.latencies);
      this.latencies = bigger;
    }
    this.latencies[this.count++] = ms;
  }

  result(name: string, requests: number, completed: number, durationMs: number): Measurement {
    const sorted = this.latencies.slice(0, this.count).sort();
    return {
      name,
      requests,
      perSecond: completed / (durationMs / 1000),
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      maxMs: this.count === 0 ? Number.NaN : sorted[this.count - 1]!,
      errors: this.errors,
      firstError: this.firstError,
    };
  }
}

const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Closed loop. A request counts when it completes within the measured period (a slow target whose
 * requests outlast the warm-up still gets figures); requests still in flight at the end are let
 * finish, uncounted: aborted, the server would go on working on them and slow the next measurement.
 */
export async function measureClosed(target: LoadTarget, options: LoadOptions): Promise<Measurement> {
  const { send, close } = target.open(options.connections);
  const recorder = new Recorder();
  const measureFrom = performance.now() + options.warmupMs;
  const end = measureFrom + options.durationMs;
  const client = async () => {
    while (performance.now() < end) {
      const sent = performance.now();
      const failed = await send().catch(failure);
      const done = performance.now();
      if (done >= measureFrom && done <= end) recorder.record(done - sent, failed);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, client));
  close();
  return recorder.result(target.name, recorder.count, recorder.count, options.durationMs);
}

export interface OpenLoadOptions extends LoadOptions {
  /** Requests offered per second. */
  rate: number;
  /** How long to wait, after the measured period, for its requests still queued or in flight. */
  drainMs: number;
}

/**
 * Open loop: the k-th request is due at start + k/rate. Counted: the requests due within the
 * measured period, each with its latency from when it was due; `perSecond` is the achieved rate
 * (successful answers completed within the measured period, whenever they were due).
 */
export async function measureOpen(target: LoadTarget, options: OpenLoadOptions): Promise<Measurement> {
  const { send, close } = target.open(options.connections);
  const recorder = new Recorder();
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.durationMs;
  const interval = 1000 / options.rate;
  const queue: { due: number }[] = [];
  let inFlight = 0;
  let due = 0;
  let completed = 0;
  let settled = 0;
  let wake: (() => void) | null = null;

  const run = (item: { due: number }) => {
    inFlight++;
    void send()
      .catch(failure)
      .then((failed) => {
        const done = performance.now();
        if (item.due >= measureFrom) {
          recorder.record(done - item.due, failed);
          settled++;
        }
        if (failed === null && done >= measureFrom && done <= end) completed++;
        inFlight--;
        const next = queue.shift();
        if (next !== undefined) run(next);
        wake?.();
      });
  };
  for (let k = 0; ; k++) {
    const at = start + k * interval;
    if (at >= end) break;
    const wait = at - performance.now();
    if (wait > 0) await sleep(wait);
    if (at >= measureFrom) due++;
    if (inFlight < options.connections) run({ due: at });
    else queue.push({ due: at });
  }
  const drainUntil = performance.now() + options.drainMs;
  while (settled < due && performance.now() < drainUntil) {
    await Promise.race([new Promise<void>((resolve) => (wake = resolve)), sleep(100)]);
  }
  // What is still queued is dropped; what is in flight is let finish (uncounted) before the next target.
  queue.length = 0;
  while (inFlight > 0) await sleep(20);
  close();
  const m = recorder.result(target.name, due, completed, options.durationMs);
  return { ...m, offered: options.rate, unfinished: due - settled };
}

export interface LoadRequest {
  path: string;
  token?: string;
}

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

/** GETs on keep-alive connections to `port`, rotating over what `next` returns. */
export function httpTarget(name: string, port: number, next: () => LoadRequest): LoadTarget {
  return {
    name,
    open: (connections) => {
      const agent = new Agent({ keepAlive: true, maxSockets: connections });
      return {
        send: async () => {
          const answer = await get(agent, port, next());
          return answer.status >= 200 && answer.status < 300
            ? null
            : `${answer.status} ${answer.body.slice(0, 300)}`;
        },
        close: () => agent.destroy(),
      };
    },
  };
}

/** One GET outside any measurement, for the checks before the rounds. */
export async function fetchOnce(port: number, req: LoadRequest): Promise<Answer> {
  const agent = new Agent({ keepAlive: false });
  try {
    return await get(agent, port, req);
  } finally {
    agent.destroy();
  }
}
