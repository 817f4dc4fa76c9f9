// `charter serve` as an operator runs it: a real process on the test servers, configured by a
// `--config` file under the environment. On a fresh database it makes the first admin token (into
// the file named, mode 0600), which then issues the admin's own token through `charter token`,
// is revoked, and is not made again on the next start; SIGTERM stops it cleanly (exit 0, port
// closed) and its log is JSON lines without a token in them; a wrong setting stops it before it
// starts, with the file and line.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MongoClient } from 'mongodb';
import { runClient } from '../../api/cli/main.js';
import { killAllCharterProcesses, servedUrl, startCharterProcess } from '../support/charter-process.js';
import { connectMongo, databaseNameFor } from '../support/services.js';

const database = databaseNameFor(import.meta.url);
let scratch: string;
let mongo: MongoClient;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'charter-serve-'));
  mongo = await connectMongo();
  await mongo.db(database).dropDatabase();
});

afterAll(async () => {
  await killAllCharterProcesses();
  await mongo.db(database).dropDatabase();
  await mongo.close();
  rmSync(scratch, { recursive: true, force: true });
});

const charter = async (api: string, token: string, ...argv: string[]) => {
  let out = '';
  let err = '';
  const code = await runClient(argv, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: { CHARTER_API: api, CHARTER_TOKEN: token },
  });
  return { code, out, err };
};

