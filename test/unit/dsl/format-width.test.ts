// Line breaking at the 100-column width, construct by construct, with the full expected output.
// Each boundary is tested from both sides: a line of exactly 100 columns stays whole, one of 101
// breaks. Every case is also checked to re-parse to the same tree and to format to itself.
import { formatted, parseClean, withoutSpans } from './format-support.js';

const HEADER = 'policy "p" version 1 effective 2026-01-01\n\n';
const policy = (body: string): string => `${HEADER}process p {\n${body}\n}\n`;

/** The formatted text, after checking that it means the same as `input` and is a fixed point. */
function sound(input: string): string {
  const output = formatted(input);
  expect(withoutSpans(parseClean(output))).toEqual(withoutSpans(parseClean(input)));
  expect(formatted(output)).toBe(output);
  return output;
}

/** `make(filler)` with the filler (`x`s) sized so the result is exactly `width` characters long. */
function sized(width: number, make: (filler: string) => string): string {
  const text = make('x'.repeat(width - make('').length));
  expect(text).toHaveLength(width);
  return text;
}

describe('format width: rules', () => {
  test('when a rule and its reason are short, then `because` still goes on the next line, indented 2', () => {
    expect(sound('rule r = request.a because "why"\n')).toBe('rule r = request.a\n  because "why"\n');
  });

  test('when `rule <name> = <condition>` is exactly 100 columns, then it stays on one line', () => {
    const first = sized(100, (f) => `rule r = request.${f} == 1`);
    expect(sound(`${first} because "why"\n`)).toBe(`${first}\n  because "why"\n`);
  });

  test('when `rule <name> = <condition>` is 101 columns, then the condition moves under `=`, indented 2', () => {
    const condition = sized(92, (f) => `request.${f} == 1`);
    expect(sound(`rule r = ${condition} because "why"\n`)).toBe(
      `rule r =\n  ${condition}\n  because "why"\n`,
    );
  });

  test('when the condition under `=` is exactly 100 columns, then it stays on its line', () => {
    const condition = sized(98, (f) => `request.a == 1 or request.${f} == 2`);
    expect(sound(`rule r = ${condition}\n`)).toBe(`rule r =\n  ${condition}\n`);
  });

  test('when the condition under `=` is 101 columns, then it breaks before each `or`, indented 4', () => {
    const last = sized(68, (f) => `request.${f} == 2`);
    expect(sound(`rule r = request.a == 1 or request.b or ${last} because "why"\n`)).toBe(
      `rule r =\n  request.a == 1\n    or request.b\n    or ${last}\n  because "why"\n`,
    );
  });

  test('when a long condition is not an `and`/`or` chain, then it only moves under `=`', () => {
    const condition = sized(110, (f) => `request.${f} == 1`);
    expect(sound(`rule r = ${condition}\n`)).toBe(`rule r =\n  ${condition}\n`);
  });

  test('when `not` applies to a comparison, then the parentheses that show it are kept', () => {
    expect(sound('rule r = not (request.a in ["x"]) and not request.b\n')).toBe(
      'rule r = not (request.a in ["x"]) and not request.b\n',
    );
  });
});

describe('format width: checks', () => {
  test('when a check is exactly 100 columns, then it stays on one line', () => {
    const check = sized(100, (f) => `  check c: require request.a else "${f}" on fail continue flagged`);
    expect(sound(policy(check))).toBe(policy(check));
  });

  test('when a check is 101 columns, then `check <id>:` stands alone and each part is on its own row', () => {
    const message = sized(42, (f) => `"${f}"`);
    expect(sound(policy(`check c: require request.a else ${message} on fail continue flagged`))).toBe(
      policy(
        ['  check c:', '    require request.a', `    else ${message}`, '    on fail continue flagged'].join(
          '\n',
        ),
      ),
    );
  });

  test('when a `require` condition is too long for its row, then it breaks before each `and`, 2 deeper', () => {
    const b = sized(80, (f) => `request.${f}`);
    expect(sound(policy(`check c: require request.a and ${b} and request.c else "no"`))).toBe(
      policy(
        [
          '  check c:',
          '    require request.a',
          `      and ${b}`,
          '      and request.c',
          '    else "no"',
        ].join('\n'),
      ),
    );
  });

  test('when a waiver row is exactly 100 columns, then its `within` and `valid for` stay on it', () => {
    const waiver = sized(100, (f) => `    on fail require waiver by ${f} within 2d valid for 30d`);
    expect(sound(policy(`check c: require request.a\n${waiver}`))).toBe(
      policy(`  check c:\n    require request.a\n${waiver}`),
    );
  });

  test('when a waiver row is 101 columns, then what does not fit continues on the next row, 2 deeper', () => {
    const who = sized(47, (f) => f);
    expect(
      sound(policy(`check c: require request.a on fail require waiver by ${who} within 2d valid for 30d`)),
    ).toBe(
      policy(
        [
          '  check c:',
          '    require request.a',
          `    on fail require waiver by ${who} within 2d`,
          '      valid for 30d',
        ].join('\n'),
      ),
    );
  });

  test('when an attestation row is exactly 100 columns, then `with evidence` and `within` stay on it', () => {
    const attest = sized(100, (f) => `    attest by cab "${f}" with evidence within 2 business days`);
    expect(sound(policy(`check c: ${attest.trim()} on fail continue flagged`))).toBe(
      policy(`  check c:\n${attest}\n    on fail continue flagged`),
    );
  });

  test('when an attestation row is 101 columns, then `within` goes to the next row, 2 deeper', () => {
    const statement = sized(36, (f) => `"${f}"`);
    expect(
      sound(policy(`check c: attest by cab ${statement} with evidence within 2 business days on office`)),
    ).toBe(
      policy(
        [
          '  check c:',
          `    attest by cab ${statement} with evidence`,
          '      within 2 business days on office',
        ].join('\n'),
      ),
    );
  });

  test('when the statement itself is too long, then `with evidence` and `within` share the next row', () => {
    const statement = sized(90, (f) => `"${f}"`);
    expect(sound(policy(`check c: attest by cab ${statement} with evidence within 3d`))).toBe(
      policy(['  check c:', `    attest by cab ${statement}`, '      with evidence within 3d'].join('\n')),
    );
  });

  test('when an external check row is 101 columns, then `retry` continues on the next row', () => {
    const service = sized(69, (f) => `"${f}"`);
    expect(sound(policy(`check c: external ${service} timeout 2h retry 3 on fail continue flagged`))).toBe(
      policy(
        [
          '  check c:',
          `    external ${service} timeout 2h`,
          '      retry 3',
          '    on fail continue flagged',
        ].join('\n'),
      ),
    );
  });

  test('when a comment ends the `check <id>:` line, then it stays there and the check stays broken', () => {
    const input = policy('  check c: # why\n    require request.a else "no"');
    expect(sound(input)).toBe(policy('  check c: # why\n    require request.a\n    else "no"'));
  });
});

