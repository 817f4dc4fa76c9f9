// Structure and literal checks of the builder (CH2xxx): loose grammar, strict AST. Each case
// asserts the message, the help and the exact text underlined.
import { parse } from '../../../dsl/parse/index.js';

interface Seen {
  code: string;
  message: string;
  text: string;
  help?: string;
  related?: string[];
}

function diagnose(text: string): Seen[] {
  return parse(text, 'case.charter').diagnostics.map((d) => ({
    code: d.code,
    message: d.message,
    text: text.slice(d.span.offset, d.span.end),
    ...(d.help === undefined ? {} : { help: d.help }),
    ...(d.related
      ? { related: d.related.map((r) => `${r.message}: ${text.slice(r.span.offset, r.span.end)}`) }
      : {}),
  }));
}

const inProcess = (body: string): string => `process p {\n${body}\n}`;
const inApproval = (clauses: string): string => inProcess(`approve review {\n${clauses}\n}`);

describe('expressions', () => {
  test('when `=` compares, then CH2001 says it is not a comparison and suggests `==`', () => {
    expect(diagnose('rule r = request.risk = "high"')).toEqual([
      { code: 'CH2001', message: '`=` is not a comparison', text: '=', help: 'did you mean `==`' },
    ]);
  });

  test('when `=` compares, then the AST still holds an equality', () => {
    const rule = parse('rule r = a = b', 'x').ast.declarations[0];

    expect(rule).toMatchObject({ kind: 'rule', condition: { kind: 'binary', op: '==' } });
  });

  test('when comparisons are chained, then CH2009 underlines the second operator', () => {
    expect(diagnose('rule r = a < b <= c')).toEqual([
      {
        code: 'CH2009',
        message: 'comparisons cannot be chained',
        text: '<=',
        help: 'compare twice and join with `and`, as in `a < b and b < c`',
      },
    ]);
  });

  test('when a percentage is over 100, then CH2008 underlines the literal', () => {
    expect(diagnose('rule r = x > 150%')).toEqual([
      { code: 'CH2008', message: '`150%` is not a percentage between 0% and 100%', text: '150%' },
    ]);
  });
});

