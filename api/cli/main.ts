// The `charter` client commands: parsing their arguments and running them against the API named by
// CHARTER_API with the token in CHARTER_TOKEN. Exit codes follow the language commands: 0 done,
// 1 the API refused or could not be reached (its code, message and field paths are printed),
// 2 the command line itself was wrong.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../../dsl/cli/files.js';
import { auditExport, auditQuery, auditVerify } from './audit-commands.js';
import {
  type CommandContext,
  decide,
  inbox,
  instance,
  instances,
  publish,
  start,
  whoami,
} from './commands.js';
import { ApiClient, ApiFailure, DEFAULT_API } from './http.js';
import { failureReport } from './render.js';
import { attest, comment, delegate, waive } from './task-commands.js';

export interface ClientIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
}

/** The commands this module answers; scripts/charter.js sends the rest to the language commands. */
export const CLIENT_COMMANDS: ReadonlySet<string> = new Set([
  'publish',
  'start',
  'instances',
  'instance',
  'inbox',
  'approve',
  'reject',
  'waive',
  'attest',
  'delegate',
  'comment',
  'audit',
  'whoami',
]);

export const CLIENT_USAGE = `API commands (CHARTER_API, default ${DEFAULT_API}; token in CHARTER_TOKEN):
  whoami                                        the person and roles of your token
  publish <file.charter>                        publish a policy with the libraries it uses
  start <policy> <process> --input in.json      start an instance of a process
  instances [--status S] [--policy P]           instances you may see
  instance <id>                                 one instance: status, current steps, blocked on
  inbox                                         tasks waiting for you (or for people you stand in for)
  approve <task-id> [--reason R] [--on-behalf-of P]
  reject <task-id> --reason R
  waive <task-id> --reason R [--on-behalf-of P]  waive a failed check (waiver tasks)
  attest <task-id> [--evidence E] [--on-behalf-of P]
  delegate <task-id> --to P --for 7d|36h        let P act for you a while (or --until <date-time>)
  comment <task-id> --text "... @person ..."     comment; mentioned people are notified
  audit query [--instance I] [--project P] [--from D] [--to D] [--type T]
  audit export --format csv|jsonl [filters] > file
  audit verify [--instance I]                   check the ledger's hash chains (exit 1 if broken)
  lists take [--limit N] [--cursor C] [--all]; every command takes [--format text|json];
  POSTs send a random Idempotency-Key, or --idempotency-key K to make a retry safe
`;

type Parse = (
  options: NonNullable<ParseArgsConfig['options']>,
  count: number,
) => { values: Record<string, unknown>; positionals: string[] };

const common = {
  format: { type: 'string', default: 'text' },
  'idempotency-key': { type: 'string' },
} as const;
const paging = { limit: { type: 'string' }, cursor: { type: 'string' }, all: { type: 'boolean' } } as const;
const auditFilters = {
  instance: { type: 'string' },
  project: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  type: { type: 'string' },
} as const;

export async function runClient(argv: readonly string[], io: ClientIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    return await dispatch(command ?? '', rest, io);
  } catch (error) {
    if (error instanceof ApiFailure) {
      io.err(failureReport(error));
      return 1;
    }
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`charter: ${(error as Error).message}\n\n${CLIENT_USAGE}`);
      return 2;
    }
    throw error;
  }
}

