// The PMO dashboard's project filter (issue 18) over real HTTP on a real store: cycle time, SLA
// breaches and compliance of one project are exactly that project's hand counts, the figures of
// every project are the sum of the projects' (and of the instances without one), a bad project is
// a 422 at `query.project`, rollups stored before the project dimension still count in the
// every-project figures and a rebuild gives them their projects, and a read, with or without a
// project, examines the same rollup documents after ten times the events spread over many more
// projects (each find explained with executionStats).
import type { Db } from 'mongodb';
import type { Store } from '../../store/index.js';
import { growAndSign } from '../../workflows/ledger/signer.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';
import { findsExamined } from '../support/plans.js';
import { databaseNameFor } from '../support/services.js';
import { approvedChangeOf, DAVE, NOW, SEC, twoProjects } from './fixtures/dashboard-ledger.js';

const SLOW = 120_000;
const ROLLUPS = 'dashboard_rollups';

interface CycleRow {
  policy: string;
  step: string;
  task: string;
  count: number;
  p50Ms: number;
  p90Ms: number;
  meanMs: number;
  maxMs: number;
}
interface Breaches {
  byStep: { policy: string; step: string; task: string; breaches: number }[];
  byApprover: { policy: string; person: string; breaches: number }[];
  trend: { week: string; policy: string; breaches: number }[];
}
interface Checks {
  byPolicy: { policy: string; passed: number; failed: number; waived: number }[];
  byStep: { policy: string; step: string; passed: number; failed: number; waived: number }[];
}

async function signAndFold(store: Store): Promise<void> {
  await growAndSign(store, null, () => NOW);
  await store.dashboards.foldAll(() => NOW);
}

/**
 * The rollup documents the finds of `run` examine (explained with executionStats), and the index
 * each find used: the read's cost, which must not follow the number of events or of projects.
 */
async function rollupReads(api: ApiHarness, db: Db, run: () => Promise<unknown>) {
  const { examined, finds } = await findsExamined(api.mongo, db, run, ROLLUPS);
  const indexes = finds.flatMap((f) =>
    f.stages.filter((s) => s.startsWith('IXSCAN') || s.startsWith('COLLSCAN')),
  );
  return { examined, indexes };
}

