// Qualifications over real HTTP against the real store: the PMO keeps the registry, records
// completions one at a time (checked against the directory and today's date, a retry answered
// with the first record) and from a CSV file (a dry run shows each row's outcome, a real import
// records every new row or none), the holders list shows who is valid until when and who expired
// on which day, and a person's qualifications are theirs, the PMO's, admins' and auditors' to
// read. Every bad field is refused with its path. No worker runs: nothing here starts a workflow.
import { jest } from '@jest/globals';
import { addMonths } from '../../store/qualification-model.js';
import { startApiHarness, type Answer, type ApiHarness } from '../support/api.js';

// The servers are shared with other suites: a busy server takes tens of milliseconds a call.
jest.setTimeout(60_000);

interface ErrorAnswer {
  error: {
    code: string;
    message: string;
    currentVersion?: number;
    problems?: { path: string; message: string }[];
    rows?: ImportRow[];
  };
}
interface QualificationAnswer {
  id: string;
  name: string;
  description: string | null;
  validityMonths: number | null;
  version: number;
  validHolders: number;
  updatedBy: string;
}
type Standing =
  | { status: 'valid'; until: string | null; completedOn: string }
  | { status: 'expired'; on: string; completedOn: string }
  | { status: 'never' };
interface CompletionAnswer {
  id: string;
  person: string;
  qualification: string;
  completedOn: string;
  expiresOn: string | null;
  source: string;
  evidence: string | null;
  recordedBy: string;
}
interface HolderAnswer {
  person: string;
  standing: Standing;
  latest: CompletionAnswer;
}
interface PersonAnswer {
  person: string;
  on: string;
  items: {
    qualification: { id: string; name: string };
    standing: Standing;
    completions: CompletionAnswer[];
  }[];
}
interface ImportRow {
  row: number;
  person: string | null;
  outcome: string;
  expiresOn: string | null;
  problems: string[];
}
interface ImportAnswer {
  dryRun: boolean;
  written: boolean;
  message: string;
  counts: { new: number; recordedAlready: number; invalid: number };
  rows: ImportRow[];
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
const SIMON = 'simon.frey@halden.example';
const GONE = 'gone.person@halden.example';

const DAY_MS = 24 * 3600 * 1000;
const day = (offset: number): string => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
const dayBefore = (d: string): string =>
  new Date(Date.parse(`${d}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

/** Status and sorted problem paths of an answer, in one expectation so a failure shows both. */
const refusal = (answer: Answer) => ({
  status: answer.status,
  paths: ((answer.body as ErrorAnswer).error?.problems ?? []).map((p) => p.path).sort(),
});
const invalid = (...paths: string[]) => ({ status: 422, paths: paths.sort() });

describe('the qualifications API over HTTP', () => {
  let api: ApiHarness;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    await api.store.directory.seedFromWorld({
      groups: {},
      managers: {},
      people: [ALICE, BOB, RITA, GRETA, PETRA, SIMON, GONE],
    });
    await api.store.directory.upsertPerson({ id: GONE, active: false });
    token[RITA] = await api.tokenFor(RITA, ['requester']);
    token[ALICE] = await api.tokenFor(ALICE, ['approver']);
    token[GRETA] = await api.tokenFor(GRETA, ['admin']);
    token[PETRA] = await api.tokenFor(PETRA, ['pmo']);
    token[SIMON] = await api.tokenFor(SIMON, ['auditor']);
    const made = await call('POST', '/v1/qualifications', PETRA, {
      id: 'itil-change',
      name: 'ITIL change management',
      validityMonths: 12,
    });
    expect(made.status).toBe(201);
  });

  afterAll(async () => {
    await api?.close();
  });

  const call = <T>(method: string, path: string, as: string, body?: unknown) =>
    api.call<T>(method, path, { token: token[as] ?? null, body });
  const record = (qualification: string, body: Record<string, unknown>, as = PETRA) =>
    call<CompletionAnswer>('POST', `/v1/qualifications/${qualification}/completions`, as, body);
  const importCsv = (text: string, dryRun: boolean, as = PETRA) =>
    api.call<ImportAnswer>('POST', `/v1/qualifications/completions/import${dryRun ? '?dryRun=true' : ''}`, {
      token: token[as] ?? null,
      rawBody: text,
      headers: { 'content-type': 'text/csv' },
    });

  test('when the PMO adds a qualification, then everyone reads it; others may not write', async () => {
    const made = await call<QualificationAnswer>('POST', '/v1/qualifications', GRETA, {
      id: 'gdpr-basics',
      name: 'GDPR basics',
      description: 'Privacy for everyone who handles personal data',
      validityMonths: null,
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ id: 'gdpr-basics', validityMonths: null, version: 1, validHolders: 0 });

    const read = await call<QualificationAnswer>('GET', '/v1/qualifications/gdpr-basics', RITA);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(made.body);
    const list = await call<Page<QualificationAnswer>>('GET', '/v1/qualifications', ALICE);
    expect(list.body.items.map((q) => q.id)).toEqual(['gdpr-basics', 'itil-change']);

    expect(
      (await call('POST', '/v1/qualifications', RITA, { id: 'x1', name: 'X', validityMonths: 1 })).status,
    ).toBe(403);
    expect((await call('PATCH', '/v1/qualifications/gdpr-basics', ALICE, { name: 'Y' })).status).toBe(403);
    const again = await call<ErrorAnswer>('POST', '/v1/qualifications', PETRA, {
      id: 'gdpr-basics',
      name: 'Again',
      validityMonths: 1,
    });
    expect([again.status, again.body.error.code]).toEqual([409, 'qualification-exists']);
    expect((await call('GET', '/v1/qualifications/no-such-thing', RITA)).status).toBe(404);
  });

  test('when a qualification is given bad fields, then every one is refused at its path', async () => {
    const bad = await call('POST', '/v1/qualifications', PETRA, {
      id: 'Not A Slug',
      name: ' ',
      validityMonths: 1.5,
      colour: 'blue',
    });
    expect(refusal(bad)).toEqual(invalid('body', 'body.id', 'body.name', 'body.validityMonths'));
    expect(
      refusal(await call('POST', '/v1/qualifications', PETRA, { id: 'no-validity', name: 'N' })),
    ).toEqual(invalid('body.validityMonths'));
    expect(
      refusal(await call('POST', '/v1/qualifications', PETRA, { id: 'zero', name: 'Z', validityMonths: 0 })),
    ).toEqual(invalid('body.validityMonths'));
    expect(refusal(await call('PATCH', '/v1/qualifications/itil-change', PETRA, { version: 1 }))).toEqual(
      invalid('body'),
    );
    expect(refusal(await call('GET', '/v1/qualifications/UPPER', RITA))).toEqual(invalid('params.id'));
  });

  test('when a qualification is patched, then its version goes up; a stale version is a conflict', async () => {
    const patched = await call<QualificationAnswer>('PATCH', '/v1/qualifications/gdpr-basics', PETRA, {
      version: 1,
      description: null,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: 2, description: null, updatedBy: PETRA });

    const stale = await call<ErrorAnswer>('PATCH', '/v1/qualifications/gdpr-basics', GRETA, {
      version: 1,
      name: 'GDPR',
    });
    expect([stale.status, stale.body.error.code, stale.body.error.currentVersion]).toEqual([
      409,
      'version-conflict',
      2,
    ]);
    expect((await call('PATCH', '/v1/qualifications/no-such-thing', PETRA, { name: 'X' })).status).toBe(404);
  });

  test('when a completion is recorded, then it expires by the validity; a retry answers the first record', async () => {
    const completedOn = day(-10);
    const first = await record('itil-change', { person: ALICE, completedOn, evidence: ' CERT-7 ' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      id: `itil-change:${completedOn}:${ALICE}`,
      person: ALICE,
      completedOn,
      expiresOn: addMonths(completedOn, 12),
      source: 'admin',
      evidence: 'CERT-7',
      recordedBy: PETRA,
    });

    const retry = await record('itil-change', { person: ALICE, completedOn, evidence: 'CERT-7' }, GRETA);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const other = await record('itil-change', { person: ALICE, completedOn, evidence: 'CERT-8' });
    expect([other.status, (other.body as unknown as ErrorAnswer).error.code]).toEqual([
      409,
      'completion-conflict',
    ]);
    expect((await record('no-such-thing', { person: ALICE, completedOn })).status).toBe(404);
    expect((await record('itil-change', { person: BOB, completedOn }, RITA)).status).toBe(403);
  });

  test('when a completion names nobody active or a day ahead, then each field is refused at its path', async () => {
    expect(refusal(await record('itil-change', { person: GONE, completedOn: day(1) }))).toEqual(
      invalid('body.person', 'body.completedOn'),
    );
    expect(
      refusal(await record('itil-change', { person: 'not-an-address', completedOn: '2027-02-30', extra: 1 })),
    ).toEqual(invalid('body', 'body.person', 'body.completedOn'));
    expect(
      refusal(await record('itil-change', { person: BOB, completedOn: day(0), evidence: 'x'.repeat(2001) })),
    ).toEqual(invalid('body.evidence'));
  });

  test('when holders are listed, then each shows valid until its last day or expired on its day', async () => {
    const old = day(-400);
    await record('itil-change', { person: BOB, completedOn: old });
    const holders = await call<Page<HolderAnswer>>('GET', '/v1/qualifications/itil-change/holders', SIMON);
    expect(holders.status).toBe(200);
    const standing = Object.fromEntries(holders.body.items.map((h) => [h.person, h.standing]));
    expect(standing).toEqual({
      [ALICE]: { status: 'valid', until: dayBefore(addMonths(day(-10), 12)), completedOn: day(-10) },
      [BOB]: { status: 'expired', on: addMonths(old, 12), completedOn: old },
    });
    expect(
      (await call<QualificationAnswer>('GET', '/v1/qualifications/itil-change', RITA)).body.validHolders,
    ).toBe(1);

    const paged = await call<Page<HolderAnswer>>(
      'GET',
      '/v1/qualifications/itil-change/holders?limit=1',
      PETRA,
    );
    expect(paged.body.items.map((h) => h.person)).toEqual([ALICE]);
    const rest = await call<Page<HolderAnswer>>(
      'GET',
      `/v1/qualifications/itil-change/holders?limit=1&cursor=${encodeURIComponent(paged.body.nextCursor ?? '')}`,
      GRETA,
    );
    expect(rest.body).toMatchObject({ items: [{ person: BOB }], nextCursor: null });
    expect((await call('GET', '/v1/qualifications/itil-change/holders', ALICE)).status).toBe(403);
    expect((await call('GET', '/v1/qualifications/no-such-thing/holders', PETRA)).status).toBe(404);
  });

  test("when a person's qualifications are read, then they, the PMO, admins and auditors may; others may not", async () => {
    const own = await call<PersonAnswer>('GET', '/v1/me/qualifications', ALICE);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ person: ALICE, on: day(0) });
    expect(own.body.items).toEqual([
      {
        qualification: { id: 'itil-change', name: 'ITIL change management', validityMonths: 12 },
        standing: { status: 'valid', until: dayBefore(addMonths(day(-10), 12)), completedOn: day(-10) },
        completions: [expect.objectContaining({ completedOn: day(-10), evidence: 'CERT-7' })],
      },
    ]);
    const path = `/v1/people/${encodeURIComponent(ALICE)}/qualifications`;
    for (const as of [ALICE, PETRA, GRETA, SIMON])
      expect((await call<PersonAnswer>('GET', path, as)).body).toEqual(own.body);
    expect((await call('GET', path, RITA)).status).toBe(403);
    expect((await call<PersonAnswer>('GET', '/v1/me/qualifications', RITA)).body.items).toEqual([]);
    expect(
      (await call('GET', '/v1/people/nobody.at.all%40halden.example/qualifications', PETRA)).status,
    ).toBe(404);
  });

  describe('the CSV import', () => {
    const header = 'person,qualification,completedOn,evidence';
    const csv = (...rows: string[]) => [header, ...rows].join('\r\n');
    const rowsFile = csv(
      `${RITA},gdpr-basics,${day(-3)},LMS 2041`,
      `${ALICE},itil-change,${day(-10)},CERT-7`,
      `${GONE},itil-change,${day(1)},`,
      `${SIMON},no-such-thing,2027-02-30,"a ""quoted"" note"`,
    );

    test('when a file is checked in a dry run, then each row shows its outcome and nothing is recorded', async () => {
      const before = await api.store.qualifications.completionsOf(RITA);

      const dry = await importCsv(rowsFile, true);
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({
        dryRun: true,
        written: false,
        counts: { new: 1, recordedAlready: 1, invalid: 2 },
      });
      expect(dry.body.rows.map((r) => [r.row, r.outcome])).toEqual([
        [2, 'new'],
        [3, 'recorded-already'],
        [4, 'invalid'],
        [5, 'invalid'],
      ]);
      expect(dry.body.rows[0]?.expiresOn).toBeNull();
      expect(dry.body.rows[2]?.problems).toEqual([
        `row 4, column person: ${GONE} is not a known, active person`,
        `row 4, column completedOn: is after today (${day(0)}): record it once done`,
      ]);
      expect(dry.body.rows[3]?.problems).toEqual([
        'row 5, column qualification: no qualification no-such-thing in the registry',
        'row 5, column completedOn: expected a date as YYYY-MM-DD',
      ]);
      expect(await api.store.qualifications.completionsOf(RITA)).toEqual(before);
    });

    test('when a file with invalid rows is imported, then nothing is recorded and each problem has its path', async () => {
      const refused = await importCsv(rowsFile, false);
      expect([refused.status, (refused.body as unknown as ErrorAnswer).error.code]).toEqual([
        422,
        'invalid-csv',
      ]);
      expect(refusal(refused)).toEqual(
        invalid(
          'body.rows[4].person',
          'body.rows[4].completedOn',
          'body.rows[5].qualification',
          'body.rows[5].completedOn',
        ),
      );
      expect((refused.body as unknown as ErrorAnswer).error.rows).toHaveLength(4);
      expect(await api.store.qualifications.completionsOf(RITA)).toEqual([]);

      const unknown = await importCsv(csv(`${SIMON},no-such-thing,${day(-1)},`), true);
      expect(unknown.body.rows[0]?.problems).toEqual([
        'row 2, column qualification: no qualification no-such-thing in the registry',
      ]);
      const conflict = await importCsv(csv(`${ALICE},itil-change,${day(-10)},CERT-9`), false);
      expect(refusal(conflict)).toEqual(invalid('body.rows[2].evidence'));
    });

    test('when a valid file is imported twice, then its completions are recorded once', async () => {
      const file = csv(
        `${RITA},gdpr-basics,${day(-3)},LMS 2041`,
        `${ALICE},itil-change,${day(-10)},CERT-7`,
        `${BOB},gdpr-basics,${day(-2)},`,
      );

      const first = await importCsv(file, false);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        dryRun: false,
        written: true,
        counts: { new: 2, recordedAlready: 1, invalid: 0 },
      });
      const second = await importCsv(file, false);
      expect(second.body).toMatchObject({
        written: false,
        counts: { new: 0, recordedAlready: 3, invalid: 0 },
      });
      expect(
        (await api.store.qualifications.completionsOf(RITA)).map((c) => [
          c.qualification,
          c.source,
          c.evidence,
        ]),
      ).toEqual([['gdpr-basics', 'import', 'LMS 2041']]);
      expect(
        (await call<QualificationAnswer>('GET', '/v1/qualifications/gdpr-basics', RITA)).body.validHolders,
      ).toBe(2);
    });

    test('when the file itself is wrong, then the import is refused at the header or the file', async () => {
      expect(refusal(await importCsv('person,qualification,when\r\nx,y,z', true))).toEqual(
        invalid('body.header', 'body.header'),
      );
      expect(refusal(await importCsv('', false))).toEqual(invalid('body.header'));
      expect(refusal(await importCsv(header, false))).toEqual(invalid('body.rows[2]'));
      expect(
        refusal(
          await api.call('POST', '/v1/qualifications/completions/import?dryRun=maybe', {
            token: token[PETRA] ?? null,
            rawBody: header,
            headers: { 'content-type': 'text/csv' },
          }),
        ),
      ).toEqual(invalid('query.dryRun'));
      expect((await importCsv(rowsFile, true, ALICE)).status).toBe(403);
      expect((await importCsv(rowsFile, true, SIMON)).status).toBe(403);
    });
  });
});
