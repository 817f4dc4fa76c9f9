// ProjectStore against a real MongoDB server: versions that count up by one under concurrent
// writers, a history entry per version, no-op patches that write nothing, the portfolio list paged
// by code under each filter through its index, and the PMO's phase list.
import {
  ProjectExistsError,
  ProjectNotFoundError,
  projectCollections,
  type ProjectFields,
  ProjectStore,
  ProjectVersionConflictError,
} from '../../store/projects.js';
import { expectIndexedReads } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const T0 = new Date('2027-03-01T10:00:00Z');
const T1 = new Date('2027-03-02T10:00:00Z');
const T2 = new Date('2027-03-03T10:00:00Z');
const PMO = 'pmo@halden.example';

const fields = (overrides: Partial<ProjectFields> = {}): ProjectFields => ({
  name: 'ERP upgrade',
  phase: 'planning',
  manager: 'maria@halden.example',
  sponsor: 'cfo@halden.example',
  budget: { amount: '250000.00', currency: 'EUR' },
  start: '2027-04-01',
  end: '2027-12-31',
  health: { status: 'green', reason: null },
  tags: ['finance', 'erp'],
  ...overrides,
});

describe('ProjectStore', () => {
  const { client, db } = useStoreDatabase(import.meta.url, projectCollections);
  let store: ProjectStore;

  beforeAll(() => {
    store = new ProjectStore(db());
  });

  test('when a project is created, then it reads back at version 1 with a history entry from null', async () => {
    const created = await store.create('PRJ-001', fields(), PMO, T0);

    expect(created).toEqual({
      code: 'PRJ-001',
      ...fields(),
      version: 1,
      createdAt: T0,
      updatedAt: T0,
      updatedBy: PMO,
    });
    expect(await store.get('PRJ-001')).toEqual(created);
    expect(await store.get('PRJ-404')).toBeNull();
    const history = await store.history('PRJ-001', null, 10);
    expect(history.nextCursor).toBeNull();
    expect(history.items).toHaveLength(1);
    expect(history.items[0]).toMatchObject({ code: 'PRJ-001', version: 1, at: T0, by: PMO });
    expect(history.items[0]?.changes).toHaveLength(9);
    expect(history.items[0]?.changes).toContainEqual({
      field: 'budget',
      from: null,
      to: { amount: '250000.00', currency: 'EUR' },
    });
    expect(history.items[0]?.changes).toContainEqual({
      field: 'sponsor',
      from: null,
      to: 'cfo@halden.example',
    });
    expect(history.items[0]?.changes.every((c) => c.from === null)).toBe(true);
  });

  test('when a code is created twice, then the second fails with ProjectExistsError and changes nothing', async () => {
    await store.create('PRJ-DUP', fields({ name: 'first' }), PMO, T0);

    await expect(store.create('PRJ-DUP', fields({ name: 'second' }), PMO, T1)).rejects.toBeInstanceOf(
      ProjectExistsError,
    );
    expect((await store.get('PRJ-DUP'))?.name).toBe('first');
    expect((await store.history('PRJ-DUP', null, 10)).items).toHaveLength(1);
  });

  test('when fields are invalid, then create refuses them with a RangeError naming the field', async () => {
    await expect(
      store.create('PRJ-BAD', fields({ budget: { amount: '12,5', currency: 'EUR' } }), PMO, T0),
    ).rejects.toThrow(/budget\.amount/);
    expect(await store.get('PRJ-BAD')).toBeNull();
  });

  test('when a project is updated, then its version goes up by one and the history lists what changed', async () => {
    await store.create('PRJ-UPD', fields(), PMO, T0);

    const updated = await store.update(
      'PRJ-UPD',
      { phase: 'build', health: { status: 'amber', reason: 'vendor late' }, name: 'ERP upgrade' },
      1,
      'maria@halden.example',
      T1,
    );

    expect(updated).toMatchObject({
      version: 2,
      phase: 'build',
      health: { status: 'amber', reason: 'vendor late' },
      createdAt: T0,
      updatedAt: T1,
      updatedBy: 'maria@halden.example',
    });
    expect(await store.get('PRJ-UPD')).toEqual(updated);
    const [latest] = (await store.history('PRJ-UPD', null, 1)).items;
    // The unchanged name is not a change.
    expect(latest).toEqual({
      code: 'PRJ-UPD',
      version: 2,
      at: T1,
      by: 'maria@halden.example',
      changes: [
        { field: 'phase', from: 'planning', to: 'build' },
        {
          field: 'health',
          from: { status: 'green', reason: null },
          to: { status: 'amber', reason: 'vendor late' },
        },
      ],
    });
  });

  test('when the expected version is stale, then the update fails with ProjectVersionConflictError', async () => {
    await store.create('PRJ-STALE', fields(), PMO, T0);
    await store.update('PRJ-STALE', { phase: 'build' }, 1, PMO, T1);

    const stale = store.update('PRJ-STALE', { phase: 'test' }, 1, PMO, T2);

    await expect(stale).rejects.toBeInstanceOf(ProjectVersionConflictError);
    await expect(stale).rejects.toMatchObject({ code: 'PRJ-STALE', expected: 1, actual: 2 });
    expect(await store.get('PRJ-STALE')).toMatchObject({ version: 2, phase: 'build' });
    // Without a version the patch applies to whatever is stored.
    expect(await store.update('PRJ-STALE', { phase: 'test' }, null, PMO, T2)).toMatchObject({
      version: 3,
      phase: 'test',
    });
  });

  test('when the project does not exist, then update fails with ProjectNotFoundError', async () => {
    await expect(store.update('PRJ-NONE', { phase: 'build' }, null, PMO, T1)).rejects.toBeInstanceOf(
      ProjectNotFoundError,
    );
  });

  test('when a patch changes nothing, then the project keeps its version and no history entry is written', async () => {
    const created = await store.create('PRJ-NOOP', fields(), PMO, T0);

    const same = await store.update(
      'PRJ-NOOP',
      { phase: 'planning', budget: { currency: 'EUR', amount: '250000.00' }, tags: ['finance', 'erp'] },
      1,
      'someone@halden.example',
      T1,
    );

    expect(same).toEqual(created);
    expect(await store.get('PRJ-NOOP')).toEqual(created);
    expect((await store.history('PRJ-NOOP', null, 10)).items.map((c) => c.version)).toEqual([1]);
  });

  test('when two people update with the same expected version at once, then exactly one wins', async () => {
    await store.create('PRJ-RACE', fields(), PMO, T0);

    const outcomes = await Promise.allSettled([
      store.update('PRJ-RACE', { phase: 'build' }, 1, 'a@halden.example', T1),
      store.update('PRJ-RACE', { phase: 'test' }, 1, 'b@halden.example', T1),
      store.update('PRJ-RACE', { sponsor: null }, 1, 'c@halden.example', T1),
    ]);

    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    for (const o of lost) expect(o.reason).toBeInstanceOf(ProjectVersionConflictError);
    const stored = await store.get('PRJ-RACE');
    expect(stored?.version).toBe(2);
    expect(stored).toEqual(won[0]?.value);
    const history = await store.history('PRJ-RACE', null, 10);
    expect(history.items.map((c) => [c.version, c.by])).toEqual([
      [2, stored?.updatedBy],
      [1, PMO],
    ]);
  });

  test('when concurrent updates name no version, then each applies once on its own version', async () => {
    await store.create('PRJ-QUEUE', fields({ tags: [] }), PMO, T0);

    await Promise.all(
      ['a', 'b', 'c', 'd'].map((tag) => store.update('PRJ-QUEUE', { name: `renamed ${tag}` }, null, PMO, T1)),
    );

    const history = await store.history('PRJ-QUEUE', null, 10);
    expect(history.items.map((c) => c.version)).toEqual([5, 4, 3, 2, 1]);
    expect((await store.get('PRJ-QUEUE'))?.version).toBe(5);
  });

  test('when a history is paged, then it runs newest first through its index', async () => {
    await store.create('PRJ-HIST', fields(), PMO, T0);
    for (const [i, phase] of ['build', 'test', 'deploy', 'closed'].entries()) {
      await store.update('PRJ-HIST', { phase }, i + 1, PMO, T1);
    }

    const first = await expectIndexedReads(client(), db(), () => store.history('PRJ-HIST', null, 3));
    const second = await expectIndexedReads(client(), db(), () =>
      store.history('PRJ-HIST', first.result.nextCursor, 3),
    );

    expect(first.result.items.map((c) => c.version)).toEqual([5, 4, 3]);
    expect(first.result.items[0]?.changes).toEqual([{ field: 'phase', from: 'deploy', to: 'closed' }]);
    expect(second.result.items.map((c) => c.version)).toEqual([2, 1]);
    expect(second.result.nextCursor).toBeNull();
    expect([...first.plans, ...second.plans]).toEqual([
      expect.stringMatching(/IXSCAN\(project_changes_by_version\)$/),
      expect.stringMatching(/IXSCAN\(project_changes_by_version\)$/),
    ]);
  });

  describe('the portfolio list', () => {
    const PORTFOLIO: [string, Partial<ProjectFields>][] = [
      [
        'LST-01',
        {
          phase: 'build',
          manager: 'ann@x.example',
          tags: ['cloud'],
          health: { status: 'green', reason: null },
        },
      ],
      [
        'LST-02',
        {
          phase: 'test',
          manager: 'bob@x.example',
          tags: ['cloud', 'erp'],
          health: { status: 'red', reason: 'late' },
        },
      ],
      [
        'LST-03',
        { phase: 'build', manager: 'bob@x.example', tags: [], health: { status: 'amber', reason: null } },
      ],
      [
        'LST-04',
        {
          phase: 'build',
          manager: 'ann@x.example',
          tags: ['erp'],
          health: { status: 'red', reason: 'cost' },
        },
      ],
      [
        'LST-05',
        { phase: 'closed', manager: null, tags: ['cloud'], health: { status: 'green', reason: null } },
      ],
      [
        'LST-06',
        {
          phase: 'build',
          manager: 'ann@x.example',
          tags: ['cloud'],
          health: { status: 'red', reason: 'risk' },
        },
      ],
    ];
    // A database of its own, so the list holds exactly these projects whatever the tests above made.
    const list = useStoreDatabase(`${import.meta.url}-list`, projectCollections);
    let portfolio: ProjectStore;

    beforeAll(async () => {
      portfolio = new ProjectStore(list.db());
      for (const [code, f] of PORTFOLIO) await portfolio.create(code, fields(f), PMO, T0);
    });

    /** Every page of the list under `filter`, two at a time, with the plan of each find. */
    async function allPages(
      filter: Parameters<ProjectStore['page']>[0],
    ): Promise<{ codes: string[][]; plans: string[] }> {
      const codes: string[][] = [];
      const plans: string[] = [];
      let cursor: string | null = null;
      do {
        const after: string | null = cursor;
        const page: { result: Awaited<ReturnType<ProjectStore['page']>>; plans: string[] } =
          await expectIndexedReads(list.client(), list.db(), () => portfolio.page(filter, after, 2));
        codes.push(page.result.items.map((p) => p.code));
        plans.push(...page.plans);
        cursor = page.result.nextCursor;
      } while (cursor !== null);
      return { codes, plans };
    }

    const expected = (keep: (f: Partial<ProjectFields>) => boolean): string[] =>
      PORTFOLIO.filter(([, f]) => keep(f)).map(([code]) => code);

    test('when no filter is given, then every project comes by code, two a page', async () => {
      const { codes } = await allPages({});
      expect(codes).toEqual([
        ['LST-01', 'LST-02'],
        ['LST-03', 'LST-04'],
        ['LST-05', 'LST-06'],
      ]);
    });

    test.each([
      ['phase', { phase: 'build' }, (f: Partial<ProjectFields>) => f.phase === 'build', 'projects_by_phase'],
      [
        'health',
        { health: 'red' as const },
        (f: Partial<ProjectFields>) => f.health?.status === 'red',
        'projects_by_health',
      ],
      [
        'manager',
        { manager: 'ann@x.example' },
        (f: Partial<ProjectFields>) => f.manager === 'ann@x.example',
        'projects_by_manager',
      ],
      [
        'tag',
        { tag: 'cloud' },
        (f: Partial<ProjectFields>) => f.tags?.includes('cloud') === true,
        'projects_by_tag',
      ],
    ])(
      'when filtered by %s, then the matching projects come by code, later pages on its index',
      async (_, filter, keep, index) => {
        const { codes, plans } = await allPages(filter);

        const want = expected(keep);
        expect(want.length).toBeGreaterThan(2);
        expect(codes.flat()).toEqual(want);
        expect(codes.every((page) => page.length <= 2)).toBe(true);
        // The first page is the planner's choice; every page after names the filter's index.
        for (const plan of plans.slice(1)) expect(plan).toMatch(new RegExp(`IXSCAN\\(${index}\\)$`));
      },
    );

    test('when filters are combined, then only projects matching all of them are listed', async () => {
      const { codes } = await allPages({ phase: 'build', manager: 'ann@x.example', health: 'red' });
      expect(codes.flat()).toEqual(['LST-04', 'LST-06']);
    });
  });

  describe('the phase list', () => {
    // A database of its own: the default is only seen where nobody set the list.
    const settings = useStoreDatabase(`${import.meta.url}-phases`, projectCollections);

    test('when no phases were set, then the default list is answered; once set, the set list', async () => {
      const fresh = new ProjectStore(settings.db());

      expect(await fresh.phases()).toEqual(['initiation', 'planning', 'build', 'test', 'deploy', 'closed']);
      await fresh.setPhases(['idea', 'delivery', 'done']);
      expect(await fresh.phases()).toEqual(['idea', 'delivery', 'done']);
      await fresh.setPhases(['idea', 'done']);
      expect(await fresh.phases()).toEqual(['idea', 'done']);
      await expect(fresh.setPhases([])).rejects.toBeInstanceOf(RangeError);
      await expect(fresh.setPhases(['a', 'a'])).rejects.toBeInstanceOf(RangeError);
      expect(await fresh.phases()).toEqual(['idea', 'done']);
    });
  });
});
