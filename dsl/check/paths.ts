// References: a rule by its name, `request.<field>`, `<step id>.<result>`. Each unknown name gets
// a suggestion from the names that could stand there; a step result also needs its step to have
// run on every path to the reference (the definitely-run set comes from flow.ts).
import type { InputField, PathExpr, Step } from '../ast/types.js';
import { suggest } from '../diagnostics/suggest.js';
import { type ExprEnv, filePath, record } from './expr-env.js';
import { meant } from '../diagnostics/diagnostic.js';
import { lookupRule } from './scope.js';
import { reportRequestInMonitor, typeHistoryRef, typeProjectRef, typeToday } from './monitor-paths.js';
import { fromTypeExpr, listOf, T, type Ty } from './types.js';

/** The results each kind of step exposes, in the order suggestions prefer them. */
export const stepResults: Partial<Record<Step['kind'], Record<string, Ty>>> = {
  approve: { approved: T.boolean, outcome: T.text, approvers: listOf(T.person), decided_at: T.date },
  check: { passed: T.boolean, waived: T.boolean, outcome: T.text },
  reallocate: { allocated: T.boolean, hours: T.number },
  wait: { until: T.date },
};

export function typePath(env: ExprEnv, path: PathExpr): Ty {
  const [first, second, third] = path.segments;
  if (!first) return record(env, path, T.unknown);
  if (third) {
    env.ctx.report.error('CH3212', filePath(env), path.span, 'a reference has at most two parts', {
      help: 'write `request.<field>`, `<step id>.<result>` or a rule name',
    });
    return record(env, path, T.unknown);
  }
  if (first.name === 'project' && second) return typeProjectRef(env, path, second);
  if (env.input.kind === 'monitor') {
    if (first.name === 'request') return reportRequestInMonitor(env, path);
    if (second) return typeHistoryRef(env, path, first, second);
    if (first.name === 'today') return typeToday(env, path) ?? T.unknown;
  }
  if (!second) return record(env, path, typeRuleRef(env, path));
  if (first.name === 'request') return record(env, path, typeInputRef(env, path));
  return record(env, path, typeStepRef(env, path));
}

function typeRuleRef(env: ExprEnv, path: PathExpr): Ty {
  const [ident] = path.segments;
  if (!ident) return T.unknown;
  if (ident.name === 'request') {
    env.ctx.report.error('CH3212', filePath(env), path.span, '`request` needs a field', {
      help: 'write `request.<field>`, e.g. `request.budget`',
    });
    return T.unknown;
  }
  if (env.steps?.info(ident.name)) {
    env.ctx.report.error('CH3212', filePath(env), path.span, `step \`${ident.name}\` needs a result`, {
      help: resultHelp(env, ident.name),
    });
    return T.unknown;
  }
  const field = env.input.kind === 'process' ? env.input.fields.get(ident.name) : undefined;
  // The path is the one name, so `request.<name>` can replace it whole.
  const fallback =
    ident.name === 'today'
      ? { help: '`today` is only known in a monitor; a process reads dates from its input', fix: undefined }
      : field && meant(`request.${ident.name}`);
  const rule = lookupRule(env.ctx, env.file, ident, fallback);
  if (!rule) return T.unknown;
  env.ctx.model.paths.set(path, { kind: 'rule', rule: ident.name });
  env.useRule(ident.name);
  return T.boolean;
}

function typeInputRef(env: ExprEnv, path: PathExpr): Ty {
  const field = path.segments[1];
  if (!field) return T.unknown;
  const input = env.input;
  if (input.kind === 'none' || input.kind === 'monitor') return T.unknown;
  env.ctx.model.paths.set(path, { kind: 'input', field: field.name });
  if (input.kind === 'unchecked') return T.unknown;
  const declared = input.fields.get(field.name);
  if (declared) return fromTypeExpr(declared.type);
  const via = input.viaRule === null ? '' : `, which uses rule \`${input.viaRule}\``;
  env.ctx.report.error(
    'CH3204',
    filePath(env),
    field.span,
    `\`${field.name}\` is not an input field of process \`${input.process}\`${via}`,
    {
      ...meant(suggest(field.name, input.fields.keys())),
      related:
        input.viaRule === null
          ? undefined
          : [
              {
                message: `process \`${input.process}\` is declared here`,
                file: env.ctx.program.main.path,
                span: input.processSpan,
              },
            ],
    },
  );
  return T.unknown;
}

