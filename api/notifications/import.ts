// People and their delivery fields from a CSV file (POST /v1/directory/people/import): the way an
// admin brings an HR export into the directory. Pure: the text in, the people or every problem out;
// the route asks the directory only whether managers outside the file exist, then writes.
//
// The file is RFC 4180, read by every import's reader (api/csv.ts). A header row names the columns,
// in any order and any case. Problems are reported with the line a record starts on, counting the
// header as line 1, so that "line 12" is what the admin's editor shows even when a quoted field
// spans lines.
//
// What a cell means: a column that is absent leaves that field as it is; an empty cell clears what
// can be cleared (manager, email, chat) and leaves the rest (name, zone, working hours) as it is.
// chat_format and chat_url go together, as do working_days, working_from and working_to.
import type { DeliveryProfile } from '../../engine/notices/types.js';
import type { DayName } from '../../engine/ir/types.js';
import { type CsvRecord, cellValue, parseCsv, readCsvHeader } from '../csv.js';
import type { Problem } from '../errors.js';
import { chatTarget, clockTime, DAY_NAMES, emailAddress, workingHours, zoneName } from './schemas.js';

export const COLUMNS = [
  'id',
  'name',
  'manager',
  'email',
  'chat_format',
  'chat_url',
  'zone',
  'working_days',
  'working_from',
  'working_to',
] as const;
export type Column = (typeof COLUMNS)[number];

/** The largest file the import takes; api/app.ts parses text/csv bodies up to this size. */
export const MAX_CSV_BYTES = 1024 * 1024;

/** Problems listed in one answer; a file with more says how many there were. */
export const MAX_PROBLEMS = 100;

/** Columns that only mean something together. */
const TOGETHER: readonly (readonly Column[])[] = [
  ['chat_format', 'chat_url'],
  ['working_days', 'working_from', 'working_to'],
];

/** A problem with the line it is on (the header is line 1), for sorting before it is shown. */
export interface LineProblem extends Problem {
  line: number;
}

/** A person as one row of the file says it; fields the row leaves alone are absent. */
export interface ImportedPerson {
  line: number;
  id: string;
  name?: string;
  manager?: string | null;
  profile: Partial<DeliveryProfile>;
}

export interface PeopleCsv {
  people: ImportedPerson[];
  problems: LineProblem[];
  /** Managers the file names but does not list: the directory must know them. */
  managersOutside: string[];
}

/** Working days as `mon-fri`, `mon,tue,wed` or both (`mon-wed,fri`); null when not understood. */
export function parseWorkingDays(text: string): DayName[] | null {
  const days: DayName[] = [];
  const index = (name: string) => DAY_NAMES.indexOf(name.trim().toLowerCase() as DayName);
  for (const part of text.split(/[,;\s]+/).filter((p) => p !== '')) {
    const [first, last, extra] = part.split('-');
    if (extra !== undefined || first === undefined) return null;
    const from = index(first);
    const to = last === undefined ? from : index(last);
    if (from < 0 || to < 0 || to < from) return null;
    days.push(...DAY_NAMES.slice(from, to + 1));
  }
  return days.length === 0 ? null : days;
}

/** The header's problems, at body.header: unknown, repeated or missing columns. */
function headerProblems(record: CsvRecord): LineProblem[] {
  const { problems } = readCsvHeader(record.fields, {
    columns: COLUMNS,
    required: ['id'],
    together: TOGETHER,
  });
  return problems.map((message) => ({ line: 1, path: 'body.header', message }));
}

/** One data row as a person, with a problem at `body.rows[<line>].<column>` for each bad cell. */
function readRow(
  record: CsvRecord,
  header: readonly string[],
  problems: LineProblem[],
): ImportedPerson | null {
  const { line } = record;
  if (record.fields.length !== header.length) {
    problems.push({
      line,
      path: `body.rows[${line}]`,
      message: `has ${record.fields.length} fields; the header has ${header.length}`,
    });
    return null;
  }
  const before = problems.length;
  const value = new Map(header.map((name, i) => [name, (record.fields[i] ?? '').trim()]));
  const has = (column: Column) => value.has(column);
  const text = (column: Column) => value.get(column) ?? '';
  const at = (column: Column) => (message: string) => {
    problems.push({ line, path: `body.rows[${line}].${column}`, message });
  };

  if (text('id') === '') at('id')('is required');
  const id = text('id') === '' ? undefined : cellValue(emailAddress, text('id'), at('id'));
  const person: ImportedPerson = { line, id: id ?? '', profile: {} };
  if (has('name') && text('name') !== '') {
    if (text('name').length > 200) at('name')('at most 200 characters');
    else person.name = text('name');
  }
  if (has('manager')) {
    const manager = text('manager') === '' ? null : cellValue(emailAddress, text('manager'), at('manager'));
    if (manager !== null && manager === id) at('manager')('a person cannot be their own manager');
    else if (manager !== undefined) person.manager = manager;
  }
  if (has('email')) {
    const email = text('email') === '' ? null : cellValue(emailAddress, text('email'), at('email'));
    if (email !== undefined) person.profile.email = email;
  }
  if (has('chat_format')) readChat(text, at, person);
  if (has('zone') && text('zone') !== '') {
    const zone = cellValue(zoneName, text('zone'), at('zone'));
    if (zone !== undefined) person.profile.zone = zone;
  }
  if (has('working_days')) readWorkingHours(text, at, person);
  if (problems.length === before) return person;
  // The row's problems in the order of its columns, as the admin reads the row.
  const column = (p: LineProblem) => header.indexOf(p.path.slice(p.path.lastIndexOf('.') + 1));
  problems.push(...problems.splice(before).sort((a, b) => column(a) - column(b)));
  return null;
}

