// The `charter` API client, run in-process (as scripts/charter.js runs it) against the real API
// over HTTP with real servers: what it prints, its exit codes (0 done, 1 refused, 2 usage), the
// files `publish` uploads (the same version hash as `charter compile`), the Idempotency-Key it
// sends, and one request's way from `start` through `inbox` and `reject` into the audit ledger.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runClient } from '../../api/cli/main.js';
import { diskHost } from '../../dsl/cli/files.js';
import { compileEntry } from '../../dsl/index.js';
import type { Notice } from '../../engine/notices/types.js';
import type { WorldDirectory } from '../../store/directory.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

let api: ApiHarness;
let scratch: string;

const charter = async (token: string | null, ...argv: string[]): Promise<Run> => {
  let out = '';
  let err = '';
  const code = await runClient(argv, {
    out: (text) => (out += text),
    err: (text) => (err += text),
    env: { CHARTER_API: api.base, ...(token === null ? {} : { CHARTER_TOKEN: token }) },
  });
  return { code, out, err };
};

beforeAll(async () => {
  api = await startApiHarness(import.meta.url);
  scratch = mkdtempSync(path.join(os.tmpdir(), 'charter-cli-'));
}, 90_000);

afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await api?.close();
});

describe('whoami and errors', () => {
  test('whoami prints the person and roles of the token, or the raw answer with --format json', async () => {
    const token = await api.tokenFor('tomas.berg@halden.example', ['author', 'requester']);
    const text = await charter(token, 'whoami');
    expect(text).toEqual({ code: 0, out: 'tomas.berg@halden.example\nroles: author, requester\n', err: '' });
    const json = await charter(token, 'whoami', '--format', 'json');
    expect(JSON.parse(json.out)).toEqual({
      person: 'tomas.berg@halden.example',
      roles: ['author', 'requester'],
    });
  });

  test('no token or an unknown one: exit 1 with the API code and message', async () => {
    const none = await charter(null, 'whoami');
    expect(none.code).toBe(1);
    expect(none.out).toBe('');
    expect(none.err).toContain('charter: unauthorized (HTTP 401): an `Authorization: Bearer <token>` header');
    const unknown = await charter('chr_nobody', 'whoami');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('the token is unknown, expired or revoked');
  });

  test('usage errors exit 2 without calling the API; an unreachable API exits 1 and says where', async () => {
    const unknown = await charter(null, 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command `frobnicate`');
    expect((await charter(null, 'whoami', 'extra')).code).toBe(2);
    expect((await charter(null, 'whoami', '--format', 'yaml')).err).toContain(
      '--format must be text or json',
    );
    expect((await charter(null, 'reject', 'task-1')).err).toContain('reject needs --reason');
    expect((await charter(null, 'audit', 'export')).err).toContain('--format csv or --format jsonl');
    expect((await charter(null, 'audit', 'shred')).code).toBe(2);
    expect((await charter(null, 'publish', path.join(scratch, 'missing.charter'))).err).toContain(
      'no such file',
    );
    let err = '';
    const code = await runClient(['whoami'], {
      out: () => undefined,
      err: (text) => (err += text),
      env: { CHARTER_API: 'http://127.0.0.1:9', CHARTER_TOKEN: 'chr_x' },
    });
    expect(code).toBe(1);
    expect(err).toContain('cannot reach the Charter API at http://127.0.0.1:9');
  });

  test('a role the route does not allow is 403, printed with its code', async () => {
    const auditor = await api.tokenFor('simon.frey@halden.example', ['auditor']);
    const run = await charter(auditor, 'publish', 'policies/change-management.charter');
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^charter: forbidden \(HTTP 403\): POST \/v1\/policies needs one of the roles/);
  });
});

