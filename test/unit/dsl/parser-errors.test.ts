// Syntax errors (CH1xxx): the message, the help and the exact text each one underlines, and that
// recovery keeps one mistake to one diagnostic while the rest of the file is still built.
import { parse } from '../../../dsl/parse/index.js';

interface Seen {
  code: string;
  message: string;
  text: string;
  at: string;
  help?: string;
}

/** Diagnostics as code, message, underlined text, `line:col` and help. */
function diagnose(text: string): Seen[] {
  return parse(text, 'broken.charter').diagnostics.map((d) => ({
    code: d.code,
    message: d.message,
    text: text.slice(d.span.offset, d.span.end),
    at: `${d.span.line}:${d.span.col}`,
    ...(d.help === undefined ? {} : { help: d.help }),
  }));
}

describe('lexing errors', () => {
  test('when a character is not part of the language, then CH1001 underlines it', () => {
    expect(diagnose('rule r = a\n  @ b')).toEqual([
      { code: 'CH1001', message: 'unexpected character `@`', text: '@', at: '2:3' },
      expect.objectContaining({ code: 'CH1005', text: 'b' }),
    ]);
  });

  test('when a statement ends in `;`, then CH1001 says steps need none', () => {
    expect(diagnose('process p {\n  end approved;\n}')).toEqual([
      {
        code: 'CH1001',
        message: 'unexpected character `;`',
        text: ';',
        at: '2:15',
        help: 'clauses and steps end without `;`',
      },
    ]);
  });

  test('when a string is not closed, then CH1002 underlines it to the end of the line', () => {
    expect(diagnose('rule r = "abc\nrule s = true')).toEqual([
      {
        code: 'CH1002',
        message: 'this string has no closing `"`',
        text: '"abc',
        at: '1:10',
        help: 'strings end on the line they start; close it with `"`',
      },
    ]);
  });
});

describe('parse errors', () => {
  test('when an approval block is not closed, then the error names the block and the next declaration', () => {
    const text = 'process p {\n  approve a {\n    by cab\n\nprocess q { }';

    expect(diagnose(text)).toEqual([
      {
        code: 'CH1003',
        message: 'expected `}` to close the `approve` block, found `process`',
        text: 'process',
        at: '5:1',
      },
    ]);
  });

  test('when a block is not closed, then the partial declaration and the next one are both built', () => {
    const { ast } = parse('process p {\n  approve a {\n    by cab\n\nprocess q { }', 'broken.charter');

    expect(ast.declarations.map((d) => d.name.name)).toEqual(['p', 'q']);
    expect(ast.declarations[0]).toMatchObject({ steps: [{ kind: 'approve', by: [{ kind: 'role' }] }] });
  });

  test('when a block is not closed at the end of the file, then the error points at the end', () => {
    const text = 'process p {\n  end approved\n';

    expect(diagnose(text)).toEqual([
      {
        code: 'CH1003',
        message: 'expected `}` to close the `process` block, found end of file',
        text: '',
        at: '3:1',
      },
    ]);
  });

  test('when a block is not opened, then recovery running into the end of input is not reported again', () => {
    expect(diagnose('process p {\n  if request.x > 5\n    end approved\n}')).toEqual([
      {
        code: 'CH1003',
        message: 'expected `{` to open a block after `5`, found `end`',
        text: 'end',
        at: '3:5',
      },
    ]);
  });

  test('when a long string is found instead of a symbol, then the message shortens it', () => {
    const [diagnostic] = diagnose(`process p { notify cab "${'x'.repeat(50)}" }`);

    expect(diagnostic?.message).toBe(
      `expected \`:\` after \`cab\`, found the string \`"${'x'.repeat(28)}...\``,
    );
    expect(diagnostic?.text).toBe(`"${'x'.repeat(50)}"`);
  });

  test('when a required keyword is missing, then CH1003 names it and what came before', () => {
    expect(diagnose('policy "x" 3 effective 2026-01-01')).toEqual([
      {
        code: 'CH1003',
        message: 'expected `version` after the string `"x"`, found `3`',
        text: '3',
        at: '1:12',
      },
    ]);
  });

  test('when no form fits after `check x:`, then CH1004 lists the forms', () => {
    expect(diagnose('process p { check x: verify a }')).toEqual([
      {
        code: 'CH1004',
        message: 'expected `require`, `external` or `attest` after `:`, found `verify`',
        text: 'verify',
        at: '1:22',
      },
    ]);
  });

  test('when `allow` is followed by something else, then CH1004 lists what may follow it', () => {
    expect(diagnose('process p { approve a { by cab allow everything } }')).toEqual([
      expect.objectContaining({
        code: 'CH1004',
        message: 'expected `delegation` or `changes` after `allow`, found `everything`',
        text: 'everything',
      }),
    ]);
  });

  test('when a value is missing, then the error says a value was expected after the operator', () => {
    expect(diagnose('rule r = a and')).toEqual([
      { code: 'CH1004', message: 'expected a value after `and`, found end of file', text: '', at: '1:15' },
    ]);
  });

  test('when a parenthesis is not closed, then the error says which bracket', () => {
    expect(diagnose('rule r = ((a)\nrule s = b')).toEqual([
      { code: 'CH1003', message: 'expected `)` to close `(`, found `rule`', text: 'rule', at: '2:1' },
    ]);
  });

  test('when a declaration has text after its end, then CH1005 underlines the first extra token', () => {
    expect(diagnose('role cab = group "a" "b"')).toEqual([
      {
        code: 'CH1005',
        message: 'unexpected `"b"` after the end of the declaration',
        text: '"b"',
        at: '1:22',
      },
    ]);
  });
});

