// FindingStore against a real MongoDB server: one live finding per (policy, monitor, project)
// decided by the database's unique partial index (also under two concurrent opens), runs that see
// a finding again once each, waivers that keep a key quiet through their day, runs that close the
// passing projects in a few round trips, people's actions only from the statuses they start from,
// escalation without duplicates, the list paged newest first through an index per filter, the
// live findings of projects, and the report's numbers on a small known set.
import {
  findingCollections,
  FindingNotFoundError,
  FindingNotLiveError,
  FindingStore,
  FindingVersionConflictError,
  type OpenFinding,
} from '../../store/findings.js';
import { expectIndexedReads, recordCommands } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const POLICY = { name: 'PMO protocol', version: 1, sha256: 'a'.repeat(64) };
const RUN1 = new Date('2027-03-01T07:00:00Z');
const RUN2 = new Date('2027-03-04T07:00:00Z');
const RUN3 = new Date('2027-03-08T07:00:00Z');
const MARIA = 'maria@halden.example';
const PMO_LEAD = 'dana@halden.example';
const DAY_MS = 24 * 3600 * 1000;

const runId = (at: Date): string => `monitor-run:${at.toISOString()}`;

const finding = (project: string, at: Date, overrides: Partial<OpenFinding> = {}): OpenFinding => ({
  policy: POLICY,
  monitor: 'risk_review_current',
  project,
  runId: runId(at),
  runAt: at,
  day: at.toISOString().slice(0, 10),
  message: `${project} has had no risk review passed in the last 30 days`,
  why: 'risk_review.last_approved is 2027-01-02, before today - 30 days (2027-01-30)',
  health: 'amber',
  owners: [MARIA],
  waivers: [PMO_LEAD],
  dueAt: new Date(at.getTime() + 7 * DAY_MS),
  ...overrides,
});

