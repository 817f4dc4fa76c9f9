// Decisions on approvals that require qualifications (`require qualification "<id>"`). The
// instance left out, when it resolved the step's deciders, everyone who did not hold them that day
// (engine/machine/qualifications.ts); a qualification can lapse while the step waits, and only the
// registry knows. So before a decision is sent to the instance, the API asks the registry whether
// the person deciding, and the person they decide for, hold every qualification the step requires,
// valid today (UTC, the day the worker asks about too), and refuses with `not-qualified` otherwise:
// "qualification itil-change expired 2026-10-01", recorded on the ledger like every refusal.
//
// Cost: the step's requirements come from the published version the task was opened under, one
// read by `_id` per request (a bulk decision shares it: its tasks are of one step); then one find
// per required qualification, for decisions on steps that require one only. Nothing is kept
// between requests: API processes stay stateless, and a decision costs the same commands whichever
// process takes it and however many came before (test/integration/command-budget.test.ts).
import {
  grantedQualification,
  notQualifiedMessage,
  requiredQualifications,
} from '../../engine/machine/index.js';
import type { Standing, Task } from '../../store/index.js';
import type { ApiDeps } from '../deps.js';

/** What the steps of one request require, by `<policy>\n<version>\n<process>\n<step>`. */
export type Requirements = Map<string, Promise<string[]>>;

/** The qualifications the task's step requires; none when its policy version is not in the store. */
export function requiredOf(deps: ApiDeps, task: Task, known: Requirements = new Map()): Promise<string[]> {
  const key = [task.policy.name, task.policy.version, task.process, task.step].join('\n');
  const found = known.get(key);
  if (found !== undefined) return found;
  const reading = deps.store.policies
    .compiled(task.policy.name, task.policy.version)
    // Instances only start from published versions; without one the engine's own check still holds.
    .then((compiled) => (compiled === null ? [] : requiredQualifications(compiled, task.process, task.step)));
  known.set(key, reading);
  return reading;
}

export interface QualificationRefusal {
  code: 'not-qualified';
  message: string;
}

/**
 * `not-qualified` when the step of an approval task requires qualifications and `actor`, or the
 * person they decide for, does not hold each of them valid on today's UTC day; null otherwise.
 * The person decided for is checked first, as the engine does.
 */
export async function qualificationRefusal(
  deps: ApiDeps,
  task: Task,
  actor: string,
  onBehalfOf: string | undefined,
  known?: Requirements,
): Promise<QualificationRefusal | null> {
  if (task.kind !== 'approval') return null;
  const qualifications = await requiredOf(deps, task, known);
  if (qualifications.length === 0) return null;
  const people = onBehalfOf === undefined || onBehalfOf === actor ? [actor] : [onBehalfOf, actor];
  const day = deps.now().toISOString().slice(0, 10);
  const standings = await Promise.all(
    qualifications.map((q) => deps.store.qualifications.standingOf(q, people, day)),
  );
  for (const person of people) {
    for (const [i, qualification] of qualifications.entries()) {
      const standing: Standing = standings[i]?.get(person) ?? { status: 'never' };
      if (standing.status === 'valid') continue;
      const expiredOn = standing.status === 'expired' ? standing.on : null;
      return {
        code: 'not-qualified',
        message: notQualifiedMessage(person, actor, { qualification, expiredOn }),
      };
    }
  }
  return null;
}

/**
 * `unknown-qualification` when the task's attestation grants a qualification the registry does not
 * have: the attestation would record a completion of nothing, so it waits until an admin adds it.
 */
export async function grantRefusal(
  deps: ApiDeps,
  task: Task,
): Promise<{ code: 'unknown-qualification'; message: string } | null> {
  if (task.kind !== 'attestation') return null;
  const compiled = await deps.store.policies.compiled(task.policy.name, task.policy.version);
  const qualification = compiled === null ? null : grantedQualification(compiled, task.process, task.step);
  if (qualification === null || (await deps.store.qualifications.get(qualification)) !== null) return null;
  return {
    code: 'unknown-qualification',
    message: `${task.step} grants qualification "${qualification}", which is not in the registry; an admin must add it before the attestation can be recorded`,
  };
}
