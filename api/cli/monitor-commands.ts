// `charter monitors` and `charter monitor pause|resume|run|backfill`: the protocol monitors of the
// policies in force, and what admins do with their schedules, from a terminal. `monitors` lists
// each monitor with its schedule, whether it is paused (and why), its next run, its last run and
// its live findings; the others call one route each. Like the other commands, a summary or
// (`--format json`) the API's answer unchanged.
import { UsageError } from '../../dsl/cli/files.js';
import type { CommandContext } from './commands.js';
import { at, cell, type Row, table } from './render.js';

const print = (ctx: CommandContext, answer: unknown, human: () => string): void => {
  ctx.out(ctx.json ? `${JSON.stringify(answer, null, 2)}\n` : human());
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `/v1/monitors/<policy>/<monitor>/<action>`, each name one path segment. */
const pathOf = (policy: string, monitor: string, action: string): string =>
  `/v1/monitors/${encodeURIComponent(policy)}/${encodeURIComponent(monitor)}/${action}`;

/** `paused: <note> (by <person>)`, `active`, or `not scheduled`. */
function stateText(row: Row): string {
  const status = row['status'];
  if (status === 'not-scheduled') return 'not scheduled';
  if (status !== 'paused') return cell(status);
  const by = at(row, 'paused', 'by');
  const note = at(row, 'paused', 'note');
  return `paused: ${cell(note)}${typeof by === 'string' ? ` (by ${by})` : ''}`;
}

/** `2026-11-23: 4 judged, 2 failed, 1 opened, 0 closed`, or `-` before the first run. */
function lastRunText(row: Row): string {
  const run = row['lastRun'];
  if (typeof run !== 'object' || run === null) return '-';
  const n = (key: string): string => cell(at(run, key));
  return `${n('day')}: ${n('judged')} judged, ${n('failed')} failed, ${n('opened')} opened, ${n('closed')} closed`;
}

export async function monitors(ctx: CommandContext): Promise<void> {
  const answer = await ctx.client.get<{ items: Row[] }>('/v1/monitors');
  print(ctx, answer, () =>
    answer.items.length === 0
      ? 'no monitors: no policy version in force declares one\n'
      : table(answer.items, [
          {
            header: 'policy',
            value: (r) => `${cell(at(r, 'policy', 'name'))} v${cell(at(r, 'policy', 'version'))}`,
          },
          { header: 'monitor', value: (r) => r['monitor'] },
          { header: 'runs', value: (r) => at(r, 'schedule', 'text') },
          { header: 'state', value: stateText },
          { header: 'next run', value: (r) => (r['nextRuns'] as unknown[] | undefined)?.[0] },
          { header: 'last run', value: lastRunText },
          { header: 'live findings', value: (r) => r['liveFindings'] },
        ]),
  );
}

export type MonitorAction = 'pause' | 'resume' | 'run' | 'backfill';

export interface MonitorOptions {
  note?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** The request body of `action`; usage errors before any request for what the API would refuse anyway. */
function bodyOf(action: MonitorAction, options: MonitorOptions): Record<string, string> {
  switch (action) {
    case 'pause':
      if (!options.note?.trim()) {
        throw new UsageError(
          'monitor pause needs --note: the reason is kept with the schedule and in the ledger',
        );
      }
      return { note: options.note };
    case 'resume':
      return options.note === undefined ? {} : { note: options.note };
    case 'run':
      return {};
    case 'backfill': {
      const { from, to } = options;
      if (from === undefined || to === undefined) {
        throw new UsageError('monitor backfill needs --from and --to (days as YYYY-MM-DD, both included)');
      }
      for (const [name, day] of [
        ['--from', from],
        ['--to', to],
      ] as const) {
        if (!DAY.test(day)) throw new UsageError(`${name} takes a day as YYYY-MM-DD, not ${day}`);
      }
      return { from, to };
    }
  }
}

export async function monitorAction(
  ctx: CommandContext,
  action: MonitorAction,
  policy: string,
  monitor: string,
  options: MonitorOptions,
): Promise<void> {
  const answer = await ctx.client.post<Row>(pathOf(policy, monitor, action), bodyOf(action, options));
  print(ctx, answer, () => {
    const what = `monitor ${monitor} of ${policy}`;
    switch (action) {
      case 'pause':
        return `paused ${what}: ${cell(at(answer, 'paused', 'note'))}\n  runs missed while paused are not made up; \`charter monitor backfill\` judges past days\n`;
      case 'resume':
        return `resumed ${what}\n  next run: ${cell((answer['nextRuns'] as unknown[] | undefined)?.[0])}\n`;
      case 'run':
        return `asked ${what} to run now (at ${cell(answer['at'])}); \`charter monitors\` shows its result once done\n`;
      case 'backfill':
        return `asked ${what} to make up its runs from ${cell(answer['from'])} to ${cell(answer['to'])}, oldest first\n`;
    }
  });
}

export const MONITOR_ACTIONS: readonly MonitorAction[] = ['pause', 'resume', 'run', 'backfill'];
