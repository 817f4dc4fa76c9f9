// The portfolio as a CSV file: the columns, a project as one row of the export, and a file of
// the import read into rows (pure: text in, the fields each row gives and its problems out; what
// needs the store, the PMO's phases, the people, the stored projects, is import.ts's).
//
// The file's frame is every import's (api/csv.ts: the RFC 4180 reader, the header, the problems
// that stop the whole file, a row numbered by the line it starts on with the header as row 1); the
// field writer is the audit export's (api/audit/export.ts).
//
// Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@` (or a tab or
// carriage return) as a formula, so the export puts a `'` before such a cell (OWASP's advice), and
// before a cell that already starts with quotes and then one of those, so that the import, which
// takes one `'` off a cell of that shape, gives back exactly what was exported.
//
// What a cell means on import: a column the file leaves out leaves that field as it is; an empty
// cell clears what can be cleared (manager, sponsor, budget, start, end, health_reason, tags) and
// leaves name, phase and health as they are. budget_amount and budget_currency go together, as do
// health and health_reason. `version`, when given, is the version the row was exported at: a
// project changed since then is not overwritten.
import type { z } from 'zod';
import { csvField } from '../audit/export.js';
import {
  type CsvCells,
  type CsvProblem as FileProblem,
  type CsvRows,
  cellValue,
  readCsvRows,
} from '../csv.js';
import type { FieldsPatch, Project } from '../../store/project-model.js';
import { personId } from '../directory/schemas.js';
import {
  budget,
  calendarDate,
  health,
  MAX_TAGS,
  phaseName,
  projectCode,
  projectName,
  tagName,
} from './schemas.js';

