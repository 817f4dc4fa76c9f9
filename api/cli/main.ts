// The `charter` client commands: parsing their arguments and running them against the API named by
// CHARTER_API with the token in CHARTER_TOKEN. Exit codes follow the language commands: 0 done,
// 1 the API refused or could not be reached (its code, message and field paths are printed),
// 2 the command line itself was wrong.
import { UsageError } from '../../dsl/cli/files.js';
import {
  type CommandSpec,
  helpText,
  parseCommandArgs,
  usageErrorText,
  wantsHelp,
} from '../../dsl/cli/usage.js';
import { type Parse, pagingOf, str } from './args.js';
import { audit } from './audit-main.js';
import { markRead, notifications } from './notification-commands.js';
import { MONITOR_ACTIONS, type MonitorAction, monitorAction, monitors } from './monitor-commands.js';
import { retire } from './policy-commands.js';
import { impact } from './impact-command.js';
import {
  AUDIT_GROUP,
  CLIENT_SPECS,
  COMMON_OPTIONS,
  MONITOR_GROUP,
  ROLES_GROUP,
  TOKEN_GROUP,
} from './command-specs.js';
import { setRolesCommand, showRolesCommand } from './role-commands.js';
import { issueTokenCommand, listTokensCommand, revokeTokenCommand } from './token-commands.js';
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
export const CLIENT_COMMANDS: ReadonlySet<string> = new Set(
  CLIENT_SPECS.map((c) => c.name.split(' ')[0] ?? ''),
);

export const CLIENT_USAGE = `API commands (CHARTER_API, default ${DEFAULT_API}; token in CHARTER_TOKEN):
${CLIENT_SPECS.map((c) => {
  const usage = `${c.name} ${c.synopsis}`;
  return usage.length <= 44
    ? `  ${usage.padEnd(46)}${c.summary}`
    : `  ${usage}\n  ${' '.repeat(46)}${c.summary}`;
}).join('\n')}
  every command takes [--format text|json]; POSTs send a random Idempotency-Key, or
  --idempotency-key K to make a retry safe
`;

/** The spec of `charter <command> [<sub>]`: `audit` is a group of three, `monitor` of four. */
function specOf(command: string, args: readonly string[]): CommandSpec | null {
  if (command === 'audit') {
    const sub = args[0];
    return CLIENT_SPECS.find((c) => c.name === `audit ${sub}`) ?? AUDIT_GROUP;
  }
  if (command === 'monitor') {
    return CLIENT_SPECS.find((c) => c.name === `monitor ${args[0]}`) ?? MONITOR_GROUP;
  }
  if (command === 'token') {
    return CLIENT_SPECS.find((c) => c.name === `token ${args[0]}`) ?? TOKEN_GROUP;
  }
  if (command === 'roles') {
    return CLIENT_SPECS.find((c) => c.name === `roles ${args[0]}`) ?? ROLES_GROUP;
  }
  return CLIENT_SPECS.find((c) => c.name === command) ?? null;
}

export async function runClient(argv: readonly string[], io: ClientIo): Promise<number> {
  const [command, ...rest] = argv;
  const spec = specOf(command ?? '', rest);
  try {
    if (spec !== null && wantsHelp(rest)) {
      // The groups only list their commands; each of them takes the common options.
      const group = [AUDIT_GROUP, MONITOR_GROUP, TOKEN_GROUP, ROLES_GROUP].includes(spec);
      io.out(helpText(group ? spec : { ...spec, options: { ...COMMON_OPTIONS, ...spec.options } }));
      return 0;
    }
    return await dispatch(command ?? '', rest, io);
  } catch (error) {
    if (error instanceof ApiFailure) {
      io.err(failureReport(error));
      return 1;
    }
    if (error instanceof UsageError) {
      io.err(usageErrorText(spec, error.message));
      return 2;
    }
    throw error;
  }
}

