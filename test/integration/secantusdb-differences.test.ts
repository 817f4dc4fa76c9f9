// Where SecantusDB 0.7.0b3, the local server of `npm start` and `npm test`, differs from what
// MongoDB documents, each as the smallest reproduction. On SecantusDB a case asserts the difference
// (so that a release that fixes it fails here, and the note in store/paging.ts can go); on any
// other server it asserts MongoDB's documented behaviour. The store is written for MongoDB: it does
// not bend around these, except that every query names its index (`hint`), which MongoDB accepts,
// and that reads by `_id` name no index and carry no other field beside an `_id` `$in` (the other
// conditions are checked on the documents read).
//
// Two more, not asserted here because only a clock shows them (explain reports one key, or a few):
// - a find hinted `_id_` walks the whole `_id` index on SecantusDB, 0.5 s for one `_id` at 20,000
//   documents, against 2 ms unhinted;
// - any hinted find slows down with the size of the collection, not of the index range: at
//   100,000 tasks the inbox's hinted find (57 keys examined) took 24.7 s by its own
//   executionTimeMillis, and at 1,000,000 audit events a project's month (1,654 keys) 46.5 s,
//   against 7 ms and 168 ms unhinted by the same measure; timed by a client on the loaded server,
//   the inbox page took 27.3 s hinted and 2.8 s unhinted (`npm run bench:api` prints the plans).
//   Its storage.py walks the whole named index for a hinted find (no bounds) and matches in
//   Python; unhinted, it uses the bounds of equalities and one range or `$in`.
import type { Collection, Db, Document, MongoClient } from 'mongodb';
import { connectMongo, databaseNameFor } from '../support/services.js';
import { stagesOf } from '../support/plans.js';

describe('SecantusDB planner differences, as reproductions', () => {
  let client: MongoClient;
  let db: Db;
  let tasks: Collection<{ _id: string; person: string; due: number }>;
  let secantus = false;

  beforeAll(async () => {
    client = await connectMongo();
    db = client.db(databaseNameFor(import.meta.url));
    await db.dropDatabase();
    tasks = db.collection('tasks');
    await tasks.createIndex({ person: 1, due: 1, _id: 1 }, { name: 'person_due' });
    await tasks.insertMany(
      Array.from({ length: 1_000 }, (_, i) => ({
        _id: `t${String(i).padStart(4, '0')}`,
        person: `p${i % 10}`,
        due: i,
      })),
    );
    const probe = await tasks.find({ _id: 't0000' }).explain('queryPlanner');
    secantus = (probe['serverInfo'] as Document | undefined)?.['host'] === 'secantus';
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  const plan = async (filter: Document, hint?: string): Promise<{ stages: string[]; keys: number }> => {
    let cursor = tasks.find(filter).sort({ due: 1, _id: 1 }).limit(5);
    if (hint !== undefined) cursor = cursor.hint(hint);
    const explained = await cursor.explain('executionStats');
    const stats = explained['executionStats'] as Document;
    return {
      stages: stagesOf((explained['queryPlanner'] as Document)['winningPlan'] as Document),
      keys: Number(stats['totalKeysExamined']),
    };
  };

  test('when a filter holds $or (or $and) and no hint, then SecantusDB scans the collection where MongoDB scans the index', async () => {
    const { stages } = await plan({ $or: [{ person: 'p1' }, { person: 'p2' }] });

    if (secantus) expect(stages).toContain('COLLSCAN');
    else expect(stages.some((s) => s.startsWith('IXSCAN'))).toBe(true);
  });

  test('when the same filter names its index, then both scan the index', async () => {
    const { stages } = await plan({ $or: [{ person: 'p1' }, { person: 'p2' }] }, 'person_due');

    expect(stages).toContain('IXSCAN(person_due)');
  });

  test('when an `_id` $in has another field beside it, then SecantusDB scans the collection where MongoDB looks the ids up', async () => {
    const explained = await tasks
      .find({ _id: { $in: ['t0001', 't0002'] }, person: 'p1' })
      .explain('executionStats');
    const stages = stagesOf((explained['queryPlanner'] as Document)['winningPlan'] as Document);
    const docs = Number((explained['executionStats'] as Document)['totalDocsExamined']);

    if (secantus) expect([stages, docs]).toEqual([['COLLSCAN'], 1_000]);
    else expect(docs).toBeLessThanOrEqual(2);
  });

  test('when an `_id` $in stands alone, then both look the ids up', async () => {
    const explained = await tasks.find({ _id: { $in: ['t0001', 't0002'] } }).explain('executionStats');

    expect(Number((explained['executionStats'] as Document)['totalDocsExamined'])).toBeLessThanOrEqual(2);
  });

  test('when an equality prefix is followed by the sort fields, then SecantusDB sorts every match in memory where MongoDB reads the index in order and stops at the limit', async () => {
    const { stages, keys } = await plan({ person: 'p1' }, 'person_due');

    if (secantus) {
      expect(stages[0]).toBe('SORT');
      expect(keys).toBe(100);
    } else {
      expect(stages).not.toContain('SORT');
      expect(keys).toBeLessThanOrEqual(6);
    }
  });
});
