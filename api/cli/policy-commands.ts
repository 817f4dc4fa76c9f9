// The `charter` client's policy lifecycle beyond publishing: `retire` takes a published version
// (--version N), or the whole policy, out of service for new instances (pmo, admin). Running
// instances finish on their version; retiring the newest version puts the one before back in
// force. Like the other commands, a summary or (`--format json`) the API's answer.
import { UsageError } from '../../dsl/cli/files.js';
import type { CommandContext } from './commands.js';
import { at, cell, type Row } from './render.js';

const print = (ctx: CommandContext, answer: unknown, human: () => string): void => {
  ctx.out(ctx.json ? `${JSON.stringify(answer, null, 2)}\n` : human());
};

/** `--version 3` as a number; a usage error for anything but a positive integer. */
function versionOf(version: string | undefined): number | null {
  if (version === undefined) return null;
  if (!/^[1-9]\d{0,9}$/.test(version)) {
    throw new UsageError(`--version takes a version number such as 3, not ${version}`);
  }
  return Number(version);
}

export async function retire(
  ctx: CommandContext,
  policy: string,
  options: { version?: string | undefined; reason?: string | undefined },
): Promise<void> {
  const version = versionOf(options.version);
  if (!options.reason?.trim()) {
    throw new UsageError('retire needs --reason: people who start requests and the auditors are told why');
  }
  const name = encodeURIComponent(policy);
  const path =
    version === null ? `/v1/policies/${name}/retire` : `/v1/policies/${name}/versions/${version}/retire`;
  const answer = await ctx.client.post<Row>(path, { reason: options.reason });
  print(ctx, answer, () => {
    const retirement = answer['retirement'];
    const what = version === null ? `${policy} (every version)` : `${policy} v${version}`;
    const verb = answer['status'] === 'unchanged' ? 'already retired, unchanged:' : 'retired';
    const when = cell(at(retirement, 'at')).slice(0, 10);
    return (
      `${verb} ${what}\n` +
      `  on ${when} by ${cell(at(retirement, 'by'))}: ${cell(at(retirement, 'reason'))}\n` +
      (version === null
        ? '  no new instance starts under it; running ones finish on their version\n'
        : '  new instances start under the newest effective version not retired; running ones finish on theirs\n')
    );
  });
}
