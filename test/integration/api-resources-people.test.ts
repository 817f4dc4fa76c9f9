// /v1/resources for people over real HTTP against the real store: a person's hours per ISO week,
// allocations that never take a person below zero free hours however many arrive at once,
// utilisation per person and per project that add up, a preview that writes nothing, who may see
// whom (a requester only themselves, 404 for anyone else), and bad input refused with field paths
// and nothing written.
import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import type { World } from '../../engine/simulate/world.js';
import { startApiHarness, type Answer, type ApiHarness } from '../support/api.js';

// The servers are shared with other suites: a busy server takes tens of milliseconds a call.
jest.setTimeout(120_000);

const world = JSON.parse(
  readFileSync(new URL('../../policies/shared/org.world.json', import.meta.url), 'utf8'),
) as World;

interface ErrorAnswer {
  error: {
    code: string;
    message: string;
    problems?: { path: string; message: string }[];
    weeks?: AllocationWeek[] | { week: string; allocated: number; capacity: number }[];
  };
}
interface PersonWeek {
  week: string;
  capacity: number;
  allocated: number;
  free: number;
  utilisation: number;
  projects: { project: string; hours: number }[];
}
interface PersonAnswer {
  person: string;
  weeks: PersonWeek[];
  projects: { project: string; hours: number }[];
}
interface AllocationWeek {
  week: string;
  hours: number;
  capacity: number;
  freeBefore: number;
  freeAfter: number;
  short: number;
  utilisationBefore: number;
  utilisationAfter: number;
}
interface AllocationAnswer {
  outcome: string;
  weeks: AllocationWeek[];
}
interface MemberAnswer {
  person: string;
  hours: number;
  weeks: { week: string; hours: number; capacity: number; allocated: number; utilisation: number }[];
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const DANA = 'dana.keller@halden.example';
const PRIYA = 'priya.raman@halden.example';
const JENS = 'jens.albrecht@halden.example';
const INGRID = 'ingrid.solberg@halden.example';
const CLAIRE = 'claire.dubois@halden.example';
const RITA = 'rita.sommer@halden.example';
const BEN = 'ben.ortiz@halden.example';

const refusal = (answer: Answer) => ({
  status: answer.status,
  paths: [...new Set(((answer.body as ErrorAnswer).error?.problems ?? []).map((p) => p.path))].sort(),
});
const invalid = (...paths: string[]) => ({ status: 422, paths: paths.sort() });

describe('people as capacity holders over HTTP', () => {
  let api: ApiHarness;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    await api.store.directory.seedFromWorld(world);
    token['admin'] = await api.tokenFor(DANA, ['admin']);
    token['author'] = await api.tokenFor('marcus.oyelaran@halden.example', ['author']);
    token['approver'] = await api.tokenFor('sarah.lindqvist@halden.example', ['approver']);
    token['auditor'] = await api.tokenFor('ivan.petrov@halden.example', ['auditor']);
    token['requester'] = await api.tokenFor(RITA, ['requester']);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const send = <T = unknown>(method: string, path: string, who: string, body?: unknown) =>
    api.call<T>(method, path, { token: token[who] ?? null, body });
  const get = <T = unknown>(path: string, who = 'admin') => send<T>('GET', path, who);
  const person = (id: string, range: string, who = 'admin') =>
    get<PersonAnswer>(`/v1/resources/people/${id}?${range}`, who);
  const setHours = (id: string, body: unknown) =>
    send<PersonAnswer>('PUT', `/v1/resources/people/${id}/capacity`, 'admin', body);
  const allocate = (id: string, body: unknown, who = 'author') =>
    send<AllocationAnswer & ErrorAnswer>('POST', `/v1/resources/people/${id}/allocations`, who, body);

  test('capacity: an admin sets hours for a range of weeks and every planner reads them back', async () => {
    const set = await setHours(PRIYA, { from: '2027-W10', to: '2027-W12', hours: 40 });
    expect(set.status).toBe(200);
    expect(set.body.weeks.map((w) => [w.week, w.capacity, w.free, w.utilisation])).toEqual([
      ['2027-W10', 40, 40, 0],
      ['2027-W11', 40, 40, 0],
      ['2027-W12', 40, 40, 0],
    ]);
    await setHours(PRIYA, { from: '2027-W12', to: '2027-W12', hours: 32 });
    for (const who of ['admin', 'author', 'approver', 'auditor']) {
      const read = await person(PRIYA, 'from=2027-W09&to=2027-W12', who);
      expect([read.status, read.body.weeks.map((w) => [w.week, w.capacity, w.allocated, w.free])]).toEqual([
        200,
        [
          ['2027-W09', 0, 0, 0],
          ['2027-W10', 40, 0, 40],
          ['2027-W11', 40, 0, 40],
          ['2027-W12', 32, 0, 32],
        ],
      ]);
    }
    expect(await api.store.capacity.allocationsOf('nothing')).toEqual([]);
  });

  test('12 concurrent allocations of 10 h against 40 h: exactly 4 succeed, free never negative', async () => {
    await setHours(JENS, { from: '2027-W20', to: '2027-W20', hours: 40 });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        allocate(JENS, { project: `PRJ-RACE-${i % 3}`, hours: 10, from: '2027-W20', to: '2027-W20' }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const a of answers) {
      if (a.status === 201) {
        const [week] = a.body.weeks;
        expect(week?.hours).toBe(10);
        expect(week?.freeAfter).toBeGreaterThanOrEqual(0);
        expect(week?.freeBefore).toBe((week?.freeAfter ?? 0) + 10);
      } else {
        expect(a.body.error.code).toBe('insufficient-capacity');
        // Said of the person, not of the ledger's internal pool.
        expect(a.body.error.message).toMatch(/ has 0 free hours in 2027-W20, 10 requested/);
        expect(a.body.error.message).not.toContain('@people');
        expect(a.body.error.weeks).toMatchObject([{ week: '2027-W20', hours: 10, freeBefore: 0, short: 10 }]);
      }
    }
    // The four successes saw four different states: 40, 30, 20 and 10 free hours before them.
    const befores = answers.filter((a) => a.status === 201).map((a) => a.body.weeks[0]?.freeBefore);
    expect(befores.sort((x = 0, y = 0) => x - y)).toEqual([10, 20, 30, 40]);
    const read = await person(JENS, 'from=2027-W20&to=2027-W20');
    const [w20] = read.body.weeks;
    expect(w20).toMatchObject({ capacity: 40, allocated: 40, free: 0, utilisation: 100 });
    expect((w20?.projects ?? []).reduce((sum, p) => sum + p.hours, 0)).toBe(40);
  });

  test('utilisation per person and per project add up', async () => {
    const range = { from: '2027-W30', to: '2027-W31' };
    await setHours(INGRID, { ...range, hours: 40 });
    await setHours(CLAIRE, { ...range, hours: 20 });
    const plan: [string, string, number][] = [
      [INGRID, 'ERP', 30],
      [INGRID, 'CRM', 20],
      [CLAIRE, 'ERP', 10],
    ];
    for (const [who, project, hours] of plan) {
      expect((await allocate(who, { project, hours, ...range }, 'admin')).status).toBe(201);
    }
    const ingrid = await person(INGRID, 'from=2027-W30&to=2027-W31');
    expect(ingrid.body.weeks).toEqual([
      {
        week: '2027-W30',
        capacity: 40,
        allocated: 25,
        free: 15,
        utilisation: 62.5,
        projects: [
          { project: 'CRM', hours: 10 },
          { project: 'ERP', hours: 15 },
        ],
      },
      {
        week: '2027-W31',
        capacity: 40,
        allocated: 25,
        free: 15,
        utilisation: 62.5,
        projects: [
          { project: 'CRM', hours: 10 },
          { project: 'ERP', hours: 15 },
        ],
      },
    ]);
    expect(ingrid.body.projects).toEqual([
      { project: 'CRM', hours: 20 },
      { project: 'ERP', hours: 30 },
    ]);

    const erp = await get<Page<MemberAnswer>>('/v1/resources/projects/ERP/people?from=2027-W30&to=2027-W31');
    expect(erp.body.nextCursor).toBeNull();
    expect(erp.body.items.map((m) => [m.person, m.hours])).toEqual([
      [CLAIRE, 10],
      [INGRID, 30],
    ]);
    // A person's load on the project page is the one their own page shows, across all projects.
    const onErp = erp.body.items.find((m) => m.person === INGRID);
    expect(onErp?.weeks).toEqual(
      ingrid.body.weeks.map((w) => ({
        week: w.week,
        hours: w.projects.find((p) => p.project === 'ERP')?.hours,
        capacity: w.capacity,
        allocated: w.allocated,
        utilisation: w.utilisation,
      })),
    );
    expect(erp.body.items.find((m) => m.person === CLAIRE)?.weeks[0]).toEqual({
      week: '2027-W30',
      hours: 5,
      capacity: 20,
      allocated: 5,
      utilisation: 25,
    });

    const first = await get<Page<MemberAnswer>>('/v1/resources/projects/ERP/people?from=2027-W30&limit=1');
    expect(first.body.items.map((m) => m.person)).toEqual([CLAIRE]);
    const cursor = encodeURIComponent(first.body.nextCursor ?? '');
    const second = await get<Page<MemberAnswer>>(
      `/v1/resources/projects/ERP/people?from=2027-W30&limit=1&cursor=${cursor}`,
      'auditor',
    );
    expect([second.body.items.map((m) => m.person), second.body.nextCursor]).toEqual([[INGRID], null]);
    const outside = await get<Page<MemberAnswer>>(
      '/v1/resources/projects/ERP/people?from=2027-W40&to=2027-W41',
    );
    expect(outside.body).toEqual({ items: [], nextCursor: null });
    expect((await get('/v1/resources/projects/ERP/people', 'requester')).status).toBe(403);
  });

  test('preview: shows before and after, and the person reads exactly the same afterwards', async () => {
    const range = 'from=2027-W10&to=2027-W12';
    const before = await person(PRIYA, range);
    const path = `/v1/resources/people/${PRIYA}/allocations/preview`;
    const fits = await send<AllocationAnswer>('POST', path, 'approver', {
      project: 'PRJ-P',
      hours: 60,
      from: '2027-W10',
      to: '2027-W11',
    });
    expect([fits.status, fits.body.outcome]).toEqual([200, 'allocated']);
    expect(fits.body.weeks[0]).toEqual({
      week: '2027-W10',
      hours: 30,
      capacity: 40,
      freeBefore: 40,
      freeAfter: 10,
      short: 0,
      utilisationBefore: 0,
      utilisationAfter: 75,
    });
    const tooMuch = await send<AllocationAnswer>('POST', path, 'author', {
      project: 'PRJ-P',
      hours: 105,
      from: '2027-W10',
      to: '2027-W12',
    });
    expect([tooMuch.status, tooMuch.body.outcome]).toEqual([200, 'insufficient']);
    expect(tooMuch.body.weeks.map((w) => [w.week, w.short])).toEqual([
      ['2027-W10', 0],
      ['2027-W11', 0],
      ['2027-W12', 3],
    ]);
    expect((await person(PRIYA, range)).body).toEqual(before.body);
    expect(await api.store.capacity.allocationsOf('PRJ-P')).toEqual([]);
    const body = { project: 'PRJ-P', hours: 1, from: '2027-W10', to: '2027-W10' };
    expect((await send('POST', path, 'requester', body)).status).toBe(403);
    expect((await send('POST', path, 'auditor', body)).status).toBe(403);
    expect((await allocate(PRIYA, body, 'approver')).status).toBe(403);
  });

  test('who sees whom: a requester reads their own weeks, anyone else is 404 like an unknown person', async () => {
    const own = await person(RITA, 'from=2027-W10&to=2027-W10', 'requester');
    expect([own.status, own.body.weeks.length]).toEqual([200, 1]);
    const other = await person(PRIYA, 'from=2027-W10&to=2027-W10', 'requester');
    const nobody = await person('nobody@halden.example', 'from=2027-W10&to=2027-W10', 'requester');
    expect([other.status, (other.body as unknown as ErrorAnswer).error.code]).toEqual([404, 'not-found']);
    expect([nobody.status, (nobody.body as unknown as ErrorAnswer).error.code]).toEqual([404, 'not-found']);
    expect((await person('nobody@halden.example', 'from=2027-W10', 'admin')).status).toBe(404);
    expect(
      (await setHours('nobody@halden.example', { from: '2027-W10', to: '2027-W10', hours: 1 })).status,
    ).toBe(404);
    const unknown = { project: 'X', hours: 1, from: '2027-W10', to: '2027-W10' };
    expect((await allocate('nobody@halden.example', unknown)).status).toBe(404);
    expect(refusal(await person('not-an-email', 'from=2027-W10'))).toEqual(invalid('params.person'));
    const capacity = { from: '2027-W10', to: '2027-W10', hours: 1 };
    expect((await send('PUT', `/v1/resources/people/${RITA}/capacity`, 'requester', capacity)).status).toBe(
      403,
    );
    expect((await send('PUT', `/v1/resources/people/${RITA}/capacity`, 'author', capacity)).status).toBe(403);
  });

  test('bad weeks and hours: 422 with field paths, and nothing written', async () => {
    const range = 'from=2027-W10&to=2027-W12';
    const before = await person(PRIYA, range);
    const badCapacity: [unknown, string[]][] = [
      [{ from: '2027-W12', to: '2027-W10', hours: 10 }, ['body.to']],
      [{ from: '2027-W10', to: '2027-W12', hours: 169 }, ['body.hours']],
      [{ from: '2027-W53', to: '2027-W12', hours: -1 }, ['body.from', 'body.hours']],
      [{ from: '2027-W01', to: '2029-W12', hours: 1 }, ['body.to']],
      [{ from: '2027-W10', hours: '8' }, ['body.to', 'body.hours']],
      [{ from: '2027-W10', to: '2027-W10', hours: 8, extra: true }, ['body']],
    ];
    for (const [body, paths] of badCapacity)
      expect(refusal(await setHours(PRIYA, body))).toEqual(invalid(...paths));
    const badAllocation: [unknown, string[]][] = [
      [{ project: 'P', hours: 0, from: '2027-W10', to: '2027-W10' }, ['body.hours']],
      [{ project: 'P', hours: 169, from: '2027-W10', to: '2027-W10' }, ['body.hours']],
      [{ project: 'P', hours: 1.005, from: '2027-W10', to: '2027-W10' }, ['body.hours']],
      [
        { project: '', hours: 1, from: '2027-W1', to: '2027-W10', priority: 'urgent' },
        ['body.project', 'body.from', 'body.priority'],
      ],
      [{ hours: 1e308, from: '2027-W10', to: '2027-W10' }, ['body.project', 'body.hours']],
    ];
    for (const [body, paths] of badAllocation) {
      expect(refusal(await allocate(PRIYA, body))).toEqual(invalid(...paths));
    }
    expect(refusal(await person(PRIYA, 'from=2027-W12&to=2027-W10'))).toEqual(invalid('query.to'));
    expect(refusal(await person(PRIYA, 'from=yesterday'))).toEqual(invalid('query.from'));
    expect(refusal(await get('/v1/resources/projects/P/people?limit=0&to=2027-W60'))).toEqual(
      invalid('query.limit', 'query.to'),
    );
    const malformed = await api.call<ErrorAnswer>('POST', `/v1/resources/people/${PRIYA}/allocations`, {
      token: token['admin'] ?? null,
      rawBody: '{"project": ',
    });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'malformed-json']);
    expect((await person(PRIYA, range)).body).toEqual(before.body);
  });

