// Charter's production processes as real OS processes (`node scripts/charter.js serve|worker`), the
// way an operator runs them: configured by the environment (and a `--config` file), stopped by a
// signal, killed with SIGKILL the way a machine dies. A test waits for the process's ready line and
// gets its output for failure messages; none outlives its test file (killAllCharterProcesses).
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mongodbUri, temporalAddress } from './services.js';
import { charterTestBundle, TEST_BUNDLE_FILE } from './workflow-bundle.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHARTER = fileURLToPath(new URL('../../scripts/charter.js', import.meta.url));

export interface CharterProcess {
  readonly pid: number;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  readonly exited: Promise<string>;
  /** How it ended (exit code or signal), null while it runs. */
  exit(): string | null;
  /** The last lines the process printed, for failure messages. */
  tail(): string;
  /** Every line it printed so far. */
  lines(): readonly string[];
  /** Sends `signal` and waits until the process has exited. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

export interface CharterProcessOptions {
  command: 'serve' | 'worker';
  /** After the command: `--config FILE`, or nothing. */
  args?: string[];
  /** Over the test servers' settings (TEMPORAL_ADDRESS, MONGODB_URI) and this process's environment. */
  env: Record<string, string>;
  /** The text of the line that says it is ready; null: do not wait (a process expected to fail). */
  ready: string | null;
  readyTimeoutMs?: number;
  /** Also append everything it prints here (the tail in failure messages is short). */
  logFile?: string;
}

const running = new Set<CharterProcess>();
const MAX_LINES = 400;

/** Spawns the process; resolves once it prints `ready` (fails with its output when it exits or stays silent). */
export async function startCharterProcess(options: CharterProcessOptions): Promise<CharterProcess> {
  // A worker reads the tests' workflow bundle (made here first when the sources changed) rather
  // than bundling at each start: the crash drill alone starts up to six.
  const bundle: Record<string, string> = {};
  if (options.command === 'worker') {
    await charterTestBundle();
    bundle['CHARTER_WORKFLOW_BUNDLE'] = TEST_BUNDLE_FILE;
  }
  const env = { ...process.env, TEMPORAL_ADDRESS: temporalAddress(), MONGODB_URI: mongodbUri(), ...bundle };
  const child: ChildProcess = spawn(process.execPath, [CHARTER, options.command, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not spawn \`charter ${options.command}\``);
  const lines: string[] = [];
  let sawReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (sawReady = resolve));
  const collect = (chunk: Buffer): void => {
    if (options.logFile !== undefined) appendFileSync(options.logFile, chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > MAX_LINES) lines.shift();
      if (options.ready !== null && line.includes(options.ready)) sawReady();
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exit: string | null = null;
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve((exit = signal ?? String(code)))),
  );
  const proc: CharterProcess = {
    pid: child.pid,
    exited,
    exit: () => exit,
    tail: () => lines.slice(-40).join('\n'),
    lines: () => lines,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      running.delete(proc);
    },
  };
  running.add(proc);
  exited.then(
    () => running.delete(proc),
    () => undefined,
  );
  if (options.ready === null) return proc;
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => 'ready'),
    exited.then((how) => `exited (${how}) before it was ready`),
    new Promise<string>(
      (resolve) => (timer = setTimeout(() => resolve(`not ready after ${timeoutMs} ms`), timeoutMs)),
    ),
  ]);
  clearTimeout(timer);
  if (outcome !== 'ready') {
    await proc.stop('SIGKILL');
    throw new Error(`charter ${options.command} (pid ${proc.pid}) ${outcome}:\n${proc.tail()}`);
  }
  return proc;
}

/** For afterAll: no process outlives its test file, whatever happened. */
export async function killAllCharterProcesses(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop('SIGKILL')));
}

/** The URL in `charter serve ready: http://127.0.0.1:PORT (...)`. */
export function servedUrl(proc: CharterProcess): string {
  for (const line of proc.lines()) {
    const match = /charter serve ready: (http:\/\/\S+)/.exec(line);
    if (match?.[1]) return match[1];
  }
  throw new Error(`charter serve printed no URL:\n${proc.tail()}`);
}
