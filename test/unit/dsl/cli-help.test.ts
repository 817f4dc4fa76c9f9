// `--help` and usage errors, for every command of both CLIs and through the executable: asked-for
// help goes to stdout with exit 0, whatever else is on the line; a wrong command line goes to
// stderr with exit 2, naming what was wrong and pointing at the command's help.
import { spawnSync } from 'node:child_process';
import { runClient } from '../../../api/cli/main.js';
import { CLIENT_SPECS } from '../../../api/cli/command-specs.js';
import { LANGUAGE_COMMANDS } from '../../../dsl/cli/command-specs.js';
import { charter } from './cli-support.js';

const LANGUAGE = LANGUAGE_COMMANDS.map((c) => c.name);

async function client(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  // No API answers at this address: help and usage errors must not need one.
  const env = { CHARTER_API: 'http://127.0.0.1:9', CHARTER_TOKEN: 'chr_unused' };
  const code = await runClient(argv, { out: (t) => (out += t), err: (t) => (err += t), env });
  return { code, out, err };
}

describe('language command help', () => {
  test.each(LANGUAGE)(
    'when `charter %s --help` is run, then its own usage is on stdout with exit 0',
    (name) => {
      const result = charter(name, '--help');

      expect(result.code).toBe(0);
      expect(result.err).toBe('');
      expect(result.out).toMatch(new RegExp(`^usage: charter ${name}\\b`));
      expect(result.out).toContain('-h, --help');
      expect(charter(name, '-h')).toEqual(result);
      expect(charter('help', name)).toEqual(result);
    },
  );

  test('when `charter simulate --help` is run with nothing else, then it is help, not a missing file', () => {
    const { code, out } = charter('simulate', '--help');

    expect(code).toBe(0);
    for (const option of [
      '--process P',
      '--input in.json',
      '--events',
      '--world',
      '--start',
      '--as',
      '--timezone',
    ]) {
      expect(out).toContain(option);
    }
  });

  test('when `--help` comes after other arguments, even wrong ones, then help still wins', () => {
    expect(charter('check', '--colour', 'x.charter', '--help')).toMatchObject({ code: 0, err: '' });
  });

  test('when `--help` comes after `--`, then it is a file name, not a request for help', () => {
    expect(charter('check', '--', '--help')).toMatchObject({
      code: 2,
      err: expect.stringContaining('no such file or directory: --help') as string,
    });
  });

  test.each([['--help'], ['-h'], ['help']])(
    'when `charter %s` is run, then the command list is on stdout',
    (arg) => {
      const result = charter(arg);

      expect(result).toMatchObject({ code: 0, err: '' });
      for (const name of LANGUAGE) expect(result.out).toContain(`\n  ${name} `);
    },
  );

  test('when `charter` is run with no command, then the command list is on stderr with exit 2', () => {
    const result = charter();

    expect(result).toMatchObject({ code: 2, out: '' });
    expect(result.err).toContain('charter: name a command');
  });
});

describe('language usage errors', () => {
  test.each([
    [['simulate', '--frobnicate', 'x.charter'], 'simulate', 'unknown option `--frobnicate`'],
    [['check', '--fromat', 'json', '.'], 'check', 'unknown option `--fromat` (did you mean `--format`?)'],
    [['compile', 'a.charter', '-o'], 'compile', '`--output` needs a value'],
    [['fmt', '--check=yes', '.'], 'fmt', '`--check` takes no value'],
    [['test', '--min-coverage', 'most'], 'test', '--min-coverage takes a percentage, not most'],
    [['worker', 'now'], 'worker', 'takes nothing or --config FILE, got: now'],
    [['serve', 'now'], 'serve', 'takes nothing or --config FILE, got: now'],
  ])(
    'when called as `charter %j`, then stderr names the mistake, the usage and the help',
    (args, name, message) => {
      const result = charter(...args);

      const [first, usage, see, end] = result.err.split('\n');

      expect(result).toMatchObject({ code: 2, out: '' });
      expect(first).toBe(`charter ${name}: ${message}`);
      expect(usage).toMatch(new RegExp(`^usage: charter ${name}\\b`));
      expect(see).toBe(`see \`charter ${name} --help\` for its options`);
      expect(end).toBe('');
    },
  );

  test('when the command is unknown, then a close one is suggested, API commands included', () => {
    const result = charter('publsh');

    expect(result).toMatchObject({ code: 2, out: '' });
    expect(result.err).toContain('unknown command `publsh`');
    expect(result.err).toContain('see `charter --help`');
    expect(charter('chek').err).toContain('(did you mean `check`?)');
  });
});

describe('API command help', () => {
  test.each(CLIENT_SPECS.map((c) => c.name))(
    'when `charter %s --help` is run, then its usage and options are on stdout',
    async (name) => {
      const result = await client(...name.split(' '), '--help');

      expect(result).toMatchObject({ code: 0, err: '' });
      expect(result.out).toMatch(new RegExp(`^usage: charter ${name}\\b`));
      expect(result.out).toContain('--idempotency-key K');
    },
  );

  test('when `charter audit --help` is run, then the three audit commands are named', async () => {
    const { code, out } = await client('audit', '--help');

    expect(code).toBe(0);
    expect(out).toContain('`audit query`');
    expect(out).toContain('`audit export`');
    expect(out).toContain('`audit verify`');
  });

  test('when an API command has an unknown option, then exit 2 names it and points at the help, with no request made', async () => {
    const result = await client('approve', 'task-1', '--reasn', 'ok');

    expect(result).toEqual({
      code: 2,
      out: '',
      err:
        'charter approve: unknown option `--reasn` (did you mean `--reason`?)\n' +
        'usage: charter approve <task-id> [--reason R] [--on-behalf-of P]\n' +
        'see `charter approve --help` for its options\n',
    });
  });

  test('when a message already names its command, then it is not named twice', async () => {
    const { code, err } = await client('reject', 'task-1');

    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe(
      'charter: reject needs --reason: the requester and the auditors are told why',
    );
  });
});

describe('the charter executable', () => {
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, ['scripts/charter.js', ...args], { encoding: 'utf8' });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };

  test('when run with --help, then language, API and database commands are listed on stdout', () => {
    const result = run('--help');

    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('language commands:');
    expect(result.out).toContain('API commands');
    expect(result.out).toContain('database commands');
  });

  test('when run as `help publish` and `worker --help`, then the right part answers without starting anything', () => {
    expect(run('help', 'publish')).toMatchObject({
      code: 0,
      err: '',
      out: expect.stringMatching(/^usage: charter publish/) as string,
    });
    expect(run('worker', '--help')).toMatchObject({
      code: 0,
      err: '',
      out: expect.stringMatching(/^usage: charter worker/) as string,
    });
  });

  test('when run with no command, then the list goes to stderr with exit 2', () => {
    const result = run();

    expect(result).toMatchObject({ code: 2, out: '' });
    expect(result.err).toContain('charter: name a command');
  });
});
