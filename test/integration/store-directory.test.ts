// The MongoDB directory against the simulator's: the same organisation must resolve to the same
// people and problems, so that a policy test in the simulator predicts production. Absences and
// delegations, which only the store knows, are covered on top.
import { readFileSync } from 'node:fs';
import type { Db, MongoClient } from 'mongodb';
import type { PersonRef } from '../../engine/machine/types.js';
import { knownPeople, resolveRefs, type World } from '../../engine/simulate/world.js';
import { Directory } from '../../store/directory.js';
import { connectMongo, databaseNameFor } from '../support/services.js';

const world = JSON.parse(
  readFileSync(new URL('../../policies/shared/org.world.json', import.meta.url), 'utf8'),
) as World;
const at = new Date('2027-03-01T10:00:00Z');
const day = 24 * 3600 * 1000;
const group = (g: string): PersonRef => ({ kind: 'group', group: g });
const person = (p: string): PersonRef => ({ kind: 'person', person: p });
const managerOf = (p: string): PersonRef => ({ kind: 'managerOf', person: p });

describe('Directory', () => {
  let client: MongoClient;
  let db: Db;
  let directory: Directory;

  beforeAll(async () => {
    client = await connectMongo();
    db = client.db(databaseNameFor(import.meta.url));
    await db.dropDatabase();
    directory = new Directory(db);
    await directory.ensureIndexes();
    await directory.seedFromWorld(world);
    await directory.seedFromWorld(world);
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  test('when the demo organisation is seeded twice, then resolution equals the simulator for every kind of ref', async () => {
    const refsList: PersonRef[][] = [
      [group('change-advisory-board'), group('emergency-cab')],
      [managerOf('rita.sommer@halden.example'), person('jens.albrecht@halden.example')],
      [group('no-such-board'), person('nobody@halden.example'), managerOf('greta.holm@halden.example')],
      [managerOf('nobody@halden.example'), group('it-directors'), person('henrik.larsen@halden.example')],
      ...Object.keys(world.groups).map((g) => [group(g)]),
      ...Object.keys(world.managers).map((p) => [managerOf(p), person(p)]),
    ];
    const known = knownPeople(world, []);
    for (const refs of refsList) {
      const expected = resolveRefs(world, known, refs);
      const actual = await directory.resolve(refs, at);
      expect({ people: actual.people, problems: actual.problems }).toEqual(expected);
      expect(actual.substitutions).toEqual([]);
    }
    expect(await directory.person('rita.sommer@halden.example')).toEqual({
      _id: 'rita.sommer@halden.example',
      name: null,
      manager: 'henrik.larsen@halden.example',
      active: true,
    });
  });

  test('when a group is empty or every member left, then it resolves to nobody with "empty group"', async () => {
    await directory.upsertGroup({ id: 'ghost-board', members: [] });
    await directory.upsertGroup({ id: 'leavers', members: ['old.one@halden.example'] });
    await directory.upsertPerson({ id: 'old.one@halden.example', active: false });

    const result = await directory.resolve([group('ghost-board'), group('leavers')], at);

    expect(result.people).toEqual([]);
    expect(result.problems).toEqual([
      { ref: group('ghost-board'), problem: 'empty group' },
      { ref: group('leavers'), problem: 'empty group' },
    ]);
  });

  test('when a person is inactive, then they count as unknown, and as a manager as no manager', async () => {
    await directory.upsertPerson({ id: 'boss@halden.example', active: false });
    await directory.upsertPerson({ id: 'worker@halden.example', manager: 'boss@halden.example' });

    const result = await directory.resolve(
      [
        person('old.one@halden.example'),
        managerOf('worker@halden.example'),
        managerOf('old.one@halden.example'),
      ],
      at,
    );

    expect(result.problems.map((p) => p.problem)).toEqual(['unknown person', 'no manager', 'unknown person']);
    await expect(directory.resolve([], at)).rejects.toThrow(/nothing to resolve/);
  });

  test('when an approver is out of office with a delegate, then the delegate replaces them; without one they stay', async () => {
    await directory.setOutOfOffice('alice.meyer@halden.example', {
      from: new Date(at.getTime() - day),
      to: new Date(at.getTime() + day),
      delegate: 'gita.rao@halden.example',
    });
    await directory.setOutOfOffice('bob.schulz@halden.example', {
      from: new Date(at.getTime() - day),
      to: new Date(at.getTime() + day),
      delegate: null,
    });

    const during = await directory.resolve([group('emergency-cab')], at);
    const after = await directory.resolve([group('emergency-cab')], new Date(at.getTime() + 2 * day));

    expect(during.people).toEqual(['gita.rao@halden.example', 'bob.schulz@halden.example']);
    expect(during.substitutions).toEqual([
      { person: 'alice.meyer@halden.example', delegate: 'gita.rao@halden.example' },
    ]);
    expect(after.people).toEqual(world.groups['emergency-cab']);
    expect(await directory.delegatorsOf('gita.rao@halden.example', at)).toEqual([
      'alice.meyer@halden.example',
    ]);
  });

  test('when a delegation is in its date range, then the delegate acts for the delegator, and not outside it', async () => {
    await directory.addDelegation({
      id: 'd1',
      from: 'dana.keller@halden.example',
      to: 'tomas.berg@halden.example',
      start: at,
      end: new Date(at.getTime() + 7 * day),
    });

    expect(await directory.delegatorsOf('tomas.berg@halden.example', at)).toEqual([
      'dana.keller@halden.example',
    ]);
    expect(await directory.delegatorsOf('tomas.berg@halden.example', new Date(at.getTime() - 1))).toEqual([]);
    expect(
      await directory.delegatorsOf('tomas.berg@halden.example', new Date(at.getTime() + 7 * day)),
    ).toEqual([]);

    await directory.removeDelegation('d1');
    expect(await directory.delegatorsOf('tomas.berg@halden.example', at)).toEqual([]);
  });
});
