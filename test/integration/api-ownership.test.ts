// "Someone else's object" for every route of the route table that declares one (`ownership` in
// api/route.ts), over real HTTP with the real store, the Temporal dev server and a Charter worker.
// Real objects belong to real people: Rita's instance, Alice's approval task on it, Alice's
// delegation, her absence, her planning weeks and a monitor's finding she owns. Then every allowed
// role is played by a stranger who holds only that role: the roles that see anyone's object reach
// it; everyone else gets the declared answer (a hidden object's 404 reads exactly like an unknown
// id's). A guard makes every route with a path parameter either declare its object or say why it
// has no owner, so a new route cannot skip the check.
import { defaultPreferences } from '../../engine/notices/types.js';
import { jest } from '@jest/globals';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import { isoWeekOf, ROLES, type Role } from '../../store/index.js';
import type { Ownership, RouteSpec } from '../../api/route.js';
import { allRoutes } from '../../api/routes.js';
import { startApiHarness, type Answer, type ApiHarness } from '../support/api.js';

// The servers are shared with other suites: a busy server takes tens of milliseconds a call.
jest.setTimeout(180_000);

const POLICY_NAME = 'Ownership purchase';
const POLICY = `policy "${POLICY_NAME}" version 1 effective 2026-01-01
owner "pmo@halden.example"
role approvers = group "ownership-approvers"

process purchase {
  input {
    requester: person
    item: text
  }
  approve review {
    by approvers
    any
    any reject rejects
    within 5 days
  }
  end approved "{request.item} approved"
}
`;

/** The owners: Rita requests, Alice approves (and delegates to Bob); Paula plans. */
const RITA = 'rita.sommer@halden.example';
const ALICE = 'alice.meyer@halden.example';
const BOB = 'bob.schulz@halden.example';
const PAULA = 'paula.planner@halden.example';
const stranger = (role: Role): string => `stranger-${role}@halden.example`;

/** Path parameters about objects that belong to nobody among the callers, and why. */
const SHARED: Record<string, string> = {
  'GET /projects/:code': 'the portfolio is everyone’s to read',
  'PATCH /projects/:code': 'projects are the PMO’s; pmo and admins change any of them',
  'GET /projects/:code/history': 'the portfolio and its history are everyone’s to read',
  'GET /findings/:id': 'a finding is about a project, not a person: everyone reads it',
  'GET /qualifications/:id': 'the registry of qualifications is everyone’s to read',
  'PATCH /qualifications/:id': 'the registry is the PMO’s; pmo and admins change any entry',
  'GET /qualifications/:id/holders': 'a qualification’s holders: pmo, admins and auditors see all of them',
  'POST /qualifications/:id/completions': 'pmo and admins record anyone’s completion',
  'POST /admin/deliveries/:id/retry': 'deliveries are the system’s; admins retry any failed one',
  'GET /audit/evidence/:instanceId':
    'the ledger is the auditors’: they, the PMO and admins read any instance’s evidence',
  'GET /audit/events/:id/proof':
    'the ledger is the auditors’: they, the PMO and admins read any event’s proof',
  'GET /policies/:name/versions/:version': 'published policies are everyone’s to read',
  'GET /policies/:name/diff':
    'compares published versions: authors, the PMO, admins and auditors, any policy',
  'POST /policies/:name/versions/:version/simulate': 'simulates a published policy and writes nothing',
  'POST /policies/:name/versions/:version/retire': 'policies are the PMO’s: pmo and admins retire any',
  'POST /policies/:name/retire': 'policies are the PMO’s: pmo and admins retire any',
  'POST /policies/:name/impact':
    'replays any policy’s finished instances in the simulator and writes nothing',
  'POST /monitors/:policy/:monitor/pause': 'schedules are operated by admins, for any monitor',
  'POST /monitors/:policy/:monitor/resume': 'schedules are operated by admins, for any monitor',
  'POST /monitors/:policy/:monitor/run': 'schedules are operated by admins, for any monitor',
  'POST /monitors/:policy/:monitor/backfill': 'schedules are operated by admins, for any monitor',
  'GET /policies/:name/versions/:version/processes/:process': 'a published process is everyone’s to read',
  'POST /instances/:id/checks/:request/report': 'the check service reports on any instance (admin only)',
  'GET /directory/people/:id': 'the directory is public: approver resolution must be checkable',
  'PUT /directory/people/:id': 'admins maintain the directory',
  'PUT /directory/people/:id/roles': 'admins grant and take away anyone’s roles',
  'GET /directory/groups/:id': 'the directory is public: approver resolution must be checkable',
  'PUT /directory/groups/:id': 'admins maintain the directory',
  'GET /resources/projects/:project/allocations': 'a project’s plan is the planners’',
  'GET /resources/projects/:project/people': 'a project’s plan is the planners’',
};

/** Routes that end or remove their object: called last, so that the others still find it. */
const ENDS_OBJECT = new Set([
  'POST /instances/:id/cancel',
  'DELETE /directory/delegations/:id',
  'DELETE /tokens/:id',
]);

