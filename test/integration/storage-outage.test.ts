// A storage outage, end to end: with a worker process running and drill instances in flight,
// the MongoDB-wire server (SecantusDB of the test profile) is stopped for a few seconds and started
// again on the same address and data directory. Activities fail and Temporal retries them (the
// storage retry policy never gives up); afterwards every instance must complete with each audit
// fact stored exactly once, on a chain that verifies.
//
// SecantusDB is restarted with the exact command line it runs with now (read from /proc), detached
// like start-services.sh does with setsid, and its new pid goes into the same pid file, so
// scripts/stop-services.sh still stops it. Later test files need it: afterAll starts it again
// whatever happened. Without a SecantusDB started by scripts/start-services.sh (MONGODB_URI pointing
// at some other server) there is nothing this file may stop, and it skips.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import type { MongoClient } from 'mongodb';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import { openStore, type Store } from '../../store/index.js';
import { connectMongo, databaseNameFor, taskQueueFor, temporalAddress } from '../support/services.js';
import {
  approveWhenOpen,
  type CheckStub,
  drillOutcome,
  drillPolicy,
  killAllWorkerProcesses,
  seedDrill,
  sleep,
  startCheckStub,
  startDrill,
  startWorkerProcess,
} from '../support/worker-process.js';

const path = (relative: string): string => fileURLToPath(new URL(`../../${relative}`, import.meta.url));
const PID_FILE = path('.tools/run/test/secantusdb.pid');
const LOG_FILE = path('.tools/logs/secantusdb-test.log');
const SECANTUSDB_BIN = path('.tools/secantus/bin/secantusd-py');
const OUTAGE_MS = 5_000;
const BEFORE = 12; // instances started before the outage
const DURING = 4; // instances started while storage is down

interface Server {
  pid: number;
  argv: string[];
  port: number;
}

