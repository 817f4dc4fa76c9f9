// Instances and projects over real HTTP, a real store and the Temporal dev server: the project
// texts of instances that name no project (counted, newest start, a close code, the text as a
// code), the PMO's `requireKnownProject` setting, and the instance start it refuses with 422 at
// `body.input.project` and a "did you mean". No worker runs: a refused start never reaches
// Temporal, and an accepted one only needs the workflow to start (the suite terminates them);
// the instance views the unlinked list reads are written as the worker writes them.
import { jest } from '@jest/globals';
import type { ViewWrite } from '../../store/instances.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';

jest.setTimeout(60_000);

const POLICY_NAME = 'Linking purchase';
const POLICY = `policy "${POLICY_NAME}" version 1 effective 2026-01-01
owner "pmo@halden.example"
role approvers = group "linking-approvers"

process purchase {
  input {
    requester: person
    item: text
    project: text
  }
  approve review {
    by approvers
    any
    within 5 days
  }
  end approved "{request.item} approved"
}

process note {
  input {
    requester: person
    item: text
  }
  approve review {
    by approvers
    any
    within 5 days
  }
  end approved "{request.item} noted"
}
`;

const RITA = 'rita.sommer@halden.example';
const ALICE = 'alice.meyer@halden.example';
const PETRA = 'petra.pmo@halden.example';
const GRETA = 'greta.holm@halden.example';

interface ErrorAnswer {
  error: {
    code: string;
    message: string;
    suggestion?: string;
    problems?: { path: string; message: string }[];
  };
}
interface Unlinked {
  items: {
    text: string;
    instances: number;
    newestStart: string;
    suggestion: string | null;
    newCode: string | null;
  }[];
  total: number;
}

/** An instance view as the worker writes it after the first transition. */
const view = (id: string, project: string | null, startedAt: string): ViewWrite => ({
  instanceId: id,
  workflowId: id,
  policy: { name: POLICY_NAME, version: 1, sha256: 'a'.repeat(64) },
  process: 'purchase',
  project,
  status: 'running',
  message: null,
  startedAt: new Date(startedAt),
  startedBy: RITA,
  endedAt: null,
  currentSteps: ['review'],
  blockedOn: [],
  transition: 1,
});

