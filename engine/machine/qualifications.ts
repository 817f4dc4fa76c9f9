// Approvals that require qualifications (`require qualification "<id>"`). The machine cannot read
// the registry, so it asks the driver: a resolve of a step's deciders (its approvers, and the people
// an escalation or a handover brings in) carries the step's `qualifications`, and the answer holds
// only the people who hold every one of them, valid on the day of the answer, plus the others as
// `unqualified` with the reason (expired on a day, or never completed). Those people are left out
// of the eligible set and kept on the approval with their reason, so that the log, `blockedOn` and
// a refusal can say why; when nobody qualified is left, the step blocks like any approval with no
// eligible approver (fail closed). Eligibility is fixed when people are resolved; a qualification
// that lapses later is refused by the API, which reads the registry on the day of the decision.
//
// Replay: a step without qualifications asks exactly what it asked before (no key), and an answer
// without `unqualified` (every recorded one) changes nothing, so recorded histories replay.
import { localDate } from '../calendar/index.js';
import { compileValue, type Facts, sourceOf } from '../expr/index.js';
import {
  type GrantedQualification,
  qualificationReason,
  type Unqualified,
  unqualifiedText,
} from '../facts/index.js';
import type { ApproveStepIR, CompiledPolicy, GrantIR } from '../ir/types.js';
import { type CompiledMachine, findStep } from './compiled.js';
import { peopleIn, uniqueSorted } from './people.js';
import { type Refusal, refuse } from './refusals.js';
import type { ApprovalState } from './types.js';

/** What a resolve of the step's deciders asks besides the people: spread into the command. */
export function askQualified(step: ApproveStepIR): { qualifications?: string[] } {
  const required = step.qualifications ?? [];
  return required.length === 0 ? {} : { qualifications: [...required] };
}

/**
 * The qualifications a step of a compiled policy requires of whoever decides it (none for an
 * unknown process or step, or one that is not an approval): for the API, which checks them
 * against the registry on the day of a decision.
 */
export function requiredQualifications(policy: CompiledPolicy, process: string, step: string): string[] {
  const steps = policy.ir.processes.find((p) => p.name === process)?.steps ?? [];
  const found = findStep(steps, step);
  return found?.kind === 'approve' ? [...(found.qualifications ?? [])] : [];
}

/** The qualification an attestation step grants (`grants qualification`), or null: for the API. */
export function grantedQualification(policy: CompiledPolicy, process: string, step: string): string | null {
  const steps = policy.ir.processes.find((p) => p.name === process)?.steps ?? [];
  const found = findStep(steps, step);
  return found?.kind === 'check' && found.check.kind === 'attest'
    ? (found.check.grants?.qualification ?? null)
    : null;
}

const key = (u: Unqualified): string => `${u.person}\n${u.qualification}`;

/**
 * `list` and `more`, once per (person, qualification), the newer answer winning, by person and
 * qualification: the order answers arrive in must not change the state.
 */
export function withUnqualified(
  list: readonly Unqualified[] | undefined,
  more: readonly Unqualified[] | undefined,
): Unqualified[] {
  const all = new Map<string, Unqualified>();
  for (const u of [...(list ?? []), ...(more ?? [])]) all.set(key(u), { ...u });
  return [...all.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `list` without `people`: those a later resolve found qualified (a renewal before an escalation). */
export const withoutPeople = (
  list: readonly Unqualified[] | undefined,
  people: readonly string[],
): Unqualified[] => (list ?? []).filter((u) => !people.includes(u.person));

/** Sets the approval's list, leaving the key out when it is empty (states compare byte for byte). */
export function keepUnqualified(approval: ApprovalState, list: readonly Unqualified[]): void {
  if (list.length > 0) approval.unqualified = [...list];
  else delete approval.unqualified;
}

/** The fact's field: `{ unqualified }` when someone was left out, else nothing (older facts' shape). */
export const unqualifiedField = (
  list: readonly Unqualified[] | undefined,
): { unqualified?: Unqualified[] } =>
  list === undefined || list.length === 0 ? {} : { unqualified: list.map((u) => ({ ...u })) };

/** A block's reason with why the people left out for a qualification were, when there are any. */
export function blockedBecause(reason: string, unqualified: readonly Unqualified[] | undefined): string {
  return unqualified === undefined || unqualified.length === 0
    ? reason
    : `${reason}; not qualified: ${unqualifiedText(unqualified)}`;
}

/**
 * Why `person` may not decide: the sentence a refusal carries. The person acting hears the reason
 * alone ("qualification itil-change expired 2026-10-01"); about someone else (the person a stand-in
 * decides for) it names them ("alice: ...").
 */
export function notQualifiedMessage(
  person: string,
  actor: string,
  missing: Pick<Unqualified, 'qualification' | 'expiredOn'>,
): string {
  const reason = qualificationReason(missing);
  return person === actor ? reason : `${person}: ${reason}`;
}

/** `not-qualified` when the actor or the person they decide for was left out for a qualification. */
export function unqualifiedRefusal(
  approval: ApprovalState,
  actor: string,
  principal: string,
): Refusal | null {
  for (const person of principal === actor ? [actor] : [principal, actor]) {
    const missing = approval.unqualified?.find((u) => u.person === person);
    if (missing) return refuse('not-qualified', notQualifiedMessage(person, actor, missing));
  }
  return null;
}

/**
 * What an attestation with `grants qualification "<id>" to <people>` records: the people the
 * expression names in the request, who completed it on the UTC day of the attestation (the day the
 * registry is asked about, store/qualifications.ts). The worker writes the completions
 * (workflows/activities/effects.ts); the machine only states them on the `attested` fact.
 */
export function grantedBy(
  m: CompiledMachine,
  facts: Facts,
  grant: GrantIR,
  at: number,
): GrantedQualification {
  const people = peopleIn(compileValue(grant.to, m.env)(facts));
  const completedOn = localDate(at, 'UTC');
  if (people === null)
    return { qualification: grant.qualification, people: [], completedOn, unset: sourceOf(grant.to) };
  return { qualification: grant.qualification, people: uniqueSorted(people), completedOn };
}