describe('format width: notify and reallocate', () => {
  test('when a notify is exactly 100 columns, then it stays on one line', () => {
    const step = sized(100, (f) => `  notify n: request.owner, cab: "${f}"`);
    expect(sound(policy(step))).toBe(policy(step));
  });

  test('when a notify is 101 columns, then the message goes on the next line, indented 2 more', () => {
    const message = sized(69, (f) => `"${f}"`);
    expect(sound(policy(`notify n: request.owner, cab: ${message}`))).toBe(
      policy(`  notify n: request.owner, cab:\n    ${message}`),
    );
  });

  test('when a reallocation is exactly 100 columns, then it stays on one line', () => {
    const step = sized(
      100,
      (f) => `  reallocate 8 hours of skill "${f}" from pool "ops" to project request.p for 2w priority high`,
    );
    expect(sound(policy(step))).toBe(policy(step));
  });

  test('when a reallocation is 101 columns, then it breaks before `to project` and `for`, 2 deeper', () => {
    const step = sized(
      101,
      (f) => `  reallocate 8 hours of skill "${f}" from pool "ops" to project request.p for 2w priority high`,
    );
    const [first, rest] = step.split(' to project ');
    expect(sound(policy(step))).toBe(
      policy(`${first!}\n    to project ${rest!.replace(' for ', '\n    for ')}`),
    );
  });
});

describe('format width: if chains', () => {
  test('when an `if` line is exactly 100 columns, then it stays on one line', () => {
    const head = sized(100, (f) => `  if request.a and request.${f} {`);
    expect(sound(policy(`${head}\n    wait 1d\n  }`))).toBe(policy(`${head}\n    wait 1d\n  }`));
  });

  test('when `if` and `else if` conditions are too long, then they break before each `and`/`or`, 4 deeper', () => {
    const b = sized(80, (f) => `request.${f}`);
    const input = policy(`if request.a and ${b} { wait 1d } else if request.c or ${b} { wait 2d }`);
    expect(sound(input)).toBe(
      policy(
        [
          '  if request.a',
          `      and ${b} {`,
          '    wait 1d',
          '  } else if request.c',
          `      or ${b} {`,
          '    wait 2d',
          '  }',
        ].join('\n'),
      ),
    );
  });

  test('when an empty `if` has a long condition, then its `{}` ends the last row', () => {
    const b = sized(90, (f) => `request.${f}`);
    expect(sound(policy(`if request.a and ${b} { }`))).toBe(policy(`  if request.a\n      and ${b} {}`));
  });
});

describe('format width: calendars', () => {
  const dates = (from: number, count: number): string[] =>
    Array.from({ length: count }, (_, i) => `2026-01-${String(from + i).padStart(2, '0')}`);
  const calendar = (line: string): string => `calendar c {\n  timezone "UTC"\n${line}\n}\n`;

  // Dates are all 10 columns, so no `holidays` line is exactly 100 wide: seven dates make 93
  // columns, eight make 105. The rows of a broken list hold seven dates, then eight (99 columns).
  test('when a `holidays` line holds as many dates as fit (93 columns), then it stays on one line', () => {
    const line = `  holidays ${dates(1, 7).join(', ')}`;
    expect(line).toHaveLength(93);
    expect(sound(calendar(line))).toBe(calendar(line));
  });

  test('when a `holidays` line is one date longer (105 columns), then the last date goes to the next row', () => {
    const all = dates(1, 8);
    const expected = `  holidays ${all.slice(0, 7).join(', ')},\n    ${all[7]!}`;
    expect(sound(calendar(`  holidays ${all.join(', ')}`))).toBe(calendar(expected));
  });

  test('when a `holidays` line is too long, then it breaks after a comma and fills rows, 2 deeper', () => {
    const all = dates(1, 20);
    const expected = [
      `  holidays ${all.slice(0, 7).join(', ')},`,
      `    ${all.slice(7, 15).join(', ')},`,
      `    ${all.slice(15).join(', ')}`,
    ].join('\n');
    expect(sound(calendar(`  holidays ${all.join(', ')}`))).toBe(calendar(expected));
  });
});
