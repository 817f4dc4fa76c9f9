// The schema version of a Charter database, in one document (`charter_meta`, `_id: "schema"`), and
// the place for migrations. A store opens a database only at the version this code writes:
//  - an empty database is stamped with it;
//  - an older version is migrated, one step at a time, each step stamping its version when done
//    (steps must be idempotent: a start that dies half-way runs the step again);
//  - a database with Charter's collections but no stamp was written by the keyed-list store that
//    ran on FerretDB (slots, digests): nothing reads that shape any more, and there are no deployed
//    installations to migrate, so it is refused with how to reset it;
//  - a newer version was written by a newer Charter and is refused, never downgraded.
import type { Db } from 'mongodb';
import { z } from 'zod';
import { addMissingSearchKeys } from './directory-search.js';

export const SCHEMA_VERSION = 2;
export const META = 'charter_meta';

/** Migrations by the version they lead to (version 2's step turns a version 1 database into 2). */
export const MIGRATIONS: ReadonlyMap<number, (db: Db) => Promise<void>> = new Map([
  // 2: people get the lower-case search keys that people search (`q`) reads by index.
  [
    2,
    async (db: Db) => {
      await addMissingSearchKeys(db);
    },
  ],
]);

/** The database cannot be used by this Charter as it is. */
export class SchemaVersionError extends Error {
  override name = 'SchemaVersionError';
}

const schemaDoc = z.object({ _id: z.literal('schema'), version: z.number().int().min(1) });

/** Collections the keyed-list store (before schema versions) left behind; any one identifies it. */
const KEYED_LIST_STORE = [
  'audit',
  'capacity_ledger',
  'capacity_hints',
  'inbox_slots',
  'inbox_digests',
  'audit_by_day_slots',
  'store_migrations',
];

/** Brings `db` to SCHEMA_VERSION or throws SchemaVersionError saying what to do. */
export async function ensureSchema(db: Db): Promise<void> {
  const meta = db.collection<{ _id: string; version: number; at?: Date }>(META);
  const raw = await meta.findOne({ _id: 'schema' });
  if (raw === null) {
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    const old = names.filter((name) => KEYED_LIST_STORE.includes(name));
    if (old.length > 0) {
      throw new SchemaVersionError(
        `database \`${db.databaseName}\` was written by an older Charter store (collections ` +
          `${old.map((n) => `\`${n}\``).join(', ')}, no schema version) that this version cannot ` +
          `read; reset it: drop the database (for \`npm start\`'s own servers: stop it and ` +
          `delete .data/), then start again`,
      );
    }
    // An empty database: stamp it. A concurrent first start stamps the same version.
    await meta.updateOne(
      { _id: 'schema' },
      { $setOnInsert: { version: SCHEMA_VERSION, at: new Date() } },
      { upsert: true },
    );
    return;
  }
  const parsed = schemaDoc.safeParse(raw);
  if (!parsed.success) {
    throw new SchemaVersionError(`\`${META}\` holds an unreadable schema document in \`${db.databaseName}\``);
  }
  let version = parsed.data.version;
  if (version > SCHEMA_VERSION) {
    throw new SchemaVersionError(
      `database \`${db.databaseName}\` has schema version ${version}, written by a newer Charter; ` +
        `this one knows up to ${SCHEMA_VERSION}: run the newer version`,
    );
  }
  while (version < SCHEMA_VERSION) {
    const step = MIGRATIONS.get(version + 1);
    if (step === undefined) throw new SchemaVersionError(`no migration from schema version ${version}`);
    await step(db);
    version++;
    await meta.updateOne({ _id: 'schema' }, { $set: { version, at: new Date() } });
  }
}
