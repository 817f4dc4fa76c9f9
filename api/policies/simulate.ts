// A dry run of a published policy version: the engine's simulator on a virtual clock, driven by
// the scenario format of policy tests (a world, a start, a script). Nothing reaches Temporal or
// the store, so authors and requesters can ask "what would happen if" as often as they like.
import { z } from 'zod';
import { parseInput } from '../../engine/input/index.js';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import {
  playScript,
  scriptEntrySchema,
  SimulationError,
  startScenario,
  worldSchema,
} from '../../engine/simulate/index.js';
import { invalidRequest, type Problem } from '../errors.js';
import { policyRefSchema } from '../../store/documents.js';

const MAX_SCRIPT = 500;

export const simulateBodySchema = z.strictObject({
  process: z.string().min(1).max(200),
  input: z.record(z.string(), z.unknown()),
  script: z.array(scriptEntrySchema).max(MAX_SCRIPT).default([]),
  world: worldSchema.omit({ include: true }).optional(),
  /** `2026-12-07 09:00` in `timezone`, or an ISO instant; default: now. */
  start: z.string().min(1).max(100).optional(),
  /** Default: the caller. */
  startedBy: z.string().min(1).max(320).optional(),
  /** The zone local script times are read in; default: the policy's first calendar's, else UTC. */
  timezone: z.string().min(1).max(100).optional(),
});

export type SimulateBody = z.infer<typeof simulateBodySchema>;

const iso = (at: number): string => new Date(at).toISOString();
const isoOrNull = (at: number | null): string | null => (at === null ? null : iso(at));

const blockedSchema = z.object({
  step: z.string(),
  kind: z.string(),
  text: z.string(),
  dueAt: z.iso.datetime().nullable(),
});

export const simulationSchema = z.object({
  policy: policyRefSchema,
  process: z.string(),
  startedAt: z.iso.datetime(),
  clock: z.iso.datetime(),
  status: z.enum(['running', 'approved', 'rejected', 'cancelled']),
  message: z.string().nullable(),
  timeline: z.array(
    z.object({ at: z.iso.datetime(), kind: z.string(), step: z.string().nullable(), text: z.string() }),
  ),
  blockedOn: z.array(blockedSchema),
  openTasks: z.array(
    z.object({ task: z.string(), step: z.string(), title: z.string(), assignees: z.array(z.string()) }),
  ),
  decisions: z.array(
    z.object({
      seq: z.number().int(),
      at: z.iso.datetime(),
      step: z.string().nullable(),
      text: z.string(),
      actor: z.string().nullable(),
      onBehalfOf: z.string().nullable(),
    }),
  ),
  /** Script entries the simulation refused or could not play, with their index. */
  failures: z.array(z.string()),
});

/** Runs `body` on `policy`; bad input, process or start is a 422 with field paths. */
export function simulate(
  policy: CompiledPolicy,
  body: SimulateBody,
  caller: string,
  now: Date,
): z.infer<typeof simulationSchema> {
  const process = policy.ir.processes.find((p) => p.name === body.process);
  if (!process) {
    const known = policy.ir.processes.map((p) => p.name).join(', ');
    throw invalidRequest([{ path: 'body.process', message: `no such process; this version has ${known}` }]);
  }
  // The simulator would say the same in one line; parsed here, each problem keeps its path.
  const input = parseInput(process, body.input);
  if (!input.ok) {
    throw invalidRequest(
      input.problems.map((p) => ({
        path: ['body', 'input', ...p.path.map(String)].join('.'),
        message: p.message,
      })),
    );
  }
  const timezone = body.timezone ?? policy.ir.calendars[0]?.timezone ?? 'UTC';
  const sim = startScenario(
    policy,
    {
      name: 'api',
      process: body.process,
      start: body.start ?? now.toISOString(),
      startedBy: body.startedBy ?? caller,
      input: body.input,
      script: body.script,
    },
    { timezone, world: body.world ?? worldSchema.parse({}) },
  );
  if (typeof sim === 'string') throw invalidRequest(problemsOfStart(sim));
  const failures: string[] = [];
  try {
    playScript(sim, body.script, timezone, failures);
  } catch (error) {
    if (!(error instanceof SimulationError)) throw error;
    failures.push(error.message);
  }
  const { ir, sha256 } = policy;
  return {
    policy: { name: ir.policy.name, version: ir.policy.version, sha256 },
    process: body.process,
    startedAt: iso(sim.state.startedAt),
    clock: iso(sim.clock),
    status: sim.state.status,
    message: sim.state.message,
    timeline: sim.timeline.map((t) => ({ at: iso(t.at), kind: t.kind, step: t.step, text: t.text })),
    blockedOn: sim.blockedOn().map((b) => ({ ...b, dueAt: isoOrNull(b.dueAt) })),
    openTasks: sim
      .openTasks()
      .map((t) => ({ task: t.task, step: t.step, title: t.title, assignees: t.assignees })),
    decisions: sim.state.decisions.map((d) => ({
      seq: d.seq,
      at: iso(d.at),
      step: d.step,
      text: d.text,
      actor: d.actor ?? null,
      onBehalfOf: d.onBehalfOf ?? null,
    })),
    failures,
  };
}

/** startScenario's reasons (`start: ...`, `input.x: ...`), one per line, as request problems. */
function problemsOfStart(text: string): Problem[] {
  return text.split('\n').map((line) => {
    const match = /^([\w.[\]]+): (.*)$/s.exec(line);
    return match
      ? { path: `body.${match[1] ?? ''}`, message: match[2] ?? line }
      : { path: 'body', message: line };
  });
}
