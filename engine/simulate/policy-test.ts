// Runs policy tests: each scenario starts an instance in a simulated world, plays its script
// (people acting at given times, time passing, services answering) and checks the expectations
// on the way and at the end. A failure says which entry, what was expected and what happened.
import { parseInput, pathText } from '../input/index.js';
import type { CompiledPolicy } from '../ir/types.js';
import type { MachineEvent } from '../machine/index.js';
import { unmet } from './expect.js';
import type { Scenario, ScriptEntry, TestFile, WorldInput } from './script.js';
import { parseTime } from './script.js';
import { Simulation, SimulationError } from './simulation.js';
import type { World } from './world.js';

export interface ScenarioResult {
  name: string;
  passed: boolean;
  failures: string[];
  /** Null when the scenario could not start (bad input, unknown process). */
  simulation: Simulation | null;
}

export interface ScenarioDefaults {
  timezone: string;
  start?: string | undefined;
  world: WorldInput;
}

export function runTestFile(policy: CompiledPolicy, file: TestFile): ScenarioResult[] {
  return file.tests.map((scenario) => runScenario(policy, scenario, file));
}

export function runScenario(
  policy: CompiledPolicy,
  scenario: Scenario,
  defaults: ScenarioDefaults,
): ScenarioResult {
  const fail = (failures: string[], simulation: Simulation | null = null): ScenarioResult => ({
    name: scenario.name,
    passed: failures.length === 0,
    failures,
    simulation,
  });
  const started = startScenario(policy, scenario, defaults);
  if (typeof started === 'string') return fail([started]);
  const failures: string[] = [];
  try {
    playScript(started, scenario.script, defaults.timezone, failures);
  } catch (error) {
    if (!(error instanceof SimulationError)) throw error;
    failures.push(error.message);
  }
  if (scenario.expect) failures.push(...unmet(started, scenario.expect).map((f) => `expect: ${f}`));
  return fail(failures, started);
}

/** The simulation at its start, or why it cannot start. */
export function startScenario(
  policy: CompiledPolicy,
  scenario: Scenario,
  defaults: ScenarioDefaults,
): Simulation | string {
  const process = policy.ir.processes.find((p) => p.name === scenario.process);
  if (!process) {
    const known = policy.ir.processes.map((p) => p.name).join(', ');
    return `process: ${policy.ir.policy.name} has no process ${scenario.process} (it has ${known})`;
  }
  const input = parseInput(process, scenario.input);
  if (!input.ok) return input.problems.map((p) => `input.${pathText(p.path)}: ${p.message}`).join('\n');
  const startText = scenario.start ?? defaults.start;
  if (startText === undefined) return 'start: say when the instance starts (here or at the top of the file)';
  const startedAt = parseTime(startText, 0, defaults.timezone);
  if (typeof startedAt === 'string' || startText.trim().startsWith('+')) {
    return `start: ${typeof startedAt === 'string' ? startedAt : 'must be a date and time, not relative'}`;
  }
  return new Simulation(policy, {
    process: scenario.process,
    input: input.values,
    startedAt,
    startedBy: scenario.startedBy,
    world: mergeWorld(defaults.world, scenario.world),
  });
}

export function mergeWorld(
  base: WorldInput,
  override: { [K in keyof WorldInput]?: WorldInput[K] | undefined } | undefined,
): World {
  const o = override ?? {};
  return {
    groups: { ...base.groups, ...o.groups },
    managers: { ...base.managers, ...o.managers },
    people: [...base.people, ...(o.people ?? [])],
    services: { ...base.services, ...o.services },
    capacity: { ...base.capacity, ...o.capacity },
    // A qualification named here replaces the file's entry, as a group does.
    qualifications: { ...base.qualifications, ...o.qualifications },
  };
}

/** Plays `script`, adding a failure per unmet expectation or unexpected refusal. */
export function playScript(
  sim: Simulation,
  script: readonly ScriptEntry[],
  timezone: string,
  failures: string[],
): void {
  for (const [i, entry] of script.entries()) {
    const where = `script[${i}]`;
    if (entry.at !== undefined) {
      const at = parseTime(entry.at, sim.clock, timezone);
      if (typeof at === 'string') throw new SimulationError(`${where}.at: ${at}`);
      sim.advanceTo(at);
    }
    if (entry.expect) {
      failures.push(...unmet(sim, entry.expect).map((f) => `${where}.expect: ${f}`));
      continue;
    }
    const action = eventOf(sim, entry);
    if (action === null) continue;
    if (typeof action === 'string') {
      failures.push(`${where}: ${action}`);
      continue;
    }
    const refusal = sim.act(action.event, action.label);
    if (refusal && entry.refused === undefined) {
      failures.push(`${where} (${action.label}): refused (${refusal.code}): ${refusal.message}`);
    } else if (!refusal && entry.refused !== undefined) {
      failures.push(`${where} (${action.label}): expected refusal ${entry.refused}, but it was accepted`);
    } else if (refusal && entry.refused !== undefined && refusal.code !== entry.refused) {
      failures.push(
        `${where} (${action.label}): expected refusal ${entry.refused}, got ${refusal.code}: ${refusal.message}`,
      );
    }
  }
}

/** The machine event an entry stands for, null for a pure wait, or why it cannot be sent. */
function eventOf(
  sim: Simulation,
  entry: ScriptEntry,
): { event: MachineEvent; label: string } | string | null {
  const at = sim.clock;
  const actor = entry.as ?? '';
  const behalf = entry.onBehalfOf === undefined ? {} : { onBehalfOf: entry.onBehalfOf };
  const forWhom = entry.onBehalfOf === undefined ? '' : ` for ${entry.onBehalfOf}`;
  const reason = entry.reason === undefined ? {} : { reason: entry.reason };
  const decide = (step: string, decision: 'approve' | 'reject' | 'requestChanges', verb: string) => ({
    event: { kind: 'decide', at, step, actor, decision, ...behalf, ...reason } as MachineEvent,
    label: `${actor}${forWhom} ${verb} ${step}`,
  });
  if (entry.approve !== undefined) return decide(entry.approve, 'approve', 'approves');
  if (entry.reject !== undefined) return decide(entry.reject, 'reject', 'rejects');
  if (entry.requestChanges !== undefined)
    return decide(entry.requestChanges, 'requestChanges', 'requests changes to');
  if (entry.attest !== undefined) {
    const evidence = entry.evidence === undefined ? {} : { evidence: entry.evidence };
    return {
      event: { kind: 'attest', at, step: entry.attest, actor, ...behalf, ...evidence },
      label: `${actor}${forWhom} attests ${entry.attest}`,
    };
  }
  if (entry.waive !== undefined) {
    return {
      event: { kind: 'waive', at, step: entry.waive, actor, ...behalf, reason: entry.reason ?? '' },
      label: `${actor}${forWhom} waives ${entry.waive}`,
    };
  }
  if (entry.cancel !== undefined) {
    return {
      event: { kind: 'cancel', at, actor, reason: entry.cancel },
      label: `${actor} cancels: ${entry.cancel}`,
    };
  }
  if (entry.check !== undefined) {
    const request = sim.checkRequestOf(entry.check);
    if (request === null) return `no external check of step ${entry.check} is waiting for an answer`;
    const outcome = entry.outcome ?? 'error';
    const extra = {
      ...(entry.evidence === undefined ? {} : { evidence: entry.evidence }),
      ...(entry.detail === undefined ? {} : { detail: entry.detail }),
    };
    return {
      event: { kind: 'checkResult', at, request, outcome, ...extra },
      label: `${entry.check} check answers ${outcome}`,
    };
  }
  return null;
}
