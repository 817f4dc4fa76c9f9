// The requests the load sends to the two measured routes, and one recorded pass over all of them
// before the load: each request is sent once to a recording servers' child (servers.ts,
// BENCH_RECORD=1), must answer 200, and the commands the API sent to the database for it are kept.
// Out of that pass come the finds the bare load replays (the k-th request's own find, so both
// loads rotate over the same filters), the finds plans.ts explains, and the commands per request.
import { performance } from 'node:perf_hooks';
import { BSON, type Document } from 'mongodb';
import type { Servers } from './children.js';
import { fetchOnce, type LoadRequest, median } from './load.js';
import { findOf, type RecordedFind } from './plans.js';
import type { SeedWorld } from './seed.js';

export type RouteName = 'inbox' | 'audit';

export interface RouteRequests {
  inbox: LoadRequest[];
  audit: LoadRequest[];
}

/** The collection each route's store call reads (its one find there is what the bare load replays). */
const READS: Record<RouteName, string> = { inbox: 'tasks', audit: 'audit_events' };

/**
 * Inbox: one approver per token, in turn. Audit: one project and calendar month per request, in a
 * stride prime to their count, so consecutive requests hit different projects and months.
 */
export function routeRequests(world: SeedWorld, inboxTokens: string[], auditorToken: string): RouteRequests {
  const windows: string[] = [];
  for (const project of world.projects) {
    for (let month = 0; month < 12; month++) {
      const from = new Date(Date.UTC(world.from.getUTCFullYear(), month, 1));
      const to = new Date(Date.UTC(world.from.getUTCFullYear(), month + 1, 1));
      windows.push(
        `/v1/audit/events?project=${project}&from=${from.toISOString()}&to=${to.toISOString()}&limit=50`,
      );
    }
  }
  const stride = 37;
  if (windows.length % stride === 0) throw new Error('the audit stride must be prime to the window count');
  return {
    inbox: inboxTokens.map((token) => ({ path: '/v1/tasks/inbox', token })),
    audit: windows.map((_, k) => ({ path: windows[(k * stride) % windows.length]!, token: auditorToken })),
  };
}

export interface RecordedRoute {
  /** The find of each request, in request order. */
  finds: RecordedFind[];
  /** Commands per request: the first request's, by name and collection, and the range over all. */
  firstCommands: string[];
  minCommands: number;
  maxCommands: number;
  /** Items on the answered pages: least, mean, most. */
  items: { min: number; mean: number; max: number };
  /** Latency of the requests, one at a time (the recording API: command monitoring on): median, most. */
  latencyMs: { p50: number; max: number };
}

async function commandsSince(servers: Servers): Promise<{ name: string; command: Document }[]> {
  const answer = await servers.ask({ kind: 'commands' });
  if (answer.kind !== 'commands') throw new Error(`servers: expected commands, got ${answer.kind}`);
  return BSON.EJSON.parse(answer.ejson) as { name: string; command: Document }[];
}

const described = ({ name, command }: { name: string; command: Document }) =>
  `${name} ${String(command[name] ?? '')}`.trim();

/** Sends every request of `route` once through the recording servers; throws unless each is a 200. */
export async function recordRoute(
  servers: Servers,
  port: number,
  route: RouteName,
  requests: LoadRequest[],
): Promise<RecordedRoute> {
  await commandsSince(servers); // whatever the servers did before this route (start-up)
  const finds: RecordedFind[] = [];
  const counts: number[] = [];
  const items: number[] = [];
  const latencies: number[] = [];
  let firstCommands: string[] = [];
  for (const request of requests) {
    const sent = performance.now();
    const answer = await fetchOnce(port, request);
    latencies.push(performance.now() - sent);
    if (answer.status !== 200) throw new Error(`${route} ${request.path}: ${answer.status} ${answer.body}`);
    items.push((JSON.parse(answer.body) as { items: unknown[] }).items.length);
    const commands = await commandsSince(servers);
    const reads = commands.filter((c) => c.name === 'find' && c.command['find'] === READS[route]);
    if (reads.length !== 1) {
      throw new Error(
        `${route} ${request.path}: expected one find on ${READS[route]}, the API sent ${commands.map(described).join(', ')}`,
      );
    }
    finds.push(findOf(reads[0]!.command));
    counts.push(commands.length);
    if (firstCommands.length === 0) firstCommands = commands.map(described);
  }
  return {
    finds,
    firstCommands,
    minCommands: Math.min(...counts),
    maxCommands: Math.max(...counts),
    items: {
      min: Math.min(...items),
      mean: items.reduce((a, b) => a + b, 0) / items.length,
      max: Math.max(...items),
    },
    latencyMs: { p50: median(latencies), max: Math.max(...latencies) },
  };
}

export function describeRecorded(route: RouteName, r: RecordedRoute): string {
  const per = r.minCommands === r.maxCommands ? `${r.minCommands}` : `${r.minCommands}-${r.maxCommands}`;
  return (
    `check: ${route}: ${r.finds.length} distinct requests answered 200 with ${r.items.min}-${r.items.max} ` +
    `items (mean ${r.items.mean.toFixed(1)}), one at a time in p50 ${r.latencyMs.p50.toFixed(1)} ms, max ` +
    `${r.latencyMs.max.toFixed(1)} ms; ${per} database commands per request (${r.firstCommands.join(', ')})`
  );
}

export const findsJson = (finds: RecordedFind[]): string => BSON.EJSON.stringify(finds, { relaxed: false });