describe('junk where an item should start', () => {
  test('when a step starts with an unknown word, then one CH1005 covers the skipped step', () => {
    const text = 'process p {\n  request x { by cab }\n  end approved\n}';
    const { ast, diagnostics } = parse(text, 'junk.charter');

    expect(diagnose(text)).toEqual([
      {
        code: 'CH1005',
        message: 'expected a step, found `request`',
        text: 'request x { by cab }',
        at: '2:3',
      },
    ]);
    expect(diagnostics).toHaveLength(1);
    const process = ast.declarations[0];
    expect(process?.kind === 'process' && process.steps.map((s) => s.kind)).toEqual(['end']);
  });

  test('when an approval clause is unknown, then the other clauses are still built', () => {
    const text = 'process p { approve a { by cab soon 2 days on timeout reject } }';
    const { ast } = parse(text, 'junk.charter');

    expect(diagnose(text)).toEqual([
      {
        code: 'CH1005',
        message: 'expected an approval clause such as `by`, `within` or `on timeout`, found `soon`',
        text: 'soon 2 days',
        at: '1:32',
      },
    ]);
    const process = ast.declarations[0];
    const approve = process?.kind === 'process' ? process.steps[0] : undefined;
    expect(approve).toMatchObject({ kind: 'approve', by: [{ kind: 'role' }], onTimeout: { kind: 'reject' } });
  });

  test('when two separate runs of junk are in one block, then each gets its own diagnostic', () => {
    const codes = diagnose('process p { foo end approved bar }').map((d) => [d.code, d.text]);

    expect(codes).toEqual([
      ['CH1005', 'foo'],
      ['CH1005', 'bar'],
    ]);
  });

  test('when a calendar line is unknown, then one CH1005 covers the line', () => {
    expect(diagnose('calendar c { zone "UTC" }')).toEqual([
      expect.objectContaining({ code: 'CH1005', text: 'zone "UTC"' }),
    ]);
  });

  test('when text comes before any declaration, then the whole run is one CH1005', () => {
    expect(diagnose('procedure p { }\nrule r = true')).toEqual([
      {
        code: 'CH1005',
        message:
          'expected a declaration (`policy`, `library`, `use`, `calendar`, `role`, `rule`, `process` or `monitor`), found `procedure`',
        text: 'procedure p { }',
        at: '1:1',
      },
    ]);
  });

  test('when an input block has punctuation instead of a field, then it is reported as junk', () => {
    expect(diagnose('process p { input { ; a: text } }').map((d) => d.code)).toEqual(['CH1001']);
    expect(diagnose('process p { input { 42 a: text } }')).toEqual([
      expect.objectContaining({
        code: 'CH1005',
        message: 'expected a field such as `title: text`, found `42`',
        text: '42',
      }),
    ]);
  });
});