describe('literals', () => {
  test.each([
    ['2026-02-30', 'February 2026 has 28 days'],
    ['2028-02-30', 'February 2028 has 29 days'],
    ['2026-04-31', 'April 2026 has 30 days'],
    ['2026-13-01', 'months run from 01 to 12'],
    ['2026-01-00', 'January 2026 has 31 days'],
  ])('when the date %s does not exist, then CH2002 explains why', (date, help) => {
    expect(diagnose(`rule r = x > ${date}`)).toEqual([
      { code: 'CH2002', message: `\`${date}\` is not a calendar date`, text: date, help },
    ]);
  });

  test('when a leap day is real, then it is accepted', () => {
    expect(diagnose('rule r = x > 2028-02-29')).toEqual([]);
  });

  test.each([
    ['25:00', '`25:00` is not a time of day', 'times run from `00:00` to `24:00`'],
    ['09:60', '`09:60` is not a time of day', 'times run from `00:00` to `24:00`'],
    ['24:30', '`24:30` is not a time of day', 'times run from `00:00` to `24:00`'],
    ['9:00', '`9:00` is not a time in `HH:MM` form', 'write `09:00`'],
  ])('when a calendar time is %s, then CH2003 says so', (time, message, help) => {
    const diagnostics = diagnose(`calendar c { hours mon ${time}-24:00 }`);

    expect(diagnostics).toEqual([{ code: 'CH2003', message, text: time, help }]);
  });

  test('when a day name is misspelt, then CH2004 suggests the day and the times are still checked', () => {
    expect(diagnose('calendar c { hours mon-fry 25:00-17:00 }')).toEqual([
      { code: 'CH2004', message: '`fry` is not a day', text: 'fry', help: 'did you mean `fri`' },
      expect.objectContaining({ code: 'CH2003', text: '25:00' }),
    ]);
  });

  test('when a day is written in full, then CH2004 suggests its short name', () => {
    expect(diagnose('calendar c { hours monday 09:00-17:00 }')).toEqual([
      { code: 'CH2004', message: '`monday` is not a day', text: 'monday', help: 'did you mean `mon`' },
    ]);
  });

  test('when a lower-case currency follows a number, then CH2005 suggests the code in upper case', () => {
    expect(diagnose('rule r = x > 50_000 eur')).toEqual([
      {
        code: 'CH2005',
        message: '`eur` after a number is neither a currency code nor a duration unit',
        text: 'eur',
        help: 'did you mean `EUR`',
      },
    ]);
  });

  test('when a misspelt unit follows a number, then CH2005 suggests the unit', () => {
    expect(diagnose('rule r = x > 3 dayz')).toEqual([
      expect.objectContaining({ code: 'CH2005', text: 'dayz', help: 'did you mean `days`' }),
    ]);
  });

  test('when a version has a fraction, then CH2012 asks for a whole number', () => {
    expect(diagnose('policy "p" version 1.5 effective 2026-01-01')).toEqual([
      { code: 'CH2012', message: 'a policy version must be a whole number, not `1.5`', text: '1.5' },
    ]);
  });

  test('when a duration has no known unit, then CH2013 says so with a suggestion', () => {
    expect(diagnose(inProcess('wait 3 dais'))).toEqual([
      { code: 'CH2013', message: '`dais` is not a duration unit', text: 'dais', help: 'did you mean `days`' },
    ]);
  });

  test('when money stands where a duration belongs, then CH2013 explains how durations are written', () => {
    expect(diagnose(inApproval('within 5 EUR'))).toEqual([
      expect.objectContaining({
        code: 'CH2013',
        text: 'EUR',
        help: 'durations are written like `2 days` or `48h`',
      }),
    ]);
  });

  test('when `business` qualifies weeks, then CH2014 underlines the duration', () => {
    expect(diagnose(inProcess('wait 2 business weeks'))).toEqual([
      {
        code: 'CH2014',
        message: '`business` applies to days and hours, not `weeks`',
        text: '2 business weeks',
        help: 'write `2 weeks`',
      },
    ]);
  });

  test('when `business` qualifies weeks before `on <calendar>`, then CH2014 underlines the duration only', () => {
    expect(diagnose(inProcess('wait 2 business weeks on office'))).toEqual([
      {
        code: 'CH2014',
        message: '`business` applies to days and hours, not `weeks`',
        text: '2 business weeks',
        help: 'write `2 weeks`',
      },
    ]);
  });

  test('when the unit before `on <calendar>` is misspelt, then CH2013 underlines the unit only', () => {
    expect(diagnose(inApproval('within 2 business dais on office'))).toEqual([
      { code: 'CH2013', message: '`dais` is not a duration unit', text: 'dais', help: 'did you mean `days`' },
    ]);
  });

  test('when a string has an unknown escape, then CH2019 underlines the escape', () => {
    expect(diagnose('library "a\\tb"')).toEqual([
      {
        code: 'CH2019',
        message: 'unknown escape `\\t` in a string',
        text: '\\t',
        help: 'write `\\"` for a quote and `\\\\` for a backslash',
      },
    ]);
  });
});

describe('types', () => {
  test('when a type name is misspelt, then CH2006 suggests the type', () => {
    expect(diagnose(inProcess('input { title: txt }'))).toEqual([
      { code: 'CH2006', message: '`txt` is not a type', text: 'txt', help: 'did you mean `text`' },
    ]);
  });

  test('when a type is unknown and nothing is close, then CH2006 lists the types', () => {
    expect(diagnose(inProcess('input { due: timestamp }'))).toEqual([
      expect.objectContaining({
        code: 'CH2006',
        text: 'timestamp',
        help: expect.stringContaining('`text`, `number`') as string,
      }),
    ]);
  });

  test('when a currency follows a type other than money, then CH2020 underlines it', () => {
    expect(diagnose(inProcess('input { a: number EUR }'))).toEqual([
      {
        code: 'CH2020',
        message: 'only `money` takes a currency, not `number`',
        text: 'EUR',
        help: 'remove `EUR`',
      },
    ]);
  });

  test('when a money currency is not a code, then CH2022 suggests the code', () => {
    expect(diagnose(inProcess('input { a: money eur }'))).toEqual([
      { code: 'CH2022', message: '`eur` is not a currency code', text: 'eur', help: 'did you mean `EUR`' },
    ]);
  });
});