/** Ids of objects nobody has, per kind, for the 404 a hidden object must look like. */
const UNKNOWN: Record<Ownership['object'], string> = {
  instance: 'purchase-no-such-instance',
  task: 'purchase-no-such-instance/review#1',
  delegation: 'dlg_no_such_delegation',
  person: 'nobody.at.all@halden.example',
  finding: 'Ownership purchase/no_such_monitor/NO-SUCH/2026-01-01T00:00:00.000Z',
  token: '0000000000000000',
};

interface ErrorAnswer {
  error?: { code: string; message: string; refused?: unknown };
}

const DAY_MS = 24 * 3600 * 1000;
const inDays = (days: number): string => new Date(Date.now() + days * DAY_MS).toISOString();
const thisWeek = isoWeekOf(new Date());

/** A minimal valid body per route: a body zod refuses would answer 422 before any ownership check. */
const BODIES: Record<string, unknown> = {
  'PUT /directory/people/:id/delivery': {
    email: null,
    chat: null,
    zone: 'UTC',
    workingHours: { days: ['mon'], from: '09:00', to: '17:00' },
  },
  'PUT /directory/people/:id/notification-preferences': defaultPreferences(),
  'POST /instances/:id/cancel': { reason: 'ownership check' },
  'POST /tasks/:id/decide': { decision: 'approve' },
  'POST /tasks/:id/attest': {},
  'POST /tasks/:id/waive': { reason: 'ownership check' },
  'POST /findings/:id/resolve': { evidence: 'ownership check' },
  'POST /findings/:id/waive': { until: inDays(30).slice(0, 10), reason: 'ownership check' },
  'POST /tasks/:id/delegate': { to: BOB, until: inDays(3) },
  'POST /tasks/:id/comments': { text: 'ownership check' },
  'PUT /directory/people/:id/out-of-office': { from: inDays(60), to: inDays(61) },
  'PUT /resources/people/:person/capacity': { from: thisWeek, to: thisWeek, hours: 40 },
  'POST /resources/people/:person/allocations': {
    project: 'ownership-check',
    hours: 1,
    from: thisWeek,
    to: thisWeek,
  },
  'POST /resources/people/:person/allocations/preview': {
    project: 'ownership-check',
    hours: 1,
    from: thisWeek,
    to: thisWeek,
  },
};

