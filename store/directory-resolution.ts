// How references resolve to people once the directory's documents are read: a group's present
// members, a person who is still active, a manager; then absent people replaced by their
// delegates. Pure, so that Directory.resolveMany reads everything first and decides here, the way
// the simulator's resolveRefs decides from a world file.
import type { PersonRef, ResolveProblem } from '../engine/machine/types.js';
import type { AbsenceDoc, Group, Person, Resolution } from './directory-model.js';

/** Pushes the people one reference names onto `people`, or says why it names nobody. */
export function resolveOne(
  ref: PersonRef,
  groups: ReadonlyMap<string, Group>,
  known: ReadonlyMap<string, Person>,
  active: (id: string) => boolean,
  people: string[],
): ResolveProblem | null {
  switch (ref.kind) {
    case 'group': {
      const group = groups.get(ref.group);
      if (group === undefined) return 'unknown group';
      // A member without a person document counts (as in the simulator); one who left does not.
      const present = group.members.filter((m) => known.get(m)?.active !== false);
      // A group whose every member left is as empty as one nobody was ever put in.
      if (present.length === 0) return 'empty group';
      people.push(...present);
      return null;
    }
    case 'person':
      if (!active(ref.person)) return 'unknown person';
      people.push(ref.person);
      return null;
    case 'managerOf': {
      if (!active(ref.person)) return 'unknown person';
      const manager = known.get(ref.person)?.manager ?? null;
      if (manager === null || !active(manager)) return 'no manager';
      people.push(manager);
      return null;
    }
  }
}

/**
 * One hop only: a delegate who is away too is still asked, rather than following a chain that may
 * loop or end with someone the policy author never meant. A delegate who is unknown or inactive is
 * ignored and the absentee stays, so the step waits visibly instead of going to nobody.
 */
export function substitute(
  people: readonly string[],
  away: ReadonlyMap<string, AbsenceDoc>,
  active: (id: string) => boolean,
): { resolved: string[]; substitutions: Resolution['substitutions'] } {
  const substitutions: Resolution['substitutions'] = [];
  const resolved = people.map((person) => {
    const delegate = away.get(person)?.delegate ?? null;
    if (delegate === null || !active(delegate)) return person;
    substitutions.push({ person, delegate });
    return delegate;
  });
  return { resolved: [...new Set(resolved)], substitutions };
}
