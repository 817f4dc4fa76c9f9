// /v1/directory/people/:id/roles over real HTTP with a real store: admins set the roles granted to a
// person, everyone else reads their own (auditors anyone's); bad roles are named at their index,
// unknown people are 404, an inactive person gets no new role but may lose one. Each change is one
// `rolesChanged` event on the admin chain with its sentence; taking a role away ends the person's
// sessions and revokes their tokens that carry it, each a `tokenRevoked` event; concurrent changes
// each record exactly the roles they replaced. Making someone inactive in the directory ends their
// sessions and revokes all their tokens the same way.
import { ADMIN_CHAIN } from '../../store/index.js';
import { type ApiHarness, startApiHarness } from '../support/api.js';

const ADMIN = 'grants.admin@halden.example';
const PAT = 'grants.pat@halden.example';
const LEE = 'grants.lee@halden.example';
const GONE = 'grants.gone@halden.example';

interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string; message: string }[] };
}
interface Grant {
  person: string;
  roles: string[];
  updatedBy: string | null;
  changed?: boolean;
  sessionsEnded?: number;
  tokensRevoked?: string[];
}

let api: ApiHarness;
let admin: string;

beforeAll(async () => {
  api = await startApiHarness(import.meta.url, { worker: false });
  admin = await api.tokenFor(ADMIN, ['admin']);
  await api.store.directory.seedFromWorld({ groups: {}, managers: {}, people: [PAT, LEE, GONE] });
  await api.call('PUT', `/v1/directory/people/${GONE}`, {
    token: admin,
    body: { name: 'Gone', manager: null, active: false },
  });
});

afterAll(async () => {
  await api?.close();
});

const put = (person: string, roles: unknown, token = admin) =>
  api.call<Grant & ErrorAnswer>('PUT', `/v1/directory/people/${person}/roles`, { token, body: { roles } });

const adminEvents = async (kind: string) =>
  (await api.store.audit.query({ instanceId: ADMIN_CHAIN }, { limit: 500 })).events.filter(
    (e) => e.fact?.kind === kind,
  );

describe('setting roles', () => {
  test('when an admin grants roles, then they read back in a fixed order and the change is one event', async () => {
    const first = await put(PAT, ['pmo', 'approver', 'pmo']);
    const again = await put(PAT, ['approver', 'pmo']);
    const read = await api.call<Grant>('GET', `/v1/directory/people/${PAT}/roles`, { token: admin });

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ roles: ['approver', 'pmo'], changed: true, updatedBy: ADMIN });
    expect(again.body.changed).toBe(false);
    expect(read.body).toMatchObject({ person: PAT, roles: ['approver', 'pmo'], updatedBy: ADMIN });
    const events = (await adminEvents('rolesChanged')).filter((e) => e.text.includes(PAT));
    expect(events.map((e) => e.text)).toEqual([`${ADMIN} granted ${PAT} approver, pmo (now approver, pmo)`]);
  });

  test('when a role is unknown, the person unknown or inactive, or the caller no admin, then the answer says which', async () => {
    const badRole = await put(PAT, ['approver', 'boss']);
    const unknown = await put('nobody@halden.example', ['approver']);
    const inactive = await put(GONE, ['auditor']);
    const notAdmin = await put(PAT, ['admin'], await api.tokenFor(PAT, ['approver', 'pmo']));

    expect(badRole.status).toBe(422);
    expect(badRole.body.error.problems?.map((p) => p.path)).toEqual(['body.roles.1']);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('person nobody@halden.example was not found');
    expect(inactive.status).toBe(422);
    expect(inactive.body.error.problems?.[0]).toEqual({
      path: 'params.id',
      message: `${GONE} is inactive in the directory: reactivate them before granting a role (taking roles away works)`,
    });
    expect(notAdmin.status).toBe(403);
    expect(
      (await api.call<Grant>('GET', `/v1/directory/people/${PAT}/roles`, { token: admin })).body.roles,
    ).toEqual(['approver', 'pmo']);
  });

  test('when people read roles, then their own and (auditors) anyone’s, but not someone else’s', async () => {
    const lee = await api.tokenFor(LEE, ['requester']);
    const auditor = await api.tokenFor('grants.auditor@halden.example', ['auditor']);

    const own = await api.call<Grant>('GET', `/v1/directory/people/${LEE}/roles`, { token: lee });
    const other = await api.call<ErrorAnswer>('GET', `/v1/directory/people/${PAT}/roles`, { token: lee });
    const audited = await api.call<Grant>('GET', `/v1/directory/people/${PAT}/roles`, { token: auditor });

    expect(own.body).toEqual({ person: LEE, roles: [], updatedAt: null, updatedBy: null });
    expect(other.status).toBe(403);
    expect(audited.body.roles).toEqual(['approver', 'pmo']);
  });
});

