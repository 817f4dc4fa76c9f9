// The worker's part of approvals that require qualifications (engine/machine/qualifications.ts):
// after the directory has resolved a transition's requests, the people of each request that asks
// for qualifications are looked up in the registry (store/qualifications.ts) on the UTC day of the
// transition, and those who do not hold every one of them, valid that day, are moved from
// `people` to `unqualified` with the reason (expired on a day, or never completed).
//
// Attestations that grant a qualification (`grants qualification "<id>" to ...`) write their
// completions here too, right after the ledger entry that states them (recordGrants).
//
// Cost: one find per qualification asked in the transition (usually one: the step's), over the
// people of every request that asks for it; nothing at all for steps without qualifications, so
// the walkthrough's command budget does not move.
import type { Fact } from '../../engine/facts/index.js';
import type { Unqualified } from '../../engine/machine/types.js';
import {
  CompletionConflictError,
  QualificationNotFoundError,
  type Standing,
  type Store,
} from '../../store/index.js';

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

/** The `attested` facts of a transition, as the audit commands carry them. */
type Entry = { fact?: Fact | undefined };

/**
 * Records the completions that attestations with `grants qualification` state (source
 * `attestation`, recorded by the attester, evidence naming the instance and step). Idempotent: a
 * retried activity finds its first write (store/qualifications.ts). A completion already recorded
 * that day with other evidence keeps the first record (the person holds the qualification from
 * that day either way); a qualification missing from the registry is logged and skipped: the API
 * refuses such an attestation before it reaches the workflow, so only a direct Temporal update gets
 * here, and the activity must not retry forever over it.
 */
export async function recordGrants(
  store: Pick<Store, 'qualifications'>,
  instanceId: string,
  entries: readonly Entry[],
  at: Date,
): Promise<void> {
  for (const { fact } of entries) {
    if (fact?.kind !== 'attested' || fact.grants === undefined) continue;
    const { qualification, people, completedOn } = fact.grants;
    const where = `${instanceId}/${fact.step}`;
    const evidence = fact.evidence === null ? where : `${where}: ${fact.evidence}`;
    for (const person of people) {
      const completion = { person, qualification, completedOn, source: 'attestation', evidence } as const;
      try {
        await store.qualifications.record(completion, fact.actor, at);
      } catch (error) {
        if (!(error instanceof CompletionConflictError || error instanceof QualificationNotFoundError))
          throw error;
        console.warn(
          `charter: ${where} grants ${qualification} to ${person}: ${error.message}; not recorded again`,
        );
      }
    }
  }
}
