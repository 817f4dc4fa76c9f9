// Fault-injection support: Charter workers as real OS processes (`node scripts/charter.js worker`),
// so a test can SIGKILL one the way a machine dies, plus the small workload both fault suites
// (crash, storage outage) drive through them and the per-instance facts they check afterwards.
// An in-process Worker cannot be killed mid-activity; a process can, and that is the point.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import type { AuditEvent, InstanceView, Store, Task, VerifyReport } from '../../store/index.js';
import type { Decision } from '../../engine/machine/types.js';
import type { EffectsInput } from '../../workflows/activities/contract.js';
import { charterInstance } from '../../workflows/definitions/instance.js';
import { decideUpdate, explainQuery, type InstanceResult } from '../../workflows/definitions/messages.js';
import { type CharterProcess, killAllCharterProcesses, startCharterProcess } from './charter-process.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** mulberry32: a seeded generator, so a failing schedule of kills can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type WorkerProcess = CharterProcess;

export interface WorkerProcessOptions {
  database: string;
  taskQueue: string;
  checkServices: Record<string, string>;
  readyTimeoutMs?: number;
  /** Also append everything the worker prints here (the tail in failure messages is short). */
  logFile?: string;
}

/**
 * Spawns a worker and resolves once it prints "charter worker ready" (it polls from then on).
 * Fails with the worker's own output when it exits or stays silent past the time-out.
 */
export function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  return startCharterProcess({
    command: 'worker',
    env: {
      CHARTER_DATABASE: options.database,
      CHARTER_TASK_QUEUE: options.taskQueue,
      CHARTER_CHECK_SERVICES: JSON.stringify(options.checkServices),
    },
    ready: 'charter worker ready',
    ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
    ...(options.logFile === undefined ? {} : { logFile: options.logFile }),
  });
}

/** For afterAll: no worker outlives its test file, whatever happened. */
export const killAllWorkerProcesses = killAllCharterProcesses;

/** The stand-in for an external compliance service: always passes, counts calls per request. */
export interface CheckStub {
  url: string;
  calls: Map<string, number>;
  close(): Promise<void>;
}

export async function startCheckStub(): Promise<CheckStub> {
  const calls = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const key = String(req.headers['idempotency-key'] ?? '?');
    calls.set(key, (calls.get(key) ?? 0) + 1);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ outcome: 'passed', evidence: `scan ${key} clean` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scan`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The drill: rule checks, an external check (twice for big amounts), notifications, a parallel
// block with a group approval, and the end. Many activities per instance, none waits on a clock.
const DRILL = `policy "Fault drill" version 1 effective 2026-01-01
owner "pmo@example.com"
role approvers = group "approvers"

rule big = request.amount > 100
  because "amounts above 100 get a second scan"

process drill {
  input {
    requester: person
    amount: number
  }
  check positive:
    require request.amount > 0
    else "the amount must be positive"
  check scan:
    external "scan" timeout 1m retry 5
  notify request.requester: "the scan of {request.amount} passed"
  parallel {
    check limit:
      require request.amount < 1000
      else "the amount is above the limit"
    branch second {
      if big {
        check rescan:
          external "scan" timeout 1m retry 5
      }
      notify approvers: "a drill request of {request.amount} is waiting"
    }
    approve review {
      by approvers
      at least 1
      not request.requester
      within 2 days
      on timeout reject "nobody decided"
    }
  }
  notify request.requester, approvers: "the drill of {request.amount} is done"
  end approved "drill of {request.amount} done"
}
`;

export const DRILL_APPROVERS = ['alice', 'bob'];

export function drillPolicy(): CompiledPolicy {
  const out = compileEntry('drill.charter', memoryHost({ 'drill.charter': DRILL }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
  return out.compiled;
}

export async function seedDrill(store: Store): Promise<void> {
  await store.directory.seedFromWorld({
    groups: { approvers: DRILL_APPROVERS },
    managers: {},
    people: ['rita'],
  });
}

export async function startDrill(
  client: Client,
  taskQueue: string,
  policy: CompiledPolicy,
  instanceId: string,
  amount: number,
): Promise<void> {
  await client.workflow.start(charterInstance, {
    args: [{ policy, process: 'drill', input: { requester: 'rita', amount }, instanceId, startedBy: 'rita' }],
    taskQueue,
    workflowId: instanceId,
  });
}

/**
 * Waits until the review is open (in the store, which needs no worker to answer) and `gate`
 * lets it go, then approves through the Update. Each attempt has its own deadline because the client would wait
 * for a dead worker forever; the fixed update id makes a retry attach to an earlier attempt that
 * did get through instead of deciding twice. Returns the number of attempts it took.
 */
export async function approveWhenOpen(
  client: Client,
  store: Store,
  instanceId: string,
  deadline: number,
  gate: () => Promise<void> = () => Promise.resolve(),
): Promise<number> {
  for (;;) {
    // The view is written after the task, in the same activity: approval showing means task open.
    const view = await store.views.get(instanceId).catch(() => null);
    if (view?.blockedOn.some((b) => b.step === 'review' && b.kind === 'approval')) break;
    if (Date.now() > deadline) throw new Error(`${instanceId}: the review never became open for approval`);
    await sleep(100);
  }
  await gate();
  const handle = client.workflow.getHandle(instanceId);
  for (let attempt = 1; ; attempt++) {
    try {
      await client.connection.withDeadline(Math.min(Date.now() + 3_000, deadline), () =>
        handle.executeUpdate(decideUpdate, {
          args: [{ step: 'review', actor: DRILL_APPROVERS[0]!, decision: 'approve' }],
          updateId: `${instanceId}/approve`,
        }),
      );
      return attempt;
    } catch (error) {
      // A refusal is the engine's answer, not an outage: retrying cannot change it.
      if (error instanceof WorkflowUpdateFailedError) {
        const cause = error.cause as { type?: string; message?: string } | undefined;
        throw new Error(`${instanceId}: approval failed (${cause?.type ?? '?'}): ${cause?.message ?? ''}`, {
          cause: error,
        });
      }
      if (Date.now() > deadline)
        throw new Error(`${instanceId}: approval not accepted in time: ${String(error)}`, { cause: error });
      await sleep(500);
    }
  }
}

/** Awaits `work`; if it fails, says how the worker is doing, which is usually why. */
export async function withWorkerContext<T>(worker: WorkerProcess, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const state = worker.exit() === null ? 'still running' : `exited (${worker.exit()})`;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n(worker ${worker.pid} ${state}; its last lines:)\n${worker.tail()}`, {
      cause: error,
    });
  }
}

