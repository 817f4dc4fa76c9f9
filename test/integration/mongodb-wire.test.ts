// Proves the MongoDB-wire server is real: the operations Charter's store relies on (CRUD, unique
// indexes as the concurrency guard, atomic upserts) behave as on MongoDB, through the real driver.
import { MongoServerError, type Collection, type Db, type MongoClient } from 'mongodb';
import { connectMongo, databaseNameFor } from '../support/services.js';

interface Counter {
  _id: string;
  project: string;
  count: number;
}

describe('MongoDB-wire server', () => {
  let client: MongoClient;
  let db: Db;
  let counters: Collection<Counter>;

  beforeAll(async () => {
    client = await connectMongo();
    db = client.db(databaseNameFor(import.meta.url));
    await db.dropDatabase();
    counters = db.collection<Counter>('counters');
    await counters.createIndex({ project: 1 }, { unique: true, name: 'project_unique' });
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  test('when a document is inserted, then find returns it field for field', async () => {
    await counters.insertOne({ _id: 'c1', project: 'erp-upgrade', count: 1 });

    const found = await counters.findOne({ project: 'erp-upgrade' });

    expect(found).toEqual({ _id: 'c1', project: 'erp-upgrade', count: 1 });
  });

  test('when a second document repeats a unique key, then the insert fails with code 11000', async () => {
    await counters.insertOne({ _id: 'c2', project: 'crm-rollout', count: 0 });

    const duplicate = counters.insertOne({ _id: 'c3', project: 'crm-rollout', count: 0 });

    await expect(duplicate).rejects.toBeInstanceOf(MongoServerError);
    await expect(duplicate).rejects.toMatchObject({ code: 11000 });
    expect(await counters.countDocuments({ project: 'crm-rollout' })).toBe(1);
  });

  test('when findOneAndUpdate upserts twice, then it creates once and increments once', async () => {
    const upsert = () =>
      counters.findOneAndUpdate(
        { _id: 'c4' },
        { $setOnInsert: { project: 'data-centre-move' }, $inc: { count: 1 } },
        { upsert: true, returnDocument: 'after' },
      );

    const created = await upsert();
    const incremented = await upsert();

    expect(created).toEqual({ _id: 'c4', project: 'data-centre-move', count: 1 });
    expect(incremented).toEqual({ _id: 'c4', project: 'data-centre-move', count: 2 });
  });

  test('when the server is asked who it is, then it speaks the wire protocol of MongoDB 6 or later', async () => {
    const info = await db.command({ buildInfo: 1 });

    expect(Number(String(info['version']).split('.')[0])).toBeGreaterThanOrEqual(6);
  });
});
