// The database a store test runs against: its own (named after the test file, so suites running at
// the same time never share one), emptied and given the indexes it needs before the describe block's
// tests, dropped after them. The client is a monitored one, so tests can record and explain what the
// store sends (test/support/plans.ts).
import { afterAll, beforeAll } from '@jest/globals';
import type { Db, MongoClient } from 'mongodb';
import { MANIFEST } from '../../store/index.js';
import { applyManifest, type CollectionSpec } from '../../store/manifest.js';
import { monitoredClient } from './plans.js';
import { databaseNameFor } from './services.js';

export interface StoreDatabase {
  /** The monitored client the database was opened with. */
  client: () => MongoClient;
  db: () => Db;
}

/**
 * Registers, in the describe block it is called in, a beforeAll that connects, drops the test
 * file's database and applies `collections` (the module under test's manifest entries, or the
 * whole manifest), and an afterAll that drops the database and closes the client. Call it before
 * the block's own beforeAll, which then runs after it and can build repositories on `db()`.
 */
export function useStoreDatabase(
  testFile: string,
  collections: readonly CollectionSpec[] = MANIFEST,
): StoreDatabase {
  let client: MongoClient | undefined;
  let db: Db | undefined;

  beforeAll(async () => {
    client = await monitoredClient();
    db = client.db(databaseNameFor(testFile));
    await db.dropDatabase();
    await applyManifest(db, collections);
  });

  afterAll(async () => {
    await db?.dropDatabase();
    await client?.close();
  });

  const opened = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('the store database is opened in beforeAll: use it in a hook or test');
    return value;
  };
  return { client: () => opened(client), db: () => opened(db) };
}
