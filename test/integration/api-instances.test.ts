// The instance routes over real HTTP, a real store, the Temporal dev server and an in-process
// Charter worker: start (bad input with field paths, idempotent retries), read with the live
// "blocked on" and the ledger timeline, list with visibility per role, cancel, and check reports.
import { createHash } from 'node:crypto';
import { startApiHarness, type ApiHarness } from '../support/api.js';
import { connectMongo, databaseNameFor } from '../support/services.js';
import { changeRequestInput, publishChangeManagement } from './fixtures/change-management.js';

const NAME = 'IT change management';
const RITA = 'rita.sommer@halden.example';
const HENRIK = 'henrik.larsen@halden.example';
const IVAN = 'ivan.petrov@halden.example';

const goodInput = changeRequestInput(RITA);

interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string; message: string }[] };
}
interface View {
  instanceId: string;
  status: string;
  startedBy: string;
  project: string | null;
  policy: { name: string; version: number };
  blockedOn: { step: string; text: string }[];
}
interface Detail extends View {
  live: boolean;
  explanation: { text: string }[] | null;
  timeline: { seq: number; type: string; text: string }[];
}
interface Page {
  items: View[];
  nextCursor: string | null;
}

describe('instances over HTTP', () => {
  let api: ApiHarness;
  let rita: string;
  let ivan: string;
  let henrik: string;
  let auditor: string;
  let admin: string;
  let instanceId = '';
  let ivansInstance = '';

  /** Polls `check` until it passes: the worker writes views and tasks a moment after a start. */
  async function eventually(check: () => Promise<void>, ms = 30_000): Promise<void> {
    const until = Date.now() + ms;
    for (;;) {
      try {
        await check();
        return;
      } catch (error) {
        if (Date.now() > until) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url);
    await publishChangeManagement(api, RITA);
    rita = await api.tokenFor(RITA, ['requester']);
    ivan = await api.tokenFor(IVAN, ['requester']);
    henrik = await api.tokenFor(HENRIK, ['approver']);
    auditor = await api.tokenFor('audit@halden.example', ['auditor']);
    admin = await api.tokenFor('root@halden.example', ['admin']);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  test('a start with bad input is 422 with a path per problem, and starts nothing', async () => {
    const bad = await api.call<ErrorAnswer>('POST', '/v1/instances', {
      token: rita,
      body: {
        policy: NAME,
        process: 'change_request',
        input: { ...goodInput, risk: 'extreme', budget: undefined },
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid-input');
    expect(bad.body.error.problems?.map((p) => p.path).sort()).toEqual([
      'body.input.budget',
      'body.input.risk',
    ]);
    const policy = await api.call<ErrorAnswer>('POST', '/v1/instances', {
      token: rita,
      body: { policy: 'No such policy', process: 'change_request', input: goodInput },
    });
    expect(policy.status).toBe(422);
    expect(policy.body.error.problems?.map((p) => p.path)).toEqual(['body.policy']);
    const process = await api.call<ErrorAnswer>('POST', '/v1/instances', {
      token: rita,
      body: { policy: NAME, process: 'nope', input: goodInput },
    });
    expect(process.body.error.problems?.map((p) => p.path)).toEqual(['body.process']);
    const shape = await api.call<ErrorAnswer>('POST', '/v1/instances', {
      token: rita,
      body: { policy: NAME, input: [] },
    });
    expect(shape.body.error.problems?.map((p) => p.path)).toEqual(['body.process', 'body.input']);
    expect((await api.call('POST', '/v1/instances', { token: henrik, body: {} })).status).toBe(403);
    const listed = await api.call<Page>('GET', '/v1/instances', { token: auditor });
    expect(listed.body.items).toEqual([]);
  }, 60_000);

  test('a good start is 201; the requester sees it blocked on the manager, with its timeline', async () => {
    const started = await api.call<{ instanceId: string; policy: { name: string; version: number } }>(
      'POST',
      '/v1/instances',
      { token: rita, body: { policy: NAME, process: 'change_request', input: goodInput } },
    );
    expect(started.status).toBe(201);
    expect(started.body.policy).toMatchObject({ name: NAME, version: 4 });
    instanceId = started.body.instanceId;
    await eventually(async () => {
      const answer = await api.call<Detail>('GET', `/v1/instances/${instanceId}`, { token: rita });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        status: 'running',
        startedBy: RITA,
        project: 'intranet',
        live: true,
      });
      expect(answer.body.blockedOn.map((b) => b.step)).toEqual(['manager_review']);
      expect(answer.body.explanation?.length).toBeGreaterThan(0);
      expect(answer.body.timeline[0]).toMatchObject({ seq: 1, type: 'started' });
      const seqs = answer.body.timeline.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    });
  }, 60_000);

  test('the same Idempotency-Key twice starts one instance and answers the same', async () => {
    // The workflow id follows from the key, and Temporal outlives this test's database.
    const key = `start-${Date.now()}`;
    const call = () =>
      api.call<{ instanceId: string }>('POST', '/v1/instances', {
        token: ivan,
        body: { policy: NAME, process: 'change_request', input: { ...goodInput, requester: IVAN } },
        headers: { 'idempotency-key': key },
      });
    const first = await call();
    const second = await call();
    expect(first.status).toBe(201);
    expect(second.body.instanceId).toBe(first.body.instanceId);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    ivansInstance = first.body.instanceId;
    // The kept answer is lost (as if the key had been given back after a 5xx): the retry runs
    // again, Temporal refuses a second workflow with the id, and the first instance is the answer.
    const mongo = await connectMongo();
    try {
      const records = mongo.db(databaseNameFor(import.meta.url)).collection<{ _id: string }>('idempotency');
      const hashed = createHash('sha256').update(`${IVAN}\n${key}`).digest('hex');
      expect((await records.deleteOne({ _id: hashed })).deletedCount).toBe(1);
    } finally {
      await mongo.close();
    }
    const third = await call();
    expect(third.status).toBe(201);
    expect(third.headers.get('idempotent-replayed')).toBeNull();
    expect(third.body.instanceId).toBe(first.body.instanceId);
    await eventually(async () => {
      const mine = await api.call<Page>('GET', '/v1/instances', { token: ivan });
      expect(mine.body.items.map((v) => v.instanceId)).toEqual([first.body.instanceId]);
    });
  }, 60_000);

  test('visibility: another requester gets 404, the assigned approver and the auditor see it', async () => {
    const other = await api.call<ErrorAnswer>('GET', `/v1/instances/${instanceId}`, { token: ivan });
    expect(other.status).toBe(404);
    const unknown = await api.call<ErrorAnswer>('GET', '/v1/instances/change_request-unknown', {
      token: ivan,
    });
    expect(unknown.status).toBe(404);
    expect(other.body.error.code).toBe(unknown.body.error.code);
    const ritas = await api.call<Page>('GET', '/v1/instances', { token: rita });
    expect(ritas.body.items.map((v) => v.instanceId)).toEqual([instanceId]);
    await eventually(async () => {
      const assigned = await api.call<Page>('GET', '/v1/instances', { token: henrik });
      expect(assigned.body.items.map((v) => v.instanceId)).toEqual([instanceId]);
      expect((await api.call('GET', `/v1/instances/${instanceId}`, { token: henrik })).status).toBe(200);
    });
    // Sofia, Ivan's manager, delegates to Henrik: he now sees the instance waiting for her too.
    const now = Date.now();
    await api.store.directory.addDelegation({
      id: 'sofia-to-henrik',
      from: 'sofia.marin@halden.example',
      to: HENRIK,
      start: new Date(now - 60_000),
      end: new Date(now + 3_600_000),
    });
    expect((await api.call('GET', `/v1/instances/${ivansInstance}`, { token: henrik })).status).toBe(200);
    const first = await api.call<Page>('GET', '/v1/instances?limit=1', { token: henrik });
    expect(first.body.items).toHaveLength(1);
    const second = await api.call<Page>(
      'GET',
      `/v1/instances?limit=1&cursor=${first.body.nextCursor ?? ''}`,
      {
        token: henrik,
      },
    );
    expect([...first.body.items, ...second.body.items].map((v) => v.instanceId).sort()).toEqual(
      [instanceId, ivansInstance].sort(),
    );
    expect(second.body.nextCursor).toBeNull();
    await api.store.directory.removeDelegation('sofia-to-henrik');
    expect((await api.call('GET', `/v1/instances/${ivansInstance}`, { token: henrik })).status).toBe(404);
    const everything = await api.call<Page>('GET', '/v1/instances', { token: auditor });
    expect(everything.body.items).toHaveLength(2);
    const stranger = await api.tokenFor('nobody@halden.example', ['approver']);
    expect((await api.call<Page>('GET', '/v1/instances', { token: stranger })).body.items).toEqual([]);
    expect((await api.call('GET', `/v1/instances/${instanceId}`, { token: stranger })).status).toBe(404);
  }, 60_000);

  test('list filters and pages; bad filters are 422 with their query paths', async () => {
    const running = await api.call<Page>(
      'GET',
      `/v1/instances?status=running&policy=${encodeURIComponent(NAME)}&startedBy=${RITA}`,
      { token: auditor },
    );
    expect(running.body.items.map((v) => v.instanceId)).toEqual([instanceId]);
    const none = await api.call<Page>('GET', '/v1/instances?project=elsewhere', { token: auditor });
    expect(none.body.items).toEqual([]);
    const first = await api.call<Page>('GET', '/v1/instances?limit=1', { token: auditor });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.call<Page>(
      'GET',
      `/v1/instances?limit=1&cursor=${first.body.nextCursor ?? ''}`,
      {
        token: auditor,
      },
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0]?.instanceId).not.toBe(first.body.items[0]?.instanceId);
    expect(second.body.nextCursor).toBeNull();
    const bad = await api.call<ErrorAnswer>('GET', '/v1/instances?status=lost&limit=0&cursor=zz', {
      token: rita,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.problems?.map((p) => p.path).sort()).toEqual([
      'query.cursor',
      'query.limit',
      'query.status',
    ]);
    const others = await api.call<Page>(`GET`, `/v1/instances?startedBy=${IVAN}`, { token: rita });
    expect(others.body.items).toEqual([]);
  }, 60_000);

  test('check reports are for admins; an unknown request is refused by the engine with its code', async () => {
    const path = `/v1/instances/${instanceId}/checks/no-such-request/report`;
    const body = { service: 'qualys-vm-scan', outcome: 'passed' };
    expect((await api.call('POST', path, { token: rita, body })).status).toBe(403);
    const refused = await api.call<ErrorAnswer>('POST', path, { token: admin, body });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toEqual(expect.any(String));
    expect(refused.body.error.code).not.toBe('ended');
    const wrong = await api.call<ErrorAnswer>('POST', path, {
      token: admin,
      body: { service: '', outcome: 'maybe' },
    });
    expect(wrong.body.error.problems?.map((p) => p.path)).toEqual(['body.service', 'body.outcome']);
  }, 60_000);

  test('cancel: 404 for someone else, 403 for auditors, then the requester withdraws it; ended is 409', async () => {
    const path = `/v1/instances/${instanceId}/cancel`;
    expect((await api.call('POST', path, { token: ivan, body: { reason: 'mine now' } })).status).toBe(404);
    expect((await api.call('POST', path, { token: auditor, body: { reason: 'no' } })).status).toBe(403);
    const blank = await api.call<ErrorAnswer>('POST', path, { token: rita, body: { reason: '  ' } });
    expect(blank.status).toBe(422);
    expect(blank.body.error.problems?.map((p) => p.path)).toEqual(['body.reason']);
    const cancelled = await api.call<{ status: string }>('POST', path, {
      token: rita,
      body: { reason: 'the certificate vendor extended the old ones' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    await eventually(async () => {
      const detail = await api.call<Detail>('GET', `/v1/instances/${instanceId}`, { token: rita });
      expect(detail.body.status).toBe('cancelled');
      expect(detail.body.live).toBe(false);
      expect(detail.body.timeline.at(-1)?.type).toBe('ended');
    });
    const again = await api.call<ErrorAnswer>('POST', path, { token: rita, body: { reason: 'twice' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ended');
    const byAdmin = await api.call<{ status: string }>('POST', `/v1/instances/${ivansInstance}/cancel`, {
      token: admin,
      body: { reason: 'test over' },
    });
    expect(byAdmin.body.status).toBe('cancelled');
  }, 60_000);
});
