// Expressions: the environment an expression is checked in, and its typing. One function per
// expression kind, each recording the type it finds (`record`) and reporting what is wrong with
// its own node only; an operand already reported has type `unknown`, which every rule accepts,
// so one mistake gives one diagnostic.
import type { Expr, Span, Template } from '../ast/types.js';
import { suggest } from '../diagnostics/suggest.js';
import { typeCall } from './calls.js';
import { type ExprEnv, filePath, quote, record } from './expr-env.js';
import { wasCut } from '../ast/expr.js';
import { meant } from '../diagnostics/diagnostic.js';
import { quote as stringLiteral } from '../format/expr.js';
import { chainOperands, checkDepth } from './depth.js';
import { type Arithmetic, arithmetic, compareProblem, negate, type Problem } from './operators.js';
import { typePath } from './paths.js';
import { isOrdered, isPrintable, isUnknown, join, listOf, show, T, type Ty } from './types.js';

// ---------------------------------------------------------------------------------------------
// Typing

type BinaryExpr = Extract<Expr, { kind: 'binary' }>;
type ListExpr = Extract<Expr, { kind: 'list' }>;

/**
 * The type of `expr`, with what is wrong in it reported. What remains of an expression cut at
 * 1,000 operators (CH1007) and an expression nested too deep to evaluate (CH5018, depth.ts) are
 * `unknown` without a word: their one problem is already reported, and a half expression's types
 * say nothing about the author's. They are not typed at all (typing recurses once per level, and
 * the depth limit is what keeps that safe), only searched for the rules they use, which still
 * count as used.
 */
export function typeExpr(env: ExprEnv, expr: Expr, expected?: Ty): Ty {
  if (wasCut(expr) || !checkDepth(env.ctx, env.file, expr)) {
    useRulesIn(env, expr);
    return record(env, expr, T.unknown);
  }
  return typeNode(env, expr, expected);
}

/** env.useRule for every rule an expression names, with an explicit stack instead of recursion. */
function useRulesIn(env: ExprEnv, expr: Expr): void {
  const pending: Expr[] = [expr];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.kind === 'path') {
      const [only, extra] = node.segments;
      if (only && !extra && !env.steps?.info(only.name) && env.ctx.model.rules.has(only.name)) {
        env.useRule(only.name);
      }
    } else if (node.kind === 'binary') pending.push(node.left, node.right);
    else if (node.kind === 'unary') pending.push(node.operand);
    else if (node.kind === 'list') pending.push(...node.items);
    else if (node.kind === 'call') pending.push(...node.args);
  }
}

function typeNode(env: ExprEnv, expr: Expr, expected?: Ty): Ty {
  switch (expr.kind) {
    case 'number':
      return record(env, expr, T.number);
    case 'money':
      return record(env, expr, { kind: 'money', currency: expr.currency });
    case 'percent':
      return record(env, expr, T.percentage);
    case 'duration':
      env.useDuration(expr);
      return record(env, expr, T.duration);
    case 'date':
      return record(env, expr, T.date);
    case 'string':
      return record(env, expr, T.text);
    case 'boolean':
      return record(env, expr, T.boolean);
    case 'list':
      return record(env, expr, typeList(env, expr, expected));
    case 'path':
      return typePath(env, expr);
    case 'call':
      return record(env, expr, typeCall(env, expr, typeExpr));
    case 'unary':
      return record(env, expr, typeUnary(env, expr));
    case 'binary':
      return record(env, expr, typeBinary(env, expr));
  }
}

/** Types a condition and reports CH4007 when it is not true or false. */
export function expectBoolean(env: ExprEnv, expr: Expr, what: string): void {
  const type = typeExpr(env, expr, T.boolean);
  if (type.kind === 'boolean' || type.kind === 'unknown') return;
  env.ctx.report.error(
    'CH4007',
    filePath(env),
    expr.span,
    `${what} must be true or false, but ${quote(env, expr)} is \`${show(type)}\``,
    {
      help: 'compare the value, e.g. with `==` or `>`',
    },
  );
}

/**
 * A list's type comes from its items; only an empty list takes the type its context expects
 * (`x in []`, a default `[]`), so that items are never judged against a guess.
 */
function typeList(env: ExprEnv, expr: ListExpr, expected?: Ty): Ty {
  if (expr.items.length === 0) return listOf(expected?.kind === 'list' ? expected.element : T.unknown);
  let element: Ty = T.unknown;
  let first: Expr | undefined;
  for (const item of expr.items) {
    const type = typeExpr(env, item);
    const joined = join(element, type);
    if (joined) {
      element = joined;
      if (type.kind !== 'unknown') first ??= item;
      continue;
    }
    env.ctx.report.error(
      'CH4016',
      filePath(env),
      item.span,
      `list item ${quote(env, item)} is \`${show(type)}\`, not \`${show(element)}\``,
      {
        help: 'all items of a list have one type',
        related: first && [
          {
            message: `the list's type comes from ${quote(env, first)}`,
            file: filePath(env),
            span: first.span,
          },
        ],
      },
    );
  }
  return listOf(element);
}

function typeUnary(env: ExprEnv, expr: Extract<Expr, { kind: 'unary' }>): Ty {
  if (expr.op === 'not') {
    expectBoolean(env, expr.operand, 'the value after `not`');
    return T.boolean;
  }
  const operand = typeExpr(env, expr.operand);
  const type = negate(operand);
  if (type) return type;
  env.ctx.report.error('CH4001', filePath(env), expr.span, `cannot negate \`${show(operand)}\``, {
    help: 'only numbers, money, percentages and durations have a negative',
  });
  return T.unknown;
}

