// People search against a real MongoDB-wire server: what someone types matches the start of an
// id, a name or a name word, case- and accent-insensitively, active people only, by id, at most 20,
// and every search is one find served by the search-key index. Names changed later are found by
// their new words only; people stored before search keys existed get theirs from the migration.
import { Directory, directoryCollections } from '../../store/directory.js';
import { DirectoryQueries } from '../../store/directory-queries.js';
import { addMissingSearchKeys, searchKeysOf } from '../../store/directory-search.js';
import { expectIndexedReads, recordCommands } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const RITA = 'rita.sommer@halden.example';
const JURGEN = 'jurgen.gross@halden.example';
const ANNA = 'anna-lena.berg@halden.example';

describe('people search', () => {
  const { client, db } = useStoreDatabase(import.meta.url, directoryCollections);
  let directory: Directory;
  let queries: DirectoryQueries;
  const ids = async (typed: string, limit?: number) =>
    (await queries.searchPeople(typed, limit)).map((p) => p._id);

  beforeAll(async () => {
    directory = new Directory(db());
    queries = new DirectoryQueries(db());
    await directory.upsertPerson({ id: RITA, name: 'Rita Sommer', manager: null });
    await directory.upsertPerson({ id: JURGEN, name: 'Jürgen Groß', manager: null });
    await directory.upsertPerson({ id: ANNA, name: 'Anna-Lena Berg', manager: null });
    await directory.upsertPerson({ id: 'left.company@halden.example', name: 'Rita Left', active: false });
    // Members and managers named by a group or a world file are people without names.
    await directory.upsertGroup({ id: 'cab', members: ['ritual.bot@halden.example'] });
    await directory.seedFromWorld({
      groups: {},
      managers: { 'zoe.ward@halden.example': RITA },
      people: [],
    });
    for (let i = 0; i < 30; i++) {
      await directory.upsertPerson({
        id: `tester${String(i).padStart(2, '0')}@halden.example`,
        name: `Test Person ${i}`,
      });
    }
  });

  test('when someone types the start of an id, a name word or a whole name, then those active people answer, by id', async () => {
    expect(await ids('rit')).toEqual([RITA, 'ritual.bot@halden.example']);
    expect(await ids('SOMMER')).toEqual([RITA]);
    expect(await ids('rita s')).toEqual([RITA]);
    expect(await ids('rita.sommer@')).toEqual([RITA]);
    expect(await ids('zoe')).toEqual(['zoe.ward@halden.example']);
    expect(await ids('lena')).toEqual([ANNA]);
    expect(await ids('berg')).toEqual([ANNA]);
  });

  test('when a name has accents or ß, then typing with or without them finds it', async () => {
    expect(await ids('jür')).toEqual([JURGEN]);
    expect(await ids('jur')).toEqual([JURGEN]);
    expect(await ids('gross')).toEqual([JURGEN]);
    expect(await ids('Groß')).toEqual([JURGEN]);
  });

  test('when nothing matches, a word only contains the text, or only blanks are typed, then nobody answers', async () => {
    expect(await ids('nobody')).toEqual([]);
    expect(await ids('ommer')).toEqual([]);
    expect(await ids('   ')).toEqual([]);
  });

  test('when more than 20 people match, then the first 20 by id answer, and a smaller limit gives fewer', async () => {
    const all = await ids('test');
    expect(all).toHaveLength(20);
    expect(all[0]).toBe('tester00@halden.example');
    expect(all).toEqual([...all].sort());
    expect(await ids('test', 3)).toEqual(all.slice(0, 3));
    expect(await ids('test', 500)).toEqual(all);
  });

  test('when a person is renamed, then the new name finds them and the old one no longer does', async () => {
    await directory.upsertPerson({ id: 'renamed@halden.example', name: 'Old Surname' });
    await directory.upsertPerson({ id: 'renamed@halden.example', active: true });
    expect(await ids('surname')).toEqual(['renamed@halden.example']);
    await directory.upsertPerson({ id: 'renamed@halden.example', name: 'New Familyname' });

    expect(await ids('surname')).toEqual([]);
    expect(await ids('familyname')).toEqual(['renamed@halden.example']);
  });

  test('when a search runs, then it is one find served by the search-key index', async () => {
    const { result, plans } = await expectIndexedReads(client(), db(), () => queries.searchPeople('rit'));
    const { commands } = await recordCommands(client(), () => queries.searchPeople('rit'));

    expect(result.map((p) => p._id)).toEqual([RITA, 'ritual.bot@halden.example']);
    expect(plans).toEqual([expect.stringMatching(/^find directory_people: .*IXSCAN\(by_search_key\)$/)]);
    expect(commands.map((c) => c.name)).toEqual(['find']);
  });

  test('when people were stored before search keys existed, then the migration gives them theirs once', async () => {
    const people = db().collection<{ _id: string; name: string | null; manager: null; active: boolean }>(
      'directory_people',
    );
    await people.insertOne({
      _id: 'legacy.person@halden.example',
      name: 'Legacy Person',
      manager: null,
      active: true,
    });
    expect(await ids('legacy')).toEqual([]);

    expect(await addMissingSearchKeys(db())).toBe(1);
    expect(await addMissingSearchKeys(db())).toBe(0);
    expect(await ids('legacy')).toEqual(['legacy.person@halden.example']);
    expect(searchKeysOf('legacy.person@halden.example', 'Legacy Person')).toEqual([
      'legacy.person@halden.example',
      'legacy person',
      'legacy',
      'person',
    ]);
  });
});
