// What each language command accepts and how its help reads. main.ts parses by these specs and
// prints their help, so an option exists in the parser exactly when the help lists it.
import type { CommandSpec } from './usage.js';

const FORMAT = { type: 'string', default: 'text', value: 'text|json' } as const;

export const CHECK: CommandSpec = {
  name: 'check',
  synopsis: '<files|dirs>... [--format text|json]',
  description:
    'Checks policies like a compiler: every problem at once, each with its code (see ' +
    'dsl/DIAGNOSTICS.md), file:line:col, the source underlined and, where a name is close, a ' +
    'suggestion. Directories are searched for .charter files; a library is checked with the ' +
    'policies that use it.',
  options: {
    format: { ...FORMAT, help: 'text for people, or json: one object per diagnostic, for tools' },
  },
  exit: '0 no errors (warnings allowed), 1 errors found, 2 usage error',
};

export const FMT: CommandSpec = {
  name: 'fmt',
  synopsis: '[--check] <files|dirs>...',
  description:
    'Rewrites policies in the canonical style, keeping comments. A file with syntax errors is ' +
    'never rewritten. Directories are searched for .charter files.',
  options: {
    check: { type: 'boolean', help: 'change nothing; list the files that need formatting' },
  },
  exit: '0 done (with --check: all formatted), 1 syntax errors or (with --check) files to format, 2 usage error',
};

export const COMPILE: CommandSpec = {
  name: 'compile',
  synopsis: '<file> [-o out.json]',
  description:
    'Compiles one policy to its IR: canonical JSON named by its sha256, what the engine runs. ' +
    'Written to stdout unless -o names a file; diagnostics go to stderr.',
  options: {
    output: { type: 'string', short: 'o', value: 'out.json', help: 'write the IR to this file' },
  },
  exit: '0 compiled, 1 errors in the policy, 2 usage error',
};

export const SIMULATE: CommandSpec = {
  name: 'simulate',
  synopsis: '<file> --process P --input in.json [--events ev.json] [options]',
  description:
    'Runs one instance of a process on a virtual clock, with no Temporal and no database, and ' +
    'prints its timeline. The world (groups, managers, check services, capacity) comes from ' +
    '--world, else the events file, else the tests next to the policy (x.test.json).',
  options: {
    process: { type: 'string', value: 'P', help: 'the process to start (required)' },
    input: { type: 'string', value: 'in.json', help: 'the process input, a JSON object (required)' },
    events: {
      type: 'string',
      value: 'ev.json',
      help: 'what people do and when: a script, or { world, start, timezone, script }',
    },
    world: { type: 'string', value: 'w.json', help: 'the simulated organisation and services' },
    start: {
      type: 'string',
      value: '"2026-12-07 09:00"',
      help: "when it starts (default: the events or test file's start, else now)",
    },
    as: {
      type: 'string',
      value: 'person',
      help: "who starts it (default: the events file's, else requester)",
    },
    timezone: {
      type: 'string',
      value: 'Europe/Berlin',
      help: "of the times given and shown (default: the files', else the first calendar's, else UTC)",
    },
    format: { ...FORMAT, help: 'text timeline, or json: status, timeline, open tasks, failures' },
  },
  exit: '0 ran, 1 the policy has errors or the script failed, 2 usage error',
};

export const TEST: CommandSpec = {
  name: 'test',
  synopsis: '[paths]... [--min-coverage N] [--filter text] [--format text|json]',
  description:
    'Runs the tests next to each policy (x.test.json beside x.charter) on the simulator and ' +
    'reports step and branch coverage per policy; a policy without tests counts as uncovered. ' +
    'Paths are policies, test files or folders (default: policies/). The test format is in ' +
    'dsl/TESTING.md.',
  options: {
    'min-coverage': {
      type: 'string',
      value: 'N',
      help: 'fail when branch coverage of any policy is below N percent',
    },
    filter: { type: 'string', value: 'text', help: 'run only tests whose name contains this' },
    format: { ...FORMAT, help: 'text report, or json: every test and coverage figure' },
  },
  exit: '0 all passed (and covered enough), 1 failures or coverage too low, 2 usage error',
};

export const WORKER: CommandSpec = {
  name: 'worker',
  synopsis: '[--config FILE]',
  description:
    'Runs the Temporal worker that executes process instances, until Ctrl-C or SIGTERM (then ' +
    'running activities finish first). Configured by the environment: TEMPORAL_ADDRESS, ' +
    'TEMPORAL_NAMESPACE, MONGODB_URI, CHARTER_DATABASE, CHARTER_TASK_QUEUE, ' +
    'CHARTER_CHECK_SERVICES and CHARTER_WEBHOOKS (see README.md, "Running policies on Temporal"), ' +
    'and optionally a file of the same NAME=value lines (the environment wins over it).',
  options: {
    config: {
      type: 'string',
      value: 'FILE',
      help: 'read settings from FILE (NAME=value lines), under the environment',
    },
  },
  exit: '0 stopped, 1 could not start (a server unreachable), 2 configuration error',
};

export const SERVE: CommandSpec = {
  name: 'serve',
  synopsis: '[--config FILE]',
  description:
    'Runs the API server alone (start one or more beside `charter worker`), until Ctrl-C or SIGTERM ' +
    '(then requests in flight finish first, CHARTER_SHUTDOWN_GRACE_MS at most). Configured by the ' +
    'environment, the same variables as the worker plus CHARTER_API_HOST, CHARTER_API_PORT, ' +
    'CHARTER_CONSOLE_DIR, CHARTER_BOOTSTRAP_ADMIN and CHARTER_BOOTSTRAP_TOKEN_FILE, and optionally ' +
    'a file of NAME=value lines (the environment wins over it). On a database without a live admin ' +
    'token it makes the first one, valid for a day (docs/deployment.md).',
  options: {
    config: {
      type: 'string',
      value: 'FILE',
      help: 'read settings from FILE (NAME=value lines), under the environment',
    },
  },
  exit: '0 stopped, 1 could not start (a server unreachable, the port taken), 2 configuration error',
};

export const LANGUAGE_COMMANDS: readonly CommandSpec[] = [CHECK, FMT, COMPILE, SIMULATE, TEST, WORKER, SERVE];

/** One line per command for `charter --help`: its usage, what it does. */
const SUMMARIES: Record<string, string> = {
  check: 'check policies; exit 0 clean, 1 errors, 2 usage',
  fmt: 'format policies in place (--check: only report)',
  compile: 'compile a policy to IR (JSON with its sha256)',
  simulate: 'run one instance on a virtual clock, print its timeline',
  test: 'run policy tests, report step and branch coverage',
  worker: 'run the Temporal worker (configured by the environment)',
  serve: 'run the API server (configured by the environment)',
};

export const LANGUAGE_USAGE = `usage: charter <command> [options]
       charter <command> --help (or charter help <command>) for the options of one command

language commands:
${LANGUAGE_COMMANDS.map((c) => {
  const usage = `${c.name} ${c.synopsis}`;
  const summary = SUMMARIES[c.name] ?? '';
  return usage.length <= 44 ? `  ${usage.padEnd(46)}${summary}` : `  ${usage}\n  ${' '.repeat(46)}${summary}`;
}).join('\n')}
`;