describe('publish', () => {
  let author: string;

  beforeAll(async () => {
    author = await api.tokenFor('tomas.berg@halden.example', ['author']);
  });

  test('uploads the policy with its libraries; the version hash is the one `charter compile` gives', async () => {
    const file = 'policies/change-management.charter';
    const local = compileEntry(file, diskHost).compiled;
    const run = await charter(author, 'publish', file, '--format', 'json');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.out) as { status: string; policy: { name: string; sha256: string } };
    expect(answer.status).toBe('published');
    expect(answer.policy.sha256).toBe(local?.sha256);
    const stored = await api.store.policies.list();
    expect(stored.map((p) => p.name)).toContain(answer.policy.name);

    const again = await charter(author, 'publish', file);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(
      /^already published, unchanged: IT change management v\d+ \(sha256 [0-9a-f]{12}\)/,
    );
  });

  test('--idempotency-key makes a retry a replay of the first answer', async () => {
    const file = 'policies/deliverable-signoff.charter';
    const first = await charter(
      author,
      'publish',
      file,
      '--idempotency-key',
      'ci-run-17',
      '--format',
      'json',
    );
    const retry = await charter(
      author,
      'publish',
      file,
      '--idempotency-key',
      'ci-run-17',
      '--format',
      'json',
    );
    expect(first.code).toBe(0);
    expect(JSON.parse(retry.out)).toEqual(JSON.parse(first.out));
    expect((JSON.parse(first.out) as { status: string }).status).toBe('published');
  });

  test('a policy that does not compile: exit 1 with every diagnostic at file:line:col', async () => {
    const file = path.join(scratch, 'broken.charter');
    writeFileSync(file, 'policy "broken" version 1\n\nprocess p {\n  step !!!\n}\n');
    const run = await charter(author, 'publish', file);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^charter: invalid-policy \(HTTP 422\): broken\.charter:\d+:\d+: /);
    expect(run.err).toMatch(/\n {2}broken\.charter:\d+:\d+: error\[CH\d+\]: /);
    expect(await api.store.policies.list()).not.toContainEqual(expect.objectContaining({ name: 'broken' }));
  });
});

describe('a request from start to the audit ledger', () => {
  test('start, inbox, reject with a reason, then the instance, audit query, verify and export', async () => {
    await api.store.directory.seedFromWorld(
      JSON.parse(readFileSync('policies/shared/org.world.json', 'utf8')) as WorldDirectory,
    );
    const author = await api.tokenFor('tomas.berg@halden.example', ['author']);
    const rita = await api.tokenFor('rita.sommer@halden.example', ['requester']);
    const henrik = await api.tokenFor('henrik.larsen@halden.example', ['approver']);
    const auditor = await api.tokenFor('simon.frey@halden.example', ['auditor']);
    expect((await charter(author, 'publish', 'policies/change-management.charter')).code).toBe(0);

    const input = path.join(scratch, 'change.json');
    writeFileSync(
      input,
      JSON.stringify({
        title: 'Disable legacy FTP upload for suppliers',
        project: 'intranet',
        change_type: 'normal',
        risk: 'low',
        budget: '2,000 EUR',
        downtime: '30m',
        requester: 'rita.sommer@halden.example',
        implementer: 'ben.ortiz@halden.example',
      }),
    );
    const started = await charter(rita, 'start', 'IT change management', 'change_request', '--input', input);
    expect(started.err).toBe('');
    const instanceId = /^started (\S+) under IT change management v\d+\n$/.exec(started.out)?.[1] ?? '';
    expect(instanceId).not.toBe('');

    const bad = path.join(scratch, 'bad.json');
    writeFileSync(bad, JSON.stringify({ title: 42 }));
    const refused = await charter(rita, 'start', 'IT change management', 'change_request', '--input', bad);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/\n {2}body\.input\.\w+: /);

    const task = await eventually(async () => {
      const inbox = await charter(henrik, 'inbox', '--format', 'json');
      const items = (JSON.parse(inbox.out) as { items: { id: string; instanceId: string }[] }).items;
      return items.find((t) => t.instanceId === instanceId)?.id;
    });
    expect((await charter(henrik, 'inbox')).out).toMatch(/^TASK +TITLE +KIND +INSTANCE/);
    const rejected = await charter(henrik, 'reject', task, '--reason', 'suppliers still upload by FTP');
    expect(rejected.err).toBe('');
    expect(rejected.out).toMatch(new RegExp(`^rejected ${task}\n`));

    const shown = await eventually(async () => {
      const run = await charter(rita, 'instance', instanceId);
      return /status: rejected/.test(run.out) ? run.out : undefined;
    });
    expect(shown).toContain(`instanceId: ${instanceId}`);
    expect((await charter(rita, 'instances', '--status', 'rejected')).out).toContain(instanceId);

    const query = await charter(auditor, 'audit', 'query', '--instance', instanceId, '--format', 'json');
    const events = (JSON.parse(query.out) as { items: { instanceId: string; actor: string | null }[] }).items;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.instanceId === instanceId)).toBe(true);
    expect(events.map((e) => e.actor)).toContain('henrik.larsen@halden.example');

    const verified = await charter(auditor, 'audit', 'verify', '--instance', instanceId);
    expect(verified).toMatchObject({ code: 0, err: '' });
    expect(verified.out).toMatch(/is intact: \d+ events in 1 chain,/);
    // The whole ledger: its chains, and the Merkle tree, which no head covers yet in this suite.
    const whole = await charter(auditor, 'audit', 'verify');
    expect(whole.out).toMatch(/the audit ledger is intact: \d+ events in \d+ chains?,/);
    expect(whole.out).toContain('no tree head is signed yet: the Merkle tree was not checked');

    const exported = await charter(auditor, 'audit', 'export', '--format', 'jsonl', '--instance', instanceId);
    expect(exported.code).toBe(0);
    const lines = exported.out.trim().split('\n');
    expect(lines).toHaveLength(events.length);
    for (const line of lines)
      expect((JSON.parse(line) as { instanceId: string }).instanceId).toBe(instanceId);

    const denied = await charter(auditor, 'approve', task);
    expect(denied.code).toBe(1);
    expect(denied.err).toContain('(HTTP 403)');
  }, 90_000);
});

