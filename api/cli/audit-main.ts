// `charter audit <sub>`: the auditor's commands, dispatched. query, export, verify and checkpoint
// talk to the API; `verify --offline` and `verify --evidence` read only the files they are given
// (no server, no token), which is the point of them.
import { writeFileSync } from 'node:fs';
import { UsageError } from '../../dsl/cli/files.js';
import { type Parse, pagingOf, str } from './args.js';
import { auditExport, auditQuery, auditVerify } from './audit-commands.js';
import { auditCheckpoint } from './checkpoint-command.js';
import type { CommandContext } from './commands.js';
import { evidenceSummary, verifyEvidence } from './evidence-verify.js';
import { offlineSummary, verifyOffline } from './offline-verify.js';

type ContextOf = (values: Record<string, unknown>) => CommandContext;

const filterOf = (values: Record<string, unknown>) => ({
  instance: str(values['instance']),
  project: str(values['project']),
  from: str(values['from']),
  to: str(values['to']),
  type: str(values['type']),
});

const keyFiles = (values: Record<string, unknown>): string[] =>
  (str(values['public-key']) ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');

export async function audit(args: string[], parse: Parse, contextOf: ContextOf): Promise<number> {
  const sub = args[0];
  switch (sub) {
    case 'query': {
      const { values } = parse(1);
      await auditQuery(contextOf(values), filterOf(values), pagingOf(values));
      return 0;
    }
    case 'export': {
      const { values } = parse(1);
      await auditExport(contextOf(values), str(values['format']), filterOf(values), values['tree'] === true);
      return 0;
    }
    case 'verify':
      return verify(parse(1).values, contextOf);
    case 'checkpoint': {
      const { values } = parse(1);
      const saved = await auditCheckpoint(contextOf(values), str(values['out']), str(values['public-key']));
      return saved ? 0 : 1;
    }
    case 'evidence': {
      const { values } = parse(1);
      const instance = str(values['instance']);
      if (instance === undefined) throw new UsageError('audit evidence needs --instance I');
      const ctx = contextOf(values);
      const bundle = await ctx.client.get<unknown>(`/v1/audit/evidence/${encodeURIComponent(instance)}`, {});
      const text = `${JSON.stringify(bundle, null, 2)}\n`;
      const out = str(values['out']);
      if (out === undefined) ctx.out(text);
      else {
        writeFileSync(out, text);
        ctx.out(`saved the evidence bundle of ${instance} to ${out}\n`);
      }
      return 0;
    }
    default:
      throw new UsageError(
        `audit takes query, export, verify, checkpoint or evidence${sub ? `, not \`${sub}\`` : ''}`,
      );
  }
}

async function verify(values: Record<string, unknown>, contextOf: ContextOf): Promise<number> {
  const ctx = contextOf(values);
  const offline = str(values['offline']);
  const evidence = str(values['evidence']);
  if (offline !== undefined && evidence !== undefined)
    throw new UsageError('audit verify takes --offline or --evidence, not both');
  if (offline !== undefined) {
    const head = str(values['head']);
    if (head === undefined)
      throw new UsageError('audit verify --offline needs --head head.json (from `audit checkpoint`)');
    const publicKeyFiles = keyFiles(values);
    if (publicKeyFiles.length === 0)
      throw new UsageError('audit verify --offline needs --public-key key.pem');
    const report = await verifyOffline({
      exportFile: offline,
      headFile: head,
      publicKeyFiles,
      sinceFile: str(values['since']),
    });
    ctx.out(ctx.json ? `${JSON.stringify(report, null, 2)}\n` : offlineSummary(report, offline));
    return report.ok ? 0 : 1;
  }
  if (evidence !== undefined) {
    const report = verifyEvidence(evidence, keyFiles(values));
    ctx.out(ctx.json ? `${JSON.stringify(report, null, 2)}\n` : evidenceSummary(report, evidence));
    return report.ok ? 0 : 1;
  }
  for (const only of ['head', 'since', 'public-key'])
    if (values[only] !== undefined) throw new UsageError(`--${only} goes with --offline or --evidence`);
  return (await auditVerify(ctx, str(values['instance']))) ? 0 : 1;
}
