// Projects as records over real HTTP against the real store: the PMO sets its phases, creates
// projects (checked field by field against those phases and the directory), lists them by each
// filter, patches them with a version check and reads who changed what. Requesters read but never
// write. No worker runs: nothing here starts a workflow.
import { jest } from '@jest/globals';
import { startApiHarness, type Answer, type ApiHarness } from '../support/api.js';

// The servers are shared with other suites: a busy server takes tens of milliseconds a call.
jest.setTimeout(60_000);

interface ErrorAnswer {
  error: {
    code: string;
    message: string;
    currentVersion?: number;
    problems?: { path: string; message: string }[];
  };
}
interface ProjectAnswer {
  code: string;
  version: number;
  name: string;
  phase: string;
  manager: string | null;
  sponsor: string | null;
  budget: { amount: string; currency: string } | null;
  start: string | null;
  end: string | null;
  health: { status: string; reason: string | null };
  tags: string[];
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}
interface ChangeAnswer {
  code: string;
  version: number;
  at: string;
  by: string;
  changes: { field: string; from: unknown; to: unknown }[];
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const ALICE = 'alice.meyer@halden.example';
const BOB = 'bob.schulz@halden.example';
const RITA = 'rita.sommer@halden.example';
const GRETA = 'greta.holm@halden.example';
const PETRA = 'petra.pmo@halden.example';
const GONE = 'gone.person@halden.example';
const GHOST = 'ghost@halden.example';

/** Status and sorted problem paths of an answer, in one expectation so a failure shows both. */
const refusal = (answer: Answer) => ({
  status: answer.status,
  paths: ((answer.body as ErrorAnswer).error?.problems ?? []).map((p) => p.path).sort(),
});
const invalid = (...paths: string[]) => ({ status: 422, paths: paths.sort() });

describe('the projects API over HTTP', () => {
  let api: ApiHarness;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    await api.store.directory.seedFromWorld({
      groups: {},
      managers: {},
      people: [ALICE, BOB, RITA, GRETA, PETRA, GONE],
    });
    await api.store.directory.upsertPerson({ id: GONE, active: false });
    token[RITA] = await api.tokenFor(RITA, ['requester']);
    token[GRETA] = await api.tokenFor(GRETA, ['admin']);
    token[PETRA] = await api.tokenFor(PETRA, ['pmo']);
    const phases = await call('PUT', '/v1/portfolio/phases', PETRA, {
      phases: ['idea', 'plan', 'build', 'run'],
    });
    expect(phases.status).toBe(200);
  });

  afterAll(async () => {
    await api?.close();
  });

  const call = <T>(method: string, path: string, as: string, body?: unknown) =>
    api.call<T>(method, path, { token: token[as] ?? null, body });
  const create = (body: Record<string, unknown>, as = PETRA) =>
    call<ProjectAnswer>('POST', '/v1/projects', as, body);
  const codes = async (query: string) =>
    (await call<Page<ProjectAnswer>>('GET', `/v1/projects${query}`, RITA)).body.items.map((p) => p.code);

  test('when the PMO creates a project, then everyone reads it back as it was given', async () => {
    const made = await create({
      code: 'ERP-2027',
      name: 'ERP replacement',
      phase: 'plan',
      manager: ALICE,
      sponsor: BOB,
      budget: { amount: '1200000.50', currency: 'EUR' },
      start: '2027-01-04',
      end: '2027-12-17',
      tags: ['finance', 'sap'],
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      code: 'ERP-2027',
      version: 1,
      phase: 'plan',
      manager: ALICE,
      sponsor: BOB,
      // Exact text, canonical: no binary rounding, no trailing zero.
      budget: { amount: '1200000.5', currency: 'EUR' },
      start: '2027-01-04',
      end: '2027-12-17',
      health: { status: 'green', reason: null },
      tags: ['finance', 'sap'],
      updatedBy: PETRA,
    });
    expect(Number.isNaN(Date.parse(made.body.createdAt))).toBe(false);

    const read = await call<ProjectAnswer>('GET', '/v1/projects/ERP-2027', RITA);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(made.body);
    expect(read.headers.get('etag')).toBeTruthy();

    const again = await create({ code: 'ERP-2027', name: 'Again', phase: 'plan' }, GRETA);
    expect(again.status).toBe(409);
    expect((again.body as unknown as ErrorAnswer).error.code).toBe('project-exists');
    expect((await call('GET', '/v1/projects/NOPE-1', RITA)).status).toBe(404);
  });

