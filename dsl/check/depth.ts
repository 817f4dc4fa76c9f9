// How deep an expression nests once compiled, and CH5018 where it nests deeper than the engine
// evaluates (MAX_EXPRESSION_DEPTH levels counting through the rules it uses, engine/ir/limits.ts).
// Every stage after the checker (compiling, the IR schema, evaluating, explaining) recurses once
// per level, so a policy that passes `charter check` must stay within the limit, or it could pass
// check and publish and then overflow the stack in a running workflow.
//
// The depth is that of the IR the compiler emits, exactly: the compiler builds chains of `and` and
// `or` with foldChain below and the checker measures them with the same function, so the two
// cannot disagree. One diagnostic per cause: an expression that is too deep because a rule it
// uses is too deep is left to that rule's own report, so a chain of 1,500 rules gets one report,
// at the rule where the chain first passes the limit.
import type { Expr, Span } from '../ast/types.js';
import { MAX_EXPRESSION_DEPTH } from '../../engine/ir/limits.js';
import { type CheckContext, fileOf } from './context.js';
import type { SemanticModel } from './model.js';

type BinaryExpr = Extract<Expr, { kind: 'binary' }>;

/**
 * Chains of `and`/`or` up to this many operands nest leaning left, as the parser reads them and as
 * they always did (so the IR and hash of every policy with such chains is unchanged); a longer
 * chain becomes a balanced tree, so that its depth grows with the logarithm of its length.
 */
export const LEFT_LEANING_CHAIN = 16;

/** Builds a chain of `items` joined pairwise, in order: the one shape of `and`/`or` chains. */
export function foldChain<T>(items: readonly T[], join: (left: T, right: T) => T): T {
  if (items.length <= LEFT_LEANING_CHAIN) {
    let folded = items[0] as T;
    for (let i = 1; i < items.length; i++) folded = join(folded, items[i] as T);
    return folded;
  }
  return balanced(items, join);
}

function balanced<T>(items: readonly T[], join: (left: T, right: T) => T): T {
  if (items.length === 1) return items[0] as T;
  const half = Math.ceil(items.length / 2);
  return join(balanced(items.slice(0, half), join), balanced(items.slice(half), join));
}

/**
 * The operands of `a and b and c`, in order: the left spine of the same operator, as the parser
 * folds it. A right operand of the same operator was parenthesized by the author and stays one
 * operand (a chain of its own), as the formatter keeps it.
 */
export function chainOperands(expr: BinaryExpr): Expr[] {
  const operands: Expr[] = [];
  let node: Expr = expr;
  while (node.kind === 'binary' && node.op === expr.op) {
    operands.push(node.right);
    node = node.left;
  }
  operands.push(node);
  return operands.reverse();
}

const isChain = (expr: Expr): boolean => expr.kind === 'binary' && (expr.op === 'and' || expr.op === 'or');

// ---------------------------------------------------------------------------------------------
// Measuring

/** Depths of every expression measured so far, per checked program. */
const measured = new WeakMap<SemanticModel, Map<Expr, number>>();

/** The rule a one-segment path names, if any: its condition is evaluated where the path stands. */
function ruleCondition(ctx: CheckContext, expr: Expr): Expr | undefined {
  if (expr.kind !== 'path' || expr.segments.length !== 1) return undefined;
  const [name] = expr.segments;
  return name ? ctx.model.rules.get(name.name)?.decl.condition : undefined;
}

/** What a node's depth is made of: its operands, or for a rule reference the rule's condition. */
function partsOf(ctx: CheckContext, expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'binary':
      return isChain(expr) ? chainOperands(expr) : [expr.left, expr.right];
    case 'unary':
      return [expr.operand];
    case 'list':
      return expr.items;
    case 'call':
      return expr.args;
    case 'path': {
      const condition = ruleCondition(ctx, expr);
      return condition ? [condition] : [];
    }
    default:
      return [];
  }
}

function combine(expr: Expr, depths: readonly number[]): number {
  if (isChain(expr)) return foldChain(depths, (left, right) => 1 + Math.max(left, right));
  let deepest = 0;
  for (const depth of depths) deepest = Math.max(deepest, depth);
  return deepest + 1;
}

/**
 * Levels of `expr` as the evaluator meets them, through the rules it uses; memoized per program,
 * so the checker can ask at every node it types. An explicit stack, since a chain of rules can be
 * far longer than recursion allows; a rule met again while its own depth is being measured (a
 * cycle, reported as CH3210) counts as one level.
 */
export function depthOf(ctx: CheckContext, expr: Expr): number {
  let depths = measured.get(ctx.model);
  if (!depths) {
    depths = new Map();
    measured.set(ctx.model, depths);
  }
  const known = depths.get(expr);
  if (known !== undefined) return known;
  const open = new Set<Expr>();
  const frames: { node: Expr; parts: readonly Expr[]; next: number }[] = [];
  const enter = (node: Expr): void => {
    open.add(node);
    frames.push({ node, parts: partsOf(ctx, node), next: 0 });
  };
  enter(expr);
  while (frames.length > 0) {
    const top = frames[frames.length - 1] as (typeof frames)[number];
    const part = top.parts[top.next];
    if (part !== undefined) {
      top.next++;
      if (!depths.has(part) && !open.has(part)) enter(part);
      continue;
    }
    frames.pop();
    open.delete(top.node);
    depths.set(
      top.node,
      combine(
        top.node,
        top.parts.map((p) => depths.get(p) ?? 1),
      ),
    );
  }
  return depths.get(expr) ?? 1;
}

