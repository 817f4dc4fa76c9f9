// The portfolio as a CSV file over real HTTP against the real store: the export (a header, one
// row per project in the list's filters, budget as amount and currency, tags joined with `;`,
// RFC 4180 quoting, a `'` before what a spreadsheet would run as a formula, every page of a big
// portfolio), imported back unchanged; the import's dry run with an outcome and the problems of
// each row; all or nothing (one invalid row and nothing is written; the store's transaction
// leaves nothing behind when a project moved in between); the file's own problems; and who may
// import. No worker runs: nothing here starts a workflow.
import { jest } from '@jest/globals';
import { ProjectVersionConflictError, type ProjectFields } from '../../store/projects.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';

// The servers are shared with other suites: a busy server takes tens of milliseconds a call.
jest.setTimeout(60_000);

interface RowAnswer {
  row: number;
  code: string | null;
  outcome: 'created' | 'updated' | 'unchanged' | 'invalid';
  changes: string[];
  problems: string[];
}
interface ImportAnswer {
  dryRun: boolean;
  written: boolean;
  message: string;
  counts: { created: number; updated: number; unchanged: number; invalid: number };
  rows: RowAnswer[];
}
interface ErrorAnswer {
  error: {
    code: string;
    message: string;
    problems?: { path: string; message: string }[];
    rows?: RowAnswer[];
    counts?: ImportAnswer['counts'];
  };
}
interface ProjectAnswer {
  code: string;
  version: number;
  name: string;
  phase: string;
  manager: string | null;
  budget: { amount: string; currency: string } | null;
  health: { status: string; reason: string | null };
  tags: string[];
}

const ALICE = 'alice.meyer@halden.example';
const BOB = 'bob.schulz@halden.example';
const RITA = 'rita.sommer@halden.example';
const GRETA = 'greta.holm@halden.example';
const PETRA = 'petra.pmo@halden.example';
const AUDREY = 'audrey.audit@halden.example';
const GONE = 'gone.person@halden.example';
const LEFT = 'left.later@halden.example';

const HEADER =
  'code,version,name,phase,manager,sponsor,budget_amount,budget_currency,start,end,health,health_reason,tags';

const lines = (text: string): string[] => text.split('\r\n').filter((line) => line !== '');

