// The approvers' task routes over real HTTP, with the real store, the Temporal dev server and a
// Charter worker: a published policy with a segregation-of-duties rule opens tasks in inboxes;
// approvers decide, are refused (and the refusal lands on its own verified audit chain), delegate
// and comment with @mentions, and nobody sees or touches a task that is not theirs.
import { compileEntry, memoryHost } from '../../dsl/index.js';
import { refusedChainOf } from '../../store/index.js';
import { startInstance } from '../../workflows/client.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';

const POLICY_NAME = 'Task API purchase';
const POLICY = `policy "${POLICY_NAME}" version 1 effective 2026-01-01
owner "pmo@halden.example"
role approvers = group "task-approvers"

process purchase {
  input {
    requester: person
    item: text
  }
  approve review {
    by approvers
    any
    any reject rejects
    not request.requester
    within 5 days
    allow delegation
  }
  end approved "{request.item} approved"
}
`;

const ALICE = 'alice.meyer@halden.example';
const BOB = 'bob.schulz@halden.example';
const CAROL = 'carol.nguyen@halden.example';
const DAVID = 'david.okafor@halden.example';
const ERIN = 'erin.walsh@halden.example';
const RITA = 'rita.sommer@halden.example';
const SIMON = 'simon.frey@halden.example';

interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string; message: string }[] };
}
interface TaskItem {
  id: string;
  instanceId: string;
  step: string;
  kind: string;
  title: string;
  status: string;
  dueAt: string | null;
  onBehalfOf: string | null;
  policy: { name: string };
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Comment {
  id: string;
  author: string;
  text: string;
  mentions: string[];
}

const DAY_MS = 24 * 3600 * 1000;

/** What `read` gives once `done` holds: activities write the ledger and close tasks after an Update. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the task routes of approvers', () => {
  let api: ApiHarness;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url);
    await api.store.directory.seedFromWorld({
      groups: { 'task-approvers': [ALICE, BOB, CAROL] },
      managers: {},
      people: [DAVID, ERIN, RITA, SIMON],
    });
    const out = compileEntry('purchase.charter', memoryHost({ 'purchase.charter': POLICY }));
    if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
    await api.store.policies.publish({
      compiled: out.compiled,
      sources: [{ path: 'purchase.charter', text: POLICY }],
      publishedBy: 'pmo@halden.example',
      at: new Date(),
    });
    for (const person of [ALICE, BOB, CAROL, DAVID, ERIN])
      tokens[person] = await api.tokenFor(person, ['approver']);
    tokens[RITA] = await api.tokenFor(RITA, ['requester', 'approver']);
    tokens[SIMON] = await api.tokenFor(SIMON, ['auditor']);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  const path = (taskId: string, suffix = ''): string => `/v1/tasks/${encodeURIComponent(taskId)}${suffix}`;
  const as = (person: string) => ({ token: tokens[person] ?? null });

  /** Starts a request by Rita and waits until its review task is in Alice's inbox. */
  async function requestPurchase(item: string): Promise<{ instanceId: string; taskId: string }> {
    const { instanceId } = await startInstance(
      { client: api.deps.temporal, store: api.store, taskQueue: api.taskQueue },
      {
        policy: POLICY_NAME,
        process: 'purchase',
        input: { requester: RITA, item },
        startedBy: RITA,
        at: new Date(),
      },
    );
    const deadline = Date.now() + 20_000;
    for (;;) {
      const inbox = await api.call<Page<TaskItem>>('GET', '/v1/tasks/inbox?limit=500', as(ALICE));
      const task = inbox.body.items.find((t) => t.instanceId === instanceId);
      if (task) return { instanceId, taskId: task.id };
      if (Date.now() > deadline) throw new Error(`no task for ${instanceId} in time`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  test('the inbox lists the open task with its details; the assignee approves and the instance ends', async () => {
    const { instanceId, taskId } = await requestPurchase('laptop');
    const inbox = await api.call<Page<TaskItem>>('GET', '/v1/tasks/inbox', as(ALICE));
    expect(inbox.status).toBe(200);
    const item = inbox.body.items.find((t) => t.id === taskId);
    expect(item).toMatchObject({
      instanceId,
      step: 'review',
      kind: 'approval',
      status: 'open',
      onBehalfOf: null,
    });
    expect(item?.policy.name).toBe(POLICY_NAME);
    expect(Date.parse(item?.dueAt ?? '')).toBeGreaterThan(Date.now());

    const one = await api.call<TaskItem>('GET', path(taskId), as(ALICE));
    expect(one.status).toBe(200);
    expect(one.body.id).toBe(taskId);
    expect((await api.call('GET', path(taskId), as(SIMON))).status).toBe(200);

    const decided = await api.call<{ status: string; message: string | null }>(
      'POST',
      path(taskId, '/decide'),
      {
        ...as(ALICE),
        body: { decision: 'approve' },
      },
    );
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'approved', message: 'laptop approved' });
    const actions = async () =>
      (await api.store.audit.query({ instanceId, type: 'action' }, { limit: 100 })).events;
    expect(await eventually(actions, (e) => e.length > 0)).toEqual([
      expect.objectContaining({ actor: ALICE, onBehalfOf: null, step: 'review' }),
    ]);
    await eventually(
      () => api.store.tasks.get(taskId),
      (t) => t?.status === 'closed',
    );

    // Deciding again is refused by the API (the task is closed), and recorded like any refusal.
    const again = await api.call<ErrorAnswer>('POST', path(taskId, '/decide'), {
      ...as(ALICE),
      body: { decision: 'approve' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('task-closed');
    expect((await api.store.refusals.of(instanceId)).map((e) => e.outcome)).toEqual(['task-closed']);
  }, 60_000);

  test('the requester standing in for an approver is refused (excluded), on a verified refused chain', async () => {
    const { instanceId, taskId } = await requestPurchase('monitor');
    await api.store.directory.addDelegation({
      id: 'carol-to-rita',
      from: CAROL,
      to: RITA,
      start: new Date(Date.now() - 1000),
      end: new Date(Date.now() + DAY_MS),
    });
    const refused = await api.call<ErrorAnswer>('POST', path(taskId, '/decide'), {
      ...as(RITA),
      body: { decision: 'approve', onBehalfOf: CAROL },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('excluded');
    expect(refused.body.error.message).toContain(RITA);

    // Concurrent refused attempts still make one contiguous chain.
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        api.call<ErrorAnswer>('POST', path(taskId, '/decide'), {
          ...as(RITA),
          body: { decision: 'approve' },
        }),
      ),
    );
    expect(answers.map((a) => a.body.error.code)).toEqual(['excluded', 'excluded', 'excluded']);
    const chain = await api.store.refusals.of(instanceId);
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(chain[0]).toMatchObject({
      type: 'refused',
      chain: refusedChainOf(instanceId),
      actor: RITA,
      onBehalfOf: CAROL,
      step: 'review',
      outcome: 'excluded',
    });
    expect(chain[0]?.text).toMatch(/excluded by segregation of duties/);
    expect(await api.store.audit.verify({ chain: refusedChainOf(instanceId) })).toMatchObject({
      ok: true,
      events: 4,
    });
    // The workflow's own chain is untouched by the API and still verifies.
    expect((await api.store.audit.verify({ chain: instanceId })).ok).toBe(true);
    await api.store.directory.removeDelegation('carol-to-rita');
  }, 60_000);

  test('bad input is a 4xx with field paths and changes nothing', async () => {
    const { instanceId, taskId } = await requestPurchase('desk');
    const call = (body: unknown) =>
      api.call<ErrorAnswer>('POST', path(taskId, '/decide'), { ...as(BOB), body });

    for (const reason of [undefined, '   ']) {
      const noReason = await call({ decision: 'reject', ...(reason === undefined ? {} : { reason }) });
      expect(noReason.status).toBe(422);
      expect(noReason.body.error.code).toBe('reason-required');
      expect(noReason.body.error.problems?.map((p) => p.path)).toEqual(['body.reason']);
    }
    const wrong = await call({ decision: 'maybe', reason: 7, extra: true });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.problems?.map((p) => p.path).sort()).toEqual([
      'body',
      'body.decision',
      'body.reason',
    ]);
    const huge = await call({ decision: 'reject', reason: 'x'.repeat(5000) });
    expect(huge.status).toBe(422);
    expect(huge.body.error.problems?.map((p) => p.path)).toEqual(['body.reason']);
    const malformed = await api.call<ErrorAnswer>('POST', path(taskId, '/decide'), {
      ...as(BOB),
      rawBody: '{"decision":',
    });
    expect(malformed.status).toBe(400);
    const notDelegated = await call({ decision: 'approve', onBehalfOf: CAROL });
    expect(notDelegated.status).toBe(403);
    expect(notDelegated.body.error.code).toBe('not-delegated');
    const badLimit = await api.call<ErrorAnswer>('GET', '/v1/tasks/inbox?limit=9999', as(BOB));
    expect(badLimit.body.error.problems?.map((p) => p.path)).toEqual(['query.limit']);
    const badCursor = await api.call<ErrorAnswer>('GET', '/v1/tasks/inbox?cursor=bm9wZQ', as(BOB));
    expect(badCursor.status).toBe(422);
    expect(badCursor.body.error.problems?.map((p) => p.path)).toEqual(['query.cursor']);

    expect(await api.store.refusals.of(instanceId)).toEqual([]);
    expect((await api.store.tasks.get(taskId))?.status).toBe('open');
    const rejected = await call({ decision: 'reject', reason: 'we have enough desks' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected' });
  }, 60_000);

  test("someone else's task is a 404 like a task that does not exist; an auditor reads but cannot act", async () => {
    const { taskId } = await requestPurchase('chair');
    const missing = await api.call<ErrorAnswer>('GET', path(`${taskId}-nope`), as(DAVID));
    expect(missing.status).toBe(404);
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['POST', '/decide', { decision: 'approve' }],
      ['GET', '/comments', undefined],
      ['POST', '/comments', { text: 'hello' }],
      ['POST', '/delegate', { to: ERIN, until: new Date(Date.now() + DAY_MS).toISOString() }],
    ] as const) {
      const answer = await api.call<ErrorAnswer>(method, path(taskId, suffix), { ...as(DAVID), body });
      expect([method, suffix, answer.status, answer.body.error.code]).toEqual([
        method,
        suffix,
        404,
        'not-found',
      ]);
    }
    expect((await api.call<Page<TaskItem>>('GET', '/v1/tasks/inbox', as(DAVID))).body.items).toEqual([]);

    const auditorDecides = await api.call<ErrorAnswer>('POST', path(taskId, '/decide'), {
      ...as(SIMON),
      body: { decision: 'approve' },
    });
    expect(auditorDecides.status).toBe(403);
    expect((await api.call('GET', '/v1/tasks/inbox', as(SIMON))).status).toBe(403);
    expect(
      (await api.call('POST', path(taskId, '/comments'), { ...as(SIMON), body: { text: 'hi' } })).status,
    ).toBe(403);
    expect((await api.call('GET', path(taskId, '/comments'), as(SIMON))).status).toBe(200);
    expect((await api.store.tasks.get(taskId))?.status).toBe('open');
  }, 60_000);

  test('a dated delegation lets the delegate see the task and decide on behalf; the ledger says so', async () => {
    const { instanceId, taskId } = await requestPurchase('phone');
    const until = new Date(Date.now() + 3 * DAY_MS).toISOString();
    const invalid = await api.call<ErrorAnswer>('POST', path(taskId, '/delegate'), {
      ...as(BOB),
      body: { to: 'nobody@halden.example', until: new Date(Date.now() + 100 * DAY_MS).toISOString() },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.problems?.map((p) => p.path)).toEqual(['body.to', 'body.until']);
    const past = await api.call<ErrorAnswer>('POST', path(taskId, '/delegate'), {
      ...as(BOB),
      body: { to: BOB, until: new Date(Date.now() - DAY_MS).toISOString() },
    });
    expect(past.body.error.problems?.map((p) => p.path)).toEqual(['body.to', 'body.until']);

    const delegated = await api.call<{ from: string; to: string; end: string; note: string }>(
      'POST',
      path(taskId, '/delegate'),
      { ...as(BOB), body: { to: DAVID, until, note: 'on leave this week' } },
    );
    expect(delegated.status).toBe(201);
    expect(delegated.body).toMatchObject({ from: BOB, to: DAVID, end: until, note: 'on leave this week' });

    const inbox = await api.call<Page<TaskItem>>('GET', '/v1/tasks/inbox', as(DAVID));
    expect(inbox.body.items.find((t) => t.id === taskId)).toMatchObject({ onBehalfOf: BOB });
    const decided = await api.call<{ status: string }>('POST', path(taskId, '/decide'), {
      ...as(DAVID),
      body: { decision: 'approve' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('approved');
    const actions = async () =>
      (await api.store.audit.query({ instanceId, type: 'action' }, { limit: 100 })).events;
    expect(await eventually(actions, (e) => e.length > 0)).toEqual([
      expect.objectContaining({ actor: DAVID, onBehalfOf: BOB }),
    ]);
    expect((await api.store.audit.verify({ chain: instanceId })).ok).toBe(true);
  }, 60_000);

  test('comments with @mentions notify the people mentioned; unknown people are a 422', async () => {
    const { instanceId, taskId } = await requestPurchase('projector');
    const unknown = await api.call<ErrorAnswer>('POST', path(taskId, '/comments'), {
      ...as(ALICE),
      body: { text: `@${BOB} and @ghost@halden.example, thoughts?` },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.problems?.map((p) => p.path)).toEqual(['body.text']);
    expect(unknown.body.error.problems?.[0]?.message).toContain('ghost@halden.example');
    expect(unknown.body.error.problems?.[0]?.message).not.toContain(BOB);
    expect((await api.call<Page<Comment>>('GET', path(taskId, '/comments'), as(ALICE))).body.items).toEqual(
      [],
    );

    const first = await api.call<Comment>('POST', path(taskId, '/comments'), {
      ...as(ALICE),
      body: { text: `@${BOB} can you check the price? cc @${CAROL}.` },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ author: ALICE, mentions: [BOB, CAROL] });
    for (const person of [BOB, CAROL]) {
      const delivery = await api.store.deliveries.get(`comment:${first.body.id}/${person}/email`);
      expect(delivery).toMatchObject({ recipient: person, status: 'pending' });
      const notice = delivery?.notices[0];
      expect(notice).toMatchObject({ kind: 'mention', instance: { id: instanceId } });
      expect(notice?.cause).toMatchObject({ kind: 'mention', by: ALICE });
      expect(notice?.cause.kind === 'mention' ? notice.cause.excerpt : '').toContain(
        'can you check the price',
      );
    }
    const reply = await api.call<Comment>('POST', path(taskId, '/comments'), {
      ...as(RITA),
      body: { text: `It is the one from the catalogue, @${ALICE}` },
    });
    expect(reply.status).toBe(201);
    expect(await api.store.deliveries.get(`comment:${reply.body.id}/${ALICE}/inapp`)).not.toBeNull();

    const page1 = await api.call<Page<Comment>>('GET', path(taskId, '/comments?limit=1'), as(SIMON));
    expect(page1.body.items.map((c) => c.author)).toEqual([ALICE]);
    expect(page1.body.nextCursor).not.toBeNull();
    const page2 = await api.call<Page<Comment>>(
      'GET',
      path(taskId, `/comments?limit=1&cursor=${page1.body.nextCursor ?? ''}`),
      as(RITA),
    );
    expect(page2.body).toEqual({ items: [expect.objectContaining({ author: RITA })], nextCursor: null });
  }, 60_000);

  test('the inbox pages by due time with an opaque cursor', async () => {
    await requestPurchase('keyboard');
    const all = await api.call<Page<TaskItem>>('GET', '/v1/tasks/inbox?limit=500', as(CAROL));
    expect(all.body.items.length).toBeGreaterThanOrEqual(2);
    const dues = all.body.items.map((t) => Date.parse(t.dueAt ?? ''));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page: Awaited<ReturnType<typeof api.call<Page<TaskItem>>>> = await api.call<Page<TaskItem>>(
        'GET',
        `/v1/tasks/inbox?limit=1${query}`,
        as(CAROL),
      );
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((t) => t.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(all.body.items.map((t) => t.id));
  }, 60_000);
});
