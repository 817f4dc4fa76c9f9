// People as capacity holders: a person's hours per ISO week, their allocations to projects, and
// their utilisation, per person and per project.
//
// Why a person is the (pool, skill) `@people` / <person id> of CapacityStore rather than a store of
// its own: the ledger already guarantees what matters here on FerretDB v1, where only unique keys
// hold (never below zero free hours however many planners allocate at once, and a retried request
// finds its first answer). A second scheme would have to prove all of that again. `@` cannot start
// a pool name in the policy language, so policies reallocating by pool and skill never touch it.
import {
  type AllocationRecord,
  type CapacityStore,
  type Priority,
  type ReallocationResult,
  spread,
} from './capacity.js';

/** The pool every person's capacity lives in; the person id is the skill. */
export const PEOPLE_POOL = '@people';

const round2 = (n: number): number => Math.round(n * 100) / 100;

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

function percent(capacity: number, free: number): number {
  return capacity <= 0 ? 0 : Math.round(((capacity - free) / capacity) * 1000) / 10;
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
    const result = await this.capacity.reallocate({ ...r, pool: PEOPLE_POOL, skill: r.person });
    if (result.outcome === 'allocated') {
      // The state the allocation itself left, not a later read that other allocations moved on.
      const made = await this.capacity.allocationOf(PEOPLE_POOL, r.person, r.request);
      if (made !== null) {
        return {
          outcome: 'allocated',
          detail: personDetail(r.person, result.detail),
          weeks: r.weeks.map((week) => {
            const hours = made.record.perWeek[week] ?? 0;
            const freeAfter = made.free[week] ?? 0;
            return {
              week,
              hours,
              capacity: made.capacity[week] ?? 0,
              freeBefore: round2(freeAfter + hours),
              freeAfter,
              short: 0,
              utilisationBefore: made.record.before[week] ?? 0,
              utilisationAfter: made.record.after[week] ?? 0,
            };
          }),
        };
      }
    }
    return this.explain(r, result);
  }

  /** What `allocate` would answer now; writes nothing. */
  async preview(r: PersonAllocationRequest): Promise<PersonAllocation> {
    const result = await this.capacity.preview({ ...r, pool: PEOPLE_POOL, skill: r.person });
    return this.explain(r, result);
  }

  /** The person's weeks: capacity, allocated and free hours, utilisation, hours per project. */
  async weeksOf(person: string, weeks: readonly string[]): Promise<PersonWeek[]> {
    const ledger = await this.capacity.ledgerOf(PEOPLE_POOL, person);
    const byProject = [...hoursByProject(ledger.allocations)].sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return weeks.map((week) => {
      const capacity = ledger.capacity[week] ?? 0;
      const free = ledger.free[week] ?? 0;
      return {
        week,
        capacity,
        allocated: round2(capacity - free),
        free,
        utilisation: percent(capacity, free),
        projects: byProject.flatMap(([project, hours]) => {
          const h = hours.get(week) ?? 0;
          return h > 0 ? [{ project, hours: h }] : [];
        }),
      };
    });
  }

  /**
   * A page of the people with hours on `project` in `weeks`, by person id after `after`, each with
   * their hours on it and their utilisation across all projects in those weeks.
   */
  async projectMembers(
    project: string,
    weeks: readonly string[],
    page: { after?: string | undefined; limit: number },
  ): Promise<{ members: ProjectMember[]; more: boolean }> {
    const allocations = (await this.capacity.allocationsOf(project)).filter((a) => a.pool === PEOPLE_POOL);
    const byPerson = new Map<string, Map<string, number>>();
    for (const a of allocations) {
      const hours = byPerson.get(a.skill) ?? new Map<string, number>();
      for (const week of weeks) hours.set(week, round2((hours.get(week) ?? 0) + (a.perWeek[week] ?? 0)));
      byPerson.set(a.skill, hours);
    }
    const after = page.after;
    const people = [...byPerson]
      .filter(
        ([person, hours]) =>
          (after === undefined || person > after) && [...hours.values()].some((h) => h > 0),
      )
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const members = await Promise.all(
      people.slice(0, page.limit).map(async ([person, hours]) => {
        const load = await this.capacity.utilisation(PEOPLE_POOL, person, weeks);
        return {
          person,
          hours: round2([...hours.values()].reduce((sum, h) => sum + h, 0)),
          weeks: weeks.map((week) => {
            const { capacity = 0, free = 0, utilisation = 0 } = load[week] ?? {};
            return {
              week,
              hours: hours.get(week) ?? 0,
              capacity,
              allocated: round2(capacity - free),
              utilisation,
            };
          }),
        };
      }),
    );
    return { members, more: people.length > page.limit };
  }

  /** A decision made without the state it left behind: the shares against the current state. */
  private async explain(r: PersonAllocationRequest, result: ReallocationResult): Promise<PersonAllocation> {
    const shares = spread(r.hours, r.weeks);
    const now = await this.capacity.utilisation(PEOPLE_POOL, r.person, r.weeks);
    const allocated = result.outcome === 'allocated';
    return {
      outcome: result.outcome,
      detail: personDetail(r.person, result.detail),
      weeks: r.weeks.map((week) => {
        const hours = shares[week] ?? 0;
        const { capacity = 0, free = 0 } = now[week] ?? {};
        return {
          week,
          hours,
          capacity,
          freeBefore: free,
          freeAfter: allocated ? round2(free - hours) : free,
          short: round2(Math.max(0, hours - free)),
          utilisationBefore: result.before[week] ?? 0,
          utilisationAfter: result.after[week] ?? 0,
        };
      }),
    };
  }
}

/**
 * The ledger's words are about pools and skills (`pool "@people" has 40 free hours of "<person>"`);
 * a planner reads them about the person (`<person> has 40 free hours`).
 */
function personDetail(person: string, detail: string): string {
  const skill = JSON.stringify(person);
  return detail
    .replaceAll(`pool "${PEOPLE_POOL}" has `, `${person} has `)
    .replaceAll(`pool "${PEOPLE_POOL}": `, `${person}: `)
    .replaceAll(` of ${skill}`, '');
}
