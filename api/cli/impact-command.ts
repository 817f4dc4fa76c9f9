// `charter impact <file.charter>`: before publishing, what the candidate in the file would have
// changed for the last N finished instances of the version in force (POST /v1/policies/{name}/impact).
// The file and the libraries it `use`s are uploaded as `charter publish` uploads them. Prints the
// summary and a line per instance (the differences under it), or the API's answer with
// --format json. The exit code gates CI: 0 when nothing differs, 1 when something differs, would
// wait or could not be replayed (a change nobody can vouch for), as for a refusal of the API.
import { UsageError } from '../../dsl/cli/files.js';
import type { ImpactSummary } from '../../engine/simulate/index.js';
import type { CommandContext } from './commands.js';
import { policyUpload } from './policy-files.js';

/** What the command reads of the API's answer (api/policies/impact-json.ts); the rest is ignored. */
interface ImpactAnswer {
  policy: string;
  base: { version: number };
  candidate: { version: number };
  last: number;
  summary: ImpactSummary;

  instances: {
    instanceId: string;
    endedAt: string;
    recordedStatus: string;
    verdict: 'same' | 'differs' | 'wouldWait' | 'notReplayed';
    reason: string | null;
    differences: { kind: string; text: string }[];
    replayDiffersFromRecord: { text: string }[];
  }[];
}

export interface ImpactOptions {
  policy?: string | undefined;
  base?: string | undefined;
  last?: string | undefined;
}

/** A positive whole number from an option, or a usage error naming it. */
function wholeNumber(option: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > max) {
    throw new UsageError(`--${option} takes a whole number from 1 to ${max}, not ${value}`);
  }
  return Number(value);
}

/** The policy's name as its entry file declares it (`policy "Name" version ...`). */
function declaredName(entryText: string): string | null {
  return /^\s*policy\s+"([^"]+)"/m.exec(entryText)?.[1] ?? null;
}

/** Runs the command; the exit code (0 nothing differs, 1 something does). */
export async function impact(ctx: CommandContext, file: string, options: ImpactOptions): Promise<number> {
  const baseVersion = wholeNumber('base', options.base, 1_000_000_000);
  const last = wholeNumber('last', options.last, 2000);
  const upload = policyUpload(file);
  const name = options.policy ?? declaredName(upload.files[upload.entry] ?? '');
  if (name === null)
    throw new UsageError(`${file} declares no \`policy "Name"\`: say which with --policy NAME`);
  const answer = await ctx.client.post<ImpactAnswer>(`/v1/policies/${encodeURIComponent(name)}/impact`, {
    ...upload,
    ...(baseVersion === undefined ? {} : { baseVersion }),
    ...(last === undefined ? {} : { last }),
  });
  ctx.out(ctx.json ? `${JSON.stringify(answer, null, 2)}\n` : impactText(answer));
  const { differs, wouldWait, notReplayed } = answer.summary;
  return differs + wouldWait + notReplayed === 0 ? 0 : 1;
}

const VERDICTS: Record<ImpactAnswer['instances'][number]['verdict'], string> = {
  same: 'same',
  differs: 'differs',
  wouldWait: 'would wait',
  notReplayed: 'not replayed',
};

/** The summary, then one line per instance with its differences indented under it. */
export function impactText(answer: ImpactAnswer): string {
  const { summary: s } = answer;
  const lines = [
    `impact of ${answer.policy} v${answer.candidate.version} against v${answer.base.version}: ` +
      `${s.instances} finished instance${s.instances === 1 ? '' : 's'} replayed (last ${answer.last} asked)`,
    `  same ${s.same}, differs ${s.differs}, would wait ${s.wouldWait}, not replayed ${s.notReplayed}` +
      (s.replayDiffersFromRecord > 0 ? `; replay differs from the record: ${s.replayDiffersFromRecord}` : ''),
  ];
  for (const i of answer.instances) {
    const ended = `${i.recordedStatus} ${i.endedAt.slice(0, 10)}`;
    const wait = i.differences.filter((d) => d.kind === 'wouldWait').map((d) => d.text);
    const head = i.verdict === 'wouldWait' ? wait.join('; ') : VERDICTS[i.verdict];
    lines.push(`${i.instanceId} (${ended}): ${i.reason ?? head}`);
    for (const d of i.differences) if (d.kind !== 'wouldWait') lines.push(`  ${d.text}`);
    for (const d of i.replayDiffersFromRecord) lines.push(`  replay differs from the record: ${d.text}`);
  }
  return `${lines.join('\n')}\n`;
}
