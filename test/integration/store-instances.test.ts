// Instance views against a real MongoDB-wire server: a view that never goes backwards whatever
// order and concurrency its transitions land in, visibility tokens that lose nobody, one indexed
// query per list page whatever the filter, and the input an instance was started with, kept with
// its hash.
import { canonicalJson, sha256Hex } from '../../engine/ir/index.js';
import { StoredDocumentError } from '../../store/documents.js';
import {
  instanceCollections,
  InstanceViews,
  type InstanceFilter,
  type InstanceInput,
  type InstanceView,
  isInstanceCursor,
  type ViewWrite,
  visibility,
} from '../../store/instances.js';
import { InvalidCursorError } from '../../store/paging.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';
import { expectIndexedReads, recordCommands } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';
import { changeRequestInput, publishChangeManagement } from './fixtures/change-management.js';

const policy = { name: 'change-approval', version: 3, sha256: 'a'.repeat(64) };
const minute = 60_000;
const t0 = new Date('2027-03-01T09:00:00Z');
const RITA = 'rita@x.example';

const input: InstanceInput = {
  title: 'Rotate TLS certificates',
  budget: { amount: 2000, currency: 'EUR' },
  downtime: { amount: 30, unit: 'minute', business: false, calendar: null },
  approvers: ['alice', 'bob'],
  urgent: false,
};