// ---------------------------------------------------------------------------------------------
// Reporting

/**
 * Whether `expr` is within the limit; if not, CH5018 at the place where it passes the limit, unless
 * a rule it uses is itself too deep (that rule's report is the one that helps).
 */
export function checkDepth(ctx: CheckContext, file: number, expr: Expr): boolean {
  const depth = depthOf(ctx, expr);
  if (depth <= MAX_EXPRESSION_DEPTH) return true;
  // Walk down the deepest operands to the lowest node still beyond the limit.
  let node = expr;
  for (;;) {
    const deepest = deepestPart(ctx, node);
    if (!deepest || depthOf(ctx, deepest) <= MAX_EXPRESSION_DEPTH) break;
    if (node.kind === 'path') return false;
    node = deepest;
  }
  const message = `this expression nests ${depth.toLocaleString('en')} levels deep, and at most ${MAX_EXPRESSION_DEPTH} are allowed`;
  const source = fileOf(ctx, file);
  const rule = node.kind === 'path' && ruleCondition(ctx, node) ? rulesAlong(ctx, node) : null;
  ctx.report.error('CH5018', source.path, placeOf(node, source.text), message, {
    help: rule === null ? helpFor(node) : ruleHelp(rule, depthOf(ctx, node) - 1),
  });
  return false;
}

function deepestPart(ctx: CheckContext, expr: Expr): Expr | undefined {
  let deepest: Expr | undefined;
  for (const part of partsOf(ctx, expr)) {
    if (!deepest || depthOf(ctx, part) > depthOf(ctx, deepest)) deepest = part;
  }
  return deepest;
}

/** The rules a reference goes through along its deepest path: `r127`, `r126`, ... (at most 4). */
function rulesAlong(ctx: CheckContext, path: Expr): string[] {
  const names: string[] = [];
  for (let node: Expr | undefined = path; node && names.length < 4; node = deepestPart(ctx, node)) {
    if (node.kind === 'path' && ruleCondition(ctx, node)) names.push(node.segments[0]?.name ?? '');
  }
  return names;
}

function ruleHelp(names: readonly string[], levels: number): string {
  const [first = ''] = names;
  if (names.length === 1) {
    return `rule \`${first}\` is ${levels} levels deep by itself, so using it passes the limit: make its condition shallower`;
  }
  const chain = names.map((n) => `\`${n}\``).join(' → ') + (names.length >= 4 ? ' → …' : '');
  return (
    `a rule is as deep as the rules it uses plus its own condition, and \`${first}\` is ${levels} ` +
    `levels deep (${chain}): write some of these rules out in one, where a chain of \`and\` or \`or\` ` +
    'costs almost nothing'
  );
}

function helpFor(node: Expr): string {
  if (node.kind === 'unary') return 'each `-` and each `not` is a level: remove the ones that cancel out';
  if (node.kind === 'binary' && ['+', '-', '*', '/'].includes(node.op)) {
    return 'each operator in `a + b + c` is a level: group the terms in parentheses, as in `(a + b) + (c + d)`';
  }
  return 'split the expression, for example into rules joined with `and` or `or`';
}

/** The operator where the limit is passed (a binary or prefix operator, `[`, a call), or the node. */
function placeOf(node: Expr, text: string): Span {
  switch (node.kind) {
    case 'binary':
      return operatorBetween(node.left.span, text) ?? node.span;
    case 'unary': {
      const length = node.op === 'not' ? 3 : 1;
      return {
        ...node.span,
        end: node.span.offset + length,
        endLine: node.span.line,
        endCol: node.span.col + length,
      };
    }
    case 'list':
      return { ...node.span, end: node.span.offset + 1, endLine: node.span.line, endCol: node.span.col + 1 };
    case 'call':
      return node.callee.span;
    default:
      return node.span;
  }
}

/** The operator after the left operand: past spaces, line ends, `)` and comments. */
function operatorBetween(left: Span, text: string): Span | undefined {
  let offset = left.end;
  let line = left.endLine;
  let col = left.endCol;
  while (offset < text.length) {
    const c = text[offset] as string;
    if (c === '#') {
      while (offset < text.length && text[offset] !== '\n' && text[offset] !== '\r') offset++;
    } else if (c === '\n' || c === '\r') {
      offset += c === '\r' && text[offset + 1] === '\n' ? 2 : 1;
      line++;
      col = 1;
    } else if (c === ' ' || c === '\t' || c === ')') {
      offset++;
      col++;
    } else {
      break;
    }
  }
  const word = /^(?:[a-z]+|[=!<>]=?|[-+*/])/.exec(text.slice(offset, offset + 4))?.[0];
  if (!word) return undefined;
  return { offset, end: offset + word.length, line, col, endLine: line, endCol: col + word.length };
}