function configFile(name: string, lines: string[]): string {
  const file = path.join(scratch, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const serve = (config: string, env: Record<string, string> = {}) =>
  startCharterProcess({ command: 'serve', args: ['--config', config], env, ready: 'charter serve ready' });

test('when serve starts on a fresh database, then the first admin token lands in the file and issues the real admin their own', async () => {
  const tokenFile = path.join(scratch, 'bootstrap.token');
  const config = configFile('charter.env', [
    '# production settings',
    `CHARTER_DATABASE=${database}`,
    'CHARTER_API_PORT=0',
    `CHARTER_BOOTSTRAP_TOKEN_FILE="${tokenFile}"`,
    'CHARTER_BOOTSTRAP_ADMIN=root@halden.example',
  ]);
  const first = await serve(config);
  const api = servedUrl(first);
  const bootstrap = readFileSync(tokenFile, 'utf8').trim();

  expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
  expect(first.lines().join('\n')).toContain(`is in ${tokenFile}`);
  expect(first.lines().join('\n')).not.toContain(bootstrap);
  expect((await fetch(`${api}/readyz`)).status).toBe(200);

  // The bootstrap admin puts the real admin in the directory and issues them a token.
  const put = await fetch(`${api}/v1/directory/people/ops@halden.example`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${bootstrap}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Ops', manager: null }),
  });
  expect(put.status).toBe(201);
  const issued = await charter(
    api,
    bootstrap,
    'token',
    'issue',
    '--person',
    'ops@halden.example',
    '--roles',
    'admin',
    '--label',
    'ops laptop',
  );
  expect(issued.code).toBe(0);
  const own = issued.out.trim().split('\n').at(-1)!;
  expect(own).toMatch(/^chr_/);
  const list = await charter(api, own, 'token', 'list');
  expect(list.out).toMatch(/bootstrap .*live/);
  const bootstrapId = /^(\w{16}) +root@halden\.example/m.exec(list.out)?.[1];
  expect(bootstrapId).toBeDefined();
  const revoked = await charter(api, own, 'token', 'revoke', bootstrapId!);
  expect(revoked).toMatchObject({
    code: 0,
    out: `revoked token ${bootstrapId} of root@halden.example ("bootstrap")\n`,
  });
  expect((await fetch(`${api}/v1/me`, { headers: { authorization: `Bearer ${bootstrap}` } })).status).toBe(
    401,
  );

  await first.stop('SIGTERM');
  expect(first.exit()).toBe('0');
  const logged = first.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(logged.at(-1)).toMatchObject({
    level: 'info',
    service: 'charter-serve',
    msg: 'charter serve stopped',
  });
  // One JSON line per request, with who and what; never a token, though three went through it.
  expect(logged).toContainEqual(
    expect.objectContaining({
      kind: 'request',
      method: 'POST',
      route: '/v1/tokens',
      status: 201,
      person: 'root@halden.example',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
    }),
  );
  for (const secret of [bootstrap, own]) expect(first.lines().join('\n')).not.toContain(secret);
  await expect(fetch(`${api}/healthz`)).rejects.toThrow();

  // A live admin exists now: the next start makes no token, whatever the file holds.
  rmSync(tokenFile);
  const second = await serve(config);
  await second.stop('SIGTERM');
  expect(second.lines().join('\n')).not.toContain('no admin token was live');
  expect(() => statSync(tokenFile)).toThrow();
  const kinds = await mongo
    .db(database)
    .collection('audit_events')
    .find({ chain: 'admin' }, { sort: { seq: 1 } })
    .map((e) => (e['fact'] as { kind: string }).kind)
    .toArray();
  expect(kinds).toEqual(['adminBootstrapped', 'directoryChanged', 'tokenIssued', 'tokenRevoked']);

  // No admin token is live again, and the file holds the old, revoked one: refused, not revived.
  await mongo
    .db(database)
    .collection('api_tokens')
    .updateMany({ revokedAt: null }, { $set: { revokedAt: new Date() } });
  writeFileSync(tokenFile, `${bootstrap}\n`, { mode: 0o600 });
  const third = await startCharterProcess({
    command: 'serve',
    args: ['--config', config],
    env: {},
    ready: null,
  });
  await third.exited;
  expect(third.exit()).toBe('2');
  expect(third.tail()).toContain('was registered before and is no longer live');
  expect(await mongo.db(database).collection('api_tokens').countDocuments({ revokedAt: null })).toBe(0);
}, 240_000);

test('when the config file names a setting Charter does not read, then serve stops before starting, naming file and line', async () => {
  const config = configFile('typo.env', [`CHARTER_DATABASE=${database}`, 'CHARTER_API_PROT=4000']);

  const proc = await startCharterProcess({
    command: 'serve',
    args: ['--config', config],
    env: {},
    ready: null,
  });
  await proc.exited;

  expect(proc.exit()).toBe('2');
  expect(proc.tail()).toContain(`${config}:2: CHARTER_API_PROT is not a Charter setting`);
}, 60_000);

test('when the environment holds a bad value over a good file, then serve names the variable and exits 2', async () => {
  const config = configFile('good.env', [`CHARTER_DATABASE=${database}`]);

  const proc = await startCharterProcess({
    command: 'serve',
    args: ['--config', config],
    env: { CHARTER_API_PORT: '70000' },
    ready: null,
  });
  await proc.exited;

  expect(proc.exit()).toBe('2');
  expect(proc.tail()).toContain('CHARTER_API_PORT: must be between 0 and 65535');
}, 60_000);

test('when a TLS file for Temporal cannot be read, then serve and the worker name it and exit 2, never connecting plainly', async () => {
  const env = { CHARTER_DATABASE: database, TEMPORAL_TLS_CA_FILE: '/nowhere/temporal-ca.pem' };

  const procs = await Promise.all(
    (['serve', 'worker'] as const).map((command) => startCharterProcess({ command, env, ready: null })),
  );
  await Promise.all(procs.map((p) => p.exited));

  for (const proc of procs) {
    expect(proc.exit()).toBe('2');
    expect(proc.tail()).toContain('TEMPORAL_TLS_CA_FILE: cannot read /nowhere/temporal-ca.pem (ENOENT)');
  }
}, 60_000);

test('when serve with a drain time is told to stop, then /readyz answers 503 while requests are still served, then it exits 0', async () => {
  const config = configFile('drain.env', [`CHARTER_DATABASE=${database}_drain`, 'CHARTER_API_PORT=0']);
  const proc = await serve(config, { CHARTER_SHUTDOWN_DRAIN_MS: '4000', CHARTER_LOG_FORMAT: 'text' });
  const api = servedUrl(proc);
  expect((await fetch(`${api}/readyz`)).status).toBe(200);

  const stopped = proc.stop('SIGTERM');
  const deadline = Date.now() + 3_000;
  let ready = await fetch(`${api}/readyz`);
  while (ready.status === 200 && Date.now() < deadline) ready = await fetch(`${api}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({ status: 'stopping' });
  // Still served while the load balancer catches up: the API answers, here its public document.
  expect((await fetch(`${api}/openapi.json`)).status).toBe(200);

  await stopped;
  expect(proc.exit()).toBe('0');
  expect(proc.lines().join('\n')).toContain(
    'draining for 4000 ms (/readyz answers 503, requests are still served)',
  );
  await expect(fetch(`${api}/healthz`)).rejects.toThrow();
  await mongo.db(`${database}_drain`).dropDatabase();
}, 120_000);
