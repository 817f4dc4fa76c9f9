// Every worker and API start opens the store and creates its indexes again: that must be a no-op
// on a database that has them (FerretDB v1 crashed on a repeated multi-index createIndexes).
import type { MongoClient } from 'mongodb';
import { openStore } from '../../store/index.js';
import { connectMongo, databaseNameFor } from '../support/services.js';

let client: MongoClient;
const name = databaseNameFor(import.meta.url);

beforeAll(async () => {
  client = await connectMongo();
});

afterAll(async () => {
  await client.db(name).dropDatabase();
  await client.close();
});

test('when the store is opened three times on one database, then every open succeeds and the data stays', async () => {
  const first = await openStore(client.db(name));
  await first.directory.seedFromWorld({ groups: { cab: ['alice'] }, managers: {}, people: [] });
  await openStore(client.db(name));
  const third = await openStore(client.db(name));
  expect(await third.directory.group('cab')).toMatchObject({ members: ['alice'] });
});
