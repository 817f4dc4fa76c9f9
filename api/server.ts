// The API as a running server: connects MongoDB and Temporal from an ApiConfig, builds the ApiDeps
// every route gets, and listens. `npm start` runs it next to a worker; anyone who deploys the API
// on its own calls it with the environment's configuration. Closing lets requests in flight
// finish (briefly), then closes the connections, so a restart never leaves sockets behind.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { mongoClient, openStore, type Store } from '../store/index.js';
import { answerClientErrors, createApp } from './app.js';
import type { ApiConfig } from './config.js';
import type { ApiDeps, DemoPerson } from './deps.js';
import { ApiMetrics } from './metrics.js';
import { OidcRelyingParty } from './oidc/relying-party.js';
import { oidcSettingsOf } from './oidc/settings.js';
import {
  type TemporalConnectionOptions,
  temporalConnectionOptions,
} from '../workflows/temporal-connection.js';

export interface ApiServerOptions {
  /** Where failures that clients only see as "internal" are written; stderr by default. */
  log?: (line: string, error?: unknown) => void;
  /** How long requests in flight may take to finish once closing starts (default 5 s). */
  closeGraceMs?: number;
  /** One entry per answered request (`charter serve`'s JSON log); none by default. */
  requestLog?: ApiDeps['requestLog'];
  /** The demo's people, to sign in as by picking one (npm start only). */
  demoPeople?: readonly DemoPerson[];
  /** How to reach Temporal, read once by the caller; else from `config` (TEMPORAL_TLS_*...). */
  temporal?: TemporalConnectionOptions;
}

/** Where `npm run build:web` puts the console, in this clone. */
const BUILT_CONSOLE = fileURLToPath(new URL('../web/dist', import.meta.url));

export interface ApiServer {
  /** `http://host:port`, with the port the OS picked when the configuration said 0. */
  url: string;
  /** The store the API uses, for the process that runs it (seeding, a worker in the same process). */
  store: Store;
  /** From now on `/readyz` answers 503 `stopping`; requests are still served. */
  beginDraining(): void;
  /** Stops accepting requests and waits for those in flight; connections stay open. */
  stopAccepting(): Promise<void>;
  /** Stops accepting requests, then closes the MongoDB and Temporal connections. */
  close(): Promise<void>;
}

const defaultLog = (line: string, error?: unknown): void => {
  console.error(line, ...(error === undefined ? [] : [error]));
};

export async function startApiServer(config: ApiConfig, options: ApiServerOptions = {}): Promise<ApiServer> {
  const log = options.log ?? defaultLog;
  const mongo = mongoClient(config.MONGODB_URI);
  await mongo.connect();
  let connection: Connection | null = null;
  try {
    const db = mongo.db(config.CHARTER_DATABASE);
    const store = await openStore(db);
    connection = await Connection.connect(options.temporal ?? temporalConnectionOptions(config));
    const temporalConnection = connection;
    const metrics = new ApiMetrics(store);
    const temporal = new Client({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      interceptors: { workflow: [metrics.clientInterceptor()] },
    });
    const sso = oidcSettingsOf(config);
    let draining = false;
    const deps: ApiDeps = {
      store,
      temporal,
      taskQueue: config.CHARTER_TASK_QUEUE,
      now: () => new Date(),
      health: {
        mongo: async () => {
          await db.command({ ping: 1 });
        },
        temporal: async () => {
          await temporalConnection.healthService.check({});
        },
        stopping: () => draining,
      },
      log,
      metrics,
      ...(options.requestLog ? { requestLog: options.requestLog } : {}),
      ...(options.demoPeople ? { demoPeople: options.demoPeople } : {}),
      ...(sso ? { singleSignOn: new OidcRelyingParty(sso) } : {}),
    };
    const app = createApp(deps, {
      consoleDir: config.CHARTER_CONSOLE_DIR ?? BUILT_CONSOLE,
      ...(config.CHARTER_TRUST_PROXY === undefined ? {} : { trustProxy: config.CHARTER_TRUST_PROXY }),
    });
    const server = await listen(app, config.CHARTER_API_HOST, config.CHARTER_API_PORT);
    const { port } = server.address() as AddressInfo;
    const host = config.CHARTER_API_HOST.includes(':')
      ? `[${config.CHARTER_API_HOST}]`
      : config.CHARTER_API_HOST;

    let stopping: Promise<void> | null = null;
    const stopAccepting = (): Promise<void> => {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A client holding a request open must not keep the process from stopping.
        setTimeout(() => server.closeAllConnections(), options.closeGraceMs ?? 5_000).unref();
      });
      return stopping;
    };
    let closing: Promise<void> | null = null;
    return {
      url: `http://${host}:${port}`,
      store,
      beginDraining: () => {
        draining = true;
      },
      stopAccepting,
      close: () => {
        closing ??= (async () => {
          await stopAccepting();
          await temporalConnection.close();
          await mongo.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await connection?.close().catch(() => undefined);
    await mongo.close().catch(() => undefined);
    throw error;
  }
}

/** Resolves once listening; rejects on EADDRINUSE and the like instead of crashing the process. */
function listen(app: ReturnType<typeof createApp>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    answerClientErrors(server);
    const failed = (error: Error): void => reject(error);
    server.once('error', failed);
    server.once('listening', () => {
      server.off('error', failed);
      resolve(server);
    });
  });
}