async function dispatch(command: string, args: string[], io: ClientIo): Promise<number> {
  const parse: Parse = (count, takes) => {
    const options = { ...COMMON_OPTIONS, ...specOf(command, args)?.options };
    const parsed = parseCommandArgs(options, args);
    const wrong =
      typeof count === 'number'
        ? parsed.positionals.length !== count
        : parsed.positionals.length < count.atLeast;
    if (wrong) {
      const n = typeof count === 'number' ? count : count.atLeast;
      const what =
        n === 0
          ? 'no arguments'
          : `${typeof count === 'number' ? '' : 'at least '}${n} argument${n > 1 ? 's' : ''}`;
      throw new UsageError(
        takes ?? `${command} takes ${what}, got: ${parsed.positionals.join(' ') || 'none'}`,
      );
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
      const { values } = parse(0);
      await whoami(contextOf(values));
      return 0;
    }
    case 'publish': {
      const { values, positionals } = parse(1);
      await publish(contextOf(values), positionals[0] as string);
      return 0;
    }
    case 'retire': {
      const { values, positionals } = parse(1);
      const options = { version: str(values['version']), reason: str(values['reason']) };
      await retire(contextOf(values), positionals[0] as string, options);
      return 0;
    }
    case 'impact': {
      const { values, positionals } = parse(1);
      const options = { policy: str(values['policy']), base: str(values['base']), last: str(values['last']) };
      return impact(contextOf(values), positionals[0] as string, options);
    }
    case 'start': {
      const { values, positionals } = parse(2);
      const [policy, process] = positionals as [string, string];
      await start(contextOf(values), policy, process, str(values['input']));
      return 0;
    }
    case 'instances': {
      const { values } = parse(0);
      const filter = { status: str(values['status']), policy: str(values['policy']) };
      await instances(contextOf(values), filter, pagingOf(values));
      return 0;
    }
    case 'instance': {
      const { values, positionals } = parse(1);
      await instance(contextOf(values), positionals[0] as string);
      return 0;
    }
    case 'inbox': {
      const { values } = parse(0);
      await inbox(contextOf(values), pagingOf(values));
      return 0;
    }
    case 'notifications': {
      const { values } = parse(0);
      await notifications(contextOf(values), values['unread'] === true, pagingOf(values));
      return 0;
    }
    case 'mark-read': {
      const all = args.includes('--all');
      const { values, positionals } = parse(all ? 0 : 1);
      await markRead(contextOf(values), positionals[0], all);
      return 0;
    }
    case 'approve':
    case 'reject': {
      const { values, positionals } = parse(1);
      await decide(contextOf(values), positionals[0] as string, {
        decision: command,
        reason: str(values['reason']),
        onBehalfOf: str(values['on-behalf-of']),
      });
      return 0;
    }
    case 'waive':
    case 'attest': {
      const { values, positionals } = parse(1);
      const task = positionals[0] as string;
      const behalf = str(values['on-behalf-of']);
      if (command === 'waive') await waive(contextOf(values), task, str(values['reason']), behalf);
      else await attest(contextOf(values), task, str(values['evidence']), behalf);
      return 0;
    }
    case 'delegate': {
      const { values, positionals } = parse(1);
      await delegate(contextOf(values), positionals[0] as string, str(values['to']), {
        until: str(values['until']),
        for: str(values['for']),
      });
      return 0;
    }
    case 'comment': {
      const { values, positionals } = parse(1);
      await comment(contextOf(values), positionals[0] as string, str(values['text']));
      return 0;
    }
    case 'audit':
      return audit(args, parse, contextOf);
    case 'monitors': {
      const { values } = parse(0);
      await monitors(contextOf(values));
      return 0;
    }
    case 'monitor': {
      const action = args[0];
      if (!MONITOR_ACTIONS.includes(action as MonitorAction)) {
        throw new UsageError(
          `monitor takes pause, resume, run or backfill${action ? `, not \`${action}\`` : ''}`,
        );
      }
      const { values, positionals } = parse(3, `monitor ${action} takes <policy> <monitor>`);
      const [, policy, monitor] = positionals as [string, string, string];
      const options = { note: str(values['note']), from: str(values['from']), to: str(values['to']) };
      await monitorAction(contextOf(values), action as MonitorAction, policy, monitor, options);
      return 0;
    }
    case 'token':
      return token(args, parse, contextOf);
    case 'roles':
      return roles(args, parse, contextOf);
    default:
      throw new UsageError(`unknown command \`${command}\``);
  }
}

/** `charter token issue|list|revoke`. */
async function token(
  args: readonly string[],
  parse: Parse,
  contextOf: (values: Record<string, unknown>) => CommandContext,
): Promise<number> {
  switch (args[0]) {
    case 'issue': {
      const { values } = parse(1, 'token issue takes options only (--roles, --label, ...)');
      if (values['idempotency-key'] !== undefined) {
        throw new UsageError(
          'token issue takes no --idempotency-key: its answer (the token) is never kept for a replay',
        );
      }
      await issueTokenCommand(contextOf(values), {
        person: str(values['person']),
        roles: str(values['roles']),
        label: str(values['label']),
        days: str(values['days']),
        neverExpires: values['never-expires'] === true,
      });
      return 0;
    }
    case 'list': {
      const { values } = parse(1, 'token list takes options only (--person, --limit, --cursor)');
      await listTokensCommand(contextOf(values), str(values['person']), pagingOf(values));
      return 0;
    }
    case 'revoke': {
      const { values, positionals } = parse(2, 'token revoke takes <id> (from `charter token list`)');
      await revokeTokenCommand(contextOf(values), positionals[1] as string);
      return 0;
    }
    default:
      throw new UsageError(`token takes issue, list or revoke${args[0] ? `, not \`${args[0]}\`` : ''}`);
  }
}

/** `charter roles show|set`. */
async function roles(
  args: readonly string[],
  parse: Parse,
  contextOf: (values: Record<string, unknown>) => CommandContext,
): Promise<number> {
  switch (args[0]) {
    case 'show': {
      const { values, positionals } = parse(2, 'roles show takes <person>');
      await showRolesCommand(contextOf(values), positionals[1] as string);
      return 0;
    }
    case 'set': {
      const { values, positionals } = parse(
        { atLeast: 2 },
        'roles set takes <person> and the roles, or --none',
      );
      const [, person, ...granted] = positionals as [string, string, ...string[]];
      await setRolesCommand(contextOf(values), person, granted, values['none'] === true);
      return 0;
    }
    default:
      throw new UsageError(`roles takes show or set${args[0] ? `, not \`${args[0]}\`` : ''}`);
  }
}
