// The language commands through their real entry point (`run`) on real files in a temp folder,
// plus one run of the installed executable, as an author would type it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fmtSummary } from '../../../dsl/cli/fmt-command.js';
import { charter, useTempFolder } from './cli-support.js';

const CLEAN = `policy "Laptop purchase" version 1 effective 2026-12-01
owner "pmo@example.com"

role it_manager = group "it-managers"

process laptop_purchase {
  input {
    requester: person
    price: money EUR
  }

  approve manager_ok {
    by it_manager
    not request.requester
    within 3d
    on timeout reject "no decision within three days"
  }
}
`;

const UNKNOWN_ROLE = CLEAN.replace('by it_manager', 'by it_manger');

const temp = useTempFolder('charter-cli-');
const write = (name: string, text: string): string => temp.write(name, text);

describe('charter check', () => {
  test('when the policy is clean, then it exits 0 and says so', () => {
    write('laptop.charter', CLEAN);

    const result = charter('check', temp.dir);

    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toBe('no problems in 1 file\n');
  });

  test('when a role name has a typo, then it exits 1 with the line underlined and a suggestion', () => {
    write('laptop.charter', UNKNOWN_ROLE);

    const result = charter('check', temp.dir);

    expect(result.code).toBe(1);
    expect(result.out).toContain('`it_manger`');
    expect(result.out).toContain('13 |     by it_manger\n   |        ~~~~~~~~~');
    expect(result.out).toContain('help: did you mean `it_manager`');
  });

  test('when JSON is asked for, then each diagnostic is an object with code and position', () => {
    const file = write('laptop.charter', UNKNOWN_ROLE);

    const result = charter('check', '--format', 'json', file);
    const parsed = JSON.parse(result.out) as { diagnostics: { code: string; line: number; col: number }[] };

    expect(result.code).toBe(1);
    expect(parsed.diagnostics).toEqual([expect.objectContaining({ line: 13, col: 8 })]);
    expect(parsed.diagnostics[0]?.code).toMatch(/^CH3\d{3}$/);
  });

  test('when a file has more than 20 problems, then text shows 20 and counts the rest', () => {
    const file = write('noise.charter', '@ '.repeat(30));

    const text = charter('check', file);
    const json = JSON.parse(charter('check', '--format', 'json', file).out) as { diagnostics: unknown[] };

    expect(text.code).toBe(1);
    expect(text.out.match(/^error\[/gm)).toHaveLength(20);
    expect(text.out).toContain(`${json.diagnostics.length - 20} more in`);
    expect(json.diagnostics.length).toBeGreaterThan(20);
  });

  test.each([
    [['check'], 'name at least one file or directory'],
    [['check', '/no/such/dir'], 'no such file or directory: /no/such/dir'],
    [['check', '--format', 'xml', '.'], '--format must be text or json, not xml'],
    [['check', '--colour', '.'], 'unknown option `--colour`'],
    [['publish'], 'unknown command `publish`'],
  ])('when called as `charter %j`, then it exits 2 with a usage error', (args, message) => {
    const result = charter(...args);

    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });
});

describe('charter fmt', () => {
  const messy = CLEAN.replace('  approve manager_ok {', '      approve   manager_ok {');

  test('when --check meets an unformatted file, then it exits 1 and leaves the file alone', () => {
    const file = write('laptop.charter', messy);

    const result = charter('fmt', '--check', file);

    expect(result.code).toBe(1);
    expect(result.out).toBe(`${file}: needs formatting\n1 file needs formatting\n`);
    expect(readFileSync(file, 'utf8')).toBe(messy);
  });

  test('when formatting, then the file is rewritten and a second --check passes', () => {
    const file = write('laptop.charter', messy);

    expect(charter('fmt', file)).toEqual({ code: 0, out: `${file}: formatted\n1 file formatted\n`, err: '' });
    expect(charter('fmt', '--check', file)).toEqual({ code: 0, out: '1 file already formatted\n', err: '' });
    expect(readFileSync(file, 'utf8')).toBe(CLEAN);
  });

  test('when an already formatted file is formatted in place, then it says so and leaves it alone', () => {
    const file = write('laptop.charter', CLEAN);

    expect(charter('fmt', file)).toEqual({ code: 0, out: '1 file already formatted\n', err: '' });
    expect(readFileSync(file, 'utf8')).toBe(CLEAN);
  });

  test('when a folder mixes formatted, unformatted and broken files, then each count is named once', () => {
    write('a.charter', CLEAN);
    write('b.charter', CLEAN);
    write('c.charter', messy);
    write('d.charter', messy);
    write('e.charter', 'process p {\n');

    const checked = charter('fmt', '--check', temp.dir);
    const formatted = charter('fmt', temp.dir);
    const again = charter('fmt', '--check', temp.dir);

    expect(checked.code).toBe(1);
    expect(checked.out.split('\n').slice(-2)).toEqual([
      '2 files need formatting, 2 already formatted, 1 not formatted (syntax errors)',
      '',
    ]);
    expect(formatted.code).toBe(1);
    expect(formatted.out).toMatch(/c\.charter: formatted\n.*d\.charter: formatted\n/s);
    expect(formatted.out).toMatch(
      /\n2 files formatted, 2 already formatted, 1 not formatted \(syntax errors\)\n$/,
    );
    expect(again.out).toMatch(/\n?4 files already formatted, 1 not formatted \(syntax errors\)\n$/);
  });

  test('when the file has a syntax error, then it is not touched and the error is shown', () => {
    const broken = CLEAN.replace('process laptop_purchase {', 'process laptop_purchase');
    const file = write('laptop.charter', broken);

    const result = charter('fmt', file);

    expect(result.code).toBe(1);
    expect(result.err).toContain('not formatted (syntax errors)');
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });
});

describe('the fmt summary', () => {
  test.each([
    [1, 0, 0, false, '1 file formatted'],
    [0, 1, 0, false, '1 file already formatted'],
    [0, 3, 0, true, '3 files already formatted'],
    [1, 2, 0, true, '1 file needs formatting, 2 already formatted'],
    [2, 0, 0, true, '2 files need formatting'],
    [0, 0, 1, false, '1 file not formatted (syntax errors)'],
    [0, 2, 2, true, '2 files already formatted, 2 not formatted (syntax errors)'],
  ])(
    'when %i changed, %i unchanged and %i broken (--check %s), then it reads `%s`',
    (changed, unchanged, broken, check, expected) => {
      expect(fmtSummary({ changed, unchanged, broken }, check)).toBe(expected);
    },
  );
});

describe('charter compile', () => {
  test('when the policy is clean, then the IR and its sha256 are written to the output file', () => {
    const file = write('laptop.charter', CLEAN);
    const output = path.join(temp.dir, 'laptop.json');

    const result = charter('compile', file, '-o', output);
    const compiled = JSON.parse(readFileSync(output, 'utf8')) as {
      sha256: string;
      ir: { irVersion: number };
    };

    expect(result.code).toBe(0);
    expect(compiled.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(compiled.ir.irVersion).toBe(1);
    expect(result.err).toContain(compiled.sha256);
  });

  test('when the policy has errors, then nothing is compiled and it exits 1', () => {
    const file = write('laptop.charter', UNKNOWN_ROLE);

    const result = charter('compile', file);

    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toContain('not compiled');
  });
});

describe('charter compile on a library', () => {
  test('when the file is a library, then it is refused with CH3001 and exit 1, not a crash', () => {
    const file = write('org.charter', 'library "org"\n\nrole cab = group "cab"\n');

    const result = charter('compile', file);

    expect(result.code).toBe(1);
    expect(result.err).toContain('error[CH3001]:');
    expect(result.err).toContain('is a library: only a policy can be compiled');
    expect(result.out).toBe('');
  });
});

describe('the charter executable', () => {
  test('when run as a process on the shipped policies, then it exits 0', () => {
    const out = execFileSync(process.execPath, ['scripts/charter.js', 'check', 'policies'], {
      encoding: 'utf8',
    });

    expect(out).toMatch(/^no problems in \d+ files\n$/m);
  });
});
