// Records the Temporal histories that test/integration/replay.test.ts replays: for every shipped
// policy, a few of its test scenarios (approvals, reminders and escalations, checks, waivers,
// parallel branches) run through the real interpreter workflow on a time-skipping server with the
// real store, and each run's history is written to test/fixtures/histories/<policy>--<slug>.json.
//
//   source .tools/run/test/env && npx tsx scripts/record-histories.ts [--only <policy>] [--suffix <patch>]
//
// `--suffix <patch>` names the files `<policy>--<slug>--<patch>.json` and keeps every existing
// file: the way to add the histories of a new patched() path next to those of the old one.
//
// Every run is checked against the simulator (status, message, refusals), so a fixture records
// what the policy test says, not an accident of the recording. Re-record only for an intended,
// patched() incompatibility: see test/fixtures/histories/README.md.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type WorkflowBundle } from '@temporalio/worker';
import { MongoClient } from 'mongodb';
import { diskHost } from '../dsl/cli/files.js';
import { readTestFile } from '../dsl/cli/scenario-files.js';
import { compileEntry } from '../dsl/index.js';
import { parseInput, pathText } from '../engine/input/index.js';
import type { CompiledPolicy } from '../engine/ir/types.js';
import { mergeWorld, parseTime, runScenario } from '../engine/simulate/index.js';
import type { Scenario, ScriptEntry, TestFile, World } from '../engine/simulate/index.js';
import { isoWeeksFrom, openStore, type Store } from '../store/index.js';
import type { charterInstance } from '../workflows/definitions/instance.js';
import {
  attestUpdate,
  cancelUpdate,
  decideUpdate,
  INSTANCE_WORKFLOW,
  REFUSED,
  statusQuery,
  waiveUpdate,
} from '../workflows/definitions/messages.js';
import { bundleCharterWorkflows, createCharterWorker } from '../workflows/worker.js';
import { historyFromJSON, historyToJSON } from './history-json.js';
import { RECORDED } from './recorded-scenarios.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const POLICIES = path.join(ROOT, 'policies');
export const HISTORIES = path.join(ROOT, 'test', 'fixtures', 'histories');

/**
 * People act this long after the instant the script names: timers due at that very instant fire
 * first, as in the simulator, even when the runtime's clock has drifted a few milliseconds.
 */
const ACT_AFTER_MS = 1_000;
const SUFFIX = argument('--suffix');
const WEEK_MS = 7 * 24 * 3600 * 1000;

/** `a silent manager is ...` -> `a-silent-manager-is-...`, at most 60 characters, no trailing dash. */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
}

type Handle = WorkflowHandle<typeof charterInstance>;

interface Recording {
  file: string;
  bytes: number;
  events: number;
  status: string;
  ms: number;
}

class Divergence extends Error {}

/** Check services answer as the scenario's world says; one server, its world swapped per run. */
class StubServices {
  private world: World | null = null;
  private constructor(
    private readonly server: Server,
    readonly base: string,
  ) {}

