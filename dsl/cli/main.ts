// The `charter` command line: argument parsing and dispatch. Commands live in their own modules,
// their options and help in command-specs.ts; `--help` is answered before anything else is
// checked, so `charter simulate --help` works without a policy file.
import {
  CHECK,
  COMPILE,
  FMT,
  LANGUAGE_COMMANDS,
  LANGUAGE_USAGE,
  SIMULATE,
  TEST,
  SERVE,
  WORKER,
} from './command-specs.js';
import { fmtCommand } from './fmt-command.js';
import { UsageError } from './files.js';
import { checkCommand, compileCommand, EXIT_USAGE, type Output } from './language-commands.js';
import { simulateCommand } from './simulate-command.js';
import { testCommand } from './test-command.js';
import { suggest } from '../diagnostics/suggest.js';
import { type CommandSpec, helpText, parseCommandArgs, usageErrorText, wantsHelp } from './usage.js';

/** The full usage, for `charter --help`; scripts/charter.js adds the client and db commands. */
export const USAGE = LANGUAGE_USAGE;

export interface RunOptions {
  /** Commands answered elsewhere (the API client's), for "did you mean" on an unknown command. */
  otherCommands?: readonly string[];
}

export function run(argv: readonly string[], io: Output, options: RunOptions = {}): number {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(`${USAGE}\ncharter: name a command\n`);
    return EXIT_USAGE;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    // `charter help check` is `charter check --help`.
    if (name === 'help' && rest.length > 0) return run([...rest, '--help'], io, options);
    io.out(USAGE);
    return 0;
  }
  const command = LANGUAGE_COMMANDS.find((c) => c.name === name) ?? null;
  try {
    if (command === null) throw new UsageError(unknownCommand(name, options.otherCommands ?? []));
    if (wantsHelp(rest)) {
      io.out(helpText(command));
      return 0;
    }
    return runCommand(command, rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(usageErrorText(command, error.message));
      return EXIT_USAGE;
    }
    throw error;
  }
}

function runCommand(command: CommandSpec, args: readonly string[], io: Output): number {
  const { values, positionals } = parseCommandArgs(command.options, args);
  const text = (key: string): string | undefined => {
    const value = values[key];
    return typeof value === 'string' ? value : undefined;
  };
  switch (command) {
    case CHECK:
      return checkCommand(requirePaths(positionals), { json: formatIsJson(text('format')) }, io);
    case FMT:
      return fmtCommand(requirePaths(positionals), { check: values['check'] === true }, io);
    case COMPILE:
      if (positionals.length !== 1) throw new UsageError('name exactly one policy file');
      return compileCommand(positionals[0] as string, { output: text('output') }, io);
    case SIMULATE: {
      if (positionals.length !== 1) throw new UsageError('name exactly one policy file');
      const given = {
        process: text('process'),
        input: text('input'),
        events: text('events'),
        world: text('world'),
        start: text('start'),
        as: text('as'),
        timezone: text('timezone'),
      };
      return simulateCommand(positionals[0] as string, { ...given, json: formatIsJson(text('format')) }, io);
    }
    case TEST: {
      const min = text('min-coverage');
      if (min !== undefined && !/^\d+(\.\d+)?$/.test(min)) {
        throw new UsageError(`--min-coverage takes a percentage, not ${min}`);
      }
      const paths = positionals.length === 0 ? ['policies'] : positionals;
      const json = formatIsJson(text('format'));
      const minCoverage = min === undefined ? null : Number(min);
      return testCommand(paths, { json, minCoverage, filter: text('filter') ?? null }, io);
    }
    case WORKER:
    case SERVE:
      // scripts/charter.js starts them itself with nothing or `--config FILE` after the name.
      throw new UsageError(`takes nothing or --config FILE, got: ${args.join(' ')}`);
    default:
      throw new UsageError(`\`${command.name}\` is not a language command`);
  }
}

function unknownCommand(name: string, otherCommands: readonly string[]): string {
  const close = suggest(name, [...LANGUAGE_COMMANDS.map((c) => c.name), ...otherCommands]);
  return `unknown command \`${name}\`${close ? ` (did you mean \`${close}\`?)` : ''}`;
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
