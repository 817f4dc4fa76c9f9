import type { Span } from '../../../dsl/ast/types.js';
import type { Diagnostic } from '../../../dsl/diagnostics/diagnostic.js';
import { renderText, summarize, toJson } from '../../../dsl/diagnostics/render.js';

const source = ['role cab = group "cab"', '', 'process p {', '\tapprove x { by cabb }', '}'].join('\n');

function spanOf(line: number, col: number, endLine: number, endCol: number): Span {
  return { offset: 0, end: 0, line, col, endLine, endCol };
}

function diagnostic(span: Span, extra: Partial<Diagnostic> = {}): Diagnostic {
  return {
    code: 'CH3001',
    severity: 'error',
    message: 'unknown role `cabb`',
    file: 'policies/p.charter',
    span,
    ...extra,
  };
}

describe('renderText', () => {
  test('when a span sits after a tab, then the underline lines up under the spanned text', () => {
    const text = renderText(
      [
        diagnostic(spanOf(4, 17, 4, 21), {
          help: 'did you mean `cab`',
          related: [
            { message: '`cab` is declared here', file: 'policies/p.charter', span: spanOf(1, 6, 1, 9) },
          ],
        }),
      ],
      () => source,
    );

    expect(text).toBe(
      [
        'error[CH3001]: unknown role `cabb`',
        ' --> policies/p.charter:4:17',
        '  |',
        '4 |     approve x { by cabb }',
        '  |                    ~~~~',
        '  = help: did you mean `cab`',
        '  = note: `cab` is declared here: policies/p.charter:1:6',
        '',
      ].join('\n'),
    );
  });

  test('when the span is empty, then one tilde still marks the place', () => {
    const text = renderText([diagnostic(spanOf(5, 2, 5, 2))], () => source);

    expect(text.split('\n').slice(3, 5)).toEqual(['5 | }', '  |  ~']);
  });

  test('when the span runs over several lines, then the first line is marked to its end', () => {
    const text = renderText([diagnostic(spanOf(3, 1, 5, 2))], () => source);

    expect(text.split('\n').slice(3, 5)).toEqual(['3 | process p {', '  | ~~~~~~~~~~~ ...']);
  });

  test('when the source is not available, then only the header and location are shown', () => {
    expect(renderText([diagnostic(spanOf(1, 1, 1, 2))], () => undefined)).toBe(
      'error[CH3001]: unknown role `cabb`\n --> policies/p.charter:1:1\n',
    );
  });
});

describe('renderText gutters', () => {
  const lines = Array.from({ length: 120 }, (_, i) => `line${i + 1} by cabb`);
  const numbered = lines.join('\n');

  test.each([
    [7, ' '],
    [42, '  '],
    [105, '   '],
  ])('when the line number is %i, then `-->`, `|` and `=` line up with its digits', (line, pad) => {
    const col = lines[line - 1]!.indexOf('cabb') + 1;
    const text = renderText(
      [
        diagnostic(spanOf(line, col, line, col + 4), {
          help: 'did you mean `cab`',
          related: [{ message: '`cab` is declared here', file: 'p.charter', span: spanOf(1, 1, 1, 2) }],
        }),
      ],
      () => numbered,
    );

    expect(text.split('\n').slice(1, 7)).toEqual([
      `${pad}--> policies/p.charter:${line}:${col}`,
      `${pad} |`,
      `${line} | line${line} by cabb`,
      `${pad} | ${' '.repeat(col - 1)}~~~~`,
      `${pad} = help: did you mean \`cab\``,
      `${pad} = note: \`cab\` is declared here: p.charter:1:1`,
    ]);
  });
});

