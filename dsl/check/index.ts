// The checker: every diagnostic of a program at once, and the semantic model the compiler needs.
// The stages run in this order because each needs what the previous one established:
//   1. the header, then the one namespace of declarations (every lookup below depends on it);
//   2. roles and calendars, which depend on nothing but names;
//   3. processes (input, step ids, steps in flow order) and monitors, which record the rules
//      they read;
//   4. rules, typed against each process or monitor that reaches them (known after step 3);
//   5. the roles that used roles include, so the compiled policy carries them.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Program } from '../program.js';
import { closeUsedRoles, checkRoles } from './approvers.js';
import { checkCalendars } from './calendars.js';
import { type CheckContext, createReporter } from './context.js';
import { checkProcess } from './flow.js';
import { checkMonitor } from './monitors.js';
import { checkRules } from './rules.js';
import { emptyModel, type SemanticModel } from './model.js';
import { checkHeader, collectDeclarations } from './scope.js';

export { checkCodes } from './codes.js';
export type { Declared, PathTarget, SemanticModel } from './model.js';

export interface CheckResult {
  diagnostics: Diagnostic[];
  model: SemanticModel;
}

export function check(program: Program): CheckResult {
  const files = [program.main, ...program.libraries];
  const ctx: CheckContext = {
    program,
    files,
    report: createReporter(),
    model: emptyModel(files.map((f) => f.path)),
  };
  checkHeader(ctx);
  collectDeclarations(ctx);
  checkRoles(ctx);
  checkCalendars(ctx);
  const processes = [...ctx.model.processes.values()].map((p) => checkProcess(ctx, p));
  const monitors = [...ctx.model.monitors.values()].map((m) => checkMonitor(ctx, m));
  checkRules(ctx, [...processes, ...monitors]);
  closeUsedRoles(ctx);
  return { diagnostics: ctx.report.diagnostics(), model: ctx.model };
}
