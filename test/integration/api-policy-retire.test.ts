// Retiring policies over real HTTP with the real store, Temporal and a Charter worker: who may
// retire (pmo and admin), unknown names and versions (404), a missing or overlong reason (422 at
// `body.reason`), retiring again (unchanged), what the list and the version read show, a request
// refused under a retired policy with who, when and why at `body.policy`, the version before a
// retired one in force again, the ledger event the auditors find, and an instance started before
// the retirement that still runs to its end.
import { startApiHarness, type ApiHarness } from '../support/api.js';

const NAME = 'Retire purchase';
const version = (n: number) => `policy "${NAME}" version ${n} effective 2026-01-01
owner "pmo@halden.example"
role approvers = group "retire-approvers"

process purchase {
  input {
    requester: person
    item: text
  }
  approve review {
    by approvers
    any
    within 5 days
  }
  end approved "{request.item} approved (v${n})"
}
`;
const OTHER = 'Retire other';
const other = `policy "${OTHER}" version 1 effective 2026-01-01
process note {
  input {
    item: text
  }
  end approved "{request.item} noted"
}
`;

const PETRA = 'petra.holm@halden.example';
const RITA = 'rita.sommer@halden.example';
const ALICE = 'alice.meyer@halden.example';

interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string; message: string }[] };
}
interface RetireAnswer {
  status: 'retired' | 'unchanged';
  retirement: { name: string; version: number | null; reason: string; by: string; at: string };
}
interface Listed {
  name: string;
  version: number;
  retired: { at: string; by: string; reason: string; wholePolicy: boolean } | null;
}

