// The portfolio's CSV file (api/projects/csv.ts), pure: the formula guard and its exact inverse,
// a project as one row of the export, and a file read into rows: what an absent column, an empty
// cell and a filled one mean, the columns that go together, and each problem at its row and column.
import {
  CSV_HEADER,
  guardFormula,
  problemPath,
  problemText,
  projectCsvRow,
  readProjectsCsv,
  unguardFormula,
} from '../../api/projects/csv.js';
import type { Project } from '../../store/projects.js';

const project: Project = {
  code: 'ERP-2027',
  name: 'ERP, "new" core',
  phase: 'plan',
  manager: 'alice@x.example',
  sponsor: null,
  budget: { amount: '1200000.5', currency: 'EUR' },
  start: '2027-01-04',
  end: null,
  health: { status: 'red', reason: '@risk' },
  tags: ['finance', 'sap'],
  version: 3,
  createdAt: new Date('2027-01-01T00:00:00Z'),
  updatedAt: new Date('2027-01-02T00:00:00Z'),
  updatedBy: 'pmo@x.example',
};

const rowsOf = (text: string) => {
  const csv = readProjectsCsv(text);
  if (!csv.ok) throw new Error(csv.problems.map(problemText).join('\n'));
  return csv.rows;
};

describe('the formula guard', () => {
  test.each(['=SUM(A1)', '+1', '-5', '@cmd', '\tx', "'=x", "''+x", 'plain', "'quoted", '', 'a=b'])(
    'when %j is exported and read back, then it is itself again',
    (text) => {
      expect(unguardFormula(guardFormula(text))).toBe(text);
    },
  );

  test('when a cell would run as a formula, then the export puts a quote before it, and only then', () => {
    expect(guardFormula('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(guardFormula("'=x")).toBe("''=x");
    expect(guardFormula("'quoted")).toBe("'quoted");
    expect(guardFormula('a=b')).toBe('a=b');
  });
});

describe('the export row', () => {
  test('when a project is written, then its cells are in header order, quoted and guarded', () => {
    expect(CSV_HEADER).toBe(
      'code,version,name,phase,manager,sponsor,budget_amount,budget_currency,start,end,health,health_reason,tags\r\n',
    );
    expect(projectCsvRow(project)).toBe(
      'ERP-2027,3,"ERP, ""new"" core",plan,alice@x.example,,1200000.5,EUR,2027-01-04,,red,\'@risk,finance;sap\r\n',
    );
  });

  test('when the row is read back, then it gives the project fields it was made from', () => {
    const [row] = rowsOf(`${CSV_HEADER}${projectCsvRow(project)}`);
    expect(row).toEqual({
      row: 2,
      code: 'ERP-2027',
      version: 3,
      problems: [],
      fields: {
        name: project.name,
        phase: 'plan',
        manager: 'alice@x.example',
        sponsor: null,
        budget: { amount: '1200000.5', currency: 'EUR' },
        start: '2027-01-04',
        end: null,
        health: { status: 'red', reason: '@risk' },
        tags: ['finance', 'sap'],
      },
    });
  });
});

describe('reading an import file', () => {
  test('when a column is absent the field is left alone; an empty cell clears what can be cleared', () => {
    const [row] = rowsOf('CODE, Name ,manager,tags,health,health_reason\nX-1,,,,,');
    expect(row?.fields).toEqual({ manager: null, tags: [] });
  });

  test('when the header is wrong, then the file has problems of its own and no rows', () => {
    const csv = readProjectsCsv('code,colour,code,budget_currency\nX-1,red,X-1,EUR');
    expect(csv.ok).toBe(false);
    if (csv.ok) return;
    expect(csv.problems.map(problemText)).toEqual([
      'row 1: unknown column "colour" (column 2); the columns are code, version, name, phase, manager, sponsor, budget_amount, budget_currency, start, end, health, health_reason, tags',
      'row 1: column "code" appears more than once',
      'row 1: columns budget_amount, budget_currency go together; missing: budget_amount',
    ]);
    expect(csv.problems.map(problemPath)).toEqual(['body.header', 'body.header', 'body.header']);
  });

  test('when cells are wrong, then each problem names its row and column', () => {
    const rows = rowsOf(
      [
        'code,version,budget_amount,budget_currency,health,health_reason,tags',
        'X-1,0,12,,,why,a;;b',
        'X-1,2,,EUR,Amber,,',
      ].join('\r\n'),
    );
    expect(rows.map((r) => r.problems.map(problemText))).toEqual([
      [
        'row 2, column version: expected the version the row was exported at (e.g. 3), or an empty cell',
        'row 2, column budget_currency: is required with budget_amount',
        'row 2, column health: is required with health_reason',
      ],
      [
        'row 3, column budget_amount: is required with budget_currency',
        'row 3, column code: X-1 is also on row 2',
      ],
    ]);
    expect(rows[0]?.fields.tags).toEqual(['a', 'b']);
    expect(rows[1]?.fields.health).toEqual({ status: 'amber', reason: null });
    expect(problemPath({ row: 3, column: 'code', message: '' })).toBe('body.rows[3].code');
  });
});