function typeStepRef(env: ExprEnv, path: PathExpr): Ty {
  const [stepIdent, property] = path.segments;
  if (!stepIdent || !property) return T.unknown;
  if (!env.steps) {
    env.ctx.report.error('CH3211', filePath(env), path.span, 'a rule cannot read step results', {
      help: 'rules are declared outside processes; use the step result in the process instead, e.g. in an `if`',
    });
    return T.unknown;
  }
  const info = env.steps.info(stepIdent.name);
  if (!info) {
    const suggestion = meant(suggest(stepIdent.name, [...env.steps.ids(), 'request']));
    env.ctx.report.error(
      'CH3205',
      filePath(env),
      stepIdent.span,
      `unknown step \`${stepIdent.name}\``,
      suggestion,
    );
    return T.unknown;
  }
  const results = stepResults[info.step.kind];
  const type = results?.[property.name];
  if (!results || !type) {
    reportUnknownResult(env, info.step, stepIdent.name, property.name, property.span);
    return T.unknown;
  }
  env.ctx.model.paths.set(path, { kind: 'step', step: info.id, property: property.name });
  if (!env.steps.hasRun(info.id)) reportNotRun(env, info, path);
  return type;
}

function reportUnknownResult(
  env: ExprEnv,
  step: Step,
  id: string,
  name: string,
  span: PathExpr['span'],
): void {
  const results = stepResults[step.kind];
  if (!results) {
    env.ctx.report.error('CH3206', filePath(env), span, `${step.kind} step \`${id}\` has no results`, {
      help: 'only approve, check, reallocate and wait steps have results',
    });
    return;
  }
  const suggestion = meant(suggest(name, Object.keys(results)));
  env.ctx.report.error(
    'CH3206',
    filePath(env),
    span,
    `${step.kind} step \`${id}\` has no result \`${name}\``,
    {
      fix: suggestion.fix,
      help:
        suggestion.help ??
        `its results are ${Object.keys(results)
          .map((r) => `\`${r}\``)
          .join(', ')}`,
    },
  );
}

function resultHelp(env: ExprEnv, id: string): string {
  const step = env.steps?.info(id)?.step;
  const results = step && stepResults[step.kind];
  const first = results && Object.keys(results)[0];
  return first
    ? `write \`${id}.<result>\`, e.g. \`${id}.${first}\``
    : `${step?.kind ?? 'this'} steps have no results`;
}

/** CH5001 for a step result read where the step may not have run; shared with `distinct from`. */
export function reportNotRun(
  env: ExprEnv,
  info: { id: string; step: Step; span: PathExpr['span'] },
  at: { span: PathExpr['span'] },
): void {
  // A step that has not finished before the reference (it comes later, or contains it) cannot
  // have run; one that ended earlier ran only on some paths.
  const later = info.step.span.end > at.span.offset;
  const message = later
    ? `step \`${info.id}\` has not run yet here`
    : `step \`${info.id}\` may not have run here`;
  const help = later
    ? 'a step can only use results of steps before it'
    : 'it runs only on some paths (inside an `if` branch or a parallel branch); use its result inside that branch, or move the step before the branch';
  env.ctx.report.error('CH5001', filePath(env), at.span, message, {
    help,
    related: [{ message: `\`${info.id}\` is declared here`, file: filePath(env), span: info.span }],
  });
}

export function inputField(env: ExprEnv, path: PathExpr): InputField | undefined {
  const [first, second, third] = path.segments;
  if (env.input.kind !== 'process' || first?.name !== 'request' || !second || third) return undefined;
  return env.input.fields.get(second.name);
}