describe('instances linked to projects', () => {
  let api: ApiHarness;
  const token: Record<string, string> = {};
  const started: string[] = [];

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    await api.store.directory.seedFromWorld({
      groups: { 'linking-approvers': [ALICE] },
      managers: {},
      people: [RITA, PETRA, GRETA],
    });
    await api.publish(POLICY, 'linking.charter');
    token[RITA] = await api.tokenFor(RITA, ['requester']);
    token[PETRA] = await api.tokenFor(PETRA, ['pmo']);
    token[GRETA] = await api.tokenFor(GRETA, ['admin']);
    await call('PUT', '/v1/portfolio/phases', PETRA, { phases: ['plan', 'build', 'closed'] });
    for (const [code, phase] of [
      ['ERP-2027', 'build'],
      ['CRM-1', 'plan'],
      ['OLD-1', 'closed'],
    ] as const) {
      expect((await call('POST', '/v1/projects', PETRA, { code, name: code, phase })).status).toBe(201);
    }
  });

  afterAll(async () => {
    // Accepted starts wait for a worker that never comes: end them.
    for (const id of started) {
      await api.deps.temporal.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined);
    }
    await api?.close();
  });

  const call = <T>(method: string, path: string, as: string, body?: unknown) =>
    api.call<T>(method, path, { token: token[as] ?? null, body });
  const start = async (input: Record<string, unknown>, process = 'purchase') => {
    const answer = await call<{ instanceId: string } & ErrorAnswer>('POST', '/v1/instances', RITA, {
      policy: POLICY_NAME,
      process,
      input: { requester: RITA, item: 'a laptop', ...input },
    });
    if (answer.status === 201) started.push(answer.body.instanceId);
    return answer;
  };

  test('when instances name texts that are no project code, then the PMO sees each with its count and newest start', async () => {
    const views = [
      view('i-1', 'intranet', '2027-03-01T09:00:00Z'),
      view('i-2', 'intranet', '2027-03-05T09:00:00Z'),
      view('i-3', 'intranet', '2027-03-02T09:00:00Z'),
      view('i-4', 'ERP-2027', '2027-03-03T09:00:00Z'),
      view('i-5', 'erp-2027', '2027-03-04T09:00:00Z'),
      view('i-6', 'Data Lake', '2027-03-06T09:00:00Z'),
      view('i-7', null, '2027-03-07T09:00:00Z'),
      view('i-8', 'OLD-1', '2027-03-08T09:00:00Z'),
    ];
    for (const v of views) await api.store.views.upsert(v);

    const unlinked = await call<Unlinked>('GET', '/v1/portfolio/unlinked', PETRA);
    expect(unlinked.status).toBe(200);
    expect(unlinked.body).toEqual({
      items: [
        {
          text: 'intranet',
          instances: 3,
          newestStart: '2027-03-05T09:00:00.000Z',
          suggestion: null,
          newCode: 'INTRANET',
        },
        // One instance each: the newer start first.
        {
          text: 'Data Lake',
          instances: 1,
          newestStart: '2027-03-06T09:00:00.000Z',
          suggestion: null,
          newCode: 'DATA-LAKE',
        },
        {
          text: 'erp-2027',
          instances: 1,
          newestStart: '2027-03-04T09:00:00.000Z',
          suggestion: 'ERP-2027',
          newCode: 'ERP-2027',
        },
      ],
      total: 3,
    });
    const one = await call<Unlinked>('GET', '/v1/portfolio/unlinked?limit=1', GRETA);
    expect([one.body.items.map((u) => u.text), one.body.total]).toEqual([['intranet'], 3]);
    expect((await call('GET', '/v1/portfolio/unlinked', RITA)).status).toBe(403);
    expect((await call('GET', '/v1/portfolio/unlinked?limit=0', PETRA)).status).toBe(422);

    // A project's instances are the list filtered by its code.
    const linked = await call<{ items: { instanceId: string }[] }>(
      'GET',
      '/v1/instances?project=ERP-2027',
      GRETA,
    );
    expect(linked.body.items.map((i) => i.instanceId)).toEqual(['i-4']);
  });

  test('when the setting is read and written, then it is off by default and only the PMO and admins change it', async () => {
    expect((await call('GET', '/v1/portfolio/settings', RITA)).body).toEqual({ requireKnownProject: false });
    expect((await call('PUT', '/v1/portfolio/settings', RITA, { requireKnownProject: true })).status).toBe(
      403,
    );
    const bad = await call<ErrorAnswer>('PUT', '/v1/portfolio/settings', PETRA, {
      requireKnownProject: 'yes',
    });
    expect([bad.status, bad.body.error.problems?.map((p) => p.path)]).toEqual([
      422,
      ['body.requireKnownProject'],
    ]);
    expect((await call('GET', '/v1/portfolio/settings', RITA)).body).toEqual({ requireKnownProject: false });
  });

  test('when the setting is off, then an instance starts with any project text', async () => {
    expect((await start({ project: 'whatever we call it' })).status).toBe(201);
  });

  test('when the setting is on, then a start naming no open project is refused at body.input.project', async () => {
    const on = await call('PUT', '/v1/portfolio/settings', PETRA, { requireKnownProject: true });
    expect(on.body).toEqual({ requireKnownProject: true });

    const typo = await start({ project: 'ERP-207' });
    expect(typo.status).toBe(422);
    expect(typo.body.error).toMatchObject({
      code: 'unknown-project',
      suggestion: 'ERP-2027',
      problems: [
        {
          path: 'body.input.project',
          message: 'no open project has the code `ERP-207`; did you mean `ERP-2027`?',
        },
      ],
    });
    const lower = await start({ project: 'crm-1' });
    expect(lower.body.error.suggestion).toBe('CRM-1');
    // Nothing close: no suggestion rather than a wrong one.
    const far = await start({ project: 'intranet' });
    expect(far.body.error).toMatchObject({
      code: 'unknown-project',
      problems: [{ path: 'body.input.project', message: 'no open project has the code `intranet`' }],
    });
    expect(far.body.error.suggestion).toBeUndefined();
    const closed = await start({ project: 'OLD-1' });
    expect([closed.status, closed.body.error.problems]).toEqual([
      422,
      [{ path: 'body.input.project', message: 'project `OLD-1` is closed: it takes no new instances' }],
    ]);

    expect((await start({ project: 'ERP-2027' })).status).toBe(201);
    // A process without a project input is not the portfolio's to refuse.
    expect((await start({}, 'note')).status).toBe(201);

    const off = await call('PUT', '/v1/portfolio/settings', GRETA, { requireKnownProject: false });
    expect(off.status).toBe(200);
    expect((await start({ project: 'intranet' })).status).toBe(201);
  });
});
