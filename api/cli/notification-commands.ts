// The `charter` client's notifications: the list behind the console's bell (what happened, why,
// when it is due, and the console page it is about) and marking it read, for people who work in a
// terminal. Like the other commands, a summary or (`--format json`) the API's answer.
import { UsageError } from '../../dsl/cli/files.js';
import { type CommandContext, listing, pages, type Paging } from './commands.js';
import type { Row } from './render.js';

const print = (ctx: CommandContext, answer: unknown, human: () => string): void => {
  ctx.out(ctx.json ? `${JSON.stringify(answer, null, 2)}\n` : human());
};

export async function notifications(ctx: CommandContext, unread: boolean, paging: Paging): Promise<void> {
  const filter = unread ? { unread: 'true' } : {};
  const page = await pages(ctx.client, '/v1/notifications', filter, paging);
  print(ctx, page, () =>
    listing(page, unread ? 'unread notifications' : 'notifications', [
      { header: 'id', value: (r) => r['id'] },
      { header: 'new', value: (r) => (r['readAt'] === null ? 'new' : '') },
      { header: 'subject', value: (r) => r['subject'] },
      { header: 'due', value: (r) => r['due'] },
      { header: 'page', value: (r) => r['path'] },
    ]),
  );
}

/** Marks one notification read, or all of them with `all`. */
export async function markRead(ctx: CommandContext, id: string | undefined, all: boolean): Promise<void> {
  if ((id === undefined) === !all) throw new UsageError('mark-read takes a notification id or --all');
  const answer = await ctx.client.post<Row>('/v1/notifications/read', all ? { all: true } : { ids: [id] });
  print(ctx, answer, () => `marked ${String(answer['marked'])} read\n`);
}
