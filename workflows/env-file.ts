// `charter serve --config FILE` and `charter worker --config FILE`: the same variables as the
// environment, one `NAME=value` a line, so that one file (mode 0600, beside the unit file or in a
// secret mount) configures both processes. The environment wins over the file: an operator can
// override one value for one start without editing it. A name the processes do not read is an
// error with its line, because a misspelt variable would otherwise fall back to a default silently.
import { readFileSync } from 'node:fs';

export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
}

const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/** A value without its surrounding quotes; JSON values keep their inner double quotes in '...'. */
function unquote(raw: string, where: string): string {
  const value = raw.trim();
  const quote = value[0];
  if (quote !== '"' && quote !== "'") return value;
  if (value.length < 2 || value.at(-1) !== quote)
    throw new ConfigFileError(`${where}: the ${quote} quote is not closed`);
  return value.slice(1, -1);
}

/** The variables of an env file, checked against the names the processes read. */
export function parseEnvFile(text: string, known: ReadonlySet<string>, file: string): Record<string, string> {
  const vars: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${file}:${i + 1}`;
    const match = LINE.exec(line);
    if (!match) throw new ConfigFileError(`${where}: expected NAME=value, found "${line.slice(0, 60)}"`);
    const name = match[1]!;
    if (!known.has(name)) {
      throw new ConfigFileError(`${where}: ${name} is not a Charter setting (docs/deployment.md lists them)`);
    }
    if (name in vars) throw new ConfigFileError(`${where}: ${name} is set twice`);
    vars[name] = unquote(match[2] ?? '', where);
  }
  return vars;
}

/**
 * The environment a process runs with: the file's variables under the process's own. `args` are
 * the command's arguments after its name: nothing, or `--config FILE`.
 */
export function environmentOf(
  args: readonly string[],
  env: Record<string, string | undefined>,
  known: ReadonlySet<string>,
): Record<string, string | undefined> {
  if (args.length === 0) return env;
  if (args[0] !== '--config' || args.length !== 2 || !args[1]) {
    throw new ConfigFileError(`expected nothing or --config FILE, found: ${args.join(' ')}`);
  }
  const file = args[1];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const fromFile = parseEnvFile(text, known, file);
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  return { ...fromFile, ...given };
}
