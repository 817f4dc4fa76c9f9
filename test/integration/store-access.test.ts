// API tokens and idempotency records against a real MongoDB server: a token is found by its hash
// until revoked or expired, named by its id in lists and revocations; of two requests claiming one Idempotency-Key at once exactly one runs, and the
// answer it keeps is the one every retry gets.
import { accessCollections, IdempotencyRecords } from '../../store/access.js';
import { ApiTokens, tokenCollections } from '../../store/tokens.js';
import { recordCommands } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const at = new Date('2027-03-01T10:00:00Z');
const hash = (c: string): string => c.repeat(64);

describe('access store', () => {
  const { client, db } = useStoreDatabase(import.meta.url, [...accessCollections, ...tokenCollections]);
  let tokens: ApiTokens;
  let records: IdempotencyRecords;

  beforeAll(() => {
    tokens = new ApiTokens(db());
    records = new IdempotencyRecords(db());
  });

  test('when a token is added twice and then revoked, then it is found once and then no more', async () => {
    const token = {
      hash: hash('a'),
      person: 'rita@halden.example',
      roles: ['requester' as const],
      label: 'cli',
      createdAt: at,
    };
    await tokens.add(token);
    await tokens.add({ ...token, label: 'retried seed' });

    expect(await tokens.find(hash('a'), at)).toEqual({
      ...token,
      createdBy: null,
      expiresAt: null,
      revokedAt: null,
      revokedBy: null,
    });
    await tokens.revokeHash(hash('a'), at);
    expect(await tokens.find(hash('a'), at)).toBeNull();
  });

  test('when a token expires, then it is refused from that instant on and no longer counts as a live admin', async () => {
    const expiresAt = new Date(at.getTime() + 3_600_000);
    await tokens.add({
      hash: hash('b'),
      person: 'root',
      roles: ['admin'],
      label: 'b',
      createdAt: at,
      expiresAt,
    });

    expect(await tokens.find(hash('b'), new Date(expiresAt.getTime() - 1))).not.toBeNull();
    expect(await tokens.hasLiveAdmin(new Date(expiresAt.getTime() - 1))).toBe(true);
    expect(await tokens.find(hash('b'), expiresAt)).toBeNull();
    expect(await tokens.hasLiveAdmin(expiresAt)).toBe(false);
  });

  test('when a token is revoked by its id twice, then the first call revokes it, names who did, and the second changes nothing', async () => {
    const h = `c${'0'.repeat(63)}`;
    await tokens.add({
      hash: h,
      person: 'pat',
      roles: ['approver'],
      label: 'laptop',
      createdAt: at,
      createdBy: 'root',
    });

    const first = await tokens.revoke(h.slice(0, 16), at, 'root');
    const second = await tokens.revoke(h.slice(0, 16), new Date(at.getTime() + 1000), 'someone-else');

    expect(first).toMatchObject({
      revoked: true,
      token: { id: h.slice(0, 16), revokedAt: at, revokedBy: 'root' },
    });
    expect(second).toMatchObject({ revoked: false, token: { revokedAt: at, revokedBy: 'root' } });
    expect(await tokens.revoke('0123456789abcdef', at, 'root')).toBeNull();
    expect(await tokens.byId('not-an-id')).toBeNull();
  });

  test('when tokens are listed by person, then pages come by id with revoked ones included and no hash', async () => {
    for (const c of ['d', 'e', 'f']) {
      await tokens.add({ hash: hash(c), person: 'lists@x', roles: ['auditor'], label: c, createdAt: at });
    }
    await tokens.revokeHash(hash('e'), at);

    const first = await tokens.page('lists@x', null, 2);
    const second = await tokens.page('lists@x', first.next, 2);

    expect([...first.items, ...second.items].map((t) => t.label)).toEqual(['d', 'e', 'f']);
    expect(second.next).toBeNull();
    expect(first.items[1]).toMatchObject({ id: 'eeeeeeeeeeeeeeee', revokedAt: at });
    expect(first.items[0]).not.toHaveProperty('hash');
  });

  test('when five requests claim one key at once, then exactly one runs and the others see it pending', async () => {
    const claims = await Promise.all(Array.from({ length: 5 }, () => records.claim('k1', hash('f'), at)));

    expect(claims.filter((c) => c === null)).toHaveLength(1);
    expect(claims.filter((c) => c?.state === 'pending')).toHaveLength(4);
  });

  test('when the winner completes, then a retry gets its answer, and neither a late release nor a second completion changes it', async () => {
    const { commands } = await recordCommands(client(), () => records.complete('k1', 201, '{"id":1}'));
    await records.release('k1');
    await records.complete('k1', 500, 'overwritten');

    expect(commands.map((c) => c.name)).toEqual(['update']);
    expect(await records.claim('k1', hash('f'), at)).toEqual({
      state: 'done',
      fingerprint: hash('f'),
      status: 201,
      body: '{"id":1}',
      startedAt: at,
    });
  });

  test('when the winner fails without effect and releases the key, then the next claim runs again', async () => {
    expect(await records.claim('k2', hash('f'), at)).toBeNull();

    await records.release('k2');

    expect(await records.claim('k2', hash('f'), at)).toBeNull();
  });
});
