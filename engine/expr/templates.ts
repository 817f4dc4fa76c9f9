// Message templates: `change {request.title} may proceed ({request.downtime} planned downtime)`.
// Holes print their values in business words without quotes (`80,000 EUR`, `48 hours`,
// `sap-s4, crm`, `yes`); a hole whose value is unset prints `(not set)` rather than failing,
// because a notification with a gap is better than none. Compiled once per template object.
import type { TemplateIR } from '../ir/types.js';
import type { ExprEnvironment, Facts } from './types.js';
import { compileValue } from './rules.js';
import { formatValue } from './values.js';

export type CompiledTemplate = (facts: Facts) => string;

const UNSET = '(not set)';

const templates = new WeakMap<ExprEnvironment, WeakMap<TemplateIR, CompiledTemplate>>();

export function compileTemplate(template: TemplateIR, env: ExprEnvironment): CompiledTemplate {
  const pieces = template.parts.map((part): CompiledTemplate => {
    if ('text' in part) {
      const text = part.text;
      return () => text;
    }
    const value = compileValue(part.expr, env);
    const type = part.expr.type;
    return (facts) => {
      const v = value(facts);
      return v === undefined ? UNSET : formatValue(v, type, 'template');
    };
  });
  return (facts) => {
    let text = '';
    for (const piece of pieces) text += piece(facts);
    return text;
  };
}

/** The message with `{holes}` filled; the compiled template is kept for the next call. */
export function renderTemplate(template: TemplateIR, env: ExprEnvironment, facts: Facts): string {
  let cache = templates.get(env);
  if (!cache) {
    cache = new WeakMap();
    templates.set(env, cache);
  }
  let compiled = cache.get(template);
  if (!compiled) {
    compiled = compileTemplate(template, env);
    cache.set(template, compiled);
  }
  return compiled(facts);
}