/** What `read` gives once `done` holds (the workflow runs on its own time). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in 30 s (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('retiring policies over HTTP', () => {
  let api: ApiHarness;
  const token: Record<'pmo' | 'admin' | 'requester' | 'author' | 'auditor' | 'approver', string> = {
    pmo: '',
    admin: '',
    requester: '',
    author: '',
    auditor: '',
    approver: '',
  };
  const retire = (path: string, body: unknown, as: string = token.pmo) =>
    api.call<RetireAnswer & ErrorAnswer>('POST', `/v1/policies/${encodeURIComponent(NAME)}${path}`, {
      token: as,
      body,
    });
  const start = (policy: string, process = 'purchase') =>
    api.call<{ instanceId: string; policy: { version: number } } & ErrorAnswer>('POST', '/v1/instances', {
      token: token.requester,
      body: {
        policy,
        process,
        input: process === 'purchase' ? { requester: RITA, item: 'a laptop stand' } : { item: 'x' },
      },
    });
  const listed = async (): Promise<Listed[]> =>
    (await api.call<{ items: Listed[] }>('GET', '/v1/policies?limit=500', { token: token.requester })).body
      .items;

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url);
    await api.store.directory.seedFromWorld({
      groups: { 'retire-approvers': [ALICE] },
      managers: {},
      people: [RITA, PETRA],
    });
    token.pmo = await api.tokenFor(PETRA, ['pmo']);
    token.admin = await api.tokenFor('dana.keller@halden.example', ['admin']);
    token.requester = await api.tokenFor(RITA, ['requester']);
    token.author = await api.tokenFor('tomas.berg@halden.example', ['author']);
    token.auditor = await api.tokenFor('simon.frey@halden.example', ['auditor']);
    token.approver = await api.tokenFor(ALICE, ['approver']);
    await api.publish(version(1), 'retire-v1.charter');
    await api.publish(version(2), 'retire-v2.charter');
    await api.publish(other, 'other.charter');
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  test('when a requester, an author, an auditor or an approver retires, then 403', async () => {
    for (const role of ['requester', 'author', 'auditor', 'approver'] as const) {
      const answer = await retire('/versions/1/retire', { reason: 'not theirs to retire' }, token[role]);
      expect([role, answer.status, answer.body.error.code]).toEqual([role, 403, 'forbidden']);
    }
    expect((await listed()).every((p) => p.retired === null)).toBe(true);
  });

  test('when the name or the version is unknown, then 404', async () => {
    const noVersion = await retire('/versions/7/retire', { reason: 'typo' });
    const noPolicy = await api.call<ErrorAnswer>('POST', '/v1/policies/No%20such%20policy/retire', {
      token: token.pmo,
      body: { reason: 'typo' },
    });
    const noPolicyVersion = await api.call<ErrorAnswer>(
      'POST',
      '/v1/policies/No%20such%20policy/versions/1/retire',
      { token: token.admin, body: { reason: 'typo' } },
    );

    expect([noVersion.status, noVersion.body.error.message]).toEqual([
      404,
      `policy "${NAME}" version 7 was not found`,
    ]);
    expect([noPolicy.status, noPolicy.body.error.message]).toEqual([
      404,
      'policy "No such policy" was not found',
    ]);
    expect(noPolicyVersion.status).toBe(404);
  });

  test('when the reason is missing, blank or too long, then 422 at body.reason and nothing is retired', async () => {
    const paths = async (body: unknown) => {
      const answer = await retire('/versions/2/retire', body);
      return [answer.status, answer.body.error.problems?.map((p) => p.path)];
    };

    expect(await paths({})).toEqual([422, ['body.reason']]);
    expect(await paths({ reason: '   ' })).toEqual([422, ['body.reason']]);
    expect(await paths({ reason: 'x'.repeat(501) })).toEqual([422, ['body.reason']]);
    expect(await paths({ reason: 'ok', version: 2 })).toEqual([422, ['body']]);
    const tooLong = await retire('/versions/2/retire', { reason: 'x'.repeat(501) });
    expect(tooLong.body.error.problems?.[0]?.message).toBe('at most 500 characters');
    expect(await api.store.policyRetirements.of(NAME)).toEqual([]);
  });

  test('when v2 is retired, then new requests start under v1, the list and the read show it, and retiring again is unchanged', async () => {
    expect((await start(NAME)).body.policy.version).toBe(2);

    const first = await retire('/versions/2/retire', { reason: 'the v2 approver group is wrong' });
    const again = await retire('/versions/2/retire', { reason: 'said twice' }, token.admin);

    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      status: 'retired',
      retirement: {
        name: NAME,
        version: 2,
        reason: 'the v2 approver group is wrong',
        by: PETRA,
        at: expect.any(String) as string,
      },
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, status: 'unchanged' });
    const started = await start(NAME);
    expect([started.status, started.body.policy.version]).toEqual([201, 1]);
    const retired = {
      at: first.body.retirement.at,
      by: PETRA,
      reason: 'the v2 approver group is wrong',
      wholePolicy: false,
    };
    expect((await listed()).filter((p) => p.name === NAME)).toEqual([
      expect.objectContaining({ version: 2, retired }),
      expect.objectContaining({ version: 1, retired: null }),
    ]);
    const read = await api.call<Listed>('GET', `/v1/policies/${encodeURIComponent(NAME)}/versions/2`, {
      token: token.requester,
    });
    expect(read.body.retired).toEqual(retired);
  });

  test('when the whole policy is retired, then a new request is refused with who, when and why, and a running one finishes', async () => {
    const running = await start(NAME);
    expect(running.status).toBe(201);
    const task = await eventually(
      async () =>
        (
          await api.call<{ items: { id: string; instanceId: string }[] }>('GET', '/v1/tasks/inbox', {
            token: token.approver,
          })
        ).body.items.find((t) => t.instanceId === running.body.instanceId),
      (found) => found !== undefined,
    );

    const whole = await retire('/retire', { reason: `replaced by ${OTHER}` });
    expect([whole.status, whole.body.status, whole.body.retirement.version]).toEqual([200, 'retired', null]);
    const day = whole.body.retirement.at.slice(0, 10);

    const refused = await start(NAME);
    const sentence = `policy "${NAME}" was retired on ${day} by ${PETRA}: replaced by ${OTHER}`;
    expect(refused.status).toBe(409);
    expect(refused.body.error).toEqual({
      code: 'policy-retired',
      message: sentence,
      problems: [{ path: 'body.policy', message: sentence }],
      requestId: expect.any(String) as string,
    });
    // Every version shows the policy's retirement but v2, which keeps its own earlier one.
    const versions = (await listed()).filter((p) => p.name === NAME);
    expect(versions.map((p) => [p.version, p.retired?.reason, p.retired?.wholePolicy])).toEqual([
      [2, 'the v2 approver group is wrong', false],
      [1, `replaced by ${OTHER}`, true],
    ]);
    expect((await listed()).find((p) => p.name === OTHER)?.retired).toBeNull();
    expect((await start(OTHER, 'note')).status).toBe(201);

    // The instance started before the retirement runs on to its end under its own version.
    const decided = await api.call('POST', `/v1/tasks/${encodeURIComponent(task?.id ?? '')}/decide`, {
      token: token.approver,
      body: { decision: 'approve' },
    });
    expect(decided.status).toBe(200);
    const ended = await eventually(
      async () =>
        (
          await api.call<{ status: string; policy: { version: number } }>(
            'GET',
            `/v1/instances/${encodeURIComponent(running.body.instanceId)}`,
            { token: token.requester },
          )
        ).body,
      (view) => view.status === 'approved',
    );
    expect(ended.policy.version).toBe(1);
  }, 90_000);

  test('when an auditor searches the ledger for retirements, then each is there with its fact, and the chain verifies', async () => {
    const events = await api.call<{
      items: {
        chain: string;
        actor: string;
        type: string;
        fact?: { kind: string; version: number | null };
      }[];
    }>('GET', `/v1/audit/events?policy=${encodeURIComponent(NAME)}&fact=policyRetired`, {
      token: token.auditor,
    });

    expect(events.status).toBe(200);
    expect(events.body.items.map((e) => [e.chain, e.type, e.actor, e.fact])).toEqual([
      [`policy:${NAME}`, 'retired', PETRA, expect.objectContaining({ kind: 'policyRetired', version: 2 })],
      [`policy:${NAME}`, 'retired', PETRA, expect.objectContaining({ kind: 'policyRetired', version: null })],
    ]);
    expect(await api.store.audit.verify({ chain: `policy:${NAME}` })).toEqual({
      ok: true,
      chains: 1,
      events: 2,
    });
  });
});
