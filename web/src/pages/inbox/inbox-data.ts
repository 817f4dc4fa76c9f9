// The inbox's data: every open task of the signed-in approver and of the people they stand in for,
// read page by page through the API's cursor, and the pure filtering and sorting the screen
// applies to it. Filters and sort run in the browser: an inbox is at most a few thousand tasks,
// and choosing a filter must not wait for the network.
import { api, type paths, unwrap } from '../../api-client/client.js';

export type Task =
  paths['/v1/tasks/inbox']['get']['responses']['200']['content']['application/json']['items'][number];
export type TaskKind = Task['kind'];

/** The API's largest page: 1,000 tasks are two requests. */
const PAGE_SIZE = 500;
/** A guard against a cursor that never ends (a server bug must not hang the tab). */
const MAX_PAGES = 200;

/** All open tasks of the caller, in the API's order (soonest deadline first). */
export async function readWholeInbox(): Promise<Task[]> {
  const tasks: Task[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await unwrap(
      api.GET('/v1/tasks/inbox', {
        params: { query: cursor === undefined ? { limit: PAGE_SIZE } : { limit: PAGE_SIZE, cursor } },
      }),
    );
    tasks.push(...answer.items);
    if (answer.nextCursor === null) break;
    cursor = answer.nextCursor;
  }
  return tasks;
}

export type SortKey = 'due' | 'opened-oldest' | 'opened-newest' | 'title';
export type DueFilter = 'any' | 'overdue' | 'today' | 'week';

export interface Filters {
  kind: TaskKind | '';
  policy: string;
  /** A project name, NO_PROJECT, or '' for any. */
  project: string;
  due: DueFilter;
  sort: SortKey;
}

export const NO_PROJECT = '(none)';
export const NO_FILTERS: Filters = { kind: '', policy: '', project: '', due: 'any', sort: 'due' };

export const KIND_LABEL: Record<TaskKind, string> = {
  approval: 'Approval',
  attestation: 'Attestation',
  waiver: 'Waiver',
};

export type DueClass = 'overdue' | 'today' | 'week' | 'later' | 'none';

/** The ends of the browser's today and of its week (Monday-based, as the PMOs this is for count). */
interface DueBounds {
  now: number;
  endOfToday: number;
  endOfWeek: number;
}

function boundsAt(now: number): DueBounds {
  const today = new Date(now);
  today.setHours(24, 0, 0, 0);
  const week = new Date(today);
  // getDay(): 0 = Sunday; the week ends when Monday begins.
  week.setDate(week.getDate() + ((8 - week.getDay()) % 7));
  return { now, endOfToday: today.getTime(), endOfWeek: week.getTime() };
}

/** Where a deadline falls, by the browser's calendar. */
function classify(dueAt: string | null, b: DueBounds): DueClass {
  if (dueAt === null) return 'none';
  const due = Date.parse(dueAt);
  if (due < b.now) return 'overdue';
  if (due < b.endOfToday) return 'today';
  if (due < b.endOfWeek) return 'week';
  return 'later';
}

function matchesDue(filter: DueFilter, due: DueClass): boolean {
  switch (filter) {
    case 'any':
      return true;
    case 'overdue':
      return due === 'overdue';
    case 'today':
      return due === 'today';
    case 'week':
      return due === 'today' || due === 'week';
  }
}

/** A task with its sort keys parsed once (a sort compares each task about 20 times for 1,000). */
interface Keyed {
  task: Task;
  due: number;
  opened: number;
}

const byDue = (a: Keyed, b: Keyed): number => a.due - b.due || a.opened - b.opened;

const COMPARE: Record<SortKey, (a: Keyed, b: Keyed) => number> = {
  due: byDue,
  'opened-oldest': (a, b) => a.opened - b.opened || byDue(a, b),
  'opened-newest': (a, b) => b.opened - a.opened || byDue(a, b),
  title: (a, b) => a.task.title.localeCompare(b.task.title) || byDue(a, b),
};

/** The tasks the filters let through, in the chosen order (ties by id, so the order is stable). */
export function applyFilters(tasks: readonly Task[], filters: Filters, now: number): Task[] {
  const bounds = boundsAt(now);
  const kept: Keyed[] = [];
  for (const t of tasks) {
    if (
      (filters.kind === '' || t.kind === filters.kind) &&
      (filters.policy === '' || t.policy.name === filters.policy) &&
      (filters.project === '' || (t.project ?? NO_PROJECT) === filters.project) &&
      matchesDue(filters.due, classify(t.dueAt, bounds))
    ) {
      kept.push({
        task: t,
        due: t.dueAt === null ? Infinity : Date.parse(t.dueAt),
        opened: Date.parse(t.openedAt),
      });
    }
  }
  const compare = COMPARE[filters.sort];
  kept.sort((a, b) => compare(a, b) || (a.task.id < b.task.id ? -1 : a.task.id > b.task.id ? 1 : 0));
  return kept.map((k) => k.task);
}

export interface FilterChoices {
  policies: string[];
  projects: string[];
  dueCounts: Record<DueFilter, number>;
}

/** The values the filter menus offer: what occurs in the inbox, with counts for the due filter. */
export function filterChoices(tasks: readonly Task[], now: number): FilterChoices {
  const policies = new Set<string>();
  const projects = new Set<string>();
  const dueCounts: Record<DueFilter, number> = { any: tasks.length, overdue: 0, today: 0, week: 0 };
  const bounds = boundsAt(now);
  for (const t of tasks) {
    policies.add(t.policy.name);
    projects.add(t.project ?? NO_PROJECT);
    const due = classify(t.dueAt, bounds);
    if (due === 'overdue') dueCounts.overdue += 1;
    if (due === 'today') dueCounts.today += 1;
    if (due === 'today' || due === 'week') dueCounts.week += 1;
  }
  return {
    policies: [...policies].sort((a, b) => a.localeCompare(b)),
    projects: [...projects].sort((a, b) => a.localeCompare(b)),
    dueCounts,
  };
}

/** The step a task belongs to, as bulk approval groups them: one policy, one step. */
export const stepKeyOf = (t: Task): string => `${t.policy.name}\u0000${t.step}`;

/** The console's path of a task (ids contain `/` and `#`). */
export const taskPath = (id: string): string => `/tasks/${encodeURIComponent(id)}`;
