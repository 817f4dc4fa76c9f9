// The PMO dashboard's counters by name (issue 18) over real HTTP on a real store: SLA breaches by
// approver list the 25 (policy, approver) pairs with the most breaches, most first, and say of how
// many; they are counters per person (names with dots and other signs included) in one cell per
// policy and week, or per policy over all time for a read without a period; instances per
// project are counters per outcome and project in the same kind of cells, their trend per policy
// and week. A read, with or without a period or a project, examines the same rollups after six
// times the people and instances, and a projector that finds rollups of an older shape folds the
// ledger again by itself.
import type { Db } from 'mongodb';
import type { Fact } from '../../engine/facts/index.js';
import type { AuditEventInput, Store } from '../../store/index.js';
import { FOLD_SHAPE } from '../../store/dashboard-model.js';
import { growAndSign } from '../../workflows/ledger/signer.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';
import { findsExamined } from '../support/plans.js';
import { databaseNameFor } from '../support/services.js';
import { CAB, chain, ended, NOW, opened, started, VENDOR } from './fixtures/dashboard-ledger.js';

const SLOW = 120_000;
const ROLLUPS = 'dashboard_rollups';
const TOP = 25;

interface Row {
  policy: string;
  person: string;
  breaches: number;
}
interface Breaches {
  byApprover: Row[];
  approvers: number;
}
interface Outcomes {
  started: number;
  approved: number;
  rejected: number;
  cancelled: number;
}
interface Instances {
  items: ({ policy: string; project: string | null } & Outcomes)[];
  trend: ({ week: string; policy: string } & Outcomes)[];
}

/** A person's email; one with signs a field name must not carry raw (`.`, `$`, `'`, `+`). */
const person = (i: number) => (i === 7 ? "d.o'neil+$cab@halden.example" : `p${i}.name@halden.example`);

/** One instance whose cab times out with `asked` not having voted: a breach for each of them. */
function timedOut(id: string, policy: typeof CAB, project: string | null, start: string, asked: string[]) {
  const facts: [number, Fact][] = [
    [0, started],
    [0, opened('cab', asked)],
    [3_600, { kind: 'approvalTimedOut', step: 'cab', dueAt: null, action: 'reject' }],
    [
      3_600,
      {
        kind: 'approvalClosed',
        step: 'cab',
        outcome: 'rejected by timeout',
        why: { kind: 'timeout', action: 'reject', message: 'no decision', blocked: null },
      },
    ],
    [3_601, ended('rejected')],
  ];
  return chain(id, policy, project, start, facts);
}

/** The hand count beside the ledger: breaches per (policy, person), per project and per week. */
class Counts {
  readonly breaches = new Map<string, Row>();
  readonly instances = new Map<string, { policy: string; project: string | null; week: string }>();
  readonly events: AuditEventInput[][] = [];

  add(id: string, policy: typeof CAB, project: string | null, week: 'W19' | 'W20', asked: string[]) {
    const start = week === 'W19' ? '2026-05-06T09:00:00Z' : '2026-05-13T09:00:00Z';
    this.events.push(timedOut(id, policy, project, start, asked));
    this.instances.set(id, { policy: policy.name, project, week: `2026-${week}` });
    for (const who of asked) {
      const key = JSON.stringify([policy.name, who, project, week]);
      const row = this.breaches.get(key) ?? { policy: policy.name, person: who, breaches: 0 };
      row.breaches += 1;
      this.breaches.set(key, row);
    }
  }

  /** The top rows and how many (policy, person) pairs, counting only the keys `keep` accepts. */
  top(keep: (project: string | null, week: string) => boolean): Breaches {
    const sums = new Map<string, Row>();
    for (const [key, row] of this.breaches) {
      const [, , project, week] = JSON.parse(key) as [string, string, string | null, string];
      if (!keep(project, week)) continue;
      const id = JSON.stringify([row.policy, row.person]);
      const sum = sums.get(id) ?? { ...row, breaches: 0 };
      sum.breaches += row.breaches;
      sums.set(id, sum);
    }
    const rows = [...sums.values()].sort(
      (a, b) =>
        b.breaches - a.breaches ||
        (a.policy === b.policy ? (a.person < b.person ? -1 : 1) : a.policy < b.policy ? -1 : 1),
    );
    return { byApprover: rows.slice(0, TOP), approvers: rows.length };
  }
}

async function signAndFold(store: Store): Promise<void> {
  await growAndSign(store, null, () => NOW);
  await store.dashboards.foldAll(() => NOW);
}

