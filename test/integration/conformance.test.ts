// Conformance: every policy test scenario runs on the simulator and through the real interpreter
// workflow (time-skipping Temporal server, real store on SecantusDB, real HTTP check activity), and
// both must tell the same story: the same decision texts in the same order (from the workflow's
// explain query and from the audit ledger), the same refusals for the script's actions, the same
// end. The simulator is the reference the policy tests were written against; a difference here is
// production not doing what `charter test` promised.
//
// Time: the time-skipping server's clock starts at the real time and only moves forward, so each
// scenario gets its own server (one workflow bundle for all), moved to the scenario's start before
// the instance starts and then to each script entry's instant. While the test acts (queries,
// Updates) the server's clock runs in real time, so workflow instants trail the simulator's by
// fractions of a second. Decision texts show minutes, so that is invisible, except for ties: a
// timer due at the very instant a person acts fires first in the simulator, and in the workflow
// only if the action comes later than the timer. So the k-th timed entry acts k * STEP after its
// instant: later than anything earlier entries started (they trail by at most (k-1) * STEP plus
// latency), still within the same minute (k <= 10 in the shipped tests). A scenario that starts
// before the real time cannot run (the server cannot go back): its test fails, so the scenario's
// date gets fixed; nothing is skipped.
//
// Cost (2 cores): a few seconds a scenario (server, fresh database, worker, script), so scenarios
// run in three lanes, most telling first (`byPriority`); one that has not finished after CASE_MS
// fails. `npm test` runs a fixed sample, 87 of the 192 shipped scenarios (`conformanceSample`:
// every scenario of the timer- and message-heavy paths, one of every process, every sixth of the
// rest), the others are listed as skipped; `CONFORMANCE_ALL=1` (`npm run test:conformance`) runs
// every scenario, as before a release or after a change to the interpreter or the simulator.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import type { WorkflowBundle } from '@temporalio/worker';
import type { MongoClient } from 'mongodb';
import { parseInput } from '../../engine/input/index.js';
import { openStore, type Store } from '../../store/index.js';
import { charterInstance } from '../../workflows/definitions/instance.js';
import { blockedOnQuery, explainQuery, type CheckReport } from '../../workflows/definitions/messages.js';
import { createCharterWorker } from '../../workflows/worker.js';
import { charterTestBundle } from '../support/workflow-bundle.js';
import {
  byPriority,
  type Case,
  conformanceSample,
  CheckStub,
  loadCases,
  normalise,
  externalCheckSteps,
  reference,
  type Reference,
} from '../support/conformance.js';
import { activitiesSettled, actOnceKnown, reportOf } from '../support/conformance-actions.js';
import { seedQualifications } from '../support/qualifications.js';
import { connectMongo, databaseNameFor, taskQueueFor, temporalTestServerPath } from '../support/services.js';
import { useQuietTemporalRuntime } from '../support/temporal.js';

const STEP_MS = 4_000;
/** Real time one scenario may take at most (a hung one must not hold up the file). */
const CASE_MS = 90_000;
/** Scenarios running at once, each on its own time-skipping server. */
const LANES = Number(process.env['CONFORMANCE_LANES'] ?? 3);
/** Jest's limit for one scenario's test: the lanes work through every scenario before the last reports. */
const FILE_MS = 1_800_000;
/** How long the workflow may take (real time) to catch up with the simulator at a script entry. */
const SETTLE_MS = 20_000;

const cases = loadCases(new URL('../../policies', import.meta.url).pathname);
type Handle = WorkflowHandle<typeof charterInstance>;

/**
 * Scenarios the workflow cannot run like the simulator because of a known bug, by case key, with
 * the reason (remove the entry once the bug is fixed). None at present.
 */
const KNOWN_BUGS: Record<string, string> = {};

function knownBug(c: Case): string | null {
  return KNOWN_BUGS[c.key] ?? null;
}