  test('capacity cannot drop below what is allocated: 409 with the weeks, and no week changes', async () => {
    await setHours(BEN, { from: '2027-W40', to: '2027-W42', hours: 40 });
    expect(
      (await allocate(BEN, { project: 'OPS', hours: 30, from: '2027-W41', to: '2027-W41' })).status,
    ).toBe(201);
    const before = await person(BEN, 'from=2027-W40&to=2027-W42');
    const tooLow = await setHours(BEN, { from: '2027-W40', to: '2027-W42', hours: 20 });
    expect([tooLow.status, (tooLow.body as unknown as ErrorAnswer).error]).toMatchObject([
      409,
      { code: 'capacity-allocated', weeks: [{ week: '2027-W41', allocated: 30, capacity: 20 }] },
    ]);
    expect((await person(BEN, 'from=2027-W40&to=2027-W42')).body).toEqual(before.body);
    const exactly = await setHours(BEN, { from: '2027-W41', to: '2027-W41', hours: 30 });
    expect(exactly.body.weeks).toEqual([
      { week: '2027-W41', capacity: 30, allocated: 30, free: 0, utilisation: 100 },
    ]);
  });

  test('a retried allocation with the same Idempotency-Key allocates once; inactive people get none', async () => {
    await setHours(CLAIRE, { from: '2027-W45', to: '2027-W45', hours: 20 });
    const body = { project: 'RETRY', hours: 8, from: '2027-W45', to: '2027-W45' };
    const headers = { 'idempotency-key': 'people-retry-1' };
    const path = `/v1/resources/people/${CLAIRE}/allocations`;
    const first = await api.call('POST', path, { token: token['author'] ?? null, body, headers });
    const again = await api.call('POST', path, { token: token['author'] ?? null, body, headers });
    expect([first.status, again.status, again.headers.get('idempotent-replayed')]).toEqual([
      201,
      201,
      'true',
    ]);
    expect(again.body).toEqual(first.body);
    expect((await person(CLAIRE, 'from=2027-W45&to=2027-W45')).body.weeks[0]?.allocated).toBe(8);

    await api.store.directory.upsertPerson({ id: CLAIRE, active: false });
    const refused = await allocate(CLAIRE, body);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'person-inactive']);
    expect((await person(CLAIRE, 'from=2027-W45&to=2027-W45')).body.weeks[0]?.allocated).toBe(8);
  });
});
