// Rules are declared once, outside processes, and typed against the input of every process that
// uses them (directly or through other rules). The IR holds each rule once, so all those typings
// must agree; a rule that no process uses is still checked (with `request` fields unknown) and,
// when the policy file declares it, reported as unused.
import type { Expr, RuleDecl, Span } from '../ast/types.js';
import { useDuration } from './calendars.js';
import { type CheckContext, fileOf } from './context.js';
import { type ExprEnv, type InputEnv } from './expr-env.js';
import { expectBoolean } from './exprs.js';
import { quote } from './expr-env.js';
import type { Declared } from './model.js';
import type { ProcessResult } from './flow.js';
import type { MonitorResult } from './monitors.js';
import { sameType, show, toTypeIR, type Ty } from './types.js';

/** A process or monitor, and the rules it reads directly. */
type RuleUser = ProcessResult | MonitorResult;

/** The user's name and where it is declared, for messages. */
const userOf = (user: RuleUser): { what: string; span: Span } =>
  user.input.kind === 'process'
    ? { what: `process \`${user.input.process}\``, span: user.input.processSpan }
    : { what: `monitor \`${user.input.monitor}\``, span: user.input.monitorSpan };

/**
 * The references to rules in a condition, in source order. An explicit stack rather than
 * recursion, like everything here that follows rules: conditions and chains of rules can be long.
 */
function rulePaths(ctx: CheckContext, expr: Expr): Extract<Expr, { kind: 'path' }>[] {
  const paths: Extract<Expr, { kind: 'path' }>[] = [];
  const pending: Expr[] = [expr];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    switch (node.kind) {
      case 'path': {
        const [only, extra] = node.segments;
        if (only && !extra && ctx.model.rules.has(only.name)) paths.push(node);
        break;
      }
      case 'binary':
        pending.push(node.right, node.left);
        break;
      case 'unary':
        pending.push(node.operand);
        break;
      case 'list':
        pending.push(...[...node.items].reverse());
        break;
      case 'call':
        pending.push(...[...node.args].reverse());
        break;
      default:
        break;
    }
  }
  return paths;
}

/** The rules a rule's condition names directly, in source order. */
const ruleRefs = (ctx: CheckContext, expr: Expr): string[] =>
  rulePaths(ctx, expr).map((path) => path.segments[0]?.name ?? '');

export function checkRules(ctx: CheckContext, processes: RuleUser[]): void {
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

/**
 * CH3210 for every reference that closes a cycle of rules, found by a depth-first walk from each
 * rule in declaration order; `chain` is the walk's path (a stack, not recursion, so that a chain of
 * thousands of rules walks as easily as a short one).
 */
function checkRuleCycles(ctx: CheckContext): void {
  const done = new Set<string>();
  const chain: { name: string; refs: Extract<Expr, { kind: 'path' }>[]; next: number }[] = [];
  const onChain = new Map<string, number>();
  const enter = (name: string): void => {
    const rule = ctx.model.rules.get(name);
    if (!rule || done.has(name)) return;
    // A rule named twice closes a cycle once: the first reference is the one reported.
    const firsts = new Map<string, Extract<Expr, { kind: 'path' }>>();
    for (const path of rulePaths(ctx, rule.decl.condition)) {
      const ref = path.segments[0]?.name ?? '';
      if (!firsts.has(ref)) firsts.set(ref, path);
    }
    onChain.set(name, chain.length);
    chain.push({ name, refs: [...firsts.values()], next: 0 });
  };
  for (const first of ctx.model.rules.keys()) {
    enter(first);
    while (chain.length > 0) {
      const top = chain[chain.length - 1] as (typeof chain)[number];
      const ref = top.refs[top.next++];
      if (ref === undefined) {
        chain.pop();
        onChain.delete(top.name);
        done.add(top.name);
        continue;
      }
      const name = ref.segments[0]?.name ?? '';
      const at = onChain.get(name);
      if (at === undefined) {
        enter(name);
        continue;
      }
      const rule = ctx.model.rules.get(top.name);
      const through = [...chain.slice(at).map((c) => c.name), name].map((n) => `\`${n}\``).join(' → ');
      ctx.report.error(
        'CH3210',
        fileOf(ctx, rule?.file ?? 0).path,
        ref.span,
        `rule \`${name}\` refers to itself: ${through}`,
        {
          help: 'write the condition out in one of these rules',
        },
      );
    }
  }
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

function checkUsed(ctx: CheckContext, name: string, declared: Declared<RuleDecl>, users: RuleUser[]): void {
  ctx.model.used.rules.add(name);
  const runs: { user: RuleUser; types: Map<Expr, Ty> }[] = [];
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
  a: { user: RuleUser; types: Map<Expr, Ty> },
  b: { user: RuleUser; types: Map<Expr, Ty> },
): boolean {
  for (const [expr, typeA] of a.types) {
    const typeB = b.types.get(expr);
    if (!typeB || sameType(typeA, typeB)) continue;
    const [ua, ub] = [userOf(a.user), userOf(b.user)];
    ctx.report.error(
      'CH4015',
      fileOf(ctx, declared.file).path,
      expr.span,
      `rule \`${name}\` reads ${quote({ ctx, file: declared.file }, expr)} as \`${show(typeA)}\` in ${ua.what} but as \`${show(typeB)}\` in ${ub.what}`,
      {
        help: 'give the input fields the rule reads the same types in every process that uses it',
        related: [{ message: `${ub.what} is declared here`, file: ctx.program.main.path, span: ub.span }],
      },
    );
    return false;
  }
  return true;
}
