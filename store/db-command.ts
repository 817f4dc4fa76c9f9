// `charter db ...`: what an operator asks of the database before and after a rollout.
//   charter db indexes           the index manifest: every collection, its shard key, its indexes
//   charter db indexes --check   the manifest against MONGODB_URI's database: what is missing
//   charter db init              check the schema version (migrate, or refuse) and create the indexes
// MONGODB_URI and CHARTER_DATABASE as for the worker and the API (defaults: the local server, `charter`).
import type { Db, Document } from 'mongodb';
import { openStore, MANIFEST } from './index.js';
import { describeManifest } from './manifest.js';
import { mongoClient } from './client.js';

export interface DbCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
}

export const DB_USAGE = `database commands (MONGODB_URI, CHARTER_DATABASE):
  db indexes [--check]    print the index manifest (--check: compare it with the database)
  db init                 check or migrate the schema version and create the manifest's indexes
`;

/** Runs `charter db <args>`; the exit code: 0 done, 1 the database differs or failed, 2 usage. */
export async function dbCommand(args: readonly string[], io: DbCommandIo): Promise<number> {
  const [sub, ...flags] = args;
  if (sub === 'indexes' && flags.length === 0) {
    io.out(`${describeManifest(MANIFEST)}\n`);
    return 0;
  }
  if (
    (sub === 'indexes' && flags.length === 1 && flags[0] === '--check') ||
    (sub === 'init' && flags.length === 0)
  ) {
    const uri = io.env['MONGODB_URI'] ?? 'mongodb://127.0.0.1:27017/';
    const name = io.env['CHARTER_DATABASE'] ?? 'charter';
    const client = mongoClient(uri);
    try {
      await client.connect();
      const db = client.db(name);
      if (sub === 'init') {
        await openStore(db);
        io.out(`database \`${name}\`: schema current, ${countIndexes()} indexes in place\n`);
        return 0;
      }
      const missing = await missingIndexes(db);
      for (const line of missing) io.out(`missing: ${line}\n`);
      io.out(
        `database \`${name}\`: ${countIndexes() - missing.length} of ${countIndexes()} indexes present\n`,
      );
      return missing.length === 0 ? 0 : 1;
    } catch (error) {
      io.err(`charter db: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    } finally {
      await client.close();
    }
  }
  io.err(`charter db: unknown arguments \`${args.join(' ')}\`\n${DB_USAGE}`);
  return 2;
}

const countIndexes = (): number => MANIFEST.reduce((n, c) => n + c.indexes.length, 0);

/** `collection.index` for every manifest index the database lacks (by name and key). */
async function missingIndexes(db: Db): Promise<string[]> {
  const missing: string[] = [];
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const collection of MANIFEST) {
    const present: Document[] = existing.has(collection.name)
      ? ((await db.collection(collection.name).listIndexes().toArray()) as Document[])
      : [];
    for (const index of collection.indexes) {
      const found = present.find((p) => p['name'] === index.name);
      if (found === undefined || JSON.stringify(found['key']) !== JSON.stringify(index.key)) {
        missing.push(`${collection.name}.${index.name} ${JSON.stringify(index.key)}`);
      }
    }
  }
  return missing;
}
