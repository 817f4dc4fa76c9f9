// Help and usage errors, the same for every `charter` command (the language commands here, the
// API client's in api/cli): `--help` or `-h` anywhere before `--` prints the command's own help on
// stdout and exits 0, whatever else is on the line; a wrong command line prints what was wrong,
// the command's usage line and where its help is, on stderr, and exits 2. Options are declared
// once with their help text, so the help lists exactly the options the parser accepts.
import { parseArgs } from 'node:util';
import { suggest } from '../diagnostics/suggest.js';
import { UsageError } from './files.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  default?: string;
  /** The value as the help shows it, e.g. `text|json` or `in.json`. */
  value?: string;
  help: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface CommandSpec {
  /** The command as typed after `charter`, e.g. `check` or `audit query`. */
  name: string;
  /** What follows the name in the usage line, e.g. `<files|dirs>... [--format text|json]`. */
  synopsis: string;
  /** What the command does, in sentences. */
  description: string;
  options: OptionSpecs;
  /** Exit statuses, e.g. `0 no problems, 1 errors found, 2 usage error`. */
  exit?: string;
}

/** Help is wrapped to this many columns. */
const WIDTH = 100;
const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };

/** `--help` or `-h` before a `--` (after it, they are file names). */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** A command's arguments parsed by its own option specs; a mistake becomes a UsageError. */
export function parseCommandArgs(
  options: OptionSpecs,
  args: readonly string[],
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const config = Object.fromEntries(
    Object.entries(options).map(([name, { type, short, default: fallback }]) => [
      name,
      { type, ...(short ? { short } : {}), ...(fallback === undefined ? {} : { default: fallback }) },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: config, allowPositionals: true });
    return { values, positionals };
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    throw new UsageError(describeParseArgsError(error.message, Object.keys(options)));
  }
}

/** Node's parseArgs messages, said the way the rest of Charter speaks. */
function describeParseArgsError(message: string, known: readonly string[]): string {
  const option = /'(?:-\w, )?(--?[\w-]+)/.exec(message)?.[1] ?? message;
  if (message.startsWith('Unknown option')) {
    const close = option.startsWith('--') ? suggest(option.slice(2), known) : undefined;
    return `unknown option \`${option}\`${close ? ` (did you mean \`--${close}\`?)` : ''}`;
  }
  if (message.includes('does not take an argument')) return `\`${option}\` takes no value`;
  return `\`${option}\` needs a value`;
}

// Checked by code, not class: errors from Node's parseArgs may come from another realm.
export function isParseArgsError(error: unknown): error is Error & { code: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    'message' in error &&
    String(error.code).startsWith('ERR_PARSE_ARGS')
  );
}

/** The full help of one command: usage line, description, options, exit statuses. */
export function helpText(command: CommandSpec): string {
  const options = Object.entries({ ...command.options, help: HELP_OPTION }).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    const fallback = spec.default === undefined ? '' : ` (default: ${spec.default})`;
    return { flag, help: spec.help + fallback };
  });
  const indent = Math.max(...options.map((o) => o.flag.length)) + 5;
  const optionLines = options.map(
    ({ flag, help }) =>
      `  ${flag.padEnd(indent - 2)}${wrap(help, WIDTH - indent).replace(/\n/g, `\n${' '.repeat(indent)}`)}`,
  );
  return [
    `usage: ${usageLine(command)}`,
    '',
    wrap(command.description, WIDTH),
    '',
    'options:',
    ...optionLines,
    ...(command.exit ? ['', `exit status: ${command.exit}`] : []),
    '',
  ].join('\n');
}

export const usageLine = (command: CommandSpec): string =>
  `charter ${command.name}${command.synopsis ? ` ${command.synopsis}` : ''}`;

/**
 * A usage error: what was wrong, then (for a known command) its usage line, then where to read
 * more. `command` is null when the command itself is what is wrong. A message that names its
 * command already ("reject needs --reason") is not prefixed with it again.
 */
export function usageErrorText(command: CommandSpec | null, message: string): string {
  if (command === null) return `charter: ${message}\nsee \`charter --help\` for the commands\n`;
  const named = message.startsWith(`${command.name} `);
  return (
    `charter${named ? '' : ` ${command.name}`}: ${message}\n` +
    `usage: ${usageLine(command)}\n` +
    `see \`charter ${command.name} --help\` for its options\n`
  );
}

/** Greedy word wrap of each paragraph (paragraphs separated by blank lines) at `width`. */
function wrap(text: string, width: number): string {
  return text
    .split('\n\n')
    .map((paragraph) => {
      const lines: string[] = [];
      let line = '';
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
        if (line && line.length + 1 + word.length > width) {
          lines.push(line);
          line = word;
        } else line = line ? `${line} ${word}` : word;
      }
      return [...lines, line].join('\n');
    })
    .join('\n\n');
}
