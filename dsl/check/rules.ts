// Rules are declared once, outside processes, and typed against the input of every process that
// uses them (directly or through other rules). The IR holds each rule once, so all those typings
// must agree; a rule that no process uses is still checked (with `request` fields unknown) and,
// when the policy file declares it, reported as unused.
import type { Expr, RuleDecl } from '../ast.js';
import { useDuration } from './calendars.js';
import { type CheckContext, fileOf } from './context.js';
import type { ExprEnv, InputEnv } from './exprs.js';
import { expectBoolean, quote } from './exprs.js';
import type { Declared } from './index.js';
import type { ProcessResult } from './flow.js';
import { sameType, show, toTypeIR, type Ty } from './types.js';

/** The rules a rule's condition names directly, in source order. */
function ruleRefs(ctx: CheckContext, expr: Expr): string[] {
  switch (expr.kind) {
    case 'path': {
      const [only, extra] = expr.segments;
      return only && !extra && ctx.model.rules.has(only.name) ? [only.name] : [];
    }
    case 'binary':
      return [...ruleRefs(ctx, expr.left), ...ruleRefs(ctx, expr.right)];
    case 'unary':
      return ruleRefs(ctx, expr.operand);
    case 'list':
      return expr.items.flatMap((item) => ruleRefs(ctx, item));
    case 'call':
      return expr.args.flatMap((arg) => ruleRefs(ctx, arg));
    default:
      return [];
  }
}

/** Paths naming rules, to point a cycle report at the reference that closes it. */
function refSpan(expr: Expr, name: string): Expr['span'] | undefined {
  switch (expr.kind) {
    case 'path':
      return expr.segments.length === 1 && expr.segments[0]?.name === name ? expr.span : undefined;
    case 'binary':
      return refSpan(expr.left, name) ?? refSpan(expr.right, name);
    case 'unary':
      return refSpan(expr.operand, name);
    case 'list':
      return expr.items.map((i) => refSpan(i, name)).find((s) => s !== undefined);
    case 'call':
      return expr.args.map((a) => refSpan(a, name)).find((s) => s !== undefined);
    default:
      return undefined;
  }
}

export function checkRules(ctx: CheckContext, processes: ProcessResult[]): void {
  checkRuleCycles(ctx);
  const reach = processes.map((p) => ({ result: p, rules: closure(ctx, p.rules) }));
  for (const [name, declared] of ctx.model.rules) {
    const users = reach.filter((r) => r.rules.has(name)).map((r) => r.result);
    if (users.length === 0) checkUnused(ctx, name, declared);
    else checkUsed(ctx, name, declared, users);
  }
}

function closure(ctx: CheckContext, direct: ReadonlySet<string>): Set<string> {
  const all = new Set<string>();
  const pending = [...direct];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (all.has(name)) continue;
    all.add(name);
    const rule = ctx.model.rules.get(name);
    if (rule) pending.push(...ruleRefs(ctx, rule.decl.condition));
  }
  return all;
}

function checkRuleCycles(ctx: CheckContext): void {
  const done = new Set<string>();
  const visit = (name: string, chain: string[]): void => {
    const rule = ctx.model.rules.get(name);
    if (done.has(name) || !rule) return;
    for (const ref of ruleRefs(ctx, rule.decl.condition)) {
      const at = chain.indexOf(ref);
      if (at === -1) {
        visit(ref, [...chain, ref]);
        continue;
      }
      const through = [...chain.slice(at), ref].map((n) => `\`${n}\``).join(' → ');
      const span = refSpan(rule.decl.condition, ref) ?? rule.decl.name.span;
      ctx.report.error(
        'CH3210',
        fileOf(ctx, rule.file).path,
        span,
        `rule \`${ref}\` refers to itself: ${through}`,
        {
          help: 'write the condition out in one of these rules',
        },
      );
    }
    done.add(name);
  };
  for (const name of ctx.model.rules.keys()) visit(name, [name]);
}

function typeRule(
  ctx: CheckContext,
  declared: Declared<RuleDecl>,
  input: InputEnv,
  markUsed: boolean,
): Map<Expr, Ty> {
  const types = new Map<Expr, Ty>();
  const env: ExprEnv = {
    ctx,
    file: declared.file,
    types,
    input,
    steps: null,
    useRule: () => undefined,
    useDuration: (d) =>
      useDuration(ctx, declared.file, d, { inherited: undefined, markUsed, inExpression: true }),
  };
  expectBoolean(env, declared.decl.condition, `rule \`${declared.decl.name.name}\``);
  return types;
}

function checkUnused(ctx: CheckContext, name: string, declared: Declared<RuleDecl>): void {
  typeRule(ctx, declared, { kind: 'unchecked' }, false);
  if (declared.file !== 0 || ctx.program.main.ast.header?.kind === 'library') return;
  ctx.report.warning(
    'CH5015',
    ctx.program.main.path,
    declared.decl.name.span,
    `rule \`${name}\` is never used`,
    {
      help:
        'use it in a process (e.g. `if ' +
        name +
        ' { ... }`) or remove it; unused rules are left out of the compiled policy',
    },
  );
}

function checkUsed(
  ctx: CheckContext,
  name: string,
  declared: Declared<RuleDecl>,
  users: ProcessResult[],
): void {
  ctx.model.used.rules.add(name);
  const runs: { user: ProcessResult; types: Map<Expr, Ty> }[] = [];
  for (const user of users) {
    const before = ctx.report.errorCount();
    const types = typeRule(ctx, declared, { ...user.input, viaRule: name }, true);
    if (ctx.report.errorCount() === before) runs.push({ user, types });
  }
  const [first, ...others] = runs;
  if (!first) return;
  for (const other of others) {
    if (!reportDifference(ctx, name, declared, first, other)) break;
  }
  for (const [expr, type] of first.types) ctx.model.types.set(expr, toTypeIR(type));
}

/** CH4015 on the first expression typed differently; returns whether the runs agreed. */
function reportDifference(
  ctx: CheckContext,
  name: string,
  declared: Declared<RuleDecl>,
  a: { user: ProcessResult; types: Map<Expr, Ty> },
  b: { user: ProcessResult; types: Map<Expr, Ty> },
): boolean {
  for (const [expr, typeA] of a.types) {
    const typeB = b.types.get(expr);
    if (!typeB || sameType(typeA, typeB)) continue;
    const [pa, pb] = [a.user.input.process, b.user.input.process];
    ctx.report.error(
      'CH4015',
      fileOf(ctx, declared.file).path,
      expr.span,
      `rule \`${name}\` reads ${quote({ ctx, file: declared.file }, expr)} as \`${show(typeA)}\` in process \`${pa}\` but as \`${show(typeB)}\` in \`${pb}\``,
      {
        help: 'give the input fields the rule reads the same types in every process that uses it',
        related: [
          {
            message: `process \`${pb}\` is declared here`,
            file: ctx.program.main.path,
            span: b.user.input.processSpan,
          },
        ],
      },
    );
    return false;
  }
  return true;
}