type CellText = (column: Column) => string;
type CellProblem = (column: Column) => (message: string) => void;

/** Filled cells of `columns` when some but not all are: a problem at each empty one. */
function partlyFilled(columns: readonly Column[], text: CellText, at: CellProblem): 'none' | 'all' | 'some' {
  const empty = columns.filter((c) => text(c) === '');
  if (empty.length === columns.length) return 'none';
  if (empty.length === 0) return 'all';
  for (const c of empty)
    at(c)(`is required with ${columns.filter((other) => !empty.includes(other)).join(', ')}`);
  return 'some';
}

function readChat(text: CellText, at: CellProblem, person: ImportedPerson): void {
  const filled = partlyFilled(['chat_format', 'chat_url'], text, at);
  if (filled === 'none') person.profile.chat = null;
  if (filled !== 'all') return;
  const out = chatTarget.safeParse({ format: text('chat_format').toLowerCase(), url: text('chat_url') });
  if (out.success) {
    person.profile.chat = out.data;
    return;
  }
  for (const issue of out.error.issues) {
    at(issue.path[0] === 'format' ? 'chat_format' : 'chat_url')(issue.message);
  }
}

function readWorkingHours(text: CellText, at: CellProblem, person: ImportedPerson): void {
  if (partlyFilled(['working_days', 'working_from', 'working_to'], text, at) !== 'all') return;
  const days = parseWorkingDays(text('working_days'));
  if (days === null) at('working_days')('expected days as mon-fri or mon,tue,wed');
  const from = cellValue(clockTime, text('working_from'), at('working_from'));
  const to = cellValue(clockTime, text('working_to'), at('working_to'));
  if (days === null || from === undefined || to === undefined) return;
  const out = workingHours.safeParse({ days, from, to });
  if (out.success) person.profile.workingHours = out.data;
  for (const issue of out.error?.issues ?? []) {
    at(issue.path[0] === 'days' ? 'working_days' : 'working_to')(issue.message);
  }
}

/** Ids listed twice, and management loops among the file's own rows. */
function crossRowProblems(people: readonly ImportedPerson[]): LineProblem[] {
  const problems: LineProblem[] = [];
  const firstLine = new Map<string, number>();
  for (const p of people) {
    const earlier = firstLine.get(p.id);
    if (earlier === undefined) firstLine.set(p.id, p.line);
    else
      problems.push({
        line: p.line,
        path: `body.rows[${p.line}].id`,
        message: `${p.id} is also on line ${earlier}`,
      });
  }
  const managerOf = new Map(people.map((p) => [p.id, p.manager]));
  for (const p of people) {
    const chain = [p.id];
    for (
      let above = p.manager;
      typeof above === 'string' && chain.length <= people.length;
      above = managerOf.get(above)
    ) {
      if (above === p.id) {
        problems.push({
          line: p.line,
          path: `body.rows[${p.line}].manager`,
          message: `makes a management loop: ${[...chain, p.id].join(' → ')}`,
        });
        break;
      }
      chain.push(above);
    }
  }
  return problems;
}

/**
 * The people of a CSV file, or the problems of every row (a row with a problem yields no person).
 * Managers not listed in the file are returned for the caller to check against the directory.
 */
export function readPeopleCsv(text: string): PeopleCsv {
  const parsed = parseCsv(text);
  const [first, ...rows] = parsed.records;
  if (first === undefined) {
    return {
      people: [],
      problems: [{ line: 1, path: 'body.header', message: 'the file is empty: a header row is required' }],
      managersOutside: [],
    };
  }
  const header = headerProblems(first);
  if (header.length > 0) return { people: [], problems: header, managersOutside: [] };
  const names = first.fields.map((f) => f.trim().toLowerCase());
  const problems: LineProblem[] = parsed.problems.map((p) => ({ ...p, path: `body.rows[${p.line}]` }));
  if (rows.length === 0)
    problems.push({ line: 2, path: 'body.rows', message: 'the file has a header but no rows' });
  const read = rows.flatMap((record) => readRow(record, names, problems) ?? []);
  problems.push(...crossRowProblems(read));
  const bad = new Set(problems.map((p) => p.line));
  const people = read.filter((p) => !bad.has(p.line));
  // Every id the file lists, valid row or not: a manager on a bad row is still in the file.
  const idColumn = names.indexOf('id');
  const listed = new Set(rows.map((record) => (record.fields[idColumn] ?? '').trim()));
  const outside = people.flatMap((p) =>
    typeof p.manager === 'string' && !listed.has(p.manager) ? [p.manager] : [],
  );
  return { people, problems, managersOutside: [...new Set(outside)] };
}

/** A problem at each row whose manager is neither in the file nor a known, active person. */
export function unknownManagerProblems(csv: PeopleCsv, unknown: ReadonlySet<string>): LineProblem[] {
  return csv.people.flatMap((p) =>
    typeof p.manager === 'string' && unknown.has(p.manager)
      ? [
          {
            line: p.line,
            path: `body.rows[${p.line}].manager`,
            message: `${p.manager} is neither in the file nor a known, active person`,
          },
        ]
      : [],
  );
}

/** Problems in file order (header first), at most MAX_PROBLEMS, without their line numbers. */
export function listedProblems(problems: readonly LineProblem[]): Problem[] {
  return [...problems]
    .sort((a, b) => a.line - b.line)
    .slice(0, MAX_PROBLEMS)
    .map(({ path, message }) => ({ path, message }));
}
