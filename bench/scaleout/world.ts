// The scale-out benchmark's world: a database and a task queue of its own on the running servers,
// a one-approval process, its people and their tokens, and Charter's production processes
// (`charter serve`, `charter worker`) started the way an operator starts them. Everything it made
// is removed at the end: the database, the workflows it started, the schedules the workers made.
import { Client, Connection } from '@temporalio/client';
import { type Db, MongoClient } from 'mongodb';
import { issueToken } from '../../api/auth.js';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import { openStore, type Store } from '../../store/index.js';
import { ledgerSignerScheduleId } from '../../workflows/ledger/schedule.js';
import { reconcileScheduleId } from '../../workflows/monitors/schedules.js';
import { qualificationRemindersScheduleId } from '../../workflows/qualifications/schedule.js';
import {
  type CharterProcess,
  killAllCharterProcesses,
  servedUrl,
  startCharterProcess,
} from '../../test/support/charter-process.js';

export const POLICY_NAME = 'Bench scale-out';
export const PROCESS = 'request';

// One approval by either of two approvers, then the end: each instance needs exactly one decision,
// and every other step would only add work that both configurations do alike.
const POLICY = `policy "${POLICY_NAME}" version 1 effective 2026-01-01
owner "pmo@bench.example"
role approvers = group "approvers"
process ${PROCESS} {
  input {
    requester: person
    amount: number
  }
  approve review {
    by approvers
    not request.requester
  }
  end approved "request {request.amount} approved"
}
`;

export const REQUESTER = 'rita@bench.example';
const APPROVERS = ['ann@bench.example', 'ben@bench.example'];
const ADMIN = 'pmo@bench.example';

export interface World {
  db: Db;
  store: Store;
  taskQueue: string;
  /** The bench's own Temporal client: results of instances, and the clean-up. */
  temporal: Client;
  tokens: { requester: string; approvers: string[]; admin: string };
  /** Every instance any phase started, terminated at the end whatever state it is in. */
  started: Set<string>;
  serve(): Promise<CharterProcess>;
  worker(): Promise<CharterProcess>;
  close(): Promise<void>;
}

/** Seeds a fresh database (policy, directory, tokens) and connects to Temporal. */
export async function openWorld(mongoUri: string, temporalAddress: string): Promise<World> {
  const mongo = new MongoClient(mongoUri);
  await mongo.connect();
  const dbName = `bench_scaleout_${process.pid}`;
  const db = mongo.db(dbName);
  await db.dropDatabase();
  const store = await openStore(db);
  const out = compileEntry('bench.charter', memoryHost({ 'bench.charter': POLICY }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
  await store.policies.publish({
    compiled: out.compiled,
    sources: [{ path: 'bench.charter', text: POLICY }],
    publishedBy: ADMIN,
    at: new Date(),
  });
  await store.directory.seedFromWorld({
    groups: { approvers: APPROVERS },
    managers: {},
    people: [REQUESTER, ADMIN],
  });
  const at = new Date();
  // The admin token also keeps `charter serve` from making (and logging) a bootstrap token.
  const tokens = {
    requester: await issueToken(store, REQUESTER, ['requester'], 'bench', at),
    approvers: await Promise.all(APPROVERS.map((p) => issueToken(store, p, ['approver'], 'bench', at))),
    admin: await issueToken(store, ADMIN, ['admin'], 'bench', at),
  };
  const taskQueue = `bench-scaleout-${process.pid}`;
  const connection = await Connection.connect({ address: temporalAddress });
  const temporal = new Client({ connection });
  const env = { CHARTER_DATABASE: dbName, CHARTER_TASK_QUEUE: taskQueue };
  const started = new Set<string>();
  return {
    db,
    store,
    taskQueue,
    temporal,
    tokens,
    started,
    serve: () =>
      startCharterProcess({
        command: 'serve',
        env: { ...env, CHARTER_API_PORT: '0' },
        ready: 'charter serve ready',
        readyTimeoutMs: 120_000,
      }),
    // Mail is off (no SMTP host); the approvers' notices still go through each worker's deliverer.
    worker: () =>
      startCharterProcess({
        command: 'worker',
        env,
        ready: 'charter worker ready',
        readyTimeoutMs: 120_000,
      }),
    async close() {
      await killAllCharterProcesses();
      await forEach([...started], 16, (id) =>
        temporal.workflow
          .getHandle(id)
          .terminate('benchmark over')
          .catch(() => null),
      );
      const schedules = [ledgerSignerScheduleId, qualificationRemindersScheduleId, reconcileScheduleId];
      await Promise.all(
        schedules.map((idOf) =>
          temporal.schedule
            .getHandle(idOf(taskQueue))
            .delete()
            .catch(() => null),
        ),
      );
      await connection.close();
      await db.dropDatabase();
      await mongo.close();
    },
  };
}

/** The `http://127.0.0.1:PORT` a serve process listens on, and the port alone for node:http. */
export function addressOf(proc: CharterProcess): { url: string; port: number } {
  const url = servedUrl(proc);
  return { url, port: Number(new URL(url).port) };
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function forEach<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

export interface Answer<T> {
  status: number;
  body: T;
  text: string;
}

/** One JSON request with fetch, outside any measured load (setup, the runtime phase's own calls). */
export async function request<T = unknown>(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  token: string,
  body?: unknown,
): Promise<Answer<T>> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed as T, text };
}

/** The body of a start of the bench process; `n` only makes the instances' inputs distinct. */
export const startBody = (n: number) => ({
  policy: POLICY_NAME,
  process: PROCESS,
  input: { requester: REQUESTER, amount: n },
});
