// `charter serve`: the API alone, the production process beside `charter worker` (any number of
// each, one Temporal and one MongoDB between them; the API keeps no state of its own). Configured
// by the environment and optionally `--config FILE` (workflows/env-file.ts). On a database without
// a live admin token it makes the first one (bootstrap.ts). SIGINT or SIGTERM first turn `/readyz`
// to 503 while requests are still served (CHARTER_SHUTDOWN_DRAIN_MS, 0 by default), then stop
// accepting requests, let those in flight finish (CHARTER_SHUTDOWN_GRACE_MS at most), then close
// the connections; a second signal stops at once. Readiness (`/readyz`) probes MongoDB and Temporal,
// so a load balancer takes the process out before it stops and only sends it work it can do. Logs
// are JSON lines on stdout (api/logging.ts) unless CHARTER_LOG_FORMAT=text.
import { ApiConfigError, API_VARIABLES, apiConfig } from './config.js';
import { BootstrapError, bootstrapAdmin, bootstrapLines } from './bootstrap.js';
import { processLog } from './logging.js';
import { startApiServer } from './server.js';
import { ConfigFileError, environmentOf } from '../workflows/env-file.js';
import { WORKER_VARIABLES } from '../workflows/config.js';
import {
  describeTemporal,
  temporalConnectionOptions,
  TemporalTransportError,
} from '../workflows/temporal-connection.js';

/** Every variable either process reads: one file configures both. */
const KNOWN: ReadonlySet<string> = new Set([...API_VARIABLES, ...WORKER_VARIABLES]);

type Log = (line: string) => void;

/** The environment of `charter serve` or `charter worker` given `args` after the command; null after an error, said. */
export function processEnvironment(
  command: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
  log: Log,
): Record<string, string | undefined> | null {
  try {
    return environmentOf(args, env, KNOWN);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    log(`charter ${command}: ${error.message}`);
    return null;
  }
}

/** Runs the API until a signal; the exit code: 0 stopped, 2 configuration error, 1 failed to start. */
export async function serve(env: Record<string, string | undefined>, log: Log): Promise<number> {
  let config;
  let temporal;
  try {
    config = apiConfig(env);
    temporal = temporalConnectionOptions(config);
  } catch (error) {
    if (!(error instanceof ApiConfigError) && !(error instanceof TemporalTransportError)) throw error;
    log(`charter serve: ${error.message}`);
    return 2;
  }
  const out = config.CHARTER_LOG_FORMAT === 'json' ? processLog('serve') : null;
  const note = (line: string, error?: unknown): void => {
    if (out) out.line(line, error);
    else log(`${line}${error === undefined ? '' : `: ${describe(error)}`}`);
  };
  let server;
  try {
    server = await startApiServer(config, {
      log: (line, error) => note(`charter serve: ${line}`, error),
      closeGraceMs: config.CHARTER_SHUTDOWN_GRACE_MS,
      temporal,
      ...(out ? { requestLog: out.request } : {}),
    });
  } catch (error) {
    note('charter serve: could not start', error);
    return 1;
  }
  try {
    const made = await bootstrapAdmin(
      server.store,
      { person: config.CHARTER_BOOTSTRAP_ADMIN, file: config.CHARTER_BOOTSTRAP_TOKEN_FILE },
      new Date(),
    );
    // The token itself goes to stderr as text, once: never into the JSON log, which ships elsewhere.
    if (made !== null && made.text !== null)
      for (const line of bootstrapLines(made)) log(`charter serve: ${line}`);
    else if (made !== null) note(`charter serve: ${bootstrapLines(made).join(' ')}`);
  } catch (error) {
    await server.close();
    if (!(error instanceof BootstrapError)) throw error;
    note(`charter serve: ${error.message}`);
    return 2;
  }
  note(
    `charter serve ready: ${server.url} (MongoDB database "${config.CHARTER_DATABASE}", ` +
      `Temporal ${describeTemporal(temporal)} namespace "${config.TEMPORAL_NAMESPACE}", task queue "${config.CHARTER_TASK_QUEUE}")`,
  );
  await stopSignal(note);
  const drainMs = config.CHARTER_SHUTDOWN_DRAIN_MS;
  if (drainMs > 0) {
    server.beginDraining();
    note(`charter serve: draining for ${drainMs} ms (/readyz answers 503, requests are still served)`);
    await new Promise((resolve) => setTimeout(resolve, drainMs));
  }
  note('charter serve: stopping (requests in flight may finish)');
  await server.close();
  note('charter serve stopped');
  out?.flush();
  return 0;
}

/** Resolves on the first SIGINT or SIGTERM; a second one ends the process at once. */
function stopSignal(log: Log): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        log(`charter serve: ${signal} again, stopping now`);
        process.exit(130);
      }
      stopping = true;
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