describe('policy test scenarios: the simulator and the real workflow agree', () => {
  let bundle: WorkflowBundle;
  let client: MongoClient;
  const stub = new CheckStub();
  const taskQueue = taskQueueFor(import.meta.url);
  const database = databaseNameFor(import.meta.url).slice(0, 40);

  beforeAll(async () => {
    useQuietTemporalRuntime();
    bundle = await charterTestBundle();
    client = await connectMongo();
    await stub.listen();
  }, 120_000);

  afterAll(async () => {
    await stub.close();
    await client?.close();
  });

  async function runCase(c: Case, ref: Reference, index: number): Promise<string[]> {
    const { sim, world } = ref;
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
    });
    debug(c.key, 'env up');
    const db = client.db(`${database}_${index}`);
    try {
      const store = await openStore(db);
      // The simulator knows whoever started the instance; the directory must too.
      const people = [...world.people, c.scenario.startedBy];
      await store.directory.seedFromWorld({ groups: world.groups, managers: world.managers, people });
      for (const s of ref.capacity) await store.capacity.setCapacity(s.pool, s.skill, s.week, s.hours);
      // Who holds which qualification, for steps that require one (the simulator's registry).
      await seedQualifications(store, world.qualifications);
      debug(c.key, 'store seeded');
      stub.servicesFor(c.key, world.services, externalCheckSteps(c.policy));
      // Every service name the policy may use maps to the stub, under this case's key.
      const checkServices = new Proxy<Record<string, string>>(
        {},
        { get: (_, name) => (typeof name === 'string' ? `${stub.base}/${c.key}/${name}` : undefined) },
      );
      const queue = `${taskQueue}-${index}`;
      const worker = await createCharterWorker({
        connection: env.nativeConnection,
        taskQueue: queue,
        store,
        checkServices,
        bundle,
        shutdownGraceTime: '1 second',
        // A worker per scenario: a workflow thread for each cost a quarter of the file's CPU.
        workflowsOnThisThread: true,
      });
      debug(c.key, 'worker up');
      const moveTo = async (at: number): Promise<void> => {
        const now = await env.currentTimeMs();
        if (at > now) await env.sleep(at - now);
      };
      const diffs = await worker.runUntil(async () => {
        const found: string[] = [];
        const processIR = c.policy.ir.processes.find((p) => p.name === c.scenario.process);
        const input = processIR ? parseInput(processIR, c.scenario.input) : null;
        if (!input?.ok) throw new Error(`${c.key}: the simulator started what the workflow cannot`);
        await moveTo(ref.startedAt);
        const handle = await env.client.workflow.start(charterInstance, {
          args: [
            {
              policy: c.policy,
              process: c.scenario.process,
              input: input.values,
              instanceId: queue,
              startedBy: c.scenario.startedBy,
            },
          ],
          taskQueue: queue,
          workflowId: queue,
        });
        const look = (): Promise<Snapshot> => snapshot(env, handle, store);
        let timed = 0;
        for (const [i, w] of ref.waypoints.entries()) {
          if (w.at !== null) {
            timed += 1;
            await activitiesSettled(handle, SETTLE_MS);
            await moveTo(w.at + timed * STEP_MS);
          }
          const where = `script[${i}]`;
          debug(where, 'moved', new Date(await env.currentTimeMs()).toISOString());
          found.push(...(await settle(look, w.decisionsBefore, w.blockedOnBefore, `${where} before`)));
          if (w.action === null) continue;
          let report: CheckReport | null = null;
          if (w.action.kind === 'check') {
            const accepted = await stub.answer(c.key, w.action.step, w.action.answer);
            if (accepted === null) {
              found.push(`${where}: no request of the ${w.action.step} check reached the service`);
            } else report = reportOf(accepted, w.action.answer);
          }
          const refused = await actOnceKnown(handle, w.action, report, w.refused, SETTLE_MS);
          debug(where, 'acted', refused);
          if (refused !== w.refused) {
            found.push(
              `${where}: refused ${String(refused)} on the workflow, ${String(w.refused)} on the simulator`,
            );
          }
          found.push(...(await settle(look, w.decisionsAfter, w.blockedOn, `${where} after`)));
        }
        const decisions = sim.state.decisions.length;
        if (sim.ended) {
          // Unlocks time skipping while waiting: retries of a failing service take no real time
          // (polling alone leaves the clock to real time, and a loaded machine then ran out of
          // SETTLE_MS before the retries had).
          await Promise.race([handle.result().catch(() => null), later(SETTLE_MS)]);
        }
        found.push(
          ...(await settle(
            look,
            decisions,
            sim.blockedOn().map((b) => b.text),
            'end',
          )),
        );
        const last = await look();
        if (last.closed) {
          const result = await handle.result();
          const message = (m: string | null): string | null => (m === null ? null : normalise(m));
          if (result.status !== sim.state.status || message(result.message) !== message(sim.state.message)) {
            found.push(
              `end: ${result.status} "${String(result.message)}" on the workflow, ` +
                `${sim.state.status} "${String(sim.state.message)}" on the simulator`,
            );
          }
        } else if (sim.ended)
          found.push(`end: the workflow runs on, the simulator ended ${sim.state.status}`);
        const want = sim.state.decisions.map((d) => normalise(d.text));
        found.push(...firstDifference('decisions', last.decisions.map(normalise), want));
        const ledger = (await settledLedger(store, queue, want.length)).map(normalise);
        found.push(...firstDifference('audit ledger', ledger, want));
        debug('compared');
        // Accepted requests of a finished case are of no more use.
        stub.release(c.key);
        return found;
      });
      debug('worker down');
      return diffs;
    } finally {
      stub.release(c.key);
      await env.teardown();
      debug('env down');
      await db.dropDatabase();
    }
  }

  // Scenarios run in LANES at once, each on its own server, in priority order (see `byPriority`);
  // the tests then report them in that order.
  const only = process.env['CONFORMANCE_ONLY'];
  const selected = cases.filter((c) => only === undefined || new RegExp(only).test(c.key));
  // npm test runs a fixed sample (conformanceSample); CONFORMANCE_ALL=1 or CONFORMANCE_ONLY all chosen.
  const everyOne = process.env['CONFORMANCE_ALL'] === '1' || only !== undefined;
  const runnable = selected.filter((c) => knownBug(c) === null);
  const sample = new Set(everyOne ? runnable : conformanceSample(runnable));
  const chosen = byPriority(runnable.filter((c) => sample.has(c)));
  const sampledOut = runnable.filter((c) => !sample.has(c));
  const broken = selected.filter((c) => knownBug(c) !== null);
  const outcomes = new Map<string, Promise<Outcome>>();

  beforeAll(() => {
    const resolvers = new Map<string, (o: Outcome) => void>();
    for (const c of chosen) outcomes.set(c.key, new Promise((resolve) => resolvers.set(c.key, resolve)));
    let next = 0;
    const lane = async (): Promise<void> => {
      for (let c = chosen[next++]; c; c = chosen[next++]) {
        const settleWith = resolvers.get(c.key) ?? ((): void => undefined);
        const ref = reference(c);
        // The server's clock starts at the real time and cannot be set back.
        if (ref.startedAt < Date.now() + 60_000) {
          settleWith({ ran: false, why: `starts in the past (${new Date(ref.startedAt).toISOString()})` });
        } else {
          const t = Date.now();
          const capped = Promise.race([
            runCase(c, ref, cases.indexOf(c)),
            later(CASE_MS).then(() => Promise.reject(new Error(`did not finish in ${CASE_MS} ms`))),
          ]);
          await capped.then(
            (diffs) => {
              progress(`${c.key}: ${Date.now() - t} ms, ${diffs.length} differences`, diffs);
              settleWith({ ran: true, diffs, ms: Date.now() - t });
            },
            (error: unknown) => {
              progress(`${c.key}: failed`, error);
              settleWith({ ran: true, error });
            },
          );
        }
      }
    };
    void Promise.all(Array.from({ length: LANES }, lane));
  });

  afterAll(async () => {
    const all = await Promise.all(chosen.map(async (c) => ({ c, o: await outcomes.get(c.key) })));
    const skipped = all.filter(({ o }) => o?.ran === false);
    const ran = all.length - skipped.length;
    const why = skipped.map(({ c, o }) => `${c.key} (${o?.ran === false ? o.why : ''})`).join(', ');
    console.log(
      `conformance: ${ran} of ${cases.length} scenarios ran, ${sampledOut.length} left out of the sample ` +
        `(CONFORMANCE_ALL=1 runs them), ${broken.length} skipped for known bugs${why ? `; not run: ${why}` : ''}`,
    );
  });

  if (sampledOut.length > 0) {
    test.skip.each(sampledOut.map((c) => [`${c.file}: ${c.scenario.name}`] as const))(
      "%s (not in npm test's sample: CONFORMANCE_ALL=1 runs it)",
      () => undefined,
    );
  }

  if (broken.length > 0) {
    test.skip.each(broken.map((c) => [`${c.file}: ${c.scenario.name}`, knownBug(c)] as const))(
      '%s (skipped: %s)',
      () => undefined,
    );
  }

  test.each(chosen.map((c) => [`${c.file}: ${c.scenario.name}`, c] as const))(
    '%s',
    async (_name, c) => {
      const outcome = await outcomes.get(c.key);
      if (outcome === undefined) throw new Error(`${c.key} was never scheduled`);
      if (!outcome.ran) throw new Error(`${c.key} could not run: ${outcome.why}`);
      if ('error' in outcome) throw outcome.error;
      expect(outcome.diffs).toEqual([]);
    },
    FILE_MS,
  );
});

