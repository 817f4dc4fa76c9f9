// Simulator throughput on the shipped policies: every scenario of policies/*.test.json through
// runTestFile for a fixed time budget, per instance and per machine step. Shared machines drift,
// so in the same interleaved rounds each policy is measured against the least a durable driver
// does per event anyway, a JSON copy of the state after each of the same steps (the shared,
// immutable policy by its sha256), and against the bare machine (`start` + `step` replaying the
// recorded events). Every scenario must pass on every pass and every replay must reach the
// simulator's final state, so a broken run is never timed. Run: `npm run bench:simulator`.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileEntry } from '../dsl/index.js';
import { diskHost } from '../dsl/cli/files.js';
import { policyFileOf, readTestFile } from '../dsl/cli/scenario-files.js';
import type { CompiledPolicy, ValueIR } from '../engine/ir/types.js';
import {
  type MachineEvent,
  type MachineState,
  type StartContext,
  start,
  step,
} from '../engine/machine/index.js';
import { runTestFile, type TestFile } from '../engine/simulate/index.js';

const POLICIES = 'policies'; // npm runs scripts in the package root
const ROUNDS = 8;
const SIM_MS = 250; // per round: 2 s of simulator per policy
const OTHER_MS = 100; // per round, for the bare machine and the baseline each
const WARM_UP_MS = 300;

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

let sink: unknown; // keeps the baseline's copies observable
interface Timed {
  passes: number;
  ms: number;
}

/** Whole passes of `pass` until `budgetMs` has gone by. */
function forBudget(budgetMs: number, pass: () => void): Timed {
  const t0 = performance.now();
  let passes = 0;
  let ms: number;
  do {
    pass();
    passes += 1;
    ms = performance.now() - t0;
  } while (ms < budgetMs);
  return { passes, ms };
}

interface Replay {
  process: string;
  input: Record<string, ValueIR>;
  context: StartContext;
  events: MachineEvent[];
}

/** The state as a driver would persist it: the shared policy by its hash. */
const persisted = ({ policy, ...rest }: MachineState) => ({ ...rest, policy: policy.sha256 });

function benchPolicy(name: string, policy: CompiledPolicy, file: TestFile) {
  // One reference run: the events to replay, and the states after each step for the baseline.
  const replays: Replay[] = [];
  const states: ReturnType<typeof persisted>[] = [];
  for (const result of runTestFile(policy, file)) {
    const sim = result.simulation;
    if (!result.passed || !sim) {
      throw new Error(`${name}: scenario "${result.name}" fails: ${result.failures.join('; ')}`);
    }
    const { process, input, instanceId, startedAt, startedBy } = sim.state;
    const replay = { process, input, context: { instanceId, startedAt, startedBy }, events: [...sim.events] };
    let state = start(policy, process, input, replay.context).state;
    states.push(persisted(state));
    for (const event of replay.events) {
      state = step(state, event).state;
      states.push(persisted(state));
    }
    if (JSON.stringify(persisted(state)) !== JSON.stringify(persisted(sim.state))) {
      throw new Error(`${name}: replaying "${result.name}" does not reach the simulator's final state`);
    }
    replays.push(replay);
  }
  const stepsPerPass = states.length;

  const simPass = () => {
    let steps = 0;
    for (const result of runTestFile(policy, file)) {
      if (!result.passed || !result.simulation) {
        throw new Error(`${name}: scenario "${result.name}" fails: ${result.failures.join('; ')}`);
      }
      steps += result.simulation.events.length + 1;
    }
    if (steps !== stepsPerPass)
      throw new Error(`${name}: ${steps} steps in a pass, expected ${stepsPerPass}`);
  };
  const rawPass = () => {
    for (const r of replays) {
      let state = start(policy, r.process, r.input, r.context).state;
      for (const event of r.events) state = step(state, event).state;
      sink = state;
    }
  };
  const copyPass = () => {
    for (const state of states) sink = JSON.parse(JSON.stringify(state));
  };

  forBudget(WARM_UP_MS, simPass);
  forBudget(WARM_UP_MS / 3, rawPass);
  forBudget(WARM_UP_MS / 3, copyPass);

  const subjects: [pass: () => void, budget: number][] = [
    [simPass, SIM_MS],
    [rawPass, OTHER_MS],
    [copyPass, OTHER_MS],
  ];
  const totals = [0, 1, 2].map(() => ({ passes: 0, ms: 0 }));
  const vsBaseline: number[] = [];
  const vsRaw: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const perStep: number[] = [];
    // Rotate the order each round, so that no subject always runs right after the same one.
    for (let k = 0; k < subjects.length; k++) {
      const i = (k + round) % subjects.length;
      const [pass, budget] = subjects[i] as [() => void, number];
      const t = forBudget(budget, pass);
      const total = totals[i] as Timed;
      total.passes += t.passes;
      total.ms += t.ms;
      perStep[i] = t.ms / (t.passes * stepsPerPass);
    }
    const [sim = 0, raw = 0, copy = 0] = perStep;
    vsBaseline.push(sim / copy);
    vsRaw.push(sim / raw);
  }

  const [sim, raw, copy] = totals as [Timed, Timed, Timed];
  const us = (t: Timed) => (t.ms * 1000) / (t.passes * stepsPerPass);
  return {
    policy: name,
    scenarios: replays.length,
    stepsPerPass,
    instancesPerSecond: (sim.passes * replays.length) / (sim.ms / 1000),
    stepsPerInstance: stepsPerPass / replays.length,
    usPerStep: us(sim),
    rawUsPerStep: us(raw),
    copyUsPerStep: us(copy),
    vsBaseline: median(vsBaseline),
    vsRaw: median(vsRaw),
    vsBaselineRange: [Math.min(...vsBaseline), Math.max(...vsBaseline)] as const,
    simMs: sim.ms,
    simSteps: sim.passes * stepsPerPass,
    simInstances: sim.passes * replays.length,
    stateBytes: states.reduce((n, state) => n + JSON.stringify(state).length, 0) / stepsPerPass,
    rawMs: raw.ms,
    rawSteps: raw.passes * stepsPerPass,
    copyMs: copy.ms,
    copySteps: copy.passes * stepsPerPass,
  };
}