/** Polls until `probe` gives a value: the instance view and tasks follow the workflow shortly after. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('notifications', () => {
  const notice = (n: number, recipient: string): Notice => ({
    id: `cli-${n}:2/${recipient}`,
    kind: 'mention',
    recipient,
    onBehalfOf: null,
    at: Date.parse('2026-12-07T09:00:00Z') + n * 60_000,
    instance: {
      id: `cli-${n}`,
      process: 'purchase',
      policy: 'Laptop purchase',
      project: null,
      requester: recipient,
    },
    task: `cli-${n}/review#1`,
    step: 'review',
    due: null,
    cause: {
      kind: 'mention',
      by: 'henrik.larsen@halden.example',
      excerpt: `look at quote ${n}`,
      comment: `c${n}`,
    },
  });

  test('lists what the bell shows, newest first, and marks one or all read', async () => {
    const person = 'nora.cli@halden.example';
    const token = await api.tokenFor(person, ['approver']);
    for (const n of [1, 2, 3]) await api.store.notifications.add(notice(n, person), new Date());
    await api.store.notifications.add(notice(4, 'someone.else@halden.example'), new Date());

    const listed = await charter(token, 'notifications');
    expect(listed.code).toBe(0);
    const rows = listed.out.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain(`cli-3:2/${person}`);
    expect(rows[0]).toContain('henrik.larsen@halden.example mentioned you');
    expect(rows[0]).toContain('/tasks/cli-3%2Freview%231');

    const one = await charter(token, 'mark-read', `cli-2:2/${person}`);
    expect(one).toMatchObject({ code: 0, out: 'marked 1 read\n' });
    const unread = await charter(token, 'notifications', '--unread', '--format', 'json');
    const ids = (JSON.parse(unread.out) as { items: { id: string }[] }).items.map((i) => i.id);
    expect(ids).toEqual([`cli-3:2/${person}`, `cli-1:2/${person}`]);
    // Someone else's notification is not the caller's to mark.
    expect((await charter(token, 'mark-read', `cli-4:2/someone.else@halden.example`)).out).toBe(
      'marked 0 read\n',
    );
    expect((await charter(token, 'mark-read', '--all')).out).toBe('marked 2 read\n');
    expect((await charter(token, 'notifications', '--unread')).out).toBe('no unread notifications\n');
    expect((await charter(token, 'mark-read')).code).toBe(2);
  });
});