  test('when projects are listed, then each filter narrows the list', async () => {
    await create({ code: 'CRM-1', name: 'CRM', phase: 'build', manager: BOB, tags: ['sales'] });
    await create({
      code: 'DWH-2',
      name: 'Warehouse',
      phase: 'build',
      manager: ALICE,
      health: { status: 'red', reason: 'vendor late' },
      tags: ['finance'],
    });
    expect(await codes('')).toEqual(expect.arrayContaining(['CRM-1', 'DWH-2', 'ERP-2027']));
    expect((await codes('?phase=build')).sort()).toEqual(['CRM-1', 'DWH-2']);
    expect(await codes('?health=red')).toEqual(['DWH-2']);
    expect((await codes(`?manager=${encodeURIComponent(ALICE)}`)).sort()).toEqual(['DWH-2', 'ERP-2027']);
    expect((await codes('?tag=finance')).sort()).toEqual(['DWH-2', 'ERP-2027']);
    expect(await codes('?tag=finance&phase=build')).toEqual(['DWH-2']);

    const first = await call<Page<ProjectAnswer>>('GET', '/v1/projects?limit=2', RITA);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const rest = await call<Page<ProjectAnswer>>(
      'GET',
      `/v1/projects?limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
      RITA,
    );
    const seen = [...first.body.items, ...rest.body.items].map((p) => p.code);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(['CRM-1', 'DWH-2', 'ERP-2027']));
    expect(refusal(await call('GET', '/v1/projects?health=blue', RITA))).toEqual(invalid('query.health'));
  });

  test('when a project is patched, then its history says who changed what, newest first', async () => {
    await create({ code: 'HR-7', name: 'HR portal', phase: 'idea', start: '2027-02-01' });
    const one = await call<ProjectAnswer>('PATCH', '/v1/projects/HR-7', PETRA, {
      version: 1,
      phase: 'plan',
      manager: ALICE,
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ version: 2, phase: 'plan', manager: ALICE, name: 'HR portal' });
    const two = await call<ProjectAnswer>('PATCH', '/v1/projects/HR-7', GRETA, {
      health: { status: 'amber', reason: 'scope grew' },
    });
    expect(two.body).toMatchObject({ version: 3, health: { status: 'amber', reason: 'scope grew' } });
    expect(two.body.updatedBy).toBe(GRETA);

    const history = await call<Page<ChangeAnswer>>('GET', '/v1/projects/HR-7/history', RITA);
    expect(history.status).toBe(200);
    const [newest, older] = history.body.items;
    expect(newest).toMatchObject({ version: 3, by: GRETA });
    expect(newest?.changes).toEqual([
      {
        field: 'health',
        from: { status: 'green', reason: null },
        to: { status: 'amber', reason: 'scope grew' },
      },
    ]);
    expect(older).toMatchObject({ version: 2, by: PETRA });
    expect(older?.changes).toEqual(
      expect.arrayContaining([
        { field: 'phase', from: 'idea', to: 'plan' },
        { field: 'manager', from: null, to: ALICE },
      ]),
    );
    expect((await call('GET', '/v1/projects/NOPE-1/history', RITA)).status).toBe(404);
  });

  test('when a patch was made on a stale version, then it is refused with the current one', async () => {
    await create({ code: 'NET-3', name: 'Network', phase: 'run' });
    expect((await call('PATCH', '/v1/projects/NET-3', PETRA, { version: 1, name: 'Net' })).status).toBe(200);
    const stale = await call<ErrorAnswer>('PATCH', '/v1/projects/NET-3', GRETA, { version: 1, name: 'LAN' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version-conflict');
    expect(stale.body.error.currentVersion).toBe(2);
    expect(stale.body.error.message).toContain('version 2');
    expect((await call<ProjectAnswer>('GET', '/v1/projects/NET-3', RITA)).body.name).toBe('Net');
    expect((await call('PATCH', '/v1/projects/NOPE-1', PETRA, { name: 'x' })).status).toBe(404);
  });

  test('when a project is given wrongly, then every problem is named by its field', async () => {
    const bad = await create({
      code: 'erp 1',
      name: 'x',
      phase: 'closing',
      manager: GHOST,
      sponsor: GONE,
      budget: { amount: '1,200', currency: 'eur' },
      start: '2027-02-30',
    });
    // The schema's problems first: the store is asked only about a request that parses.
    expect(refusal(bad)).toEqual(
      invalid('body.code', 'body.budget.amount', 'body.budget.currency', 'body.start'),
    );
    expect(
      refusal(
        await create({ code: 'X-1', name: 'x', phase: 'plan', start: '2027-05-01', end: '2027-04-30' }),
      ),
    ).toEqual(invalid('body.end'));
    expect(
      refusal(
        await create({ code: 'X-1', name: 'x', phase: 'plan', budget: { amount: 1200, currency: 'EUR' } }),
      ),
    ).toEqual(invalid('body.budget.amount'));

    const unknown = await create({ code: 'X-1', name: 'x', phase: 'closing', manager: GHOST, sponsor: GONE });
    expect(refusal(unknown)).toEqual(invalid('body.phase', 'body.manager', 'body.sponsor'));
    const phaseProblem = (unknown.body as unknown as ErrorAnswer).error.problems?.find(
      (p) => p.path === 'body.phase',
    );
    expect(phaseProblem?.message).toContain('idea, plan, build, run');
    expect((await call('GET', '/v1/projects/X-1', RITA)).status).toBe(404);

    // A patch is checked against the stored dates: ERP-2027 starts 2027-01-04 and ends 2027-12-17.
    const patch = (body: unknown) => call('PATCH', '/v1/projects/ERP-2027', PETRA, body);
    expect(refusal(await patch({ end: '2026-12-31' }))).toEqual(invalid('body.end'));
    expect(refusal(await patch({ start: '2028-01-01' }))).toEqual(invalid('body.start'));
    expect(refusal(await patch({ phase: 'closing', sponsor: GHOST }))).toEqual(
      invalid('body.phase', 'body.sponsor'),
    );
    expect(refusal(await patch({ version: 1 }))).toEqual(invalid('body'));
    // A code is not a field to patch: named as unknown (and nothing else was given).
    const renamed = await patch({ code: 'OTHER-1' });
    expect(refusal(renamed)).toEqual(invalid('body', 'body'));
    expect((renamed.body as ErrorAnswer).error.problems?.map((p) => p.message).join(' ')).toContain('code');
    expect((await call<ProjectAnswer>('GET', '/v1/projects/ERP-2027', RITA)).body.version).toBe(1);
  });

  test('when a requester writes, then they are refused; they may read', async () => {
    expect((await create({ code: 'R-1', name: 'x', phase: 'plan' }, RITA)).status).toBe(403);
    expect((await call('PATCH', '/v1/projects/ERP-2027', RITA, { name: 'mine' })).status).toBe(403);
    expect((await call('PUT', '/v1/portfolio/phases', RITA, { phases: ['a'] })).status).toBe(403);
    expect((await call('GET', '/v1/portfolio/phases', RITA)).status).toBe(200);
    expect((await call('GET', '/v1/projects', RITA)).status).toBe(200);
  });

  test('when the PMO adds a phase, then a project can be created in it', async () => {
    expect(refusal(await create({ code: 'PH-1', name: 'x', phase: 'retire' }))).toEqual(
      invalid('body.phase'),
    );
    const put = await call<{ phases: string[] }>('PUT', '/v1/portfolio/phases', GRETA, {
      phases: ['idea', 'plan', 'build', 'run', 'retire'],
    });
    expect(put.body).toEqual({ phases: ['idea', 'plan', 'build', 'run', 'retire'] });
    expect((await call('GET', '/v1/portfolio/phases', RITA)).body).toEqual(put.body);
    const made = await create({ code: 'PH-1', name: 'x', phase: 'retire' });
    expect(made.status).toBe(201);
    expect(made.body.phase).toBe('retire');

    const put2 = (phases: unknown) => call('PUT', '/v1/portfolio/phases', PETRA, { phases });
    expect(refusal(await put2([]))).toEqual(invalid('body.phases'));
    expect(refusal(await put2(['a', 'a']))).toEqual(invalid('body.phases'));
    expect(refusal(await put2(['Build']))).toEqual(invalid('body.phases.0'));
    expect(refusal(await put2(Array.from({ length: 21 }, (_, i) => `p${i}`)))).toEqual(
      invalid('body.phases'),
    );
  });
});
