// Opening the store: every worker and API start checks the database's schema version and applies
// the index manifest. That must be a no-op on a current database, stamp an empty one, refuse one
// the keyed-list store wrote (with how to reset it) or a newer Charter wrote, and say which index
// is in the way when a hand-made one conflicts. `charter db` shows an operator the same.
import type { Document, MongoClient } from 'mongodb';
import { dbCommand } from '../../store/db-command.js';
import { MANIFEST, openStore, SCHEMA_VERSION, SchemaVersionError } from '../../store/index.js';
import { IndexConflictError } from '../../store/manifest.js';
import { connectMongo, databaseNameFor, mongodbUri } from '../support/services.js';

let client: MongoClient;
const base = databaseNameFor(import.meta.url).slice(0, 50);
const used: string[] = [];
const fresh = (suffix: string) => {
  used.push(`${base}_${suffix}`);
  return client.db(`${base}_${suffix}`);
};

beforeAll(async () => {
  client = await connectMongo();
});

afterAll(async () => {
  for (const name of used) await client.db(name).dropDatabase();
  await client.close();
});

test('when the store is opened three times on one database, then every open succeeds and the data stays', async () => {
  const db = fresh('thrice');
  const first = await openStore(db);
  await first.directory.seedFromWorld({ groups: { cab: ['alice'] }, managers: {}, people: [] });
  await openStore(db);
  const third = await openStore(db);

  expect(await third.directory.group('cab')).toMatchObject({ members: ['alice'] });
});

test('when an empty database is opened, then it is stamped with the current schema version and has every manifest index', async () => {
  const db = fresh('empty');
  await openStore(db);

  expect(await db.collection('charter_meta').findOne({ _id: 'schema' as never })).toMatchObject({
    version: SCHEMA_VERSION,
  });
  for (const collection of MANIFEST.filter((c) => c.indexes.length > 0)) {
    const indexes = (await db.collection(collection.name).listIndexes().toArray()) as Document[];
    const names = indexes.map((i) => String(i['name']));
    expect(names).toEqual(expect.arrayContaining(collection.indexes.map((i) => i.name)));
  }
});

test('when a database written by the keyed-list store is opened, then it is refused with how to reset it and nothing is written', async () => {
  const db = fresh('keyed');
  await db.collection('inbox_slots').insertOne({ _id: 'alice#1' as never, entries: [] });
  await db.collection('audit').insertOne({ _id: 'i-1:1' as never });

  const opening = openStore(db);

  await expect(opening).rejects.toBeInstanceOf(SchemaVersionError);
  await expect(opening).rejects.toThrow(/older Charter store .*`inbox_slots`.*reset it: drop the database/);
  expect(await db.collection('charter_meta').countDocuments()).toBe(0);
});

test('when a database has a newer schema version, then it is refused, not downgraded', async () => {
  const db = fresh('newer');
  await db.collection('charter_meta').insertOne({ _id: 'schema' as never, version: SCHEMA_VERSION + 1 });

  await expect(openStore(db)).rejects.toThrow(
    `schema version ${SCHEMA_VERSION + 1}, written by a newer Charter`,
  );
  expect(await db.collection('charter_meta').findOne({ _id: 'schema' as never })).toMatchObject({
    version: SCHEMA_VERSION + 1,
  });
});

test('when a hand-made index holds a manifest index name with another key, then opening names the collection', async () => {
  const first = MANIFEST.find((c) => c.indexes.length > 0);
  if (first === undefined) throw new Error('the manifest declares no index');
  const index = first.indexes[0]!;
  const db = fresh('conflict');
  await db.collection(first.name).createIndex({ handMade: 1 }, { name: index.name });

  const opening = openStore(db);

  await expect(opening).rejects.toBeInstanceOf(IndexConflictError);
  await expect(opening).rejects.toThrow(`collection \`${first.name}\``);
});

test('when a database holds indexes an earlier version made and the manifest retired, then opening drops them and keeps the rest', async () => {
  const db = fresh('retired');
  const audit = MANIFEST.find((c) => c.name === 'audit_events')!;
  await db.collection('audit_events').createIndex({ instanceId: 1, at: 1, _id: 1 }, { name: 'instance_at' });
  await db.collection('audit_events').createIndex({ at: 1, _id: 1 }, { name: 'at_id' });

  await openStore(db);

  const names = (await db.collection('audit_events').indexes()).map((i) => i.name);
  expect(names).not.toContain('instance_at');
  expect(names).not.toContain('at_id');
  for (const index of audit.indexes) expect(names).toContain(index.name);
  expect(audit.retiredIndexes).toEqual(expect.arrayContaining(['instance_at', 'at_id']));
});

test('when an operator runs charter db indexes --check before and after charter db init, then it lists what is missing and then nothing', async () => {
  const name = `${base}_dbcmd`;
  used.push(name);
  const output: string[] = [];
  const io = {
    out: (text: string) => output.push(text),
    err: (text: string) => output.push(text),
    env: { MONGODB_URI: mongodbUri(), CHARTER_DATABASE: name },
  };
  const total = MANIFEST.reduce((n, c) => n + c.indexes.length, 0);

  expect(await dbCommand(['indexes', '--check'], io)).toBe(1);
  expect(output.join('')).toContain(`0 of ${total} indexes present`);
  output.length = 0;
  expect(await dbCommand(['init'], io)).toBe(0);
  expect(await dbCommand(['indexes', '--check'], io)).toBe(0);
  expect(output.join('')).toContain(`${total} of ${total} indexes present`);
  expect(output.join('')).not.toContain('missing:');
  output.length = 0;
  expect(await dbCommand(['indexes'], io)).toBe(0);
  for (const collection of MANIFEST) expect(output.join('')).toContain(`${collection.name}: `);
  expect(await dbCommand(['drop'], io)).toBe(2);
});

test('when a schema version 1 database is opened, then migration 2 gives its people search keys and people search finds them', async () => {
  const db = fresh('v1');
  await db.collection('charter_meta').insertOne({ _id: 'schema' as never, version: 1 });
  await db.collection('directory_people').insertOne({
    _id: 'ada.lovelace@halden.example' as never,
    name: 'Ada Lovelace',
    manager: null,
    active: true,
  });

  const store = await openStore(db);

  expect(await db.collection('charter_meta').findOne({ _id: 'schema' as never })).toMatchObject({
    version: 2,
  });
  const found = await store.directoryQueries.searchPeople('lovel', 20);
  expect(found.map((p) => p._id)).toEqual(['ada.lovelace@halden.example']);
});
