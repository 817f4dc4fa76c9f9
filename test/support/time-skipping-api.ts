// The API over real HTTP in front of a time-skipping Charter (time-skipping.ts): its clock is the
// test server's, read before each call, so that what the API decides by the day (qualifications,
// tokens) agrees with the workflows that skipped ahead.
import { afterAll, beforeAll } from '@jest/globals';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app.js';
import { issueToken } from '../../api/auth.js';
import type { ApiDeps } from '../../api/deps.js';
import type { Role } from '../../store/access.js';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import type { WorldDirectory } from '../../store/directory.js';
import type { SigningKey } from '../../workflows/ledger/keys.js';
import { startTimeSkippingCharter, type TimeSkippingCharter } from './time-skipping.js';

export interface TimeSkippingApi {
  /** POSTs `body` to `/v1<path>` as `person` (an approver unless `roles` say otherwise). */
  post(
    person: string,
    path: string,
    body: unknown,
    roles?: Role[],
  ): Promise<{ status: number; body: unknown }>;
  /** The API's origin, as `charter`'s CHARTER_API takes it. */
  origin: string;
  /** A bearer token for `person` with `roles`, issued at the server's clock. */
  token(person: string, roles: Role[]): Promise<string>;
  /** GETs `/v1<path>` as `person` with `roles`. */
  get(person: string, path: string, roles: Role[]): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startTimeSkippingApi(charter: TimeSkippingCharter): Promise<TimeSkippingApi> {
  let clock = 0;
  const deps: ApiDeps = {
    store: charter.store,
    temporal: charter.env.client,
    taskQueue: charter.taskQueue,
    now: () => new Date(clock),
    health: { mongo: () => Promise.resolve(), temporal: () => Promise.resolve() },
    log: (line, error) => console.error(line, error),
  };
  const server: Server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const call = async (method: string, person: string, path: string, roles: Role[], body?: unknown) => {
    clock = await charter.env.currentTimeMs();
    const token = await issueToken(charter.store, person, roles, 'test', new Date(clock));
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  };
  return {
    origin: base.replace(/\/v1$/, ''),
    token: async (person, roles) =>
      issueToken(charter.store, person, roles, 'test', new Date(await charter.env.currentTimeMs())),
    post: (person, path, body, roles: Role[] = ['approver']) => call('POST', person, path, roles, body),
    get: (person, path, roles) => call('GET', person, path, roles),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * For a describe block: a time-skipping Charter for the test file with `world` in its directory,
 * and the API in front of it, started before its tests and stopped after them.
 */
export function useTimeSkippingApi(
  testFileUrl: string,
  world: WorldDirectory,
  worker: { signingKey?: SigningKey } = {},
): { charter: () => TimeSkippingCharter; api: () => TimeSkippingApi } {
  let charter: TimeSkippingCharter | undefined;
  let api: TimeSkippingApi | undefined;
  beforeAll(async () => {
    charter = await startTimeSkippingCharter(testFileUrl, world, {
      shutdownGraceTime: '1 second',
      ...worker,
    });
    api = await startTimeSkippingApi(charter);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await charter?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the time-skipping Charter has not started');
    return value;
  };
  return { charter: () => started(charter), api: () => started(api) };
}

/** A one-file policy compiled in memory; its diagnostics thrown when it does not compile. */
export function compiledText(file: string, text: string): CompiledPolicy {
  const out = compileEntry(file, memoryHost({ [file]: text }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
  return out.compiled;
}