const write = (instanceId: string, transition: number, over: Partial<ViewWrite> = {}): ViewWrite => ({
  instanceId,
  workflowId: instanceId,
  policy,
  process: 'change',
  project: 'erp',
  status: 'running',
  message: null,
  startedAt: t0,
  startedBy: RITA,
  endedAt: null,
  currentSteps: [`step-${transition}`],
  blockedOn: [{ step: `step-${transition}`, kind: 'approval', text: `waiting ${transition}`, dueAt: null }],
  transition,
  ...over,
});

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('InstanceViews', () => {
  const { client, db } = useStoreDatabase(import.meta.url, instanceCollections);
  let views: InstanceViews;

  beforeAll(() => {
    views = new InstanceViews(db());
  });

  beforeEach(async () => {
    await db().collection('instance_views').deleteMany({});
  });

  test('when 20 shuffled transitions are written at once, then the view only moves forward and ends on the last', async () => {
    // Repeated because a lost race is a matter of timing; the first writes of a new instance race too.
    for (let round = 0; round < 3; round++) {
      const id = `race-${round}`;
      const order = shuffled(Array.from({ length: 20 }, (_, i) => i + 1));
      const seen: number[] = [];
      let writing = true;
      const reader = (async () => {
        while (writing) {
          const v = await views.get(id);
          if (v !== null) seen.push(v.transition);
        }
      })();

      await Promise.all(order.map((n) => views.upsert(write(id, n, { assignees: [`p${n}`] }))));
      writing = false;
      await reader;

      const stored = await views.get(id);
      expect(stored).toMatchObject({ transition: 20, currentSteps: ['step-20'] });
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect([...(stored?.visibleTo ?? [])].sort()).toEqual(
        [visibility.started(RITA), ...order.map((n) => visibility.assigned(`p${n}`))].sort(),
      );
    }
  });

  test('when an older transition lands after a newer one, then the view stays newer and gains its people and input', async () => {
    await views.upsert(write('i-late', 3, { assignees: ['carol'], status: 'approved' }));

    await views.upsert(write('i-late', 2, { assignees: ['bob'] }));
    await views.upsert(write('i-late', 1, { assignees: ['alice'], input }));

    const stored = await views.get('i-late');
    expect(stored).toMatchObject({ transition: 3, status: 'approved', currentSteps: ['step-3'], input });
    expect(stored?.visibleTo.sort()).toEqual(
      ['assigned:alice', 'assigned:bob', 'assigned:carol', visibility.started(RITA)].sort(),
    );
  });

  test('when a transition is written or retried, then each is one command', async () => {
    const first = await recordCommands(client(), () => views.upsert(write('i-cmd', 1, { input })));
    const retry = await recordCommands(client(), () => views.upsert(write('i-cmd', 1, { input })));
    const next = await recordCommands(client(), () =>
      views.upsert(write('i-cmd', 2, { assignees: ['bob'] })),
    );

    for (const run of [first, retry, next]) expect(run.commands.map((c) => c.name)).toEqual(['update']);
    expect(await views.get('i-cmd')).toMatchObject({ transition: 2, input });
  });

  test('when the start input is written, then it is kept with the sha256 of its canonical JSON', async () => {
    await views.upsert(write('i-in', 1, { input }));
    await views.upsert(write('i-in', 2, { status: 'approved' }));

    const stored = await views.get('i-in');
    expect(stored?.input).toEqual(input);
    expect(stored?.inputSha256).toBe(sha256Hex(canonicalJson(input)));
    // Key order does not change the hash: the canonical form sorts keys.
    const reordered = Object.fromEntries(Object.entries(input).reverse());
    await views.upsert(write('i-in2', 1, { input: reordered }));
    expect((await views.get('i-in2'))?.inputSha256).toBe(stored?.inputSha256);
  });

  test('when a view was stored before inputs and visibility were kept, then it reads with input null', async () => {
    const { instanceId, assignees, input: given, ...old } = write('i-old', 4);
    expect([assignees, given]).toEqual([undefined, undefined]);
    await db()
      .collection('instance_views')
      .insertOne({ _id: instanceId as never, ...old });

    expect(await views.get('i-old')).toMatchObject({
      transition: 4,
      input: null,
      inputSha256: null,
      visibleTo: [],
    });
  });

  test('when a stored view was damaged by hand, then reading it names the collection and the field', async () => {
    await db()
      .collection('instance_views')
      .insertOne({ _id: 'i-bad' as never, transition: 'three' });

    await expect(views.get('i-bad')).rejects.toBeInstanceOf(StoredDocumentError);
  });

  describe('lists', () => {
    const people = ['rita', 'ivan', 'sofia'];
    const projects = ['erp', 'intranet', null];
    const statuses = ['running', 'approved', 'rejected', 'cancelled'] as const;
    let all: InstanceView[] = [];

    beforeEach(async () => {
      // 36 instances; two share each start time, so that `_id` decides between them.
      for (let i = 0; i < 36; i++) {
        await views.upsert(
          write(`l-${String(i).padStart(2, '0')}`, 1, {
            startedAt: new Date(t0.getTime() + Math.floor(i / 2) * minute),
            startedBy: people[i % 3]!,
            project: projects[Math.floor(i / 4) % 3] ?? null,
            process: i % 4 === 0 ? 'purchase' : 'change',
            policy: { ...policy, name: i % 5 === 0 ? 'purchasing' : policy.name },
            status: statuses[i % 4]!,
            assignees: i % 2 === 0 ? ['henrik'] : ['alice', 'henrik'].slice(i % 3),
          }),
        );
      }
      all = (
        await Promise.all(Array.from({ length: 36 }, (_, i) => views.get(`l-${String(i).padStart(2, '0')}`)))
      )
        .filter((v): v is InstanceView => v !== null)
        .sort(
          (a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.instanceId < b.instanceId ? 1 : -1),
        );
    });

    /** Every page of `filter` at `limit` rows, each read explained: the index used, and the ids. */
    async function pages(filter: InstanceFilter, limit: number): Promise<{ ids: string[]; plans: string[] }> {
      const ids: string[] = [];
      const plans: string[] = [];
      let after: string | undefined;
      for (let n = 0; n < 50; n++) {
        const read = await expectIndexedReads(client(), db(), () =>
          views.list(filter, { limit, ...(after === undefined ? {} : { after }) }),
        );
        plans.push(...read.plans);
        ids.push(...read.result.instances.map((v) => v.instanceId));
        if (read.result.next === null) return { ids, plans };
        after = read.result.next;
      }
      throw new Error('the pages did not end');
    }

    const cases: [string, InstanceFilter, (v: InstanceView) => boolean, string][] = [
      ['no filter', {}, () => true, 'newest_first'],
      ['status', { status: 'approved' }, (v) => v.status === 'approved', 'by_status'],
      ['policy', { policyName: 'purchasing' }, (v) => v.policy.name === 'purchasing', 'by_policy'],
      ['process', { process: 'purchase' }, (v) => v.process === 'purchase', 'by_process'],
      ['project', { project: 'intranet' }, (v) => v.project === 'intranet', 'by_project'],
      ['starter', { startedBy: 'ivan' }, (v) => v.startedBy === 'ivan', 'by_starter'],
      [
        'starter and status in a period',
        {
          startedBy: 'rita',
          status: 'running',
          from: new Date(t0.getTime() + 2 * minute),
          to: new Date(t0.getTime() + 14 * minute),
        },
        (v) =>
          v.startedBy === 'rita' &&
          v.status === 'running' &&
          v.startedAt >= new Date(t0.getTime() + 2 * minute) &&
          v.startedAt < new Date(t0.getTime() + 14 * minute),
        'by_starter',
      ],
      [
        'visibility tokens and process',
        { visibleTo: [visibility.started('ivan'), visibility.assigned('alice')], process: 'change' },
        (v) =>
          v.process === 'change' &&
          (v.visibleTo.includes('started:ivan') || v.visibleTo.includes('assigned:alice')),
        'visible',
      ],
    ];

    test.each(cases)(
      'when listed by %s, then pages follow each other in order through its index',
      async (_name, filter, keep, index) => {
        const expected = all.filter(keep).map((v) => v.instanceId);
        expect(expected.length).toBeGreaterThan(1);

        const { ids, plans } = await pages(filter, 3);

        expect(ids).toEqual(expected);
        expect(plans.length).toBeGreaterThan(0);
        for (const plan of plans) expect(plan).toContain(`IXSCAN(${index})`);
      },
    );

    test("when a view holds two of the caller's tokens, then it is listed once", async () => {
      await views.upsert(write('l-own', 2, { startedBy: 'henrik', assignees: ['henrik'], startedAt: t0 }));

      const { ids } = await pages({ visibleTo: ['started:henrik', 'assigned:henrik'] }, 5);

      expect(ids.filter((id) => id === 'l-own')).toHaveLength(1);
      expect(ids.sort()).toEqual(
        [
          ...all.filter((v) => v.visibleTo.includes('assigned:henrik')).map((v) => v.instanceId),
          'l-own',
        ].sort(),
      );
    });

    test('when nobody may be seen, then the page is empty without a query', async () => {
      const { result, commands } = await recordCommands(client(), () =>
        views.list({ visibleTo: [] }, { limit: 5 }),
      );

      expect(result).toEqual({ instances: [], next: null });
      expect(commands).toEqual([]);
    });

    test('when a cursor was not issued by this list, then InvalidCursorError', async () => {
      const first = await views.list({}, { limit: 2 });
      expect(isInstanceCursor(first.next ?? '')).toBe(true);
      const foreign = Buffer.from(JSON.stringify(['inbox', { d: 1 }, 'x'])).toString('base64url');

      for (const bad of ['zz', foreign, Buffer.from('[1,"x"]').toString('base64url')]) {
        expect(isInstanceCursor(bad)).toBe(false);
        await expect(views.list({}, { limit: 2, after: bad })).rejects.toBeInstanceOf(InvalidCursorError);
      }
    });
  });
});