const named = (spec: RouteSpec): string => `${spec.method.toUpperCase()} ${spec.path}`;
const paramsOf = (spec: RouteSpec): string[] => [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
const routes = allRoutes();
const owned = routes.filter(
  (spec): spec is RouteSpec & { ownership: Ownership } => spec.ownership !== undefined,
);

describe("someone else's object, on every route that declares one", () => {
  let api: ApiHarness;
  const objects = {} as Record<Ownership['object'], string>;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url);
    await api.store.directory.seedFromWorld({
      groups: { 'ownership-approvers': [ALICE] },
      managers: {},
      people: [RITA, BOB, PAULA, ...ROLES.map(stranger)],
    });
    for (const role of ROLES) tokens.set(role, await api.tokenFor(stranger(role), [role]));
    const rita = await api.tokenFor(RITA, ['requester']);
    const alice = await api.tokenFor(ALICE, ['approver']);
    const paula = await api.tokenFor(PAULA, ['admin']);

    const out = compileEntry('purchase.charter', memoryHost({ 'purchase.charter': POLICY }));
    if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
    await api.store.policies.publish({
      compiled: out.compiled,
      sources: [{ path: 'purchase.charter', text: POLICY }],
      publishedBy: 'pmo@halden.example',
      at: new Date(),
    });
    const started = await expectStatus(201, 'POST', '/v1/instances', rita, {
      policy: POLICY_NAME,
      process: 'purchase',
      input: { requester: RITA, item: 'laptop' },
    });
    objects.instance = (started.body as { instanceId: string }).instanceId;
    objects.task = await taskOf(alice, objects.instance);
    const delegation = await expectStatus(201, 'POST', '/v1/directory/delegations', alice, {
      to: BOB,
      start: inDays(30),
      end: inDays(37),
    });
    objects.delegation = (delegation.body as { id: string }).id;
    await expectStatus(200, 'PUT', `/v1/directory/people/${ALICE}/out-of-office`, alice, {
      from: inDays(30),
      to: inDays(37),
    });
    objects.person = ALICE;
    const own = await expectStatus(201, 'POST', '/v1/tokens', alice, { roles: ['approver'], label: 'cli' });
    objects.token = (own.body as { id: string }).id;
    // Alice's finding: a monitor's run (seeded through the store: no schedule runs here).
    const run = new Date();
    const opened = await api.store.findings.open({
      policy: { name: POLICY_NAME, version: 1, sha256: 'a'.repeat(64) },
      monitor: 'risk_review_current',
      project: 'OWN-1',
      runId: 'ownership-run',
      runAt: run,
      day: run.toISOString().slice(0, 10),
      message: 'OWN-1 has had no risk review passed in the last 30 days',
      why: 'no risk_review approved for OWN-1',
      health: 'amber',
      owners: [ALICE],
      waivers: [],
      dueAt: null,
    });
    objects.finding = opened.finding.id;
    const weeks = { from: thisWeek, to: thisWeek };
    await expectStatus(200, 'PUT', `/v1/resources/people/${ALICE}/capacity`, paula, { ...weeks, hours: 40 });
    await expectStatus(201, 'POST', `/v1/resources/people/${ALICE}/allocations`, paula, {
      ...weeks,
      project: 'migration',
      hours: 8,
    });
  }, 180_000);

  afterAll(async () => {
    await api?.close();
  });

  async function expectStatus(status: number, method: string, path: string, token: string, body: unknown) {
    const answer = await api.call(method, path, { token, body });
    if (answer.status !== status) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer;
  }

  /** The review task of `instanceId`, once the workflow has put it in Alice's inbox. */
  async function taskOf(alice: string, instanceId: string): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const inbox = await api.call<{ items: { id: string; instanceId: string }[] }>(
        'GET',
        '/v1/tasks/inbox?limit=500',
        { token: alice },
      );
      const task = inbox.body.items?.find((t) => t.instanceId === instanceId);
      if (task) return task.id;
      if (Date.now() > deadline) throw new Error(`no task for ${instanceId} in time: ${inbox.text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const pathOf = (spec: RouteSpec & { ownership: Ownership }, id: string): string =>
    `/v1${spec.path.replace(/:(\w+)/g, (_, name: string) =>
      encodeURIComponent(name === spec.ownership.param ? id : `sample-${name}`),
    )}`;

  const callAs = (role: Role, spec: RouteSpec & { ownership: Ownership }, id: string) =>
    api.call<ErrorAnswer>(spec.method.toUpperCase(), pathOf(spec, id), {
      token: tokens.get(role) ?? null,
      body: spec.method === 'get' || spec.method === 'delete' ? undefined : (BODIES[named(spec)] ?? {}),
    });

  /** The error as a caller reads it, with the id in the message made anonymous. */
  const errorOf = (answer: Answer<ErrorAnswer>, id: string) =>
    `${answer.status} ${answer.body?.error?.code} ${answer.body?.error?.message.split(id).join('<id>')}`;

  test('every route with a path parameter declares its owned object, or says why it has no owner', () => {
    const problems: string[] = [];
    for (const spec of routes) {
      const params = paramsOf(spec);
      const shared = SHARED[named(spec)];
      const ownership = spec.ownership;
      if (ownership === undefined) {
        if (params.length > 0 && shared === undefined) problems.push(`${named(spec)}: owned or shared?`);
        continue;
      }
      if (shared !== undefined) problems.push(`${named(spec)}: both owned and in SHARED`);
      if (!params.includes(ownership.param)) problems.push(`${named(spec)}: no :${ownership.param}`);
      const stray = ownership.seeAll.filter((role) => !spec.roles.includes(role));
      if (stray.length > 0) problems.push(`${named(spec)}: seeAll roles not allowed: ${stray.join(', ')}`);
    }
    for (const key of Object.keys(SHARED)) {
      if (!routes.some((spec) => named(spec) === key)) problems.push(`SHARED names no route: ${key}`);
    }
    expect(problems).toEqual([]);
    expect(owned.length).toBeGreaterThanOrEqual(10);
  });

  test("strangers get the declared answer; the roles that see anyone's reach the object", async () => {
    const mismatches: string[] = [];
    // Strangers first, while every object is as its owner left it.
    for (const spec of owned) {
      const { object, othersGet, seeAll } = spec.ownership;
      for (const role of spec.roles.filter((r) => !seeAll.includes(r))) {
        const answer = await callAs(role, spec, objects[object]);
        const where = `${named(spec)} as a stranger ${role} on ${object} ${objects[object]}`;
        if (answer.status !== othersGet || answer.body?.error?.code === undefined) {
          mismatches.push(
            `${where}: expected ${othersGet}, got ${answer.status} ${answer.text.slice(0, 200)}`,
          );
          continue;
        }
        if (othersGet !== 404) continue;
        const hidden = errorOf(answer, objects[object]);
        const unknown = errorOf(await callAs(role, spec, UNKNOWN[object]), UNKNOWN[object]);
        if (hidden !== unknown)
          mismatches.push(`${where}: "${hidden}" tells it from an unknown id ("${unknown}")`);
      }
    }
    const last = (spec: RouteSpec) => (ENDS_OBJECT.has(named(spec)) ? 1 : 0);
    for (const spec of [...owned].sort((a, b) => last(a) - last(b))) {
      const { object, seeAll } = spec.ownership;
      for (const role of seeAll) {
        const answer = await callAs(role, spec, objects[object]);
        // An action may be refused by the engine (403 with `refused`), or come too late (409) or
        // need other input (422): all of them after the API let the caller at the object.
        const engineRefusal = answer.status === 403 && answer.body?.error?.refused !== undefined;
        const reached = answer.status < 400 || [409, 422].includes(answer.status) || engineRefusal;
        if (!reached) {
          mismatches.push(
            `${named(spec)} as ${role} (sees anyone's ${object}): ${answer.status} ${answer.text.slice(0, 200)}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
