// The answer of `POST /v1/policies/{name}/impact` (impact.ts): the engine's report (engine/simulate
// impactOf) as JSON with ISO instants, each difference with a sentence rendered from its data here
// at the edge, so that `charter impact`, the console and CI scripts print the same words and none
// of them parses a sentence back.
import { z } from 'zod';
import type { Fired, ImpactDifference, InstanceImpact, RecordedAct } from '../../engine/simulate/index.js';
import { labelOf } from '../../engine/simulate/index.js';

const iso = (at: number): string => new Date(at).toISOString();
const status = z.enum(['running', 'approved', 'rejected', 'cancelled']);
const firedSchema = z.object({
  kind: z.enum(['escalated', 'handedOver', 'reminded', 'timedOut']),
  at: z.iso.datetime(),
});
const waitSchema = z.object({ step: z.string(), people: z.array(z.string()), text: z.string() });

export const differenceSchema = z.object({
  kind: z.enum(['outcome', 'approvers', 'deadlines', 'escalations', 'wouldWait', 'actSkipped']),
  /** The step it is about; null for the outcome and for acts on the whole instance. */
  step: z.string().nullable(),
  text: z.string(),
  /** `outcome`: the statuses and messages; null otherwise. */
  outcome: z
    .object({
      base: status,
      candidate: status,
      baseMessage: z.string().nullable(),
      candidateMessage: z.string().nullable(),
    })
    .nullable(),
  /** `approvers`: who each version asked at the step; null otherwise. */
  approvers: z.object({ base: z.array(z.string()), candidate: z.array(z.string()) }).nullable(),
  /** `deadlines`: the due times at the step; null otherwise. */
  deadlines: z.object({ base: z.array(z.iso.datetime()), candidate: z.array(z.iso.datetime()) }).nullable(),
  /** `escalations`: what fired at the step; null otherwise. */
  escalations: z.object({ base: z.array(firedSchema), candidate: z.array(firedSchema) }).nullable(),
  /** `wouldWait`: what the candidate waits for at the record's end; null otherwise. */
  wait: waitSchema.nullable(),
  /** `actSkipped`: the recorded act that found no place, and why; null otherwise. */
  act: z.object({ kind: z.string(), at: z.iso.datetime(), label: z.string(), reason: z.string() }).nullable(),
});

export const instanceImpactSchema = z.object({
  instanceId: z.string(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime(),
  /** How the instance ended in production. */
  recordedStatus: status,
  verdict: z.enum(['same', 'differs', 'wouldWait', 'notReplayed']),
  reason: z.string().nullable(),
  base: z.object({ status, message: z.string().nullable() }).nullable(),
  candidate: z.object({ status, message: z.string().nullable(), waitingFor: z.array(waitSchema) }).nullable(),
  differences: z.array(differenceSchema),
  /** Where the replay of the version in force disagrees with the ledger ("replay differs from the record"). */
  replayDiffersFromRecord: z.array(differenceSchema),
});

export const impactSchema = z.object({
  policy: z.string(),
  base: z.object({ version: z.number().int(), sha256: z.string() }),
  candidate: z.object({ version: z.number().int(), sha256: z.string() }),
  /** How many finished instances were asked for and how many of the base version were found. */
  last: z.number().int(),
  summary: z.object({
    instances: z.number().int(),
    same: z.number().int(),
    differs: z.number().int(),
    wouldWait: z.number().int(),
    notReplayed: z.number().int(),
    replayDiffersFromRecord: z.number().int(),
    notReplayedReasons: z.record(z.string(), z.number().int()),
  }),
  instances: z.array(instanceImpactSchema),
});

export type DifferenceJson = z.infer<typeof differenceSchema>;
export type InstanceImpactJson = z.infer<typeof instanceImpactSchema>;

const none = { outcome: null, approvers: null, deadlines: null, escalations: null, wait: null, act: null };
const list = (people: readonly string[]): string => (people.length === 0 ? 'nobody' : people.join(', '));
const firedText = (fired: readonly Fired[]): string =>
  fired.length === 0 ? 'nothing' : fired.map((f) => `${f.kind} ${iso(f.at)}`).join(', ');

/** One difference as JSON, with its sentence. */
export function differenceJson(d: ImpactDifference): DifferenceJson {
  switch (d.kind) {
    case 'outcome':
      return {
        ...none,
        kind: d.kind,
        step: null,
        text: `outcome ${d.base} → ${d.candidate}`,
        outcome: {
          base: d.base,
          candidate: d.candidate,
          baseMessage: d.baseMessage,
          candidateMessage: d.candidateMessage,
        },
      };
    case 'approvers': {
      const added = d.candidate.filter((p) => !d.base.includes(p));
      const removed = d.base.filter((p) => !d.candidate.includes(p));
      const parts = [
        ...(added.length > 0 ? [`also asks ${list(added)}`] : []),
        ...(removed.length > 0 ? [`no longer asks ${list(removed)}`] : []),
      ];
      return {
        ...none,
        kind: d.kind,
        step: d.step,
        text: `${d.step}: ${parts.join('; ')}`,
        approvers: { base: d.base, candidate: d.candidate },
      };
    }
    case 'deadlines':
      return {
        ...none,
        kind: d.kind,
        step: d.step,
        text: `${d.step}: due ${d.base.map(iso).join(', ') || 'never'} → ${d.candidate.map(iso).join(', ') || 'never'}`,
        deadlines: { base: d.base.map(iso), candidate: d.candidate.map(iso) },
      };
    case 'escalations':
      return {
        ...none,
        kind: d.kind,
        step: d.step,
        text: `${d.step}: fired ${firedText(d.base)} → ${firedText(d.candidate)}`,
        escalations: { base: d.base.map(firedJson), candidate: d.candidate.map(firedJson) },
      };
    case 'wouldWait':
      return { ...none, kind: d.kind, step: d.wait.step, text: d.wait.text, wait: d.wait };
    case 'actSkipped':
      return {
        ...none,
        kind: d.kind,
        step: stepOfAct(d.skipped.act),
        text: `${labelOf(d.skipped.act)} at ${iso(d.skipped.act.at)}: no place (${d.skipped.reason})`,
        act: {
          kind: d.skipped.act.kind,
          at: iso(d.skipped.act.at),
          label: labelOf(d.skipped.act),
          reason: d.skipped.reason,
        },
      };
  }
}

const firedJson = (f: Fired) => ({ kind: f.kind, at: iso(f.at) });
const stepOfAct = (act: RecordedAct): string | null => ('step' in act ? act.step : null);

/** One instance's impact as JSON, with what production recorded about it. */
export function instanceImpactJson(
  impact: InstanceImpact,
  recorded: { startedAt: Date; endedAt: Date; status: InstanceImpactJson['recordedStatus'] },
): InstanceImpactJson {
  return {
    instanceId: impact.instanceId,
    startedAt: recorded.startedAt.toISOString(),
    endedAt: recorded.endedAt.toISOString(),
    recordedStatus: recorded.status,
    verdict: impact.verdict,
    reason: impact.reason,
    base: impact.base,
    candidate: impact.candidate,
    differences: impact.differences.map(differenceJson),
    replayDiffersFromRecord: impact.replayDiffersFromRecord.map(differenceJson),
  };
}
