// `charter token issue|list|revoke`: API tokens from a terminal. `issue` prints the new token's
// text once (the API keeps only its hash), on a line of its own so that a script can take it with
// `tail -1`; `list` shows ids, people, roles, labels and whether each still works; `revoke` takes an
// id from the list. Admins act on anyone's tokens, everyone else on their own.
import { UsageError } from '../../dsl/cli/files.js';
import type { CommandContext } from './commands.js';
import { cell, type Row, table } from './render.js';

const print = (ctx: CommandContext, answer: unknown, human: () => string): void => {
  ctx.out(ctx.json ? `${JSON.stringify(answer, null, 2)}\n` : human());
};

export interface IssueOptions {
  person: string | undefined;
  roles: string | undefined;
  label: string | undefined;
  days: string | undefined;
  neverExpires: boolean;
}

/** The request body; usage errors for what the API would refuse anyway, before any request. */
function issueBody(options: IssueOptions): Record<string, unknown> {
  // The roles themselves are the API's to check: it names a wrong one at its index.
  const roles = (options.roles ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (roles.length === 0) {
    throw new UsageError('token issue needs --roles, a comma-separated list such as approver,auditor');
  }
  if (!options.label?.trim())
    throw new UsageError('token issue needs --label: what the token is for ("laptop CLI")');
  if (options.days !== undefined && options.neverExpires) {
    throw new UsageError('give --days or --never-expires, not both');
  }
  let expiresInDays: number | null | undefined;
  if (options.neverExpires) expiresInDays = null;
  else if (options.days !== undefined) {
    if (!/^\d{1,4}$/.test(options.days))
      throw new UsageError(`--days takes a whole number of days, not ${options.days}`);
    expiresInDays = Number(options.days);
  }
  return {
    ...(options.person === undefined ? {} : { person: options.person }),
    roles,
    label: options.label,
    ...(expiresInDays === undefined ? {} : { expiresInDays }),
  };
}

export async function issueTokenCommand(ctx: CommandContext, options: IssueOptions): Promise<void> {
  const answer = await ctx.client.postOnce<Row>('/v1/tokens', issueBody(options));
  print(ctx, answer, () => {
    const expires = answer['expiresAt'] === null ? 'never expires' : `expires ${cell(answer['expiresAt'])}`;
    return (
      `issued token ${cell(answer['id'])} to ${cell(answer['person'])} with ${(answer['roles'] as string[]).join(', ')}; ${expires}\n` +
      'the token (shown this once; keep it like a password):\n' +
      `${cell(answer['token'])}\n`
    );
  });
}

export async function listTokensCommand(
  ctx: CommandContext,
  person: string | undefined,
  paging: { limit?: string | undefined; cursor?: string | undefined },
): Promise<void> {
  const answer = await ctx.client.get<{ items: Row[]; nextCursor: string | null }>('/v1/tokens', {
    person,
    limit: paging.limit,
    cursor: paging.cursor,
  });
  print(ctx, answer, () => {
    if (answer.items.length === 0) return 'no tokens\n';
    const rows = table(answer.items, [
      { header: 'id', value: (r) => r['id'] },
      { header: 'person', value: (r) => r['person'] },
      { header: 'roles', value: (r) => (r['roles'] as string[]).join(',') },
      { header: 'label', value: (r) => r['label'] },
      { header: 'status', value: (r) => r['status'] },
      { header: 'expires', value: (r) => r['expiresAt'] ?? 'never' },
      { header: 'issued by', value: (r) => r['createdBy'] ?? 'charter' },
    ]);
    return answer.nextCursor === null ? rows : `${rows}more: --cursor ${answer.nextCursor}\n`;
  });
}

export async function revokeTokenCommand(ctx: CommandContext, id: string): Promise<void> {
  if (!/^[0-9a-f]{16}$/.test(id))
    throw new UsageError(
      `token revoke takes a token id (16 hex digits, from \`charter token list\`), not ${id}`,
    );
  const answer = await ctx.client.delete<Row>(`/v1/tokens/${id}`);
  print(
    ctx,
    answer,
    () => `revoked token ${cell(answer['id'])} of ${cell(answer['person'])} ("${cell(answer['label'])}")\n`,
  );
}
