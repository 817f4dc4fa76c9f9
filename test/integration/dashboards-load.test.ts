// Approver load (issue 18) over real HTTP on a real store: ledger chains whose facts open, widen,
// time out, close and end tasks, the tree grown by the signer's own function and the cells kept by
// the dashboard projector (store/dashboard-load.ts). The figure must equal a hand count in every
// scope; folding one event at a time must give the same cells as folding in one batch; a second
// fold counts nothing twice; when every instance ends no cell is left; and the read examines the
// same documents (one per person) after ten times the tasks and events for the same people.
import type { Db } from 'mongodb';
import type { AuditEventInput } from '../../store/index.js';
import type { Fact } from '../../engine/facts/index.js';
import { LOAD } from '../../store/dashboard-load.js';
import { growAndSign } from '../../workflows/ledger/signer.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';
import { findsExamined } from '../support/plans.js';
import { databaseNameFor } from '../support/services.js';
import {
  CAB,
  CAROL,
  chain,
  DAVE,
  DAY,
  ended,
  ERIN,
  FRANK,
  NOW,
  opened,
  started,
  VENDOR,
} from './fixtures/dashboard-ledger.js';

const HOUR = 3_600;
const at = (msAgo: number) => new Date(NOW.getTime() - msAgo).toISOString();
/** An approval open to `eligible`, any one of them deciding (the fixtures' cab, reworded). */
const timedOut = (step: string): Fact => ({
  kind: 'approvalTimedOut',
  step,
  dueAt: null,
  action: 'escalate',
});
const closed = (step: string): Fact => ({
  kind: 'approvalClosed',
  step,
  outcome: 'approved',
  why: { kind: 'quorumMet', approvers: [DAVE], needed: 1 },
});
const escalated = (step: string, added: string[]): Fact => ({ kind: 'escalated', step, added, level: 0 });

/** Open now, by hand: see `expected` below. Offsets in seconds from each chain's start. */
const ledger: AuditEventInput[][] = [
  // Carol's, erp, 2 days old, past its SLA since a day.
  chain('l-1', CAB, 'erp', at(2 * DAY), [
    [0, started],
    [0, opened('cab', [CAROL])],
    [24 * HOUR, timedOut('cab')],
  ]),
  // Carol's and Dave's, crm, an hour old.
  chain('l-2', CAB, 'crm', at(HOUR * 1_000), [
    [0, started],
    [0, opened('cab', [CAROL, DAVE])],
  ]),
  // Dave's, vendor onboarding, no project, 10 days old.
  chain('l-3', VENDOR, null, at(10 * DAY), [
    [0, started],
    [0, opened('security', [DAVE])],
  ]),
  // Closed: counts for nobody.
  chain('l-4', CAB, 'erp', at(20 * DAY), [
    [0, started],
    [0, opened('cab', [DAVE])],
    [24 * HOUR, closed('cab')],
    [24 * HOUR + 1, ended('approved')],
  ]),
  // Escalated to Frank, then the instance was cancelled: counts for nobody.
  chain('l-5', CAB, 'erp', at(5 * DAY), [
    [0, started],
    [0, opened('cab', [ERIN])],
    [HOUR, escalated('cab', [FRANK])],
    [2 * HOUR, ended('cancelled')],
  ]),
  // Erin's, escalated to Frank: 4 days old for both; crm.
  chain('l-6', CAB, 'crm', at(4 * DAY), [
    [0, started],
    [0, opened('cab', [ERIN])],
    [HOUR, escalated('cab', [FRANK])],
  ]),
  // Handed over from Dave to Frank: Frank's alone, erp, 3 hours old.
  chain('l-8', CAB, 'erp', at(3 * HOUR * 1_000), [
    [0, started],
    [0, opened('cab', [DAVE])],
    [60, { kind: 'handedOver', step: 'cab', to: [FRANK], level: 0 }],
  ]),
  // Frank's attestation, two hours old.
  chain('l-7', VENDOR, null, at(2 * HOUR * 1_000), [
    [0, started],
    [0, { kind: 'checkTaskOpened', step: 'evidence', people: [FRANK], task: 'attestation' }],
  ]),
];

const row = (person: string, open: number, overdue: number, ages: [number, number, number, number]) => ({
  person,
  open,
  overdue,
  byAge: { '<1d': ages[0], '1-3d': ages[1], '3-7d': ages[2], '>7d': ages[3] },
  delegatedTo: [],
});

