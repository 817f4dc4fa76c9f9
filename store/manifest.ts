// The index manifest: every collection Charter keeps, the indexes its queries need and its shard
// key, gathered from the modules that declare them beside their queries. Applied at every start
// (createIndexes is idempotent: an index that exists with the same key and options is left alone)
// and printed by `charter db indexes`, so an operator sees what their MongoDB will be asked for.
import type { Db, Document, IndexDescription } from 'mongodb';

export interface IndexSpec {
  name: string;
  /** Fields in Equality, Sort, Range order (MongoDB's ESR rule). */
  key: Record<string, 1 | -1>;
  unique?: boolean;
  partialFilterExpression?: Document;
  /** A TTL index: documents go once the key's date is this many seconds past. */
  expireAfterSeconds?: number;
  /** What relies on it: the query it serves, or the invariant a unique index guards. */
  serves: string;
}

export interface CollectionSpec {
  name: string;
  /** One line: what one document is. */
  holds: string;
  /** The key to shard on in a sharded cluster: what the hot queries name by equality. */
  shardKey: Record<string, 1 | 'hashed'>;
  indexes: IndexSpec[];
  /** Names of indexes earlier versions created and nothing reads now: dropped at start if there. */
  retiredIndexes?: readonly string[];
}

/** An index that exists under the manifest's name with another key or options. */
export class IndexConflictError extends Error {
  override name = 'IndexConflictError';
}

const description = (spec: IndexSpec): IndexDescription => ({
  name: spec.name,
  key: spec.key,
  ...(spec.unique === true ? { unique: true } : {}),
  ...(spec.partialFilterExpression === undefined
    ? {}
    : { partialFilterExpression: spec.partialFilterExpression }),
  ...(spec.expireAfterSeconds === undefined ? {} : { expireAfterSeconds: spec.expireAfterSeconds }),
});

/** MongoDB's codes for a drop of something that is not there: 26 NamespaceNotFound, 27 IndexNotFound. */
const NOT_THERE = new Set([26, 27]);

/**
 * Creates every index of `manifest` that is missing (one createIndexes command per collection),
 * after dropping retired ones: an upgraded installation would otherwise keep maintaining them on
 * every write.
 */
export async function applyManifest(db: Db, manifest: readonly CollectionSpec[]): Promise<void> {
  for (const collection of manifest) {
    for (const name of collection.retiredIndexes ?? []) {
      try {
        await db.collection(collection.name).dropIndex(name);
      } catch (error) {
        if (!NOT_THERE.has((error as { code?: number }).code ?? 0)) throw error;
      }
    }
    if (collection.indexes.length === 0) continue;
    try {
      await db.collection(collection.name).createIndexes(collection.indexes.map(description));
    } catch (error) {
      // 85 IndexOptionsConflict, 86 IndexKeySpecsConflict: a hand-made or older index in the way.
      const code = (error as { code?: unknown }).code;
      if (code !== 85 && code !== 86) throw error;
      throw new IndexConflictError(
        `collection \`${collection.name}\` has an index that conflicts with Charter's manifest ` +
          `(${(error as Error).message}); drop it and start again, Charter recreates its own`,
      );
    }
  }
}

/** The manifest as `charter db indexes` prints it: a collection, then an index per line. */
export function describeManifest(manifest: readonly CollectionSpec[]): string {
  const lines: string[] = [];
  for (const collection of manifest) {
    lines.push(`${collection.name}: ${collection.holds}`);
    lines.push(`  shard key ${JSON.stringify(collection.shardKey)}`);
    for (const index of collection.indexes) {
      const flags = [
        index.unique === true ? 'unique' : '',
        index.partialFilterExpression ? 'partial' : '',
        index.expireAfterSeconds === undefined ? '' : `expires after ${index.expireAfterSeconds} s`,
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(
        `  ${index.name} ${JSON.stringify(index.key)}${flags === '' ? '' : ` (${flags})`}: ${index.serves}`,
      );
    }
  }
  return lines.join('\n');
}