async function dispatch(command: string, args: string[], io: ClientIo): Promise<number> {
  const parse: Parse = (options, count) => {
    const parsed = parseArgs({ args, options: { ...common, ...options }, allowPositionals: true });
    if (parsed.positionals.length !== count) {
      const what = count === 0 ? 'no arguments' : `${count} argument${count > 1 ? 's' : ''}`;
      throw new UsageError(`${command} takes ${what}, got: ${parsed.positionals.join(' ') || 'none'}`);
    }
    return { values: parsed.values, positionals: parsed.positionals };
  };
  const contextOf = (values: Record<string, unknown>): CommandContext => {
    const format = values['format'];
    if (command !== 'audit' || args[0] !== 'export') {
      if (format !== 'text' && format !== 'json') {
        throw new UsageError(`--format must be text or json, not ${String(format)}`);
      }
    }
    const key = values['idempotency-key'];
    const client = new ApiClient({
      api: io.env['CHARTER_API'] || DEFAULT_API,
      token: io.env['CHARTER_TOKEN'] || undefined,
      ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
    });
    return { client, json: format === 'json', out: (text) => io.out(text) };
  };

  switch (command) {
    case 'whoami': {
      const { values } = parse({}, 0);
      await whoami(contextOf(values));
      return 0;
    }
    case 'publish': {
      const { values, positionals } = parse({}, 1);
      await publish(contextOf(values), positionals[0] as string);
      return 0;
    }
    case 'start': {
      const { values, positionals } = parse({ input: { type: 'string' } }, 2);
      const [policy, process] = positionals as [string, string];
      await start(contextOf(values), policy, process, str(values['input']));
      return 0;
    }
    case 'instances': {
      const { values } = parse({ ...paging, status: { type: 'string' }, policy: { type: 'string' } }, 0);
      const filter = {
        status: values.status as string | undefined,
        policy: values.policy as string | undefined,
      };
      await instances(contextOf(values), filter, pagingOf(values));
      return 0;
    }
    case 'instance': {
      const { values, positionals } = parse({}, 1);
      await instance(contextOf(values), positionals[0] as string);
      return 0;
    }
    case 'inbox': {
      const { values } = parse(paging, 0);
      await inbox(contextOf(values), pagingOf(values));
      return 0;
    }
    case 'approve':
    case 'reject': {
      const options = { reason: { type: 'string' }, 'on-behalf-of': { type: 'string' } } as const;
      const { values, positionals } = parse(options, 1);
      await decide(contextOf(values), positionals[0] as string, {
        decision: command,
        reason: str(values['reason']),
        onBehalfOf: str(values['on-behalf-of']),
      });
      return 0;
    }
    case 'waive':
    case 'attest': {
      const options = {
        reason: { type: 'string' },
        evidence: { type: 'string' },
        'on-behalf-of': { type: 'string' },
      } as const;
      const { values, positionals } = parse(options, 1);
      const task = positionals[0] as string;
      const behalf = str(values['on-behalf-of']);
      if (command === 'waive') await waive(contextOf(values), task, str(values['reason']), behalf);
      else await attest(contextOf(values), task, str(values['evidence']), behalf);
      return 0;
    }
    case 'delegate': {
      const options = { to: { type: 'string' }, until: { type: 'string' }, for: { type: 'string' } } as const;
      const { values, positionals } = parse(options, 1);
      await delegate(contextOf(values), positionals[0] as string, str(values['to']), {
        until: str(values['until']),
        for: str(values['for']),
      });
      return 0;
    }
    case 'comment': {
      const { values, positionals } = parse({ text: { type: 'string' } }, 1);
      await comment(contextOf(values), positionals[0] as string, str(values['text']));
      return 0;
    }
    case 'audit':
      return audit(args, parse, contextOf);
    default:
      throw new UsageError(`unknown command \`${command}\``);
  }
}

async function audit(
  args: string[],
  parse: Parse,
  contextOf: (values: Record<string, unknown>) => CommandContext,
): Promise<number> {
  const sub = args[0];
  switch (sub) {
    case 'query': {
      const { values } = parse({ ...paging, ...auditFilters }, 1);
      await auditQuery(contextOf(values), filterOf(values), pagingOf(values));
      return 0;
    }
    case 'export': {
      const { values } = parse({ ...auditFilters, format: { type: 'string' } }, 1);
      await auditExport(contextOf(values), str(values['format']), filterOf(values));
      return 0;
    }
    case 'verify': {
      const { values } = parse({ instance: { type: 'string' } }, 1);
      return (await auditVerify(contextOf(values), str(values['instance']))) ? 0 : 1;
    }
    default:
      throw new UsageError(`audit takes query, export or verify${sub ? `, not \`${sub}\`` : ''}`);
  }
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const pagingOf = (values: Record<string, unknown>) => ({
  limit: str(values['limit']),
  cursor: str(values['cursor']),
  all: values['all'] === true,
});

const filterOf = (values: Record<string, unknown>) => ({
  instance: str(values['instance']),
  project: str(values['project']),
  from: str(values['from']),
  to: str(values['to']),
  type: str(values['type']),
});

// Checked by code, not class: errors from Node's parseArgs may come from another realm.
function isParseArgsError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    String(error.code).startsWith('ERR_PARSE_ARGS')
  );
}
