// The MongoDB directory against the simulator's: the same organisation must resolve to the same
// people and problems, so that a policy test in the simulator predicts production. Absences and
// delegations, which only the store knows, are covered on top, and so are the plans and command
// counts of the reads every task access and every approval step make.
import { readFileSync } from 'node:fs';
import type { PersonRef } from '../../engine/machine/types.js';
import { knownPeople, resolveRefs, type World } from '../../engine/simulate/world.js';
import { Directory, directoryCollections } from '../../store/directory.js';
import { DirectoryQueries, type KeyPage } from '../../store/directory-queries.js';
import { StoredDocumentError } from '../../store/documents.js';
import { InvalidCursorError } from '../../store/paging.js';
import { expectIndexedReads, recordCommands } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const world = JSON.parse(
  readFileSync(new URL('../../policies/shared/org.world.json', import.meta.url), 'utf8'),
) as World;
const at = new Date('2027-03-01T10:00:00Z');
const day = 24 * 3600 * 1000;
const group = (g: string): PersonRef => ({ kind: 'group', group: g });
const person = (p: string): PersonRef => ({ kind: 'person', person: p });
const managerOf = (p: string): PersonRef => ({ kind: 'managerOf', person: p });

describe('Directory', () => {
  const { client, db } = useStoreDatabase(import.meta.url, directoryCollections);
  let directory: Directory;
  let queries: DirectoryQueries;

  beforeAll(async () => {
    directory = new Directory(db());
    queries = new DirectoryQueries(db());
    await directory.seedFromWorld(world);
    await directory.seedFromWorld(world);
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

  test('when a typical approver list is resolved, then every read is indexed and it takes at most 4 commands', async () => {
    const refs = [group('change-advisory-board'), managerOf('rita.sommer@halden.example')];

    const { plans } = await expectIndexedReads(client(), db(), () => directory.resolve(refs, at));
    const { result, commands } = await recordCommands(client(), () => directory.resolve(refs, at));

    expect(result.people).toEqual([
      ...world.groups['change-advisory-board']!,
      'henrik.larsen@halden.example',
    ]);
    expect(commands.map((c) => `${c.name} ${String(c.command[c.name])}`).sort()).toEqual([
      'find directory_absences',
      'find directory_groups',
      'find directory_people',
      'find directory_people',
    ]);
    expect(plans).toHaveLength(4);
    for (const plan of plans) expect(plan).toMatch(/IXSCAN\(_id_\)|IDHACK/);
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
    const { result, plans } = await expectIndexedReads(client(), db(), () =>
      directory.delegatorsOf('gita.rao@halden.example', at),
    );
    expect(result).toEqual(['alice.meyer@halden.example']);
    // The absence's stand-in is a delegation document too: one find serves both kinds.
    expect(plans).toEqual([expect.stringMatching(/^find directory_delegations: .*IXSCAN\(by_to_start\)$/)]);
  });

  test('when an absence changes its delegate or drops it, then the stand-in follows and is never listed as a delegation', async () => {
    const person = 'kai.weber@halden.example';
    const window = { from: new Date(at.getTime() - day), to: new Date(at.getTime() + day) };

    await directory.setOutOfOffice(person, { ...window, delegate: 'gita.rao@halden.example' });
    await directory.setOutOfOffice(person, { ...window, delegate: 'nina.vogel@halden.example' });
    expect(await directory.delegatorsOf('gita.rao@halden.example', at)).not.toContain(person);
    expect(await directory.delegatorsOf('nina.vogel@halden.example', at)).toContain(person);
    const listed = await queries.pageOfDelegations('nina.vogel@halden.example', null, 50);
    expect(listed.items.map((d) => d._id)).not.toContain(`absence:${person}`);
    expect(await queries.delegation(`absence:${person}`)).toBeNull();

    await directory.setOutOfOffice(person, { ...window, delegate: null });
    expect(await directory.delegatorsOf('nina.vogel@halden.example', at)).not.toContain(person);
    expect(await queries.absenceOf(person)).toMatchObject({ delegate: null });
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

  test("when a person's groups are asked for, then one find on the members index answers them in id order", async () => {
    const { result, plans } = await expectIndexedReads(client(), db(), () =>
      queries.groupsOf('henrik.larsen@halden.example'),
    );

    const expected = Object.entries(world.groups)
      .filter(([, members]) => members.includes('henrik.larsen@halden.example'))
      .map(([id]) => id)
      .sort();
    expect(result).toEqual(expected);
    expect(plans).toEqual([expect.stringMatching(/^find directory_groups: .*IXSCAN\(by_member\)$/)]);
  });

  test('when people and groups are paged, then every page is one indexed find and each row comes once', async () => {
    for (const [list, total] of [
      ['people', await db().collection('directory_people').countDocuments()],
      ['groups', await db().collection('directory_groups').countDocuments()],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const after: string | null = cursor;
        const page = (): Promise<KeyPage<{ _id: string }>> =>
          list === 'people' ? queries.pageOfPeople(after, 7) : queries.pageOfGroups(after, 7);
        const { result, plans } = await expectIndexedReads(client(), db(), page);
        expect(plans).toEqual([expect.stringMatching(/IXSCAN\(_id_\)/)]);
        seen.push(...result.items.map((item) => item._id));
        cursor = result.next;
      } while (cursor !== null);
      expect(seen).toEqual([...seen].sort());
      expect(new Set(seen).size).toBe(total);
    }
  });

  test('when delegations are paged for one person, then only theirs come, by the parties index, across pages', async () => {
    const range = { start: at, end: new Date(at.getTime() + day) };
    await directory.addDelegation({
      id: 'p1',
      from: 'lea.hofmann@halden.example',
      to: 'nina.vogel@halden.example',
      ...range,
    });
    await directory.addDelegation({
      id: 'p2',
      from: 'omar.haddad@halden.example',
      to: 'lea.hofmann@halden.example',
      ...range,
    });
    await directory.addDelegation({
      id: 'p3',
      from: 'omar.haddad@halden.example',
      to: 'nina.vogel@halden.example',
      ...range,
    });

    const first = await expectIndexedReads(client(), db(), () =>
      queries.pageOfDelegations('lea.hofmann@halden.example', null, 1),
    );
    const second = await expectIndexedReads(client(), db(), () =>
      queries.pageOfDelegations('lea.hofmann@halden.example', first.result.next, 1),
    );
    const all = await expectIndexedReads(client(), db(), () => queries.pageOfDelegations(null, null, 10));

    expect([...first.result.items, ...second.result.items]).toEqual([
      { _id: 'p1', from: 'lea.hofmann@halden.example', to: 'nina.vogel@halden.example', ...range },
      { _id: 'p2', from: 'omar.haddad@halden.example', to: 'lea.hofmann@halden.example', ...range },
    ]);
    expect(second.result.next).toBeNull();
    expect([...first.plans, ...second.plans]).toEqual([
      expect.stringMatching(/IXSCAN\(by_party\)$/),
      expect.stringMatching(/IXSCAN\(by_party\)$/),
    ]);
    expect(all.result.items.map((d) => d._id)).toEqual(['p1', 'p2', 'p3']);
    expect(all.plans).toEqual([expect.stringMatching(/IXSCAN\(_id_\)/)]);
  });

  test('when a cursor of another list or a garbled one is given, then the page fails with InvalidCursorError', async () => {
    const people = await queries.pageOfPeople(null, 1);

    await expect(queries.pageOfGroups(people.next, 1)).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(queries.pageOfPeople('garbage', 1)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  test('when a stored person was edited by hand into another shape, then reading it names the document', async () => {
    await db()
      .collection<{ _id: string }>('directory_people')
      .insertOne({ _id: 'broken@halden.example', active: 'yes' } as never);

    await expect(directory.person('broken@halden.example')).rejects.toBeInstanceOf(StoredDocumentError);
    await expect(directory.resolve([person('broken@halden.example')], at)).rejects.toThrow(
      /directory_people.*broken@halden\.example/,
    );
    await db().collection<{ _id: string }>('directory_people').deleteOne({ _id: 'broken@halden.example' });
  });
});
