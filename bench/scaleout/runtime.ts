// Runtime throughput of the workers: N instances started through the API, each decided through the
// API as soon as its task shows in the approver's inbox, measured from the first start to the last
// end (the workflow's result, long-polled from Temporal, so finding the end costs the servers
// nothing). The same API process and the same load for one worker and for two; only the number of
// `charter worker` processes polling the task queue differs.
import { performance } from 'node:perf_hooks';
import { quantile } from '../api/load.js';
import { type Answer, forEach, request, startBody, type World } from './world.js';

/** Starts in flight: enough that the workers always have instances to run. */
const STARTS_IN_FLIGHT = 8;
/** Decisions in flight: each waits on its workflow and an activity, hardly on a CPU. */
const DECISIONS_IN_FLIGHT = 16;
const INBOX_POLL_MS = 100;
/** A run that takes longer has a stuck instance or a dead worker: fail rather than hang. */
const RUN_LIMIT_MS = 600_000;

/** `work`, or an error naming `what` once `deadline` (epoch ms) has passed. */
async function within<T>(work: Promise<T>, deadline: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what}: not done in time`)),
          Math.max(0, deadline - Date.now()),
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RuntimeMeasurement {
  workers: number;
  instances: number;
  seconds: number;
  perSecond: number;
  /** Start to end of one instance, ms. */
  p50Ms: number;
  p99Ms: number;
}

interface InboxTask {
  id: string;
  instanceId: string;
  status: string;
}

const expectStatus = <T>(what: string, answer: Answer<T>, status: number): Answer<T> => {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${answer.text.slice(0, 300)}`);
  return answer;
};

/** Runs `count` instances through `api` to their end; numbered from `first` (inputs stay distinct). */
export async function runInstances(
  world: World,
  api: string,
  workers: number,
  first: number,
  count: number,
): Promise<RuntimeMeasurement> {
  const { tokens } = world;
  const startedAt = new Map<string, number>();
  const latencies: number[] = [];
  const results: Promise<void>[] = [];
  const began = performance.now();
  const deadline = Date.now() + RUN_LIMIT_MS;
  // A holder, not a `let`: the callbacks set it, and the loop below must see that.
  const failed: { error: Error | null } = { error: null };
  const fail = (error: unknown) =>
    void (failed.error ??= error instanceof Error ? error : new Error(String(error)));

  const starting = forEach(
    Array.from({ length: count }, (_, i) => first + i),
    STARTS_IN_FLIGHT,
    async (n) => {
      const sent = performance.now();
      const answer = await request<{ instanceId: string }>(
        api,
        'POST',
        '/v1/instances',
        tokens.requester,
        startBody(n),
      );
      const id = expectStatus(`start ${n}`, answer, 201).body.instanceId;
      world.started.add(id);
      startedAt.set(id, sent);
      results.push(
        world.temporal.workflow
          .getHandle(id)
          .result()
          .then(() => {
            latencies.push(performance.now() - sent);
            // Ended: nothing to terminate at the end (what is left there failed to end).
            world.started.delete(id);
          }, fail),
      );
    },
  ).catch(fail);

  // The approver's side: the inbox, then a decision on every open task of this run, the two
  // approvers in turn. A task is decided once; its instance ends with that decision.
  const decided = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  for (let turn = 0; decided.size < count; turn++) {
    if (failed.error !== null) throw failed.error;
    if (Date.now() > deadline) throw new Error(`only ${decided.size} of ${count} tasks decided in time`);
    const who = turn % tokens.approvers.length;
    const inbox = await request<{ items: InboxTask[] }>(
      api,
      'GET',
      '/v1/tasks/inbox?limit=500',
      tokens.approvers[who]!,
    );
    for (const task of expectStatus('inbox', inbox, 200).body.items) {
      if (task.status !== 'open' || decided.has(task.id) || !startedAt.has(task.instanceId)) continue;
      while (inFlight.size >= DECISIONS_IN_FLIGHT) await Promise.race(inFlight);
      decided.add(task.id);
      const path = `/v1/tasks/${encodeURIComponent(task.id)}/decide`;
      const done: Promise<void> = request(api, 'POST', path, tokens.approvers[decided.size % 2]!, {
        decision: 'approve',
      })
        .then((answer) => void expectStatus(`decide ${task.id}`, answer, 200), fail)
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
    }
    await new Promise((resolve) => setTimeout(resolve, INBOX_POLL_MS));
  }
  await starting;
  await Promise.all(inFlight);
  await within(Promise.all(results), deadline, `the end of ${count} instances`);
  if (failed.error !== null) throw failed.error;
  const seconds = (performance.now() - began) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    workers,
    instances: count,
    seconds,
    perSecond: count / seconds,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
  };
}

/**
 * Starts `count` instances and waits until each one's review is open in the store, undecided: the
 * open tasks the API phase's inbox reads return, on instances no request of that phase ever asks a
 * worker about (GET /v1/instances/{id} reads ended ones only).
 */
export async function openBacklog(world: World, api: string, first: number, count: number): Promise<void> {
  const ids: string[] = [];
  await forEach(
    Array.from({ length: count }, (_, i) => first + i),
    STARTS_IN_FLIGHT,
    async (n) => {
      const answer = await request<{ instanceId: string }>(
        api,
        'POST',
        '/v1/instances',
        world.tokens.requester,
        startBody(n),
      );
      const id = expectStatus(`start ${n}`, answer, 201).body.instanceId;
      world.started.add(id);
      ids.push(id);
    },
  );
  const deadline = Date.now() + 120_000;
  for (const id of ids) {
    for (;;) {
      const view = await world.store.views.get(id);
      if (view?.blockedOn.some((b) => b.kind === 'approval')) break;
      if (Date.now() > deadline) throw new Error(`${id}: its review never opened`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