describe('FindingStore', () => {
  const { client, db } = useStoreDatabase(import.meta.url, findingCollections);
  let store: FindingStore;

  beforeAll(() => {
    store = new FindingStore(db());
  });

  test('when a run opens a finding and runs see it again, then each run is one change and a retry changes nothing', async () => {
    const { result: opened, plans } = await expectIndexedReads(client(), db(), () =>
      store.open(finding('OPN-1', RUN1)),
    );
    expect(plans).toEqual([expect.stringMatching(/IXSCAN\(findings_by_key\)$/)]);
    expect(opened.status).toBe('opened');
    expect(opened.finding).toMatchObject({
      id: `PMO protocol/risk_review_current/OPN-1/${RUN1.toISOString()}`,
      key: 'PMO protocol/risk_review_current/OPN-1',
      status: 'open',
      owners: [MARIA],
      added: [],
      openedAt: RUN1,
      openedByRun: runId(RUN1),
      lastSeenAt: RUN1,
      version: 1,
    });

    // The opening run retried: the same finding, 'opened' again so its follow-ups can be redone.
    const retried = await store.open(finding('OPN-1', RUN1));
    expect(retried).toEqual({ status: 'opened', finding: opened.finding });

    const seen = await store.open(finding('OPN-1', RUN2));
    expect(seen.status).toBe('seen');
    expect(seen.finding).toMatchObject({ id: opened.finding.id, lastSeenAt: RUN2, version: 2 });
    const seenAgain = await store.open(finding('OPN-1', RUN2));
    expect(seenAgain).toEqual(seen);
    // A late retry of an older run never moves lastSeen back.
    await store.open(finding('OPN-1', RUN3));
    const late = await store.open(finding('OPN-1', RUN2));
    expect(late.finding).toMatchObject({ lastSeenAt: RUN3, lastSeenRun: runId(RUN3), version: 3 });
    expect(await db().collection('findings').countDocuments({ project: 'OPN-1' })).toBe(1);
  });

  test('when two live findings of one key are inserted, then the database refuses the second', async () => {
    const raw = db().collection<{ _id: string; key: string; liveKey?: string }>('findings');
    await raw.insertOne({ _id: 'raw-1', key: 'raw/key/1', liveKey: 'raw/key/1' });

    await expect(
      raw.insertOne({ _id: 'raw-2', key: 'raw/key/1', liveKey: 'raw/key/1' }),
    ).rejects.toMatchObject({ code: 11000 });
    // Ended findings carry no liveKey: any number of them share the key.
    await raw.insertMany([
      { _id: 'raw-3', key: 'raw/key/1' },
      { _id: 'raw-4', key: 'raw/key/1' },
    ]);
    expect(await raw.countDocuments({ key: 'raw/key/1' })).toBe(3);
  });

  test('when two runs open the same key at once, then one opens it and the other sees it', async () => {
    const outcomes = await Promise.all([
      store.open(finding('RACE-1', RUN1)),
      store.open(finding('RACE-1', RUN2)),
    ]);

    expect(outcomes.map((o) => o.status).sort()).toEqual(['opened', 'seen']);
    const live = await db()
      .collection<{ _id: string }>('findings')
      .find({ project: 'RACE-1', liveKey: { $exists: true } })
      .toArray();
    expect(live).toHaveLength(1);
    expect(outcomes.every((o) => o.finding.id === live[0]?._id)).toBe(true);
  });

  test('when a finding is waived until a day, then runs up to that day open nothing and the next day opens a new one', async () => {
    const { finding: first } = await store.open(finding('WVD-1', RUN1));
    const waived = await store.waive(first.id, PMO_LEAD, RUN1, '2027-03-04', 'migration freeze', null);
    expect(waived).toMatchObject({
      status: 'waived',
      waived: { by: PMO_LEAD, at: RUN1, until: '2027-03-04', reason: 'migration freeze' },
      endedAt: RUN1,
      version: 2,
    });

    const during = await store.open(finding('WVD-1', RUN2));
    expect(during).toEqual({ status: 'waived', finding: waived });
    expect(await db().collection('findings').countDocuments({ project: 'WVD-1' })).toBe(1);

    const after = await store.open(finding('WVD-1', RUN3));
    expect(after.status).toBe('opened');
    expect(after.finding.id).toBe(`PMO protocol/risk_review_current/WVD-1/${RUN3.toISOString()}`);
  });

  test('when a run finds projects passing, then their live findings close, a retry answers the same, and the next failure opens anew', async () => {
    for (const code of ['CLS-1', 'CLS-2', 'CLS-3']) await store.open(finding(code, RUN1));
    const other = await store.open(finding('CLS-1', RUN1, { monitor: 'sponsors' }));
    const input = {
      policy: POLICY.name,
      monitor: 'risk_review_current',
      projects: ['CLS-1', 'CLS-2', 'CLS-NONE'],
      runId: runId(RUN2),
      at: RUN2,
    };

    const closed = await store.closePassing(input);
    expect(closed.map((f) => [f.project, f.status, f.closed?.run, f.endedAt])).toEqual([
      ['CLS-1', 'closed', runId(RUN2), RUN2],
      ['CLS-2', 'closed', runId(RUN2), RUN2],
    ]);
    expect(closed.every((f) => f.version === 2)).toBe(true);
    const raw = await db()
      .collection('findings')
      .findOne({ _id: closed[0]?.id as never });
    expect(raw?.['liveKey']).toBeUndefined();
    expect((await store.closePassing(input)).map((f) => f.id)).toEqual(closed.map((f) => f.id));
    // Another monitor's finding of the same project, and a project not named, stay live.
    expect((await store.get(other.finding.id))?.status).toBe('open');
    expect((await store.liveByProject(['CLS-3'])).map((f) => f.project)).toEqual(['CLS-3']);

    const reopened = await store.open(finding('CLS-1', RUN3));
    expect(reopened.status).toBe('opened');
  });

  test('when 600 projects pass at once, then closing them takes three round trips', async () => {
    const projects = Array.from({ length: 600 }, (_, i) => `BULK-${String(i).padStart(3, '0')}`);
    const raw = db().collection('findings');
    await raw.insertMany(
      projects.slice(0, 300).map((p) => {
        const key = `Bulk/m/${p}`;
        return { _id: `${key}/${RUN1.toISOString()}`, key, liveKey: key, ...bulkFields(p) };
      }) as never[],
    );

    const { result: recorded, plans } = await expectIndexedReads(client(), db(), () =>
      recordCommands(client(), () =>
        store.closePassing({ policy: 'Bulk', monitor: 'm', projects, runId: runId(RUN2), at: RUN2 }),
      ),
    );
    const { result, commands } = recorded;

    expect(result).toHaveLength(300);
    expect(result.every((f) => f.status === 'closed')).toBe(true);
    expect(plans).toEqual([
      expect.stringMatching(/IXSCAN\(findings_by_key\)$/),
      expect.stringMatching(/IXSCAN\(findings_by_key\)$/),
    ]);
    // The first 500: their findings read, the 300 live ones closed in one bulk write; the last 100: read.
    expect(commands.map((c) => c.name)).toEqual(['find', 'update', 'find']);
  });

  test('when people act on a finding, then each action starts only from its statuses and a stale version is refused', async () => {
    const { finding: f } = await store.open(finding('ACT-1', RUN1));

    const acked = await store.acknowledge(f.id, MARIA, RUN2, 'on it', 1);
    expect(acked).toMatchObject({
      status: 'acknowledged',
      acknowledged: { by: MARIA, at: RUN2, note: 'on it' },
    });
    expect(acked.version).toBe(2);
    await expect(store.acknowledge(f.id, MARIA, RUN2, null, null)).rejects.toMatchObject({
      name: 'FindingNotLiveError',
      status: 'acknowledged',
    });
    await expect(store.resolve(f.id, MARIA, RUN2, 'review passed', 1)).rejects.toEqual(
      new FindingVersionConflictError(f.id, 1, 2),
    );
    const resolved = await store.resolve(f.id, MARIA, RUN3, 'risk review RR-7 passed', 2);
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolved: { by: MARIA, at: RUN3, evidence: 'risk review RR-7 passed' },
      endedAt: RUN3,
      version: 3,
    });
    const refused = store.waive(f.id, PMO_LEAD, RUN3, '2027-04-01', 'late', 3);
    await expect(refused).rejects.toBeInstanceOf(FindingNotLiveError);
    await expect(refused).rejects.toMatchObject({ status: 'resolved' });
    // The run that opened it, retried after it was resolved: nothing opens again.
    const retried = await store.open(finding('ACT-1', RUN1));
    expect(retried).toEqual({ status: 'seen', finding: resolved });
    await expect(store.resolve('no/such/finding', MARIA, RUN3, 'x', null)).rejects.toBeInstanceOf(
      FindingNotFoundError,
    );
    expect(await store.get('no/such/finding')).toBeNull();
  });

  test('when a resolve and a waive race, then one wins and the other learns the status it lost to', async () => {
    const { finding: f } = await store.open(finding('ACT-2', RUN1));

    const outcomes = await Promise.allSettled([
      store.resolve(f.id, MARIA, RUN2, 'done', null),
      store.waive(f.id, PMO_LEAD, RUN2, '2027-04-01', 'not needed', null),
    ]);

    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(FindingNotLiveError);
    expect((await store.get(f.id))?.version).toBe(2);
  });

  test('when escalation adds people, then nobody is added twice and only a live finding grows', async () => {
    const { finding: f } = await store.open(finding('ESC-1', RUN1));

    const once = await store.addPeople(f.id, [PMO_LEAD, MARIA, PMO_LEAD], RUN2);
    expect(once).toMatchObject({ added: [PMO_LEAD], addedAt: RUN2, version: 2 });
    const again = await store.addPeople(f.id, [PMO_LEAD], RUN3);
    expect(again).toEqual(once);
    const more = await store.addPeople(f.id, ['cio@halden.example'], RUN3);
    expect(more).toMatchObject({ added: [PMO_LEAD, 'cio@halden.example'], version: 3 });
    expect((await store.page({ person: 'cio@halden.example' }, null, 10)).items.map((x) => x.id)).toEqual([
      f.id,
    ]);

    await store.resolve(f.id, MARIA, RUN3, 'done', null);
    await expect(store.addPeople(f.id, ['ceo@halden.example'], RUN3)).rejects.toBeInstanceOf(
      FindingNotLiveError,
    );
  });

  test('when a finding is opened with a bad input, then nothing is written and the field is named', async () => {
    await expect(store.open(finding('BAD-1', RUN1, { day: '1 March' }))).rejects.toThrow(
      /day: expected a YYYY-MM-DD/,
    );
    expect(await db().collection('findings').countDocuments({ project: 'BAD-1' })).toBe(0);
  });
});

