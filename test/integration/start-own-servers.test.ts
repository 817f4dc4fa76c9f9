// `npm start` pointed at servers of one's own (TEMPORAL_ADDRESS and MONGODB_URI set), as an operator
// tries it on a fresh clone: it must not depend on the folder that starting its own servers makes
// (it once died with ENOENT on .data/demo-tokens.json). The script runs as `npm start` runs it (tsx),
// against the test servers, with a data folder that does not exist yet.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  connectMongo,
  databaseNameFor,
  mongodbUri,
  taskQueueFor,
  temporalAddress,
} from '../support/services.js';

const root = new URL('../..', import.meta.url).pathname;
const database = databaseNameFor(import.meta.url);
const scratch = mkdtempSync(path.join(tmpdir(), 'charter-start-'));
const dataDir = path.join(scratch, 'not-yet-there');

let child: ChildProcess | null = null;
let output = '';

afterAll(async () => {
  // tsx runs the script in a node process of its own: a failed test kills the whole group, or the
  // grandchild would keep the pipes (and jest) open.
  if (child?.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  const mongo = await connectMongo();
  await mongo.db(database).dropDatabase();
  await mongo.close();
});

/** Resolves with the first match of `pattern` in the child's output, or rejects after `ms`. */
function waitFor(pattern: RegExp, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${String(pattern)} in ${ms} ms; output:\n${output}`)),
      ms,
    );
    const look = (): void => {
      const match = pattern.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      resolve(match);
    };
    child?.stdout?.on('data', look);
    child?.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${String(code)}) before ${String(pattern)}; output:\n${output}`));
    });
    look();
  });
}

test('when npm start is given its own servers and no data folder, then it serves the API with demo tokens and stops cleanly', async () => {
  child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/start.ts'], {
    cwd: root,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: temporalAddress(),
      MONGODB_URI: mongodbUri(),
      CHARTER_DATABASE: database,
      CHARTER_TASK_QUEUE: taskQueueFor(import.meta.url),
      CHARTER_API_PORT: '0',
      CHARTER_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const [, url] = await waitFor(/Charter is ready: open (http:\/\/127\.0\.0\.1:\d+) in a browser/, 150_000);
  const [, token] = await waitFor(/tomas\.berg@halden\.example\s+author,pmo\s+(\S+)/, 5_000);
  expect(output).toContain('using TEMPORAL_ADDRESS=');
  expect(existsSync(path.join(dataDir, 'demo-tokens.json'))).toBe(true);

  const me = await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(me.status).toBe(200);
  expect(await me.json()).toEqual({ person: 'tomas.berg@halden.example', roles: ['author', 'pmo'] });
  // The console it built is served at `/`, and its sign-in page offers the demo people.
  const page = await fetch(`${url}/inbox`, { headers: { accept: 'text/html' } });
  expect([page.status, (await page.text()).includes('<div id="root">')]).toEqual([200, true]);
  const demo = await fetch(`${url}/v1/session/demo-people`);
  expect(((await demo.json()) as { people: unknown[] }).people).toHaveLength(6);

  const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  expect(await exited).toBe(0);
}, 240_000);
