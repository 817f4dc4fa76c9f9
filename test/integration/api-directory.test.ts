// /v1/directory and /v1/resources over real HTTP against the real store: the demo organisation
// seeded from policies/shared/org.world.json, who may read and change what (403 for a role, 404
// for someone else's delegation), field paths on bad input with nothing written, and a capacity
// preview that leaves capacity exactly as it was.
import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import type { World } from '../../engine/simulate/world.js';
import { startApiHarness, type Answer, type ApiHarness } from '../support/api.js';

// The servers are shared with other suites: a busy server takes tens of milliseconds a call.
jest.setTimeout(60_000);

const world = JSON.parse(
  readFileSync(new URL('../../policies/shared/org.world.json', import.meta.url), 'utf8'),
) as World;

interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string; message: string }[] };
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Absence {
  from: string;
  to: string;
  delegate: string | null;
}
interface PersonAnswer {
  id: string;
  name: string | null;
  manager: string | null;
  active: boolean;
  groups: string[];
  outOfOffice: Absence | null;
}
interface DelegationAnswer {
  id: string;
  from: string;
  to: string;
  start: string;
  end: string;
}
type WeekAnswer = { week: string; capacity: number; free: number };
type AllocationAnswer = { request: string; before: Record<string, number>; after: Record<string, number> };

const ALICE = 'alice.meyer@halden.example';
const BOB = 'bob.schulz@halden.example';
const CAROL = 'carol.nguyen@halden.example';
const DAVID = 'david.okafor@halden.example';
const ERIN = 'erin.walsh@halden.example';
const GHOST = 'ghost@halden.example';

/** Status and problem paths of an answer, compared in one expectation so a failure shows both. */
const refusal = (answer: Answer) => ({
  status: answer.status,
  paths: ((answer.body as ErrorAnswer).error?.problems ?? []).map((p) => p.path),
});
const invalid = (...paths: string[]) => ({ status: 422, paths });

