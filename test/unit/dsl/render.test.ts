import type { Span } from '../../../dsl/ast.js';
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
        '  --> policies/p.charter:4:17',
        '  |',
        '4 |     approve x { by cabb }',
        '  |                    ~~~~',
        '   = help: did you mean `cab`',
        '   = note: `cab` is declared here: policies/p.charter:1:6',
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
      'error[CH3001]: unknown role `cabb`\n  --> policies/p.charter:1:1\n',
    );
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