const expected: Record<string, ReturnType<typeof row>[]> = {
  '': [
    row(CAROL, 2, 1, [1, 1, 0, 0]),
    row(DAVE, 2, 0, [1, 0, 0, 1]),
    row(ERIN, 1, 0, [0, 0, 1, 0]),
    row(FRANK, 3, 0, [2, 0, 1, 0]),
  ],
  '?project=erp': [row(CAROL, 1, 1, [0, 1, 0, 0]), row(FRANK, 1, 0, [1, 0, 0, 0])],
  '?project=crm': [
    row(CAROL, 1, 0, [1, 0, 0, 0]),
    row(DAVE, 1, 0, [1, 0, 0, 0]),
    row(ERIN, 1, 0, [0, 0, 1, 0]),
    row(FRANK, 1, 0, [0, 0, 1, 0]),
  ],
  [`?policy=${VENDOR.name}`]: [row(DAVE, 1, 0, [0, 0, 0, 1]), row(FRANK, 1, 0, [1, 0, 0, 0])],
  [`?policy=${CAB.name}&project=crm`]: [
    row(CAROL, 1, 0, [1, 0, 0, 0]),
    row(DAVE, 1, 0, [1, 0, 0, 0]),
    row(ERIN, 1, 0, [0, 0, 1, 0]),
    row(FRANK, 1, 0, [0, 0, 1, 0]),
  ],
};

describe('approver load kept by the projector', () => {
  let api: ApiHarness;
  let db: Db;
  let pmo: string;

  const load = async (query = '') => {
    const answer = await api.call<{ asOf: string | null; items: unknown[] }>(
      'GET',
      `/v1/dashboards/approver-load${query}`,
      { token: pmo },
    );
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const fold = async (batch?: number) => {
    await growAndSign(api.store, null, () => NOW);
    await api.store.dashboards.foldAll(() => NOW, batch === undefined ? {} : { batch });
  };
  const cells = () => db.collection(LOAD).find({}).sort({ _id: 1 }).toArray();

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false, monitorCommands: true });
    api.deps.now = () => new Date(NOW);
    db = api.mongo.db(databaseNameFor(import.meta.url));
    pmo = await api.tokenFor('pia.pmo@halden.example', ['pmo']);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  test('when the ledger is folded an event at a time, then each scope equals the hand count, and a whole fold gives the same cells', async () => {
    expect(await load()).toEqual({ asOf: null, foldedAt: null, items: [] });
    for (const events of ledger) await api.store.audit.append(events);
    await fold(1);
    for (const [query, rows] of Object.entries(expected))
      expect([query, (await load(query)).items]).toEqual([query, rows]);
    const oneByOne = await cells();

    await fold();
    expect(await cells()).toEqual(oneByOne);
    await api.store.dashboards.reset();
    await fold();
    expect(await cells()).toEqual(oneByOne);
    expect((await load()).asOf).not.toBeNull();
  }, 120_000);

  test('when ten times the tasks come and go for the same people, then the read examines the same cells, by index', async () => {
    const examined = async () => {
      const { examined: docs, finds } = await findsExamined(
        api.mongo,
        db,
        () => load(`?policy=${CAB.name}`),
        LOAD,
      );
      if (finds.length === 0) throw new Error('the figure read no cells');
      return { docs, plan: finds.flatMap((f) => f.stages) };
    };
    const small = await examined();
    let events = 0;
    for (let i = 0; events < 10 * ledger.flat().length; i++) {
      const person = [CAROL, DAVE, ERIN, FRANK][i % 4] ?? CAROL;
      const more = chain(`m-${i}`, CAB, i % 2 === 0 ? 'erp' : 'crm', at((i % 9) * DAY + HOUR * 1_000), [
        [0, started],
        [0, opened('cab', [person])],
        ...(i % 3 === 0 ? [] : ([[HOUR, closed('cab')]] as [number, Fact][])),
      ]);
      await api.store.audit.append(more);
      events += more.length;
    }
    await fold();
    const large = await examined();
    expect(large.docs).toBe(small.docs);
    expect(small.docs).toBe(4);
    expect(small.plan.some((s) => s.startsWith('IXSCAN'))).toBe(true);
    expect(small.plan.some((s) => s.startsWith('COLLSCAN'))).toBe(false);
    // The more open tasks did count.
    const carol = ((await load()).items as { person: string; open: number }[]).find(
      (r) => r.person === CAROL,
    );
    expect(carol?.open).toBeGreaterThan(2);
  }, 300_000);

  test('when every instance ends, then no cell is left', async () => {
    expect((await cells()).length).toBeGreaterThan(0);
    const open = await db.collection('dashboard_clocks').distinct('instanceId');
    expect(open.length).toBeGreaterThan(0);
    // Each end continues its instance's chain: its seq follows the chain's last one.
    for (const id of open as string[]) {
      const { events } = await api.store.audit.query({ instanceId: id }, { limit: 1_000 });
      const seq = events.length + 1;
      const [end] = chain(id, CAB, null, NOW.toISOString(), [[0, ended('cancelled')]]);
      if (end !== undefined) await api.store.audit.append([{ ...end, seq, id: `${id}:${seq}` }]);
    }
    await fold();
    expect(await cells()).toEqual([]);
    expect((await load()).items).toEqual([]);
  }, 120_000);
});
