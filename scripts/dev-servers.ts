// What `npm start` learns about dev servers already running: the settings start-services.sh
// recorded, and whether their ports answer.
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';

/** `export NAME='value'` lines, as start-services.sh writes them. */
export function readEnvFile(file: string): Record<string, string> | null {
  if (!existsSync(file)) return null;
  const env: Record<string, string> = {};
  for (const match of readFileSync(file, 'utf8').matchAll(/^export (\w+)='([^']*)'$/gm)) {
    env[match[1] as string] = match[2] as string;
  }
  return env;
}

/** Whether something accepts TCP connections at `host:port` or a mongodb:// URI's first host. */
export function answers(address: string | undefined): Promise<boolean> {
  const hostPort = /^(?:mongodb:\/\/)?([^/:,]+):(\d+)/.exec(address ?? '');
  if (!hostPort) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = createConnection({
      host: hostPort[1] as string,
      port: Number(hostPort[2]),
      timeout: 1_000,
    });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}
