// The simulated qualification registry: which qualifications exist (with how long a completion stays
// valid) and who completed them when. The simulator answers a resolve that asks for
// qualifications from it the way the worker answers from the store (workflows/activities,
// store/qualifications.ts), on the UTC day of the answer, so that `charter test` leaves out the
// same people production does, for the same reason.
//
// The rule is the store's (store/qualification-model.ts), kept here because the engine imports
// nothing of the store; a unit test holds the two to the same answers
// (test/unit/engine/simulate-qualifications.test.ts):
// - a completion on day D of a qualification valid M months expires on D + M calendar months (a day
//   the month lacks: its last day) and is valid until and including the day before; M null: never;
// - a person's latest completion made by the day asked about decides; none by then: never held.
import { localDate } from '../calendar/index.js';
import type { GrantedQualification } from '../facts/index.js';
import type { MachineEvent, Unqualified } from '../machine/index.js';

export interface WorldQualification {
  /** Calendar months a completion stays valid (the registry's validity); null: it never expires. */
  validityMonths: number | null;
  /** Person id to the days (YYYY-MM-DD) they completed it. */
  completed: Record<string, string[]>;
}

/** Qualification id (`itil-change`) to its entry; a qualification absent here is held by nobody. */
export type WorldQualifications = Record<string, WorldQualification>;

/** `day` plus `months` calendar months; past the end of a shorter month, its last day. */
export function addMonths(day: string, months: number): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return localDate(Date.UTC(year, month, Math.min(d, lastDay)), 'UTC');
}

/** Where `person` stands in `qualification` on `day`: valid, expired (on a day) or never held. */
export function standingIn(
  registry: WorldQualifications | undefined,
  qualification: string,
  person: string,
  day: string,
): { status: 'valid' } | { status: 'expired'; on: string } | { status: 'never' } {
  const entry =
    registry !== undefined && Object.hasOwn(registry, qualification) ? registry[qualification] : undefined;
  const days =
    entry !== undefined && Object.hasOwn(entry.completed, person) ? entry.completed[person] : undefined;
  // YYYY-MM-DD texts compare as their days.
  const latest = (days ?? [])
    .filter((d) => d <= day)
    .sort()
    .at(-1);
  if (entry === undefined || latest === undefined) return { status: 'never' };
  if (entry.validityMonths === null) return { status: 'valid' };
  const expiresOn = addMonths(latest, entry.validityMonths);
  return day < expiresOn ? { status: 'valid' } : { status: 'expired', on: expiresOn };
}

type Resolved = Extract<MachineEvent, { kind: 'resolved' }>;

/**
 * The answer to a resolve that asks for `qualifications`: the people holding every one of them,
 * valid on the UTC day of `at`, and for the others each qualification they miss.
 */
export function screenQualified(
  registry: WorldQualifications | undefined,
  people: readonly string[],
  qualifications: readonly string[],
  at: number,
): Pick<Resolved, 'people'> & { unqualified: Unqualified[] } {
  const day = localDate(at, 'UTC');
  const unqualified: Unqualified[] = [];
  for (const person of people) {
    for (const qualification of qualifications) {
      const standing = standingIn(registry, qualification, person, day);
      if (standing.status === 'valid') continue;
      unqualified.push({
        person,
        qualification,
        expiredOn: standing.status === 'expired' ? standing.on : null,
      });
    }
  }
  const left = new Set(unqualified.map((u) => u.person));
  return { people: people.filter((p) => !left.has(p)), unqualified };
}

/**
 * The registry after an attestation granted `grant` (`grants qualification`): each person gains
 * the completion day, as the worker records it (workflows/activities/qualifications.ts). A new
 * registry; the one given is left as it was. A qualification the registry lacks gains nothing: in
 * production the API refuses such an attestation (`unknown-qualification`).
 */
export function withGrant(registry: WorldQualifications, grant: GrantedQualification): WorldQualifications {
  const entry = Object.hasOwn(registry, grant.qualification) ? registry[grant.qualification] : undefined;
  if (entry === undefined) return registry;
  const completed = { ...entry.completed };
  for (const person of grant.people) {
    const days = Object.hasOwn(completed, person) ? (completed[person] ?? []) : [];
    if (!days.includes(grant.completedOn)) completed[person] = [...days, grant.completedOn];
  }
  return { ...registry, [grant.qualification]: { ...entry, completed } };
}