type Outcome =
  { ran: false; why: string } | { ran: true; diffs: string[]; ms: number } | { ran: true; error: unknown };

interface Snapshot {
  closed: boolean;
  decisions: string[];
  blockedOn: string[];
}

/**
 * The decisions and blockedOn of the instance: from its queries while it runs; once it is closed,
 * from the audit ledger (a query of a closed workflow replays it and takes the test server a minute).
 */
async function snapshot(env: TestWorkflowEnvironment, handle: Handle, store: Store): Promise<Snapshot> {
  const { status } = await handle.describe();
  if (status.name === 'RUNNING') {
    try {
      const [made, blocked] = await env.client.connection.withDeadline(Date.now() + 3_000, () =>
        Promise.all([handle.query(explainQuery), handle.query(blockedOnQuery)]),
      );
      return { closed: false, decisions: made.map((d) => d.text), blockedOn: blocked.map((b) => b.text) };
    } catch {
      // It closed in between: the ledger has it all.
    }
  }
  return { closed: true, decisions: await ledgerTexts(store, handle.workflowId), blockedOn: [] };
}

async function ledgerTexts(store: Store, instanceId: string): Promise<string[]> {
  const { events } = await store.audit.query({ instanceId }, { limit: 1000 });
  return [...events].sort((a, b) => a.seq - b.seq).map((e) => e.text);
}