describe('dashboard figures per project', () => {
  let api: ApiHarness;
  let db: Db;
  let pmo: string;
  const get = async <T>(path: string) => {
    const answer = await api.call<T>('GET', `/v1/dashboards/${path}`, { token: pmo });
    expect([path, answer.status]).toEqual([path, 200]);
    return answer.body;
  };
  const cab = { policy: 'change-mgmt', step: 'cab', task: 'approval' };
  const cycle = async (query: string) => (await get<{ items: CycleRow[] }>(`cycle-time?${query}`)).items;

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false, monitorCommands: true });
    api.deps.now = () => new Date(NOW);
    db = api.mongo.db(databaseNameFor(import.meta.url));
    pmo = await api.tokenFor('pia.pmo@halden.example', ['pmo']);
    for (const events of twoProjects) await api.store.audit.append(events);
    await signAndFold(api.store);
  }, SLOW);

  afterAll(async () => {
    await api?.close();
  });

  test('when filtered by project, then cycle time is that project’s hand count, and all projects add up', async () => {
    // erp: 1,024 s and 4,096 s (bucket edges, so exact): p50 the first, p90 the second.
    expect(await cycle('project=erp')).toEqual([
      { ...cab, count: 2, p50Ms: 1_024_000, p90Ms: 4_096_000, meanMs: 2_560_000, maxMs: 4_096_000 },
    ]);
    // crm: 2,048 s in W19 and 8,192 s (closed by the timeout) in W20.
    expect(await cycle('project=crm')).toEqual([
      { ...cab, count: 2, p50Ms: 2_048_000, p90Ms: 8_192_000, meanMs: 5_120_000, maxMs: 8_192_000 },
    ]);
    expect(await cycle('project=crm&from=2026-W20')).toEqual([
      { ...cab, count: 1, p50Ms: 8_192_000, p90Ms: 8_192_000, meanMs: 8_192_000, maxMs: 8_192_000 },
    ]);
    // Every project: the four durations; counts and total time are the projects' sums.
    const all = await cycle('');
    expect(all).toEqual([
      { ...cab, count: 4, p50Ms: 2_048_000, p90Ms: 8_192_000, meanMs: 3_840_000, maxMs: 8_192_000 },
    ]);
    expect(all[0]?.count).toBe(2 + 2);
    expect((all[0]?.meanMs ?? 0) * 4).toBe(2_560_000 * 2 + 5_120_000 * 2);
    expect(await cycle('project=nowhere')).toEqual([]);
  });

  test('when filtered by project, then SLA breaches count only that project’s, and all projects add up', async () => {
    const crm = await get<Breaches>('sla-breaches?project=crm');
    expect(crm).toMatchObject({
      byStep: [{ ...cab, breaches: 1 }],
      byApprover: [{ policy: 'change-mgmt', person: DAVE, breaches: 1 }],
      trend: [{ week: '2026-W20', policy: 'change-mgmt', breaches: 1 }],
    });
    const erp = await get<Breaches>('sla-breaches?project=erp');
    expect([erp.byStep, erp.byApprover, erp.trend]).toEqual([[], [], []]);
    const all = await get<Breaches>('sla-breaches');
    expect([all.byStep, all.byApprover, all.trend]).toEqual([crm.byStep, crm.byApprover, crm.trend]);
  });

  test('when filtered by project, then compliance counts that project’s checks; every project adds the one without', async () => {
    const erp = await get<Checks>('compliance?project=erp');
    expect(erp.byPolicy).toEqual([{ policy: 'change-mgmt', passed: 2, failed: 0, waived: 0 }]);
    expect(erp.byStep).toEqual([{ policy: 'change-mgmt', step: 'scan', passed: 2, failed: 0, waived: 0 }]);
    const crm = await get<Checks>('compliance?project=crm');
    expect(crm.byPolicy).toEqual([{ policy: 'change-mgmt', passed: 1, failed: 0, waived: 0 }]);
    const all = await get<Checks>('compliance');
    expect(all.byPolicy).toEqual([
      { policy: 'change-mgmt', passed: 2 + 1, failed: 0, waived: 0 },
      // The instance without a project: in the every-project figures only.
      { policy: 'vendor-onboarding', passed: 1, failed: 0, waived: 0 },
    ]);
    expect((await get<Checks>('compliance?policy=change-mgmt&project=crm')).byPolicy).toEqual(crm.byPolicy);
  });

  test('when the project is empty or longer than 500 characters, then 422 at query.project', async () => {
    for (const figure of ['cycle-time', 'sla-breaches', 'compliance', 'instances']) {
      for (const project of ['', 'p'.repeat(501)]) {
        const answer = await api.call<{ error: { problems: { path: string }[] } }>(
          'GET',
          `/v1/dashboards/${figure}?project=${project}`,
          { token: pmo },
        );
        expect([figure, project.length, answer.status]).toEqual([figure, project.length, 422]);
        expect(answer.body.error.problems.map((p) => p.path)).toEqual(['query.project']);
      }
    }
    const longest = await api.call('GET', `/v1/dashboards/compliance?project=${'p'.repeat(500)}`, {
      token: pmo,
    });
    expect(longest.status).toBe(200);
  });

  test(
    'when rollups were stored before the project dimension, then every-project figures keep them and a rebuild adds the projects',
    async () => {
      const figures = async () =>
        Promise.all(
          ['cycle-time', 'sla-breaches', 'compliance'].map(async (f) => {
            // All but `foldedAt`: the rebuild folds on the wall clock.
            const figure = { ...(await get<Record<string, unknown>>(f)) };
            delete figure['foldedAt'];
            return figure;
          }),
        );
      const before = await figures();
      const erpBefore = await cycle('project=erp');
      // What a database folded before this change holds: totals without a `project` field, under
      // the ids they had then, and no per-project cells.
      const rollups = db.collection<{ _id: string }>(ROLLUPS);
      await rollups.deleteMany({ project: { $type: 'string' } });
      await rollups.updateMany({}, { $unset: { project: '' } });
      expect(await figures()).toEqual(before);
      expect(await cycle('project=erp')).toEqual([]);
      const admin = await api.tokenFor('adam.admin@halden.example', ['admin']);
      const rebuilt = await api.call('POST', '/v1/dashboards/rebuild', { token: admin, body: {} });
      expect(rebuilt.status).toBe(200);
      expect(await figures()).toEqual(before);
      expect(await cycle('project=erp')).toEqual(erpBefore);
    },
    SLOW,
  );

  test(
    'when ten times the events arrive spread over many more projects, then each read, with or without a project, examines the same rollups',
    async () => {
      const paths = [
        'cycle-time',
        'cycle-time?project=erp',
        'sla-breaches',
        'sla-breaches?project=crm',
        'compliance',
        'compliance?project=erp&policy=change-mgmt',
        'cycle-time?project=crm&from=2026-W19&to=2026-W20',
        'compliance?from=2026-W19',
        'instances',
        'instances?project=erp&from=2026-W19',
      ];
      const measure = async () => {
        const out: Record<string, { examined: number; indexes: string[] }> = {};
        for (const path of paths) out[path] = await rollupReads(api, db, () => get(path));
        return out;
      };
      const small = await measure();
      const eventsBefore = twoProjects.flat().length;
      let added = 0;
      for (let i = 0; added < 9 * eventsBefore; i++) {
        // Half in erp, half each in a project of its own; all in W19, change-mgmt, the same steps.
        const start = new Date(Date.parse('2026-05-07T09:00:00Z') + i * 60 * SEC).toISOString();
        const events = approvedChangeOf(`p-more-${i}`, i % 2 === 0 ? 'erp' : `more-${i}`, 1_024, start);
        await api.store.audit.append(events);
        added += events.length;
      }
      await signAndFold(api.store);
      const large = await measure();
      expect(large).toEqual(small);
      for (const path of paths) {
        expect([path, (small[path]?.examined ?? 0) > 0]).toEqual([path, true]);
        expect([path, small[path]?.indexes.some((i) => i.startsWith('COLLSCAN'))]).toEqual([path, false]);
      }
      // The reads did see the new events (and the per-project cells exist for the new projects).
      const grown = await cycle('project=erp');
      expect(grown[0]?.count).toBe(2 + Math.ceil(added / 7 / 2));
      expect(await db.collection(ROLLUPS).countDocuments({ project: 'more-1' })).toBeGreaterThan(0);
    },
    SLOW,
  );
});
