// What the inbox needs from a task's policy: the business calendar its deadline counts on, and
// what the step allows (requesting changes, delegation, whether an attestation needs evidence).
// A published version never changes, so each (name, version) is fetched once per page load and
// shared by every row and panel that asks; rows render with plain times until it has come.
import { useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api-client/client.js';
import { type BusinessCalendar, compileCalendar } from '../../../../engine/calendar/index.js';
import type { DurationIR, PolicyIR, StepIR } from '../../../../engine/ir/index.js';

export interface PolicyFacts {
  ir: PolicyIR;
  calendars: ReadonlyMap<string, BusinessCalendar>;
}

/** What one step of a policy says that the inbox shows or acts on. */
export interface StepFacts {
  /** The calendar the task's deadline counts on; null when it is plain time. */
  calendar: BusinessCalendar | null;
  allowChanges: boolean;
  allowDelegation: boolean;
  /** For attestations: the statement attested, and whether evidence is required. */
  statement: string | null;
  evidenceRequired: boolean;
  /** For attestations that grant a qualification (`grants qualification`): its id. */
  grants: string | null;
}

export interface PolicyRef {
  name: string;
  version: number;
}

const keyOf = (ref: PolicyRef): string => `${ref.name}\u0000${ref.version}`;

/** Settled reads by key (null: the version could not be read; the inbox then uses plain time). */
const settled = new Map<string, PolicyFacts | null>();
const pending = new Map<string, Promise<void>>();
const listeners = new Set<() => void>();

function load(ref: PolicyRef): void {
  const key = keyOf(ref);
  if (settled.has(key) || pending.has(key)) return;
  const read = unwrap(
    api.GET('/v1/policies/{name}/versions/{version}', {
      params: { path: { name: ref.name, version: ref.version } },
    }),
  )
    .then((answer) => {
      const ir = answer.ir as unknown as PolicyIR;
      const calendars = new Map<string, BusinessCalendar>();
      for (const c of ir.calendars ?? []) calendars.set(c.name, compileCalendar(c));
      settled.set(key, { ir, calendars });
    })
    .catch(() => {
      // A policy the caller may not read, or a network hiccup: plain time is a correct fallback.
      settled.set(key, null);
    })
    .finally(() => {
      pending.delete(key);
      for (const listener of listeners) listener();
    });
  pending.set(key, read);
}

/**
 * The facts of every policy version in `refs`, loading those not asked for yet; re-renders the
 * caller as each arrives. Returns a lookup that is undefined for versions still loading.
 */
export function usePolicyFacts(
  refs: readonly PolicyRef[],
): (ref: PolicyRef) => PolicyFacts | null | undefined {
  const [, setGeneration] = useState(0);
  useEffect(() => {
    const listener = (): void => setGeneration((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  const refsNow = useRef(refs);
  refsNow.current = refs;
  // `wanted` stands for `refs`: a new array with the same versions asks for nothing new.
  const wanted = [...new Set(refs.map(keyOf))].sort().join('\u0001');
  useEffect(() => {
    for (const ref of refsNow.current) load(ref);
  }, [wanted]);
  return (ref) => settled.get(keyOf(ref));
}

function findStep(steps: readonly StepIR[], id: string): StepIR | null {
  for (const step of steps) {
    if (step.id === id) return step;
    if (step.kind === 'if') {
      const found =
        step.branches.map((b) => findStep(b.steps, id)).find((s) => s !== null) ??
        findStep(step.otherwise, id);
      if (found) return found;
    }
    if (step.kind === 'parallel') {
      const found = step.branches.map((b) => findStep(b.steps, id)).find((s) => s !== null);
      if (found) return found;
    }
  }
  return null;
}

/** The duration a task's deadline was computed from: the SLA, the waiver's or attestation's window. */
function deadlineOf(step: StepIR, kind: 'approval' | 'attestation' | 'waiver'): DurationIR | null {
  if (step.kind === 'approve') return step.sla;
  if (step.kind !== 'check') return null;
  if (kind === 'waiver' && step.onFail.action === 'waiver') return step.onFail.within;
  if (kind === 'attestation' && step.check.kind === 'attest') return step.check.within;
  return null;
}

const stepCache = new WeakMap<PolicyFacts, Map<string, StepFacts | null>>();

/**
 * What `facts` says about `stepId` of `process` for a task of `kind`; null when it is not there.
 * Cached: the same step gives the same object, so list rows that did not change do not re-render.
 */
export function stepFacts(
  facts: PolicyFacts,
  process: string,
  stepId: string,
  kind: 'approval' | 'attestation' | 'waiver',
): StepFacts | null {
  let byStep = stepCache.get(facts);
  if (!byStep) {
    byStep = new Map();
    stepCache.set(facts, byStep);
  }
  const key = `${process}\u0000${stepId}\u0000${kind}`;
  if (!byStep.has(key)) byStep.set(key, computeStepFacts(facts, process, stepId, kind));
  return byStep.get(key) ?? null;
}

function computeStepFacts(
  facts: PolicyFacts,
  process: string,
  stepId: string,
  kind: 'approval' | 'attestation' | 'waiver',
): StepFacts | null {
  const proc = facts.ir.processes?.find((p) => p.name === process);
  const step = proc ? findStep(proc.steps, stepId) : null;
  if (!step) return null;
  const deadline = deadlineOf(step, kind);
  const calendar =
    deadline?.business && deadline.calendar !== null
      ? (facts.calendars.get(deadline.calendar) ?? null)
      : null;
  const attest = step.kind === 'check' && step.check.kind === 'attest' ? step.check : null;
  return {
    calendar,
    allowChanges: step.kind === 'approve' ? step.allowChanges : false,
    allowDelegation: step.kind === 'approve' ? step.allowDelegation : true,
    statement: attest?.statement ?? null,
    evidenceRequired: attest?.evidence ?? false,
    grants: attest?.grants?.qualification ?? null,
  };
}