describe('limits', () => {
  test('when blocks nest past the limit, then one CH1006 points at the first opener past it', () => {
    const text = `process p { ${'if x { '.repeat(70)}${'}'.repeat(70)} }`;
    const diagnostics = parse(text, 'deep.charter').diagnostics;

    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'CH1006',
      message: 'blocks and brackets nest more than 64 levels deep',
    });
    // The process brace is level 1, so the 64th `if` brace is level 65.
    expect(diagnostics[0]!.span.offset).toBe(text.indexOf('{', 12 + 63 * 'if x { '.length));
  });

  test('when one declaration is too deep, then the others are still built', () => {
    const text = `rule deep = ${'('.repeat(65)}a${')'.repeat(65)}\nrule ok = true`;
    const { ast, diagnostics } = parse(text, 'deep.charter');

    expect(diagnostics.map((d) => d.code)).toEqual(['CH1006']);
    // The deep rule keeps only its name (a stand-in the checker never reports on), so that its
    // uses are not unknown rules on top of CH1006.
    expect(ast.declarations.map((d) => d.name.name)).toEqual(['deep', 'ok']);
  });

  test('when an expression has more than 1,000 operators, then one CH1007 points at the 1,001st', () => {
    const text = `rule r = a${' + a'.repeat(1200)}`;
    const diagnostics = parse(text, 'long.charter').diagnostics;

    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'CH1007',
      message: 'this expression has more than 1,000 operators',
      help: 'split it into named rules; the rest of the expression is ignored',
    });
    expect(diagnostics[0]!.span.offset).toBe('rule r = a'.length + 1000 * ' + a'.length + 1);
  });

  test('when an expression has exactly 1,000 operators, then it is accepted', () => {
    expect(parse(`rule r = a${' and a'.repeat(1000)}`, 'long.charter').diagnostics).toEqual([]);
  });
});

describe('message templates', () => {
  const notify = (message: string): Seen[] => diagnose(`process p { notify cab: "${message}" }`);

  test('when a hole is never closed, then CH1008 underlines its `{`', () => {
    expect(notify('hello {name')).toEqual([
      {
        code: 'CH1008',
        message: 'this `{` in a message is never closed',
        text: '{',
        at: '1:32',
        help: 'close the inserted value with `}`, or write `{{` for a literal brace',
      },
    ]);
  });

  test('when a `}` closes nothing, then CH1009 underlines it', () => {
    expect(notify('a } b')).toEqual([
      {
        code: 'CH1009',
        message: 'unmatched `}` in a message',
        text: '}',
        at: '1:28',
        help: 'write `}}` for a literal brace',
      },
    ]);
  });

  test('when a hole is empty, then CH1010 underlines the braces', () => {
    expect(notify('a { } b')).toEqual([
      expect.objectContaining({
        code: 'CH1010',
        message: 'empty `{}` in a message',
        text: '{ }',
        at: '1:28',
      }),
    ]);
  });

  test('when a hole has a syntax error, then it points at the right column inside the string', () => {
    expect(notify('hi {request.}')).toEqual([
      { code: 'CH1003', message: 'expected a name after `.`, found `}`', text: '}', at: '1:38' },
    ]);
  });

  test('when a hole has an unexpected character, then CH1001 points at it inside the string', () => {
    expect(notify('hi {a @ b}')).toEqual([
      { code: 'CH1001', message: 'unexpected character `@`', text: '@', at: '1:32' },
      expect.objectContaining({ code: 'CH1005', text: 'b', at: '1:34' }),
    ]);
  });
});
