// The API under test for the proof benchmark (part 2), in a child process of the benchmark:
// Charter's createApp with real deps, once per database named in BENCH_DBS (the 1,000,000-leaf
// tree and the small baseline tree), each on its own 127.0.0.1 port. A child, so that the load
// (sending requests, parsing and verifying answers, recording latencies) never runs on the event
// loop it measures; one child for both, so that the baseline runs in the very same process, heap
// and MongoDB client as the measured tree (they are never measured at the same time).
//
// The proof and head routes never reach Temporal: the client's connection is lazy and never
// opens. Ports go to the parent over IPC; a `stop` message ends us.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app.js';
import type { ApiDeps } from '../../api/deps.js';
import { mongoClient, openStore } from '../../store/index.js';

/** To the parent once listening: the API's port for each database. */
export interface ServersReady {
  kind: 'ready';
  ports: Record<string, number>;
}

export interface ServersStop {
  kind: 'stop';
}

async function listen(deps: ApiDeps): Promise<Server> {
  const server = createApp(deps).listen(0, '127.0.0.1');
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
  const names = process.env['BENCH_DBS']?.split(',').filter((name) => name !== '');
  if (!mongoUri || !names || names.length === 0) throw new Error('servers: MONGODB_URI and BENCH_DBS');
  let stopping = false;
  const mongo = mongoClient(mongoUri);
  await mongo.connect();
  const connection = Connection.lazy({ address: process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233' });
  const temporal = new Client({ connection });
  const servers: Server[] = [];
  const ports: Record<string, number> = {};
  for (const name of names) {
    const db = mongo.db(name);
    const deps: ApiDeps = {
      store: await openStore(db),
      temporal,
      taskQueue: 'bench-ledger',
      now: () => new Date(),
      health: {
        mongo: async () => {
          await db.command({ ping: 1 });
        },
        temporal: async () => {
          await connection.healthService.check({});
        },
      },
      // Requests abandoned when the parent stops fail as we close the client: no stack traces then.
      log: (line, error) => {
        if (!stopping) console.error(line, error);
      },
    };
    const server = await listen(deps);
    servers.push(server);
    ports[name] = (server.address() as AddressInfo).port;
  }
  const ready: ServersReady = { kind: 'ready', ports };
  process.send?.(ready);
  process.on('message', (message: ServersStop) => {
    if (message.kind !== 'stop') return;
    stopping = true;
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    void mongo.close().finally(() => process.exit(0));
  });
}

await main();
