// The `charter` command line: argument parsing and dispatch. Commands live in their own modules.
import { parseArgs } from 'node:util';
import { checkCommand, compileCommand, EXIT_USAGE, fmtCommand, type Output } from './language-commands.js';
import { UsageError } from './files.js';

const USAGE = `usage: charter <command> [options]

commands:
  check <files|dirs>... [--format text|json]   check policies; exit 0 clean, 1 errors, 2 usage
  fmt [--check] <files|dirs>...                 format policies in place (--check: only report)
  compile <file> [-o out.json]                  compile a policy to IR (JSON with its sha256)
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
        if (values.format !== 'text' && values.format !== 'json') {
          throw new UsageError(`--format must be text or json, not ${values.format}`);
        }
        return checkCommand(requirePaths(positionals), { json: values.format === 'json' }, io);
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
