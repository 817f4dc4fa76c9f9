// Findings of protocol monitors over real HTTP against the real store and the Temporal dev server.
// Findings are seeded through the store (no monitor schedule runs here), then people act on them:
// owners and the people escalation added acknowledge and resolve, the PMO and the monitor's
// `waive by` people waive, everyone else gets 403 with who may; an action on a finding that is no
// longer live, or on a stale version, is 409; bad bodies and queries are 422 at their field paths.
// Every action reaches the finding's workflow as a `findingChanged` signal (here a workflow no
// worker runs, whose history shows the signal). The list filters, the report's numbers and a
// project's health from its findings are read back.
import { jest } from '@jest/globals';
import type { Finding, OpenFinding } from '../../store/index.js';
import { findingWorkflowId } from '../../workflows/definitions/monitor-messages.js';
import { startApiHarness, type Answer, type ApiHarness } from '../support/api.js';

jest.setTimeout(60_000);

interface ErrorAnswer {
  error: {
    code: string;
    message: string;
    status?: string;
    currentVersion?: number;
    problems?: { path: string; message: string }[];
  };
}
interface FindingAnswer {
  id: string;
  project: string;
  monitor: string;
  status: string;
  version: number;
  acknowledged: { by: string; note: string | null } | null;
  resolved: { by: string; evidence: string } | null;
  waived: { by: string; until: string; reason: string } | null;
  may: { acknowledge: boolean; resolve: boolean; waive: boolean };
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const POLICY = { name: 'PMO protocol', version: 1, sha256: 'a'.repeat(64) };
const MARIA = 'maria.owner@halden.example';
const DANA = 'dana.lead@halden.example';
const ESCALATED = 'erik.escalated@halden.example';
const PETRA = 'petra.pmo@halden.example';
const RITA = 'rita.sommer@halden.example';
const AUDREY = 'audrey.auditor@halden.example';
const DAY_MS = 24 * 3600 * 1000;

const daysFromNow = (days: number): string => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
const refusal = (answer: Answer) => ({
  status: answer.status,
  paths: ((answer.body as ErrorAnswer).error?.problems ?? []).map((p) => p.path).sort(),
});
const invalid = (...paths: string[]) => ({ status: 422, paths: paths.sort() });

describe('the findings API over HTTP', () => {
  let api: ApiHarness;
  const token: Record<string, string> = {};
  const logged: string[] = [];
  let seq = 0;

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    token[MARIA] = await api.tokenFor(MARIA, ['approver']);
    token[DANA] = await api.tokenFor(DANA, ['approver']);
    token[ESCALATED] = await api.tokenFor(ESCALATED, ['requester']);
    token[PETRA] = await api.tokenFor(PETRA, ['pmo']);
    token[RITA] = await api.tokenFor(RITA, ['requester']);
    token[AUDREY] = await api.tokenFor(AUDREY, ['auditor']);
    api.deps.log = (line) => logged.push(line);
  });

  afterAll(async () => {
    await api?.close();
  });

  const call = <T>(method: string, path: string, as: string, body?: unknown) =>
    api.call<T>(method, path, { token: token[as] ?? null, body });
  const path = (id: string, action?: string): string =>
    `/v1/findings/${encodeURIComponent(id)}${action === undefined ? '' : `/${action}`}`;

  /** A finding of `project` opened by a run `daysAgo` days ago, owned by Maria, waivable by Dana. */
  async function seed(project: string, overrides: Partial<OpenFinding> = {}, daysAgo = 1): Promise<Finding> {
    seq += 1;
    const runAt = new Date(Date.now() - daysAgo * DAY_MS - seq * 1000);
    const { finding } = await api.store.findings.open({
      policy: POLICY,
      monitor: 'risk_review_current',
      project,
      runId: `run-${seq}`,
      runAt,
      day: runAt.toISOString().slice(0, 10),
      message: `${project} has had no risk review passed in the last 30 days`,
      why: 'risk_review.last_approved is empty: no risk review was ever approved',
      health: 'amber',
      owners: [MARIA],
      waivers: [DANA],
      dueAt: new Date(runAt.getTime() + 7 * DAY_MS),
      ...overrides,
    });
    return finding;
  }

