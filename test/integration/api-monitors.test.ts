// Operating monitor schedules over real HTTP, against the real store, the Temporal dev server (the
// one with Schedules) and a Charter worker in this process. Publishing a policy with a monitor
// through the API schedules it; the list shows it with its schedule's state, and shows a schedule
// that is gone as "not scheduled" (a repeated publish makes it again). Admins pause (a note is
// required), resume, run now (a run fact lands on the monitor's chain, a finding opens and the list
// counts it) and backfill a past Monday (judged as that day); every act is on the ledger with who
// did it. The daily reconcile's schedule and workflow remake a schedule that went missing. The
// `charter monitors` and `charter monitor` commands do the same from a terminal. Other roles read
// but get 403 on the actions; unknown monitors are 404; retiring the policy removes its schedule.
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { runClient } from '../../api/cli/main.js';
import { localDate } from '../../engine/calendar/index.js';
import { findingWorkflowId, monitorScheduleId } from '../../workflows/definitions/monitor-messages.js';
import { ensureReconcileSchedule } from '../../workflows/monitor-start.js';
import { monitorChain } from '../../workflows/monitors/ledger.js';
import { RECONCILE_SCHEDULE_ID } from '../../workflows/monitors/schedules.js';
import { startApiHarness, type Answer, type ApiHarness } from '../support/api.js';
import { projectFields, RISK_REVIEW_MONITOR, riskReviewPolicy } from '../support/monitors.js';
import { until } from '../support/until.js';

jest.setTimeout(180_000);

const POLICY = `Monitors API ${randomUUID().slice(0, 8)}`;
const MONITOR = RISK_REVIEW_MONITOR;
const SOURCE = riskReviewPolicy(POLICY);

const LEA = 'lea.hofmann@halden.example';
const PETRA = 'petra.holm@halden.example';
const TOMAS = 'tomas.berg@halden.example';
const RITA = 'rita.sommer@halden.example';
const SIMON = 'simon.frey@halden.example';

interface MonitorAnswer {
  policy: { name: string; version: number };
  monitor: string;
  scheduleId: string;
  schedule: { days: string[]; time: string; timezone: string; text: string };
  status: 'active' | 'paused' | 'not-scheduled';
  paused: { note: string | null; by: string | null; at: string | null } | null;
  nextRuns: string[];
  recentRuns: { scheduledAt: string; startedAt: string; workflowId: string }[];
  lastRun: { at: string; day: string; judged: number; failed: number; opened: number; closed: number } | null;
  liveFindings: number;
}
interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string; message: string }[] };
}

/** The newest Monday before today in Berlin, as YYYY-MM-DD. */
function lastMonday(now: number): string {
  for (let back = 1; back <= 7; back++) {
    const day = localDate(now - back * 24 * 3600 * 1000, 'Europe/Berlin');
    if (new Date(`${day}T12:00:00Z`).getUTCDay() === 1) return day;
  }
  throw new Error('no Monday in the last week');
}

