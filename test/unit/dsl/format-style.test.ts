// The canonical style, rule by rule, on small inputs whose expected output is written out in full.
import { formatted, parseClean, withoutSpans } from './format-support.js';

const policy = (body: string): string =>
  `policy "p" version 1 effective 2026-01-01\n\nprocess p {\n${body}\n}\n`;

describe('format style', () => {
  test('when approval clauses come in any order, then they are printed one per line in the fixed order', () => {
    const input = policy(
      'approve a { allow changes allow delegation on timeout fail escalate after 1d to x ' +
        'escalate after 2d to y remind every 4h within 2d distinct from s not z any reject rejects ' +
        'majority by x }',
    );
    expect(formatted(input)).toBe(
      policy(
        [
          '  approve a {',
          '    by x',
          '    majority',
          '    any reject rejects',
          '    not z',
          '    distinct from s',
          '    within 2d',
          '    remind every 4h',
          '    escalate after 1d to x',
          '    escalate after 2d to y',
          '    on timeout fail',
          '    allow delegation',
          '    allow changes',
          '  }',
        ].join('\n'),
      ),
    );
  });

  test('when a clause that accumulates is written twice, then both stay, each on its own line', () => {
    const output = formatted(policy('approve a { not x, y by z not w }'));
    expect(output).toContain('    by z\n    not x, y\n    not w\n');
  });

  test('when numbers are written with separators and decimals, then they are printed as written', () => {
    const output = formatted(
      'rule r = request.a > 50_000 EUR and request.b == 1_000.250 and request.c < 12.5%\n',
    );
    expect(output).toBe('rule r = request.a > 50_000 EUR and request.b == 1_000.250 and request.c < 12.5%\n');
  });

  test('when durations are written in letters or in words, then the author’s form stays, spacing aside', () => {
    const output = formatted(
      'rule r = request.a < 48h and request.b < 2   business\n days and request.c < 1 week\n',
    );
    expect(output).toBe('rule r = request.a < 48h and request.b < 2 business days and request.c < 1 week\n');
  });

  test('when clause durations name calendars, then `on <calendar>` follows each duration and the text round-trips', () => {
    const input = policy(
      'approve a { remind every 4  business hours\n on plant within 2 business days   on office by x }\n' +
        '  wait 1 business day on   office\n' +
        '  check c: require true on fail require waiver by x within 3 business days on plant valid for 30d',
    );
    const output = formatted(input);
    expect(output).toBe(
      policy(
        [
          '  approve a {',
          '    by x',
          '    within 2 business days on office',
          '    remind every 4 business hours on plant',
          '  }',
          '  wait 1 business day on office',
          '  check c: require true on fail require waiver by x within 3 business days on plant valid for 30d',
        ].join('\n'),
      ),
    );
    expect(formatted(output)).toBe(output);
    expect(withoutSpans(parseClean(output))).toEqual(withoutSpans(parseClean(input)));
  });

  test('when strings hold quotes, backslashes and braces, then they are re-escaped so they mean the same', () => {
    const input = policy(
      'notify x: "say \\"hi\\" \\\\ {{literal}} {request.name}"\n  end approved "a \\"b\\""',
    );
    const output = formatted(input);
    expect(output).toContain('notify x: "say \\"hi\\" \\\\ {{literal}} {request.name}"');
    expect(withoutSpans(parseClean(output))).toEqual(withoutSpans(parseClean(input)));
  });

  test('when parentheses are redundant, then they go; when they group, then they stay', () => {
    const output = formatted(
      'rule r = ((request.a)) and (request.b or request.c) and (request.d - (request.e - 1)) > 0\n',
    );
    expect(output).toBe(
      'rule r = request.a and (request.b or request.c) and request.d - (request.e - 1) > 0\n',
    );
  });

  test('when a check fits in the width, then it stays on one line', () => {
    const output = formatted(policy('check c: require request.a\n else "no"\n on fail continue flagged'));
    expect(output).toContain('  check c: require request.a else "no" on fail continue flagged\n');
  });

  test('when a check is too long, then `check <id>:` stands alone and each part gets a row, 2 deeper', () => {
    const condition = 'request.first_condition_is_long == "yes" and request.second == "no"';
    const output = formatted(policy(`check c: require ${condition} else "explain" on fail stop cancelled`));
    expect(output).toContain(
      `  check c:\n    require ${condition}\n    else "explain"\n    on fail stop cancelled\n`,
    );
  });

  test('when a condition alone is too long, then it breaks before each `and` of its outer chain', () => {
    const output = formatted(
      policy(
        'check c: require request.first_condition_is_long == "yes" and (request.b or request.c) ' +
          'and request.third_condition_is_even_longer == "no" else "explain"',
      ),
    );
    expect(output).toContain(
      '  check c:\n' +
        '    require request.first_condition_is_long == "yes"\n' +
        '      and (request.b or request.c)\n' +
        '      and request.third_condition_is_even_longer == "no"\n' +
        '    else "explain"\n',
    );
  });

  test('when a rule is too long and its outer operator is `or`, then it breaks after `=` and before each `or`', () => {
    const long = 'request.some_long_field_name == "a value"';
    const output = formatted(`rule r = ${long} and ${long} or ${long} or (${long} or ${long}) # why\n`);
    expect(output).toBe(
      `rule r =\n  ${long} and ${long}\n    or ${long}\n    or (${long} or ${long}) # why\n`,
    );
  });

  test('when a reallocation is too long, then it breaks before `to project` and before `for`', () => {
    const output = formatted(
      policy(
        'reallocate r: 40 hours of skill "database-administration" from pool "shared-services" to project request.p for 2w',
      ),
    );
    expect(output).toContain(
      '  reallocate r: 40 hours of skill "database-administration" from pool "shared-services"\n' +
        '    to project request.p\n' +
        '    for 2w\n',
    );
  });

  test('when declarations are crammed together, then each is separated by exactly one empty line', () => {
    const input =
      'policy "p" version 1 effective 2026-01-01 owner "o" use "a" use "b" rule x = true rule y = false\n\n\n\nrule z = true';
    expect(formatted(input)).toBe(
      'policy "p" version 1 effective 2026-01-01\nowner "o"\n\nuse "a"\nuse "b"\n\nrule x = true\n\nrule y = false\n\nrule z = true\n',
    );
  });

  test('when roles are written as a table, then they stay together; an empty line between them stays too', () => {
    const input = 'role a = group "a"\nrole b = group "b"\n\n\nrole c = group "c"\nrule r = true\n';
    expect(formatted(input)).toBe(
      'role a = group "a"\nrole b = group "b"\n\nrole c = group "c"\n\nrule r = true\n',
    );
  });

  test('when steps are separated by several empty lines, then at most one remains, and none after `{`', () => {
    const input = policy('\n\n  wait 1d\n\n\n\n  wait 2d\n  wait 3d\n\n');
    expect(formatted(input)).toBe(policy('  wait 1d\n\n  wait 2d\n  wait 3d'));
  });

  test('when input fields share a line, then each gets its own line', () => {
    const output = formatted(policy('input { a: text b: number = 5 c: money optional d: "x" | "y" }'));
    expect(output).toContain(
      '  input {\n    a: text\n    b: number = 5\n    c: money optional\n    d: "x" | "y"\n  }\n',
    );
  });

  test('when a parallel mixes single steps and named branches, then single steps print bare', () => {
    const output = formatted(
      policy('parallel on failure finish others { wait 1d branch b { wait 2d wait 3d } }'),
    );
    expect(output).toContain(
      '  parallel on failure finish others {\n    wait 1d\n    branch b {\n      wait 2d\n      wait 3d\n    }\n  }\n',
    );
  });

  test('when the input has Windows line endings, then the output is the same as with Unix ones', () => {
    const unix = 'rule r = true # why\n\n# alone\nrule s = false\n';
    expect(formatted(unix.replace(/\n/g, '\r\n'))).toBe(formatted(unix));
  });
});
