// A process's input schema: field names are unique, enumerations list each value once, and a
// default is a literal of the field's type (it becomes a plain value in the IR, so it cannot
// read anything or compute).
import type { Expr, InputField, TypeExpr } from '../ast/types.js';
import { suggest } from '../diagnostics/suggest.js';
import { type ExprEnv } from './expr-env.js';
import { filePath } from './expr-env.js';
import { typeExpr } from './exprs.js';
import { quote } from './expr-env.js';
import { meant } from '../diagnostics/diagnostic.js';
import { quote as stringLiteral } from '../format/expr.js';
import { assignable, fromTypeExpr, show, type Ty } from './types.js';

/** The fields by name, first declaration winning; every later duplicate is reported. */
export function checkInput(env: ExprEnv, fields: readonly InputField[]): Map<string, InputField> {
  const byName = new Map<string, InputField>();
  for (const field of fields) {
    const first = byName.get(field.name.name);
    if (first) {
      env.ctx.report.error(
        'CH3102',
        filePath(env),
        field.name.span,
        `input field \`${field.name.name}\` is already declared`,
        {
          help: 'rename or remove one of them',
          related: [{ message: 'first declared here', file: filePath(env), span: first.name.span }],
        },
      );
    } else {
      byName.set(field.name.name, field);
    }
    checkEnumValues(env, field.type);
    if (field.default !== null) checkDefault(env, field, field.default);
  }
  return byName;
}

function checkEnumValues(env: ExprEnv, type: TypeExpr): void {
  if (type.kind === 'list') checkEnumValues(env, type.element);
  if (type.kind !== 'enum') return;
  type.values.forEach((value, i) => {
    const first = type.values.slice(0, i).find((v) => v.value === value.value);
    if (!first) return;
    env.ctx.report.error(
      'CH3104',
      filePath(env),
      value.span,
      `\`${JSON.stringify(value.value)}\` is already a value of this enumeration`,
      {
        help: 'remove the repeated value',
        related: [{ message: 'first listed here', file: filePath(env), span: first.span }],
      },
    );
  });
}

/** Literals only: what a default can be. */
export function isConstant(expr: Expr): boolean {
  switch (expr.kind) {
    case 'number':
    case 'money':
    case 'percent':
    case 'duration':
    case 'date':
    case 'string':
    case 'boolean':
      return true;
    case 'list':
      return expr.items.every(isConstant);
    case 'unary':
      return expr.op === '-' && ['number', 'money', 'percent', 'duration'].includes(expr.operand.kind);
    default:
      return false;
  }
}

function checkDefault(env: ExprEnv, field: InputField, value: Expr): void {
  if (!isConstant(value)) {
    env.ctx.report.error(
      'CH4014',
      filePath(env),
      value.span,
      `the default of \`${field.name.name}\` must be a literal value`,
      {
        help: 'write the value itself, e.g. `0`, `"none"` or `[]`',
      },
    );
    return;
  }
  const target = fromTypeExpr(field.type);
  const type = typeExpr(env, value, target);
  if (!assignable(type, target)) {
    env.ctx.report.error(
      'CH4013',
      filePath(env),
      value.span,
      `the default ${quote(env, value)} is \`${show(type)}\`, but \`${field.name.name}\` is \`${show(target)}\``,
      { help: 'give a value of the field type' },
    );
    return;
  }
  checkEnumDefault(env, target, value);
}

/** A text literal standing for an enumeration value must be one of its values. */
function checkEnumDefault(env: ExprEnv, target: Ty, value: Expr): void {
  if (target.kind === 'list' && value.kind === 'list') {
    for (const item of value.items) checkEnumDefault(env, target.element, item);
    return;
  }
  if (target.kind !== 'enum' || value.kind !== 'string' || target.values.includes(value.value)) return;
  const values = target.values.map((v) => `\`${JSON.stringify(v)}\``).join(', ');
  // The span is the literal with its quotes, so the suggestion is one too.
  const close = suggest(value.value, target.values);
  const suggestion = meant(close === undefined ? undefined : stringLiteral(close));
  env.ctx.report.error(
    'CH4005',
    filePath(env),
    value.span,
    `\`${JSON.stringify(value.value)}\` is not a value of \`${show(target)}\``,
    {
      help: suggestion.help ?? `its values are ${values}`,
      fix: suggestion.fix,
    },
  );
}