describe('the directory and resources API over HTTP', () => {
  let api: ApiHarness;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    await api.store.directory.seedFromWorld(world);
    token['admin'] = await api.tokenFor('greta.holm@halden.example', ['admin']);
    token['auditor'] = await api.tokenFor('simon.frey@halden.example', ['auditor']);
    token['author'] = await api.tokenFor('tomas.berg@halden.example', ['author']);
    token['requester'] = await api.tokenFor('rita.sommer@halden.example', ['requester']);
    for (const person of [ALICE, BOB, CAROL, DAVID, ERIN]) {
      token[person] = await api.tokenFor(person, ['approver']);
    }
  });

  afterAll(async () => {
    await api?.close();
  });

  const get = <T>(path: string, as = 'auditor') => api.call<T>('GET', path, { token: token[as] ?? null });
  const send = <T>(method: string, path: string, as: string, body?: unknown) =>
    api.call<T>(method, path, { token: token[as] ?? null, body });
  const statusOf = async (method: string, path: string, as: string, body?: unknown) =>
    (await send(method, path, as, body)).status;

  test('people: every role pages through everyone, once each, in id order', async () => {
    const known = new Set([
      ...world.people,
      ...Object.values(world.groups).flat(),
      ...Object.entries(world.managers).flat(),
    ]);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await get<Page<PersonAnswer>>(`/v1/directory/people?limit=7${query}`, 'requester');
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.body.items.map((p) => p.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 50);
    expect(seen).toEqual([...known].sort());
    expect(pages).toBe(Math.ceil(known.size / 7));

    const rita = await get<PersonAnswer>('/v1/directory/people/rita.sommer@halden.example', 'requester');
    expect(rita.body).toEqual({
      id: 'rita.sommer@halden.example',
      name: null,
      manager: 'henrik.larsen@halden.example',
      active: true,
      groups: [],
      outOfOffice: null,
    });
    const bob = await get<PersonAnswer>(`/v1/directory/people/${BOB}`);
    expect(bob.body.groups).toEqual(['change-advisory-board', 'emergency-cab']);
  });

  test('people: unknown is 404; malformed ids, limits and cursors are 422 with their paths', async () => {
    expect((await get('/v1/directory/people/nobody@halden.example')).status).toBe(404);
    expect(refusal(await get('/v1/directory/people/not-an-email'))).toEqual(invalid('params.id'));
    expect(refusal(await get('/v1/directory/people?limit=501&cursor=garbage'))).toEqual(
      invalid('query.limit', 'query.cursor'),
    );
    expect((await get('/v1/directory/people', 'nobody')).status).toBe(401);
  });

  test('people: an admin names and places a person; loops and unknown managers are refused', async () => {
    const path = '/v1/directory/people/new.hire@halden.example';
    const hired = await send<PersonAnswer>('PUT', path, 'admin', {
      name: 'New Hire',
      manager: 'dana.keller@halden.example',
    });
    expect(hired.status).toBe(201);
    expect(hired.body).toMatchObject({
      name: 'New Hire',
      manager: 'dana.keller@halden.example',
      active: true,
    });
    const renamed = await send<PersonAnswer>('PUT', path, 'admin', { name: 'Nova Hire', manager: null });
    expect(renamed.status).toBe(200);
    expect(renamed.body.manager).toBeNull();

    // greta manages marcus, who manages dana: dana cannot become greta's manager.
    const greta = { name: 'Greta Holm', manager: 'dana.keller@halden.example' };
    const erin = `/v1/directory/people/${ERIN}`;
    expect(
      refusal(await send('PUT', '/v1/directory/people/greta.holm@halden.example', 'admin', greta)),
    ).toEqual(invalid('body.manager'));
    expect(refusal(await send('PUT', erin, 'admin', { name: 'E', manager: GHOST, extra: 1 }))).toEqual(
      invalid('body'),
    );
    expect(refusal(await send('PUT', erin, 'admin', { name: 'E', manager: GHOST }))).toEqual(
      invalid('body.manager'),
    );
    expect((await api.store.directory.person(ERIN))?.name).toBeNull();
    expect(await api.store.directory.person(GHOST)).toBeNull();
    expect(await statusOf('PUT', erin, ALICE, { name: 'E', manager: null })).toBe(403);
  });

  test('groups: read by all; an admin replaces members; unknown members are 422 by index', async () => {
    const list = await get<Page<{ id: string }>>('/v1/directory/groups?limit=500', 'author');
    expect(list.body.items.map((g) => g.id)).toEqual(Object.keys(world.groups).sort());
    expect(list.body.nextCursor).toBeNull();
    const cab = await get<{ members: string[] }>('/v1/directory/groups/change-advisory-board');
    expect(cab.body.members).toEqual(world.groups['change-advisory-board']);
    expect((await get('/v1/directory/groups/no-such-board')).status).toBe(404);

    const path = '/v1/directory/groups/emergency-cab';
    const members = [ALICE, GHOST, BOB, 'phantom@halden.example'];
    expect(refusal(await send('PUT', path, 'admin', { members }))).toEqual(
      invalid('body.members.1', 'body.members.3'),
    );
    expect((await api.store.directory.group('emergency-cab'))?.members).toEqual(
      world.groups['emergency-cab'],
    );
    expect(await api.store.directory.person(GHOST)).toBeNull();

    const replaced = await send<{ members: string[] }>('PUT', path, 'admin', {
      members: [ALICE, CAROL, ALICE],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.members).toEqual([ALICE, CAROL]);
    expect(await statusOf('PUT', '/v1/directory/groups/night-shift', 'admin', { members: [ERIN] })).toBe(201);
    expect((await get<PersonAnswer>(`/v1/directory/people/${ERIN}`)).body.groups).toContain('night-shift');

    for (const as of [ALICE, 'auditor', 'author']) {
      const denied = await send<ErrorAnswer>('PUT', path, as, { members: [] });
      expect([denied.status, denied.body.error.code]).toEqual([403, 'forbidden']);
    }
    expect((await api.store.directory.group('emergency-cab'))?.members).toEqual([ALICE, CAROL]);
  });

  test('delegations: people give their own, admins anyone; each sees only what involves them', async () => {
    const path = '/v1/directory/delegations';
    const mine = await send<DelegationAnswer>('POST', path, ALICE, {
      to: BOB,
      start: '2027-03-01',
      end: '2027-03-15T18:00:00+01:00',
    });
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ from: ALICE, to: BOB, start: '2027-03-01T00:00:00.000Z' });
    expect(mine.body.end).toBe('2027-03-15T17:00:00.000Z');
    const march = { to: BOB, start: '2027-03-01', end: '2027-03-02' };
    expect(await statusOf('POST', path, ALICE, { ...march, from: CAROL })).toBe(403);
    expect(await statusOf('POST', path, 'auditor', march)).toBe(403);
    const byAdmin = await send<DelegationAnswer>('POST', path, 'admin', {
      from: CAROL,
      to: DAVID,
      start: '2027-04-01T08:00:00Z',
      end: '2027-04-30T18:00:00Z',
    });
    expect(byAdmin.status).toBe(201);

    const idsSeenBy = async (as: string) =>
      (await get<Page<DelegationAnswer>>(path, as)).body.items.map((d) => d.id);
    expect(await idsSeenBy(ALICE)).toEqual([mine.body.id]);
    expect(await idsSeenBy(BOB)).toEqual([mine.body.id]);
    expect(await idsSeenBy(DAVID)).toEqual([byAdmin.body.id]);
    expect(await idsSeenBy(ERIN)).toEqual([]);
    expect(await idsSeenBy('auditor')).toEqual([mine.body.id, byAdmin.body.id]);
    const first = await get<Page<DelegationAnswer>>(`${path}?limit=1`, 'admin');
    expect(first.body.items).toEqual([mine.body]);
    const cursor = encodeURIComponent(first.body.nextCursor ?? '');
    const second = await get<Page<DelegationAnswer>>(`${path}?limit=1&cursor=${cursor}`, 'admin');
    expect(second.body).toEqual({ items: [byAdmin.body], nextCursor: null });

    // The directory acts on it: bob decides for alice inside the range, not after it.
    expect(await api.store.directory.delegatorsOf(BOB, new Date('2027-03-10T12:00:00Z'))).toEqual([ALICE]);
    expect(await api.store.directory.delegatorsOf(BOB, new Date('2027-03-16T12:00:00Z'))).toEqual([]);

    const one = `${path}/${mine.body.id}`;
    expect(await statusOf('DELETE', one, ERIN)).toBe(404);
    expect(await statusOf('DELETE', one, BOB)).toBe(403);
    expect(await statusOf('DELETE', one, 'auditor')).toBe(403);
    const withdrawn = await send<DelegationAnswer>('DELETE', one, ALICE);
    expect([withdrawn.status, withdrawn.body]).toEqual([200, mine.body]);
    expect(await statusOf('DELETE', one, ALICE)).toBe(404);
    expect(await statusOf('DELETE', `${path}/${byAdmin.body.id}`, 'admin')).toBe(200);
    expect(await idsSeenBy('auditor')).toEqual([]);
  });

  test('delegations: bad dates, oneself, unknown people: 422 with field paths, nothing written', async () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
      [ALICE, { to: BOB, start: '2027-03-10', end: '2027-03-01' }, ['body.end']],
      [ALICE, { to: BOB, start: 'next monday', end: '2027-13-01' }, ['body.start', 'body.end']],
      [ALICE, { to: BOB, start: '2027-01-01', end: '2028-01-02' }, ['body.end']],
      [ALICE, { to: BOB, start: '2020-01-01', end: '2020-02-01' }, ['body.end']],
      [ALICE, { to: ALICE, start: '2027-03-01', end: '2027-03-02' }, ['body.to']],
      [ALICE, { to: GHOST, start: '2027-03-01', end: '2027-03-02' }, ['body.to']],
      [ALICE, { to: 42, start: 20270301 }, ['body.to', 'body.start', 'body.end']],
      ['admin', { from: GHOST, to: BOB, start: '2027-03-01', end: '2027-03-02' }, ['body.from']],
    ];
    for (const [as, body, paths] of cases) {
      const answer = await send('POST', '/v1/directory/delegations', as, body);
      expect({ body, ...refusal(answer) }).toEqual({ body, ...invalid(...paths) });
    }
    const all = await get<Page<DelegationAnswer>>('/v1/directory/delegations', 'admin');
    expect(all.body.items).toEqual([]);
  });

  test('out of office: one records their own (admins anyone); the delegate takes over', async () => {
    const path = `/v1/directory/people/${ALICE}/out-of-office`;
    const away = await send<{ outOfOffice: Absence }>('PUT', path, ALICE, {
      from: '2027-05-01',
      to: '2027-05-10',
      delegate: BOB,
    });
    expect(away.status).toBe(200);
    expect(away.body.outOfOffice).toEqual({
      from: '2027-05-01T00:00:00.000Z',
      to: '2027-05-10T00:00:00.000Z',
      delegate: BOB,
    });
    const shown = async () => (await get<PersonAnswer>(`/v1/directory/people/${ALICE}`)).body.outOfOffice;
    expect(await shown()).toEqual(away.body.outOfOffice);
    const at = new Date('2027-05-05T10:00:00Z');
    expect((await api.store.directory.resolve([{ kind: 'person', person: ALICE }], at)).people).toEqual([
      BOB,
    ]);

    const bobs = `/v1/directory/people/${BOB}/out-of-office`;
    const june = { from: '2027-06-01', to: '2027-06-02' };
    expect(await statusOf('PUT', bobs, ALICE, june)).toBe(403);
    expect(await statusOf('PUT', bobs, 'auditor', june)).toBe(403);
    expect(await statusOf('PUT', bobs, 'admin', june)).toBe(200);
    expect((await get<PersonAnswer>(`/v1/directory/people/${BOB}`)).body.outOfOffice?.delegate).toBeNull();
    expect(
      await statusOf('PUT', '/v1/directory/people/nobody@halden.example/out-of-office', 'admin', june),
    ).toBe(404);

    const bad: [Record<string, unknown>, string][] = [
      [{ from: '2027-05-10', to: '2027-05-01', delegate: BOB }, 'body.to'],
      [{ ...june, delegate: ALICE }, 'body.delegate'],
      [{ ...june, delegate: GHOST }, 'body.delegate'],
      [{ from: '2027-05-01' }, 'body.to'],
    ];
    for (const [body, path422] of bad) {
      expect(refusal(await send('PUT', path, ALICE, body))).toEqual(invalid(path422));
    }
    expect(await shown()).toEqual(away.body.outOfOffice);

    // Back early, or the trip was cancelled: the absence and its stand-in go together.
    expect(await statusOf('DELETE', path, BOB)).toBe(403);
    const cleared = await send<{ cleared: boolean }>('DELETE', path, ALICE);
    expect([cleared.status, cleared.body.cleared]).toEqual([200, true]);
    expect(await shown()).toBeNull();
    expect((await api.store.directory.resolve([{ kind: 'person', person: ALICE }], at)).people).toEqual([
      ALICE,
    ]);
    expect((await send<{ cleared: boolean }>('DELETE', path, ALICE)).body.cleared).toBe(false);
  });

  test('capacity: admins set it per ISO week, planners read it, requesters do not', async () => {
    const sap = { pool: 'sap-competence-center', skill: 'sap-abap' };
    for (const week of ['2027-W10', '2027-W11']) {
      const set = await send('PUT', '/v1/resources/capacity', 'admin', { ...sap, week, hours: 40 });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ week, capacity: 40, free: 40, allocated: 0, utilisation: 0 });
    }
    const range = 'pool=sap-competence-center&skill=sap-abap&from=2027-W09&to=2027-W11';
    const read = await get<{ weeks: WeekAnswer[] }>(`/v1/resources/capacity?${range}`, ALICE);
    expect(read.body.weeks).toEqual([
      { week: '2027-W09', capacity: 0, free: 0 },
      { week: '2027-W10', capacity: 40, free: 40 },
      { week: '2027-W11', capacity: 40, free: 40 },
    ]);
    const yearEnd = await get<{ weeks: WeekAnswer[] }>(
      '/v1/resources/capacity?pool=p&skill=s&from=2026-W52&to=2027-W01',
    );
    expect(yearEnd.body.weeks.map((w) => w.week)).toEqual(['2026-W52', '2026-W53', '2027-W01']);

    expect((await get('/v1/resources/capacity?pool=p&skill=s', 'requester')).status).toBe(403);
    const oneHour = { pool: 'p', skill: 's', week: '2027-W10', hours: 1 };
    expect(await statusOf('PUT', '/v1/resources/capacity', ALICE, oneHour)).toBe(403);
    const badWeek = { ...oneHour, week: '2027-W53', hours: -1 };
    expect(refusal(await send('PUT', '/v1/resources/capacity', 'admin', badWeek))).toEqual(
      invalid('body.week', 'body.hours'),
    );
    expect(refusal(await get('/v1/resources/capacity?pool=p&skill=s&from=2027-W10&to=2027-W09'))).toEqual(
      invalid('query.to'),
    );
    expect(refusal(await get('/v1/resources/utilisation?pool=p&skill=s&from=2027-W01&to=2029-W10'))).toEqual(
      invalid('query.to'),
    );
    expect(refusal(await get('/v1/resources/utilisation?skill=s&from=2027-W99'))).toEqual(
      invalid('query.pool', 'query.from'),
    );
  });

  test('preview: shows utilisation before and after and leaves capacity exactly as it was', async () => {
    const cloud = { pool: 'cloud-platform', skill: 'cloud-ops' };
    for (const week of ['2027-W20', '2027-W21', '2027-W22']) {
      await send('PUT', '/v1/resources/capacity', 'admin', { ...cloud, week, hours: 80 });
    }
    const capacityPath =
      '/v1/resources/capacity?pool=cloud-platform&skill=cloud-ops&from=2027-W20&to=2027-W22';
    const before = await get<{ weeks: WeekAnswer[] }>(capacityPath);

    const preview = await send<{ outcome: string; weeks: unknown[] }>(
      'POST',
      '/v1/resources/preview',
      'author',
      {
        ...cloud,
        project: 'PRJ-7',
        hours: 120,
        weeks: ['2027-W20', '2027-W21'],
      },
    );
    expect(preview.status).toBe(200);
    expect(preview.body.outcome).toBe('allocated');
    expect(preview.body.weeks).toEqual([
      { week: '2027-W20', capacity: 80, free: 80, utilisationBefore: 0, utilisationAfter: 75 },
      { week: '2027-W21', capacity: 80, free: 80, utilisationBefore: 0, utilisationAfter: 75 },
    ]);
    // 2027-05-19 is the Wednesday of W20: fourteen days from it touch W20, W21 and W22.
    const byPeriod = await send<{ outcome: string; weeks: { week: string }[] }>(
      'POST',
      '/v1/resources/preview',
      ALICE,
      { ...cloud, project: 'PRJ-7', hours: 300, start: '2027-05-19T09:00:00Z', periodMs: 14 * 86_400_000 },
    );
    expect(byPeriod.body.weeks.map((w) => w.week)).toEqual(['2027-W20', '2027-W21', '2027-W22']);
    expect(byPeriod.body.outcome).toBe('insufficient');
    expect((await get<{ weeks: WeekAnswer[] }>(capacityPath)).body).toEqual(before.body);
    expect(await api.store.capacity.allocationsOf('PRJ-7')).toEqual([]);

    const twice = { ...cloud, project: 'P', hours: 0, weeks: ['2027-W20', '2027-W20'], start: '2027-05-19' };
    const refused = refusal(await send('POST', '/v1/resources/preview', 'author', twice));
    expect({ ...refused, paths: refused.paths.sort() }).toEqual(
      invalid('body.hours', 'body.weeks', 'body.weeks'),
    );
    expect(
      refusal(await send('POST', '/v1/resources/preview', 'author', { ...cloud, project: 'P', hours: 1 })),
    ).toEqual(invalid('body.start', 'body.periodMs'));
    const fine = { ...cloud, project: 'P', hours: 1, weeks: ['2027-W20'] };
    expect(await statusOf('POST', '/v1/resources/preview', 'requester', fine)).toBe(403);
  });

  test('allocations: a project pages through its allocations; capacity cannot drop below them', async () => {
    const data = { pool: 'data-platform', skill: 'data-engineering' };
    await send('PUT', '/v1/resources/capacity', 'admin', { ...data, week: '2027-W30', hours: 60 });
    for (const [i, hours] of [10, 20, 5].entries()) {
      const result = await api.store.capacity.reallocate({
        ...data,
        request: `req-${i}`,
        project: 'PRJ-9',
        hours,
        weeks: ['2027-W30'],
        priority: 'normal',
        at: new Date(Date.UTC(2027, 0, 1 + i)),
      });
      expect(result.outcome).toBe('allocated');
    }
    const path = '/v1/resources/projects/PRJ-9/allocations';
    const first = await get<Page<AllocationAnswer>>(`${path}?limit=2`, ALICE);
    expect(first.body.items.map((a) => [a.request, a.before['2027-W30'], a.after['2027-W30']])).toEqual([
      ['req-0', 0, 16.7],
      ['req-1', 16.7, 50],
    ]);
    const next = encodeURIComponent(first.body.nextCursor ?? '');
    const second = await get<Page<AllocationAnswer>>(`${path}?limit=2&cursor=${next}`);
    expect([second.body.items.map((a) => a.request), second.body.nextCursor]).toEqual([['req-2'], null]);
    const none = await get('/v1/resources/projects/none/allocations');
    expect(none.body).toEqual({ items: [], nextCursor: null });

    const week30 = 'pool=data-platform&skill=data-engineering&from=2027-W30&to=2027-W30';
    const used = await get<{ weeks: WeekAnswer[] }>(`/v1/resources/utilisation?${week30}`);
    expect(used.body.weeks).toEqual([
      { week: '2027-W30', capacity: 60, free: 25, allocated: 35, utilisation: 58.3 },
    ]);
    const tooLow = await send<ErrorAnswer>('PUT', '/v1/resources/capacity', 'admin', {
      ...data,
      week: '2027-W30',
      hours: 30,
    });
    expect([tooLow.status, tooLow.body.error.code]).toEqual([409, 'capacity-allocated']);
  });
});
