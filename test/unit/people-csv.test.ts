// The people import's CSV reading (api/notifications/import.ts, on every import's reader in
// api/csv.ts): RFC 4180 quoting (commas, line breaks and doubled quotes inside quoted fields, CRLF
// or LF), a header in any order and case, and every problem of a file at once, at
// `body.rows[<line>].<column>` with the line an editor shows.
import { parseCsv } from '../../api/csv.js';
import {
  listedProblems,
  MAX_PROBLEMS,
  parseWorkingDays,
  readPeopleCsv,
  unknownManagerProblems,
} from '../../api/notifications/import.js';

const paths = (problems: readonly { path: string }[]): string[] => problems.map((p) => p.path);

describe('parseCsv', () => {
  test('when fields are quoted, then commas, line breaks and doubled quotes are kept inside them', () => {
    const text = 'a,b,c\r\n"x, y","line one\nline two","say ""hi"""\r\nplain,,last\n';
    const { records, problems } = parseCsv(text);
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'line one\nline two', 'say "hi"'] },
      // The quoted line break moved this record to line 4 of the file.
      { line: 4, fields: ['plain', '', 'last'] },
    ]);
  });

  test('when the file has a byte order mark, blank lines or no final line break, then they are ignored', () => {
    const { records } = parseCsv('\uFEFFid\n\nx@h.example\n\n""\ny@h.example');
    expect(records).toEqual([
      { line: 1, fields: ['id'] },
      { line: 3, fields: ['x@h.example'] },
      // An empty quoted field is a value, not a blank line.
      { line: 5, fields: [''] },
      { line: 6, fields: ['y@h.example'] },
    ]);
  });

  test('when quotes are misplaced or never closed, then the line of the record says so', () => {
    const { problems } = parseCsv('id,name\nab"c,x\n"a"b,y\n"open,z\nmore');
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [2, expect.stringContaining('a quote inside a field')],
      [3, expect.stringContaining('after the closing quote')],
      [4, expect.stringContaining('not closed')],
    ]);
  });
});

describe('parseWorkingDays', () => {
  test.each([
    ['mon-fri', ['mon', 'tue', 'wed', 'thu', 'fri']],
    ['mon,tue,wed', ['mon', 'tue', 'wed']],
    ['Mon-Wed, Fri', ['mon', 'tue', 'wed', 'fri']],
    ['sat-sun', ['sat', 'sun']],
    ['fri-mon', null],
    ['monday', null],
    ['mon-tue-wed', null],
    ['', null],
  ])('%j reads as %j', (text, days) => {
    expect(parseWorkingDays(text)).toEqual(days);
  });
});