describe('renderText on awkward lines', () => {
  /** The source row and the underline row of a one-diagnostic rendering. */
  const excerptOf = (source: string, col: number, endCol: number): [string, string] => {
    const rows = renderText([diagnostic(spanOf(1, col, 1, endCol))], () => source).split('\n');
    return [rows[3]!.slice(4), rows[4]!.slice(4)];
  };

  test('when tabs come before the span, then each runs to the next tab stop of 4', () => {
    const [source, marks] = excerptOf('a\tbc\tcabb', 6, 10);

    expect(source).toBe('a   bc  cabb');
    expect(marks).toBe('        ~~~~');
  });

  test('when wide characters come before the span, then each counts two columns', () => {
    const line = 'rule r = "日本語" and 🎉 and cabb';
    const col = line.indexOf('cabb') + 1;
    const [source, marks] = excerptOf(line, col, col + 4);

    expect(source).toBe(line);
    // `rule r = "` 10, three wide characters 6, `" and ` 6, the emoji 2, ` and ` 5.
    expect(marks).toBe(`${' '.repeat(29)}~~~~`);
  });

  test('when a combining mark and a control character come before the span, then they take 0 and 1 columns', () => {
    const [source, marks] = excerptOf('e\u0301\u0007 cabb', 5, 9);

    expect(source).toBe('e\u0301\uFFFD cabb');
    expect(marks).toBe('   ~~~~');
  });

  test('when the span is in the middle of a long line, then a window around it is shown, cut with `...`', () => {
    const line = `rule r = ${Array.from({ length: 400 }, (_, i) => `a${i}`).join(' and ')}`;
    const col = line.indexOf('a200 ') + 1;
    const [source, marks] = excerptOf(line, col, col + 4);

    expect(source.startsWith('...') && source.endsWith('...')).toBe(true);
    expect(source.length).toBeLessThanOrEqual(126);
    expect(source.slice(marks.indexOf('~'), marks.indexOf('~') + 4)).toBe('a200');
    expect(marks.trim()).toBe('~~~~');
  });

  test('when the span is near the start of a long line, then the line start is kept and only the end is cut', () => {
    const line = `  check deep: require ${'('.repeat(150)}`;
    const [source, marks] = excerptOf(line, 30, 31);

    expect(source).toBe(`${line.slice(0, 120)}...`);
    expect(marks).toBe(`${' '.repeat(29)}~`);
  });

  test('when the span is longer than the window, then the underline runs to the cut', () => {
    const line = 'x'.repeat(20) + 'y'.repeat(500);
    const [source, marks] = excerptOf(line, 21, 521);

    expect(source).toBe(`...${'x'.repeat(10)}${'y'.repeat(110)}...`);
    expect(marks).toBe(`${' '.repeat(13)}${'~'.repeat(110)}`);
  });

  test('when one diagnostic is on a 100,000-character line, then its rendering stays under 1 KB', () => {
    const name = 'n'.repeat(100_000);
    const line = `rule r = ${name} and true`;
    const text = renderText(
      [
        diagnostic(spanOf(1, 10, 1, 10 + name.length), {
          message: `unknown rule \`${name}\``,
          help: `did you mean \`${name}x\``,
        }),
      ],
      () => line,
    );

    expect(text.length).toBeLessThan(1024);
    expect(text).toContain('~'.repeat(110));
  });

  test('when lines end in `\\r\\n` or a lone `\\r`, then the right line is shown without the `\\r`', () => {
    const text = renderText([diagnostic(spanOf(3, 1, 3, 5))], () => 'one\r\ntwo\rcabb\r\nfour');

    expect(text.split('\n')[3]).toBe('3 | cabb');
  });
});

describe('toJson and summarize', () => {
  test('when a diagnostic becomes JSON, then positions are flat and help is kept', () => {
    expect(toJson(diagnostic(spanOf(4, 17, 4, 21), { help: 'did you mean `cab`' }))).toEqual({
      file: 'policies/p.charter',
      line: 4,
      col: 17,
      endLine: 4,
      endCol: 21,
      code: 'CH3001',
      severity: 'error',
      message: 'unknown role `cabb`',
      help: 'did you mean `cab`',
    });
  });

  test('when there are errors and warnings, then the summary counts each', () => {
    const warning = diagnostic(spanOf(1, 1, 1, 2), { severity: 'warning' });
    const error = diagnostic(spanOf(1, 1, 1, 2));

    expect(summarize([error, error, warning], 3)).toBe('2 errors and 1 warning in 3 files');
    expect(summarize([], 1)).toBe('no problems in 1 file');
  });
});