describe('taking roles away', () => {
  test("when an admin takes pmo away, then Pat's sessions end and the tokens carrying pmo are revoked, each on the ledger", async () => {
    const pmoToken = await api.tokenFor(PAT, ['pmo']);
    const approverToken = await api.tokenFor(PAT, ['approver']);
    const signedIn = await api.call<{ csrfToken: string }>('POST', '/v1/session', {
      body: { token: approverToken },
    });
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

    const taken = await put(PAT, ['approver']);

    expect(taken.body).toMatchObject({ roles: ['approver'], changed: true, sessionsEnded: 1 });
    // The pmo token, and the approver+pmo one of the test before: both carry pmo.
    expect(taken.body.tokensRevoked).toHaveLength(2);
    expect((await api.call('GET', '/v1/me', { token: pmoToken })).status).toBe(401);
    expect((await api.call('GET', '/v1/me', { token: approverToken })).status).toBe(200);
    expect((await api.call('GET', '/v1/session', { headers: { cookie } })).status).toBe(401);
    const revoked = taken.body.tokensRevoked ?? [];
    const revocations = (await adminEvents('tokenRevoked')).filter((e) =>
      revoked.some((id) => e.text.includes(id)),
    );
    expect(revocations.map((e) => e.text)).toEqual(
      revoked.map((id) => `${ADMIN} revoked token ${id} ("test") of ${PAT}: it carried a role taken away`),
    );
    const change = (await adminEvents('rolesChanged')).at(-1);
    expect(change?.text).toBe(
      `${ADMIN} took pmo away from ${PAT} (now approver); ended 1 browser session and revoked tokens ${revoked.join(', ')}`,
    );
  });

  test('when an inactive person loses their roles, then that is allowed', async () => {
    await api.store.roleGrants.set(GONE, ['auditor'], new Date(), 'seed');

    const taken = await put(GONE, []);

    expect(taken.status).toBe(200);
    expect(taken.body.roles).toEqual([]);
  });

  test('when two admins change the same person at once, then each event records the roles it really replaced', async () => {
    const changes = [['author'], ['requester'], ['auditor'], ['author', 'auditor'], ['pmo']];

    const answers = await Promise.all(changes.map((roles) => put(LEE, roles)));

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const events = (await adminEvents('rolesChanged'))
      .filter((e) => e.fact?.kind === 'rolesChanged' && e.fact.person === LEE)
      .map((e) => e.fact as { version: number; from: string[]; to: string[] })
      .sort((a, b) => a.version - b.version);
    // Some saves may find their roles already set by another: fewer changes, never a gap.
    expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]?.from).toEqual([]);
    for (let i = 1; i < events.length; i++) expect(events[i]?.from).toEqual(events[i - 1]?.to);
    const final = await api.call<Grant>('GET', `/v1/directory/people/${LEE}/roles`, { token: admin });
    expect(final.body.roles).toEqual(events.at(-1)?.to);
  });
});

describe('making someone inactive', () => {
  test('when an admin makes Kim inactive, then her sessions end and every live token of hers is revoked, each on the ledger', async () => {
    const KIM = 'grants.kim@halden.example';
    await api.call('PUT', `/v1/directory/people/${KIM}`, {
      token: admin,
      body: { name: 'Kim', manager: null },
    });
    const approverToken = await api.tokenFor(KIM, ['approver']);
    const auditorToken = await api.tokenFor(KIM, ['auditor']);
    const signedIn = await api.call('POST', '/v1/session', { body: { token: approverToken } });
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await api.call('GET', '/v1/session', { headers: { cookie } })).status).toBe(200);

    const made = await api.call('PUT', `/v1/directory/people/${KIM}`, {
      token: admin,
      body: { name: 'Kim', manager: null, active: false },
    });
    // Sent again (a retry): nothing more to end, nothing more on the ledger.
    const again = await api.call('PUT', `/v1/directory/people/${KIM}`, {
      token: admin,
      body: { name: 'Kim', manager: null, active: false },
    });

    expect([made.status, again.status]).toEqual([200, 200]);
    expect((await api.call('GET', '/v1/me', { token: approverToken })).status).toBe(401);
    expect((await api.call('GET', '/v1/me', { token: auditorToken })).status).toBe(401);
    expect((await api.call('GET', '/v1/session', { headers: { cookie } })).status).toBe(401);
    const revocations = (await adminEvents('tokenRevoked')).filter((e) => e.text.includes(`of ${KIM}`));
    expect(revocations).toHaveLength(2);
    for (const e of revocations) expect(e.text).toMatch(/: its person was made inactive$/);
    const ids = revocations.map((e) => (e.fact as { token: string }).token);
    const edits = (await adminEvents('directoryChanged')).filter((e) => e.text.includes(`person ${KIM}:`));
    expect(edits.map((e) => e.text)).toEqual([
      `${ADMIN} changed person ${KIM}: active from true to false; ended 1 browser session and revoked tokens ${ids.join(', ')}`,
    ]);

    // Back to active: what was revoked stays revoked; she is given new tokens.
    await api.call('PUT', `/v1/directory/people/${KIM}`, {
      token: admin,
      body: { name: 'Kim', manager: null, active: true },
    });
    expect((await api.call('GET', '/v1/me', { token: approverToken })).status).toBe(401);
  });
});
