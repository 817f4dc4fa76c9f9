// The benchmark's child processes (servers.ts, loader.ts), spoken to over IPC one request at a
// time: `ask` sends a message and resolves with the child's next one. Structured-clone
// serialization, so that NaN (a measurement without requests) survives the trip.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoaderAnswer, LoaderRequest } from './loader.js';
import type { Measurement } from './load.js';
import type { RecordedCommands, ServersMessage, ServersReady } from './servers.js';

export class Child<Out, In> {
  private waiting: { resolve: (m: In) => void; reject: (e: Error) => void } | null = null;
  private exited: Error | null = null;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message) => {
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.resolve(message as In);
    });
    child.once('exit', (code, signal) => {
      this.exited = new Error(
        `the child ${child.spawnargs.join(' ')} exited (code ${code}, signal ${signal})`,
      );
      this.waiting?.reject(this.exited);
      this.waiting = null;
    });
  }

  /** Forks `file` (beside this one) and waits for its first message. */
  static async start<Out, In>(
    file: string,
    env: NodeJS.ProcessEnv,
  ): Promise<{ child: Child<Out, In>; first: In }> {
    const child = new Child<Out, In>(
      fork(fileURLToPath(new URL(file, import.meta.url)), [], { env, serialization: 'advanced' }),
    );
    return { child, first: await child.next() };
  }

  private next(): Promise<In> {
    if (this.exited !== null) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  async ask(message: Out): Promise<In> {
    const answer = this.next();
    this.child.send(message as never);
    return answer;
  }

  /** Sends a last message and waits for the child to exit. */
  async end(message: Out): Promise<void> {
    if (this.exited !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send(message as never);
    await gone;
  }
}

export type Servers = Child<ServersMessage, ServersReady | RecordedCommands>;
export type Loader = Child<LoaderRequest, LoaderAnswer>;

export async function startServers(
  env: NodeJS.ProcessEnv,
  record: boolean,
): Promise<{ servers: Servers; ready: ServersReady }> {
  const { child, first } = await Child.start<ServersMessage, ServersReady | RecordedCommands>(
    './servers.ts',
    {
      ...env,
      BENCH_RECORD: record ? '1' : '0',
    },
  );
  if (first.kind !== 'ready') throw new Error(`servers: expected ready, got ${first.kind}`);
  return { servers: child, ready: first };
}

export async function startLoader(env: NodeJS.ProcessEnv): Promise<Loader> {
  const { child, first } = await Child.start<LoaderRequest, LoaderAnswer>('./loader.ts', env);
  if (first.kind !== 'ready') throw new Error(`loader: expected ready, got ${first.kind}`);
  return child;
}

/** The loader's answer to a measurement, or its error thrown here. */
export async function measured(loader: Loader, request: LoaderRequest): Promise<Measurement> {
  const answer = await loader.ask(request);
  if (answer.kind === 'failed') throw new Error(`loader: ${answer.error}`);
  if (answer.kind !== 'measured') throw new Error(`loader: expected a measurement, got ${answer.kind}`);
  return answer.m;
}