type Figures = Omit<ReturnType<typeof benchPolicy>, 'policy' | 'vsBaselineRange'>;
type Shown = 'scenarios' | 'instancesPerSecond' | 'stepsPerInstance' | 'usPerStep' | 'rawUsPerStep';
const cells = (f: Pick<Figures, Shown | 'copyUsPerStep' | 'vsBaseline' | 'vsRaw'>) => [
  String(f.scenarios),
  Math.round(f.instancesPerSecond).toLocaleString('en'),
  f.stepsPerInstance.toFixed(1),
  f.usPerStep.toFixed(1),
  f.rawUsPerStep.toFixed(1),
  `${f.vsRaw.toFixed(2)}x`,
  f.copyUsPerStep.toFixed(1),
  `${f.vsBaseline.toFixed(2)}x`,
];

function main(): void {
  const testFiles = readdirSync(POLICIES)
    .filter((f) => f.endsWith('.test.json'))
    .sort();
  console.log(
    `Simulator on ${testFiles.length} shipped policies: ${ROUNDS} interleaved rounds, ` +
      `${(ROUNDS * SIM_MS) / 1000} s of simulation per policy (Node ${process.version})`,
  );
  const cols = ['scenarios', 'inst/s', 'steps/inst', 'µs/step', 'raw µs', 'sim/raw', 'copy µs', 'vs copy'];
  console.log(`${'policy'.padEnd(30)}${cols.map((c) => c.padStart(11)).join('')}`);
  const row = (name: string, cells: string[]) =>
    console.log(`${name.padEnd(30)}${cells.map((c) => c.padStart(11)).join('')}`);

  const figures: ReturnType<typeof benchPolicy>[] = [];
  for (const testFile of testFiles) {
    const policyFile = path.join(POLICIES, policyFileOf(testFile));
    const { compiled, diagnostics } = compileEntry(policyFile, diskHost);
    if (!compiled) throw new Error(`${policyFile} does not compile: ${JSON.stringify(diagnostics[0])}`);
    const f = benchPolicy(
      testFile.replace(/\.test\.json$/, ''),
      compiled,
      readTestFile(path.join(POLICIES, testFile)),
    );
    figures.push(f);
    row(f.policy, cells(f));
  }

  // All policies together: totals of every round, so that each step weighs the same.
  const sum = (key: keyof Figures) => figures.reduce((n, f) => n + f[key], 0);
  const perStep = (ms: number, steps: number) => (ms * 1000) / steps;
  const scenarios = sum('scenarios');
  const simUs = perStep(sum('simMs'), sum('simSteps'));
  const rawUs = perStep(sum('rawMs'), sum('rawSteps'));
  const copyUs = perStep(sum('copyMs'), sum('copySteps'));
  const stepsPerInstance = sum('stepsPerPass') / scenarios;
  const overall = {
    scenarios,
    instancesPerSecond: sum('simInstances') / (sum('simMs') / 1000),
    stepsPerInstance,
    usPerStep: simUs,
    rawUsPerStep: rawUs,
    copyUsPerStep: copyUs,
    vsBaseline: simUs / copyUs,
    vsRaw: simUs / rawUs,
    stateBytes: figures.reduce((n, f) => n + f.stateBytes * f.stepsPerPass, 0) / sum('stepsPerPass'),
  };
  row('all (totals)', cells(overall));
  console.log(
    'inst/s: whole scenarios through runTestFile (script and expectations included); raw: the same events ' +
      'through start + step alone; copy: JSON copy of the state after each step ' +
      `(the baseline; ${(overall.stateBytes / 1000).toFixed(1)} kB on average). ` +
      'Ratios are medians of per-round ratios; all scenarios passed on every pass.',
  );
  const round = (n: number) => Number(n.toPrecision(4));
  const rounded = (o: object) =>
    Object.fromEntries(
      Object.entries(o).map(([k, v]) => [
        k,
        typeof v === 'number' ? round(v) : Array.isArray(v) ? v.map(round) : v,
      ]),
    );
  console.log(
    JSON.stringify({
      bench: 'simulator',
      node: process.version,
      rounds: ROUNDS,
      policies: figures.map(rounded),
      overall: rounded(overall),
    }),
  );
  if (sink === undefined) throw new Error('nothing was replayed or copied');
}

try {
  main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
