// What a measured piece of work sends to the database and gets back, counted by the driver's
// command monitoring on the benchmark's one client: commands by name and collection (the
// connection's own handshakes and pings left out, as test/support/plans.ts does), the time each
// kind took from send to reply, and the documents that come back in `find`, `getMore` and
// `aggregate` replies (documents read). Client-side counts: SecantusDB's serverStatus has no scan
// metrics, and the test server is shared, so its opcounters are not ours.
import type { Document, MongoClient } from 'mongodb';

/** Commands that are the connection's, not the work's. */
const HANDSHAKE = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'endSessions',
  'saslStart',
  'saslContinue',
]);
const READS = new Set(['find', 'getMore', 'aggregate']);

export interface Kind {
  count: number;
  /** Send to reply, summed (commands sent at once overlap). */
  ms: number;
}

export interface Traffic {
  commands: number;
  /** Documents returned by reads (find, getMore, aggregate batches). */
  documents: number;
  /** By `<command> <collection>[ hinted]`, e.g. `find findings`, `find projects hinted`. */
  byKind: Record<string, Kind>;
}

const returned = (reply: Document | undefined): number => {
  const cursor = reply?.['cursor'] as Document | undefined;
  const batch = (cursor?.['firstBatch'] ?? cursor?.['nextBatch']) as unknown[] | undefined;
  return Array.isArray(batch) ? batch.length : 0;
};

/**
 * `find findings`: the command and the collection it names (`getMore` names it as `collection`),
 * and `hinted` for a find that names its index (SecantusDB 0.7 walks the whole index then).
 */
function kindOf(name: string, command: Document): string {
  const target: unknown = name === 'getMore' ? command['collection'] : command[name];
  const hinted = command['hint'] === undefined ? '' : ' hinted';
  return typeof target === 'string' ? `${name} ${target}${hinted}` : name;
}

const empty = (): Traffic => ({ commands: 0, documents: 0, byKind: {} });

/** Counts everything `client` (created with monitorCommands) sends from now on; `take` answers and restarts. */
export function countTraffic(client: MongoClient): { take: () => Traffic; stop: () => void } {
  let current = empty();
  const pending = new Map<number, string>();
  const started = (event: { commandName: string; command: Document; requestId: number }): void => {
    if (HANDSHAKE.has(event.commandName)) return;
    const kind = kindOf(event.commandName, event.command);
    pending.set(event.requestId, kind);
    current.commands++;
    const seen = (current.byKind[kind] ??= { count: 0, ms: 0 });
    seen.count++;
  };
  const ended = (event: {
    commandName: string;
    requestId: number;
    duration: number;
    reply?: unknown;
  }): void => {
    const kind = pending.get(event.requestId);
    if (kind === undefined) return;
    pending.delete(event.requestId);
    const seen = current.byKind[kind];
    if (seen !== undefined) seen.ms += event.duration;
    if (READS.has(event.commandName)) current.documents += returned(event.reply as Document | undefined);
  };
  client.on('commandStarted', started);
  client.on('commandSucceeded', ended);
  client.on('commandFailed', ended);
  return {
    take: () => {
      const taken = current;
      current = empty();
      return taken;
    },
    stop: () => {
      client.off('commandStarted', started);
      client.off('commandSucceeded', ended);
      client.off('commandFailed', ended);
    },
  };
}

/** `find findings 1000 (12.3 s), ...`, the kinds that took longest first. */
export const describeCommands = (t: Traffic): string =>
  Object.entries(t.byKind)
    .sort((a, b) => b[1].ms - a[1].ms || a[0].localeCompare(b[0]))
    .map(([kind, k]) => `${kind} ${k.count} (${(k.ms / 1000).toFixed(1)} s)`)
    .join(', ');
