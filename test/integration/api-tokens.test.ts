// /v1/tokens over real HTTP with a real store: an admin issues to known people with any roles,
// others only to themselves with roles they hold; the text is shown once and never replayed;
// lists show ids and states, never hashes; revoking ends access at once; and every issue, revoke
// and directory edit is one event on the ledger's admin chain, in order, with its sentence.
import { ADMIN_CHAIN } from '../../store/index.js';
import { type ApiHarness, startApiHarness } from '../support/api.js';
import { databaseNameFor } from '../support/services.js';

const ADMIN = 'it-lead@halden.example';
const PAT = 'pat@halden.example';
const RITA = 'rita@halden.example';

interface TokenAnswer {
  id: string;
  person: string;
  roles: string[];
  status: string;
  expiresAt: string | null;
  token: string;
}

let api: ApiHarness;
let admin: string;

beforeAll(async () => {
  api = await startApiHarness(import.meta.url, { worker: false });
  admin = await api.tokenFor(ADMIN, ['admin']);
  for (const id of [PAT, RITA]) {
    await api.call('PUT', `/v1/directory/people/${id}`, {
      token: admin,
      body: { name: id.split('@')[0], manager: null },
    });
  }
});

afterAll(async () => {
  await api.close();
});

const adminEvents = async () =>
  (await api.store.audit.query({ instanceId: ADMIN_CHAIN }, { limit: 500 })).events;

