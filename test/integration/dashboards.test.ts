// The PMO dashboard (issue 18) over real HTTP on a real store: ledger chains appended the way the
// worker writes them (facts on every event), tasks opened and closed through the task store, the
// ledger's tree grown by the signer's own function and the rollups folded by the projector. Every
// figure is checked against a hand count; folding again, racing two folds and rebuilding give
// the same numbers; `asOf` advances after a fold; and each dashboard read examines the SAME number
// of documents after ten times the events in the same weeks and policies (measured with the
// driver's command events and each find explained with executionStats).
import type { Db } from 'mongodb';
import type { Store } from '../../store/index.js';
import { foldBatch } from '../../store/dashboard-fold.js';
import { createLedgerActivities } from '../../workflows/ledger/activities.js';
import { growAndSign } from '../../workflows/ledger/signer.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';
import { findsExamined } from '../support/plans.js';
import { databaseNameFor } from '../support/services.js';
import {
  ago,
  approvedChange,
  CAROL,
  DAVE,
  DAY,
  ERIN,
  FRANK,
  handCounted,
  NOW,
  SEC,
  taskOf,
} from './fixtures/dashboard-ledger.js';

const SLOW = 120_000;

/** Signs the ledger into its tree (no key: the tree grows) and folds every new leaf. */
async function signAndFold(store: Store): Promise<void> {
  await growAndSign(store, null, () => NOW);
  await store.dashboards.foldAll(() => NOW);
}

/** Documents examined by every find `run` sends to `db`; each must be served by an index. */
async function docsExamined(api: ApiHarness, db: Db, run: () => Promise<unknown>): Promise<number> {
  const { examined, finds } = await findsExamined(api.mongo, db, run);
  // Served by an index (or `_id`): a scan would examine what the collection holds, however bounded.
  for (const find of finds) {
    expect([find.collection, find.stages.some((st) => st.startsWith('COLLSCAN'))]).toEqual([
      find.collection,
      false,
    ]);
  }
  return examined;
}

describe('the projector fold, on its own', () => {
  test('when a close is folded before its open (across backfill pages), then the clock waits and counts once', () => {
    const events = approvedChange('i-late', 2_048).map((e) => ({
      _id: e.id,
      at: e.at,
      instanceId: e.instanceId,
      project: e.project,
      policy: { name: e.policy.name },
      ...(e.fact === undefined ? {} : { fact: e.fact }),
    }));
    const closeFirst = [events[4], events[5]].flatMap((e) => (e === undefined ? [] : [e]));
    const rest = events.filter((e) => !closeFirst.includes(e));
    const first = foldBatch(closeFirst, new Map());
    expect(first.rollups.filter((r) => r.key.figure === 'cycle')).toEqual([]);
    const waiting = new Map(first.clocks.map((c) => [c._id, c]));
    const second = foldBatch(rest, waiting);
    const cycle = second.rollups.filter((r) => r.key.figure === 'cycle');
    // Counted once in the every-project total and once in the instance's project.
    expect(cycle.map((r) => [r.key.project, r.key.week, r.n, r.maxMs])).toEqual([
      [null, '2026-W19', { closed: 1 }, 2_048_000],
      ['erp', '2026-W19', { closed: 1 }, 2_048_000],
    ]);
    expect(second.deletedClocks).toEqual(['i-late/approval/cab']);
    // Closed before it was seen open: it never counts in anyone's approver load.
    expect([first.load, second.load]).toEqual([[], []]);
  });
});

