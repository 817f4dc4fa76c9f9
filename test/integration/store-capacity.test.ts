// Capacity against a real MongoDB-wire server: the all-or-nothing reallocation, its idempotency
// under retries, and the claim the ledger design exists for: many reallocations at once never
// take a pool below zero free hours and never lose or invent an hour.
import type { Db, MongoClient } from 'mongodb';
import { CapacityStore, isoWeekOf, isoWeeksFrom, type Reallocation } from '../../store/capacity.js';
import { connectMongo, databaseNameFor } from '../support/services.js';

const at = new Date('2027-01-18T09:00:00Z');
const request = (over: Partial<Reallocation>): Reallocation => ({
  request: 'r1',
  pool: 'shared-services',
  skill: 'oracle-dba',
  project: 'erp-upgrade',
  hours: 16,
  weeks: ['2027-W03'],
  priority: 'normal',
  at,
  ...over,
});

describe('CapacityStore', () => {
  let client: MongoClient;
  let db: Db;
  let store: CapacityStore;

  beforeAll(async () => {
    client = await connectMongo();
    db = client.db(databaseNameFor(import.meta.url));
    await db.dropDatabase();
    store = new CapacityStore(db);
    await store.ensureIndexes();
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  test('when a period is turned into weeks, then every ISO week it touches is named once', () => {
    expect(isoWeekOf(new Date('2027-01-01T00:00:00Z'))).toBe('2026-W53');
    expect(isoWeekOf(new Date('2027-01-04T00:00:00Z'))).toBe('2027-W01');
    expect(isoWeekOf(new Date('2024-12-30T12:00:00Z'))).toBe('2025-W01');
    const wednesday = new Date('2027-01-20T09:00:00Z');
    expect(isoWeeksFrom(wednesday, 14 * 24 * 3600 * 1000)).toEqual(['2027-W03', '2027-W04', '2027-W05']);
    expect(isoWeeksFrom(new Date('2027-01-18T00:00:00Z'), 14 * 24 * 3600 * 1000)).toEqual([
      '2027-W03',
      '2027-W04',
    ]);
    expect(isoWeeksFrom(wednesday, 0)).toEqual(['2027-W03']);
  });

  test('when a request fits, then it is allocated evenly and utilisation moves week by week', async () => {
    await store.setCapacity('shared-services', 'oracle-dba', '2027-W03', 40);
    await store.setCapacity('shared-services', 'oracle-dba', '2027-W04', 40);

    const result = await store.reallocate(request({ hours: 32, weeks: ['2027-W03', '2027-W04'] }));

    expect(result).toEqual({
      outcome: 'allocated',
      detail:
        'pool "shared-services": 40 → 24 free hours of "oracle-dba" in 2027-W03; ' +
        'pool "shared-services": 40 → 24 free hours of "oracle-dba" in 2027-W04',
      before: { '2027-W03': 0, '2027-W04': 0 },
      after: { '2027-W03': 40, '2027-W04': 40 },
    });
    expect(await store.utilisation('shared-services', 'oracle-dba', ['2027-W03', '2027-W05'])).toEqual({
      '2027-W03': { capacity: 40, free: 24, utilisation: 40 },
      '2027-W05': { capacity: 0, free: 0, utilisation: 0 },
    });
  });

  test('when the same request is retried, then it allocates once and answers the same', async () => {
    const again = await store.reallocate(request({ hours: 32, weeks: ['2027-W03', '2027-W04'] }));

    expect(again.outcome).toBe('allocated');
    expect(again.after).toEqual({ '2027-W03': 40, '2027-W04': 40 });
    expect((await store.utilisation('shared-services', 'oracle-dba', ['2027-W03']))['2027-W03']?.free).toBe(
      24,
    );
    expect(await store.allocationsOf('erp-upgrade')).toHaveLength(1);
  });

  test('when one week is short, then nothing is taken and the detail names the week', async () => {
    const r = request({ request: 'r2', hours: 60, weeks: ['2027-W03', '2027-W04'] });

    const previewed = await store.preview(r);
    const result = await store.reallocate(r);

    expect(result).toEqual(previewed);
    expect(result.outcome).toBe('insufficient');
    expect(result.detail).toBe(
      'pool "shared-services" has 24 free hours of "oracle-dba" in 2027-W03, 30 requested; ' +
        'pool "shared-services" has 24 free hours of "oracle-dba" in 2027-W04, 30 requested',
    );
    expect((await store.utilisation('shared-services', 'oracle-dba', ['2027-W04']))['2027-W04']?.free).toBe(
      24,
    );
  });

  test('when capacity is set below what is allocated, then it refuses; above, free hours follow', async () => {
    await expect(store.setCapacity('shared-services', 'oracle-dba', '2027-W03', 10)).rejects.toThrow(
      /16 hours of "oracle-dba" allocated in 2027-W03/,
    );

    await store.setCapacity('shared-services', 'oracle-dba', '2027-W03', 50);

    expect(await store.utilisation('shared-services', 'oracle-dba', ['2027-W03'])).toEqual({
      '2027-W03': { capacity: 50, free: 34, utilisation: 32 },
    });
  });

  test('when a pool was never planned, then a request is insufficient with 0 free hours', async () => {
    const result = await store.reallocate(request({ request: 'r3', pool: 'nowhere', hours: 8 }));

    expect(result.outcome).toBe('insufficient');
    expect(result.detail).toBe('pool "nowhere" has 0 free hours of "oracle-dba" in 2027-W03, 8 requested');
  });

  test('when 50 reallocations run at once, then no week goes below zero and no hour is lost', async () => {
    const weeks = ['2027-W10', '2027-W11'];
    for (const week of weeks) await store.setCapacity('qa-center', 'test-automation', week, 100);
    // 12 hours over two weeks is 6 per week: 100 hours leave room for 16 of the 50 requests.
    const requests = Array.from({ length: 50 }, (_, i) =>
      request({
        request: `c${i}`,
        pool: 'qa-center',
        skill: 'test-automation',
        project: `p${i}`,
        hours: 12,
        weeks,
      }),
    );

    const started = Date.now();
    const results = await Promise.all(requests.map((r) => store.reallocate(r)));
    const elapsed = Date.now() - started;

    const allocated = results.filter((r) => r.outcome === 'allocated').length;
    const insufficient = results.filter((r) => r.outcome === 'insufficient').length;
    const state = await store.utilisation('qa-center', 'test-automation', weeks);
    console.log(
      `50 concurrent reallocations: ${allocated} allocated, ${insufficient} insufficient, ${elapsed} ms`,
    );
    expect(allocated + insufficient).toBe(50);
    expect(allocated).toBe(16);
    for (const week of weeks) {
      expect(state[week]?.free).toBeGreaterThanOrEqual(0);
      expect(allocated * 6 + (state[week]?.free ?? NaN)).toBe(100);
    }
    const recorded = (await Promise.all(requests.map((r) => store.allocationsOf(r.project)))).flat();
    expect(recorded).toHaveLength(allocated);
  }, 60_000);

  test('when every request of a concurrent burst is retried, then nothing more is allocated', async () => {
    const weeks = ['2027-W20'];
    await store.setCapacity('cloud-platform', 'cloud-ops', '2027-W20', 80);
    const burst = Array.from({ length: 10 }, (_, i) =>
      request({ request: `d${i}`, pool: 'cloud-platform', skill: 'cloud-ops', hours: 8, weeks }),
    );

    const first = await Promise.all([...burst, ...burst].map((r) => store.reallocate(r)));

    expect(first.every((r) => r.outcome === 'allocated')).toBe(true);
    expect(await store.utilisation('cloud-platform', 'cloud-ops', weeks)).toEqual({
      '2027-W20': { capacity: 80, free: 0, utilisation: 100 },
    });
  }, 60_000);
});
