// Who: roles and the approver and recipient lists of steps. Roles are declared outside any
// process, so their members are groups, people and other roles, never `request` fields, and a
// role may not include itself. In steps, bare names are roles and expressions must yield people.
// `leaves` flattens a list into comparable keys (roles expanded) so that approvals can tell how
// many people a list can hold at most and whether `not` excludes them all.
import type { ApproverRef, Expr, Ident, RoleDecl } from '../ast/types.js';
import { type CheckContext, fileOf } from './context.js';
import { typeExpr } from './exprs.js';
import { type ExprEnv, filePath, quote } from './expr-env.js';
import type { Declared } from './model.js';
import { lookupRole } from './scope.js';
import { show, T, type Ty } from './types.js';

export function checkApprovers(env: ExprEnv, refs: readonly ApproverRef[]): void {
  for (const ref of refs) checkApprover(env, ref);
}

function checkApprover(env: ExprEnv, ref: ApproverRef): void {
  switch (ref.kind) {
    case 'role':
      if (lookupRole(env.ctx, env.file, ref.name)) env.ctx.model.used.roles.add(ref.name.name);
      return;
    case 'group':
    case 'person':
      return;
    case 'managerOf':
      expectPeople(env, ref.of, false);
      return;
    case 'path':
      expectPeople(env, ref.path, true);
      return;
  }
}

/** CH4012 unless `expr` is people; `what` names its use (`an approver`, `a grant`). */
export function expectPeople(env: ExprEnv, expr: Expr, listAllowed: boolean, what?: string): void {
  const type = typeExpr(env, expr, T.person);
  if (type.kind === 'unknown' || type.kind === 'person') return;
  if (
    listAllowed &&
    type.kind === 'list' &&
    (type.element.kind === 'person' || type.element.kind === 'unknown')
  )
    return;
  const wanted = listAllowed ? '`person` or `list of person`' : '`person`';
  const use = what ?? (listAllowed ? 'an approver' : '`manager of`');
  env.ctx.report.error(
    'CH4012',
    filePath(env),
    expr.span,
    `${use} needs ${wanted}, but ${quote(env, expr)} is \`${show(type)}\``,
    {
      help: listAllowed
        ? 'declare the input field as `person` or `list of person`'
        : 'declare the input field as `person`',
    },
  );
}

/** One possible source of approvers, comparable across lists. */
export interface Leaf {
  key: string;
  /** True when the leaf is at most one person; false for groups and lists. */
  single: boolean;
}

export function leaves(env: ExprEnv, refs: readonly ApproverRef[]): Leaf[] {
  return (
    refs
      // An unknown role stays as it is (anyone, already reported) so that no check cascades from it.
      .flatMap((ref) =>
        ref.kind === 'role' && env.ctx.model.roles.has(ref.name.name)
          ? expandRole(env.ctx, ref.name.name)
          : [ref],
      )
      .map((ref) => leaf(env, ref))
  );
}

function leaf(env: ExprEnv, ref: ApproverRef): Leaf {
  switch (ref.kind) {
    case 'role':
      // Only an unknown role or a cycle survives expansion: it can be anyone.
      return { key: `unknown@${ref.span.offset}`, single: false };
    case 'group':
      return { key: `group:${ref.id.value}`, single: false };
    case 'person':
      return { key: `person:${ref.id.value}`, single: true };
    case 'managerOf':
      return { key: `manager:${exprKey(ref.of)}`, single: true };
    case 'path': {
      const type: Ty | undefined = env.types.get(ref.path);
      return { key: `path:${exprKey(ref.path)}`, single: type?.kind === 'person' };
    }
  }
}

/** Two paths name the same value when their segments match; other expressions never match. */
function exprKey(expr: Expr): string {
  return expr.kind === 'path' ? expr.segments.map((s) => s.name).join('.') : `expr@${expr.span.offset}`;
}

// ---------------------------------------------------------------------------------------------
// Roles: each member must be a group, a person or another declared role (a role is declared
// outside any process, so it cannot read `request`), roles may not include themselves, and a
// role's people can be listed for the segregation-of-duties and quorum checks.

export function checkRoles(ctx: CheckContext): void {
  for (const declared of ctx.model.roles.values()) checkRole(ctx, declared);
  checkRoleCycles(ctx);
}

function checkRole(ctx: CheckContext, { decl, file }: Declared<RoleDecl>): void {
  for (const member of decl.members) {
    if (member.kind === 'role') lookupRole(ctx, file, member.name);
    if (member.kind !== 'path' && member.kind !== 'managerOf') continue;
    ctx.report.error(
      'CH3211',
      fileOf(ctx, file).path,
      member.span,
      `role \`${decl.name.name}\` cannot read \`request\` or step results`,
      {
        help: 'a role is declared outside any process: list groups, people and roles, and name the requester in the step, e.g. `by request.requester`',
      },
    );
  }
}

/** One report per cycle, at the member that closes it (found by depth-first search). */
function checkRoleCycles(ctx: CheckContext): void {
  const done = new Set<string>();
  const visit = (name: string, chain: string[]): void => {
    if (done.has(name)) return;
    const declared = ctx.model.roles.get(name);
    if (!declared) return;
    for (const member of declared.decl.members) {
      if (member.kind !== 'role') continue;
      const at = chain.indexOf(member.name.name);
      if (at !== -1) reportCycle(ctx, declared, member.name, [...chain.slice(at), member.name.name]);
      else visit(member.name.name, [...chain, member.name.name]);
    }
    done.add(name);
  };
  for (const name of ctx.model.roles.keys()) visit(name, [name]);
}

function reportCycle(ctx: CheckContext, declared: Declared<RoleDecl>, member: Ident, cycle: string[]): void {
  const through = cycle.map((n) => `\`${n}\``).join(' → ');
  ctx.report.error(
    'CH3209',
    fileOf(ctx, declared.file).path,
    member.span,
    `role \`${cycle[0] ?? ''}\` includes itself: ${through}`,
    {
      help: 'list the groups and people directly in one of these roles',
    },
  );
}

/** The members of a role with nested roles expanded; a cycle or unknown role yields nothing more. */
export function expandRole(ctx: CheckContext, name: string, seen = new Set<string>()): ApproverRef[] {
  const declared = ctx.model.roles.get(name);
  if (!declared || seen.has(name)) return [];
  seen.add(name);
  return declared.decl.members.flatMap((member) =>
    member.kind === 'role' && ctx.model.roles.has(member.name.name)
      ? expandRole(ctx, member.name.name, seen)
      : [member],
  );
}

/**
 * Marks every role that a compiled role includes: the roles the processes use and the policy's
 * own roles (always compiled), so that no compiled role names a role left out of the IR.
 */
export function closeUsedRoles(ctx: CheckContext): void {
  const own = [...ctx.model.roles].filter(([, d]) => d.file === 0).map(([name]) => name);
  const pending = [...ctx.model.used.roles, ...own];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const member of ctx.model.roles.get(name)?.decl.members ?? []) {
      if (member.kind !== 'role' || ctx.model.used.roles.has(member.name.name)) continue;
      if (!ctx.model.roles.has(member.name.name)) continue;
      ctx.model.used.roles.add(member.name.name);
      pending.push(member.name.name);
    }
  }
}