describe('the input of an instance, end to end', () => {
  const REQUESTER = 'rita.sommer@halden.example';
  const MANAGER = 'henrik.larsen@halden.example';
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url);
    await publishChangeManagement(api, REQUESTER);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  test('when an instance starts, then its validated input is served to those who see it, hashed in the started event', async () => {
    const rita = await api.tokenFor(REQUESTER, ['requester']);
    const henrik = await api.tokenFor(MANAGER, ['approver']);
    const ivan = await api.tokenFor('ivan.petrov@halden.example', ['requester']);
    const started = await api.call<{ instanceId: string }>('POST', '/v1/instances', {
      token: rita,
      body: {
        policy: 'IT change management',
        process: 'change_request',
        input: changeRequestInput(REQUESTER),
      },
    });
    expect(started.status).toBe(201);
    const path = `/v1/instances/${started.body.instanceId}`;
    type Detail = { input: Record<string, unknown> | null; inputSha256: string | null };

    let detail: Detail | undefined;
    for (let tries = 0; tries < 120 && (detail?.input ?? null) === null; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      detail = (await api.call<Detail>('GET', path, { token: rita })).body;
    }

    // Validated: the money and the duration are values now, not the strings that were sent.
    expect(detail?.input).toMatchObject({
      title: 'Rotate TLS certificates on the intranet proxy',
      budget: { amount: '2000', currency: 'EUR' },
      downtime: { amount: 30, unit: 'minute' },
    });
    const hash = sha256Hex(canonicalJson(detail?.input));
    expect(detail?.inputSha256).toBe(hash);
    const events = await api.store.audit.query({ instanceId: started.body.instanceId }, { limit: 10 });
    expect(events.events.find((e) => e.seq === 1)).toMatchObject({ type: 'started', inputSha256: hash });
    // The manager sees the instance once the worker has assigned him its approval (a later
    // transition than the one that stored the input): wait for that, then the input is the same.
    let managers = await api.call<Detail>('GET', path, { token: henrik });
    for (let tries = 0; tries < 120 && managers.status === 404; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      managers = await api.call<Detail>('GET', path, { token: henrik });
    }
    expect(managers.body.input).toEqual(detail?.input);
    expect((await api.call('GET', path, { token: ivan })).status).toBe(404);
  }, 60_000);
});
