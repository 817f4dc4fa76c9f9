// What a monitor's expressions read instead of `request`: `project.<field>` (the project being
// looked at), `today` (the day of the run, in the monitor's zone) and `<process>.last_approved`
// (the day the newest instance of one of this policy's processes for that project ended
// approved). Elsewhere none of them exists, and a monitor has no `request` and no steps.
import type { Ident, PathExpr } from '../ast/types.js';
import { suggest } from '../diagnostics/suggest.js';
import { meant } from '../diagnostics/diagnostic.js';
import { type ExprEnv, filePath, record } from './expr-env.js';
import { listOf, T, type Ty } from './types.js';

/** A project's fields as monitors read them; a field without a value (no sponsor) is unset. */
export const PROJECT_FIELDS: Readonly<Record<string, Ty>> = {
  code: T.text,
  name: T.text,
  phase: T.text,
  manager: T.person,
  sponsor: T.person,
  budget: { kind: 'money', currency: null },
  start: T.date,
  end: T.date,
  health: { kind: 'enum', values: ['green', 'amber', 'red'] },
  tags: listOf(T.text),
};

/** The project fields that may be empty; the others always have a value. */
export const OPTIONAL_PROJECT_FIELDS: readonly string[] = ['manager', 'sponsor', 'budget', 'start', 'end'];

/** What a monitor can read of a process's instances for the project. */
export const HISTORY_RESULTS: Readonly<Record<string, Ty>> = { last_approved: T.date };

const inMonitor = (env: ExprEnv): boolean => env.input.kind === 'monitor';

/** `project.<field>`: only in monitors, and only the fields a project has. */
export function typeProjectRef(env: ExprEnv, path: PathExpr, field: Ident): Ty {
  if (!inMonitor(env)) {
    env.ctx.report.error('CH3214', filePath(env), path.span, '`project` is only known in a monitor', {
      help: 'a process reads its project from its input, e.g. `request.project`',
    });
    return record(env, path, T.unknown);
  }
  const type = PROJECT_FIELDS[field.name];
  if (!type) {
    const suggestion = meant(suggest(field.name, Object.keys(PROJECT_FIELDS)));
    env.ctx.report.error('CH3213', filePath(env), field.span, `a project has no field \`${field.name}\``, {
      fix: suggestion.fix,
      help:
        suggestion.help ??
        `its fields are ${Object.keys(PROJECT_FIELDS)
          .map((f) => `\`${f}\``)
          .join(', ')}`,
    });
    return record(env, path, T.unknown);
  }
  env.ctx.model.paths.set(path, { kind: 'project', field: field.name });
  return record(env, path, type);
}

/** `today` in a monitor; elsewhere the name is looked up as a rule, as before monitors existed. */
export function typeToday(env: ExprEnv, path: PathExpr): Ty | undefined {
  if (!inMonitor(env)) return undefined;
  env.ctx.model.paths.set(path, { kind: 'today' });
  return record(env, path, T.date);
}

/** In a monitor, `request` means nothing: say what to read instead. */
export function reportRequestInMonitor(env: ExprEnv, path: PathExpr): Ty {
  env.ctx.report.error('CH3215', filePath(env), path.span, 'a monitor has no `request`', {
    help: 'a monitor looks at projects: read `project.<field>`, e.g. `project.phase`',
  });
  return record(env, path, T.unknown);
}

/** `<process>.last_approved` in a monitor: a process of this policy and a history it keeps. */
export function typeHistoryRef(env: ExprEnv, path: PathExpr, process: Ident, property: Ident): Ty {
  const processes = [...env.ctx.model.processes.keys()];
  if (!env.ctx.model.processes.has(process.name)) {
    const suggestion = meant(suggest(process.name, [...processes, 'project']));
    env.ctx.report.error('CH3216', filePath(env), process.span, `unknown process \`${process.name}\``, {
      fix: suggestion.fix,
      help:
        suggestion.help ??
        (processes.length === 0
          ? 'a monitor reads the history of the processes this policy declares, and it declares none'
          : `a monitor reads \`<process>.last_approved\` of this policy's processes: ${processes
              .map((p) => `\`${p}\``)
              .join(', ')}`),
    });
    return record(env, path, T.unknown);
  }
  const type = HISTORY_RESULTS[property.name];
  if (!type) {
    const suggestion = meant(suggest(property.name, Object.keys(HISTORY_RESULTS)));
    env.ctx.report.error(
      'CH3216',
      filePath(env),
      property.span,
      `a monitor cannot read \`${property.name}\` of process \`${process.name}\``,
      {
        fix: suggestion.fix,
        help:
          suggestion.help ??
          'write `<process>.last_approved`: the day its newest approved instance for the project ended',
      },
    );
    return record(env, path, T.unknown);
  }
  env.ctx.model.paths.set(path, { kind: 'history', process: process.name, property: property.name });
  return record(env, path, type);
}
