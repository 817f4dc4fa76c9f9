// `npm start`: everything a walkthrough needs in one process. Starts the dev servers (Temporal and
// SecantusDB, state under .data/) unless TEMPORAL_ADDRESS and MONGODB_URI point elsewhere, runs a
// Charter worker and the API, publishes the shipped policies, seeds the demo organisation and
// prints a token for each demo person. Everything it writes is idempotent, so a second start finds
// the same policies, people and tokens. Ctrl-C stops the API, drains the worker, closes the
// connections and stops the servers this process started (never ones it found running).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { newToken, tokenHash } from '../api/auth.js';
import { apiConfig } from '../api/config.js';
import { startApiServer } from '../api/server.js';
import { diskHost } from '../dsl/cli/files.js';
import { compileEntry } from '../dsl/index.js';
import { isoWeekOf, PolicyConflictError, ROLES, type Role, type Store } from '../store/index.js';
import { workerConfig } from '../workflows/config.js';
import { reconcileMonitorsAtStart } from '../workflows/monitor-start.js';
import { seedPortfolio } from './demo-portfolio.js';
import { webhookNotifier } from '../workflows/notifier.js';
import { startDelivery } from '../workflows/notify/index.js';
import { demoSigningKey } from './demo-signing-key.js';
import { scheduleLedgerSignerAtStart } from '../workflows/ledger/schedule.js';
import { scheduleQualificationRemindersAtStart } from '../workflows/qualifications/schedule.js';
import { bundleForWorker } from '../workflows/bundle-file.js';
import { createCharterWorker } from '../workflows/worker.js';
import { ensureConsoleBuilt } from './build-web.js';
import { startDemoChecks } from './demo-checks.js';
import { answers, readEnvFile } from './dev-servers.js';
import { temporalConnectionOptions } from '../workflows/temporal-connection.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEV_ENV_FILE = '.tools/run/dev/env';
/** Where `npm start` keeps what it needs across starts (git-ignored); CHARTER_DATA_DIR moves it. */
const DATA_DIR = process.env['CHARTER_DATA_DIR'] ?? '.data';
const DEMO_TOKENS_FILE = path.join(DATA_DIR, 'demo-tokens.json');
const WORLD_FILE = 'policies/shared/org.world.json';
const CAPACITY_WEEKS = 12;

/** Who a walkthrough plays: each role once, the approvers the shipped policies actually ask. */
const DEMO_PEOPLE: { person: string; roles: Role[]; why: string }[] = [
  {
    person: 'tomas.berg@halden.example',
    roles: ['author', 'pmo'],
    why: 'IT PMO lead: writes and publishes policies, plans people',
  },
  {
    person: 'rita.sommer@halden.example',
    roles: ['requester', 'approver'],
    why: 'project manager: starts requests, stands in for her manager',
  },
  { person: 'henrik.larsen@halden.example', roles: ['approver'], why: "Rita's manager, IT director" },
  { person: 'alice.meyer@halden.example', roles: ['approver'], why: 'Change Advisory Board' },
  { person: 'simon.frey@halden.example', roles: ['auditor'], why: 'internal audit, read-only' },
  { person: 'lea.hofmann@halden.example', roles: ['admin'], why: 'IT PMO: directory, tokens' },
];

const log = (line: string): void => {
  process.stdout.write(`[charter] ${line}\n`);
};

class Interrupted extends Error {}

