// People as capacity holders: a person's hours per ISO week, their allocations to projects, and
// their utilisation, per person and per project.
//
// Why a person is the (pool, skill) `@people` / <person id> of CapacityStore rather than a store of
// its own: a person's week is then one `capacity_weeks` document and an allocation one
// `allocations` document, guarded exactly like a pool's (capacity.ts: a transaction whose updates
// are conditional on the state it decided on, the request id as the allocation's `_id`), so never
// below zero free hours however many planners allocate at once, and a retried request finds its
// first answer. A second scheme would have to prove all of that again. `@` cannot start a pool name
// in the policy language, so policies reallocating by pool and skill never touch it.
import type {
  AllocationRecord,
  CapacityStore,
  Decision,
  Priority,
  Reallocation,
  ReallocationResult,
} from './capacity.js';
import { percent, round2 } from './capacity-state.js';

/** The pool every person's capacity lives in; the person id is the skill. */
export const PEOPLE_POOL = '@people';

export interface PersonAllocationRequest {
  /** Idempotency key of the allocation: a retry with the same one gets the first answer. */
  request: string;
  person: string;
  project: string;
  /** Total hours, spread evenly over `weeks`. */
  hours: number;
  weeks: string[];
  priority: Priority;
  at: Date;
}

/** One week of an allocation (or of its preview), before and after it. */
export interface AllocationWeek {
  week: string;
  /** This allocation's share of the week. */
  hours: number;
  capacity: number;
  freeBefore: number;
  freeAfter: number;
  /** Hours missing for this week's share (0 when it fits). */
  short: number;
  /** Percent of capacity allocated. */
  utilisationBefore: number;
  utilisationAfter: number;
}

export interface PersonAllocation {
  outcome: ReallocationResult['outcome'];
  detail: string;
  weeks: AllocationWeek[];
}

export interface ProjectHours {
  project: string;
  hours: number;
}

/** One week of a person: capacity, what is allocated and to which projects. */
export interface PersonWeek {
  week: string;
  capacity: number;
  allocated: number;
  free: number;
  utilisation: number;
  projects: ProjectHours[];
}

/** One person on a project: their hours on it per week, next to their load across all projects. */
export interface ProjectMember {
  person: string;
  /** Hours on this project over the weeks asked for. */
  hours: number;
  weeks: { week: string; hours: number; capacity: number; allocated: number; utilisation: number }[];
}

/** Hours per project and week, summed over allocations. */
function hoursByProject(allocations: readonly AllocationRecord[]): Map<string, Map<string, number>> {
  const by = new Map<string, Map<string, number>>();
  for (const a of allocations) {
    const weeks = by.get(a.project) ?? new Map<string, number>();
    for (const [week, hours] of Object.entries(a.perWeek)) {
      weeks.set(week, round2((weeks.get(week) ?? 0) + hours));
    }
    by.set(a.project, weeks);
  }
  return by;
}

export class PeopleCapacity {
  constructor(private readonly capacity: CapacityStore) {}

  /**
   * Sets a person's hours for each of `weeks`, all or none: a week where that is less than what is
   * allocated throws CapacityAllocatedError naming every such week.
   */
  async setHours(person: string, weeks: readonly string[], hours: number): Promise<void> {
    await this.capacity.setCapacities(PEOPLE_POOL, person, Object.fromEntries(weeks.map((w) => [w, hours])));
  }

  /** Allocates the person, all weeks or none; `insufficient` writes nothing. */
  async allocate(r: PersonAllocationRequest): Promise<PersonAllocation> {
    return personAllocation(r.person, await this.capacity.allocate(this.reallocation(r)));
  }

  /** What `allocate` would answer now; writes nothing. */
  async preview(r: PersonAllocationRequest): Promise<PersonAllocation> {
    return personAllocation(r.person, await this.capacity.previewAllocation(this.reallocation(r)));
  }

  /** The person's weeks: capacity, allocated and free hours, utilisation, hours per project. */
  async weeksOf(person: string, weeks: readonly string[]): Promise<PersonWeek[]> {
    const held = await this.capacity.holderWeeks(PEOPLE_POOL, person, weeks);
    const byProject = [...hoursByProject(held.allocations)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return held.weeks.map(({ week, capacity, allocated, free, utilisation }) => ({
      week,
      capacity,
      allocated,
      free,
      utilisation,
      projects: byProject.flatMap(([project, hours]) => {
        const h = hours.get(week) ?? 0;
        return h > 0 ? [{ project, hours: h }] : [];
      }),
    }));
  }

  /**
   * A page of the people with hours on `project` in `weeks`, by person id, each with their hours
   * on it and their utilisation across all projects in those weeks; pass `next` back as `after`.
   */
  async projectMembers(
    project: string,
    weeks: readonly string[],
    page: { after?: string | undefined; limit: number },
  ): Promise<{ members: ProjectMember[]; next: string | null }> {
    const found = await this.capacity.holdersOf(project, PEOPLE_POOL, weeks, page);
    const load = new Map(found.weeks.map((d) => [`${d.skill} ${d.week}`, d]));
    const members = found.holders.map(({ skill: person, hours }) => ({
      person,
      hours: round2([...hours.values()].reduce((sum, h) => sum + h, 0)),
      weeks: weeks.map((week) => {
        const { capacity = 0, allocated = 0, free = 0 } = load.get(`${person} ${week}`) ?? {};
        return {
          week,
          hours: hours.get(week) ?? 0,
          capacity,
          allocated,
          utilisation: percent(capacity, free),
        };
      }),
    }));
    return { members, next: found.next };
  }

  private reallocation({ person, ...rest }: PersonAllocationRequest): Reallocation {
    return { ...rest, pool: PEOPLE_POOL, skill: person };
  }
}

/** A decision about a person, week by week, in the person's words. */
function personAllocation(person: string, decision: Decision): PersonAllocation {
  const { result } = decision;
  return {
    outcome: result.outcome,
    detail: personDetail(person, result.detail),
    weeks: decision.weeks.map(({ week, hours, capacity, freeBefore, freeAfter }) => ({
      week,
      hours,
      capacity,
      freeBefore,
      freeAfter,
      short: round2(Math.max(0, hours - freeBefore)),
      utilisationBefore: result.before[week] ?? 0,
      utilisationAfter: result.after[week] ?? 0,
    })),
  };
}

/**
 * The store's words are about pools and skills (`pool "@people" has 40 free hours of "<person>"`);
 * a planner reads them about the person (`<person> has 40 free hours`).
 */
function personDetail(person: string, detail: string): string {
  const skill = JSON.stringify(person);
  return detail
    .replaceAll(`pool "${PEOPLE_POOL}" has `, `${person} has `)
    .replaceAll(`pool "${PEOPLE_POOL}": `, `${person}: `)
    .replaceAll(` of ${skill}`, '');
}
