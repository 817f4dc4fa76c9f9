// `charter audit query|export|verify`: the auditor's view of the ledger from a terminal. Export
// streams the API's answer to stdout as it arrives, so a year of events never sits in memory;
// verify exits 1 when the ledger is not intact, so a scheduled job can alert on it.
import { UsageError } from '../../dsl/cli/files.js';
import { type CommandContext, listing, pages, type Paging } from './commands.js';
import { at, cell, type Row } from './render.js';

export interface AuditFilter {
  instance?: string | undefined;
  project?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  type?: string | undefined;
}

/** Only the filters given, so the API applies its own defaults to the others. */
const given = (filter: AuditFilter): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));

export async function auditQuery(ctx: CommandContext, filter: AuditFilter, paging: Paging): Promise<void> {
  const page = await pages(ctx.client, '/v1/audit/events', given(filter), paging);
  if (ctx.json) {
    ctx.out(`${JSON.stringify(page, null, 2)}\n`);
    return;
  }
  ctx.out(
    listing(page, 'audit events match', [
      { header: 'at', value: (r) => r['at'] },
      { header: 'type', value: (r) => r['type'] },
      { header: 'instance', value: (r) => r['instanceId'] },
      { header: 'step', value: (r) => r['step'] },
      { header: 'actor', value: actor },
      { header: 'outcome', value: (r) => r['outcome'] },
      { header: 'text', value: (r) => r['text'] },
    ]),
  );
}

const actor = (r: Row): string => {
  const behalf = r['onBehalfOf'];
  return typeof behalf === 'string' ? `${cell(r['actor'])} for ${behalf}` : cell(r['actor']);
};

export async function auditExport(
  ctx: CommandContext,
  format: string | undefined,
  filter: AuditFilter,
  tree = false,
): Promise<void> {
  if (tree) {
    const filtered = Object.keys(given(filter));
    if (filtered.length > 0 || format !== undefined)
      throw new UsageError(
        `audit export --tree writes the whole ledger as JSON lines: drop --${filtered[0] ?? 'format'}`,
      );
    await copyToOut(ctx, await ctx.client.stream('/v1/audit/tree/export', {}));
    return;
  }
  if (format !== 'csv' && format !== 'jsonl') {
    throw new UsageError(
      `audit export needs --format csv or --format jsonl${format ? `, not ${format}` : ''}`,
    );
  }
  await copyToOut(ctx, await ctx.client.stream('/v1/audit/export', { format, ...given(filter) }));
}

/** A streamed answer to the command's output as it arrives. */
async function copyToOut(ctx: CommandContext, response: Response): Promise<void> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    const text = decoder.decode(chunk as Uint8Array, { stream: true });
    if (text !== '') ctx.out(text);
  }
  const rest = decoder.decode();
  if (rest !== '') ctx.out(rest);
}

/** Whether the ledger (or one instance's chain) verified; the caller turns false into exit 1. */
export async function auditVerify(ctx: CommandContext, instance: string | undefined): Promise<boolean> {
  const report = await ctx.client.get<Row>('/v1/audit/verify', { instance });
  const ok = report['ok'] === true;
  if (ctx.json) {
    ctx.out(`${JSON.stringify(report, null, 2)}\n`);
    return ok;
  }
  const scope = instance === undefined ? 'the audit ledger' : `the audit chain of ${instance}`;
  const chains = Number(report['chains']);
  const counts = `${cell(report['events'])} events in ${chains} chain${chains === 1 ? '' : 's'}`;
  if (ok) {
    ctx.out(`${scope} is intact: ${counts}, every hash and link checked\n`);
  } else {
    const problem = report['firstProblem'];
    ctx.out(
      `${scope} is NOT intact (${counts}): first problem in chain ${cell(at(problem, 'chain'))} ` +
        `at seq ${cell(at(problem, 'seq'))} (event ${cell(at(problem, 'id'))}): ${cell(at(problem, 'problem'))}\n`,
    );
  }
  const tree = report['tree'];
  if (tree !== undefined && tree !== null) ctx.out(`${treeLine(tree)}\n`);
  return ok;
}

/** What the tree check found, against the newest signed head. */
function treeLine(tree: unknown): string {
  const head = at(tree, 'head');
  if (head === null || head === undefined)
    return 'no tree head is signed yet: the Merkle tree was not checked';
  const under = `the newest signed head (${cell(at(head, 'treeSize'))} leaves, key ${cell(at(head, 'keyId'))}, ${cell(at(head, 'timestamp'))})`;
  if (at(tree, 'ok') === true)
    return `the Merkle tree matches ${under}: signature, root and every leaf's event checked`;
  const problem = at(tree, 'firstProblem');
  const leaf = at(problem, 'leaf');
  const where = leaf === null || leaf === undefined ? '' : ` at leaf ${cell(leaf)}`;
  return `the Merkle tree does NOT match ${under}: ${cell(at(problem, 'problem'))}${where}: ${cell(at(problem, 'detail'))}`;
}