  test('when someone who is not the finding’s may act, then 403 says who may; its people and the PMO act', async () => {
    const f = await seed('ROLE-1');
    await api.store.findings.addPeople(f.id, [ESCALATED], new Date());

    for (const as of [RITA, AUDREY, DANA]) {
      const ack = await call<ErrorAnswer>('POST', path(f.id, 'acknowledge'), as, {});
      expect({ as, status: ack.status, code: ack.body.error.code }).toEqual({
        as,
        status: 403,
        code: 'forbidden',
      });
      expect(ack.body.error.message).toMatch(/owners, the people it was escalated to, the PMO and admins/);
    }
    const ownerWaives = await call<ErrorAnswer>('POST', path(f.id, 'waive'), MARIA, {
      until: daysFromNow(10),
      reason: 'freeze',
    });
    expect(ownerWaives.status).toBe(403);
    expect(ownerWaives.body.error.message).toMatch(/`waive by`/);

    // Everyone reads it, with what they may do.
    const asRita = await call<FindingAnswer>('GET', path(f.id), RITA);
    expect(asRita.status).toBe(200);
    expect(asRita.body.may).toEqual({ acknowledge: false, resolve: false, waive: false });
    expect((await call<FindingAnswer>('GET', path(f.id), MARIA)).body.may).toEqual({
      acknowledge: true,
      resolve: true,
      waive: false,
    });
    expect((await call<FindingAnswer>('GET', path(f.id), DANA)).body.may).toEqual({
      acknowledge: false,
      resolve: false,
      waive: true,
    });

    const ack = await call<FindingAnswer>('POST', path(f.id, 'acknowledge'), MARIA, { note: '  on it  ' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledged: { by: MARIA, note: 'on it' } });
    expect(ack.body.may).toEqual({ acknowledge: false, resolve: true, waive: false });
    const resolved = await call<FindingAnswer>('POST', path(f.id, 'resolve'), ESCALATED, {
      evidence: 'risk review RR-12 approved',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolved: { by: ESCALATED } });

    const g = await seed('ROLE-2');
    const waived = await call<FindingAnswer>('POST', path(g.id, 'waive'), DANA, {
      until: daysFromNow(30),
      reason: 'project paused until the budget review',
    });
    expect(waived.status).toBe(200);
    expect(waived.body.waived).toMatchObject({ by: DANA, until: daysFromNow(30) });
    const h = await seed('ROLE-3');
    expect(
      (await call('POST', path(h.id, 'waive'), PETRA, { until: daysFromNow(1), reason: 'x' })).status,
    ).toBe(200);
    // No running workflow for these findings: normal, so nothing was logged.
    expect(logged).toEqual([]);
    // Each action is a fact on the finding's ledger chain, by whoever took it.
    const chain = await api.store.audit.chainByName(`finding:${f.id}`);
    expect(chain.map((e) => [e.fact?.kind, e.actor])).toEqual([
      ['findingAcknowledged', MARIA],
      ['findingResolved', ESCALATED],
    ]);
    expect((await api.store.audit.verify({ chain: `finding:${f.id}` })).ok).toBe(true);
  });

