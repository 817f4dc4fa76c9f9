// Capacity against a real MongoDB-wire server: the all-or-nothing reallocation, its idempotency
// under retries, the claim the store exists for (many reallocations at once never take a pool
// below zero free hours and never lose or invent an hour), what a reallocation sends, and that
// every read is an index scan.
import {
  CapacityAllocatedError,
  CapacityError,
  CapacityStore,
  capacityCollections,
  isoWeekOf,
  isoWeeksFrom,
  type Reallocation,
} from '../../store/capacity.js';
import { expectIndexedReads, recordCommands } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

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
  const { client, db } = useStoreDatabase(import.meta.url, capacityCollections);
  let store: CapacityStore;

  beforeAll(() => {
    store = new CapacityStore(db());
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

  test('when a request fits, then it is allocated evenly in one transaction of 4 commands', async () => {
    await store.setCapacities('shared-services', 'oracle-dba', { '2027-W03': 40, '2027-W04': 40 });

    const { result, commands } = await recordCommands(client(), () =>
      store.reallocate(request({ hours: 32, weeks: ['2027-W03', '2027-W04'] })),
    );

    expect(result).toEqual({
      outcome: 'allocated',
      detail:
        'pool "shared-services": 40 → 24 free hours of "oracle-dba" in 2027-W03; ' +
        'pool "shared-services": 40 → 24 free hours of "oracle-dba" in 2027-W04',
      before: { '2027-W03': 0, '2027-W04': 0 },
      after: { '2027-W03': 40, '2027-W04': 40 },
    });
    // Read the weeks, insert the allocation, update every week in one bulkWrite, commit.
    expect(commands.map((c) => c.name)).toEqual(['find', 'insert', 'update', 'commitTransaction']);
    expect(commands.map((c) => c.command['txnNumber'] !== undefined)).toEqual([true, true, true, true]);
    const { result: state, plans } = await expectIndexedReads(client(), db(), () =>
      store.utilisation('shared-services', 'oracle-dba', ['2027-W03', '2027-W05']),
    );
    expect(state).toEqual({
      '2027-W03': { capacity: 40, free: 24, utilisation: 40 },
      '2027-W05': { capacity: 0, free: 0, utilisation: 0 },
    });
    expect(plans).toEqual([expect.stringMatching(/^find capacity_weeks: .*IXSCAN\(holder_week\)/)]);
  });

  test('when the same request is retried, then it allocates once and answers the same', async () => {
    const again = await store.reallocate(request({ hours: 32, weeks: ['2027-W03', '2027-W04'] }));

    expect(again.outcome).toBe('allocated');
    expect(again.after).toEqual({ '2027-W03': 40, '2027-W04': 40 });
    expect((await store.utilisation('shared-services', 'oracle-dba', ['2027-W03']))['2027-W03']?.free).toBe(
      24,
    );
    const { result: made, plans } = await expectIndexedReads(client(), db(), () =>
      store.allocationsOf('erp-upgrade'),
    );
    expect(made.map((a) => [a.request, a.perWeek])).toEqual([['r1', { '2027-W03': 16, '2027-W04': 16 }]]);
    expect(plans).toEqual([expect.stringMatching(/^find allocations: .*IXSCAN\(project_allocations\)/)]);
  });

  test('when a request is retried after the pool filled up, then it still gets its first answer', async () => {
    const held = (over: Partial<Reallocation>): Reallocation =>
      request({ pool: 'retry-pool', skill: 'dba', project: 'retry', weeks: ['2027-W08'], ...over });
    await store.setCapacity('retry-pool', 'dba', '2027-W08', 10);
    const first = await store.reallocate(held({ request: 'full-1', hours: 6 }));
    await store.reallocate(held({ request: 'full-2', hours: 4 }));

    const again = await store.reallocate(held({ request: 'full-1', hours: 6 }));

    expect(again).toEqual(first);
    expect(await store.utilisation('retry-pool', 'dba', ['2027-W08'])).toEqual({
      '2027-W08': { capacity: 10, free: 0, utilisation: 100 },
    });
    const other = held({ request: 'full-1', hours: 1, weeks: ['2027-W09'] });
    await expect(store.reallocate(other)).rejects.toThrow(/request full-1 already allocated 6 hours/);
  });

  test('when one week is short, then nothing is taken, the detail names it, preview writes nothing', async () => {
    const r = request({ request: 'r2', hours: 60, weeks: ['2027-W03', '2027-W04'] });

    const { result: previewed, commands } = await recordCommands(client(), () => store.preview(r));
    const { result, plans } = await expectIndexedReads(client(), db(), () => store.reallocate(r));

    expect(commands.map((c) => c.name).sort()).toEqual(['find', 'find']);
    // Inside the transaction: the holder's weeks, then whether this request allocated before.
    expect(plans).toEqual([
      expect.stringMatching(/^find capacity_weeks: .*IXSCAN\(holder_week\)/),
      expect.stringMatching(/^find allocations: /),
    ]);
    expect(result).toEqual(previewed);
    expect(result.outcome).toBe('insufficient');
    expect(result.detail).toBe(
      'pool "shared-services" has 24 free hours of "oracle-dba" in 2027-W03, 30 requested; ' +
        'pool "shared-services" has 24 free hours of "oracle-dba" in 2027-W04, 30 requested',
    );
    expect((await store.utilisation('shared-services', 'oracle-dba', ['2027-W04']))['2027-W04']?.free).toBe(
      24,
    );
    expect(await store.allocationsOf('erp-upgrade')).toHaveLength(1);
  });

  test('when capacity is set below what is allocated, then it refuses; above, free hours follow', async () => {
    await expect(store.setCapacity('shared-services', 'oracle-dba', '2027-W03', 10)).rejects.toThrow(
      /16 hours of "oracle-dba" allocated in 2027-W03/,
    );
    const several = store.setCapacities('shared-services', 'oracle-dba', {
      '2027-W03': 50,
      '2027-W04': 8,
      '2027-W05': 40,
    });
    await expect(several).rejects.toThrow(CapacityAllocatedError);
    await expect(several).rejects.toMatchObject({
      weeks: [{ week: '2027-W04', allocated: 16, capacity: 8 }],
    });
    expect(await store.utilisation('shared-services', 'oracle-dba', ['2027-W05'])).toEqual({
      '2027-W05': { capacity: 0, free: 0, utilisation: 0 },
    });

    await store.setCapacity('shared-services', 'oracle-dba', '2027-W03', 50);

    expect(await store.utilisation('shared-services', 'oracle-dba', ['2027-W03'])).toEqual({
      '2027-W03': { capacity: 50, free: 34, utilisation: 32 },
    });
  });

  test('when a pool was never planned, then a request is insufficient with 0 free hours', async () => {
    const result = await store.reallocate(request({ request: 'r3', pool: 'nowhere', hours: 8 }));

    expect(result.outcome).toBe('insufficient');
    expect(result.detail).toBe('pool "nowhere" has 0 free hours of "oracle-dba" in 2027-W03, 8 requested');
    await expect(store.reallocate(request({ request: 'r4', weeks: [] }))).rejects.toThrow(CapacityError);
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
    const { result: results, commands } = await recordCommands(client(), () =>
      Promise.all(requests.map((r) => store.reallocate(r))),
    );
    const elapsed = Date.now() - started;

    const allocated = results.filter((r) => r.outcome === 'allocated').length;
    const insufficient = results.filter((r) => r.outcome === 'insufficient').length;
    const state = await store.utilisation('qa-center', 'test-automation', weeks);
    console.log(
      `50 concurrent reallocations: ${allocated} allocated, ${insufficient} insufficient, ` +
        `${commands.length} commands, ${elapsed} ms`,
    );
    expect(allocated + insufficient).toBe(50);
    expect(allocated).toBe(16);
    for (const week of weeks) {
      expect(state[week]?.free).toBeGreaterThanOrEqual(0);
      expect(allocated * 6 + (state[week]?.free ?? NaN)).toBe(100);
    }
    const recorded = (await Promise.all(requests.map((r) => store.allocationsOf(r.project)))).flat();
    expect(recorded).toHaveLength(allocated);
  }, 120_000);

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

  test('when capacity changes while allocations run, then capacity is always allocated plus free', async () => {
    const week = '2027-W30';
    await store.setCapacity('ops', 'sre', week, 40);
    const allocations = Array.from({ length: 20 }, (_, i) =>
      store.reallocate(request({ request: `m${i}`, pool: 'ops', skill: 'sre', hours: 5, weeks: [week] })),
    );
    const raises = [48, 56, 64].map((hours) =>
      store.setCapacity('ops', 'sre', week, hours).then(
        () => 'set',
        (error: unknown) => {
          if (error instanceof CapacityAllocatedError) return 'refused';
          throw error;
        },
      ),
    );

    const results = await Promise.all(allocations);
    await Promise.all(raises);

    const allocated = results.filter((r) => r.outcome === 'allocated').length;
    const raw = await db().collection('capacity_weeks').findOne({ pool: 'ops', skill: 'sre', week });
    expect(raw).toMatchObject({ allocated: allocated * 5 });
    expect((raw?.['allocated'] as number) + (raw?.['free'] as number)).toBe(raw?.['capacity']);
    expect(raw?.['free']).toBeGreaterThanOrEqual(0);
  }, 60_000);

  test('when a project pages its allocations, then each page is one indexed find after a key', async () => {
    await store.setCapacity('data-platform', 'data-engineering', '2027-W40', 60);
    for (const [i, hours] of [10, 20, 5].entries()) {
      await store.reallocate(
        request({
          request: `page-${i}`,
          pool: 'data-platform',
          skill: 'data-engineering',
          project: 'PRJ-9',
          hours,
          weeks: ['2027-W40'],
          at: new Date(Date.UTC(2027, 0, 3 - i)),
        }),
      );
    }

    const { result: first, plans } = await expectIndexedReads(client(), db(), () =>
      store.allocationPage('PRJ-9', { limit: 2 }),
    );
    const second = await store.allocationPage('PRJ-9', { after: first.next ?? '', limit: 2 });

    expect(first.allocations.map((a) => a.request)).toEqual(['page-2', 'page-1']);
    expect([second.allocations.map((a) => a.request), second.next]).toEqual([['page-0'], null]);
    expect(plans).toEqual([expect.stringMatching(/^find allocations: .*IXSCAN\(project_allocations\)/)]);
    await expect(store.allocationPage('PRJ-9', { after: 'garbage', limit: 2 })).rejects.toThrow(
      /not a cursor this list issued/,
    );
  });
});