describe('the portfolio as CSV over HTTP', () => {
  let api: ApiHarness;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    await api.store.directory.seedFromWorld({
      groups: {},
      managers: {},
      people: [ALICE, BOB, RITA, GRETA, PETRA, GONE, LEFT],
    });
    await api.store.directory.upsertPerson({ id: GONE, active: false });
    token[RITA] = await api.tokenFor(RITA, ['requester']);
    token[GRETA] = await api.tokenFor(GRETA, ['admin']);
    token[PETRA] = await api.tokenFor(PETRA, ['pmo']);
    token[AUDREY] = await api.tokenFor(AUDREY, ['auditor']);
    await call('PUT', '/v1/portfolio/phases', PETRA, { phases: ['idea', 'plan', 'build', 'run', 'closed'] });
    const made = [
      await create({
        code: 'ERP-2027',
        name: 'ERP, "new" core',
        phase: 'plan',
        manager: ALICE,
        sponsor: BOB,
        budget: { amount: '1200000.50', currency: 'EUR' },
        start: '2027-01-04',
        end: '2027-12-17',
        health: { status: 'red', reason: '=HYPERLINK("http://evil.example","late")' },
        tags: ['finance', 'sap'],
      }),
      await create({ code: 'CRM-1', name: '+ sales pipeline', phase: 'build', manager: BOB }),
      await create({ code: 'DWH-2', name: 'Warehouse', phase: 'build', tags: ['finance'] }),
    ];
    expect(made.map((m) => m.status)).toEqual([201, 201, 201]);
  });

  afterAll(async () => {
    await api?.close();
  });

  const call = <T>(method: string, path: string, as: string, body?: unknown) =>
    api.call<T>(method, path, { token: token[as] ?? null, body });
  const create = (body: Record<string, unknown>) => call<ProjectAnswer>('POST', '/v1/projects', PETRA, body);
  const project = async (code: string) =>
    (await call<ProjectAnswer>('GET', `/v1/projects/${code}`, RITA)).body;
  const exportCsv = (query = '', as = RITA) =>
    api.call('GET', `/v1/projects/export${query}`, { token: token[as] ?? null });
  const importCsv = <T = ImportAnswer>(text: string, options: { dryRun?: boolean; as?: string } = {}) =>
    api.call<T>('POST', `/v1/projects/import${options.dryRun ? '?dryRun=true' : ''}`, {
      token: token[options.as ?? PETRA] ?? null,
      rawBody: text,
      headers: { 'content-type': 'text/csv' },
    });

  test('when projects are exported, then a header, one quoted and guarded row each, and imported back nothing changes', async () => {
    const file = await exportCsv();
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toMatch(
      /^attachment; filename="charter-projects-.*\.csv"$/,
    );
    const [header, ...rows] = lines(file.text);
    expect(header).toBe(HEADER);
    expect(rows).toEqual([
      "CRM-1,1,'+ sales pipeline,build,bob.schulz@halden.example,,,,,,green,,",
      'DWH-2,1,Warehouse,build,,,,,,,green,,finance',
      // Quotes doubled inside a quoted cell; the formula behind a `'`, then quoted for its quotes.
      'ERP-2027,1,"ERP, ""new"" core",plan,alice.meyer@halden.example,bob.schulz@halden.example,' +
        '1200000.5,EUR,2027-01-04,2027-12-17,red,"\'=HYPERLINK(""http://evil.example"",""late"")",finance;sap',
    ]);
    // The list's filters narrow the file as they narrow the list.
    expect(
      lines((await exportCsv('?phase=build')).text)
        .slice(1)
        .map((r) => r.split(',')[0]),
    ).toEqual(['CRM-1', 'DWH-2']);
    expect(lines((await exportCsv('?tag=sap&health=red')).text)).toHaveLength(2);
    expect((await exportCsv('?health=blue')).status).toBe(422);

    const again = await importCsv(file.text);
    expect(again.status).toBe(200);
    expect(again.body.counts).toEqual({ created: 0, updated: 0, unchanged: 3, invalid: 0 });
    expect(again.body.written).toBe(false);
    expect(again.body.rows.map((r) => [r.row, r.code, r.outcome])).toEqual([
      [2, 'CRM-1', 'unchanged'],
      [3, 'DWH-2', 'unchanged'],
      [4, 'ERP-2027', 'unchanged'],
    ]);
    expect(await project('ERP-2027')).toMatchObject({
      version: 1,
      name: 'ERP, "new" core',
      health: { status: 'red', reason: '=HYPERLINK("http://evil.example","late")' },
    });
    expect((await project('CRM-1')).name).toBe('+ sales pipeline');
  });

  test('when the portfolio holds more than a page, then the export streams every project', async () => {
    const fields = (i: number): ProjectFields => ({
      name: `Bulk ${i}`,
      phase: 'idea',
      manager: null,
      sponsor: null,
      budget: null,
      start: null,
      end: null,
      health: { status: 'green', reason: null },
      tags: ['bulk'],
    });
    const codes = Array.from({ length: 1001 }, (_, i) => `BULK-${String(i).padStart(4, '0')}`);
    await api.store.projects.importAll(
      codes.map((code, i) => ({ code, create: fields(i) })),
      PETRA,
      new Date(),
    );
    const file = await exportCsv('?tag=bulk');
    expect(file.status).toBe(200);
    expect(
      lines(file.text)
        .slice(1)
        .map((r) => r.split(',')[0]),
    ).toEqual(codes);
  });

  test('when a file is checked in a dry run, then each row says what would happen and nothing is written', async () => {
    const text = [
      'Code,Name,Phase,Manager,Sponsor,Budget_Amount,Budget_Currency,Start,End,Health,Health_Reason,Tags,Version',
      'ERP-2027,,build,,,,,,,amber,vendor late,,1',
      'NEW-1,New thing,idea,alice.meyer@halden.example,,"250000.00",EUR,2027-05-01,2027-06-30,,,"cloud; data",',
      "CRM-1,'+ sales pipeline,build,bob.schulz@halden.example,,,,,,green,,,",
      'BAD-1,Bad,closing,ghost@halden.example,gone.person@halden.example,"1,200",eur,2027-02-30,,blue,,Bad Tag;x;x,',
      'BAD-2,,,,,,,2027-05-01,2027-04-30,,,,',
      'NEW-1,Twice,idea,,,,,,,,,,',
      'DWH-2,Warehouse,build,,,,,,,,,,7',
      'erp 2027,X,idea,,,,,,,,,,',
    ].join('\n');
    const checked = await importCsv(text, { dryRun: true });
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({
      dryRun: true,
      written: false,
      counts: { created: 1, updated: 1, unchanged: 1, invalid: 5 },
    });
    expect(checked.body.message).toContain('nothing would be written');
    const byRow = new Map(checked.body.rows.map((r) => [r.row, r]));
    expect(byRow.get(2)).toMatchObject({
      code: 'ERP-2027',
      outcome: 'updated',
      changes: ['phase', 'manager', 'sponsor', 'budget', 'start', 'end', 'health', 'tags'],
    });
    expect(byRow.get(3)).toMatchObject({ code: 'NEW-1', outcome: 'created', problems: [] });
    expect(byRow.get(3)?.changes).toHaveLength(9);
    expect(byRow.get(4)).toMatchObject({ code: 'CRM-1', outcome: 'unchanged', problems: [] });
    expect(byRow.get(5)?.problems).toEqual([
      'row 5, column phase: closing is not a phase of this PMO (the phases are: idea, plan, build, run, closed)',
      'row 5, column manager: ghost@halden.example is not a known, active person',
      'row 5, column sponsor: gone.person@halden.example is not a known, active person',
      'row 5, column budget_amount: expected a decimal amount as text, zero or more (e.g. "1200000.50")',
      'row 5, column budget_currency: expected an ISO 4217 currency code of 3 capitals (e.g. EUR)',
      'row 5, column start: expected a date as YYYY-MM-DD',
      'row 5, column health: expected green, amber or red',
      'row 5, column tags: "Bad Tag": expected tags of small letters, digits and "-", separated by ";"',
      'row 5, column tags: each tag at most once (x repeated)',
    ]);
    expect(byRow.get(6)?.problems).toEqual([
      'row 6, column name: is required for a new project',
      'row 6, column phase: is required for a new project',
      'row 6, column end: must not be before start (2027-05-01)',
    ]);
    expect(byRow.get(7)?.problems).toEqual(['row 7, column code: NEW-1 is also on row 3']);
    expect(byRow.get(8)?.problems).toEqual([
      'row 8, column version: the project is at version 1 now, not 7: export it again, or empty this cell to overwrite the changes since',
    ]);
    expect(byRow.get(9)).toMatchObject({ code: null, outcome: 'invalid' });
    expect(byRow.get(9)?.problems[0]).toMatch(/^row 9, column code: expected a code of capitals/);

    expect((await call('GET', '/v1/projects/NEW-1', RITA)).status).toBe(404);
    expect(await project('ERP-2027')).toMatchObject({ version: 1, phase: 'plan' });
  });

  test('when one row of an import is invalid, then nothing is written; the file fixed writes every row with its history', async () => {
    const rows = (phase: string) =>
      [
        'code,name,phase,manager,budget_amount,budget_currency,tags',
        `ERP-2027,ERP core,build,${BOB},1300000,EUR,finance;sap;core`,
        'NEW-2,Data platform,idea,,,,data',
        `NEW-3,Intranet,${phase},,,,`,
      ].join('\r\n');
    const refused = await importCsv<ErrorAnswer>(rows('retire'));
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('invalid-csv');
    expect(refused.body.error.message).toContain('nothing was written: an import writes every row or none');
    expect(refused.body.error.problems?.map((p) => p.path)).toEqual(['body.rows[4].phase']);
    expect(refused.body.error.problems?.[0]?.message).toContain('retire is not a phase');
    expect(refused.body.error.counts).toEqual({ created: 1, updated: 1, unchanged: 0, invalid: 1 });
    expect(refused.body.error.rows?.map((r) => r.outcome)).toEqual(['updated', 'created', 'invalid']);
    expect((await call('GET', '/v1/projects/NEW-2', RITA)).status).toBe(404);
    expect((await project('ERP-2027')).version).toBe(1);

    const imported = await importCsv(rows('plan'));
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({
      dryRun: false,
      written: true,
      counts: { created: 2, updated: 1, unchanged: 0, invalid: 0 },
    });
    expect(await project('ERP-2027')).toMatchObject({
      version: 2,
      name: 'ERP core',
      phase: 'build',
      manager: BOB,
      budget: { amount: '1300000', currency: 'EUR' },
      tags: ['finance', 'sap', 'core'],
      // Columns the file leaves out are left as they were.
      health: { status: 'red', reason: '=HYPERLINK("http://evil.example","late")' },
    });
    expect(await project('NEW-2')).toMatchObject({
      version: 1,
      phase: 'idea',
      tags: ['data'],
      manager: null,
    });
    const history = await call<{ items: { version: number; by: string; changes: { field: string }[] }[] }>(
      'GET',
      '/v1/projects/ERP-2027/history',
      RITA,
    );
    expect(history.body.items[0]).toMatchObject({ version: 2, by: PETRA });
    expect(history.body.items[0]?.changes.map((c) => c.field)).toEqual([
      'name',
      'phase',
      'manager',
      'budget',
      'tags',
    ]);

    // The same file again changes nothing: no version, no history.
    const twice = await importCsv(rows('plan'));
    expect(twice.body.counts).toEqual({ created: 0, updated: 0, unchanged: 3, invalid: 0 });
    expect((await project('ERP-2027')).version).toBe(2);
  });

  test('when a project moves between the check and the write, then the transaction writes nothing at all', async () => {
    const before = await project('DWH-2');
    await call('PATCH', '/v1/projects/DWH-2', GRETA, { name: 'Warehouse 2' });
    const late: ProjectFields = {
      name: 'Late',
      phase: 'idea',
      manager: null,
      sponsor: null,
      budget: null,
      start: null,
      end: null,
      health: { status: 'green', reason: null },
      tags: [],
    };
    const writes = [
      { code: 'LATE-1', create: late },
      { code: 'DWH-2', version: before.version, patch: { phase: 'run' } },
    ];
    await expect(api.store.projects.importAll(writes, PETRA, new Date())).rejects.toThrow(
      ProjectVersionConflictError,
    );
    expect(await api.store.projects.get('LATE-1')).toBeNull();
    expect(await project('DWH-2')).toMatchObject({ version: 2, phase: 'build', name: 'Warehouse 2' });
  });

  test('when the file itself is wrong, then the answer names the header or the row, and nothing is written', async () => {
    const paths = async (text: string) =>
      ((await importCsv<ErrorAnswer>(text, { dryRun: true })).body.error?.problems ?? []).map((p) => p.path);
    expect(await paths('')).toEqual(['body.header']);
    expect(await paths('code,colour\nX-1,red')).toEqual(['body.header']);
    expect(await paths('name,phase\nx,idea')).toEqual(['body.header']);
    expect(await paths('code,budget_amount\nX-1,12')).toEqual(['body.header']);
    expect(await paths('code,name,phase')).toEqual(['body.rows[2]']);
    // A well-formed file whose row is wrong is a row's problem: the dry run answers it (200).
    const noPhase = await importCsv('code,name\nX-1,x', { dryRun: true });
    expect(noPhase.body.rows).toEqual([
      {
        row: 2,
        code: 'X-1',
        outcome: 'invalid',
        changes: [],
        problems: ['row 2, column phase: is required for a new project'],
      },
    ]);
    const quoted = await importCsv('code,name,phase\nQ-1,"open,idea\n', { dryRun: true });
    expect(quoted.body.rows[0]?.problems).toEqual(
      expect.arrayContaining(['row 2: a quoted field is not closed before the end of the file']),
    );
    const short = await importCsv('code,name,phase\nQ-1,x', { dryRun: true });
    expect(short.body.rows[0]?.problems).toEqual(['row 2: has 2 fields; the header has 3']);
  });

  test('when others import, then requesters and auditors are refused and everyone may export', async () => {
    const text = 'code,name,phase\nR-1,Mine,idea';
    expect((await importCsv(text, { as: RITA })).status).toBe(403);
    expect((await importCsv(text, { as: AUDREY, dryRun: true })).status).toBe(403);
    expect((await importCsv(text, { as: GRETA, dryRun: true })).status).toBe(200);
    expect((await exportCsv('', AUDREY)).status).toBe(200);
    expect((await api.call('GET', '/v1/projects/export')).status).toBe(401);
    const plain = await api.call<ErrorAnswer>('POST', '/v1/projects/import', {
      token: token[PETRA] ?? null,
      rawBody: text,
      headers: { 'content-type': 'text/plain' },
    });
    expect([plain.status, plain.body.error.code]).toEqual([415, 'unsupported-media-type']);
  });

  test('when a manager left and a phase was retired since, then the project’s own values still import unchanged', async () => {
    await create({ code: 'OLD-1', name: 'Old', phase: 'run', manager: LEFT, tags: ['legacy'] });
    await api.store.directory.upsertPerson({ id: LEFT, active: false });
    await call('PUT', '/v1/portfolio/phases', PETRA, { phases: ['idea', 'plan', 'build', 'closed'] });
    const file = await exportCsv('?tag=legacy');
    expect((await importCsv(file.text)).body.counts).toEqual({
      created: 0,
      updated: 0,
      unchanged: 1,
      invalid: 0,
    });

    const renamed = await importCsv(file.text.replace(',Old,', ',Older,'), { dryRun: true });
    expect(renamed.body.rows[0]).toMatchObject({ outcome: 'updated', changes: ['name'] });
    const elsewhere = await importCsv(`code,name,phase,manager\nNEW-9,New,run,${LEFT}`, { dryRun: true });
    expect(elsewhere.body.rows[0]?.problems).toEqual([
      'row 2, column phase: run is not a phase of this PMO (the phases are: idea, plan, build, closed)',
      `row 2, column manager: ${LEFT} is not a known, active person`,
    ]);
  });
});