describe('single-use clauses', () => {
  test('when an approval has two `within` and two quorums, then each repeat gets CH2007 pointing at the first', () => {
    expect(diagnose(inApproval('by cab\nwithin 2 days\nany\nwithin 3 days\nall\nmajority'))).toEqual([
      {
        code: 'CH2007',
        message: 'approval `review` has a second `within` clause',
        text: 'within 3 days',
        help: 'an approval takes this clause once; remove one of them',
        related: ['the first `within` clause: within 2 days'],
      },
      expect.objectContaining({ code: 'CH2007', text: 'all', related: ['the first quorum: any'] }),
      expect.objectContaining({ code: 'CH2007', text: 'majority', related: ['the first quorum: any'] }),
    ]);
  });

  test.each([
    ['by cab\nby security', '`by` clause'],
    ['any reject rejects\nany reject rejects', '`any reject rejects` clause'],
    ['remind every 1d\nremind every 2d', '`remind every` clause'],
    ['on timeout reject\non timeout approve', '`on timeout` clause'],
    ['allow changes\nallow changes', '`allow changes` clause'],
  ])('when an approval repeats `%s`, then CH2007 names the %s', (clauses, label) => {
    expect(diagnose(inApproval(clauses))).toEqual([
      expect.objectContaining({ code: 'CH2007', message: `approval \`review\` has a second ${label}` }),
    ]);
  });

  test('when an approval repeats `not` and `escalate`, then they accumulate without diagnostics', () => {
    const { ast, diagnostics } = parse(
      inApproval('by cab\nnot a\nnot b\nescalate after 1d to x\nescalate after 2d to y'),
      'x',
    );
    const process = ast.declarations[0];
    const approve = process?.kind === 'process' ? process.steps[0] : undefined;

    expect(diagnostics).toEqual([]);
    expect(approve).toMatchObject({ exclude: [{ kind: 'role' }, { kind: 'role' }], escalations: [{}, {}] });
  });

  test('when `on timeout` is given twice, one escalating and one handing over, then CH2007 names the repeat', () => {
    expect(diagnose(inApproval('by cab\non timeout escalate to x\non timeout hand over to y'))).toEqual([
      expect.objectContaining({
        code: 'CH2007',
        text: 'on timeout hand over to y',
        related: ['the first `on timeout` clause: on timeout escalate to x'],
      }),
    ]);
  });

  test.each(['handover', 'hand_over', 'Handover'])(
    'when a ladder level is written `%s after`, then CH1005 suggests the two words `hand over`',
    (word) => {
      expect(diagnose(inApproval(`by cab\n${word} after 2h to cio`))).toEqual([
        expect.objectContaining({
          code: 'CH1005',
          text: `${word} after 2h to cio`,
          help: 'did you mean `hand over` (two words)',
        }),
      ]);
    },
  );

  test('when a clause word is misspelt close to `hand`, then the suggestion is the whole `hand over`', () => {
    expect(diagnose(inApproval('by cab\nhands off after 2h to cio'))).toEqual([
      expect.objectContaining({ code: 'CH1005', help: 'did you mean `hand over`' }),
    ]);
  });

  test('when a calendar has two time zones, then CH2007 points at the first', () => {
    expect(diagnose('calendar c { timezone "UTC" timezone "Europe/Paris" }')).toEqual([
      expect.objectContaining({
        code: 'CH2007',
        message: 'calendar `c` has a second `timezone`',
        text: 'timezone "Europe/Paris"',
        related: ['the first `timezone`: timezone "UTC"'],
      }),
    ]);
  });

  test('when a process has two input blocks, then CH2007 points at the first', () => {
    expect(diagnose(inProcess('input { a: text }\ninput { b: text }'))).toEqual([
      expect.objectContaining({
        code: 'CH2007',
        message: 'process `p` has a second `input` block',
        text: 'input { b: text }',
        related: ['the first `input` block: input { a: text }'],
      }),
    ]);
  });
});