  static async start(): Promise<StubServices> {
    let self: StubServices | null = null;
    const server = createServer((req, res) => {
      const name = decodeURIComponent((req.url ?? '/').slice(1));
      const answer = self?.world?.services[name];
      req.resume();
      if (answer === undefined || answer.outcome === 'pending' || answer.outcome === 'error') {
        res.writeHead(503, { 'content-type': 'text/plain' }).end(`${name}: no answer`);
        return;
      }
      const { outcome, evidence, detail } = answer;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ outcome, evidence, detail }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new StubServices(server, `http://127.0.0.1:${port}`);
    return self;
  }

  use(world: World): Record<string, string> {
    this.world = world;
    return Object.fromEntries(
      Object.keys(world.services).map((name) => [name, `${this.base}/${encodeURIComponent(name)}`]),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run \`source .tools/run/test/env\` first`);
  return value;
}

function compilePolicy(name: string): CompiledPolicy {
  const out = compileEntry(path.join(POLICIES, `${name}.charter`), diskHost);
  if (!out.compiled) throw new Error(`${name}.charter does not compile`);
  return out.compiled;
}

/**
 * The world's capacity has no weeks: every week of the coming half year gets the pool's free hours.
 * The runtime spreads a request over its weeks, so what fits in the simulator fits here too.
 */
async function seedWorld(
  store: Store,
  world: World,
  startedAt: number,
  policy: CompiledPolicy,
): Promise<void> {
  await store.directory.seedFromWorld(world);
  // The qualification registry, for steps that require one: validity first, then completions.
  for (const [id, entry] of Object.entries(world.qualifications ?? {})) {
    const by = 'pmo-training@halden.example';
    const at = new Date(startedAt);
    await store.qualifications.create(
      id,
      { name: id, description: null, validityMonths: entry.validityMonths },
      by,
      at,
    );
    const rows = Object.entries(entry.completed).flatMap(([person, days]) =>
      days.map((completedOn) => ({
        person,
        qualification: id,
        completedOn,
        source: 'admin' as const,
        evidence: null,
      })),
    );
    if (rows.length > 0) await store.qualifications.importCompletions(rows, by, at);
  }
  // Only the pools the policy names, and half a year: every week is one insert.
  const text = JSON.stringify(policy.ir);
  const weeks = isoWeeksFrom(new Date(startedAt), 26 * WEEK_MS);
  for (const [pool, skills] of Object.entries(world.capacity)) {
    if (!text.includes(JSON.stringify(pool))) continue;
    for (const [skill, hours] of Object.entries(skills)) {
      for (const week of weeks) await store.capacity.setCapacity(pool, skill, week, hours);
    }
  }
}

/** Waits (in real time) until the run has no workflow task and no activity in flight. */
async function settle(handle: Handle): Promise<void> {
  const deadline = Date.now() + 30_000;
  let quiet = 0;
  while (quiet < 2) {
    if (Date.now() > deadline) throw new Error('the workflow did not settle within 30 seconds');
    const { raw } = await handle.describe();
    const busy = (raw.pendingActivities?.length ?? 0) > 0 || raw.pendingWorkflowTask != null;
    quiet = busy ? 0 : quiet + 1;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

async function act(handle: Handle, entry: ScriptEntry): Promise<string | null> {
  const actor = entry.as ?? '';
  const behalf = entry.onBehalfOf === undefined ? {} : { onBehalfOf: entry.onBehalfOf };
  const reason = entry.reason === undefined ? {} : { reason: entry.reason };
  const send = async (run: () => Promise<unknown>): Promise<string | null> => {
    try {
      await run();
      return null;
    } catch (error) {
      if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      const cause = error.cause as { type?: string; details?: unknown[] } | undefined;
      if (cause?.type !== REFUSED) throw error;
      return (cause.details?.[0] as { code?: string } | undefined)?.code ?? 'unknown';
    }
  };
  const decide = (step: string, decision: 'approve' | 'reject' | 'requestChanges') =>
    send(() =>
      handle.executeUpdate(decideUpdate, { args: [{ step, actor, decision, ...behalf, ...reason }] }),
    );
  if (entry.approve !== undefined) return decide(entry.approve, 'approve');
  if (entry.reject !== undefined) return decide(entry.reject, 'reject');
  if (entry.requestChanges !== undefined) return decide(entry.requestChanges, 'requestChanges');
  if (entry.attest !== undefined) {
    const evidence = entry.evidence === undefined ? {} : { evidence: entry.evidence };
    return send(() =>
      handle.executeUpdate(attestUpdate, {
        args: [{ step: entry.attest ?? '', actor, ...behalf, ...evidence }],
      }),
    );
  }
  if (entry.waive !== undefined) {
    const waiver = { step: entry.waive, actor, ...behalf, reason: entry.reason ?? '' };
    return send(() => handle.executeUpdate(waiveUpdate, { args: [waiver] }));
  }
  if (entry.cancel !== undefined) {
    const cancel = { actor, reason: entry.cancel };
    return send(() => handle.executeUpdate(cancelUpdate, { args: [cancel] }));
  }
  if (entry.check !== undefined) throw new Divergence('a script that answers a check cannot be recorded');
  return null;
}

async function record(
  bundle: WorkflowBundle,
  mongo: MongoClient,
  stubs: StubServices,
  policyName: string,
  policy: CompiledPolicy,
  file: TestFile,
  scenario: Scenario,
): Promise<Recording> {
  const began = Date.now();
  const slug = slugOf(scenario.name);
  const instanceId = `${policyName}--${slug}${SUFFIX === undefined ? '' : `--${SUFFIX}`}`;
  const simulated = runScenario(policy, scenario, file);
  if (!simulated.passed || !simulated.simulation) {
    throw new Error(`the policy test fails on the simulator: ${simulated.failures.join('; ')}`);
  }
  const sim = simulated.simulation;
  const process_ = policy.ir.processes.find((p) => p.name === scenario.process);
  if (!process_) throw new Error(`no process ${scenario.process}`);
  const input = parseInput(process_, scenario.input);
  if (!input.ok) throw new Error(input.problems.map((p) => `${pathText(p.path)}: ${p.message}`).join('; '));
  const startedAt = parseTime(scenario.start ?? file.start ?? '', 0, file.timezone);
  if (typeof startedAt === 'string') throw new Error(startedAt);
  const world = mergeWorld(file.world, scenario.world);

  const db = mongo.db(`rec_${slug.slice(0, 30).replace(/-/g, '_')}_${process.pid}`);
  await db.dropDatabase();
  const store = await openStore(db);
  await seedWorld(store, world, startedAt, policy);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: required('TEMPORAL_TEST_SERVER_PATH') } },
  });
  try {
    const taskQueue = `record-${slug.slice(0, 40)}`;
    const worker = await createCharterWorker({
      connection: env.nativeConnection,
      taskQueue,
      store,
      checkServices: stubs.use(world),
      bundle,
      shutdownGraceTime: '1 second',
    });
    // The server's clock starts at the real time: move it to the scenario's start first.
    const now = await env.currentTimeMs();
    if (startedAt > now) await env.sleep(startedAt - now);
    const { status, history } = await worker.runUntil(async () => {
      const handle: Handle = await env.client.workflow.start<typeof charterInstance>(INSTANCE_WORKFLOW, {
        args: [
          {
            policy,
            process: scenario.process,
            input: input.values,
            instanceId,
            startedBy: scenario.startedBy,
          },
        ],
        taskQueue,
        workflowId: instanceId,
      });
      // The first steps open only once the directory has answered: wait for them, as a person would.
      const deadline = Date.now() + 30_000;
      for (;;) {
        await settle(handle);
        const first = await handle.query(statusQuery);
        if (first.status !== 'running' || first.blockedOn.length > 0) break;
        if (Date.now() > deadline) throw new Error('the instance opened no step within 30 seconds');
      }
      // How far the runtime's clock runs ahead of the script's: it only grows, by the real time
      // each action and its activities take, so that a timer an action started fires before the
      // next entry here exactly when it does in the simulator.
      let lead = (await handle.query(statusQuery)).startedAt - startedAt + ACT_AFTER_MS;
      let clock = startedAt;
      for (const [i, entry] of scenario.script.entries()) {
        if (entry.at !== undefined) {
          const at = parseTime(entry.at, clock, file.timezone);
          if (typeof at === 'string') throw new Error(`script[${i}].at: ${at}`);
          clock = at;
          const target = at + lead;
          const current = await env.currentTimeMs();
          if (target > current) await env.sleep(target - current);
          await settle(handle);
        }
        if (entry.expect) continue;
        const refusal = await act(handle, entry);
        if ((refusal ?? undefined) !== entry.refused) {
          throw new Divergence(
            `script[${i}]: expected ${entry.refused ?? 'acceptance'}, the workflow answered ${refusal ?? 'accepted'}`,
          );
        }
        await settle(handle);
        lead = Math.max(lead, (await env.currentTimeMs()) - clock + ACT_AFTER_MS);
      }
      const runtime = await handle.query(statusQuery);
      const expected = { status: sim.state.status, message: sim.state.message };
      const actual = { status: runtime.status, message: runtime.message };
      if (JSON.stringify(expected) !== JSON.stringify(actual)) {
        throw new Divergence(
          `the simulator ends ${JSON.stringify(expected)}, the workflow ${JSON.stringify(actual)}`,
        );
      }
      if (runtime.status !== 'running') await handle.result();
      const fetched = await handle.fetchHistory();
      // A run the scenario leaves running stops here; its history so far is what replays.
      if (runtime.status === 'running') await handle.terminate('recorded');
      return { status: runtime.status, history: fetched };
    });
    const json = historyToJSON(history);
    // What the replay test will read must come back as the same events.
    if (historyFromJSON(JSON.parse(json)).events?.length !== history.events?.length) {
      throw new Error('the history does not read back from its JSON');
    }
    const target = path.join(HISTORIES, `${instanceId}.json`);
    writeFileSync(target, json + '\n');
    return {
      file: path.basename(target),
      bytes: Buffer.byteLength(json) + 1,
      events: history.events?.length ?? 0,
      status,
      ms: Date.now() - began,
    };
  } finally {
    await env.teardown();
    await db.dropDatabase();
  }
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  required('MONGODB_URI');
  const selected = argument('--only');
  const shipped = readdirSync(POLICIES)
    .filter((f) => f.endsWith('.charter'))
    .map((f) => f.replace(/\.charter$/, ''))
    .sort();
  const missing = shipped.filter((p) => !(p in RECORDED));
  if (missing.length > 0)
    throw new Error(`no scenarios chosen for ${missing.join(', ')}: add them to RECORDED`);

