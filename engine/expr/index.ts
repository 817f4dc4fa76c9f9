// The expression evaluator of the engine: conditions, rules and message templates of the IR,
// compiled once into closures, evaluated with three-valued logic (unset fails closed), and
// explained in business words with the policy spans that made each decision.
export type {
  CompiledExpression,
  CompiledValue,
  Evaluation,
  ExprEnvironment,
  Facts,
  Reason,
  RuleEvaluation,
} from './types.js';
export { holds } from './types.js';
export { compileExpression, compileRules, compileValue, evaluateRule, type CompiledRules } from './rules.js';
export { compileTemplate, renderTemplate, type CompiledTemplate } from './templates.js';
export { explain, joinClauses } from './explain.js';
export { sourceOf } from './source.js';
export { MAX_EXPRESSION_DEPTH } from './depth.js';
export { formatDuration, formatNumber, formatValue } from './values.js';
export { formatMoney, minorUnit } from './money.js';