describe('dashboard figures over all time', () => {
  let api: ApiHarness;
  let db: Db;
  let pmo: string;
  const counts = new Counts();
  const get = async <T>(path: string) => {
    const answer = await api.call<T>('GET', `/v1/dashboards/${path}`, { token: pmo });
    expect([path, answer.status]).toEqual([path, 200]);
    return answer.body;
  };
  const breaches = async (query = '') => {
    const { byApprover, approvers } = await get<Breaches>(`sla-breaches${query}`);
    return { byApprover, approvers };
  };

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false, monitorCommands: true });
    api.deps.now = () => new Date(NOW);
    db = api.mongo.db(databaseNameFor(import.meta.url));
    pmo = await api.tokenFor('pia.pmo@halden.example', ['pmo']);
    // 40 people: person i times out (i % 4) + 1 times in change-mgmt, alternately in erp and crm
    // and in W19 and W20; every fifth also once in vendor-onboarding, without a project.
    for (let i = 0; i < 40; i++) {
      for (let k = 0; k <= i % 4; k++) {
        counts.add(`c-${i}-${k}`, CAB, k % 2 === 0 ? 'erp' : 'crm', k < 2 ? 'W19' : 'W20', [person(i)]);
      }
      if (i % 5 === 0) counts.add(`v-${i}`, VENDOR, null, 'W20', [person(i), person(i + 1)]);
    }
    await api.store.audit.append(counts.events.flat());
    await signAndFold(api.store);
  }, SLOW);

  afterAll(async () => {
    await api?.close();
  });

  test('when more than 25 approvers breached, then the 25 with the most are listed, most first, of how many', async () => {
    const all = await breaches();
    expect(all).toEqual(counts.top(() => true));
    expect(all.approvers).toBe(40 + 16);
    expect(all.byApprover).toHaveLength(TOP);
    // The name with signs in it is read back as it was written.
    expect(all.byApprover).toContainEqual({ policy: CAB.name, person: person(7), breaches: 4 });
    expect(await breaches('?project=crm')).toEqual(counts.top((project) => project === 'crm'));
    expect(await breaches(`?policy=${VENDOR.name}`)).toEqual(counts.top((project) => project === null));
    // A period sums the weeks' cells: W20 holds the third and fourth breach of some, and vendor's.
    expect(await breaches('?from=2026-W20')).toEqual(counts.top((_, week) => week === 'W20'));
    expect(await breaches('?project=erp&to=2026-W19')).toEqual(
      counts.top((project, week) => project === 'erp' && week === 'W19'),
    );
  });

  test('when instances ran in projects and weeks, then items count per policy and project and the trend per policy and week', async () => {
    const expected = (
      keep: (i: { project: string | null; week: string }) => boolean,
      by: 'items' | 'trend',
    ) => {
      const rows = new Map<string, Record<string, unknown>>();
      for (const instance of counts.instances.values()) {
        if (!keep(instance)) continue;
        const key =
          by === 'items'
            ? { policy: instance.policy, project: instance.project }
            : { week: instance.week, policy: instance.policy };
        const row = rows.get(JSON.stringify(key)) ?? {
          ...key,
          started: 0,
          approved: 0,
          rejected: 0,
          cancelled: 0,
        };
        row['started'] = Number(row['started']) + 1;
        row['rejected'] = Number(row['rejected']) + 1;
        rows.set(JSON.stringify(key), row);
      }
      return [...rows.values()].sort((a, b) =>
        JSON.stringify(Object.values(a)) < JSON.stringify(Object.values(b)) ? -1 : 1,
      );
    };
    const all = await get<Instances>('instances');
    expect(all.items).toEqual(expected(() => true, 'items'));
    expect(all.trend).toEqual(expected(() => true, 'trend'));
    const erp = await get<Instances>('instances?project=erp');
    expect(erp.items).toEqual(expected((i) => i.project === 'erp', 'items'));
    expect(erp.trend).toEqual(expected((i) => i.project === 'erp', 'trend'));
    const w20 = await get<Instances>('instances?from=2026-W20&to=2026-W20');
    expect(w20.items).toEqual(expected((i) => i.week === '2026-W20', 'items'));
    expect(w20.trend).toEqual(expected((i) => i.week === '2026-W20', 'trend'));
  });

  test(
    'when the rollups were written in an older shape, then the next fold drops them and folds the ledger again',
    async () => {
      const before = await Promise.all([breaches(), get<Instances>('instances')]);
      // What a database folded before the all-time cells holds: no such cells, no shape.
      await db.collection(ROLLUPS).deleteMany({ figure: { $in: ['breachByAll', 'instancesAll'] } });
      await db
        .collection<{ _id: string }>('dashboard_projector')
        .updateOne({ _id: 'projector' }, { $unset: { shape: '' } });
      expect((await breaches()).byApprover).toEqual([]);
      const { folded } = await api.store.dashboards.foldAll(() => NOW);
      expect(folded).toBe((await api.store.ledgerTree.state()).size);
      expect(await Promise.all([breaches(), get<Instances>('instances')])).toEqual(before);
      const projector = await db
        .collection<{ _id: string; shape?: number }>('dashboard_projector')
        .findOne({ _id: 'projector' });
      expect(projector?.shape).toBe(FOLD_SHAPE);
    },
    SLOW,
  );
  test(
    'when six times the people breach and the instances run, then an unfiltered read examines the same rollups',
    async () => {
      const paths = [
        'sla-breaches',
        'sla-breaches?project=erp',
        'sla-breaches?from=2026-W20',
        'instances',
        'instances?project=crm',
        'instances?from=2026-W19&to=2026-W20',
      ];
      const measure = async () => {
        const out: Record<string, number> = {};
        for (const path of paths) {
          const { examined, finds } = await findsExamined(api.mongo, db, () => get(path), ROLLUPS);
          expect([path, finds.some((f) => f.stages.some((s) => s.startsWith('COLLSCAN')))]).toEqual([
            path,
            false,
          ]);
          out[path] = examined;
        }
        return out;
      };
      const small = await measure();
      const more = new Counts();
      for (let i = 40; i < 240; i++) more.add(`m-${i}`, CAB, i % 2 === 0 ? 'erp' : 'crm', 'W20', [person(i)]);
      await api.store.audit.append(more.events.flat());
      await signAndFold(api.store);
      expect(await measure()).toEqual(small);
      // They were counted: 240 people in change-mgmt, and vendor-onboarding's 16.
      expect((await breaches()).approvers).toBe(240 + 16);
    },
    SLOW,
  );
});