describe('readPeopleCsv', () => {
  test('when every row is valid, then each becomes a person with only the fields its columns give', () => {
    const text = [
      'Working_To,ID,Name,email,chat_format,chat_url,zone,working_days,working_from,manager',
      '17:30,lea@h.example,"Hofmann, Lea",lea@mail.example,slack,https://hooks.slack.example/T1,europe/berlin,mon-fri,08:30,',
      ',max@h.example,Max,,,,,,,lea@h.example',
    ].join('\r\n');
    const csv = readPeopleCsv(text);
    expect(csv.problems).toEqual([]);
    expect(csv.managersOutside).toEqual([]);
    expect(csv.people).toEqual([
      {
        line: 2,
        id: 'lea@h.example',
        name: 'Hofmann, Lea',
        manager: null,
        profile: {
          email: 'lea@mail.example',
          chat: { format: 'slack', url: 'https://hooks.slack.example/T1' },
          // As Intl spells the zone.
          zone: 'Europe/Berlin',
          workingHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:30', to: '17:30' },
        },
      },
      // Empty cells clear what can be cleared (email, chat) and leave the zone and hours alone.
      {
        line: 3,
        id: 'max@h.example',
        name: 'Max',
        manager: 'lea@h.example',
        profile: { email: null, chat: null },
      },
    ]);
  });

  test('when columns are absent, then the fields they hold are left out, and managers outside are listed', () => {
    const csv = readPeopleCsv('id,manager\nann@h.example,boss@h.example\nbob@h.example,boss@h.example\n');
    expect(csv.problems).toEqual([]);
    expect(csv.people.map((p) => [p.id, p.manager, p.profile])).toEqual([
      ['ann@h.example', 'boss@h.example', {}],
      ['bob@h.example', 'boss@h.example', {}],
    ]);
    expect(csv.managersOutside).toEqual(['boss@h.example']);
    expect(paths(unknownManagerProblems(csv, new Set(['boss@h.example'])))).toEqual([
      'body.rows[2].manager',
      'body.rows[3].manager',
    ]);
  });

  test('when the header has unknown, repeated or lone columns, then each is a problem at body.header', () => {
    const csv = readPeopleCsv('name,phone,name,chat_url,working_from\nx,y,z,w,v\n');
    expect(csv.people).toEqual([]);
    expect(csv.problems.map((p) => [p.path, p.message])).toEqual([
      ['body.header', expect.stringContaining('unknown column "phone"')],
      ['body.header', expect.stringContaining('"name" appears more than once')],
      ['body.header', 'the column id is required'],
      ['body.header', expect.stringContaining('missing: chat_format')],
      ['body.header', expect.stringContaining('missing: working_days, working_to')],
    ]);
  });

  test('when rows are bad, then every problem of every row is reported at its line and column, in file order', () => {
    const text = [
      'id,email,zone,chat_format,chat_url,working_days,working_from,working_to,manager',
      'good@h.example,good@mail.example,UTC,,,,,,',
      'not-an-address,nope,Mars/Olympus,fax,http://hooks.example/x,,,,',
      'b@h.example,,,teams,,mon-fri,17:00,09:00,b@h.example',
      '"c@h.example",,,,,sun-mon,25:00,10:00,',
      'too,few',
      'good@h.example,,,,,,,,',
    ].join('\n');
    const csv = readPeopleCsv(text);
    expect(paths(listedProblems(csv.problems))).toEqual([
      'body.rows[3].id',
      'body.rows[3].email',
      'body.rows[3].zone',
      'body.rows[3].chat_format',
      'body.rows[3].chat_url',
      'body.rows[4].chat_url',
      'body.rows[4].working_to',
      'body.rows[4].manager',
      'body.rows[5].working_days',
      'body.rows[5].working_from',
      'body.rows[6]',
      'body.rows[7].id',
    ]);
    const byPath = new Map(csv.problems.map((p) => [p.path, p.message]));
    expect(byPath.get('body.rows[3].chat_url')).toContain('https');
    expect(byPath.get('body.rows[4].chat_url')).toBe('is required with chat_format');
    expect(byPath.get('body.rows[4].working_to')).toBe('must be after from');
    expect(byPath.get('body.rows[6]')).toBe('has 2 fields; the header has 9');
    expect(byPath.get('body.rows[7].id')).toBe('good@h.example is also on line 2');
    // Only the valid rows are people; nothing is written by the route unless there are none bad.
    expect(csv.people.map((p) => p.line)).toEqual([2]);
  });

  test('when managers in the file form a loop, then each row of the loop says so', () => {
    const csv = readPeopleCsv(
      'id,manager\na@h.example,b@h.example\nb@h.example,c@h.example\nc@h.example,a@h.example\n',
    );
    expect(csv.problems.map((p) => [p.path, p.message])).toEqual([
      [
        'body.rows[2].manager',
        'makes a management loop: a@h.example → b@h.example → c@h.example → a@h.example',
      ],
      [
        'body.rows[3].manager',
        'makes a management loop: b@h.example → c@h.example → a@h.example → b@h.example',
      ],
      [
        'body.rows[4].manager',
        'makes a management loop: c@h.example → a@h.example → b@h.example → c@h.example',
      ],
    ]);
  });

  test('when a manager is on a bad row of the file, then they count as in the file', () => {
    const csv = readPeopleCsv('id,email,manager\nboss@h.example,bad,\nann@h.example,,boss@h.example\n');
    expect(paths(csv.problems)).toEqual(['body.rows[2].email']);
    expect(csv.managersOutside).toEqual([]);
  });

  test('when a file has more problems than are listed, then the first ones in file order are kept', () => {
    const rows = Array.from({ length: MAX_PROBLEMS + 20 }, (_, i) => `person${i},x`);
    const csv = readPeopleCsv(['id,email', ...rows].join('\n'));
    expect(csv.problems).toHaveLength(2 * (MAX_PROBLEMS + 20));
    const listed = listedProblems(csv.problems);
    expect(listed).toHaveLength(MAX_PROBLEMS);
    expect(listed[0]).toEqual({ path: 'body.rows[2].id', message: expect.any(String) as string });
    expect(listed.at(-1)?.path).toBe(`body.rows[${MAX_PROBLEMS / 2 + 1}].email`);
  });

  test('when the file is empty or has only a header, then it is refused', () => {
    expect(paths(readPeopleCsv('').problems)).toEqual(['body.header']);
    expect(paths(readPeopleCsv('id,name\n').problems)).toEqual(['body.rows']);
  });
});
