// The routes the web console reads and acts through, over real HTTP with the real store, the
// Temporal dev server and a Charter worker: a published process with its input form and flow
// graph, an instance's progress over that graph, people search for pickers and @mentions, and
// one decision on many tasks (each decided as the single route decides it, each answering alone).
import { compileEntry, memoryHost } from '../../dsl/index.js';
import { refusedChainOf } from '../../store/index.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';
import { publishChangeManagement } from './fixtures/change-management.js';

const NAME = 'Console purchase';
const POLICY = `policy "${NAME}" version 1 effective 2026-01-01
owner "pmo@halden.example"
role approvers = group "console-approvers"

process purchase {
  input {
    requester: person
    item: text
    amount: money EUR
    category: "hardware" | "software" = "hardware"
    tags: list of text = []
    urgent: boolean optional
  }
  check named: require length(request.item) >= 2
  if request.amount > 1_000 EUR {
    approve big_review {
      by approvers
      at least 2
      not request.requester
      within 5 days
      on timeout reject
    }
  } else {
    approve review {
      by approvers
      any
      any reject rejects
      not request.requester
      within 5 days
      on timeout reject
      allow delegation
    }
  }
  parallel {
    notify told: request.requester: "{request.item} approved"
    branch records {
      notify filed: request.requester: "{request.item} filed"
    }
  }
}
`;

const RITA = 'rita.sommer@halden.example';
const ALICE = 'alice.meyer@halden.example';
const BOB = 'bob.schulz@halden.example';
const CAROL = 'carol.nguyen@halden.example';
const DAVID = 'david.okafor@halden.example';
const IVAN = 'ivan.petrov@halden.example';

interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string; message: string }[] };
}
interface GraphNode {
  id: string;
  kind: string;
  label: string;
  line: number;
  branch: string | null;
  state?: string;
  outcome?: string | null;
}
interface Graph {
  nodes: GraphNode[];
  edges: { from: string; to: string; label: string | null }[];
}
interface ProcessAnswer {
  policy: { name: string; version: number; sha256: string };
  process: string;
  input: { name: string; type: unknown; optional: boolean; default: unknown; line: number }[];
  graph: Graph;
}
interface InstanceGraph {
  instanceId: string;
  status: string;
  graph: Graph;
}
type BulkResult =
  | { task: string; ok: true; status: string; instanceId: string; instanceStatus: string }
  | { task: string; ok: false; status: number; error: { code: string; message: string } };

