// The reads of My requests: the instances I started (GET /v1/instances?startedBy=me), newest
// first, as many pages as were asked for ("Load more" asks for one more), each walked by its
// cursor; and, for the running ones, their timelines, where an approver's request for changes
// shows. Both stay live: the list is read again every few seconds, answered 304 when unchanged.
import { useRef } from 'react';
import { api, unwrap } from '../../api-client/client.js';
import type { paths } from '../../api-client/client.js';
import { type LiveRead, useLive } from '../../app/live.js';
import { type ChangesRequested, changesRequestedOf } from './changes-requested.js';

export type Instance =
  paths['/v1/instances']['get']['responses']['200']['content']['application/json']['items'][number];
export type Status = Instance['status'];
export const STATUSES: readonly Status[] = ['running', 'approved', 'rejected', 'cancelled'];

export const PAGE_SIZE = 20;

type ListQuery = NonNullable<paths['/v1/instances']['get']['parameters']['query']>;
type ListAnswer = paths['/v1/instances']['get']['responses']['200']['content']['application/json'];

export interface RequestsPage {
  items: Instance[];
  /** More requests than the pages read so far. */
  more: boolean;
}

async function readPages(person: string, status: Status | null, pages: number): Promise<RequestsPage> {
  const items: Instance[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < pages; page += 1) {
    const query: ListQuery = {
      startedBy: person,
      limit: PAGE_SIZE,
      ...(status === null ? {} : { status }),
      ...(cursor === null ? {} : { cursor }),
    };
    const answer: ListAnswer = await unwrap(api.GET('/v1/instances', { params: { query } }));
    items.push(...answer.items);
    cursor = answer.nextCursor;
    if (cursor === null) break;
  }
  return { items, more: cursor !== null };
}

/**
 * The requests `person` started with `status` (null: all), `pages` pages of them. While "Load
 * more" reads a longer list, the shorter one stays on the screen instead of a loading state.
 */
export function useMyRequests(person: string, status: Status | null, pages: number): LiveRead<RequestsPage> {
  const filter = `${person}\n${status ?? 'all'}`;
  const read = useLive(`${filter}\n${pages}`, () => readPages(person, status, pages));
  const last = useRef<{ filter: string; data: RequestsPage } | null>(null);
  if (read.data !== null) last.current = { filter, data: read.data };
  if (read.data === null && read.error === null && last.current?.filter === filter) {
    return { ...read, data: last.current.data, loading: false };
  }
  return read;
}

/** What a running request's timeline says that its list row does not. */
export interface RequestDetail {
  changes: ChangesRequested[];
}

/**
 * How often the running requests' timelines are read when their list rows did not change. Each
 * read is one instance detail per running request, and each detail asks its workflow: the list
 * itself stays at the live interval, and any change in a row (its steps, what it waits on) reads
 * the timelines again at once, since a request for changes moves those too.
 */
const DETAILS_INTERVAL_MS = 5_000;

/** The timelines of the running requests, by instance id (a request that fails to load is left out). */
export function useRunningDetails(items: readonly Instance[]): Map<string, RequestDetail> {
  const running = items.filter((i) => i.status === 'running');
  const ids = running.map((i) => i.instanceId);
  const rows = running.map((i) => JSON.stringify([i.instanceId, i.currentSteps, i.blockedOn])).join('\n');
  const read = useLive(
    ids.length === 0 ? null : `details\n${rows}`,
    async () => {
      const answers = await Promise.allSettled(
        ids.map((id) => unwrap(api.GET('/v1/instances/{id}', { params: { path: { id } } }))),
      );
      const details: [string, RequestDetail][] = [];
      answers.forEach((answer, i) => {
        const id = ids[i];
        if (answer.status === 'fulfilled' && id !== undefined) {
          details.push([id, { changes: changesRequestedOf(answer.value.timeline) }]);
        }
      });
      return details;
    },
    { intervalMs: DETAILS_INTERVAL_MS },
  );
  // While a changed list is read again, the details read before stay (no flicker of the panels).
  const last = useRef<[string, RequestDetail][]>([]);
  if (read.data !== null) last.current = read.data;
  return new Map(ids.length === 0 ? [] : (read.data ?? last.current));
}
