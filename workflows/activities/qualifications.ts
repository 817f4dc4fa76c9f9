// The worker's part of approvals that require qualifications (engine/machine/qualifications.ts):
// after the directory has resolved a transition's requests, the people of each request that asks
// for qualifications are looked up in the registry (store/qualifications.ts) on the UTC day of the
// transition, and those who do not hold every one of them, valid that day, are moved from
// `people` to `unqualified` with the reason (expired on a day, or never completed).
//
// Cost: one find per qualification asked in the transition (usually one: the step's), over the
// people of every request that asks for it; nothing at all for steps without qualifications, so
// the walkthrough's command budget does not move.
import type { Unqualified } from '../../engine/machine/types.js';
import type { Standing, Store } from '../../store/index.js';

/** One resolve of a transition: what it asks, and the people the directory answered. */
export interface ScreenRequest {
  qualifications?: string[] | undefined;
  people: string[];
}

/** The same people, those lacking a qualification left out, and (when asked) who they were and why. */
export interface Screened {
  people: string[];
  unqualified?: Unqualified[];
}

/** The UTC day of an instant: the day qualifications are asked about. */
export const dayOf = (at: number): string => new Date(at).toISOString().slice(0, 10);

/**
 * Screens every request of one transition against the registry on the UTC day of `at`. A request
 * that asks for nothing keeps its people and gets no `unqualified` key, as before qualifications.
 */
export async function screenQualified(
  store: Pick<Store, 'qualifications'>,
  requests: readonly ScreenRequest[],
  at: number,
): Promise<Screened[]> {
  const asked = new Map<string, Set<string>>();
  for (const r of requests) {
    for (const q of r.qualifications ?? []) {
      const people = asked.get(q) ?? new Set<string>();
      for (const p of r.people) people.add(p);
      asked.set(q, people);
    }
  }
  const day = dayOf(at);
  const standings = new Map<string, Map<string, Standing>>(
    await Promise.all(
      [...asked].map(
        async ([q, people]) => [q, await store.qualifications.standingOf(q, [...people], day)] as const,
      ),
    ),
  );
  return requests.map((r) => {
    if (r.qualifications === undefined) return { people: r.people };
    const unqualified: Unqualified[] = [];
    for (const person of r.people) {
      for (const qualification of r.qualifications) {
        const standing = standings.get(qualification)?.get(person) ?? { status: 'never' };
        if (standing.status === 'valid') continue;
        unqualified.push({
          person,
          qualification,
          expiredOn: standing.status === 'expired' ? standing.on : null,
        });
      }
    }
    const left = new Set(unqualified.map((u) => u.person));
    return { people: r.people.filter((p) => !left.has(p)), unqualified };
  });
}