describe('steps', () => {
  test('when a priority is unknown, then CH2010 suggests a close one', () => {
    expect(
      diagnose(inProcess('reallocate 4 hours of skill "a" from pool "b" to project x for 1w priority hgh')),
    ).toEqual([
      { code: 'CH2010', message: '`hgh` is not a priority', text: 'hgh', help: 'did you mean `high`' },
    ]);
  });

  test('when a priority is far from any, then CH2010 lists the priorities', () => {
    expect(
      diagnose(
        inProcess('reallocate 4 hours of skill "a" from pool "b" to project x for 1w priority urgent'),
      ),
    ).toEqual([
      expect.objectContaining({
        code: 'CH2010',
        text: 'urgent',
        help: 'a priority is `low`, `normal` or `high`',
      }),
    ]);
  });

  test('when an outcome is unknown, then CH2011 lists the outcomes and the step is dropped', () => {
    const text = inProcess('end accepted');

    expect(diagnose(text)).toEqual([
      {
        code: 'CH2011',
        message: '`accepted` is not an outcome',
        text: 'accepted',
        help: 'a process ends `approved`, `rejected` or `cancelled`',
      },
    ]);
    expect(parse(text, 'x').ast.declarations[0]).toMatchObject({ steps: [] });
  });

  test('when a quorum count has a fraction, then CH2012 underlines it', () => {
    expect(diagnose(inApproval('by cab\nat least 1.5'))).toEqual([
      { code: 'CH2012', message: 'a quorum count must be a whole number, not `1.5`', text: '1.5' },
    ]);
  });

  test('when a notify id is a dotted path, then CH2018 asks for one name', () => {
    expect(diagnose(inProcess('notify a.b: cab: "x"'))).toEqual([
      {
        code: 'CH2018',
        message: 'a step id before `:` must be one plain name',
        text: 'a.b',
        help: 'write `notify <id>: <recipients>: "<message>"`, as in `notify heads_up: cab: "..."`',
      },
    ]);
  });

  test('when an input block is inside an if, then CH2021 says where it belongs', () => {
    expect(diagnose(inProcess('if x { input { a: text } }'))).toEqual([
      {
        code: 'CH2021',
        message: 'an `input` block belongs directly inside a `process`',
        text: 'input { a: text }',
        help: 'move it to the top of the process',
      },
    ]);
  });

  test('when a branch is outside parallel, then CH2021 reports it and keeps its steps', () => {
    const text = inProcess('branch b { end approved }');

    expect(diagnose(text)).toEqual([
      expect.objectContaining({
        code: 'CH2021',
        message: '`branch` only groups steps directly inside `parallel`',
      }),
    ]);
    expect(parse(text, 'x').ast.declarations[0]).toMatchObject({ steps: [{ kind: 'end' }] });
  });
});

describe('file structure', () => {
  test('when the header is not first, then CH2015 underlines it and it is still the header', () => {
    const text = 'rule r = true\npolicy "p" version 1 effective 2026-01-01';
    const { ast } = parse(text, 'x');

    expect(diagnose(text)).toEqual([
      {
        code: 'CH2015',
        message: 'the `policy` header must open the file',
        text: 'policy "p" version 1 effective 2026-01-01',
        help: 'move it above every other declaration',
      },
    ]);
    expect(ast.header?.kind).toBe('policy');
  });

  test('when comments come before the header, then it is still first', () => {
    expect(diagnose('# why\npolicy "p" version 1 effective 2026-01-01')).toEqual([]);
  });

  test('when a file has two headers, then CH2016 points at the first', () => {
    expect(diagnose('library "a"\nlibrary "b"')).toEqual([
      {
        code: 'CH2016',
        message: 'this file already has a `library` header',
        text: 'library "b"',
        help: 'a file holds one policy or one library',
        related: ['the first header: library "a"'],
      },
    ]);
  });

  test('when a library declares a process, then CH2017 underlines its name', () => {
    expect(diagnose('library "l"\nprocess p { }')).toEqual([
      {
        code: 'CH2017',
        message: 'library cannot declare process `p`',
        text: 'p',
        help: 'a library shares calendars, roles and rules; move the process into a policy file',
      },
    ]);
  });
});
