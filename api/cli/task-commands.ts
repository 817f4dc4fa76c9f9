// The `charter` client's other task actions: waive a failed check, attest a fact, hand a task to
// a stand-in for a while, comment with @mentions. Like approve and reject, each calls one route
// and prints a summary or (`--format json`) the API's answer.
import { UsageError } from '../../dsl/cli/files.js';
import type { CommandContext } from './commands.js';
import { cell, fields, type Row } from './render.js';

const taskPath = (task: string, action: string): string => `/v1/tasks/${encodeURIComponent(task)}/${action}`;

const print = (ctx: CommandContext, answer: unknown, human: () => string): void => {
  ctx.out(ctx.json ? `${JSON.stringify(answer, null, 2)}\n` : human());
};

const behalf = (onBehalfOf: string | undefined) => (onBehalfOf === undefined ? {} : { onBehalfOf });

export async function waive(
  ctx: CommandContext,
  task: string,
  reason: string | undefined,
  onBehalfOf: string | undefined,
): Promise<void> {
  if (!reason) throw new UsageError('waive needs --reason: a waiver without a reason is not one');
  const answer = await ctx.client.post<unknown>(taskPath(task, 'waive'), { reason, ...behalf(onBehalfOf) });
  print(ctx, answer, () => `waived ${task}\n${fields(answer, '  ')}`);
}

export async function attest(
  ctx: CommandContext,
  task: string,
  evidence: string | undefined,
  onBehalfOf: string | undefined,
): Promise<void> {
  const body = { ...(evidence === undefined ? {} : { evidence }), ...behalf(onBehalfOf) };
  const answer = await ctx.client.post<unknown>(taskPath(task, 'attest'), body);
  print(ctx, answer, () => `attested ${task}\n${fields(answer, '  ')}`);
}

/** `--for 7d`, `--for 36h`: a stand-in for a while, counted from now. */
function untilFor(duration: string, now: Date): string {
  const match = /^(\d{1,3})\s*(d|h)$/.exec(duration.trim());
  if (!match) throw new UsageError(`--for takes a duration like 7d or 36h, not ${duration}`);
  const hours = Number(match[1]) * (match[2] === 'd' ? 24 : 1);
  return new Date(now.getTime() + hours * 3_600_000).toISOString();
}

export async function delegate(
  ctx: CommandContext,
  task: string,
  to: string | undefined,
  until: { until?: string | undefined; for?: string | undefined },
): Promise<void> {
  if (!to) throw new UsageError('delegate needs --to <person>');
  if ((until.until === undefined) === (until.for === undefined)) {
    throw new UsageError('delegate needs either --for <7d|36h> or --until <ISO date-time>');
  }
  const end = until.until ?? untilFor(until.for ?? '', new Date());
  const answer = await ctx.client.post<Row>(taskPath(task, 'delegate'), { to, until: end });
  print(
    ctx,
    answer,
    () => `${cell(answer['to'])} stands in for ${cell(answer['from'])} until ${cell(answer['end'])}\n`,
  );
}

export async function comment(ctx: CommandContext, task: string, text: string | undefined): Promise<void> {
  if (!text) throw new UsageError('comment needs --text "..." (mention people as @name@example.com)');
  const answer = await ctx.client.post<Row>(taskPath(task, 'comments'), { text });
  print(ctx, answer, () => `commented on ${task} as ${cell(answer['id'])}\n`);
}