/** Waits for the workflow's result, naming the instance when it does not come in time. */
export async function resultOf(
  client: Client,
  instanceId: string,
  deadline: number,
): Promise<InstanceResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      client.workflow.getHandle<typeof charterInstance>(instanceId).result(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${instanceId}: no result in time (stuck?)`)),
          Math.max(0, deadline - Date.now()),
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Everything the fault suites check about one finished instance. */
export interface InstanceFacts {
  decisions: Decision[];
  events: AuditEvent[];
  verify: VerifyReport;
  /** Every task the workflow opened (ids from its history: the machine numbers them), as stored. */
  tasks: { id: string; task: Task | null }[];
  view: InstanceView | null;
  /** Activity attempts beyond the first, from the Temporal history. */
  activityRetries: number;
}

export async function factsOf(client: Client, store: Store, instanceId: string): Promise<InstanceFacts> {
  const handle = client.workflow.getHandle(instanceId);
  // The decision log the workflow itself kept: a query on a closed run replays it on the worker.
  const decisions = await handle.query(explainQuery);
  const events: AuditEvent[] = [];
  let after: string | undefined;
  do {
    const page = await store.audit.query(
      { instanceId },
      after === undefined ? { limit: 1000 } : { after, limit: 1000 },
    );
    events.push(...page.events);
    after = page.next ?? undefined;
  } while (after !== undefined);
  const history = await handle.fetchHistory();
  let activityRetries = 0;
  const taskIds: string[] = [];
  for (const event of history.events ?? []) {
    const attempt = event.activityTaskStartedEventAttributes?.attempt ?? 1;
    activityRetries += Math.max(0, attempt - 1);
    // Any activity carrying a transition's effect commands (applyEffects, applyTransition, ...).
    const data = event.activityTaskScheduledEventAttributes?.input?.payloads?.[0]?.data;
    if (!data) continue;
    const input = JSON.parse(Buffer.from(data).toString('utf8')) as Partial<EffectsInput>;
    for (const c of input.commands ?? []) if (c.kind === 'openTask') taskIds.push(`${instanceId}/${c.task}`);
  }
  const tasks = await Promise.all(taskIds.map(async (id) => ({ id, task: await store.tasks.get(id) })));
  return {
    decisions,
    events,
    verify: await store.audit.verify({ chain: instanceId }),
    tasks,
    view: await store.views.get(instanceId),
    activityRetries,
  };
}

/** Open tasks of anyone in the drill's approver group, across all instances of the database. */
export async function openDrillTasks(store: Store): Promise<number> {
  return (await store.tasks.inbox(DRILL_APPROVERS, { limit: 500 })).tasks.length;
}

/**
 * What is wrong with one finished drill instance, as readable lines (empty when nothing is): the
 * ledger must hold seq 1..N exactly once, N being the workflow's own decision log, with the same
 * texts, on a chain that verifies; every task it opened closed; the view final.
 */
export function problemsOf(instanceId: string, facts: InstanceFacts): string[] {
  const problems: string[] = [];
  const { decisions, events, verify, tasks, view } = facts;
  const say = (text: string): number => problems.push(`${instanceId}: ${text}`);
  if (!verify.ok) say(`audit chain does not verify: ${JSON.stringify(verify.firstProblem)}`);
  const seqs = events.map((e) => e.seq).sort((a, b) => a - b);
  const expected = decisions.map((_, i) => i + 1);
  if (JSON.stringify(seqs) !== JSON.stringify(expected)) {
    say(`ledger seqs [${seqs.join(',')}] but the decision log has ${decisions.length} entries`);
  }
  if (new Set(events.map((e) => e.id)).size !== events.length) say('duplicate audit event ids');
  for (const d of decisions) {
    const stored = events.filter((e) => e.seq === d.seq);
    if (stored.length !== 1 || stored[0]?.text !== d.text) {
      say(
        `decision ${d.seq} "${d.text}" stored ${stored.length} time(s) as ${JSON.stringify(stored.map((e) => e.text))}`,
      );
    }
  }
  const last = [...events].sort((a, b) => a.seq - b.seq).at(-1);
  if (last?.type !== 'ended' || last.outcome !== 'approved')
    say(`last ledger event is ${JSON.stringify(last?.text)}`);
  if (tasks.length === 0) say('no task was ever opened (the drill has an approval)');
  for (const { id, task } of tasks) {
    if (task?.status !== 'closed') say(`task ${id} is ${task === null ? 'missing' : task.status}`);
  }
  if (view?.status !== 'approved' || view.currentSteps.length > 0 || view.endedAt === null) {
    say(
      `instance view is not final: ${JSON.stringify(view && { status: view.status, steps: view.currentSteps })}`,
    );
  }
  return problems;
}

/** What a fault drill found once every instance was driven to its end. */
export interface DrillOutcome {
  /** Approval attempts per instance (1 = the first Update was accepted). */
  attempts: number[];
  /** Instances that did not end as the drill policy dictates, with what they ended as. */
  unexpected: ({ id: string | undefined } & InstanceResult)[];
  /** Everything problemsOf found, over all instances. */
  problems: string[];
  events: number;
  activityRetries: number;
  openTasks: number;
  completedAt: number;
}

/**
 * Waits for the approvals and the results of every drill instance (naming the worker's last log
 * lines when that fails), then collects what the fault suites assert: each instance approved with
 * its end message, its ledger and tasks as problemsOf wants them, no drill task left open.
 */
export async function drillOutcome(
  client: Client,
  store: Store,
  worker: WorkerProcess,
  ids: readonly string[],
  approvals: Promise<number>[],
  deadline: number,
): Promise<DrillOutcome> {
  const attempts = await withWorkerContext(worker, Promise.all(approvals));
  const results = await withWorkerContext(
    worker,
    Promise.all(ids.map((id) => resultOf(client, id, deadline))),
  );
  const completedAt = Date.now();
  const unexpected = results.flatMap((r, i) =>
    r.status === 'approved' && /^drill of (50|150) done$/.test(r.message ?? '') ? [] : [{ id: ids[i], ...r }],
  );
  const problems: string[] = [];
  let events = 0;
  let activityRetries = 0;
  for (const [i, facts] of (await Promise.all(ids.map((id) => factsOf(client, store, id)))).entries()) {
    problems.push(...problemsOf(ids[i] ?? '?', facts));
    events += facts.events.length;
    activityRetries += facts.activityRetries;
  }
  return {
    attempts,
    unexpected,
    problems,
    events,
    activityRetries,
    openTasks: await openDrillTasks(store),
    completedAt,
  };
}
