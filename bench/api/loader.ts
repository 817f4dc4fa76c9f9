// The load's own process, a child of the benchmark: it sends every measured request, the HTTP
// GETs to the servers' child and the bare driver finds straight to the database, so that both
// kinds of load come from the same process, heap and event loop, which does nothing else (the
// parent only orchestrates; the servers never share an event loop with their load).
//
// The bare targets replay the finds the routes' store calls sent, recorded from the API's own
// client (servers.ts, plans.ts), request for request: the k-th bare find is the find of the k-th
// request of the route's rotation. The driver client is mongoClient, as the API's, and stays
// connected across measurements as the API's does. The `unhinted` targets are a diagnostic: the
// same finds without their hint (plans.ts, withoutHint).
import type { Db } from 'mongodb';
import { BSON } from 'mongodb';
import { mongoClient } from '../../store/index.js';
import {
  httpTarget,
  type LoadOptions,
  type LoadRequest,
  type LoadTarget,
  type Measurement,
  measureClosed,
  measureOpen,
  type OpenLoadOptions,
} from './load.js';
import { findOf, type RecordedFind, replay, withoutHint } from './plans.js';

export type TargetName =
  'hello' | 'inbox' | 'audit' | 'bare inbox' | 'bare audit' | 'unhinted inbox' | 'unhinted audit';

export interface LoaderSetup {
  kind: 'setup';
  mongoUri: string;
  dbName: string;
  apiPort: number;
  helloPort: number;
  inbox: LoadRequest[];
  audit: LoadRequest[];
  /** The recorded finds of the inbox and audit requests, in the same order (EJSON of Document[]). */
  inboxFinds: string;
  auditFinds: string;
}

export type LoaderRequest =
  | LoaderSetup
  | { kind: 'closed'; target: TargetName; options: LoadOptions }
  | { kind: 'open'; target: TargetName; options: OpenLoadOptions }
  | { kind: 'stop' };

export type LoaderAnswer =
  { kind: 'ready' } | { kind: 'measured'; m: Measurement } | { kind: 'failed'; error: string };

/** Rotates over `items`, one per call, from where the last measurement left off. */
function rotation<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('nothing to rotate over');
  let turn = 0;
  return () => items[turn++ % items.length]!;
}

function bareTarget(name: string, db: Db, finds: RecordedFind[]): LoadTarget {
  const next = rotation(finds);
  return {
    name,
    // The driver's pool is the connections; the load's concurrency bounds what is in flight.
    open: () => ({
      send: async () => {
        await replay(db, next());
        return null;
      },
      close: () => undefined,
    }),
  };
}

const findsOf = (ejson: string): RecordedFind[] =>
  (BSON.EJSON.parse(ejson) as Record<string, unknown>[]).map((command) => findOf(command));

function main(): void {
  let targets: Record<TargetName, LoadTarget> | null = null;
  let close: () => Promise<void> = () => Promise.resolve();
  const answer = (a: LoaderAnswer) => process.send?.(a);
  process.on('message', (request: LoaderRequest) => {
    void (async () => {
      try {
        if (request.kind === 'setup') {
          const mongo = mongoClient(request.mongoUri);
          await mongo.connect();
          close = () => mongo.close();
          const db = mongo.db(request.dbName);
          targets = {
            hello: httpTarget('hello', request.helloPort, () => ({ path: '/hello' })),
            inbox: httpTarget('inbox', request.apiPort, rotation(request.inbox)),
            audit: httpTarget('audit', request.apiPort, rotation(request.audit)),
            'bare inbox': bareTarget('bare inbox', db, findsOf(request.inboxFinds)),
            'bare audit': bareTarget('bare audit', db, findsOf(request.auditFinds)),
            'unhinted inbox': bareTarget('unhinted inbox', db, findsOf(request.inboxFinds).map(withoutHint)),
            'unhinted audit': bareTarget('unhinted audit', db, findsOf(request.auditFinds).map(withoutHint)),
          };
          answer({ kind: 'ready' });
        } else if (request.kind === 'stop') {
          await close();
          process.exit(0);
        } else {
          if (targets === null) throw new Error('loader: measure before setup');
          const target = targets[request.target];
          const m =
            request.kind === 'closed'
              ? await measureClosed(target, request.options)
              : await measureOpen(target, request.options);
          answer({ kind: 'measured', m });
        }
      } catch (error) {
        answer({
          kind: 'failed',
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      }
    })();
  });
  answer({ kind: 'ready' });
}

main();
