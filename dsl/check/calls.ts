// The built-in functions: their names, how many arguments each takes, what each argument must
// be and what the call yields. A call with the wrong count still types its arguments, so that a
// mistake inside them is reported too.
import type { Expr } from '../ast/types.js';
import type { BuiltinFunction } from '../../engine/ir/types.js';
import { suggest } from '../diagnostics/suggest.js';
import { type ExprEnv, filePath, quote, type TypeOf } from './expr-env.js';
import { compareProblem } from './operators.js';
import { inputField } from './paths.js';
import { OPTIONAL_PROJECT_FIELDS } from './monitor-paths.js';
import { meant } from '../diagnostics/diagnostic.js';
import { isOrdered, isTextual, isUnknown, join, show, T, type Ty } from './types.js';

type CallExpr = Extract<Expr, { kind: 'call' }>;

/** An argument rule: undefined when the type fits, else what was expected, for the message. */
type Accepts = (type: Ty) => string | undefined;

const list: Accepts = (t) => (t.kind === 'list' ? undefined : 'a list');
const textual: Accepts = (t) => (isTextual(t) ? undefined : 'text');
const date: Accepts = (t) => (t.kind === 'date' ? undefined : 'a date');
const ordered: Accepts = (t) =>
  isOrdered(t) ? undefined : 'a number, money, a percentage, a duration or a date';
const anything: Accepts = () => undefined;

interface Signature {
  params: Accepts[];
  result(args: Ty[]): Ty;
}

const signatures: Record<BuiltinFunction, Signature> = {
  count: { params: [list], result: () => T.number },
  length: { params: [textual], result: () => T.number },
  contains: { params: [list, anything], result: () => T.boolean },
  lower: { params: [textual], result: () => T.text },
  upper: { params: [textual], result: () => T.text },
  min: { params: [ordered, ordered], result: ([a, b]) => (a && b && join(a, b)) ?? T.unknown },
  max: { params: [ordered, ordered], result: ([a, b]) => (a && b && join(a, b)) ?? T.unknown },
  is_set: { params: [anything], result: () => T.boolean },
  days_between: { params: [date, date], result: () => T.number },
};

export const isBuiltin = (name: string): name is BuiltinFunction => Object.hasOwn(signatures, name);

export function typeCall(env: ExprEnv, call: CallExpr, typeExpr: TypeOf): Ty {
  const name = call.callee.name;
  if (!isBuiltin(name)) {
    for (const arg of call.args) typeExpr(env, arg);
    const suggestion = meant(suggest(name, Object.keys(signatures)));
    env.ctx.report.error(
      'CH3207',
      filePath(env),
      call.callee.span,
      `unknown function \`${name}\``,
      suggestion,
    );
    return T.unknown;
  }
  const signature = signatures[name];
  const types = call.args.map((arg) => typeExpr(env, arg));
  if (types.length !== signature.params.length) {
    reportCount(env, call, signature.params.length);
    return T.unknown;
  }
  let clean = true;
  signature.params.forEach((accepts, i) => {
    const arg = call.args[i];
    const type = types[i];
    if (!arg || !type || isUnknown(type)) return;
    const expected = accepts(type);
    if (expected === undefined) return;
    clean = false;
    env.ctx.report.error(
      'CH4009',
      filePath(env),
      arg.span,
      `\`${name}\` needs ${expected}, but ${quote(env, arg)} is \`${show(type)}\``,
    );
  });
  if (!clean) return T.unknown;
  if (!checkPair(env, call, types)) return T.unknown;
  return signature.result(types);
}

function reportCount(env: ExprEnv, call: CallExpr, expected: number): void {
  const given = call.args.length;
  const plural = (n: number) => (n === 1 ? '1 argument' : `${n} arguments`);
  env.ctx.report.error(
    'CH4008',
    filePath(env),
    call.span,
    `\`${call.callee.name}\` takes ${plural(expected)}, but ${given === 1 ? '1 was' : `${given} were`} given`,
  );
}

/** The rules that relate two arguments, or an argument to a declaration. */
function checkPair(env: ExprEnv, call: CallExpr, types: Ty[]): boolean {
  const [a, b] = types;
  const [argA, argB] = call.args;
  switch (call.callee.name) {
    case 'contains': {
      if (!a || !b || a.kind !== 'list' || !argB || compareProblem(a.element, b) === null) return true;
      env.ctx.report.error(
        'CH4009',
        filePath(env),
        argB.span,
        `${quote(env, argB)} is \`${show(b)}\`, but the list holds \`${show(a.element)}\``,
      );
      return false;
    }
    case 'min':
    case 'max': {
      if (!a || !b || !argB || join(a, b)) return true;
      env.ctx.report.error(
        'CH4009',
        filePath(env),
        argB.span,
        `\`${call.callee.name}\` needs two values of one type, not \`${show(a)}\` and \`${show(b)}\``,
      );
      return false;
    }
    case 'is_set':
      return argA === undefined || a === undefined || isUnknown(a) || checkIsSet(env, argA);
    default:
      return true;
  }
}

function checkIsSet(env: ExprEnv, arg: Expr): boolean {
  if (env.input.kind === 'unchecked') return true;
  if (arg.kind === 'path' && mayBeUnset(env, arg)) return true;
  const field = arg.kind === 'path' ? inputField(env, arg) : undefined;
  if (field && (field.optional || field.default !== null)) return true;
  const message = field
    ? `\`${field.name.name}\` is not optional, so it is always set`
    : `\`is_set\` needs an optional input field, not ${quote(env, arg)}`;
  env.ctx.report.error('CH4017', filePath(env), arg.span, message, {
    help:
      env.input.kind === 'monitor'
        ? `in a monitor, \`is_set\` takes a project field that may be empty (${OPTIONAL_PROJECT_FIELDS.map((f) => `\`project.${f}\``).join(', ')}) or \`<process>.last_approved\``
        : 'declare the field `optional` and pass it as `request.<field>`',
  });
  return false;
}

/** In a monitor: a project field that may be empty, or a process history (maybe never approved). */
function mayBeUnset(env: ExprEnv, path: Extract<Expr, { kind: 'path' }>): boolean {
  const target = env.ctx.model.paths.get(path);
  if (target?.kind === 'history') return true;
  return target?.kind === 'project' && OPTIONAL_PROJECT_FIELDS.includes(target.field);
}
