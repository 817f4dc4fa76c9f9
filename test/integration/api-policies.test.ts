// The policy routes over real HTTP with a real store: validate (diagnostics in the shape of
// `charter check --format json`), publish (published, unchanged, conflict), list with cursors, read
// one version, and dry-run a published version in the simulator with a shipped policy test.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startApiHarness, type ApiHarness } from '../support/api.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(`${root}${path}`, 'utf8');

const changeManagement = {
  entry: 'change-management.charter',
  files: {
    'change-management.charter': read('policies/change-management.charter'),
    'shared/org.charter': read('policies/shared/org.charter'),
  },
};
const contractorOnboarding = {
  entry: 'contractor-onboarding.charter',
  files: {
    'contractor-onboarding.charter': read('policies/contractor-onboarding.charter'),
    'shared/org.charter': read('policies/shared/org.charter'),
  },
};
const NAME = 'IT change management';

interface ErrorAnswer {
  error: {
    code: string;
    message: string;
    problems?: { path: string; message: string }[];
    diagnostics?: { file: string; line: number; col: number; code: string; severity: string }[];
  };
}
interface Summary {
  name: string;
  version: number;
  sha256: string;
  processes: string[];
  publishedBy: string;
}

describe('policies over HTTP', () => {
  let api: ApiHarness;
  let author: string;
  let requester: string;
  let auditor: string;
  let approver: string;

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    author = await api.tokenFor('tomas.berg@halden.example', ['author']);
    requester = await api.tokenFor('rita.sommer@halden.example', ['requester']);
    auditor = await api.tokenFor('audit@halden.example', ['auditor']);
    approver = await api.tokenFor('henrik.larsen@halden.example', ['approver']);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  test('validate compiles a policy with its include and says what it defines', async () => {
    const answer = await api.call<{ ok: boolean; policy: Summary; diagnostics: unknown[] }>(
      'POST',
      '/v1/policies/validate',
      { token: author, body: changeManagement },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.ok).toBe(true);
    expect(answer.body.policy).toMatchObject({ name: NAME, version: 4 });
    expect(answer.body.policy.processes).toEqual(['change_request', 'post_implementation_review']);
    expect(await api.store.policies.list()).toEqual([]);
  }, 30_000);

  test('a broken policy is 422 invalid-policy with located diagnostics, in the CLI json shape', async () => {
    // Alone, the policy cannot find the library it uses.
    const missing = await api.call<ErrorAnswer>('POST', '/v1/policies/validate', {
      token: author,
      body: { source: changeManagement.files['change-management.charter'] },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe('invalid-policy');
    const first = missing.body.error.diagnostics?.[0];
    expect(first).toMatchObject({ file: 'policy.charter', line: 13, severity: 'error' });
    expect(Object.keys(first ?? {}).slice(0, 8)).toEqual([
      'file',
      'line',
      'col',
      'endLine',
      'endCol',
      'code',
      'severity',
      'message',
    ]);
    const typo = await api.call<ErrorAnswer>('POST', '/v1/policies/validate', {
      token: author,
      body: { source: 'policy "p" version 1 effective 2026-01-01\n\nprocess p {\n  input { a: nmber }\n}\n' },
    });
    expect(typo.status).toBe(422);
    expect(typo.body.error.diagnostics?.some((d) => d.line === 4 && d.col > 1)).toBe(true);
    expect(typo.body.error.message).toMatch(/^policy\.charter:\d+:\d+: /);
  }, 30_000);

  test('uploads of the wrong shape are 422 with field paths; approvers and auditors may not upload', async () => {
    const empty = await api.call<ErrorAnswer>('POST', '/v1/policies/validate', { token: author, body: {} });
    expect(empty.status).toBe(422);
    expect(empty.body.error.problems?.map((p) => p.path)).toEqual(['body.source']);
    const both = await api.call<ErrorAnswer>('POST', '/v1/policies', {
      token: author,
      body: { source: 'x', entry: 'a.charter', files: { 'b.charter': 1 } },
    });
    expect(both.status).toBe(422);
    expect(both.body.error.problems?.map((p) => p.path).sort()).toEqual(['body.files.b.charter']);
    const noEntry = await api.call<ErrorAnswer>('POST', '/v1/policies', {
      token: author,
      body: { entry: 'a.charter', files: { 'b.charter': '' } },
    });
    expect(noEntry.body.error.problems?.map((p) => p.path)).toEqual(['body.entry']);
    for (const token of [approver, auditor, requester]) {
      expect((await api.call('POST', '/v1/policies', { token, body: changeManagement })).status).toBe(403);
    }
    expect(await api.store.policies.list()).toEqual([]);
  }, 30_000);

  test('publish: published, then unchanged for the same upload, 409 for other content', async () => {
    const first = await api.call<{ status: string; policy: Summary }>('POST', '/v1/policies', {
      token: author,
      body: changeManagement,
    });
    expect(first.status).toBe(201);
    expect(first.body.status).toBe('published');
    expect(first.body.policy).toMatchObject({
      name: NAME,
      version: 4,
      publishedBy: 'tomas.berg@halden.example',
    });
    const again = await api.call<{ status: string; policy: Summary }>('POST', '/v1/policies', {
      token: author,
      body: changeManagement,
    });
    expect(again.status).toBe(201);
    expect(again.body.status).toBe('unchanged');
    expect(again.body.policy.sha256).toBe(first.body.policy.sha256);

    const edited = {
      ...changeManagement,
      files: {
        ...changeManagement.files,
        'change-management.charter': `${changeManagement.files['change-management.charter']}\n# edited\n`,
      },
    };
    const conflict = await api.call<ErrorAnswer>('POST', '/v1/policies', { token: author, body: edited });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('policy-conflict');
    expect((await api.store.policies.get(NAME, 4))?.sha256).toBe(first.body.policy.sha256);
  }, 30_000);

  test('everyone lists versions page by page; a bad cursor or limit is 422', async () => {
    expect(
      (await api.call('POST', '/v1/policies', { token: author, body: contractorOnboarding })).status,
    ).toBe(201);
    const all = await api.call<{ items: Summary[]; nextCursor: string | null }>('GET', '/v1/policies', {
      token: auditor,
    });
    expect(all.status).toBe(200);
    expect(all.body.items.map((p) => p.name)).toEqual(['Contractor onboarding', NAME]);
    expect(all.body.nextCursor).toBeNull();
    const first = await api.call<{ items: Summary[]; nextCursor: string | null }>(
      'GET',
      '/v1/policies?limit=1',
      {
        token: approver,
      },
    );
    expect(first.body.items.map((p) => p.name)).toEqual(['Contractor onboarding']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.call<{ items: Summary[]; nextCursor: string | null }>(
      'GET',
      `/v1/policies?limit=1&cursor=${first.body.nextCursor ?? ''}`,
      { token: approver },
    );
    expect(second.body.items.map((p) => p.name)).toEqual([NAME]);
    expect(second.body.nextCursor).toBeNull();
    const bad = await api.call<ErrorAnswer>('GET', '/v1/policies?cursor=nonsense', { token: requester });
    expect(bad.status).toBe(422);
    expect(bad.body.error.problems?.[0]?.path).toBe('query.cursor');
    const tooMany = await api.call<ErrorAnswer>('GET', '/v1/policies?limit=501', { token: requester });
    expect(tooMany.body.error.problems?.[0]?.path).toBe('query.limit');
  }, 30_000);

  test('one version with its sources and IR; unknown is 404, a bad version 422', async () => {
    const path = `/v1/policies/${encodeURIComponent(NAME)}/versions/4`;
    const answer = await api.call<
      Summary & { sources: { path: string }[]; ir: { policy: { name: string } } }
    >('GET', path, { token: requester });
    expect(answer.status).toBe(200);
    expect(answer.body.sources.map((s) => s.path).sort()).toEqual([
      'change-management.charter',
      'shared/org.charter',
    ]);
    expect(answer.body.ir.policy.name).toBe(NAME);
    expect(
      (await api.call('GET', `/v1/policies/${encodeURIComponent(NAME)}/versions/3`, { token: requester }))
        .status,
    ).toBe(404);
    for (const version of ['0', 'abc', '1.5']) {
      const bad = await api.call<ErrorAnswer>('GET', `/v1/policies/x/versions/${version}`, {
        token: requester,
      });
      expect(bad.status).toBe(422);
      expect(bad.body.error.problems?.[0]?.path).toBe('params.version');
    }
  }, 30_000);

  test('simulate plays a shipped policy test on the published version', async () => {
    const tests = JSON.parse(read('policies/change-management.test.json')) as {
      timezone: string;
      start: string;
      world: Record<string, unknown>;
      tests: { process: string; startedBy: string; input: unknown; script: unknown[] }[];
    };
    const org = JSON.parse(read('policies/shared/org.world.json')) as Record<string, unknown>;
    // The world file names the org world it extends; the API takes the merged world.
    const own = Object.fromEntries(Object.entries(tests.world).filter(([key]) => key !== 'include'));
    const scenario = tests.tests[0];
    const answer = await api.call<{
      status: string;
      decisions: { text: string }[];
      failures: string[];
      timeline: unknown[];
    }>('POST', `/v1/policies/${encodeURIComponent(NAME)}/versions/4/simulate`, {
      token: requester,
      body: {
        process: scenario?.process,
        input: scenario?.input,
        script: scenario?.script,
        world: { ...org, ...own },
        start: tests.start,
        timezone: tests.timezone,
        startedBy: scenario?.startedBy,
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.failures).toEqual([]);
    expect(answer.body.status).toBe('approved');
    expect(answer.body.decisions.map((d) => d.text)).toContainEqual(
      expect.stringContaining('manager_review approved'),
    );
    expect(answer.body.timeline.length).toBeGreaterThan(0);
  }, 30_000);

  test('simulate refuses bad input with paths, unknown versions with 404, auditors with 403', async () => {
    const path = `/v1/policies/${encodeURIComponent(NAME)}/versions/4/simulate`;
    const bad = await api.call<ErrorAnswer>('POST', path, {
      token: author,
      body: { process: 'change_request', input: { title: 'x', risk: 'extreme' } },
    });
    expect(bad.status).toBe(422);
    const paths = bad.body.error.problems?.map((p) => p.path) ?? [];
    expect(paths).toContain('body.input.risk');
    expect(paths).toContain('body.input.budget');
    const process = await api.call<ErrorAnswer>('POST', path, {
      token: author,
      body: { process: 'nope', input: {} },
    });
    expect(process.body.error.problems?.map((p) => p.path)).toEqual(['body.process']);
    const start = await api.call<ErrorAnswer>('POST', path, {
      token: author,
      body: {
        process: 'post_implementation_review',
        input: {
          change_title: 'Patch the proxy',
          result: 'successful',
          implementer: 'ben.ortiz@halden.example',
          planned_downtime: '1h',
          actual_downtime: '1h',
        },
        start: 'soon',
      },
    });
    expect(start.status).toBe(422);
    expect(start.body.error.problems?.map((p) => p.path)).toEqual(['body.start']);
    const unknown = `/v1/policies/${encodeURIComponent(NAME)}/versions/9/simulate`;
    expect(
      (await api.call('POST', unknown, { token: author, body: { process: 'p', input: {} } })).status,
    ).toBe(404);
    expect((await api.call('POST', path, { token: auditor, body: { process: 'p', input: {} } })).status).toBe(
      403,
    );
  }, 30_000);
});
