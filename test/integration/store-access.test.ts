// API tokens and idempotency records against a real MongoDB server: a token is found by its hash
// until revoked; of two requests claiming one Idempotency-Key at once exactly one runs, and the
// answer it keeps is the one every retry gets.
import { accessCollections, ApiTokens, IdempotencyRecords } from '../../store/access.js';
import { recordCommands } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const at = new Date('2027-03-01T10:00:00Z');
const hash = (c: string): string => c.repeat(64);

describe('access store', () => {
  const { client, db } = useStoreDatabase(import.meta.url, accessCollections);
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

    expect(await tokens.find(hash('a'))).toEqual({ ...token, revokedAt: null });
    await tokens.revoke(hash('a'), at);
    expect(await tokens.find(hash('a'))).toBeNull();
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
