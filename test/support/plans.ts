// What the store sends, and how the server plans it: tests record the commands a repository call
// issues (the driver's command monitoring) and explain each read, so that "every list is one
// indexed query" is asserted on the exact filter, sort and hint the store used.
import type { Db, Document, MongoClient } from 'mongodb';
import { mongoClient } from '../../store/index.js';
import { mongodbUri } from './services.js';

/** Commands that are the connection's, not the store's: left out of every count. */
const HANDSHAKE = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'endSessions',
  'saslStart',
  'saslContinue',
]);

export interface Recorded {
  name: string;
  db: string;
  command: Document;
}

/** A connected client whose commands can be recorded. */
export async function monitoredClient(): Promise<MongoClient> {
  const client = mongoClient(mongodbUri(), { monitorCommands: true });
  await client.connect();
  return client;
}

/** Records what `client` sends from now on (handshakes left out) into `commands`, until `stop`. */
export function startRecording(client: MongoClient): { commands: Recorded[]; stop: () => void } {
  const commands: Recorded[] = [];
  const listener = (event: { commandName: string; databaseName: string; command: Document }) => {
    if (!HANDSHAKE.has(event.commandName)) {
      commands.push({ name: event.commandName, db: event.databaseName, command: event.command });
    }
  };
  client.on('commandStarted', listener);
  return { commands, stop: () => client.off('commandStarted', listener) };
}

/** The commands `client` sends while `run` runs (handshakes left out), in the order sent. */
export async function recordCommands<T>(
  client: MongoClient,
  run: () => Promise<T>,
): Promise<{ result: T; commands: Recorded[] }> {
  const recording = startRecording(client);
  try {
    return { result: await run(), commands: recording.commands };
  } finally {
    recording.stop();
  }
}

/** The stages of a plan, outermost first, with index names: `SORT < FETCH < IXSCAN(inbox)`. */
export function stagesOf(plan: Document): string[] {
  const stages: string[] = [];
  const walk = (stage: Document | undefined): void => {
    if (stage === undefined) return;
    stages.push(`${String(stage['stage'])}${stage['indexName'] ? `(${String(stage['indexName'])})` : ''}`);
    walk(stage['inputStage'] as Document | undefined);
    for (const input of (stage['inputStages'] as Document[] | undefined) ?? []) walk(input);
  };
  walk(plan);
  return stages;
}

/** A recorded command as an explain can take it. */
function explainableOf(command: Document): Document {
  const explainable: Document = {};
  for (const [key, value] of Object.entries(command)) {
    // The session and cluster fields of the original belong to that command, not to the explain.
    if (
      !['lsid', '$clusterTime', '$db', 'txnNumber', 'readConcern', 'autocommit', 'startTransaction'].includes(
        key,
      )
    ) {
      explainable[key] = value as unknown;
    }
  }
  return explainable;
}

/** The winning plan's stages of a recorded `find` (or `aggregate`), explained on `db`. */
export async function planOf(db: Db, recorded: Recorded): Promise<string[]> {
  const explained = await db.command({ explain: explainableOf(recorded.command), verbosity: 'queryPlanner' });
  const planner = explained['queryPlanner'] as Document | undefined;
  return stagesOf((planner?.['winningPlan'] as Document | undefined) ?? {});
}

/**
 * What the finds `run` sends to `db` (to `collection` only, when given) examine, each explained
 * with executionStats: the documents examined in all, and each find's plan stages in order.
 */
export async function findsExamined(
  client: MongoClient,
  db: Db,
  run: () => Promise<unknown>,
  collection?: string,
): Promise<{ examined: number; finds: { collection: string; stages: string[] }[] }> {
  const { commands } = await recordCommands(client, run);
  let examined = 0;
  const finds: { collection: string; stages: string[] }[] = [];
  for (const recorded of commands) {
    const target = String(recorded.command['find']);
    if (recorded.name !== 'find' || recorded.db !== db.databaseName) continue;
    if (collection !== undefined && target !== collection) continue;
    const explained = await db.command({
      explain: explainableOf(recorded.command),
      verbosity: 'executionStats',
    });
    examined += Number((explained['executionStats'] as Document)['totalDocsExamined']);
    finds.push({
      collection: target,
      stages: stagesOf((explained['queryPlanner'] as Document)['winningPlan'] as Document),
    });
  }
  return { examined, finds };
}

/**
 * Every read `run` sends explained: throws unless each `find` is served by an index (no COLLSCAN).
 * Returns the plans, `find <collection>: SORT < FETCH < IXSCAN(name)`, for a test to assert on.
 */
export async function expectIndexedReads<T>(
  client: MongoClient,
  db: Db,
  run: () => Promise<T>,
): Promise<{ result: T; plans: string[] }> {
  const { result, commands } = await recordCommands(client, run);
  const plans: string[] = [];
  for (const recorded of commands.filter((c) => c.name === 'find' && c.db === db.databaseName)) {
    const stages = await planOf(db, recorded);
    const line = `find ${String(recorded.command['find'])}: ${stages.join(' < ')}`;
    if (
      stages.some((s) => s.startsWith('COLLSCAN')) ||
      !stages.some((s) => s.startsWith('IXSCAN') || s.startsWith('IDHACK'))
    ) {
      throw new Error(
        `a read is not served by an index: ${line}\nfilter ${JSON.stringify(recorded.command['filter'])}`,
      );
    }
    plans.push(line);
  }
  return { result, plans };
}
