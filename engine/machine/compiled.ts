// What the machine derives from a policy once and keeps outside the state: compiled calendars,
// the expression environment (whose closures the expression module caches per IR object) and the
// policy object those closures were compiled from. Keyed by sha256, because a state parsed back
// from JSON carries an equal but new policy object, and compiling it again would waste the cache.
import {
  addDuration as addToInstant,
  type BusinessCalendar,
  compileCalendar,
  formatInstant,
  instantOf,
  localDate,
} from '../calendar/index.js';
import type { ExprEnvironment, Facts } from '../expr/index.js';
import type { Moment } from '../facts/index.js';
import type { CompiledPolicy, DurationIR, PolicyIR, ProcessIR, StepIR } from '../ir/types.js';
import type { Frame, MachineState } from './types.js';

export interface CompiledMachine {
  ir: PolicyIR;
  calendars: ReadonlyMap<string, BusinessCalendar>;
  env: ExprEnvironment;
  /** The zone dates and instants are shown and read in: the calendars' if they share one, else UTC. */
  zone: string;
}

const cache = new Map<string, CompiledMachine>();
// A worker runs few policies; the bound only protects a long-lived simulator from growing forever.
const CACHE_LIMIT = 64;

export function compiledFor(policy: CompiledPolicy): CompiledMachine {
  const known = cache.get(policy.sha256);
  if (known) return known;
  const ir = policy.ir;
  const calendars = new Map(ir.calendars.map((c) => [c.name, compileCalendar(c)] as const));
  // Calendars in one zone (an office and its data centre) give that zone; several zones, UTC.
  const zones = new Set(ir.calendars.map((c) => c.timezone));
  const zone = zones.size === 1 ? ([...zones][0] ?? 'UTC') : 'UTC';
  const env: ExprEnvironment = {
    rules: ir.rules,
    addDuration: (date, duration) => {
      const tz = zoneOf(duration, ir, zone);
      return localDate(addToInstant(duration, instantOf(date, '00:00', tz), calendars), tz);
    },
  };
  const compiled: CompiledMachine = { ir, calendars, env, zone };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(policy.sha256, compiled);
  return compiled;
}

function zoneOf(duration: DurationIR, ir: PolicyIR, fallback: string): string {
  if (!duration.business || duration.calendar === null) return fallback;
  return ir.calendars.find((c) => c.name === duration.calendar)?.timezone ?? fallback;
}

/** The instant `duration` after `at`, counting business time on the duration's calendar. */
export function after(m: CompiledMachine, duration: DurationIR, at: number): number {
  return addToInstant(duration, at, m.calendars);
}

/** Instants in the zone of the duration's calendar, so a due time reads as the office sees it. */
export function showInstant(m: CompiledMachine, at: number, duration: DurationIR | null): string {
  return formatInstant(at, duration ? zoneOf(duration, m.ir, m.zone) : m.zone);
}

/** An instant with the zone it is shown in: the calendar's of `duration`, else the policy's. */
export function momentOf(m: CompiledMachine, at: number, duration: DurationIR | null): Moment {
  return { at, zone: duration ? zoneOf(duration, m.ir, m.zone) : m.zone };
}

export function dateOf(m: CompiledMachine, at: number): string {
  return localDate(at, m.zone);
}

export function processOf(m: CompiledMachine, name: string): ProcessIR | undefined {
  return m.ir.processes.find((p) => p.name === name);
}

export function factsOf(state: MachineState): Facts {
  return { input: state.input, steps: state.results };
}

/** The step list a stack of frames runs in (the last frame's list). */
export function blockOf(process: ProcessIR, frames: readonly Frame[]): readonly StepIR[] {
  let steps: readonly StepIR[] = process.steps;
  for (let i = 1; i < frames.length; i++) {
    const parent = frames[i - 1];
    const frame = frames[i];
    const owner = parent === undefined ? undefined : steps[parent.index];
    if (frame === undefined) return [];
    if (owner?.kind === 'parallel') steps = owner.branches[frame.branch ?? 0]?.steps ?? [];
    else if (owner?.kind === 'if')
      steps = frame.branch === -1 ? owner.otherwise : (owner.branches[frame.branch ?? 0]?.steps ?? []);
    else return [];
  }
  return steps;
}

/** The step with that id anywhere in the process (ids are unique per process). */
export function findStep(steps: readonly StepIR[], id: string): StepIR | undefined {
  for (const step of steps) {
    if (step.id === id) return step;
    const inner =
      step.kind === 'if'
        ? [...step.branches.flatMap((b) => b.steps), ...step.otherwise]
        : step.kind === 'parallel'
          ? step.branches.flatMap((b) => b.steps)
          : [];
    const found = findStep(inner, id);
    if (found) return found;
  }
  return undefined;
}