/** The fields of a raw live finding of policy `Bulk` (inserted directly for the bulk test). */
function bulkFields(project: string) {
  return {
    policy: { name: 'Bulk', version: 1, sha256: 'b'.repeat(64) },
    monitor: 'm',
    project,
    status: 'open',
    message: 'm',
    why: 'w',
    health: null,
    owners: [MARIA],
    added: [],
    addedAt: null,
    people: [MARIA],
    waivers: [],
    dueAt: null,
    openedAt: RUN1,
    openedByRun: runId(RUN1),
    lastSeenAt: RUN1,
    lastSeenRun: runId(RUN1),
    acknowledged: null,
    resolved: null,
    waived: null,
    closed: null,
    endedAt: null,
    version: 1,
  };
}

describe('FindingStore lists and report', () => {
  // A database of its own, so the list and the report hold exactly these findings.
  const { client, db } = useStoreDatabase(`${import.meta.url}-lists`, findingCollections);
  let store: FindingStore;
  const NOW = new Date('2027-04-01T12:00:00Z');
  const ago = (days: number): Date => new Date(NOW.getTime() - days * DAY_MS);
  /** [name, project, monitor, policy, opened days ago, what happens after]. */
  const SET: [string, string, string, string, number, 'live' | 'ack' | 'resolve' | 'waive' | 'close'][] = [
    ['a', 'ERP-1', 'risk_review_current', 'PMO protocol', 2, 'live'],
    ['b', 'ERP-1', 'sponsors', 'PMO protocol', 10, 'ack'],
    ['c', 'ERP-1', 'sponsors', 'Security', 40, 'live'],
    ['d', 'CRM-2', 'risk_review_current', 'PMO protocol', 20, 'live'],
    ['e', 'CRM-2', 'sponsors', 'PMO protocol', 50, 'resolve'],
    ['f', 'WEB-3', 'risk_review_current', 'PMO protocol', 31, 'waive'],
    ['g', 'WEB-3', 'sponsors', 'PMO protocol', 12, 'close'],
  ];
  const ids = new Map<string, string>();

  beforeAll(async () => {
    store = new FindingStore(db());
    for (const [name, project, monitor, policy, days] of SET) {
      const at = ago(days);
      const owners = name === 'd' ? ['ann@halden.example'] : [MARIA];
      const opened = await store.open(
        finding(project, at, { monitor, policy: { ...POLICY, name: policy }, owners }),
      );
      ids.set(name, opened.finding.id);
    }
    const id = (name: string): string => ids.get(name) ?? '';
    await store.acknowledge(id('b'), MARIA, ago(9), null, null);
    await store.resolve(id('e'), MARIA, ago(48), 'fixed', null); // 2 days = 48 h
    await store.waive(id('f'), PMO_LEAD, ago(30), '2027-06-01', 'exempt', null); // 1 day = 24 h
    await store.closePassing({
      policy: 'PMO protocol',
      monitor: 'sponsors',
      projects: ['WEB-3'],
      runId: 'run-close',
      at: ago(9), // 3 days = 72 h
    });
  });

  /** Every page under `filter`, two a page, with the plan of every find. */
  async function allPages(filter: Parameters<FindingStore['page']>[0]) {
    const names: string[][] = [];
    const plans: string[] = [];
    const byId = new Map([...ids].map(([name, id]) => [id, name]));
    let cursor: string | null = null;
    do {
      const after: string | null = cursor;
      const page: { result: Awaited<ReturnType<FindingStore['page']>>; plans: string[] } =
        await expectIndexedReads(client(), db(), () => store.page(filter, after, 2));
      names.push(page.result.items.map((f) => byId.get(f.id) ?? f.id));
      plans.push(...page.plans);
      cursor = page.result.nextCursor;
    } while (cursor !== null);
    return { names: names.flat(), pages: names.length, plans };
  }

  test.each([
    ['no filter', {}, ['a', 'b', 'g', 'd', 'f', 'c', 'e'], 'findings_newest'],
    ['live', { status: 'live' }, ['a', 'b', 'd', 'c'], 'findings_by_status'],
    ['closed', { status: 'closed' }, ['g'], 'findings_by_status'],
    ['a project', { project: 'ERP-1' }, ['a', 'b', 'c'], 'findings_by_project'],
    ['a monitor', { monitor: 'sponsors' }, ['b', 'g', 'c', 'e'], 'findings_by_monitor'],
    ['a policy', { policy: 'Security' }, ['c'], 'findings_by_policy'],
    ['a person', { person: 'ann@halden.example' }, ['d'], 'findings_by_person'],
    ['live of a monitor', { status: 'live', monitor: 'sponsors' }, ['b', 'c'], 'findings_by_monitor'],
  ] as const)(
    'when the list is asked for %s, then it pages newest first through its index',
    async (_what, filter, expected, index) => {
      const { names, plans } = await allPages(filter);
      expect(names).toEqual(expected);
      expect(plans.every((plan) => plan.includes(`IXSCAN(${index})`))).toBe(true);
    },
  );

  test('when the live findings of projects are asked for, then one indexed read answers them by project', async () => {
    const { result, plans } = await expectIndexedReads(client(), db(), () =>
      store.liveByProject(['ERP-1', 'WEB-3', 'CRM-2', 'NONE-9']),
    );
    expect(result.map((f) => [f.project, f.monitor, f.status])).toEqual([
      ['CRM-2', 'risk_review_current', 'open'],
      ['ERP-1', 'risk_review_current', 'open'],
      ['ERP-1', 'sponsors', 'acknowledged'],
      ['ERP-1', 'sponsors', 'open'],
    ]);
    expect(plans).toEqual([expect.stringMatching(/IXSCAN\(findings_by_project\)/)]);
  });

  test('when the report is asked for, then live findings count by project, age and monitor, and the mean time to resolve is in hours', async () => {
    const report = await store.report(NOW);

    expect(report.totals).toEqual({ open: 4, byAge: { under7: 1, from7to30: 2, over30: 1 } });
    expect(report.projects).toEqual([
      {
        project: 'ERP-1',
        open: 3,
        byAge: { under7: 1, from7to30: 1, over30: 1 },
        byMonitor: [
          { policy: 'PMO protocol', monitor: 'risk_review_current', open: 1 },
          { policy: 'PMO protocol', monitor: 'sponsors', open: 1 },
          { policy: 'Security', monitor: 'sponsors', open: 1 },
        ],
      },
      {
        project: 'CRM-2',
        open: 1,
        byAge: { under7: 0, from7to30: 1, over30: 0 },
        byMonitor: [{ policy: 'PMO protocol', monitor: 'risk_review_current', open: 1 }],
      },
    ]);
    // e: 48 h, f: 24 h, g: 72 h.
    expect(report.timeToResolve).toEqual({ meanHours: 48, over: 3 });
    expect(report.at).toEqual(NOW);
  });
});