describe('issuing', () => {
  test('when an admin issues a token to a known person, then it works at once, once shown, and expires in 90 days', async () => {
    const issued = await api.call<TokenAnswer>('POST', '/v1/tokens', {
      token: admin,
      body: { person: PAT, roles: ['approver', 'auditor'], label: 'laptop CLI' },
    });

    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ person: PAT, roles: ['approver', 'auditor'], status: 'live' });
    expect(issued.body.token).toMatch(/^chr_[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse(issued.body.expiresAt!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const me = await api.call('GET', '/v1/me', { token: issued.body.token });
    expect(me.body).toEqual({ person: PAT, roles: ['approver', 'auditor'] });
    const read = await api.call<Record<string, unknown>>('GET', `/v1/tokens/${issued.body.id}`, {
      token: admin,
    });
    expect(read.body).not.toHaveProperty('token');
    expect(JSON.stringify(read.body)).not.toContain(issued.body.token);
  });

  test('when an admin issues to someone not in the directory, then 422 at body.person and nothing is stored', async () => {
    const before = await api.call<{ items: unknown[] }>('GET', '/v1/tokens', { token: admin });

    const answer = await api.call<{ error: { problems: { path: string }[] } }>('POST', '/v1/tokens', {
      token: admin,
      body: { person: 'nobody@halden.example', roles: ['admin'], label: 'x' },
    });

    expect(answer.status).toBe(422);
    expect(answer.body.error.problems.map((d) => d.path)).toEqual(['body.person']);
    const after = await api.call<{ items: unknown[] }>('GET', '/v1/tokens', { token: admin });
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  test('when a person issues tokens, then only to themselves, only with roles they hold, and never without expiry', async () => {
    const rita = await api.tokenFor(RITA, ['requester']);

    const own = await api.call<TokenAnswer>('POST', '/v1/tokens', {
      token: rita,
      body: { roles: ['requester'], label: 'ci', expiresInDays: 7 },
    });
    const more = await api.call<{ error: { problems: { path: string }[] } }>('POST', '/v1/tokens', {
      token: rita,
      body: { roles: ['requester', 'admin'], label: 'x', expiresInDays: null },
    });
    const other = await api.call('POST', '/v1/tokens', {
      token: rita,
      body: { person: PAT, roles: ['requester'], label: 'x' },
    });

    expect(own.status).toBe(201);
    expect(own.body.person).toBe(RITA);
    expect(more.status).toBe(422);
    expect(more.body.error.problems.map((d) => d.path)).toEqual(['body.roles.1', 'body.expiresInDays']);
    expect(other.status).toBe(403);
  });

  test('when POST /v1/tokens carries an Idempotency-Key, then it is refused: the token is never kept for a replay', async () => {
    const answer = await api.call<{ error: { problems: { path: string }[] } }>('POST', '/v1/tokens', {
      token: admin,
      body: { person: PAT, roles: ['auditor'], label: 'x' },
      headers: { 'idempotency-key': 'k-1' },
    });

    expect(answer.status).toBe(422);
    expect(answer.body.error.problems[0]!.path).toBe('headers.idempotency-key');
    const stored = await api.mongo
      .db(databaseNameFor(import.meta.url))
      .collection('idempotency')
      .countDocuments();
    expect(stored).toBe(0);
  });
});

describe('listing and revoking', () => {
  test("when a person lists tokens, then they see their own only; another person's token is not found for them", async () => {
    const pat = (
      await api.call<TokenAnswer>('POST', '/v1/tokens', {
        token: admin,
        body: { person: PAT, roles: ['approver'], label: 'pat' },
      })
    ).body;
    const rita = await api.tokenFor(RITA, ['requester']);

    const list = await api.call<{ items: { person: string }[] }>('GET', '/v1/tokens', { token: rita });
    const theirs = await api.call('GET', `/v1/tokens?person=${encodeURIComponent(PAT)}`, { token: rita });
    const read = await api.call('GET', `/v1/tokens/${pat.id}`, { token: rita });
    const revoke = await api.call('DELETE', `/v1/tokens/${pat.id}`, { token: rita });

    expect(list.body.items.length).toBeGreaterThan(0);
    expect(new Set(list.body.items.map((t) => t.person))).toEqual(new Set([RITA]));
    expect(theirs.status).toBe(403);
    expect(read.status).toBe(404);
    expect(revoke.status).toBe(404);
    expect((await api.call('GET', '/v1/me', { token: pat.token })).status).toBe(200);
  });

  test('when a person revokes their own token twice, then it stops working at once and the second changes nothing', async () => {
    const pat = (
      await api.call<TokenAnswer>('POST', '/v1/tokens', {
        token: admin,
        body: { person: PAT, roles: ['approver'], label: 'phone' },
      })
    ).body;

    const first = await api.call<{ status: string; revokedBy: string }>('DELETE', `/v1/tokens/${pat.id}`, {
      token: pat.token,
    });
    const me = await api.call<{ error: { message: string } }>('GET', '/v1/me', { token: pat.token });
    const second = await api.call<{ revokedBy: string }>('DELETE', `/v1/tokens/${pat.id}`, { token: admin });

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'revoked', revokedBy: PAT });
    expect(me.status).toBe(401);
    expect(me.body.error.message).toMatch(/revoked/);
    expect(second.body.revokedBy).toBe(PAT);
    const revocations = (await adminEvents()).filter(
      (e) => e.fact?.kind === 'tokenRevoked' && e.text.includes(pat.id),
    );
    expect(revocations).toHaveLength(1);
    expect(revocations[0]!.text).toBe(`${PAT} revoked token ${pat.id} ("phone") of ${PAT}`);
  });

  test('when a token has expired, then it is refused and listed as expired', async () => {
    const { issueTokenFor } = await import('../../api/auth.js');
    const past = new Date(Date.now() - 1000);
    const { text, id } = await issueTokenFor(api.store, {
      person: PAT,
      roles: ['auditor'],
      label: 'old',
      at: new Date(past.getTime() - 86_400_000),
      expiresAt: past,
    });

    expect((await api.call('GET', '/v1/me', { token: text })).status).toBe(401);
    const read = await api.call<{ status: string }>('GET', `/v1/tokens/${id}`, { token: admin });
    expect(read.body.status).toBe('expired');
  });
});

describe('the admin chain', () => {
  test('when an admin creates and edits people and a group, then each real change is one event with what changed', async () => {
    const lead = 'lee@halden.example';
    await api.call('PUT', `/v1/directory/people/${lead}`, {
      token: admin,
      body: { name: 'Lee', manager: null },
    });
    await api.call('PUT', `/v1/directory/people/${lead}`, {
      token: admin,
      body: { name: 'Lee', manager: PAT },
    });
    await api.call('PUT', `/v1/directory/people/${lead}`, {
      token: admin,
      body: { name: 'Lee', manager: PAT },
    });
    await api.call('PUT', '/v1/directory/groups/cab', { token: admin, body: { members: [PAT, RITA] } });
    await api.call('PUT', '/v1/directory/groups/cab', { token: admin, body: { members: [PAT, lead] } });

    const texts = (await adminEvents()).filter((e) => e.fact?.kind === 'directoryChanged').map((e) => e.text);

    expect(texts).toEqual([
      `${ADMIN} added person ${PAT} to the directory`,
      `${ADMIN} added person ${RITA} to the directory`,
      `${ADMIN} added person ${lead} to the directory`,
      `${ADMIN} changed person ${lead}: manager from (none) to ${PAT}`,
      `${ADMIN} added group cab to the directory`,
      `${ADMIN} changed group cab: members added: ${lead}; members removed: ${RITA}`,
    ]);
  });

  test('when the chain is verified, then every admin event links and hashes, in seq order', async () => {
    const events = await adminEvents();
    const report = await api.store.audit.verify({ chain: ADMIN_CHAIN });

    expect(report.ok).toBe(true);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.every((e) => e.chain === ADMIN_CHAIN)).toBe(true);
  });
});
