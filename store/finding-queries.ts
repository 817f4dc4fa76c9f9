// The reads over findings (store/findings.ts writes them): the list newest first under the
// console's filters, the live findings of some projects, and the report of open findings by
// project and age with the mean time to resolve. The index names live here, beside the queries
// that use them; findings.ts declares them in the manifest.
//
// How each read is served: the list through an index per filter that ends in the sort fields
// (openedAt, `_id`), key-range paging (paging.ts); a first page with one condition is left to the
// planner (`unhintedFirstPage`: SecantusDB 0.7 walks the whole index of a hinted find, and plans a
// filter of one field on its index unhinted), every later page and every page with several
// conditions names its index. The live findings of projects are one `project` `$in` (one field, so
// both servers use the index's bounds), the live ones picked from each project's findings in code.
import type { Collection, Db, Document, Filter } from 'mongodb';
import {
  type Finding,
  type FindingDoc,
  FINDINGS,
  type FindingsReport,
  type FindingStatus,
  LIVE_STATUSES,
  type LiveGroup,
  reportOf,
  toFinding,
} from './finding-model.js';
import { findPage, type SortField } from './paging.js';

/** Index names, as findings.ts declares them in the manifest and the queries hint them. */
export const INDEX = {
  oneLive: 'findings_one_live_per_key',
  key: 'findings_by_key',
  newest: 'findings_newest',
  status: 'findings_by_status',
  project: 'findings_by_project',
  monitor: 'findings_by_monitor',
  policy: 'findings_by_policy',
  person: 'findings_by_person',
} as const;

/** Keys or codes in one `$in`: small enough for any server, large enough to be few queries. */
export const PER_QUERY = 500;

const NEWEST_FIRST: readonly SortField[] = [
  { field: 'openedAt', order: -1 },
  { field: '_id', order: -1 },
];

const DAY_MS = 24 * 3600 * 1000;

export type FindingListStatus = 'live' | FindingStatus;

export interface FindingFilter {
  status?: FindingListStatus;
  /** A project's code. */
  project?: string;
  monitor?: string;
  /** The policy's name. */
  policy?: string;
  /** An owner, or a person escalation added. */
  person?: string;
}

/**
 * The stored filter and the index that serves it: with several filters, the first of person,
 * project, monitor, policy and status that is given (likely the most selective); the others are
 * checked on the documents it finds.
 */
function listQuery(filter: FindingFilter): { filter: Filter<Document>; hint: string; single: boolean } {
  const stored: Filter<Document> = {};
  if (filter.status !== undefined) {
    stored['status'] = filter.status === 'live' ? { $in: [...LIVE_STATUSES] } : filter.status;
  }
  if (filter.project !== undefined) stored['project'] = filter.project;
  if (filter.monitor !== undefined) stored['monitor'] = filter.monitor;
  if (filter.policy !== undefined) stored['policy.name'] = filter.policy;
  if (filter.person !== undefined) stored['people'] = filter.person;
  const hint =
    filter.person !== undefined
      ? INDEX.person
      : filter.project !== undefined
        ? INDEX.project
        : filter.monitor !== undefined
          ? INDEX.monitor
          : filter.policy !== undefined
            ? INDEX.policy
            : filter.status !== undefined
              ? INDEX.status
              : INDEX.newest;
  return { filter: stored, hint, single: Object.keys(stored).length === 1 };
}

export class FindingQueries {
  private readonly findings: Collection<FindingDoc>;

  constructor(db: Db) {
    this.findings = db.collection<FindingDoc>(FINDINGS);
  }

  /** Newest first (openedAt, then `_id`), key-range paging (findPage); filters by equality. */
  async page(
    filter: FindingFilter,
    cursor: string | null,
    limit: number,
  ): Promise<{ items: Finding[]; nextCursor: string | null }> {
    const query = listQuery(filter);
    const page = await findPage(this.findings as unknown as Collection<Document>, {
      list: 'findings',
      filter: query.filter,
      sort: NEWEST_FIRST,
      ...(cursor === null ? {} : { after: cursor }),
      limit,
      parse: toFinding,
      hint: query.hint,
      ...(query.single ? { unhintedFirstPage: true as const } : {}),
    });
    return { items: page.items, nextCursor: page.next };
  }

  /**
   * The live findings of the projects `codes`, by project code, newest first within each: one read
   * of the projects' findings per 500 codes (a second condition beside the `$in` would make
   * SecantusDB scan the collection), the live ones kept.
   */
  async liveByProject(codes: readonly string[]): Promise<Finding[]> {
    const unique = [...new Set(codes)];
    const found: Finding[] = [];
    for (let i = 0; i < unique.length; i += PER_QUERY) {
      const raws = await this.findings.find({ project: { $in: unique.slice(i, i + PER_QUERY) } }).toArray();
      for (const raw of raws) if (raw.liveKey !== undefined) found.push(toFinding(raw));
    }
    return found.sort(
      (a, b) =>
        a.project.localeCompare(b.project) ||
        b.openedAt.getTime() - a.openedAt.getTime() ||
        b.id.localeCompare(a.id),
    );
  }

  /**
   * Live findings per project by age (< 7 days, 7 to 30, > 30 days at `now`) and per monitor, and
   * the mean time from opening to ending of every ended finding: two aggregations grouped on the
   * server (SecantusDB runs $match, $group, $cond and $subtract; the store tests prove the numbers).
   */
  async report(now: Date): Promise<FindingsReport> {
    const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
    const monthAgo = new Date(now.getTime() - 30 * DAY_MS);
    const groups = await this.findings
      .aggregate<{
        _id: { project: string; policy: string; monitor: string };
        count: number;
        under7: number;
        over30: number;
      }>([
        { $match: { status: { $in: [...LIVE_STATUSES] } } },
        {
          $group: {
            _id: { project: '$project', policy: '$policy.name', monitor: '$monitor' },
            count: { $sum: 1 },
            under7: { $sum: { $cond: [{ $gt: ['$openedAt', weekAgo] }, 1, 0] } },
            over30: { $sum: { $cond: [{ $lt: ['$openedAt', monthAgo] }, 1, 0] } },
          },
        },
      ])
      .toArray();
    const [ended] = await this.findings
      .aggregate<{ count: number; totalMs: number }>([
        { $match: { status: { $in: ['resolved', 'waived', 'closed'] } } },
        {
          $group: {
            _id: null,
            count: { $sum: 1 },
            totalMs: { $sum: { $subtract: ['$endedAt', '$openedAt'] } },
          },
        },
      ])
      .toArray();
    const live: LiveGroup[] = groups.map((g) => ({
      ...g._id,
      under7: g.under7,
      from7to30: g.count - g.under7 - g.over30,
      over30: g.over30,
    }));
    return reportOf(now, live, { count: ended?.count ?? 0, totalMs: ended?.totalMs ?? 0 });
  }
}