  Runtime.install({ logger: new DefaultLogger('WARN') });
  mkdirSync(HISTORIES, { recursive: true });
  if (selected === undefined && SUFFIX === undefined) {
    for (const f of readdirSync(HISTORIES).filter((f) => f.endsWith('.json')))
      rmSync(path.join(HISTORIES, f));
  }
  const bundle = await bundleCharterWorkflows();
  const mongo = new MongoClient(required('MONGODB_URI'), { serverSelectionTimeoutMS: 5_000 });
  await mongo.connect();
  const stubs = await StubServices.start();
  const failures: string[] = [];
  let total = 0;
  try {
    for (const policyName of shipped) {
      if (selected !== undefined && policyName !== selected) continue;
      const policy = compilePolicy(policyName);
      const file = readTestFile(path.join(POLICIES, `${policyName}.test.json`));
      for (const name of RECORDED[policyName] ?? []) {
        const scenario = file.tests.find((t) => t.name === name);
        if (!scenario) {
          failures.push(`${policyName}: no test named "${name}"`);
          continue;
        }
        try {
          const out = await record(bundle, mongo, stubs, policyName, policy, file, scenario);
          total += out.bytes;
          console.log(
            `${out.file}: ${out.status}, ${out.events} events, ${(out.bytes / 1024).toFixed(1)} KiB, ${out.ms} ms`,
          );
        } catch (error) {
          failures.push(`${policyName} / ${name}: ${(error as Error).message}`);
          console.error(`FAILED ${policyName} / ${name}: ${(error as Error).message}`);
        }
      }
    }
  } finally {
    await stubs.close();
    await mongo.close();
  }
  console.log(`total ${(total / 1024).toFixed(1)} KiB`);
  if (failures.length > 0) {
    console.error(`\n${failures.length} scenario(s) not recorded:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

await main();
