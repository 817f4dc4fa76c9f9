// Names and declarations: the one namespace of calendars, roles, rules and processes shared by
// the policy and its libraries, and the lookups that report unknown names with a suggestion.
// Libraries are entered before the policy so that a clash is reported on the policy's own
// declaration (the one its author can rename), pointing at the imported one.
import type { CalendarDecl, Declaration, Ident, RoleDecl, RuleDecl, Span } from '../ast/types.js';
import { meant, type Suggestion } from '../diagnostics/diagnostic.js';
import { suggest } from '../diagnostics/suggest.js';
import type { CheckCode } from './codes.js';
import { type CheckContext, fileOf } from './context.js';
import type { Declared } from './model.js';

export type DeclKind = Declaration['kind'];

export function checkHeader(ctx: CheckContext): void {
  const { ast, path } = ctx.program.main;
  if (ast.header !== null) return;
  const first = ast.uses[0]?.span ?? ast.declarations[0]?.span ?? ast.span;
  const at: Span = { ...first, end: first.offset, endLine: first.line, endCol: first.col };
  ctx.report.error('CH3001', path, at, 'this file has no `policy` header', {
    help: 'start it with `policy "<name>" version 1 effective <date>`, or with `library "<name>"` for shared declarations',
  });
}

export function collectDeclarations(ctx: CheckContext): void {
  const order = [...ctx.files.keys()].slice(1).concat(0);
  for (const index of order) {
    for (const decl of fileOf(ctx, index).ast.declarations) {
      // Processes of libraries are reported by loadProgram and take no part in the policy.
      if ((decl.kind === 'process' || decl.kind === 'monitor') && index !== 0) continue;
      declare(ctx, decl, index);
    }
  }
}

function declare(ctx: CheckContext, decl: Declaration, file: number): void {
  const name = decl.name.name;
  const first = findDeclaration(ctx, name);
  if (first) {
    reportDuplicate(ctx, decl, file, first);
    return;
  }
  const { model } = ctx;
  switch (decl.kind) {
    case 'calendar':
      model.calendars.set(name, { decl, file });
      break;
    case 'role':
      model.roles.set(name, { decl, file });
      break;
    case 'rule':
      model.rules.set(name, { decl, file });
      break;
    case 'process':
      model.processes.set(name, { decl, file });
      break;
    case 'monitor':
      model.monitors.set(name, { decl, file });
      break;
  }
}

function reportDuplicate(
  ctx: CheckContext,
  decl: Declaration,
  file: number,
  first: Declared<Declaration>,
): void {
  const here = fileOf(ctx, file).path;
  const there = fileOf(ctx, first.file).path;
  const where = first.file === file ? '' : ` in \`${there}\``;
  ctx.report.error('CH3101', here, decl.name.span, `\`${decl.name.name}\` is already declared${where}`, {
    help: 'calendars, roles, rules, processes and monitors share one namespace: rename one of them',
    related: [
      { message: `first declared here as a ${first.decl.kind}`, file: there, span: first.decl.name.span },
    ],
  });
}

export function findDeclaration(ctx: CheckContext, name: string): Declared<Declaration> | undefined {
  const { model } = ctx;
  return (
    model.calendars.get(name) ??
    model.roles.get(name) ??
    model.rules.get(name) ??
    model.processes.get(name) ??
    model.monitors.get(name)
  );
}

/** Reports a name that is not of the expected kind: a different kind, or nothing close. */
function reportUnknown(
  ctx: CheckContext,
  file: number,
  ident: Ident,
  kind: DeclKind,
  code: CheckCode,
  candidates: Iterable<string>,
): void {
  const path = fileOf(ctx, file).path;
  const other = findDeclaration(ctx, ident.name);
  const suggestion = meant(suggest(ident.name, candidates));
  if (other) {
    ctx.report.error(code, path, ident.span, `\`${ident.name}\` is a ${other.decl.kind}, not a ${kind}`, {
      ...suggestion,
      related: [
        {
          message: `\`${ident.name}\` is declared here`,
          file: fileOf(ctx, other.file).path,
          span: other.decl.name.span,
        },
      ],
    });
    return;
  }
  ctx.report.error(code, path, ident.span, `unknown ${kind} \`${ident.name}\``, suggestion);
}

export function lookupRole(ctx: CheckContext, file: number, ident: Ident): Declared<RoleDecl> | undefined {
  const found = ctx.model.roles.get(ident.name);
  if (!found) reportUnknown(ctx, file, ident, 'role', 'CH3201', ctx.model.roles.keys());
  return found;
}

export function lookupCalendar(
  ctx: CheckContext,
  file: number,
  ident: Ident,
): Declared<CalendarDecl> | undefined {
  const found = ctx.model.calendars.get(ident.name);
  if (!found) reportUnknown(ctx, file, ident, 'calendar', 'CH3202', ctx.model.calendars.keys());
  return found;
}

/** A rule by name; reports CH3203 with `fallback` when no suggestion among rules fits. */
export function lookupRule(
  ctx: CheckContext,
  file: number,
  ident: Ident,
  fallback?: Suggestion,
): Declared<RuleDecl> | undefined {
  const found = ctx.model.rules.get(ident.name);
  if (found) return found;
  const suggestion = suggest(ident.name, ctx.model.rules.keys());
  if (suggestion === undefined && fallback?.help !== undefined && !findDeclaration(ctx, ident.name)) {
    ctx.report.error(
      'CH3203',
      fileOf(ctx, file).path,
      ident.span,
      `unknown rule \`${ident.name}\``,
      fallback,
    );
    return undefined;
  }
  reportUnknown(ctx, file, ident, 'rule', 'CH3203', ctx.model.rules.keys());
  return undefined;
}
