// The simulator's side of the conformance suite: every scenario of every shipped policy test, played
// entry by entry so that the workflow side knows, at each point of the script, how many decisions
// the machine has made, what the action was refused with, and which check a scripted answer is for.
// Also the stand-in for external check services, answering from the scenario's world.
import { readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { compileEntry } from '../../dsl/index.js';
import { diskHost } from '../../dsl/cli/files.js';
import { policyFileOf, readTestFile } from '../../dsl/cli/scenario-files.js';
import type { CompiledPolicy, StepIR } from '../../engine/ir/types.js';
import { type MachineCommand, start, step } from '../../engine/machine/index.js';
import {
  type CheckAnswer,
  mergeWorld,
  parseTime,
  playScript,
  runScenario,
  type Scenario,
  type ScriptEntry,
  type Simulation,
  startScenario,
  type TestFile,
  type World,
} from '../../engine/simulate/index.js';
import { isoWeeksFrom } from '../../store/index.js';

export interface Case {
  /** `<policy file>#<index>`: unique, and safe in a URL path. */
  key: string;
  file: string;
  policy: CompiledPolicy;
  defaults: TestFile;
  scenario: Scenario;
}

/** Every scenario of every `*.test.json` in `dir`, in file and scenario order. */
export function loadCases(dir: string): Case[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test.json'))
    .sort();
  return files.flatMap((name) => {
    const file = path.join(dir, name);
    const defaults = readTestFile(file);
    const { compiled, diagnostics } = compileEntry(policyFileOf(file), diskHost);
    if (!compiled) throw new Error(`${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
    return defaults.tests.map((scenario, i) => ({
      key: `${name.replace(/\.test\.json$/, '')}-${i}`,
      file: name,
      policy: compiled,
      defaults,
      scenario,
    }));
  });
}

/** One scenario of every process, and every scenario about escalation, timeouts, waivers or cancelling. */
function mostTelling(cases: readonly Case[]): Case[] {
  const seen = new Set<string>();
  return cases.filter((c) => {
    const process = `${c.file}/${c.scenario.process}`;
    const firstOfProcess = !seen.has(process);
    seen.add(process);
    return firstOfProcess || /escalat|time(s)? ?out|waive|waiver|cancel/i.test(c.scenario.name);
  });
}

/**
 * The order scenarios run in when time is short: first one scenario of every process and every
 * scenario about escalation, timeouts, waivers or cancelling (the timer- and message-heavy paths
 * where a driver most easily differs from the simulator), then the rest, each group in file order.
 */
export function byPriority(cases: readonly Case[]): Case[] {
  const first = mostTelling(cases);
  return [...first, ...cases.filter((c) => !first.includes(c))];
}

/**
 * The scenarios `npm test` runs: the most telling ones (see byPriority) and every sixth of the
 * rest, in file order, so that the other paths of every policy's tests keep a share. The same cases on
 * every run; `CONFORMANCE_ALL=1` (npm run test:conformance) runs them all.
 */
export function conformanceSample(cases: readonly Case[]): Case[] {
  const first = mostTelling(cases);
  const rest = cases.filter((c) => !first.includes(c));
  return [...first, ...rest.filter((_, i) => i % 6 === 0)];
}

export type Action =
  | {
      kind: 'decide';
      input: { step: string; actor: string; decision: 'approve' | 'reject' | 'requestChanges' };
    }
  | { kind: 'attest'; input: { step: string; actor: string } }
  | { kind: 'waive'; input: { step: string; actor: string; reason: string } }
  | { kind: 'cancel'; input: { actor: string; reason: string } }
  | { kind: 'check'; step: string; answer: CheckAnswer };

export interface Waypoint {
  /** The instant the entry moves the clock to (null: it does not move it). */
  at: number | null;
  /** Decisions made, and what the instance is blocked on, once due timers fired. */
  decisionsBefore: number;
  blockedOnBefore: string[];
  action: Action | null;
  /** The refusal code the simulator gave the action (null: accepted, or no action). */
  refused: string | null;
  /** Decisions made once the entry acted. */
  decisionsAfter: number;
  /** What the instance is blocked on after the entry, as texts. */
  blockedOn: string[];
}

export interface Reference {
  sim: Simulation;
  world: World;
  startedAt: number;
  waypoints: Waypoint[];
  /** Capacity per ISO week to seed, by pool and skill (see `weeklyCapacity`). */
  capacity: { pool: string; skill: string; week: string; hours: number }[];
}

/** Plays the scenario entry by entry; checks that this gives exactly what `runScenario` gives. */
export function reference(c: Case): Reference {
  const { policy, scenario, defaults } = c;
  const whole = runScenario(policy, scenario, defaults);
  const sim = startScenario(policy, scenario, defaults);
  if (typeof sim === 'string') throw new Error(`${c.key}: ${sim}`);
  if (whole.simulation === null) throw new Error(`${c.key}: ${whole.failures.join('; ')}`);
  const startedAt = sim.clock;
  const waypoints: Waypoint[] = [];
  const failures: string[] = [];
  for (const entry of scenario.script) {
    let at: number | null = null;
    if (entry.at !== undefined) {
      const target = parseTime(entry.at, sim.clock, defaults.timezone);
      if (typeof target === 'string') throw new Error(`${c.key}: ${target}`);
      sim.advanceTo(target);
      at = target;
    }
    const decisionsBefore = sim.state.decisions.length;
    const blockedOnBefore = sim.blockedOn().map((b) => b.text);
    const action = entry.expect === undefined ? actionOf(sim, entry) : null;
    const seen = sim.timeline.length;
    if (action !== null) playScript(sim, [{ ...entry, at: undefined }], defaults.timezone, failures);
    const refusal = sim.timeline.slice(seen).find((t) => t.kind === 'refused');
    const refused = refusal ? (/: refused \(([^)]+)\)/.exec(refusal.text)?.[1] ?? '?') : null;
    const blockedOn = sim.blockedOn().map((b) => b.text);
    waypoints.push({
      at,
      decisionsBefore,
      blockedOnBefore,
      action,
      refused,
      decisionsAfter: sim.state.decisions.length,
      blockedOn,
    });
  }
  const texts = (s: Simulation): string => JSON.stringify(s.state.decisions.map((d) => d.text));
  if (texts(sim) !== texts(whole.simulation) || sim.state.status !== whole.simulation.state.status) {
    throw new Error(`${c.key}: playing the script entry by entry differs from runScenario`);
  }
  const world = mergeWorld(defaults.world, scenario.world);
  return { sim, world, startedAt, waypoints, capacity: weeklyCapacity(sim, world) };
}

function actionOf(sim: Simulation, e: ScriptEntry): Action | null {
  const actor = e.as ?? '';
  const extra = {
    ...(e.onBehalfOf === undefined ? {} : { onBehalfOf: e.onBehalfOf }),
    ...(e.reason === undefined ? {} : { reason: e.reason }),
  };
  const decide = (s: string, decision: 'approve' | 'reject' | 'requestChanges'): Action => ({
    kind: 'decide',
    input: { step: s, actor, decision, ...extra },
  });
  if (e.approve !== undefined) return decide(e.approve, 'approve');
  if (e.reject !== undefined) return decide(e.reject, 'reject');
  if (e.requestChanges !== undefined) return decide(e.requestChanges, 'requestChanges');
  const behalf = e.onBehalfOf === undefined ? {} : { onBehalfOf: e.onBehalfOf };
  if (e.attest !== undefined) {
    const evidence = e.evidence === undefined ? {} : { evidence: e.evidence };
    return { kind: 'attest', input: { step: e.attest, actor, ...behalf, ...evidence } };
  }
  if (e.waive !== undefined) {
    return { kind: 'waive', input: { step: e.waive, actor, ...behalf, reason: e.reason ?? '' } };
  }
  if (e.cancel !== undefined) return { kind: 'cancel', input: { actor, reason: e.cancel } };
  if (e.check !== undefined && sim.checkRequestOf(e.check) !== null) {
    const answer: CheckAnswer = {
      outcome: e.outcome ?? 'error',
      ...(e.evidence === undefined ? {} : { evidence: e.evidence }),
      ...(e.detail === undefined ? {} : { detail: e.detail }),
    };
    return { kind: 'check', step: e.check, answer };
  }
  return null;
}

/**
 * The simulator's capacity is free hours in total; the store's is per ISO week, and a request's
 * hours are spread evenly over the ISO weeks its period touches. Seeding every week with the total
 * would let a 160-hour, five-week block through a 120-hour pool (32 hours a week), so each week the
 * scenario's requests on a (pool, skill) touch gets total / weeks, with `weeks` the most any one of
 * them touches. Then one request fits in the store exactly when it fits in the simulator, and so
 * does a second one on fewer of the same weeks as long as its per-week share is proportionally no
 * larger (true of the shipped policies: the 2-week handover after the 4-week block; the comparison
 * below would show it otherwise). The requests are found by replaying the simulator's events on the
 * machine, which gives the commands with their instants and periods.
 */
function weeklyCapacity(sim: Simulation, world: World): Reference['capacity'] {
  const { state } = sim;
  const context = { instanceId: state.instanceId, startedAt: state.startedAt, startedBy: state.startedBy };
  const requests: { pool: string; skill: string; weeks: string[] }[] = [];
  const collect = (commands: readonly MachineCommand[], at: number): void => {
    for (const command of commands) {
      if (command.kind !== 'reallocate') continue;
      const { pool, skill, periodMs } = command;
      requests.push({ pool, skill, weeks: isoWeeksFrom(new Date(at), periodMs) });
    }
  };
  let out = start(state.policy, state.process, state.input, context);
  collect(out.commands, state.startedAt);
  for (const event of sim.events) {
    out = step(out.state, event);
    collect(out.commands, event.at);
  }
  const seeds: Reference['capacity'] = [];
  for (const [pool, skills] of Object.entries(world.capacity)) {
    for (const [skill, total] of Object.entries(skills)) {
      const mine = requests.filter((r) => r.pool === pool && r.skill === skill);
      const weeks = [...new Set(mine.flatMap((r) => r.weeks))];
      const most = Math.max(1, ...mine.map((r) => r.weeks.length));
      for (const week of weeks)
        seeds.push({ pool, skill, week, hours: Math.floor((total / most) * 100) / 100 });
    }
  }
  // Pools the world leaves out have no capacity at all, in both.
  return seeds;
}

/**
 * Texts equal up to what legitimately differs between a simulated world and the real services:
 * - the capacity service's detail: the store books per ISO week and names each week with its
 *   share ("32 → 0 free hours ... in 2027-W03; ..."), the simulator draws on one total; the
 *   outcome (allocated / insufficient capacity) stays in the text and is compared;
 * - the detail of a check service error: the simulator takes the world's words, the driver
 *   reports the transport failure after its retries ("did not answer after 4 attempts: HTTP 500").
 */
export function normalise(text: string): string {
  return text
    .replace(/(: \d+ hours allocated): .*$/, '$1: <capacity detail>')
    .replace(/(insufficient capacity): .*$/, '$1: <capacity detail>')
    .replace(/(could not be checked, which counts as failed): .*$/, '$1: <error detail>');
}

/** A request the service accepted (`pending`): the script reports its result later. */
export interface Accepted {
  step: string;
  service: string;
  request: string;
}

/**
 * External check services on 127.0.0.1: `/<case key>/<service>` answers from the case's world.
 * `passed`/`failed` answer at once, `error` with HTTP 500 on every attempt (so the workflow's
 * retries run out and it records an error, as the simulator does at once). `pending` and unlisted
 * services accept the request with HTTP 202; when the script answers that step, the test reports
 * the result through the instance's reportCheck Update, as a real slow service would.
 */
export class CheckStub {
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private readonly worlds = new Map<string, Record<string, CheckAnswer>>();
  private readonly accepted = new Map<string, Accepted[]>();
  /** Answers given by the script, by `<key>/<request>`: a request asked again gets the same. */
  private readonly answered = new Map<string, CheckAnswer>();
  private readonly order = new Map<string, readonly string[]>();
  base = '';

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Check service URLs of one case: any service name maps to `<base>/<key>/<name>`. `steps` are
   * the policy's external check steps in the order the simulator answers them (see handle).
   */
  servicesFor(key: string, services: Record<string, CheckAnswer>, steps: readonly string[] = []): void {
    this.worlds.set(key, services);
    this.order.set(key, steps);
  }

  /**
   * The most recent accepted request of `step` (waiting a while for it to arrive), now answered
   * by the script; null when none arrived.
   */
  async answer(key: string, stepId: string, answer: CheckAnswer): Promise<Accepted | null> {
    for (let tries = 0; tries < 200; tries++) {
      const accepted = (this.accepted.get(key) ?? []).filter((h) => h.step === stepId).at(-1);
      if (accepted) {
        this.answered.set(`${key}/${accepted.request}`, answer);
        return accepted;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return null;
  }

  /** Forgets a case (its instance is over). */
  release(key: string): void {
    this.accepted.delete(key);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const [, key = '', service = ''] = (req.url ?? '').split('/').map(decodeURIComponent);
    const { request, step: stepId } = JSON.parse(body) as { request: string; step: string };
    const scripted = this.answered.get(`${key}/${request}`);
    const world = this.worlds.get(key) ?? {};
    const answer = scripted ?? (Object.hasOwn(world, service) ? world[service] : undefined);
    if (answer && answer.outcome !== 'pending') {
      // Checks of one parallel block are asked at once; the simulator answers them in the order
      // they are declared, while the workflow takes the answers in the order they arrive. Answers
      // at once are staggered in the declared order, so that a loaded machine (activities started
      // a moment apart, in any order) does not reorder what the two sides compare.
      const rank = (this.order.get(key) ?? []).indexOf(stepId);
      if (rank > 0) await new Promise((resolve) => setTimeout(resolve, rank * ANSWER_STAGGER_MS));
      return send(res, answer);
    }
    const list = this.accepted.get(key) ?? [];
    this.accepted.set(key, list);
    if (!list.some((h) => h.request === request)) list.push({ step: stepId, service, request });
    res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ outcome: 'pending' }));
  }
}

/** Between answers of successive external checks of one case (see CheckStub.handle). */
const ANSWER_STAGGER_MS = 300;

/** The external check steps of every process, in declaration order (branches in order). */
export function externalCheckSteps(policy: CompiledPolicy): string[] {
  const out: string[] = [];
  const walk = (steps: readonly StepIR[]): void => {
    for (const s of steps) {
      if (s.kind === 'check' && s.check.kind === 'external') out.push(s.id);
      else if (s.kind === 'if') {
        for (const b of s.branches) walk(b.steps);
        walk(s.otherwise);
      } else if (s.kind === 'parallel') for (const b of s.branches) walk(b.steps);
    }
  };
  for (const process of policy.ir.processes) walk(process.steps);
  return out;
}

function send(res: http.ServerResponse, answer: CheckAnswer): void {
  if (answer.outcome === 'error') {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(answer.detail ?? 'service error');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
}
