// The store contract: what Charter's store relies on from its MongoDB, proved through the real
// driver on whatever MONGODB_URI names. `npm run test:store` runs this file with the store's own
// suites, so an operator proves their MongoDB (a replica set, for transactions) before a rollout;
// `npm test` runs it on SecantusDB. Each case is one guarantee a store module names in its header.
import { MongoServerError, type Collection, type Db, type Document, type MongoClient } from 'mongodb';
import { connectMongo, databaseNameFor } from '../support/services.js';

interface Counter {
  _id: string;
  project?: string;
  count: number;
  version?: number;
  free?: number;
}

describe('the MongoDB behind MONGODB_URI keeps the store contract', () => {
  let client: MongoClient;
  let db: Db;
  let counters: Collection<Counter>;

  beforeAll(async () => {
    client = await connectMongo();
    db = client.db(databaseNameFor(import.meta.url));
    await db.dropDatabase();
    counters = db.collection<Counter>('counters');
    await counters.createIndex({ project: 1 }, { unique: true, name: 'project_unique', sparse: true });
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  test('when the server is asked who it is, then it speaks the wire protocol of MongoDB 6 or later as a replica set member', async () => {
    const info = await db.command({ buildInfo: 1 });
    const hello = await db.admin().command({ hello: 1 });

    expect(Number(String(info['version']).split('.')[0])).toBeGreaterThanOrEqual(6);
    // Transactions and change streams need a replica set (or a sharded cluster, whose mongos says msg).
    expect(typeof hello['setName'] === 'string' || hello['msg'] === 'isdbgrid').toBe(true);
  });

  test('when a second document repeats a unique key, then the insert fails with code 11000 and one stays', async () => {
    await counters.insertOne({ _id: 'u1', project: 'crm-rollout', count: 0 });

    const duplicate = counters.insertOne({ _id: 'u2', project: 'crm-rollout', count: 0 });

    await expect(duplicate).rejects.toBeInstanceOf(MongoServerError);
    await expect(duplicate).rejects.toMatchObject({ code: 11000 });
    expect(await counters.countDocuments({ project: 'crm-rollout' })).toBe(1);
  });

  test('when 200 clients $inc one document at once, then it counts 200', async () => {
    await counters.insertOne({ _id: 'inc', count: 0 });

    await Promise.all(
      Array.from({ length: 200 }, () => counters.updateOne({ _id: 'inc' }, { $inc: { count: 1 } })),
    );

    expect(await counters.findOne({ _id: 'inc' })).toMatchObject({ count: 200 });
  });

  test('when 100 clients compare-and-set one version at once, then exactly one wins', async () => {
    await counters.insertOne({ _id: 'cas', count: 0, version: 1 });

    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        counters.updateOne({ _id: 'cas', version: 1 }, { $set: { version: 2, count: i } }),
      ),
    );

    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
    expect(await counters.findOne({ _id: 'cas' })).toMatchObject({ version: 2 });
  });

  test('when 50 guarded claims of 8 hours race for 40 free hours, then exactly 5 succeed and none overdraws', async () => {
    await counters.insertOne({ _id: 'hours', count: 0, free: 40 });

    const claims = await Promise.all(
      Array.from({ length: 50 }, () =>
        counters.findOneAndUpdate({ _id: 'hours', free: { $gte: 8 } }, { $inc: { free: -8, count: 1 } }),
      ),
    );

    expect(claims.filter((c) => c !== null)).toHaveLength(5);
    expect(await counters.findOne({ _id: 'hours' })).toMatchObject({ free: 0, count: 5 });
  });

  test('when findOneAndUpdate upserts twice, then it creates once and increments once', async () => {
    const upsert = () =>
      counters.findOneAndUpdate(
        { _id: 'up' },
        { $setOnInsert: { project: 'data-centre-move' }, $inc: { count: 1 } },
        { upsert: true, returnDocument: 'after' },
      );

    expect(await upsert()).toEqual({ _id: 'up', project: 'data-centre-move', count: 1 });
    expect(await upsert()).toEqual({ _id: 'up', project: 'data-centre-move', count: 2 });
  });

  test('when a transaction throws half-way, then none of its writes is visible; when it commits, all are', async () => {
    const session = client.startSession();
    try {
      await expect(
        session.withTransaction(async () => {
          await counters.insertOne({ _id: 'tx-a', count: 1 }, { session });
          await counters.updateOne({ _id: 'inc' }, { $inc: { count: 1000 } }, { session });
          throw new Error('half-way');
        }),
      ).rejects.toThrow('half-way');
      expect(await counters.findOne({ _id: 'tx-a' })).toBeNull();
      expect(await counters.findOne({ _id: 'inc' })).toMatchObject({ count: 200 });

      await session.withTransaction(async () => {
        await counters.insertOne({ _id: 'tx-b', count: 1 }, { session });
        await counters.updateOne({ _id: 'inc' }, { $inc: { count: 1 } }, { session });
      });
      expect(await counters.findOne({ _id: 'tx-b' })).toMatchObject({ count: 1 });
      expect(await counters.findOne({ _id: 'inc' })).toMatchObject({ count: 201 });
    } finally {
      await session.endSession();
    }
  });

  test('when 20 transactions move hours between two documents at once, then the total stays and none overdraws', async () => {
    await counters.insertMany([
      { _id: 'from', count: 0, free: 100 },
      { _id: 'to', count: 0, free: 0 },
    ]);
    const move = async (): Promise<boolean> => {
      const session = client.startSession();
      try {
        let moved = false;
        await session.withTransaction(async () => {
          moved = false;
          const taken = await counters.updateOne(
            { _id: 'from', free: { $gte: 10 } },
            { $inc: { free: -10 } },
            { session },
          );
          if (taken.modifiedCount === 0) return;
          await counters.updateOne({ _id: 'to' }, { $inc: { free: 10 } }, { session });
          moved = true;
        });
        return moved;
      } finally {
        await session.endSession();
      }
    };

    const moved = await Promise.all(Array.from({ length: 20 }, move));

    const from = await counters.findOne({ _id: 'from' });
    const to = await counters.findOne({ _id: 'to' });
    expect(moved.filter(Boolean)).toHaveLength(10);
    expect([from?.free, to?.free]).toEqual([0, 100]);
  });

  test('when a find names its index with hint, then the plan scans that index', async () => {
    const people = db.collection<{ _id: string; group: string; at: number }>('people');
    await people.createIndex({ group: 1, at: 1, _id: 1 }, { name: 'group_at' });
    await people.insertMany(
      Array.from({ length: 200 }, (_, i) => ({ _id: `p${i}`, group: `g${i % 10}`, at: i })),
    );

    const explained = await people
      .find({ group: { $in: ['g1', 'g2'] }, $or: [{ at: { $gt: 50 } }, { at: 50, _id: { $gt: 'p50' } }] })
      .sort({ at: 1, _id: 1 })
      .limit(5)
      .hint('group_at')
      .explain('queryPlanner');

    const plan = JSON.stringify((explained['queryPlanner'] as Document)['winningPlan']);
    expect(plan).toContain('"indexName":"group_at"');
    expect(plan).not.toContain('COLLSCAN');
  });
});
