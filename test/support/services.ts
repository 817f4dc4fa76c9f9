// Where the real servers are. scripts/test.sh starts them (or takes them from the environment)
// and exports these variables; a test run without them fails here, loudly, instead of mocking.
import path from 'node:path';
import type { MongoClient } from 'mongodb';
import { mongoClient } from '../../store/index.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run the suite through \`npm test\`, which starts the servers, ` +
        `or point ${name} at a running server`,
    );
  }
  return value;
}

export const temporalAddress = (): string => required('TEMPORAL_ADDRESS');
export const mongodbUri = (): string => required('MONGODB_URI');
export const temporalTestServerPath = (): string => required('TEMPORAL_TEST_SERVER_PATH');

/**
 * A database name of the test file's own, so files never see each other's data, plus a per-process
 * suffix so that re-runs against a shared external MongoDB never collide either.
 */
export function databaseNameFor(testFile: string): string {
  const base = path
    .basename(testFile)
    .replace(/\.test\.ts$/, '')
    .replace(/[^a-zA-Z0-9]/g, '_');
  return `t_${base}_${process.pid}`.slice(0, 60);
}

/** A unique task queue per test file, so concurrent runs against one Temporal never cross. */
export function taskQueueFor(testFile: string): string {
  return `${databaseNameFor(testFile)}_${Date.now().toString(36)}`;
}

export async function connectMongo(options: { monitorCommands?: boolean } = {}): Promise<MongoClient> {
  const client = mongoClient(mongodbUri(), options);
  await client.connect();
  return client;
}
