// The servers under test, in a child process of the benchmark: Charter's API (createApp with real
// deps on the seeded database) and a bare Express app with one `GET /hello`, each on its own
// 127.0.0.1 port. A child, so that the load generator's own work (building requests, parsing
// answers, recording latencies) never runs on the event loop it is measuring; both apps share the
// child, so the baseline runs under the very same process, heap and libraries as the API (they
// are never measured at the same time). Ports go to the parent over IPC; it ends us with a message.
//
// With BENCH_RECORD=1 the API's MongoDB client monitors its commands, and those it sends to the
// bench database are kept and handed to the parent on request (EJSON, so dates stay dates): the
// exact finds of the routes, which the bare load replays and plans.ts explains. Only in a
// recording run: command monitoring costs the API a little on every command, so the measured
// servers run without it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import express from 'express';
import { createApp } from '../../api/app.js';
import type { ApiDeps } from '../../api/deps.js';
import { BSON, type Document } from 'mongodb';
import { mongoClient, openStore } from '../../store/index.js';
import { startRecording } from '../../test/support/plans.js';

export interface ServersReady {
  kind: 'ready';
  api: number;
  hello: number;
}

/** From the parent: stop, or (recording) send the commands recorded since the last ask. */
export type ServersMessage = { kind: 'stop' } | { kind: 'commands' };

/** To the parent: what the API sent to the bench database, canonical EJSON of `{name, command}[]`. */
export interface RecordedCommands {
  kind: 'commands';
  ejson: string;
}

async function listen(app: express.Express): Promise<Server> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Keep-alive clients stay connected between measurements: do not drop them after 5 s idle.
  server.keepAliveTimeout = 120_000;
  return server;
}

async function main(): Promise<void> {
  const mongoUri = process.env['MONGODB_URI'];
  const temporalAddress = process.env['TEMPORAL_ADDRESS'];
  const dbName = process.env['BENCH_DB'];
  if (!mongoUri || !temporalAddress || !dbName)
    throw new Error('servers: MONGODB_URI, TEMPORAL_ADDRESS, BENCH_DB');
  let stopping = false;
  const recording = process.env['BENCH_RECORD'] === '1';
  const mongo = mongoClient(mongoUri, { monitorCommands: recording });
  await mongo.connect();
  const recorder = recording ? startRecording(mongo) : null;
  const db = mongo.db(dbName);
  const store = await openStore(db);
  const connection = await Connection.connect({ address: temporalAddress });
  const deps: ApiDeps = {
    store,
    temporal: new Client({ connection }),
    taskQueue: 'bench-api',
    now: () => new Date(),
    health: {
      mongo: async () => {
        await db.command({ ping: 1 });
      },
      temporal: async () => {
        await connection.healthService.check({});
      },
    },
    // Requests the load generator abandoned fail when we close the client: not worth a stack trace.
    log: (line, error) => {
      if (!stopping) console.error(line, error);
    },
  };
  const api = await listen(createApp(deps));
  const helloApp = express();
  helloApp.get('/hello', (_req, res) => {
    res.json({ ok: true });
  });
  const hello = await listen(helloApp);

  const ready: ServersReady = {
    kind: 'ready',
    api: (api.address() as AddressInfo).port,
    hello: (hello.address() as AddressInfo).port,
  };
  process.send?.(ready);
  process.on('message', (message: ServersMessage) => {
    if (message.kind === 'commands') {
      const commands: Document[] = (recorder?.commands ?? [])
        .filter((c) => c.db === dbName)
        .map(({ name, command }) => ({ name, command }));
      recorder?.commands.splice(0);
      const answer: RecordedCommands = {
        kind: 'commands',
        ejson: BSON.EJSON.stringify(commands, { relaxed: false }),
      };
      process.send?.(answer);
      return;
    }
    stopping = true;
    recorder?.stop();
    api.closeAllConnections();
    hello.closeAllConnections();
    api.close();
    hello.close();
    void Promise.all([mongo.close(), connection.close()]).finally(() => process.exit(0));
  });
}

await main();