async function main(): Promise<number> {
  process.chdir(root);
  // Cleanups run last-in first-out, whether start-up finished, failed or was interrupted.
  const cleanups: { what: string; run: () => Promise<void> }[] = [];
  let stopRequested = (): void => undefined;
  const stopSignal = new Promise<void>((resolve) => (stopRequested = resolve));
  let stopping = false;
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A terminal's Ctrl-C reaches this process twice (directly, and relayed by tsx or npm): only a
    // second press, a moment later, means "stop waiting".
    if (stopping && Date.now() - firstSignalAt < 2_000) return;
    if (stopping) {
      log(`${signal} again: exiting without waiting (servers this run started may still be running)`);
      process.exit(130);
    }
    stopping = true;
    firstSignalAt = Date.now();
    log(`${signal}: stopping (Ctrl-C again to exit at once)`);
    stopRequested();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Called after each step has registered what undoes it, so an interrupted start leaves nothing.
  const checkStop = (): void => {
    if (stopping) throw new Interrupted();
  };

  try {
    const servers = await devServers(process.env, (stop) =>
      cleanups.push({ what: 'dev servers', run: stop }),
    );
    checkStop();
    const env = { ...process.env, ...servers.env };
    const config = apiConfig(env);
    const workerSettings = workerConfig(env);
    const temporal = temporalConnectionOptions(config); // files read once, for the API and the worker

    // The Runtime is process-wide and installed once: warnings only, and no signal handlers of its
    // own, so that shutdown happens in the order below rather than whenever the worker hears it.
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
    // The console is rebuilt only when web/ (or what it imports) changed since the last build.
    await ensureConsoleBuilt(log);
    checkStop();
    const api = await startApiServer(config, {
      log: (line, error) => console.error(line, error ?? ''),
      demoPeople: DEMO_PEOPLE,
      temporal,
    });
    cleanups.push({ what: 'API and its connections', run: () => api.close() });
    checkStop();

    await publishPolicies(api.store);
    await seedDirectory(api.store);
    await seedPortfolio(api.store, DEMO_PEOPLE[0]?.person ?? 'npm-start', log);
    const tokens = await demoTokens(api.store);
    checkStop();

    // Real check services when configured; otherwise demo ones, so a fresh clone shows checks too.
    let checkServices = workerSettings.CHARTER_CHECK_SERVICES;
    if (!env['CHARTER_CHECK_SERVICES']) {
      const demo = await startDemoChecks();
      cleanups.push({ what: 'demo check services', run: () => demo.close() });
      checkServices = demo.services;
      log(`demo check services on ${demo.base} (set CHARTER_CHECK_SERVICES to use real ones)`);
    }
    // Kept in the data folder across starts (rebuilt when the sources change): bundled once.
    const bundleFile = env['CHARTER_WORKFLOW_BUNDLE'] ?? path.join(DATA_DIR, 'workflow-bundle.js');
    const { bundle, says } = await bundleForWorker(bundleFile);
    log(`workflow bundle: ${says}`);
    const connection = await NativeConnection.connect(temporal);
    cleanups.push({ what: 'worker connection', run: () => connection.close() });
    const notifier = webhookNotifier(api.store.outbox, workerSettings);
    const worker: Worker = await createCharterWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.CHARTER_TASK_QUEUE,
      store: api.store,
      checkServices,
      bundle,
      qualificationReminderDays: workerSettings.CHARTER_QUALIFICATION_REMINDER_DAYS,
      signingKey: demoSigningKey(env, DATA_DIR, log),
      outbox: notifier !== null,
    });
    checkStop();
    // As `charter worker` does: the daily reconcile made sure of, and the monitors scheduled now.
    await reconcileMonitorsAtStart({
      ...temporal,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.CHARTER_TASK_QUEUE,
      store: api.store,
      log,
    });
    await scheduleQualificationRemindersAtStart({
      ...temporal,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.CHARTER_TASK_QUEUE,
      log,
    });
    await scheduleLedgerSignerAtStart({
      ...temporal,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.CHARTER_TASK_QUEUE,
      minutes: workerSettings.CHARTER_LEDGER_SIGN_MINUTES,
      log,
    });
    const running = worker.run();
    cleanups.push({
      what: 'worker',
      run: async () => {
        // The API goes first: no new work arrives while the worker finishes what it holds.
        await api.stopAccepting();
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      },
    });
    // Links in messages point at this console unless the deployment names its public address.
    const publicUrl = env['CHARTER_PUBLIC_URL'] ? workerSettings.CHARTER_PUBLIC_URL : api.url;
    const delivery = startDelivery(api.store, { ...workerSettings, CHARTER_PUBLIC_URL: publicUrl }, log);
    cleanups.push({ what: 'notification delivery', run: () => delivery.stop() });
    log(`notifications: in the console; chat for people with a chat target; mail ${delivery.mail}`);
    if (notifier !== null) {
      notifier.start(log);
      cleanups.push({ what: 'notifier', run: () => notifier.stop() });
    }

    printReady(api.url, servers.temporalUi, tokens, config.CHARTER_DATABASE);
    // A worker that fails on its own (lost server) ends the run too, instead of leaving a deaf API.
    await Promise.race([stopSignal, running.then(() => stopping || log('the worker stopped on its own'))]);
    return 0;
  } catch (error) {
    // Whatever failed after a Ctrl-C failed because of it (a script killed half-way): not news.
    if (error instanceof Interrupted || stopping) return 130;
    log(`start failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup.run();
      } catch (error) {
        log(`stopping the ${cleanup.what} failed: ${(error as Error).message}`);
      }
    }
    log('stopped; `npm start` again resumes with the same state and tokens');
  }
}

interface Servers {
  env: Record<string, string>;
  temporalUi: string | null;
}

/**
 * The servers to use: the environment's, dev servers already running, or dev servers started here;
 * only the last are handed to `stopLater`, before they start, so that a Ctrl-C during their start
 * still stops them (stop-services.sh stops by recorded pid and is a no-op when nothing runs).
 */
async function devServers(
  env: NodeJS.ProcessEnv,
  stopLater: (stop: () => Promise<void>) => void,
): Promise<Servers> {
  if (env['TEMPORAL_ADDRESS'] && env['MONGODB_URI']) {
    log(`using TEMPORAL_ADDRESS=${env['TEMPORAL_ADDRESS']} and MONGODB_URI from the environment`);
    return { env: {}, temporalUi: null };
  }
  const temporalUi = `http://127.0.0.1:${env['CHARTER_TEMPORAL_UI_PORT'] ?? '8233'}`;
  const running = readEnvFile(DEV_ENV_FILE);
  if (running && (await answers(running['TEMPORAL_ADDRESS'])) && (await answers(running['MONGODB_URI']))) {
    log('using the dev servers already running (`npm run services:stop` stops them)');
    return { env: running, temporalUi };
  }
  if (!existsSync('.tools/py/bin/temporal') || !existsSync('.tools/secantus/bin/secantusd-py')) {
    log('installing the Temporal CLI and SecantusDB under .tools/ (once)');
    await runScript('scripts/install-services.sh', []);
  }
  stopLater(() => runScript('scripts/stop-services.sh', ['dev']));
  await runScript('scripts/start-services.sh', ['dev']);
  const started = readEnvFile(DEV_ENV_FILE);
  if (!started) throw new Error(`scripts/start-services.sh wrote no ${DEV_ENV_FILE}`);
  return { env: started, temporalUi };
}

function runScript(script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, ...args], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${script} ${args.join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** Every policy in policies/ (libraries under shared/ come with them); a second start is 'unchanged'. */
async function publishPolicies(store: Store): Promise<void> {
  const files = readdirSync('policies')
    .filter((f) => f.endsWith('.charter'))
    .sort()
    .map((f) => `policies/${f}`);
  for (const file of files) {
    const outcome = compileEntry(file, diskHost);
    if (!outcome.compiled) {
      const errors = outcome.diagnostics.filter((d) => d.severity === 'error').length;
      log(`  ${file}: not published, ${errors} error(s): run \`npx charter check ${file}\``);
      continue;
    }
    const sources = outcome.compiled.ir.sources.map((s) => ({
      path: s.path,
      text: diskHost.readFile(s.path) ?? '',
    }));
    try {
      const { status, policy } = await store.policies.publish({
        compiled: outcome.compiled,
        sources,
        publishedBy: DEMO_PEOPLE[0]?.person ?? 'npm-start',
        at: new Date(),
      });
      log(`  ${file}: ${policy.name} v${policy.version} ${status}`);
    } catch (error) {
      if (!(error instanceof PolicyConflictError)) throw error;
      log(
        `  ${file}: v${error.version} is already published with other content: bump its version to publish`,
      );
    }
  }
}

interface World {
  groups: Record<string, string[]>;
  managers: Record<string, string>;
  people: string[];
  capacity?: Record<string, Record<string, number>>;
}

const PERSON_WEEK_HOURS = 40;

/** The demo organisation and its capacity for the coming weeks, written only where it differs. */
async function seedDirectory(store: Store): Promise<void> {
  const world = JSON.parse(readFileSync(WORLD_FILE, 'utf8')) as World;
  await store.directory.seedFromWorld(world);
  const weeks = Array.from({ length: CAPACITY_WEEKS }, (_, i) =>
    isoWeekOf(new Date(Date.now() + i * 7 * 86_400_000)),
  );
  let changed = 0;
  for (const [pool, skills] of Object.entries(world.capacity ?? {})) {
    for (const [skill, hours] of Object.entries(skills)) {
      // The capacity ledger keeps every change: writing equal values again would only grow it.
      const current = await store.capacity.utilisation(pool, skill, weeks);
      for (const week of weeks) {
        if (current[week]?.capacity === hours) continue;
        try {
          await store.capacity.setCapacity(pool, skill, week, hours);
          changed += 1;
        } catch (error) {
          log(`  capacity ${pool}/${skill} ${week} left as is: ${(error as Error).message}`);
        }
      }
    }
  }
  const people = new Set([
    ...world.people,
    ...Object.values(world.groups).flat(),
    ...Object.entries(world.managers).flat(),
  ]);
  // Everyone's own hours too (a full-time week), so that allocating a person works from the start.
  let staffed = 0;
  for (const person of people) {
    const current = await store.peopleCapacity.weeksOf(person, weeks);
    if (current.every((week) => week.capacity === PERSON_WEEK_HOURS)) continue;
    try {
      await store.peopleCapacity.setHours(person, weeks, PERSON_WEEK_HOURS);
      staffed += 1;
    } catch (error) {
      log(`  hours of ${person} left as they are: ${(error as Error).message}`);
    }
  }
  log(
    `directory: ${people.size} people, ${Object.keys(world.groups).length} groups; ` +
      `capacity: ${changed} pool-week(s) and ${staffed} people's hours set for the next ${CAPACITY_WEEKS} weeks`,
  );
}

interface DemoToken {
  person: string;
  roles: Role[];
  token: string;
}

/**
 * The demo tokens: the same texts on every start (kept in .data/, which git ignores; the store only
 * has their hashes). A token that was revoked, or whose roles changed here, is replaced.
 */
async function demoTokens(store: Store): Promise<DemoToken[]> {
  let kept: DemoToken[] = [];
  if (existsSync(DEMO_TOKENS_FILE)) {
    try {
      kept = demoTokensFile.parse(JSON.parse(readFileSync(DEMO_TOKENS_FILE, 'utf8'))).tokens;
    } catch {
      log(`${DEMO_TOKENS_FILE} is unreadable: issuing new demo tokens`);
    }
  }
  const tokens: DemoToken[] = [];
  for (const { person, roles } of DEMO_PEOPLE) {
    const earlier = kept.find((t) => t.person === person && sameRoles(t.roles, roles));
    let token = earlier?.token ?? newToken();
    // Adding an existing hash is a no-op, and re-adds a token after the database was reset.
    await store.tokens.add({
      hash: tokenHash(token),
      person,
      roles,
      label: 'npm start demo',
      createdAt: new Date(),
    });
    if (!(await store.tokens.find(tokenHash(token)))) {
      token = newToken();
      await store.tokens.add({
        hash: tokenHash(token),
        person,
        roles,
        label: 'npm start demo',
        createdAt: new Date(),
      });
    }
    tokens.push({ person, roles, token });
  }
  // The folder exists only if this script started the dev servers: not with servers of one's own.
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(DEMO_TOKENS_FILE, `${JSON.stringify({ tokens }, null, 2)}\n`, { mode: 0o600 });
  return tokens;
}

const demoTokensFile = z.object({
  tokens: z.array(z.object({ person: z.string(), roles: z.array(z.enum(ROLES)), token: z.string().min(1) })),
});

const sameRoles = (a: readonly Role[], b: readonly Role[]): boolean =>
  a.length === b.length && a.every((r) => b.includes(r));

function printReady(url: string, temporalUi: string | null, tokens: DemoToken[], database: string): void {
  const lines = [
    '',
    `Charter is ready: open ${url} in a browser (sign in as one of the demo people)`,
    `  API:          ${url}/v1  (MongoDB database "${database}")`,
    `  API docs:     ${url}/docs`,
    `  Temporal UI:  ${temporalUi ?? 'the UI of your Temporal server'}`,
    '',
    `Demo tokens (kept in ${DEMO_TOKENS_FILE}; the same on every start):`,
    ...tokens.map((t) => {
      const why = DEMO_PEOPLE.find((p) => p.person === t.person)?.why ?? '';
      return `  ${t.person.padEnd(30)} ${t.roles.join(',').padEnd(18)} ${t.token}   ${why}`;
    }),
    '',
    `Try:  export CHARTER_API=${url} CHARTER_TOKEN=${tokens[0]?.token ?? '<token>'}`,
    '      npx charter whoami',
    'Ctrl-C stops everything this run started.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

process.exitCode = await main();
