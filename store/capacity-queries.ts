// The reads of capacity and allocations, and the indexes they use (the capacity store's manifest
// entry). Every query is one indexed command and names its index (`hint`): MongoDB would choose
// the same one, and SecantusDB 0.7 scans the collection for a filter holding `$in` unless told.
//
// Documents (capacity-state.ts): one `capacity_weeks` document per holder (pool and skill) and ISO
// week, one `allocations` document per reallocation, each with one entry per week it has a share
// in; `weeks.week` is indexed (multikey), so "what touches these weeks" is an index range.
import type { ClientSession, Collection, Db, Document } from 'mongodb';
import { z } from 'zod';
import { parseDoc } from './documents.js';
import type { CollectionSpec } from './manifest.js';
import { decodeCursor, encodeCursor, findPage, InvalidCursorError } from './paging.js';
import {
  allocationSchema,
  capacityWeekSchema,
  percent,
  recordOf,
  round2,
  weekRange,
  weekShareSchema,
  type AllocationDoc,
  type AllocationRecord,
  type CapacityWeekDoc,
  type WeekUtilisation,
} from './capacity-state.js';

export const WEEKS = 'capacity_weeks';
export const ALLOCATIONS = 'allocations';
const HOLDER_WEEK = 'holder_week';
const HOLDER_ALLOCATIONS = 'holder_allocations';
const PROJECT_ALLOCATIONS = 'project_allocations';
const PROJECT_HOLDERS = 'project_holders';
const PROJECT_HOLDERS_LIST = 'project-holders';

export const readWeek = (raw: unknown): CapacityWeekDoc => parseDoc(capacityWeekSchema, raw, WEEKS);
export const readAllocation = (raw: unknown): AllocationDoc => parseDoc(allocationSchema, raw, ALLOCATIONS);

/** A holder's week as a reader sees it (no document: no capacity). */
export interface CapacityWeek extends WeekUtilisation {
  week: string;
  allocated: number;
}

/** A page of the holders with hours on a project: per holder, their hours on it per week. */
export interface HolderPage {
  holders: { skill: string; hours: Map<string, number> }[];
  /** The page's holders' weeks (only weeks that have a document). */
  weeks: CapacityWeekDoc[];
  next: string | null;
}

export const weekOf = (w: string, doc: CapacityWeekDoc | undefined): CapacityWeek => {
  const capacity = doc?.capacity ?? 0;
  const free = doc?.free ?? 0;
  return { week: w, capacity, allocated: doc?.allocated ?? 0, free, utilisation: percent(capacity, free) };
};

export class CapacityQueries {
  private readonly weeks: Collection<CapacityWeekDoc>;
  private readonly allocations: Collection<AllocationDoc>;

  constructor(db: Db) {
    this.weeks = db.collection<CapacityWeekDoc>(WEEKS);
    this.allocations = db.collection<AllocationDoc>(ALLOCATIONS);
  }

  /** The holder's week documents among `weeks`: one indexed find over the weeks' range. */
  async readWeeks(
    pool: string,
    skill: string,
    weeks: readonly string[],
    session?: ClientSession,
  ): Promise<CapacityWeekDoc[]> {
    const { from, to } = weekRange(weeks);
    const raws = await this.weeks
      .find(
        { pool, skill, week: { $gte: from, $lte: to } },
        { hint: HOLDER_WEEK, ...(session === undefined ? {} : { session }) },
      )
      .toArray();
    const asked = new Set(weeks);
    return raws.map(readWeek).filter((d) => asked.has(d.week));
  }

  /** A holder's weeks and the allocations that have a share in any of them, read at once. */
  async holderWeeks(
    pool: string,
    skill: string,
    weeks: readonly string[],
  ): Promise<{ weeks: CapacityWeek[]; allocations: AllocationRecord[] }> {
    const { from, to } = weekRange(weeks);
    const [docs, allocations] = await Promise.all([
      this.readWeeks(pool, skill, weeks),
      this.allocations
        .find(
          { pool, skill, weeks: { $elemMatch: { week: { $gte: from, $lte: to } } } },
          { hint: HOLDER_ALLOCATIONS },
        )
        .toArray(),
    ]);
    const byWeek = new Map(docs.map((d) => [d.week, d]));
    return {
      weeks: weeks.map((w) => weekOf(w, byWeek.get(w))),
      allocations: allocations.map((raw) => recordOf(readAllocation(raw))),
    };
  }

  /** Every allocation made for a project, oldest first, across pools and skills. */
  async allocationsOf(project: string): Promise<AllocationRecord[]> {
    const raws = await this.allocations
      .find({ project }, { sort: { at: 1, _id: 1 }, hint: PROJECT_ALLOCATIONS })
      .toArray();
    return raws.map((raw) => recordOf(readAllocation(raw)));
  }