/** The SecantusDB start-services.sh recorded, if it is the server MONGODB_URI points at. */
function recordedServer(): Server | null {
  const uri = process.env['MONGODB_URI'];
  if (uri === undefined || !existsSync(PID_FILE)) return null;
  const port = Number(new URL(uri).port);
  try {
    const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
    // Same guard as stop-services.sh: a recorded pid may belong to something else by now. The
    // server is a Python script: its interpreter runs it as the first argument.
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    if (argv[1] !== SECANTUSDB_BIN) return null;
    const at = argv.indexOf('--port');
    return at > 0 && argv[at + 1] === String(port) ? { pid, argv, port } : null;
  } catch {
    return null;
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const accepting = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** SIGTERM, as stop-services.sh does; SIGKILL if it is still there after 10 s. */
async function stopServer(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
}

/** Starts the server in its own session (setsid), logging where start-services.sh logs. */
async function startServer(server: Server): Promise<number> {
  const log = openSync(LOG_FILE, 'a');
  const child = spawn(server.argv[0]!, server.argv.slice(1), { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  closeSync(log);
  if (child.pid === undefined) throw new Error('could not spawn SecantusDB');
  writeFileSync(PID_FILE, `${child.pid}\n`);
  const deadline = Date.now() + 30_000;
  while (!(await accepting(server.port))) {
    if (!alive(child.pid)) throw new Error(`SecantusDB exited during start-up: see ${LOG_FILE}`);
    if (Date.now() > deadline) throw new Error(`SecantusDB not accepting on ${server.port} after 30 s`);
    await sleep(100);
  }
  return child.pid;
}

const recorded = recordedServer();
// This test found that the driver's default options left a worker cut off from a restarted
// FerretDB for minutes: first a monitor waiting on a half-open socket (fixed by bounded socket and
// connect times and frequent heartbeats), then, intermittently (1 of 2 runs here on a loaded
// machine, 1 of 5+ in CI), a server monitor that went silent after the restart while every
// operation failed server selection with the dead connection's error. store/client.ts
// watches for that silence and reconnects the client; its log line ("no MongoDB heartbeat for
// ... reconnecting") showed up in one of the next six runs here, which then passed in 34 s.
const outageTest = recorded === null ? test.skip : test;
if (recorded === null) {
  console.warn(
    'storage-outage: no SecantusDB recorded by scripts/start-services.sh serves MONGODB_URI; skipped',
  );
}

describe('the MongoDB-wire server stopped and started again mid-run', () => {
  const database = databaseNameFor(import.meta.url);
  const taskQueue = taskQueueFor(import.meta.url);
  const ids: string[] = [];
  let mongo: MongoClient;
  let store: Store;
  let connection: Connection;
  let client: Client;
  let stub: CheckStub;
  let policy: CompiledPolicy;

  beforeAll(async () => {
    policy = drillPolicy();
    mongo = await connectMongo();
    store = await openStore(mongo.db(database));
    await seedDrill(store);
    stub = await startCheckStub();
    connection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection });
  }, 60_000);

  afterAll(async () => {
    // Later test files need the server: bring it back first if this file left it down.
    if (recorded !== null && !(await accepting(recorded.port))) await startServer(recorded);
    await Promise.all(
      ids.map((id) =>
        client?.workflow
          .getHandle(id)
          .terminate('test over')
          .catch(() => null),
      ),
    );
    await killAllWorkerProcesses();
    await stub?.close();
    await connection?.close();
    // This client may be the stuck kind described above: clean up with a fresh one.
    const cleanup = await connectMongo().catch(() => null);
    await cleanup?.db(database).dropDatabase();
    await cleanup?.close();
    await mongo?.close();
  }, 60_000);

  outageTest(
    'when storage goes away for a few seconds under running instances, then every instance completes and nothing is lost or duplicated',
    async () => {
      const server = recorded!;
      const t0 = Date.now();
      const deadline = t0 + 200_000;
      const logFile = path(`.tools/logs/worker-${taskQueue}.log`);
      const worker = await startWorkerProcess({
        database,
        taskQueue,
        checkServices: { scan: stub.url },
        logFile,
      });
      const approvals: Promise<number>[] = [];
      const launch = async (): Promise<void> => {
        const n = ids.length;
        const id = `${taskQueue}-${n}`;
        ids.push(id);
        await startDrill(client, taskQueue, policy, id, n % 2 === 0 ? 50 : 150);
        const approval = approveWhenOpen(client, store, id, deadline);
        approval.catch(() => undefined); // awaited below; this only keeps an early failure "handled"
        approvals.push(approval);
      };
      for (let i = 0; i < BEFORE; i++) await launch();
      // Some instances are mid-way through their activities now, some already wait for approval.
      await sleep(1_500);

      const down = Date.now();
      let pid = server.pid;
      try {
        await stopServer(pid);
        for (let i = 0; i < DURING; i++) await launch();
        await sleep(Math.max(0, OUTAGE_MS - (Date.now() - down)));
      } finally {
        pid = await startServer(server);
      }
      const outage = Date.now() - down;

      const outcome = await drillOutcome(client, store, worker, ids, approvals, deadline);
      const { attempts, events, completedAt } = outcome;
      const retries = outcome.activityRetries;
      // Each as the policy dictates: approved, with the end message; anything else is listed by id.
      expect(outcome.unexpected).toEqual([]);
      expect(outcome.problems).toEqual([]);
      expect(outcome.openTasks).toBe(0);
      // The restarted server is the one the stop script will find.
      expect(readFileSync(PID_FILE, 'utf8').trim()).toBe(String(pid));
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1]).toBe(SECANTUSDB_BIN);

      console.log(
        `storage outage: ${ids.length} instances (${DURING} started during the outage), SecantusDB down ` +
          `${(outage / 1000).toFixed(1)}s (pid ${server.pid} -> ${pid}), ${events} audit events checked, ` +
          `${retries} activity retries, ${attempts.reduce((a, b) => a + b, 0) - attempts.length} approval ` +
          `retries; all done after ${((completedAt - t0) / 1000).toFixed(1)}s`,
      );
    },
    240_000,
  );
});
