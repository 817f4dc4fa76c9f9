// The API over real HTTP for integration tests: the Express app on 127.0.0.1 (ephemeral port), a
// real store on the MongoDB-wire server (a database of the test file's own), a real Temporal
// client on the dev server and a Charter worker in this process on a task queue of its own.
// `call` is a small fetch wrapper; `tokenFor` issues a real token for a person and roles.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { MongoClient } from 'mongodb';
import { answerClientErrors, createApp } from '../../api/app.js';
import { issueToken } from '../../api/auth.js';
import type { ApiDeps, DemoPerson } from '../../api/deps.js';
import { ApiMetrics } from '../../api/metrics.js';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import { openStore, type Role, type Store } from '../../store/index.js';
import { createCharterWorker } from '../../workflows/worker.js';
import { charterTestBundle } from './workflow-bundle.js';
import { connectMongo, databaseNameFor, taskQueueFor, temporalAddress } from './services.js';
import { useQuietTemporalRuntime } from './temporal.js';

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Sent as is (no JSON encoding): malformed JSON, huge bodies. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (undefined when the body is not JSON). */
  body: T;
}

export interface ApiHarness {
  base: string;
  /** The one client of the API and the in-process worker. */
  mongo: MongoClient;
  store: Store;
  deps: ApiDeps;
  taskQueue: string;
  /** Issues a real token (stored hashed) for `person` with `roles`. */
  tokenFor(person: string, roles: Role[]): Promise<string>;
  /** Compiles and publishes one policy text as the file `file`; its sha256. Throws on diagnostics. */
  publish(text: string, file?: string): Promise<string>;
  call<T = unknown>(method: string, path: string, options?: CallOptions): Promise<Answer<T>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Check service name to URL, for the in-process worker. */
  checkServices?: Record<string, string>;
  /** Run no worker (routes that never reach a workflow). */
  worker?: boolean;
  /** A client that emits command events, for counting what the API and worker send. */
  monitorCommands?: boolean;
  /** Serve the built web console at `/` from this folder (browser tests). */
  consoleDir?: string;
  /** Express's `trust proxy`, as CHARTER_TRUST_PROXY sets it. */
  trustProxy?: number | string;
  /** People to sign in as by picking them, as in the npm start demo. */
  demoPeople?: DemoPerson[];
}

export async function startApiHarness(testFile: string, options: HarnessOptions = {}): Promise<ApiHarness> {
  useQuietTemporalRuntime();
  const mongo: MongoClient = await connectMongo({ monitorCommands: options.monitorCommands === true });
  const db = mongo.db(databaseNameFor(testFile));
  await db.dropDatabase();
  const store = await openStore(db);
  const taskQueue = taskQueueFor(testFile);
  const connection = await Connection.connect({ address: temporalAddress() });
  // As api/server.ts wires it: the Updates and starts the API sends are measured for /metrics.
  const metrics = new ApiMetrics(store);
  const temporal = new Client({ connection, interceptors: { workflow: [metrics.clientInterceptor()] } });
  let worker: Worker | null = null;
  let nativeConnection: NativeConnection | null = null;
  let running: Promise<void> | null = null;
  if (options.worker !== false) {
    nativeConnection = await NativeConnection.connect({ address: temporalAddress() });
    worker = await createCharterWorker({
      connection: nativeConnection,
      taskQueue,
      store,
      checkServices: options.checkServices ?? {},
      bundle: await charterTestBundle(),
      shutdownGraceTime: '1 second',
    });
    running = worker.run();
  }
  const deps: ApiDeps = {
    store,
    temporal,
    taskQueue,
    now: () => new Date(),
    health: {
      mongo: async () => {
        await db.command({ ping: 1 });
      },
      temporal: async () => {
        await connection.healthService.check({});
      },
    },
    log: (line, error) => console.error(line, error),
    metrics,
    ...(options.demoPeople ? { demoPeople: options.demoPeople } : {}),
  };
  const app = createApp(deps, {
    ...(options.consoleDir === undefined ? {} : { consoleDir: options.consoleDir }),
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
  });
  const server: Server = app.listen(0, '127.0.0.1');
  answerClientErrors(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    base,
    mongo,
    store,
    deps,
    taskQueue,
    tokenFor: (person, roles) => issueToken(store, person, roles, 'test', new Date()),
    async publish(text, file = 'policy.charter') {
      const out = compileEntry(file, memoryHost({ [file]: text }));
      if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
      await store.policies.publish({
        compiled: out.compiled,
        sources: [{ path: file, text }],
        publishedBy: 'pmo@halden.example',
        at: new Date(),
      });
      return out.compiled.sha256;
    },
    async call<T>(method: string, path: string, o: CallOptions = {}): Promise<Answer<T>> {
      const headers: Record<string, string> = { ...o.headers };
      if (o.token) headers['authorization'] = `Bearer ${o.token}`;
      let body: string | undefined = o.rawBody;
      if (body === undefined && o.body !== undefined) body = JSON.stringify(o.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, text, body: parsed as T };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      worker?.shutdown();
      await running;
      await nativeConnection?.close();
      await connection.close();
      await db.dropDatabase().catch(() => undefined);
      await mongo.close();
    },
  };
}
