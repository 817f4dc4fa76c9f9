// The simulated outside world: who is in which group, who manages whom, what the external check
// services answer, how much capacity each pool has and who holds which qualification. The
// simulator answers the machine's resolve, runCheck and reallocate commands from it, the way the
// runtime's activities answer them from MongoDB and HTTP, including the failures (unknown group,
// empty group, no capacity, a lapsed qualification).
import type { MachineEvent, PersonRef, ResolveProblem } from '../machine/index.js';
import type { WorldQualifications } from './qualifications.js';

export interface CheckAnswer {
  /** `pending` leaves the check running until a script answers it. */
  outcome: 'passed' | 'failed' | 'error' | 'pending';
  evidence?: string | undefined;
  detail?: string | undefined;
}

export interface World {
  /** Group name to member ids; a group absent here is unknown, an empty list is empty. */
  groups: Record<string, string[]>;
  /** Person id to their manager's id. */
  managers: Record<string, string>;
  /** People known beyond those named in groups and managers (requesters, implementers, ...). */
  people: string[];
  /** Service name to its answer; a service absent here leaves the check running until scripted. */
  services: Record<string, CheckAnswer>;
  /** Pool to skill to free hours; reallocations draw it down, so a second one may not fit. */
  capacity: Record<string, Record<string, number>>;
  /**
   * The qualification registry and who completed what when (qualifications.ts); absent: nobody
   * holds any, so a step that requires one has nobody qualified (fail closed).
   */
  qualifications?: WorldQualifications;
}

export const EMPTY_WORLD: World = { groups: {}, managers: {}, people: [], services: {}, capacity: {} };

type Resolved = Extract<MachineEvent, { kind: 'resolved' }>;

/** Everyone the directory knows: a person reference to anyone else is `unknown person`. */
export function knownPeople(world: World, extra: readonly string[]): Set<string> {
  const known = new Set<string>([...world.people, ...extra]);
  for (const members of Object.values(world.groups)) for (const m of members) known.add(m);
  for (const [person, manager] of Object.entries(world.managers)) {
    known.add(person);
    known.add(manager);
  }
  return known;
}

/** The directory's answer to a resolve request: people in reference order, and every problem. */
export function resolveRefs(
  world: World,
  known: ReadonlySet<string>,
  refs: readonly PersonRef[],
): Pick<Resolved, 'people' | 'problems'> {
  const people: string[] = [];
  const problems: { ref: PersonRef; problem: ResolveProblem }[] = [];
  for (const ref of refs) {
    switch (ref.kind) {
      case 'group': {
        const members = Object.hasOwn(world.groups, ref.group) ? world.groups[ref.group] : undefined;
        if (members === undefined) problems.push({ ref, problem: 'unknown group' });
        else if (members.length === 0) problems.push({ ref, problem: 'empty group' });
        else people.push(...members);
        break;
      }
      case 'person':
        if (known.has(ref.person)) people.push(ref.person);
        else problems.push({ ref, problem: 'unknown person' });
        break;
      case 'managerOf': {
        const manager = Object.hasOwn(world.managers, ref.person) ? world.managers[ref.person] : undefined;
        if (!known.has(ref.person)) problems.push({ ref, problem: 'unknown person' });
        else if (manager === undefined) problems.push({ ref, problem: 'no manager' });
        else people.push(manager);
        break;
      }
    }
  }
  return { people: [...new Set(people)], problems };
}

/**
 * Draws `hours` of `skill` from `pool` if they are free, never below zero: a request that does
 * not fit takes nothing and says how much was free.
 */
export function allocate(
  capacity: Record<string, Record<string, number>>,
  pool: string,
  skill: string,
  hours: number,
): { outcome: 'allocated' | 'insufficient'; detail: string } {
  const free = capacity[pool]?.[skill] ?? 0;
  if (free < hours) {
    return {
      outcome: 'insufficient',
      detail: `pool "${pool}" has ${free} free hours of "${skill}", ${hours} requested`,
    };
  }
  const skills = capacity[pool] ?? {};
  skills[skill] = free - hours;
  capacity[pool] = skills;
  return {
    outcome: 'allocated',
    detail: `pool "${pool}": ${free} → ${free - hours} free hours of "${skill}"`,
  };
}
