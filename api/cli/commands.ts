// The `charter` client's commands for authors, requesters and approvers: publish, start, list and
// show instances, the inbox, approve and reject, whoami. Each calls one route and prints either a
// human summary or (`--format json`) the API's answer unchanged, for scripts.
import { readFileSync } from 'node:fs';
import { UsageError } from '../../dsl/cli/files.js';
import type { ApiClient } from './http.js';
import { policyUpload } from './policy-files.js';
import { at, cell, fields, policyLabel, type Row, table } from './render.js';

export interface CommandContext {
  client: ApiClient;
  json: boolean;
  out: (text: string) => void;
}

export interface Page {
  items: Row[];
  nextCursor: string | null;
}

export interface Paging {
  limit?: string | undefined;
  cursor?: string | undefined;
  all?: boolean | undefined;
}

const print = (ctx: CommandContext, answer: unknown, human: () => string): void => {
  ctx.out(ctx.json ? `${JSON.stringify(answer, null, 2)}\n` : human());
};

export async function whoami(ctx: CommandContext): Promise<void> {
  const me = await ctx.client.get<Row>('/v1/me');
  print(ctx, me, () => `${cell(me['person'])}\nroles: ${cell(me['roles'])}\n`);
}

export async function publish(ctx: CommandContext, file: string): Promise<void> {
  const answer = await ctx.client.post<Row>('/v1/policies', policyUpload(file));
  print(ctx, answer, () => {
    const policy = answer['policy'];
    const verb = answer['status'] === 'unchanged' ? 'already published, unchanged:' : 'published';
    return (
      `${verb} ${policyLabel(policy)} (sha256 ${cell(at(policy, 'sha256')).slice(0, 12)})\n` +
      `  effective ${cell(at(policy, 'effective'))}, processes: ${cell(at(policy, 'processes'))}\n` +
      warnings(answer['diagnostics'])
    );
  });
}

export async function start(
  ctx: CommandContext,
  policy: string,
  process: string,
  inputFile: string | undefined,
): Promise<void> {
  if (inputFile === undefined) throw new UsageError('start needs --input <file.json> (the process input)');
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(inputFile, 'utf8'));
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`--input ${inputFile}: ${why}`);
  }
  const answer = await ctx.client.post<Row>('/v1/instances', { policy, process, input });
  print(ctx, answer, () => `started ${cell(answer['instanceId'])} under ${policyLabel(answer['policy'])}\n`);
}

export async function instances(
  ctx: CommandContext,
  filter: { status?: string | undefined; policy?: string | undefined },
  paging: Paging,
): Promise<void> {
  const page = await pages(ctx.client, '/v1/instances', filter, paging);
  print(ctx, page, () =>
    listing(page, 'instances', [
      { header: 'instance', value: (r) => r['instanceId'] },
      { header: 'policy', value: (r) => policyLabel(r['policy']) },
      { header: 'process', value: (r) => r['process'] },
      { header: 'project', value: (r) => r['project'] },
      { header: 'status', value: (r) => r['status'] },
      { header: 'started', value: (r) => r['startedAt'] },
      { header: 'blocked on', value: (r) => at(r, 'blockedOn', '0', 'text') },
    ]),
  );
}

export async function instance(ctx: CommandContext, id: string): Promise<void> {
  const answer = await ctx.client.get<Row>(`/v1/instances/${encodeURIComponent(id)}`);
  print(ctx, answer, () => fields(answer));
}

export async function inbox(ctx: CommandContext, paging: Paging): Promise<void> {
  const page = await pages(ctx.client, '/v1/tasks/inbox', {}, paging);
  print(ctx, page, () =>
    listing(page, 'tasks waiting for you', [
      { header: 'task', value: (r) => r['id'] },
      { header: 'title', value: (r) => r['title'] },
      { header: 'kind', value: (r) => r['kind'] },
      { header: 'instance', value: (r) => r['instanceId'] },
      { header: 'for', value: (r) => r['onBehalfOf'] },
      { header: 'due', value: (r) => r['dueAt'] },
      { header: 'blocked on', value: (r) => r['blockedOn'] },
    ]),
  );
}

export async function decide(
  ctx: CommandContext,
  task: string,
  decision: { decision: 'approve' | 'reject'; reason?: string | undefined; onBehalfOf?: string | undefined },
): Promise<void> {
  if (decision.decision === 'reject' && !decision.reason) {
    throw new UsageError('reject needs --reason: the requester and the auditors are told why');
  }
  const body = {
    decision: decision.decision,
    ...(decision.reason === undefined ? {} : { reason: decision.reason }),
    ...(decision.onBehalfOf === undefined ? {} : { onBehalfOf: decision.onBehalfOf }),
  };
  const answer = await ctx.client.post<unknown>(`/v1/tasks/${encodeURIComponent(task)}/decide`, body);
  print(ctx, answer, () => {
    const verb = decision.decision === 'approve' ? 'approved' : 'rejected';
    const behalf = decision.onBehalfOf === undefined ? '' : ` on behalf of ${decision.onBehalfOf}`;
    return `${verb} ${task}${behalf}\n${fields(answer, '  ')}`;
  });
}

/** One page, or with `--all` every page followed through its cursor. */
export async function pages(
  client: ApiClient,
  path: string,
  filter: Record<string, string | undefined>,
  paging: Paging,
): Promise<Page> {
  if (paging.limit !== undefined && !/^\d+$/.test(paging.limit)) {
    throw new UsageError(`--limit takes a number, not ${paging.limit}`);
  }
  const items: Row[] = [];
  let cursor = paging.cursor;
  for (;;) {
    const page = await client.get<Partial<Page>>(path, { ...filter, limit: paging.limit, cursor });
    items.push(...(Array.isArray(page.items) ? page.items : []));
    const next = typeof page.nextCursor === 'string' ? page.nextCursor : null;
    if (!paging.all || next === null) return { items, nextCursor: next };
    cursor = next;
  }
}

export function listing(page: Page, what: string, columns: Parameters<typeof table>[1]): string {
  if (page.items.length === 0) return `no ${what}\n`;
  const more = page.nextCursor === null ? '' : `more: --cursor ${page.nextCursor} (or --all)\n`;
  return table(page.items, columns) + more;
}

/** Warnings the server found in a policy it accepted, one line each like `charter check`. */
function warnings(diagnostics: unknown): string {
  if (!Array.isArray(diagnostics)) return '';
  return diagnostics
    .map((d) => {
      const where = `${cell(at(d, 'file'))}:${cell(at(d, 'line'))}:${cell(at(d, 'col'))}`;
      return `  ${where}: ${cell(at(d, 'severity'))}[${cell(at(d, 'code'))}]: ${cell(at(d, 'message'))}\n`;
    })
    .join('');
}