  /** A page of a project's allocations, oldest first; pass `next` back as `after`. */
  async allocationPage(
    project: string,
    page: { after?: string | undefined; limit: number },
  ): Promise<{ allocations: AllocationRecord[]; next: string | null }> {
    const { items, next } = await findPage(this.allocations as unknown as Collection<Document>, {
      list: 'project-allocations',
      filter: { project },
      sort: [
        { field: 'at', order: 1 },
        { field: '_id', order: 1 },
      ],
      after: page.after,
      limit: page.limit,
      parse: (raw) => recordOf(readAllocation(raw)),
      hint: PROJECT_ALLOCATIONS,
    });
    return { allocations: items, next };
  }

  /**
   * A page of the skills of `pool` (for `@people`: the people) with hours on `project` in
   * `weeks`, by skill, and their weeks. One aggregation groups the project's allocations by
   * holder (a page is of holders, not of allocations, so a find cannot page it); one find reads
   * the page's weeks. The cursor is the last holder, in the store's one cursor codec.
   */
  async holdersOf(
    project: string,
    pool: string,
    weeks: readonly string[],
    page: { after?: string | undefined; limit: number },
  ): Promise<HolderPage> {
    const { from, to } = weekRange(weeks);
    const after = page.after === undefined ? undefined : decodeCursor(PROJECT_HOLDERS_LIST, page.after, 1)[0];
    if (after !== undefined && typeof after !== 'string') throw new InvalidCursorError(PROJECT_HOLDERS_LIST);
    const limit = Math.max(1, Math.min(Math.trunc(page.limit), 500));
    const groups = await this.allocations
      .aggregate<{ _id: string; weeks: unknown[][] }>(
        [
          {
            $match: {
              project,
              pool,
              ...(after === undefined ? {} : { skill: { $gt: after } }),
              weeks: { $elemMatch: { week: { $gte: from, $lte: to }, hours: { $gt: 0 } } },
            },
          },
          { $group: { _id: '$skill', weeks: { $push: '$weeks' } } },
          { $sort: { _id: 1 } },
          { $limit: limit + 1 },
        ],
        { hint: PROJECT_HOLDERS },
      )
      .toArray();
    const asked = new Set(weeks);
    const holders = groups.slice(0, limit).map((g) => {
      const hours = new Map<string, number>();
      for (const share of parseDoc(z.array(weekShareSchema), g.weeks.flat(), ALLOCATIONS)) {
        if (asked.has(share.week)) hours.set(share.week, round2((hours.get(share.week) ?? 0) + share.hours));
      }
      return { skill: g._id, hours };
    });
    const last = holders.at(-1);
    const next =
      groups.length > limit && last !== undefined ? encodeCursor(PROJECT_HOLDERS_LIST, [last.skill]) : null;
    const docs =
      holders.length === 0
        ? []
        : await this.weeks
            .find(
              { pool, skill: { $in: holders.map((h) => h.skill) }, week: { $gte: from, $lte: to } },
              { hint: HOLDER_WEEK },
            )
            .toArray();
    return { holders, weeks: docs.map(readWeek), next };
  }
}

/** The capacity store's collections and the indexes its queries use (store/manifest.ts). */
export const capacityCollections: CollectionSpec[] = [
  {
    name: WEEKS,
    holds: 'the capacity of one pool and skill (a person: pool @people) in one ISO week, allocated and free',
    shardKey: { pool: 1, skill: 1 },
    indexes: [
      {
        name: HOLDER_WEEK,
        key: { pool: 1, skill: 1, week: 1 },
        unique: true,
        serves:
          "a holder's weeks in a range (utilisation, reallocations, a person's weeks, a project's people); " +
          'one document per holder and week',
      },
    ],
  },
  {
    name: ALLOCATIONS,
    holds: 'one reallocation that drew capacity (_id: its request id), with its share of each week',
    // Allocations live with their holder's weeks. MongoDB keeps `_id` unique per shard only; a
    // retry names the same pool and skill, so it reaches the shard that holds its first answer.
    shardKey: { pool: 1, skill: 1 },
    indexes: [
      {
        name: HOLDER_ALLOCATIONS,
        key: { pool: 1, skill: 1, 'weeks.week': 1 },
        serves: "a holder's allocations with a share in a week range (a person's hours per project)",
      },
      {
        name: PROJECT_ALLOCATIONS,
        key: { project: 1, at: 1, _id: 1 },
        serves: "a project's allocations oldest first, paged by (at, _id)",
      },
      {
        name: PROJECT_HOLDERS,
        key: { project: 1, pool: 1, skill: 1, 'weeks.week': 1 },
        serves: "a project's holders (its people) with hours in a week range, paged by holder",
      },
    ],
  },
];
