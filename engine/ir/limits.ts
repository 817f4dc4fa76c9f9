// Limits on what an IR may hold, shared by the front end that enforces them (dsl/check/depth.ts,
// CH5018) and the evaluator that relies on them (engine/expr/depth.ts).

/**
 * The deepest an expression may nest, counting through the rules it uses: a leaf is one level,
 * an operator one more than its deepest operand, a reference to a rule one more than the rule.
 * Compiling, the IR schema, evaluating and explaining all recurse once per level.
 *
 * Why 256: measured with stack probes (padding frames placed before the work, Node 20 with its
 * default stack), an expression at this depth takes about 20% of the main thread's stack in the
 * most stack-hungry stage, the zod schema that reads stored IR back, and at most about 18% in
 * evaluation with its explanation written out (a chain of rules; 6% or less otherwise). The
 * Temporal workflow thread, where the engine runs in production, has about four times the main
 * thread's stack, and there the same takes 2% or less. Real policies nest ten levels or fewer.
 */
export const MAX_EXPRESSION_DEPTH = 256;