  test('when an action comes too late or on a stale version, then 409 names the status or the current version', async () => {
    const f = await seed('LATE-1');
    await call('POST', path(f.id, 'acknowledge'), MARIA, {});

    const twice = await call<ErrorAnswer>('POST', path(f.id, 'acknowledge'), MARIA, {});
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'finding-not-live', status: 'acknowledged' });
    const stale = await call<ErrorAnswer>('POST', path(f.id, 'resolve'), MARIA, {
      evidence: 'done',
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'version-conflict', currentVersion: 2 });
    expect((await call('POST', path(f.id, 'resolve'), MARIA, { evidence: 'done', version: 2 })).status).toBe(
      200,
    );
    const after = await call<ErrorAnswer>('POST', path(f.id, 'waive'), PETRA, {
      until: daysFromNow(5),
      reason: 'late',
    });
    expect(after.status).toBe(409);
    expect(after.body.error).toMatchObject({ code: 'finding-not-live', status: 'resolved' });
    expect(after.body.error.message).toMatch(/it is resolved/);
    expect((await call('GET', path('PMO protocol/x/NOPE-1/2027-01-01T00:00:00.000Z'), RITA)).status).toBe(
      404,
    );
    expect(
      (await call('POST', path('PMO protocol/x/NOPE-1/2027-01-01T00:00:00.000Z', 'acknowledge'), PETRA, {}))
        .status,
    ).toBe(404);
  });

  test('when a body or a query is wrong, then 422 names each field', async () => {
    const f = await seed('BAD-1');
    const waive = (body: unknown) => call('POST', path(f.id, 'waive'), PETRA, body);

    expect(refusal(await call('POST', path(f.id, 'resolve'), MARIA, { evidence: '   ' }))).toEqual(
      invalid('body.evidence'),
    );
    expect(refusal(await call('POST', path(f.id, 'resolve'), MARIA, {}))).toEqual(invalid('body.evidence'));
    expect(refusal(await call('POST', path(f.id, 'resolve'), MARIA, { evidence: 'x'.repeat(2001) }))).toEqual(
      invalid('body.evidence'),
    );
    expect(refusal(await call('POST', path(f.id, 'acknowledge'), MARIA, { note: 'x', extra: 1 }))).toEqual(
      invalid('body'),
    );
    expect(refusal(await waive({ until: daysFromNow(0), reason: 'today' }))).toEqual(invalid('body.until'));
    expect(refusal(await waive({ until: daysFromNow(366), reason: 'too far' }))).toEqual(
      invalid('body.until'),
    );
    expect(refusal(await waive({ until: '2027-02-30', reason: 'no such day' }))).toEqual(
      invalid('body.until'),
    );
    expect(refusal(await waive({ until: daysFromNow(3) }))).toEqual(invalid('body.reason'));
    expect(refusal(await waive({ until: daysFromNow(3), reason: 'ok', version: 0 }))).toEqual(
      invalid('body.version'),
    );
    const today = await waive({ until: daysFromNow(0), reason: 'today' });
    expect((today.body as ErrorAnswer).error.problems?.[0]?.message).toMatch(/^must be after today/);
    expect(refusal(await waive({ until: daysFromNow(365), reason: 'a year' }))).toEqual({
      status: 200,
      paths: [],
    });

    expect(refusal(await call('GET', '/v1/findings?status=pending', RITA))).toEqual(invalid('query.status'));
    expect(refusal(await call('GET', '/v1/findings?project=erp-1&mine=yes', RITA))).toEqual(
      invalid('query.project', 'query.mine'),
    );
    expect(refusal(await call('GET', '/v1/findings?monitor=risk-review&limit=0', RITA))).toEqual(
      invalid('query.monitor', 'query.limit'),
    );
    expect(refusal(await call('GET', '/v1/findings?cursor=WyJwcm9qZWN0cyIsIkEiXQ', RITA))).toEqual(
      invalid('query.cursor'),
    );
    expect(refusal(await call('GET', '/v1/reports/findings?at=now', RITA))).toEqual(invalid('query'));
  });

  test('when an action is taken, then the finding’s workflow gets findingChanged with the action', async () => {
    const f = await seed('SIG-1');
    const handle = await api.deps.temporal.workflow.start('charterFindingStandIn', {
      workflowId: findingWorkflowId(f.id),
      // No worker polls this queue: the execution only collects the signals sent to it.
      taskQueue: `${api.taskQueue}-findings-stand-in`,
    });
    try {
      expect((await call('POST', path(f.id, 'acknowledge'), MARIA, {})).status).toBe(200);
      const history = await handle.fetchHistory();
      const signals = (history.events ?? []).flatMap((e) =>
        e.workflowExecutionSignaledEventAttributes ? [e.workflowExecutionSignaledEventAttributes] : [],
      );
      expect(signals.map((s) => s.signalName)).toEqual(['findingChanged']);
      const payload = signals[0]?.input?.payloads?.[0]?.data;
      expect(JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString('utf8'))).toEqual({
        action: 'acknowledged',
      });
    } finally {
      await handle.terminate('test over');
    }
  });

  test('when the list is filtered, then each filter narrows it, newest first, and mine is the caller’s', async () => {
    const a = await seed('LST-1', { monitor: 'sponsors', owners: [RITA] }, 3);
    const b = await seed('LST-1', {}, 2);
    const c = await seed('LST-2', { policy: { ...POLICY, name: 'Security' } }, 1);
    await api.store.findings.resolve(b.id, MARIA, new Date(), 'done', null);
    const ids = async (query: string, as = AUDREY) => {
      const answer = await call<Page<FindingAnswer>>('GET', `/v1/findings${query}`, as);
      expect(answer.status).toBe(200);
      return answer.body.items.map((x) => x.id).filter((id) => [a.id, b.id, c.id].includes(id));
    };

    expect(await ids('?project=LST-1')).toEqual([b.id, a.id]);
    expect(await ids('?project=LST-1&status=live')).toEqual([a.id]);
    expect(await ids('?status=resolved&project=LST-1')).toEqual([b.id]);
    expect(await ids('?monitor=sponsors')).toEqual([a.id]);
    expect(await ids(`?policy=${encodeURIComponent('Security')}`)).toEqual([c.id]);
    expect(await ids('?mine=true', RITA)).toEqual([a.id]);
    const paged = await call<Page<FindingAnswer>>('GET', '/v1/findings?project=LST-1&limit=1', AUDREY);
    expect(paged.body.items.map((x) => x.id)).toEqual([b.id]);
    const next = await call<Page<FindingAnswer>>(
      'GET',
      `/v1/findings?project=LST-1&limit=1&cursor=${paged.body.nextCursor ?? ''}`,
      AUDREY,
    );
    expect(next.body.items.map((x) => x.id)).toEqual([a.id]);
  });

  test('when the report is read, then live findings count by project and age, and the mean time to resolve is in hours', async () => {
    await seed('REP-1', {}, 2);
    await seed('REP-1', { monitor: 'sponsors' }, 10);
    await seed('REP-2', {}, 45);

    const report = await call<{
      projects: { project: string; open: number; byAge: Record<string, number> }[];
      totals: { open: number };
      timeToResolve: { meanHours: number | null; over: number };
    }>('GET', '/v1/reports/findings', RITA);

    expect(report.status).toBe(200);
    expect(report.body.projects.find((p) => p.project === 'REP-1')).toEqual({
      project: 'REP-1',
      open: 2,
      byAge: { under7: 1, from7to30: 1, over30: 0 },
      byMonitor: [
        { policy: 'PMO protocol', monitor: 'risk_review_current', open: 1 },
        { policy: 'PMO protocol', monitor: 'sponsors', open: 1 },
      ],
    });
    expect(report.body.projects.find((p) => p.project === 'REP-2')?.byAge).toEqual({
      under7: 0,
      from7to30: 0,
      over30: 1,
    });
    expect(report.body.timeToResolve.over).toBeGreaterThan(0);
    expect(typeof report.body.timeToResolve.meanHours).toBe('number');
  });

  test('when a project has live findings with a health, then it shows their worst beside the health kept by hand', async () => {
    const at = new Date();
    await api.store.projects.create(
      'HLT-1',
      {
        name: 'Health check',
        phase: 'build',
        manager: null,
        sponsor: null,
        budget: null,
        start: null,
        end: null,
        health: { status: 'green', reason: null },
        tags: [],
      },
      PETRA,
      at,
    );
    const quiet = await call<{ findingsHealth: unknown }>('GET', '/v1/projects/HLT-1', RITA);
    expect(quiet.body.findingsHealth).toBeNull();

    const first = await seed('HLT-1', { health: 'amber' }, 4);
    const red = await seed('HLT-1', { monitor: 'sponsors', health: 'red' }, 3);
    await seed('HLT-1', { monitor: 'budget_set', health: null }, 2);
    const since = red.openedAt.toISOString().slice(0, 10);
    const read = await call<{ health: unknown; findingsHealth: unknown }>('GET', '/v1/projects/HLT-1', RITA);
    expect(read.body.health).toEqual({ status: 'green', reason: null });
    expect(read.body.findingsHealth).toEqual({
      status: 'red',
      reason: `1 open finding of monitor sponsors since ${since}`,
    });
    const listed = await call<Page<{ code: string; findingsHealth: unknown }>>(
      'GET',
      '/v1/projects?phase=build',
      RITA,
    );
    expect(listed.body.items.find((p) => p.code === 'HLT-1')?.findingsHealth).toEqual(
      read.body.findingsHealth,
    );

    await api.store.findings.resolve(first.id, MARIA, new Date(), 'done', null);
  });
});
