// How deep an expression nests, counting through the rules it uses, against the limit of the IR
// (engine/ir/limits.ts). Compiling and evaluating recurse once per level (each node is a closure
// that calls its operands'), and a rule that uses a rule goes one level deeper than that rule: a
// chain of 1,500 rules, each using the one before, used to pass `charter check` and then overflow
// the stack in the simulator and the workflow. The checker reports CH5018 where the limit is
// passed, so no such policy is published; the evaluator applies the same limit to IR that never
// went through the checker, and compiles such an expression to an unset value with a reason.
import { MAX_EXPRESSION_DEPTH } from '../ir/limits.js';
import type { ExprIR } from '../ir/types.js';

export { MAX_EXPRESSION_DEPTH };

/** The operands of a node, in order. */
function operandsOf(expr: ExprIR): readonly ExprIR[] {
  switch (expr.op) {
    case 'not':
    case 'neg':
      return [expr.arg];
    case 'list':
      return expr.items;
    case 'call':
      return expr.args;
    case 'literal':
    case 'input':
    case 'stepResult':
    case 'rule':
    case 'project':
    case 'today':
    case 'history':
      return [];
    default:
      return [expr.left, expr.right];
  }
}

/**
 * Levels of `expr`: 1 for a leaf, one more than its deepest operand otherwise, and a rule
 * reference one more than the rule (`ruleDepth`, 1 for a rule that cannot be expanded). An
 * explicit stack instead of recursion, since the point is to measure IR that may be too deep to
 * recurse over.
 */
export function expressionDepth(expr: ExprIR, ruleDepth: (name: string) => number): number {
  const depths = new Map<ExprIR, number>();
  const stack: ExprIR[] = [expr];
  while (stack.length > 0) {
    const node = stack[stack.length - 1] as ExprIR;
    const operands = operandsOf(node);
    const pending = operands.filter((operand) => !depths.has(operand));
    if (pending.length > 0) {
      stack.push(...pending);
      continue;
    }
    stack.pop();
    let deepest = node.op === 'rule' ? ruleDepth(node.rule) : 0;
    for (const operand of operands) deepest = Math.max(deepest, depths.get(operand) ?? 0);
    depths.set(node, deepest + 1);
  }
  return depths.get(expr) ?? 1;
}

/** The rules an expression names, each once, without recursion. */
export function ruleReferences(expr: ExprIR): Set<string> {
  const names = new Set<string>();
  const stack: ExprIR[] = [expr];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.op === 'rule') names.add(node.rule);
    else stack.push(...operandsOf(node));
  }
  return names;
}

/** The reason an expression beyond the limit gets instead of a value. */
export const tooDeepText = (what: string): string =>
  `${what} nests more than ${MAX_EXPRESSION_DEPTH} levels deep, counting the rules it uses, and is not evaluated`;
