// The finds the two measured routes send, as the API's own MongoDB client recorded them
// (servers.ts, BENCH_RECORD=1), so the bare load and the plans cannot drift from the routes:
//  - `findOf` keeps a recorded command's own fields (the session's are the connection's) and
//    refuses a field it does not know, rather than replay a find that differs from the route's;
//  - `replay` sends that find through the driver's collection.find, as the store does;
//  - `checkReplay` records the replayed command and compares it with the route's;
//  - `describePlans` explains a recorded find with executionStats: the winning plan's stages, the
//    keys and documents examined, and the rows returned, printed before the load.
import { isDeepStrictEqual } from 'node:util';
import { BSON, type Db, type Document, type FindOptions, type MongoClient } from 'mongodb';
import { stagesOf, startRecording } from '../../test/support/plans.js';

/** A route's find: the collection and the fields the driver sent for it. */
export interface RecordedFind {
  find: string;
  filter: Document;
  sort?: Document;
  projection?: Document;
  hint?: string | Document;
  limit?: number;
  skip?: number;
  batchSize?: number;
  singleBatch?: boolean;
}

/** The connection's and session's fields of a command: not the find's, left out of a replay. */
const SESSION_FIELDS = new Set([
  'lsid',
  '$clusterTime',
  '$db',
  '$readPreference',
  'txnNumber',
  'readConcern',
  'autocommit',
  'startTransaction',
]);
const FIND_FIELDS = new Set([
  'find',
  'filter',
  'sort',
  'projection',
  'hint',
  'limit',
  'skip',
  'batchSize',
  'singleBatch',
]);

/** The find of a recorded command; throws on a field a replay would not send the same. */
export function findOf(command: Document): RecordedFind {
  const find: Document = {};
  for (const [key, value] of Object.entries(command) as [string, unknown][]) {
    if (SESSION_FIELDS.has(key)) continue;
    if (!FIND_FIELDS.has(key))
      throw new Error(`a recorded find has \`${key}\`, which the bare load cannot replay`);
    find[key] = value;
  }
  if (typeof find['find'] !== 'string') throw new Error('a recorded command is not a find');
  // The command's name first: a server reads the first field of a command (and of an explain's) as its name.
  return { find: find['find'], filter: {}, ...find };
}

/**
 * `f` without its hint: a diagnostic beside the route's find, not a replay of it. SecantusDB 0.7
 * serves a hinted find by walking the whole hinted index (for a multikey one, the whole collection)
 * and filtering every document, so its cost grows with the collection, not with the matches; the
 * same filter without a hint is looked up within the index's bounds (`find_matching` and
 * `_candidates_from_hint` in its storage.py). Its explain shows the bounded IXSCAN either way.
 */
export function withoutHint(f: RecordedFind): RecordedFind {
  const unhinted = { ...f };
  delete unhinted.hint;
  return unhinted;
}

/** The driver's find options that send `f`'s fields. */
function optionsOf(f: RecordedFind): FindOptions {
  const options: FindOptions = {};
  if (f.sort !== undefined) options.sort = f.sort;
  if (f.projection !== undefined) options.projection = f.projection;
  if (f.hint !== undefined) options.hint = f.hint;
  if (f.limit !== undefined) options.limit = f.limit;
  if (f.skip !== undefined) options.skip = f.skip;
  if (f.batchSize !== undefined) options.batchSize = f.batchSize;
  if (f.singleBatch !== undefined) options.singleBatch = f.singleBatch;
  return options;
}

/** Sends `f` as the store does (collection.find, every row read); resolves with the row count. */
export async function replay(db: Db, f: RecordedFind): Promise<number> {
  const rows = await db.collection(f.find).find(f.filter, optionsOf(f)).toArray();
  return rows.length;
}

/** Throws unless replaying `f` on `client` (monitored) sends exactly the recorded find. */
export async function checkReplay(
  client: MongoClient,
  db: Db,
  f: RecordedFind,
  label: string,
): Promise<void> {
  const recording = startRecording(client);
  try {
    await replay(db, f);
  } finally {
    recording.stop();
  }
  // Through EJSON, as the route's came: the driver holds `sort` as a Map, which EJSON writes as a document.
  const sent = recording.commands
    .filter((c) => c.name === 'find')
    .map((c) => findOf(BSON.EJSON.parse(BSON.EJSON.stringify(c.command, { relaxed: false })) as Document));
  if (sent.length !== 1 || !isDeepStrictEqual(sent[0], f)) {
    throw new Error(
      `bare ${label}: the replayed find differs from the route's:\n` +
        `route  ${JSON.stringify(f)}\nreplay ${JSON.stringify(sent)}`,
    );
  }
}

const number = (value: unknown): string => (typeof value === 'number' ? String(value) : '?');

/** The find as a line: collection, filter, sort, hint, limit (dates as ISO strings). */
export const describeFind = (f: RecordedFind): string =>
  `find ${f.find} ${JSON.stringify(f.filter)} sort ${JSON.stringify(f.sort ?? {})} ` +
  `hint ${JSON.stringify(f.hint ?? null)} limit ${f.limit ?? 'none'}` +
  (f.projection === undefined ? '' : ` projection ${JSON.stringify(f.projection)}`);

/**
 * `f` explained with executionStats: the winning plan's stages (outermost first), keys and
 * documents examined, rows returned and the server's time. Shapes of explain differ by server:
 * what is missing prints as `?`. On SecantusDB 0.7 only the time is measured: the plan is its
 * planner's model, and for an IXSCAN it reports keys and documents examined as the rows returned
 * (`explain` in its commands.py), whatever the execution walked.
 */
export async function describePlan(db: Db, label: string, f: RecordedFind): Promise<string> {
  const explained = await db.command({ explain: { ...f }, verbosity: 'executionStats' });
  const planner = explained['queryPlanner'] as Document | undefined;
  const winning = (planner?.['winningPlan'] as Document | undefined) ?? {};
  const stats = (explained['executionStats'] as Document | undefined) ?? {};
  return [
    `plan ${label}: ${describeFind(f)}`,
    `  winning plan: ${stagesOf(winning).join(' < ') || JSON.stringify(winning).slice(0, 300)}`,
    `  executionStats: keys examined ${number(stats['totalKeysExamined'])}, docs examined ` +
      `${number(stats['totalDocsExamined'])}, returned ${number(stats['nReturned'])}, ` +
      `${number(stats['executionTimeMillis'])} ms`,
  ].join('\n');
}