function typeBinary(env: ExprEnv, expr: BinaryExpr): Ty {
  switch (expr.op) {
    case 'and':
    case 'or':
      // The whole chain `a and b and c` at once, in a loop: a chain of a thousand operands would
      // otherwise cost a thousand nested calls here.
      for (const operand of chainOperands(expr)) expectBoolean(env, operand, `each side of \`${expr.op}\``);
      for (let link = expr.left; link.kind === 'binary' && link.op === expr.op; link = link.left) {
        record(env, link, T.boolean);
      }
      return T.boolean;
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      typeComparison(env, expr);
      return T.boolean;
    case 'in':
      typeIn(env, expr);
      return T.boolean;
    default:
      return typeArithmetic(env, expr, expr.op);
  }
}

function typeComparison(env: ExprEnv, expr: BinaryExpr): void {
  const left = typeExpr(env, expr.left);
  const right = typeExpr(env, expr.right, left);
  const ordered = expr.op !== '==' && expr.op !== '!=';
  if (
    !ordered &&
    (checkEnumLiteral(env, expr.left, left, expr.right) ||
      checkEnumLiteral(env, expr.right, right, expr.left))
  ) {
    return;
  }
  const problem = compareProblem(left, right);
  if (problem) {
    const message = `cannot compare ${quote(env, expr.left)} (\`${show(left)}\`) with ${quote(env, expr.right)} (\`${show(right)}\`)`;
    reportProblem(env, expr.span, problem, message);
    return;
  }
  if (!ordered || isUnknown(left) || isUnknown(right) || isOrdered(left)) return;
  env.ctx.report.error(
    'CH4001',
    filePath(env),
    expr.span,
    `\`${expr.op}\` cannot order \`${show(left)}\` values`,
    {
      help: 'only numbers, money, percentages, durations and dates have an order',
    },
  );
}

/**
 * `request.risk == "hihg"`: an enumeration compared with a text literal it cannot hold. Returns
 * true when the pair was an enumeration and a literal (reported or fine), so the caller stops.
 */
function checkEnumLiteral(env: ExprEnv, enumSide: Expr, type: Ty, other: Expr): boolean {
  if (type.kind !== 'enum' || other.kind !== 'string') return false;
  if (type.values.includes(other.value)) return true;
  const values = [...new Set(type.values)].map((v) => `\`${JSON.stringify(v)}\``).join(', ');
  // The span is the literal with its quotes, so the suggestion is one too.
  const close = suggest(other.value, type.values);
  const suggestion = meant(close === undefined ? undefined : stringLiteral(close));
  env.ctx.report.error(
    'CH4005',
    filePath(env),
    other.span,
    `${quote(env, enumSide)} can never be \`${JSON.stringify(other.value)}\``,
    {
      help: suggestion.help ?? `its values are ${values}`,
      fix: suggestion.fix,
    },
  );
  return true;
}

function typeIn(env: ExprEnv, expr: BinaryExpr): void {
  const left = typeExpr(env, expr.left);
  const right = typeExpr(env, expr.right, listOf(left));
  if (right.kind === 'unknown') return;
  if (right.kind !== 'list') {
    env.ctx.report.error(
      'CH4006',
      filePath(env),
      expr.right.span,
      `\`in\` needs a list on the right, but ${quote(env, expr.right)} is \`${show(right)}\``,
      {
        help: 'write the values as a list, e.g. `["high", "medium"]`',
      },
    );
    return;
  }
  if (compareProblem(left, right.element) !== null) {
    env.ctx.report.error(
      'CH4006',
      filePath(env),
      expr.span,
      `${quote(env, expr.left)} is \`${show(left)}\`, but the list holds \`${show(right.element)}\``,
      { help: 'the value and the list items must have the same type' },
    );
    return;
  }
  if (left.kind === 'enum' && expr.right.kind === 'list') {
    for (const item of expr.right.items) checkEnumLiteral(env, expr.left, left, item);
  }
}

function typeArithmetic(env: ExprEnv, expr: BinaryExpr, op: Arithmetic): Ty {
  const left = typeExpr(env, expr.left);
  const right = typeExpr(env, expr.right);
  const result = arithmetic(op, left, right);
  if ('type' in result) return result.type;
  reportProblem(
    env,
    expr.span,
    result.problem,
    `cannot apply \`${op}\` to \`${show(left)}\` and \`${show(right)}\``,
  );
  return T.unknown;
}

function reportProblem(env: ExprEnv, span: Span, problem: Problem, message: string): void {
  env.ctx.report.error(problem.code, filePath(env), span, message, { help: problem.help });
}

/** Types every hole of a message and reports holes whose value cannot be printed (CH4010). */
export function checkTemplate(env: ExprEnv, template: Template): void {
  for (const part of template.parts) {
    if (typeof part === 'string') continue;
    const type = typeExpr(env, part);
    if (isPrintable(type)) continue;
    env.ctx.report.error(
      'CH4010',
      filePath(env),
      part.span,
      `${quote(env, part)} is \`${show(type)}\`, which cannot be printed in a message`,
      {
        help:
          type.kind === 'boolean'
            ? 'choose the wording with an `if` instead of printing true or false'
            : 'print the items one by one, or their `count`',
      },
    );
  }
}