/** Polls `read` until `done` holds (the worker writes the ledger, views and tasks after each step). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const statesOf = (graph: Graph): Record<string, string> =>
  Object.fromEntries(
    graph.nodes.map((n) => [n.id, n.outcome == null ? String(n.state) : `${String(n.state)} (${n.outcome})`]),
  );

describe('the console routes', () => {
  let api: ApiHarness;
  const tokens: Record<string, string> = {};
  const as = (person: string) => ({ token: tokens[person] ?? null });

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url);
    await publishChangeManagement(api, RITA);
    await api.store.directory.seedFromWorld({
      groups: { 'console-approvers': [ALICE, BOB, RITA] },
      managers: {},
      people: [CAROL, DAVID, IVAN],
    });
    for (const [id, name] of [
      [RITA, 'Rita Sommer'],
      [ALICE, 'Alice Meyer'],
      [BOB, 'Bob Schulz'],
      ['ritva.ahonen@halden.example', 'Ritva Ahonen'],
      ['jurgen.gross@halden.example', 'Jürgen Groß'],
    ] as const) {
      await api.store.directory.upsertPerson({ id, name });
    }
    const out = compileEntry('purchase.charter', memoryHost({ 'purchase.charter': POLICY }));
    if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
    await api.store.policies.publish({
      compiled: out.compiled,
      sources: [{ path: 'purchase.charter', text: POLICY }],
      publishedBy: 'pmo@halden.example',
      at: new Date(),
    });
    tokens[RITA] = await api.tokenFor(RITA, ['requester', 'approver']);
    for (const person of [ALICE, BOB, CAROL]) tokens[person] = await api.tokenFor(person, ['approver']);
    tokens[IVAN] = await api.tokenFor(IVAN, ['requester']);
    tokens['auditor'] = await api.tokenFor('simon.frey@halden.example', ['auditor']);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  /** Rita starts a purchase; its first approval task, once the worker has opened it. */
  async function purchase(item: string, amount: string, requester = DAVID) {
    const started = await api.call<{ instanceId: string }>('POST', '/v1/instances', {
      ...as(RITA),
      body: { policy: NAME, process: 'purchase', input: { requester, item, amount } },
    });
    if (started.status !== 201) throw new Error(`start: ${started.status} ${started.text}`);
    const instanceId = started.body.instanceId;
    const task = await eventually(
      async () =>
        (await api.store.tasks.inbox([ALICE], { limit: 500 })).tasks.find((t) => t.instanceId === instanceId),
      (found) => found !== undefined,
    );
    if (task === undefined) throw new Error(`no task for ${instanceId} in time`);
    return { instanceId, taskId: task.id };
  }

  const graphOf = (instanceId: string, person = RITA) =>
    api.call<InstanceGraph & ErrorAnswer>(
      'GET',
      `/v1/instances/${encodeURIComponent(instanceId)}/graph`,
      as(person),
    );

  describe('GET /v1/policies/:name/versions/:version/processes/:process', () => {
    const path = (name: string, version: number | string, process: string) =>
      `/v1/policies/${encodeURIComponent(name)}/versions/${version}/processes/${encodeURIComponent(process)}`;

    test('when a process is read, then its input fields come with types and defaults and its graph with every step', async () => {
      const answer = await api.call<ProcessAnswer>('GET', path(NAME, 1, 'purchase'), as(IVAN));

      expect(answer.status).toBe(200);
      expect(answer.body.policy).toEqual({
        name: NAME,
        version: 1,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      });
      expect(answer.body.input).toEqual([
        { name: 'requester', type: { kind: 'person' }, optional: false, default: null, line: 7 },
        { name: 'item', type: { kind: 'text' }, optional: false, default: null, line: 8 },
        { name: 'amount', type: { kind: 'money', currency: 'EUR' }, optional: false, default: null, line: 9 },
        {
          name: 'category',
          type: { kind: 'enum', values: ['hardware', 'software'] },
          optional: true,
          default: 'hardware',
          line: 10,
        },
        {
          name: 'tags',
          type: { kind: 'list', element: { kind: 'text' } },
          optional: true,
          default: [],
          line: 11,
        },
        { name: 'urgent', type: { kind: 'boolean' }, optional: true, default: null, line: 12 },
      ]);
      const { nodes, edges } = answer.body.graph;
      expect(nodes.map((n) => [n.id, n.kind, n.branch])).toEqual([
        ['#start', 'start', null],
        ['named', 'check', null],
        ['if_1', 'decision', null],
        ['big_review', 'approve', null],
        ['review', 'approve', null],
        ['parallel_1', 'fork', null],
        ['told', 'notify', 'told'],
        ['filed', 'notify', 'records'],
        ['#join:parallel_1', 'join', null],
        ['#end', 'end', null],
      ]);
      expect(nodes.find((n) => n.id === 'review')?.line).toBe(24);
      expect(edges).toContainEqual({ from: 'if_1', to: 'big_review', label: 'request.amount > 1,000 EUR' });
      expect(edges).toContainEqual({ from: 'if_1', to: 'review', label: 'otherwise' });
    });

    test('when a shipped policy is read, then every one of its processes has a graph from start to end', async () => {
      const version = await api.call<{ processes: string[] }>(
        'GET',
        `/v1/policies/${encodeURIComponent('IT change management')}/versions/4`,
        as(IVAN),
      );
      expect(version.body.processes).toEqual(['change_request', 'post_implementation_review']);
      const answer = await api.call<ProcessAnswer>(
        'GET',
        path('IT change management', 4, 'change_request'),
        as(IVAN),
      );

      expect(answer.status).toBe(200);
      expect(answer.body.input.find((f) => f.name === 'systems')).toMatchObject({
        type: { kind: 'list', element: { kind: 'text' } },
        default: [],
      });
      expect(answer.body.input.find((f) => f.name === 'customer_impact')).toMatchObject({
        type: { kind: 'percentage' },
        default: 0,
      });
      expect(answer.body.graph.nodes.filter((n) => n.kind === 'decision').length).toBeGreaterThan(0);
      for (const process of version.body.processes) {
        const read = await api.call<ProcessAnswer>('GET', path('IT change management', 4, process), as(IVAN));
        const ids = read.body.graph.nodes.map((n) => n.id);
        expect([process, read.status, ids[0]]).toEqual([process, 200, '#start']);
        expect(read.body.graph.edges.every((e) => ids.includes(e.from) && ids.includes(e.to))).toBe(true);
        expect(read.body.graph.nodes.some((n) => n.kind === 'end')).toBe(true);
      }
    });

    test('when the policy, the version or the process does not exist, then 404 says which', async () => {
      const noPolicy = await api.call<ErrorAnswer>('GET', path('No such policy', 1, 'purchase'), as(IVAN));
      const noVersion = await api.call<ErrorAnswer>('GET', path(NAME, 7, 'purchase'), as(IVAN));
      const noProcess = await api.call<ErrorAnswer>('GET', path(NAME, 1, 'procurement'), as(IVAN));
      const badVersion = await api.call<ErrorAnswer>('GET', path(NAME, 'one', 'purchase'), as(IVAN));

      expect([noPolicy.status, noPolicy.body.error.message]).toEqual([
        404,
        'policy "No such policy" version 1 was not found',
      ]);
      expect([noVersion.status, noVersion.body.error.message]).toEqual([
        404,
        `policy "${NAME}" version 7 was not found`,
      ]);
      expect([noProcess.status, noProcess.body.error.message]).toEqual([
        404,
        `process "procurement" of policy "${NAME}" version 1 (its processes: "purchase") was not found`,
      ]);
      expect([badVersion.status, badVersion.body.error.problems?.map((p) => p.path)]).toEqual([
        422,
        ['params.version'],
      ]);
    });

    test('when the OpenAPI document describes the console routes, then their schemas are inline, without $defs', async () => {
      const doc = await api.call<{ paths: Record<string, Record<string, unknown>> }>('GET', '/openapi.json');
      const operations = [
        ['/v1/policies/{name}/versions/{version}/processes/{process}', 'get'],
        ['/v1/instances/{id}/graph', 'get'],
        ['/v1/tasks/decide', 'post'],
        ['/v1/directory/people', 'get'],
      ] as const;

      for (const [route, method] of operations) {
        const text = JSON.stringify(doc.body.paths[route]?.[method]);
        expect([
          route,
          text.includes('$defs'),
          text.match(/"\$ref":"(?!#\/components\/schemas\/Error")/),
        ]).toEqual([route, false, null]);
      }
    });
  });

  describe('GET /v1/instances/:id/graph', () => {
    test('when an approval waits, then it is current, the untaken branch skipped and what follows pending; once approved, all done', async () => {
      const { instanceId, taskId } = await purchase('dock', '200 EUR');
      const waiting = await eventually(
        () => graphOf(instanceId),
        (a) => a.status === 200 && statesOf(a.body.graph)['review'] === 'current',
      );

      expect(waiting.body).toMatchObject({ instanceId, status: 'running' });
      expect(statesOf(waiting.body.graph)).toEqual({
        '#start': 'done',
        named: 'done (passed)',
        if_1: 'done (otherwise)',
        big_review: 'skipped',
        review: 'current',
        parallel_1: 'pending',
        told: 'pending',
        filed: 'pending',
        '#join:parallel_1': 'pending',
        '#end': 'pending',
      });
      const decided = await api.call('POST', `/v1/tasks/${encodeURIComponent(taskId)}/decide`, {
        ...as(ALICE),
        body: { decision: 'approve' },
      });
      expect(decided.status).toBe(200);
      const ended = await eventually(
        () => graphOf(instanceId),
        (a) => a.body.status === 'approved' && statesOf(a.body.graph)['#end'] === 'done (approved)',
      );

      expect(statesOf(ended.body.graph)).toEqual({
        '#start': 'done',
        named: 'done (passed)',
        if_1: 'done (otherwise)',
        big_review: 'skipped',
        review: 'done (approved)',
        parallel_1: 'done',
        told: 'done (notified)',
        filed: 'done (notified)',
        '#join:parallel_1': 'done',
        '#end': 'done (approved)',
      });
    }, 90_000);

    test('when someone may not see the instance, then its graph is the 404 of an unknown id; an auditor sees it', async () => {
      const { instanceId } = await purchase('cable', '20 EUR');
      const hidden = await graphOf(instanceId, IVAN);
      const unknown = await graphOf('purchase-no-such-instance', IVAN);

      expect([hidden.status, hidden.body.error.code]).toEqual([404, 'not-found']);
      expect(hidden.body.error.message.replace(instanceId, '<id>')).toBe(
        unknown.body.error.message.replace('purchase-no-such-instance', '<id>'),
      );
      expect((await graphOf(instanceId, 'auditor')).status).toBe(200);
      expect((await graphOf(instanceId, ALICE)).status).toBe(200);
    }, 60_000);
  });

  describe("GET /v1/instances/:id/tasks and the timeline's spans", () => {
    test('when a task was decided, then the instance lists it closed to its requester and an auditor, 404 to a stranger; timeline events carry their source lines', async () => {
      const { instanceId, taskId } = await purchase('monitor', '300 EUR');
      const path = `/v1/instances/${encodeURIComponent(instanceId)}/tasks`;
      const open = await api.call<{ items: { id: string; status: string }[] }>('GET', path, as(RITA));
      expect([open.status, open.body.items.map((t) => [t.id, t.status])]).toEqual([200, [[taskId, 'open']]]);
      const decided = await api.call('POST', `/v1/tasks/${encodeURIComponent(taskId)}/decide`, {
        ...as(ALICE),
        body: { decision: 'approve' },
      });
      expect(decided.status).toBe(200);
      const closed = await eventually(
        () => api.call<{ items: { id: string; status: string }[] }>('GET', path, as('auditor')),
        (a) => a.body.items[0]?.status === 'closed',
      );
      expect(closed.body.items.map((t) => t.id)).toEqual([taskId]);
      const hidden = await api.call<ErrorAnswer>('GET', path, as(IVAN));
      expect([hidden.status, hidden.body.error.code]).toEqual([404, 'not-found']);

      const detail = await api.call<{ timeline: { step: string | null; span: { line: number } | null }[] }>(
        'GET',
        `/v1/instances/${encodeURIComponent(instanceId)}`,
        as(RITA),
      );
      const review = detail.body.timeline.find((e) => e.step === 'review');
      const reviewLine = POLICY.split('\n').findIndex((l) => /approve review\b/.test(l)) + 1;
      expect(review?.span?.line).toBe(reviewLine);
    }, 90_000);
  });

  describe('GET /v1/directory/people?q=', () => {
    type People = { items: { id: string; name: string | null }[]; nextCursor: string | null };
    const search = (q: string, extra = '') =>
      api.call<People & ErrorAnswer>(
        'GET',
        `/v1/directory/people?q=${encodeURIComponent(q)}${extra}`,
        as(IVAN),
      );

    test('when someone types the start of an id or a name word, then the matching people answer by id, at most 20', async () => {
      const rit = await search('Rit');
      expect(rit.status).toBe(200);
      expect(rit.body).toEqual({
        items: [
          expect.objectContaining({ id: RITA, name: 'Rita Sommer' }),
          expect.objectContaining({ id: 'ritva.ahonen@halden.example', name: 'Ritva Ahonen' }),
        ],
        nextCursor: null,
      });
      expect((await search('meyer')).body.items.map((p) => p.id)).toEqual([ALICE]);
      expect((await search('groß')).body.items.map((p) => p.id)).toEqual(['jurgen.gross@halden.example']);
      const many = await search('a');
      expect(many.body.items.length).toBeLessThanOrEqual(20);
      expect(many.body.items.map((p) => p.id)).toEqual(many.body.items.map((p) => p.id).sort());
      expect((await search('a', '&limit=2')).body.items).toEqual(many.body.items.slice(0, 2));
    });

    test('when the search is empty or comes with a cursor, then 422 names the parameter', async () => {
      const empty = await search('  ');
      const withCursor = await search('rit', '&cursor=WyJ4Il0');

      expect([empty.status, empty.body.error.problems?.map((p) => p.path)]).toEqual([422, ['query.q']]);
      expect([withCursor.status, withCursor.body.error.problems?.map((p) => p.path)]).toEqual([
        422,
        ['query.cursor'],
      ]);
    });
  });

  describe('POST /v1/tasks/decide', () => {
    const bulk = (person: string, body: unknown) =>
      api.call<{ results: BulkResult[] } & ErrorAnswer>('POST', '/v1/tasks/decide', { ...as(person), body });

    test('when an approver decides several tasks, then each is decided or refused on its own, in the order given', async () => {
      const first = await purchase('mouse', '30 EUR');
      const own = await purchase('headset', '90 EUR', RITA);
      const second = await purchase('webcam', '60 EUR');
      // Standing in for Bob, Rita sees her own request's task; segregation of duties still holds.
      await api.store.directory.addDelegation({
        id: 'bob-to-rita',
        from: BOB,
        to: RITA,
        start: new Date(Date.now() - 1000),
        end: new Date(Date.now() + 24 * 3600 * 1000),
      });

      const answer = await bulk(RITA, {
        tasks: [first.taskId, own.taskId, 'purchase-no-such-instance/review#1', second.taskId],
        decision: 'approve',
      });

      expect(answer.status).toBe(200);
      expect(answer.body.results).toEqual([
        {
          task: first.taskId,
          ok: true,
          status: 'closed',
          instanceId: first.instanceId,
          instanceStatus: 'running',
        },
        {
          task: own.taskId,
          ok: false,
          status: 403,
          error: { code: 'excluded', message: expect.stringContaining(RITA) as unknown },
        },
        {
          task: 'purchase-no-such-instance/review#1',
          ok: false,
          status: 404,
          error: { code: 'not-found', message: 'task purchase-no-such-instance/review#1 was not found' },
        },
        {
          task: second.taskId,
          ok: true,
          status: 'closed',
          instanceId: second.instanceId,
          instanceStatus: 'running',
        },
      ]);
      // The refused attempt is on the ledger exactly as the single route leaves it.
      expect(await api.store.refusals.of(own.instanceId)).toEqual([
        expect.objectContaining({
          chain: refusedChainOf(own.instanceId),
          actor: RITA,
          onBehalfOf: BOB,
          step: 'review',
          outcome: 'excluded',
        }),
      ]);
      for (const { taskId } of [first, second]) {
        const task = await eventually(
          () => api.store.tasks.get(taskId),
          (t) => t?.status === 'closed',
        );
        expect(task?.status).toBe('closed');
      }
      expect((await api.store.tasks.get(own.taskId))?.status).toBe('open');
      await api.store.directory.removeDelegation('bob-to-rita');
    }, 120_000);

    test('when a step needs two approvals, then the first leaves the task open; tasks of two steps are refused whole', async () => {
      const big = await purchase('server', '5,000 EUR');
      const small = await purchase('adapter', '15 EUR');

      const mixed = await bulk(ALICE, { tasks: [big.taskId, small.taskId], decision: 'approve' });
      expect([mixed.status, mixed.body.error.problems?.map((p) => p.path)]).toEqual([422, ['body.tasks']]);
      expect(mixed.body.error.message).toContain('step big_review');
      expect((await api.store.tasks.get(small.taskId))?.status).toBe('open');

      const once = await bulk(ALICE, { tasks: [big.taskId], decision: 'approve' });
      expect(once.body.results).toEqual([
        { task: big.taskId, ok: true, status: 'open', instanceId: big.instanceId, instanceStatus: 'running' },
      ]);
      const again = await bulk(ALICE, { tasks: [big.taskId], decision: 'approve' });
      expect(again.body.results).toEqual([
        expect.objectContaining({ task: big.taskId, ok: false, status: 409 }),
      ]);
      const rejected = await bulk(BOB, { tasks: [small.taskId], decision: 'reject', reason: 'not needed' });
      expect(rejected.body.results).toEqual([
        {
          task: small.taskId,
          ok: true,
          status: 'closed',
          instanceId: small.instanceId,
          instanceStatus: 'rejected',
        },
      ]);
    }, 120_000);

    test('when the request is wrong as a whole, then 422 names the field and nothing is decided', async () => {
      const { taskId } = await purchase('pen', '5 EUR');

      const noReason = await bulk(ALICE, { tasks: [taskId], decision: 'reject' });
      const twice = await bulk(ALICE, { tasks: [taskId, taskId], decision: 'approve' });
      const none = await bulk(ALICE, { tasks: [], decision: 'approve' });
      const tooMany = await bulk(ALICE, {
        tasks: Array.from({ length: 101 }, (_, i) => `t${i}`),
        decision: 'approve',
      });
      const changes = await bulk(ALICE, { tasks: [taskId], decision: 'requestChanges' });

      expect([
        noReason.status,
        noReason.body.error.code,
        noReason.body.error.problems?.map((p) => p.path),
      ]).toEqual([422, 'reason-required', ['body.reason']]);
      expect(twice.body.error.problems?.map((p) => p.path)).toEqual(['body.tasks.1']);
      expect(none.body.error.problems?.map((p) => p.path)).toEqual(['body.tasks']);
      expect(tooMany.body.error.problems?.map((p) => p.path)).toEqual(['body.tasks']);
      expect(changes.body.error.problems?.map((p) => p.path)).toEqual(['body.decision']);
      expect((await api.store.tasks.get(taskId))?.status).toBe('open');
      expect(await api.store.refusals.of(taskId.split('/')[0] ?? '')).toEqual([]);
    }, 60_000);

    test("when someone else's task is in the list, then it answers 404 like an unknown one; an auditor may not decide", async () => {
      const { taskId } = await purchase('lamp', '25 EUR');

      const stranger = await bulk(CAROL, { tasks: [taskId], decision: 'approve' });
      const auditor = await bulk('auditor', { tasks: [taskId], decision: 'approve' });

      expect(stranger.body.results).toEqual([
        {
          task: taskId,
          ok: false,
          status: 404,
          error: { code: 'not-found', message: `task ${taskId} was not found` },
        },
      ]);
      expect(auditor.status).toBe(403);
      expect((await api.store.tasks.get(taskId))?.status).toBe('open');
    }, 60_000);
  });
});