/**
 * The ledger's texts once it holds at least `want` events, or as they are after SETTLE_MS: the
 * ledger trails the workflow's queryable state by the activity that writes a transition's facts.
 */
async function settledLedger(store: Store, instanceId: string, want: number): Promise<string[]> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const texts = await ledgerTexts(store, instanceId);
    if (texts.length >= want || Date.now() > deadline) return texts;
    await delay(50);
  }
}

async function settle(
  look: () => Promise<Snapshot>,
  decisions: number,
  blocked: string[],
  where: string,
): Promise<string[]> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const now = await look();
    const same = JSON.stringify(now.blockedOn.map(normalise)) === JSON.stringify(blocked.map(normalise));
    if (now.decisions.length >= decisions && same) return [];
    if (Date.now() > deadline) {
      debug(where, 'settle timeout', now, decisions, blocked);
      return [
        `${where}: the workflow shows ${now.decisions.length} decisions and blockedOn ${JSON.stringify(now.blockedOn)}; ` +
          `the simulator ${decisions} and ${JSON.stringify(blocked)}`,
      ];
    }
    await delay(20);
  }
}

function firstDifference(what: string, got: string[], want: string[]): string[] {
  const i = got.findIndex((t, j) => t !== want[j]);
  const at = i === -1 ? Math.min(got.length, want.length) : i;
  if (i === -1 && got.length === want.length) return [];
  return [
    `${what}: ${got.length} on the workflow, ${want.length} on the simulator; first difference at ` +
      `#${at}: workflow ${JSON.stringify(got[at])}, simulator ${JSON.stringify(want[at])}`,
  ];
}

// CONFORMANCE_DEBUG=1 prints a line per scenario, =2 every step as well.
const DEBUG = Number(process.env['CONFORMANCE_DEBUG'] ?? 0);
const t0 = Date.now();
const debug = (...args: unknown[]): void => {
  if (DEBUG >= 2) console.log(Date.now() - t0, ...args);
};
const progress = (...args: unknown[]): void => {
  if (DEBUG >= 1) console.log(Date.now() - t0, ...args);
};
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** A delay that does not keep the process alive: the losing side of a race must not hold up jest's exit. */
const later = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());
