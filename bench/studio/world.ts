// What the studio benchmark runs against: the console built as the browser tests build it
// (scripts/build-web.ts in a child process, NODE_ENV=production; CHARTER_WEB_OUT moves it), the API
// serving it (createApp with real deps, in this process: the measured work all happens in
// Chromium) on the database `bench_studio`, dropped at the start and the end, and one Chromium as
// test/support/browser.ts launches it. The policies are bench/generate-policy.ts's realistic ones,
// cut at a whole process once they reach a number of lines, published through the store, so that
// the studio opens them as a person would: /studio?policy=<name>&version=1.
import { execFileSync } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import type { MongoClient } from 'mongodb';
import type { Browser } from 'playwright-core';
import { createApp } from '../../api/app.js';
import { issueToken } from '../../api/auth.js';
import type { ApiDeps } from '../../api/deps.js';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import { mongoClient, openStore, type Store } from '../../store/index.js';
import { CONSOLE_DIR, launchBrowser } from '../../test/support/browser.js';
import { generatePolicy } from '../generate-policy.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DB_NAME = 'bench_studio';
const FILE = 'policy.charter';
const GENERATED_NAME = '"Generated benchmark policy"';
/** The role the benchmark's keystroke breaks: its first use, `by cab`, in the first process. */
export const ROLE_LINE = 'by cab';

export interface StudioWorld {
  base: string;
  browser: Browser;
  /** A token of the benchmark's author (role author), for the sign-in screen. */
  token: string;
  /**
   * Publishes a generated policy of at least `lines` lines: its name, its exact line count, and
   * the number of the line `by cab` (the first use of the role the keystroke breaks).
   */
  publishPolicy(lines: number): Promise<{ name: string; lines: number; roleLine: number }>;
  close(): Promise<void>;
}

const lineCount = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/**
 * generatePolicy's text with as many whole processes as it takes to reach `lines` lines (it adds
 * processes until a size in bytes: the smallest size that yields the lines), renamed `name`.
 */
export function policyOfLines(lines: number, name: string): string {
  let text = generatePolicy(0);
  while (lineCount(text) < lines) text = generatePolicy(text.length + 1);
  if (!text.includes(GENERATED_NAME))
    throw new Error(`bench/generate-policy.ts no longer names ${GENERATED_NAME}`);
  return text.replace(GENERATED_NAME, JSON.stringify(name));
}

function buildConsole(): void {
  execFileSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'scripts/build-web.ts')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function listen(deps: ApiDeps): Promise<Server> {
  const server = createApp(deps, { consoleDir: CONSOLE_DIR }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return server;
}

async function publish(store: Store, text: string): Promise<void> {
  const out = compileEntry(FILE, memoryHost({ [FILE]: text }));
  const errors = out.diagnostics.filter((d) => d.severity === 'error');
  if (!out.compiled || errors.length > 0)
    throw new Error(`the generated policy does not check clean: ${errors.map((d) => d.message).join('; ')}`);
  await store.policies.publish({
    compiled: out.compiled,
    sources: [{ path: FILE, text }],
    publishedBy: 'author@bench.example',
    at: new Date(Date.now() - 60_000),
  });
}

export async function startStudioWorld(mongoUri: string): Promise<StudioWorld> {
  buildConsole();
  const mongo: MongoClient = mongoClient(mongoUri);
  await mongo.connect();
  const db = mongo.db(DB_NAME);
  await db.dropDatabase();
  const store = await openStore(db);
  // The studio's routes never reach Temporal: the connection is lazy and never opens.
  const connection = Connection.lazy({ address: process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233' });
  const server = await listen({
    store,
    temporal: new Client({ connection }),
    taskQueue: 'bench-studio',
    now: () => new Date(),
    health: {
      mongo: async () => {
        await db.command({ ping: 1 });
      },
      temporal: async () => {
        await connection.healthService.check({});
      },
    },
    log: (line, error) => console.error(line, error),
  });
  const close = async (browser?: Browser) => {
    await browser?.close().catch(() => undefined);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.dropDatabase().catch(() => undefined);
    await mongo.close();
  };
  const token = await issueToken(store, 'author@bench.example', ['author'], 'bench', new Date());
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    browser,
    token,
    async publishPolicy(lines) {
      const name = `Studio bench ${lines} lines`;
      const text = policyOfLines(lines, name);
      await publish(store, text);
      const roleLine = text.split('\n').findIndex((l) => l.trim() === ROLE_LINE) + 1;
      if (roleLine === 0) throw new Error(`the generated policy has no line "${ROLE_LINE}"`);
      return { name, lines: lineCount(text), roleLine };
    },
    close: () => close(browser),
  };
}
