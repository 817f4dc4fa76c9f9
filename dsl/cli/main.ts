// The `charter` command line: argument parsing and dispatch. Commands live in their own modules.
import { parseArgs } from 'node:util';
import { checkCommand, compileCommand, EXIT_USAGE, fmtCommand, type Output } from './language-commands.js';
import { UsageError } from './files.js';
import { simulateCommand } from './simulate-command.js';
import { testCommand } from './test-command.js';

const USAGE = `usage: charter <command> [options]

commands:
  check <files|dirs>... [--format text|json]   check policies; exit 0 clean, 1 errors, 2 usage
  fmt [--check] <files|dirs>...                 format policies in place (--check: only report)
  compile <file> [-o out.json]                  compile a policy to IR (JSON with its sha256)
  simulate <file> --process P --input in.json   run one instance on a virtual clock and print its timeline
      [--events ev.json] [--world w.json] [--start "2026-12-07 09:00"] [--as person]
      [--timezone Europe/Berlin] [--format text|json]
  worker                                        run the Temporal worker (TEMPORAL_ADDRESS, MONGODB_URI,
                                                CHARTER_DATABASE, CHARTER_TASK_QUEUE, CHARTER_CHECK_SERVICES)
  test [paths]... [--min-coverage N]            run policy tests (x.test.json next to x.charter),
      [--filter text] [--format text|json]        report step and branch coverage (default: policies/)
`;

export function run(argv: readonly string[], io: Output): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check': {
        const { values, positionals } = parseArgs({
          args: rest,
          options: { format: { type: 'string', default: 'text' } },
          allowPositionals: true,
        });
        return checkCommand(requirePaths(positionals), { json: formatIsJson(values.format) }, io);
      }
      case 'fmt': {
        const { values, positionals } = parseArgs({
          args: rest,
          options: { check: { type: 'boolean', default: false } },
          allowPositionals: true,
        });
        return fmtCommand(requirePaths(positionals), { check: values.check }, io);
      }
      case 'compile': {
        const { values, positionals } = parseArgs({
          args: rest,
          options: { output: { type: 'string', short: 'o' } },
          allowPositionals: true,
        });
        if (positionals.length !== 1) throw new UsageError('compile takes exactly one file');
        return compileCommand(positionals[0] as string, { output: values.output }, io);
      }
      case 'simulate': {
        const { values, positionals } = parseArgs({
          args: rest,
          options: {
            process: { type: 'string' },
            input: { type: 'string' },
            events: { type: 'string' },
            world: { type: 'string' },
            start: { type: 'string' },
            as: { type: 'string' },
            timezone: { type: 'string' },
            format: { type: 'string', default: 'text' },
          },
          allowPositionals: true,
        });
        if (positionals.length !== 1) throw new UsageError('simulate takes exactly one policy file');
        const { format, ...given } = values;
        return simulateCommand(positionals[0] as string, { ...given, json: formatIsJson(format) }, io);
      }
      case 'test': {
        const { values, positionals } = parseArgs({
          args: rest,
          options: {
            'min-coverage': { type: 'string' },
            filter: { type: 'string' },
            format: { type: 'string', default: 'text' },
          },
          allowPositionals: true,
        });
        const min = values['min-coverage'];
        if (min !== undefined && !/^\d+(\.\d+)?$/.test(min)) {
          throw new UsageError(`--min-coverage takes a percentage, not ${min}`);
        }
        const paths = positionals.length === 0 ? ['policies'] : positionals;
        return testCommand(
          paths,
          {
            json: formatIsJson(values.format),
            minCoverage: min === undefined ? null : Number(min),
            filter: values.filter ?? null,
          },
          io,
        );
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? EXIT_USAGE : 0;
      default:
        throw new UsageError(`unknown command \`${command}\``);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`charter: ${(error as Error).message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

function formatIsJson(format: string | undefined): boolean {
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`--format must be text or json, not ${format}`);
  return format === 'json';
}

function requirePaths(positionals: string[]): string[] {
  if (positionals.length === 0) throw new UsageError('name at least one file or directory');
  return positionals;
}

// Checked by code, not class: errors from Node's parseArgs may come from another realm.
function isParseArgsError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    String(error.code).startsWith('ERR_PARSE_ARGS')
  );
}