describe('operating monitor schedules over HTTP', () => {
  let api: ApiHarness;
  const token: Record<string, string> = {};
  const scheduleId = monitorScheduleId(POLICY, MONITOR);
  const reconcileId = `${RECONCILE_SCHEDULE_ID}:test-${randomUUID().slice(0, 8)}`;
  const base = `/v1/monitors/${encodeURIComponent(POLICY)}/${MONITOR}`;

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url);
    token[LEA] = await api.tokenFor(LEA, ['admin']);
    token[PETRA] = await api.tokenFor(PETRA, ['pmo']);
    token[TOMAS] = await api.tokenFor(TOMAS, ['author']);
    token[RITA] = await api.tokenFor(RITA, ['requester']);
    token[SIMON] = await api.tokenFor(SIMON, ['auditor']);
    await api.store.directory.seedFromWorld({
      groups: {},
      managers: {},
      people: ['alice@halden.example', 'dana@halden.example'],
    });
    const at = new Date('2026-10-01T00:00:00Z');
    await api.store.projects.create('PRJ-1', projectFields('build', 'alice@halden.example'), 'pmo', at);
    await api.store.projects.create('PRJ-2', projectFields('planning', 'alice@halden.example'), 'pmo', at);
  }, 180_000);

  afterAll(async () => {
    const temporal = api?.deps.temporal;
    for (const id of [scheduleId, reconcileId]) {
      await temporal?.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    }
    // The findings the runs opened are chased by workflows that would wait for days.
    const findings = (await api?.store.findings.page({}, null, 50))?.items ?? [];
    for (const f of findings) {
      await temporal?.workflow
        .getHandle(findingWorkflowId(f.id))
        .terminate('test over')
        .catch(() => undefined);
    }
    await api?.close();
  });

  const call = <T>(method: string, path: string, as: string, body?: unknown): Promise<Answer<T>> =>
    api.call<T>(method, path, { token: token[as] ?? null, body });
  const list = async (as = SIMON): Promise<MonitorAnswer[]> => {
    const answer = await call<{ items: MonitorAnswer[] }>('GET', '/v1/monitors', as);
    expect(answer.status).toBe(200);
    return answer.body.items;
  };
  const ours = async (as = SIMON): Promise<MonitorAnswer | undefined> =>
    (await list(as)).find((m) => m.scheduleId === scheduleId);
  const chainFacts = async () =>
    (await api.store.audit.chainByName(monitorChain(POLICY, MONITOR))).map((e) => ({
      kind: e.fact?.kind,
      actor: e.actor,
      fact: e.fact,
    }));

  test('when no policy declares a monitor, then the list is empty', async () => {
    expect(await list()).toEqual([]);
  });

  test('when a policy with a monitor is published through the API, then it is scheduled and listed for everyone', async () => {
    const published = await call('POST', '/v1/policies', TOMAS, { source: SOURCE });
    expect(published.status).toBe(201);

    const described = await api.deps.temporal.schedule.getHandle(scheduleId).describe();
    expect(described.spec.timezone).toBe('Europe/Berlin');
    for (const as of [RITA, SIMON, PETRA, TOMAS, LEA]) {
      const m = await ours(as);
      expect(m).toMatchObject({
        policy: { name: POLICY, version: 1 },
        monitor: MONITOR,
        schedule: {
          days: ['mon'],
          time: '08:00',
          timezone: 'Europe/Berlin',
          text: 'mon 08:00 Europe/Berlin',
        },
        status: 'active',
        paused: null,
        lastRun: null,
        liveFindings: 0,
      });
      // Mondays at 08:00 in Berlin: 07:00 or 06:00 UTC.
      expect(m?.nextRuns[0]).toMatch(/T0[67]:00:00\.000Z$/);
      expect(new Date(m?.nextRuns[0] ?? '').getUTCDay()).toBe(1);
    }
  });

  test('when its schedule is gone, then it is listed as not scheduled, actions are 409, and publishing again makes it', async () => {
    await api.deps.temporal.schedule.getHandle(scheduleId).delete();
    expect((await ours())?.status).toBe('not-scheduled');
    const refused = await call<ErrorAnswer>('POST', `${base}/pause`, LEA, { note: 'freeze' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'not-scheduled']);

    expect((await call('POST', '/v1/policies', TOMAS, { source: SOURCE })).status).toBe(201);
    expect((await ours())?.status).toBe('active');
  });

  test('when an admin pauses and resumes it, then Temporal and the list say so and the ledger names who and why', async () => {
    const blank = await call<ErrorAnswer>('POST', `${base}/pause`, LEA, { note: '  ' });
    expect(blank.status).toBe(422);
    expect(blank.body.error.problems).toEqual([
      { path: 'body.note', message: 'say why the monitor is paused (for example a quarter-end freeze)' },
    ]);
    expect((await call<ErrorAnswer>('POST', `${base}/pause`, LEA, {})).body.error.problems?.[0]?.path).toBe(
      'body.note',
    );

    const paused = await call<MonitorAnswer>('POST', `${base}/pause`, LEA, { note: 'quarter-end freeze' });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      status: 'paused',
      paused: { note: 'quarter-end freeze', by: LEA },
      nextRuns: [],
    });
    const described = await api.deps.temporal.schedule.getHandle(scheduleId).describe();
    expect(described.state).toMatchObject({ paused: true, note: 'quarter-end freeze' });
    expect((await ours(RITA))?.paused).toMatchObject({ note: 'quarter-end freeze', by: LEA });

    const resumed = await call<MonitorAnswer>('POST', `${base}/resume`, LEA, { note: 'freeze over' });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'active', paused: null });
    expect(resumed.body.nextRuns.length).toBeGreaterThan(0);
    expect((await api.deps.temporal.schedule.getHandle(scheduleId).describe()).state.paused).toBe(false);

    expect(await chainFacts()).toEqual([
      {
        kind: 'monitorPaused',
        actor: LEA,
        fact: { kind: 'monitorPaused', monitor: MONITOR, by: LEA, note: 'quarter-end freeze' },
      },
      {
        kind: 'monitorResumed',
        actor: LEA,
        fact: { kind: 'monitorResumed', monitor: MONITOR, by: LEA, note: 'freeze over' },
      },
    ]);
    const texts = (await api.store.audit.chainByName(monitorChain(POLICY, MONITOR))).map((e) => e.text);
    expect(texts).toEqual([
      `${LEA} paused monitor ${MONITOR}: quarter-end freeze`,
      `${LEA} resumed monitor ${MONITOR}: freeze over`,
    ]);
  });

  test('when an admin runs it now, then the run is on its chain, its finding opens and the list shows both', async () => {
    const answer = await call<{ requested: string; scheduleId: string }>('POST', `${base}/run`, LEA);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ requested: 'run', scheduleId });

    const m = await until(
      'the run on the list',
      () => ours(),
      (v) => v?.lastRun !== null,
      60_000,
    );
    // PRJ-1 (build, no review ever) fails; PRJ-2 (planning) is out of scope.
    expect(m?.lastRun).toMatchObject({
      day: localDate(Date.now(), 'Europe/Berlin'),
      judged: 2,
      failed: 1,
      opened: 1,
      closed: 0,
    });
    expect(m?.liveFindings).toBe(1);
    expect(m?.recentRuns[0]?.workflowId).toMatch(new RegExp(`^${scheduleId}-`));
    const kinds = (await chainFacts()).map((f) => [f.kind, f.actor]);
    expect(kinds).toContainEqual(['monitorRunRequested', LEA]);
    expect(kinds).toContainEqual(['monitorRun', null]);
  });

  test('when an admin backfills a past Monday, then that day is judged; bad ranges are refused at body.to', async () => {
    const monday = lastMonday(Date.now());
    const today = localDate(Date.now(), 'Europe/Berlin');
    const refusedAt = async (body: unknown) => {
      const answer = await call<ErrorAnswer>('POST', `${base}/backfill`, LEA, body);
      return [answer.status, ...(answer.body.error.problems ?? []).map((p) => p.path)];
    };
    expect(await refusedAt({ from: '2026-11-10', to: '2026-11-09' })).toEqual([422, 'body.to']);
    expect(await refusedAt({ from: '2025-11-01', to: '2026-11-02' })).toEqual([422, 'body.to']);
    expect(await refusedAt({ from: monday, to: '2099-01-01' })).toEqual([422, 'body.to']);
    expect(await refusedAt({ from: '2026-02-30', to: today })).toEqual([422, 'body.from']);
    expect(await refusedAt({ from: monday })).toEqual([422, 'body.to']);
    const tooLong = await call<ErrorAnswer>('POST', `${base}/backfill`, LEA, {
      from: '2025-11-01',
      to: '2026-11-02',
    });
    expect(tooLong.body.error.message).toBe(
      'body.to: must be at most 366 days from 2025-11-01 (both included), so 2026-11-01 at the latest',
    );

    const answer = await call('POST', `${base}/backfill`, LEA, { from: monday, to: monday });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ requested: 'backfill', from: monday, to: monday });
    const runs = () =>
      api.store.audit
        .chainByName(monitorChain(POLICY, MONITOR))
        .then((events) => events.flatMap((e) => (e.fact?.kind === 'monitorRun' ? [e.fact.day] : [])));
    expect(await until('the Monday run', runs, (days) => days.includes(monday), 60_000)).toContain(monday);
    const requested = (await chainFacts()).find((f) => f.kind === 'monitorBackfillRequested');
    expect(requested?.fact).toEqual({
      kind: 'monitorBackfillRequested',
      monitor: MONITOR,
      by: LEA,
      from: monday,
      to: monday,
    });
  });

  test('when another role operates a schedule, then 403; an unknown policy or monitor is 404', async () => {
    const actions: [string, unknown][] = [
      ['pause', { note: 'mine now' }],
      ['resume', {}],
      ['run', undefined],
      ['backfill', { from: '2026-11-02', to: '2026-11-02' }],
    ];
    for (const as of [PETRA, TOMAS, RITA, SIMON]) {
      for (const [action, body] of actions) {
        const answer = await call<ErrorAnswer>('POST', `${base}/${action}`, as, body);
        expect({ as, action, status: answer.status }).toEqual({ as, action, status: 403 });
      }
    }
    const unknownMonitor = await call<ErrorAnswer>(
      'POST',
      `/v1/monitors/${encodeURIComponent(POLICY)}/no_such_monitor/run`,
      LEA,
    );
    expect([unknownMonitor.status, unknownMonitor.body.error.code]).toEqual([404, 'not-found']);
    const unknownPolicy = await call<ErrorAnswer>('POST', `/v1/monitors/Nobody/${MONITOR}/pause`, LEA, {
      note: 'x',
    });
    expect(unknownPolicy.status).toBe(404);
    const badName = await call<ErrorAnswer>(
      'POST',
      `/v1/monitors/${encodeURIComponent(POLICY)}/bad-name/run`,
      LEA,
    );
    expect([badName.status, badName.body.error.problems?.[0]?.path]).toEqual([422, 'params.monitor']);
  });

  test('when the daily reconcile runs, then a schedule that went missing is made again', async () => {
    const client = api.deps.temporal;
    expect(await ensureReconcileSchedule(client, api.taskQueue, reconcileId)).toEqual({ outcome: 'created' });
    expect(await ensureReconcileSchedule(client, api.taskQueue, reconcileId)).toEqual({ outcome: 'present' });
    expect(await ensureReconcileSchedule(client, 'another-deployment', reconcileId)).toEqual({
      outcome: 'other',
      taskQueue: api.taskQueue,
    });
    const daily = await client.schedule.getHandle(reconcileId).describe();
    expect(daily.spec.timezone).toBe('UTC');
    expect(daily.spec.calendars).toEqual([
      expect.objectContaining({
        hour: [{ start: 0, end: 0, step: 1 }],
        minute: [{ start: 5, end: 5, step: 1 }],
      }),
    ]);
    expect(daily.action).toMatchObject({
      workflowType: 'charterReconcileMonitors',
      taskQueue: api.taskQueue,
    });

    await client.schedule.getHandle(scheduleId).delete();
    await client.schedule.getHandle(reconcileId).trigger();
    await until(
      'the schedule made again',
      () => ours(),
      (m) => m?.status === 'active',
      60_000,
    );
    const runs = (await client.schedule.getHandle(reconcileId).describe()).info.recentActions;
    expect(runs.map((r) => r.action.workflow.workflowId)).toEqual([
      expect.stringMatching(`^${reconcileId}-`),
    ]);
  });

  test('when the CLI lists and pauses, then it prints the state, refuses a missing note and passes on a 403', async () => {
    const charter = async (as: string | null, ...argv: string[]) => {
      let out = '';
      let err = '';
      const env = { CHARTER_API: api.base, ...(as === null ? {} : { CHARTER_TOKEN: token[as] }) };
      const code = await runClient(argv, { out: (t) => (out += t), err: (t) => (err += t), env });
      return { code, out, err };
    };
    const listed = await charter(SIMON, 'monitors');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^POLICY\s+MONITOR\s+RUNS\s+STATE/);
    expect(listed.out).toContain(`${POLICY} v1  ${MONITOR}  mon 08:00 Europe/Berlin  active`);

    const noNote = await charter(LEA, 'monitor', 'pause', POLICY, MONITOR);
    expect([noNote.code, noNote.err.split('\n')[0]]).toEqual([
      2,
      'charter: monitor pause needs --note: the reason is kept with the schedule and in the ledger',
    ]);
    const forbidden = await charter(PETRA, 'monitor', 'run', POLICY, MONITOR);
    expect(forbidden.code).toBe(1);
    expect(forbidden.err).toMatch(/^charter: forbidden \(HTTP 403\)/);

    const paused = await charter(LEA, 'monitor', 'pause', POLICY, MONITOR, '--note', 'audit week');
    expect([paused.code, paused.out.split('\n')[0]]).toEqual([
      0,
      `paused monitor ${MONITOR} of ${POLICY}: audit week`,
    ]);
    expect((await charter(SIMON, 'monitors')).out).toContain(`paused: audit week (by ${LEA})`);
    const resumed = await charter(LEA, 'monitor', 'resume', POLICY, MONITOR);
    expect([resumed.code, resumed.out.split('\n')[0]]).toEqual([
      0,
      `resumed monitor ${MONITOR} of ${POLICY}`,
    ]);
  });

  test('when the policy is retired, then its schedule is removed and the monitor is no longer known', async () => {
    const retired = await call('POST', `/v1/policies/${encodeURIComponent(POLICY)}/retire`, PETRA, {
      reason: 'replaced by the portfolio handbook',
    });
    expect(retired.status).toBe(200);

    expect(await ours()).toBeUndefined();
    await expect(api.deps.temporal.schedule.getHandle(scheduleId).describe()).rejects.toMatchObject({
      name: 'ScheduleNotFoundError',
    });
    const gone = await call<ErrorAnswer>('POST', `${base}/run`, LEA);
    expect(gone.status).toBe(404);
  });
});
