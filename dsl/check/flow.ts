// Control flow of a process: which steps can be reached, and which steps have surely run at each
// point (the definitely-run set), so that a step result is only read where it exists.
// - In a block, a step after one that always ends the process is unreachable (reported once per
//   block, on the first such step; the rest are still checked for their own problems).
// - After an `if`, the steps that ran on every branch that can fall through (a missing `else`
//   falls through with the set from before the `if`). The `if` always ends when it has an `else`
//   and every branch always ends.
// - Parallel branches start from the set before `parallel` (siblings run concurrently, so none
//   can read another's results); afterwards all of them have run, because the process only goes
//   on when every branch finished. A branch that always ends makes the whole `parallel` end.
import type { Expr, ProcessDecl, Step } from '../ast/types.js';
import { useDuration } from './calendars.js';
import type { CheckContext } from './context.js';
import { expectBoolean } from './exprs.js';
import { type ExprEnv, type InputEnv, type StepEnv } from './expr-env.js';
import { assignStepIds, headSpan, type StepTable } from './ids.js';
import type { Declared } from './model.js';
import { checkInput } from './inputs.js';
import { checkStep } from './steps.js';
import { toTypeIR, type Ty } from './types.js';

export interface Flow {
  ctx: CheckContext;
  /** The expression environment at a point where exactly `ran` have surely run. */
  envAt(ran: ReadonlySet<string>): ExprEnv;
  /** The id of a step, as ids.ts assigned it. */
  idOf(step: Step): string;
}

interface Outcome {
  ran: Set<string>;
  /** The step that makes this block always end, or null when it can fall through. */
  endsAt: Step | null;
}

export function walkBlock(flow: Flow, steps: readonly Step[], before: ReadonlySet<string>): Outcome {
  let ran = new Set(before);
  let endsAt: Step | null = null;
  let reported = false;
  for (const step of steps) {
    if (endsAt && !reported) {
      reportUnreachable(flow, step, endsAt);
      reported = true;
    }
    const outcome = walkStep(flow, step, ran);
    ran = outcome.ran;
    endsAt ??= outcome.endsAt;
  }
  return { ran, endsAt };
}

function walkStep(flow: Flow, step: Step, before: Set<string>): Outcome {
  switch (step.kind) {
    case 'if':
      return walkIf(flow, step, before);
    case 'parallel':
      return walkParallel(flow, step, before);
    default: {
      checkStep(flow.envAt(before), step);
      const ran = new Set(before).add(flow.idOf(step));
      return { ran, endsAt: step.kind === 'end' ? step : null };
    }
  }
}

function walkIf(flow: Flow, step: Extract<Step, { kind: 'if' }>, before: Set<string>): Outcome {
  const outcomes = step.branches.map((branch) => {
    expectBoolean(flow.envAt(before), branch.condition, 'the condition of `if`');
    return walkBlock(flow, branch.steps, before);
  });
  outcomes.push(
    step.otherwise ? walkBlock(flow, step.otherwise.steps, before) : { ran: before, endsAt: null },
  );
  const through = outcomes.filter((o) => o.endsAt === null);
  if (through.length === 0) return { ran: before, endsAt: step };
  const [first, ...rest] = through;
  const ran = new Set([...(first?.ran ?? [])].filter((id) => rest.every((o) => o.ran.has(id))));
  return { ran, endsAt: null };
}

function walkParallel(flow: Flow, step: Extract<Step, { kind: 'parallel' }>, before: Set<string>): Outcome {
  const ran = new Set(before);
  let ends = false;
  for (const branch of step.branches) {
    const outcome = walkBlock(flow, branch.steps, before);
    for (const id of outcome.ran) ran.add(id);
    ends ||= outcome.endsAt !== null;
  }
  return { ran, endsAt: ends ? step : null };
}

function reportUnreachable(flow: Flow, step: Step, endsAt: Step): void {
  const path = flow.ctx.program.main.path;
  const why =
    endsAt.kind === 'end'
      ? 'the process ends here'
      : `every path through this \`${endsAt.kind}\` ends the process`;
  flow.ctx.report.error('CH5002', path, headSpan(step), `step \`${flow.idOf(step)}\` can never run`, {
    help: 'remove it, or move it before the step that ends the process',
    related: [{ message: why, file: path, span: headSpan(endsAt) }],
  });
}

// ---------------------------------------------------------------------------------------------
// One process: its input schema, its step ids, then its steps in flow order. Returns the rules
// its expressions read directly; rules.ts closes that set over rules that read other rules and
// types each rule against the input of every process that reaches it.

export interface ProcessResult {
  process: Declared<ProcessDecl>;
  input: InputEnv & { kind: 'process' };
  /** Rules the process reads directly, in the order first read. */
  rules: Set<string>;
}

export function checkProcess(ctx: CheckContext, process: Declared<ProcessDecl>): ProcessResult {
  const { decl, file } = process;
  const rules = new Set<string>();
  const types = new Map<Expr, Ty>();
  const base = {
    ctx,
    file,
    types,
    useRule: (name: string) => rules.add(name),
    useDuration: (d: Parameters<ExprEnv['useDuration']>[0]) =>
      useDuration(ctx, file, d, { inherited: undefined, markUsed: true, inExpression: true }),
  };
  // Defaults are checked with no `request` and no steps: they are constants.
  const fields = checkInput({ ...base, input: { kind: 'none' }, steps: null }, decl.input);
  const input = {
    kind: 'process',
    process: decl.name.name,
    processSpan: decl.name.span,
    fields,
    viaRule: null,
  } as const;
  const table = assignStepIds(ctx, decl);
  walkBlock(
    {
      ctx,
      envAt: (ran) => ({ ...base, input, steps: stepEnv(table, ran) }),
      idOf: (step) => ctx.model.stepIds.get(step) ?? '',
    },
    decl.steps,
    new Set(),
  );
  for (const [expr, type] of types) ctx.model.types.set(expr, toTypeIR(type));
  return { process, input, rules };
}

function stepEnv(table: StepTable, ran: ReadonlySet<string>): StepEnv {
  return {
    info: (id) => table.byId.get(id),
    ids: () => table.order,
    hasRun: (id) => ran.has(id),
  };
}
