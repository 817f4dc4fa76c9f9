// A Charter worker on the time-skipping test server with the real store: the set-up that the
// workflow-* suites share (one bundle, one environment, one database and task queue per test file).
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { MongoClient } from 'mongodb';
import type { WorldDirectory } from '../../store/directory.js';
import { openStore, type Store } from '../../store/index.js';
import { type CharterWorkerOptions, createCharterWorker } from '../../workflows/worker.js';
import { charterTestBundle } from './workflow-bundle.js';
import { connectMongo, databaseNameFor, taskQueueFor, temporalTestServerPath } from './services.js';
import { useQuietTemporalRuntime } from './temporal.js';

export interface TimeSkippingCharter {
  env: TestWorkflowEnvironment;
  store: Store;
  worker: Worker;
  taskQueue: string;
  /** Drops the test file's database and stops the environment. */
  close(): Promise<void>;
}

/** For `beforeAll` (give it 120 s: bundling and the test server's start take a while). */
export async function startTimeSkippingCharter(
  testFileUrl: string,
  world: WorldDirectory,
  options: Partial<Pick<CharterWorkerOptions, 'shutdownGraceTime' | 'signingKey'>> = {},
): Promise<TimeSkippingCharter> {
  useQuietTemporalRuntime();
  const taskQueue = taskQueueFor(testFileUrl);
  const database = databaseNameFor(testFileUrl);
  const bundle = await charterTestBundle();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
  let mongo: MongoClient | undefined;
  try {
    mongo = await connectMongo();
    const store = await openStore(mongo.db(database));
    await store.directory.seedFromWorld(world);
    const worker = await createCharterWorker({
      connection: env.nativeConnection,
      taskQueue,
      store,
      checkServices: {},
      bundle,
      ...options,
    });
    const client = mongo;
    return {
      env,
      store,
      worker,
      taskQueue,
      close: async () => {
        await client.db(database).dropDatabase();
        await client.close();
        await env.teardown();
      },
    };
  } catch (error) {
    await mongo?.close();
    await env.teardown();
    throw error;
  }
}