export const CSV_COLUMNS = [
  'code',
  'version',
  'name',
  'phase',
  'manager',
  'sponsor',
  'budget_amount',
  'budget_currency',
  'start',
  'end',
  'health',
  'health_reason',
  'tags',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** The header row of the export (and of a file the import reads back unchanged). */
export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

/** Rows one import takes: one transaction writes them all (store/project-import.ts). */
export const MAX_IMPORT_ROWS = 2000;

/** Tags in one cell, as the export joins them. */
export const TAG_SEPARATOR = ';';

/** Columns that only mean something together. */
const TOGETHER: readonly (readonly CsvColumn[])[] = [
  ['budget_amount', 'budget_currency'],
  ['health', 'health_reason'],
];

const FORMULA = /^'*[=+\-@\t\r]/;
const GUARDED = /^'+[=+\-@\t\r]/;

/** The cell as the export writes it: a `'` before what a spreadsheet would run as a formula. */
export const guardFormula = (text: string): string => (FORMULA.test(text) ? `'${text}` : text);

/** The cell as it was before guardFormula (exactly: the two are inverse). */
export const unguardFormula = (text: string): string => (GUARDED.test(text) ? text.slice(1) : text);

const cellOf = (value: string | number | null): string =>
  csvField(value === null ? null : guardFormula(String(value)));

/** One project as one CRLF-terminated row of the export, in CSV_COLUMNS order. */
export function projectCsvRow(p: Project): string {
  const values: (string | number | null)[] = [
    p.code,
    p.version,
    p.name,
    p.phase,
    p.manager,
    p.sponsor,
    p.budget?.amount ?? null,
    p.budget?.currency ?? null,
    p.start,
    p.end,
    p.health.status,
    p.health.reason,
    p.tags.join(TAG_SEPARATOR),
  ];
  return `${values.map(cellOf).join(',')}\r\n`;
}

/** A problem of the file: at a row (1 is the header) and a column, or at the whole row. */
export type CsvProblem = FileProblem<CsvColumn>;

/** One data row: the code, the version it was exported at, and the fields its cells give. */
export interface CsvRow {
  row: number;
  code: string | null;
  version: number | null;
  fields: FieldsPatch;
  problems: CsvProblem[];
}

export type ProjectsCsv = CsvRows<CsvColumn, CsvRow>;

export { problemPath, problemText } from '../csv.js';

const unread = (row: number): CsvRow => ({ row, code: null, version: null, fields: {}, problems: [] });

/** One data row's cells as fields, with a problem at each bad cell. */
function readRow(row: number, cells: CsvCells<CsvColumn>): CsvRow {
  const out = unread(row);
  const { has } = cells;
  const text = (column: CsvColumn) => unguardFormula(cells.text(column));
  const at = (column: CsvColumn) => (message: string) => out.problems.push({ row, column, message });
  const cell = <T>(schema: z.ZodType<T>, column: CsvColumn): T | undefined =>
    cellValue(schema, text(column), at(column));
  const f = out.fields;

  if (text('code') === '') at('code')('is required');
  else out.code = cell(projectCode, 'code') ?? null;
  if (has('version') && text('version') !== '') {
    const version = /^\d{1,9}$/.test(text('version')) ? Number(text('version')) : 0;
    if (version < 1) at('version')('expected the version the row was exported at (e.g. 3), or an empty cell');
    else out.version = version;
  }
  if (has('name') && text('name') !== '') f.name = cell(projectName, 'name');
  if (has('phase') && text('phase') !== '') f.phase = cell(phaseName, 'phase');
  for (const column of ['manager', 'sponsor'] as const) {
    if (has(column)) f[column] = text(column) === '' ? null : cell(personId, column);
  }
  for (const column of ['start', 'end'] as const) {
    if (has(column)) f[column] = text(column) === '' ? null : cell(calendarDate, column);
  }
  if (has('budget_amount')) readBudget(text, at, f);
  if (has('health')) readHealth(text, at, f);
  if (has('tags')) f.tags = readTags(text('tags'), at('tags'));
  // Keys of bad cells stay undefined: a row with problems is never written.
  return out;
}

type CellText = (column: CsvColumn) => string;
type CellProblem = (column: CsvColumn) => (message: string) => void;

function readBudget(text: CellText, at: CellProblem, f: FieldsPatch): void {
  const amount = text('budget_amount');
  const currency = text('budget_currency');
  if (amount === '' && currency === '') {
    f.budget = null;
    return;
  }
  if (amount === '') return at('budget_amount')('is required with budget_currency');
  if (currency === '') return at('budget_currency')('is required with budget_amount');
  const parsed = budget.safeParse({ amount, currency });
  if (parsed.success) {
    f.budget = parsed.data;
    return;
  }
  for (const issue of parsed.error.issues) {
    at(issue.path[0] === 'currency' ? 'budget_currency' : 'budget_amount')(issue.message);
  }
}

function readHealth(text: CellText, at: CellProblem, f: FieldsPatch): void {
  const status = text('health').toLowerCase();
  const reason = text('health_reason');
  if (status === '') {
    if (reason !== '') at('health')('is required with health_reason');
    return;
  }
  const parsed = health.safeParse({ status, reason: reason === '' ? null : reason });
  if (parsed.success) {
    f.health = parsed.data;
    return;
  }
  for (const issue of parsed.error.issues) {
    at(issue.path[0] === 'reason' ? 'health_reason' : 'health')(
      issue.path[0] === 'status' ? 'expected green, amber or red' : issue.message,
    );
  }
}

function readTags(cell: string, problem: (message: string) => void): string[] | undefined {
  const tags = cell
    .split(TAG_SEPARATOR)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const bad = tags.filter((t) => !tagName.safeParse(t).success);
  const twice = tags.filter((t, i) => tags.indexOf(t) !== i);
  if (bad.length > 0)
    problem(
      `${bad.map((t) => `"${t}"`).join(', ')}: expected tags of small letters, digits and "-", separated by ";"`,
    );
  if (twice.length > 0) problem(`each tag at most once (${[...new Set(twice)].join(', ')} repeated)`);
  if (tags.length > MAX_TAGS) problem(`at most ${MAX_TAGS} tags`);
  return bad.length + twice.length === 0 && tags.length <= MAX_TAGS ? tags : undefined;
}

/** A problem at each row whose code an earlier row already gave. */
function repeatedCodes(rows: CsvRow[]): void {
  const first = new Map<string, number>();
  for (const r of rows) {
    if (r.code === null) continue;
    const earlier = first.get(r.code);
    if (earlier === undefined) first.set(r.code, r.row);
    else r.problems.push({ row: r.row, column: 'code', message: `${r.code} is also on row ${earlier}` });
  }
}

/**
 * The rows of an import file with each row's problems (a code repeated from an earlier row among
 * them), or the problems of the file as a whole, which leave no row to read.
 */
export function readProjectsCsv(text: string): ProjectsCsv {
  const csv = readCsvRows(text, {
    columns: CSV_COLUMNS,
    required: ['code'],
    together: TOGETHER,
    maxRows: MAX_IMPORT_ROWS,
    unread,
    read: readRow,
  });
  if (csv.ok) repeatedCodes(csv.rows);
  return csv;
}