describe('dashboard routes', () => {
  let api: ApiHarness;
  let db: Db;
  let pmo: string;
  const get = async <T>(path: string, token = pmo) => {
    const answer = await api.call<T>('GET', `/v1/dashboards/${path}`, { token });
    expect(answer.status).toBe(200);
    return answer.body;
  };

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false, monitorCommands: true });
    api.deps.now = () => new Date(NOW);
    db = api.mongo.db(databaseNameFor(import.meta.url));
    pmo = await api.tokenFor('pia.pmo@halden.example', ['pmo']);
    for (const events of handCounted) await api.store.audit.append(events);
    // Open now: two of Carol's (one overdue, 2 days old), one of Dave's (10 days old); one closed.
    await api.store.tasks.open(taskOf('t-1/cab', ago(2 * DAY), ago(DAY), [CAROL]));
    await api.store.tasks.open(taskOf('t-2/cab', ago(3_600 * SEC), null, [CAROL, DAVE]));
    await api.store.tasks.open(taskOf('t-3/cab', ago(10 * DAY), NOW, [DAVE]));
    await api.store.tasks.open(taskOf('t-4/cab', ago(20 * DAY), null, [DAVE]));
    await api.store.tasks.close('t-4/cab', 'cab approved', ago(19 * DAY));
    await signAndFold(api.store);
  }, SLOW);

  afterAll(async () => {
    await api?.close();
  });

  test('when folded, then cycle time per policy, step and week reads p50/p90 from the histogram', async () => {
    const body = await get<{ asOf: string; items: unknown[]; trend: unknown[] }>('cycle-time');
    const cab = { policy: 'change-mgmt', step: 'cab', task: 'approval' };
    expect(body.items).toEqual([
      // 1,024 + 2,048 + 4,096 + 8,192 s: p50 the 2nd, p90 the 4th (bucket edges, so exact).
      { ...cab, count: 4, p50Ms: 2_048_000, p90Ms: 8_192_000, meanMs: 3_840_000, maxMs: 8_192_000 },
      {
        policy: 'vendor-onboarding',
        step: 'legal',
        task: 'attestation',
        count: 1,
        p50Ms: 16_384_000,
        p90Ms: 16_384_000,
        meanMs: 16_384_000,
        maxMs: 16_384_000,
      },
      {
        policy: 'vendor-onboarding',
        step: 'legal',
        task: 'waiver',
        count: 1,
        p50Ms: 512_000,
        p90Ms: 512_000,
        meanMs: 512_000,
        maxMs: 512_000,
      },
    ]);
    expect(body.trend).toEqual([
      {
        week: '2026-W19',
        ...cab,
        count: 3,
        p50Ms: 2_048_000,
        p90Ms: 4_096_000,
        meanMs: 2_389_333,
        maxMs: 4_096_000,
      },
      {
        week: '2026-W20',
        ...cab,
        count: 1,
        p50Ms: 8_192_000,
        p90Ms: 8_192_000,
        meanMs: 8_192_000,
        maxMs: 8_192_000,
      },
      expect.objectContaining({
        week: '2026-W20',
        policy: 'vendor-onboarding',
        task: 'attestation',
        count: 1,
      }),
      expect.objectContaining({ week: '2026-W20', policy: 'vendor-onboarding', task: 'waiver', count: 1 }),
    ]);
    const w19 = await get<{ weeks: unknown; items: { count: number }[] }>(
      'cycle-time?policy=change-mgmt&from=2026-05-04&to=2026-W19',
    );
    expect(w19.weeks).toEqual({ from: '2026-W19', to: '2026-W19' });
    expect(w19.items.map((i) => i.count)).toEqual([3]);
  });

  test('when SLAs passed, then breaches count per step and per approver who had not acted', async () => {
    const body = await get<Record<string, unknown>>('sla-breaches');
    expect(body['byStep']).toEqual([
      { policy: 'change-mgmt', step: 'cab', task: 'approval', breaches: 1 },
      { policy: 'vendor-onboarding', step: 'legal', task: 'attestation', breaches: 1 },
    ]);
    expect(body['byApprover']).toEqual([
      { policy: 'change-mgmt', person: DAVE, breaches: 1 },
      { policy: 'vendor-onboarding', person: ERIN, breaches: 1 },
    ]);
    expect(body['trend']).toEqual([
      { week: '2026-W20', policy: 'change-mgmt', breaches: 1 },
      { week: '2026-W20', policy: 'vendor-onboarding', breaches: 1 },
    ]);
  });

  test('when checks ran, then compliance counts passed, failed and waived; the waiver is expiring', async () => {
    const body = await get<Record<string, unknown>>('compliance');
    expect(body['byPolicy']).toEqual([
      { policy: 'change-mgmt', passed: 4, failed: 0, waived: 0 },
      { policy: 'vendor-onboarding', passed: 0, failed: 1, waived: 1 },
    ]);
    const waivers = await get<{ items: unknown[] }>('waivers-expiring');
    expect(waivers.items).toEqual([
      expect.objectContaining({
        instanceId: 'i-e',
        step: 'legal',
        waivedBy: FRANK,
        until: '2026-05-30T12:00:00.000Z',
      }),
    ]);
    expect((await get<{ items: unknown[] }>('waivers-expiring?policy=change-mgmt')).items).toEqual([]);
  });

  test('when instances started and ended, then they count per policy and project', async () => {
    const body = await get<{ items: unknown[] }>('instances');
    expect(body.items).toEqual([
      { policy: 'change-mgmt', project: 'crm', started: 1, approved: 0, rejected: 0, cancelled: 1 },
      { policy: 'change-mgmt', project: 'erp', started: 4, approved: 3, rejected: 1, cancelled: 0 },
      { policy: 'vendor-onboarding', project: null, started: 1, approved: 0, rejected: 0, cancelled: 0 },
    ]);
    const erp = await get<{ items: { project: string }[] }>('instances?project=erp');
    expect(erp.items.map((i) => i.project)).toEqual(['erp']);
  });

  test("when tasks are open only in the task store, then approver load, kept from the ledger, shows the ledger's", async () => {
    // Approver load follows the ledger's facts (test/integration/dashboards-load.test.ts); the
    // hand-counted chains all close their cab, so nobody has a task open there.
    const body = await get<{ asOf: string | null; items: unknown[] }>('approver-load');
    expect(body.asOf).toBe((await get<{ asOf: string }>('compliance')).asOf);
    expect(body.items).toEqual([]);
  });

  test('when bad filters or other roles ask, then 422 with field paths and 403', async () => {
    const bad = await api.call<{ error: { problems: { path: string }[] } }>(
      'GET',
      // `actor`: a name no dashboard route takes (the strict query refuses it at `query`).
      '/v1/dashboards/cycle-time?from=2026-W54&to=last-week&actor=erp',
      { token: pmo },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.problems.map((p) => p.path).sort()).toEqual(['query', 'query.from', 'query.to']);
    const swapped = await api.call<{ error: { problems: { path: string }[] } }>(
      'GET',
      '/v1/dashboards/instances?from=2026-W20&to=2026-05-04',
      { token: pmo },
    );
    expect(swapped.status).toBe(422);
    expect(swapped.body.error.problems.map((p) => p.path)).toEqual(['query.to']);
    for (const role of ['approver', 'requester'] as const) {
      const token = await api.tokenFor(`${role}@halden.example`, [role]);
      expect((await api.call('GET', '/v1/dashboards/compliance', { token })).status).toBe(403);
    }
    const auditor = await api.tokenFor('audrey@halden.example', ['auditor']);
    expect((await api.call('GET', '/v1/dashboards/compliance', { token: auditor })).status).toBe(200);
  });

  test(
    'when folded again, raced, or rebuilt, then every figure stays the same',
    async () => {
      // Every figure but `foldedAt` (the signer's activity folds on the wall clock).
      const figures = async () =>
        Promise.all(
          ['cycle-time', 'sla-breaches', 'compliance', 'instances', 'waivers-expiring'].map(async (f) => {
            const { foldedAt, ...figure } = await get<Record<string, unknown>>(f);
            return { figure, folded: typeof foldedAt === 'string' };
          }),
        );
      const before = await figures();
      await api.store.dashboards.foldAll(() => NOW);
      expect(await figures()).toEqual(before);
      await api.store.dashboards.reset();
      // Batches of 3 leaves: the two folds meet on many positions; each batch lands once.
      const race = () => api.store.dashboards.foldAll(() => NOW, { batch: 3 });
      const [one, two] = await Promise.all([race(), race()]);
      expect(one.folded + two.folded).toBe(handCounted.flat().length);
      expect(await figures()).toEqual(before);
      // The signer's activity (as the schedule runs it) folds after growing the tree.
      await api.store.dashboards.reset();
      await createLedgerActivities(api.store, null).signLedger();
      expect(await figures()).toEqual(before);
      const admin = await api.tokenFor('adam.admin@halden.example', ['admin']);
      const rebuilt = await api.call<{ folded: number }>('POST', '/v1/dashboards/rebuild', {
        token: admin,
        body: {},
      });
      expect(rebuilt.status).toBe(200);
      expect(rebuilt.body.folded).toBe(handCounted.flat().length);
      expect(await figures()).toEqual(before);
      expect((await api.call('POST', '/v1/dashboards/rebuild', { token: pmo, body: {} })).status).toBe(403);
    },
    SLOW,
  );

  test(
    'when ten times the events arrive in the same weeks and policies, then each read examines the same documents, and asOf advances',
    async () => {
      const paths = [
        'cycle-time',
        'sla-breaches',
        'compliance',
        'instances',
        'waivers-expiring',
        'approver-load',
      ];
      const examined = async () => {
        const out: Record<string, number> = {};
        for (const path of paths) out[path] = await docsExamined(api, db, () => get(path));
        return out;
      };
      const small = await examined();
      // The same measure on the report that folds the tasks on request: it grows with history.
      const report = () =>
        docsExamined(api, db, async () => {
          expect((await api.call('GET', '/v1/reports/cycle-time', { token: pmo })).status).toBe(200);
        });
      const reportSmall = await report();
      const { asOf: asOfBefore } = await get<{ asOf: string }>('compliance');
      const eventsBefore = handCounted.flat().length;
      // More of the same: approved changes in W20 after every event so far (so asOf moves), and
      // closed tasks (history; the open ones stay as they were).
      let added = 0;
      for (let i = 0; added < 9 * eventsBefore; i++) {
        const start = new Date(Date.parse('2026-05-16T09:00:00Z') + i * 60 * SEC).toISOString();
        const events = approvedChange(`i-more-${i}`, 1_024, start);
        await api.store.audit.append(events);
        added += events.length;
        await api.store.tasks.open(taskOf(`i-more-${i}/cab`, ago(30 * DAY), null, [CAROL]));
        await api.store.tasks.close(`i-more-${i}/cab`, 'cab approved', ago(29 * DAY));
      }
      await signAndFold(api.store);
      const large = await examined();
      expect(large).toEqual(small);
      expect(await report()).toBeGreaterThan(reportSmall);
      for (const path of paths) expect(large[path]).toBeGreaterThan(0);
      const { asOf: asOfAfter } = await get<{ asOf: string }>('compliance');
      expect(Date.parse(asOfAfter)).toBeGreaterThan(Date.parse(asOfBefore));
      const cab = await get<{ items: { count: number }[] }>('cycle-time?policy=change-mgmt');
      expect(cab.items[0]?.count).toBe(4 + added / 7);
    },
    SLOW,
  );
});
