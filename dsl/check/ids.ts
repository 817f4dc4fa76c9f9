// Step ids: written ones as written, the others `<kind>_<n>`, numbered from 1 per kind among the
// unnamed steps of that kind, in source order (depth first, as the steps read top to bottom).
// Naming or unnaming one step therefore renumbers only later unnamed steps of the same kind.
// Explicit `branch` ids share the namespace, since the engine tracks branches by id too.
import type { Ident, ParallelBranch, ProcessDecl, Span, Step } from '../ast/types.js';
import type { CheckContext } from './context.js';
import { type StepInfo } from './expr-env.js';

export interface StepTable {
  /** The first step (or branch) holding each id. */
  byId: Map<string, StepInfo>;
  /** Every id in source order. */
  order: string[];
}

export function explicitId(step: Step): Ident | null {
  switch (step.kind) {
    case 'approve':
    case 'check':
    case 'reallocate':
    case 'notify':
    case 'wait':
      return step.id;
    default:
      return null;
  }
}

/** Where a step starts: its keyword up to its id, or the keyword alone. */
export function headSpan(step: Step): Span {
  const id = explicitId(step);
  const end = id?.span ?? step.span;
  if (id) return { ...step.span, end: end.end, endLine: end.endLine, endCol: end.endCol };
  const length = step.kind.length;
  return {
    ...step.span,
    end: step.span.offset + length,
    endLine: step.span.line,
    endCol: step.span.col + length,
  };
}

export function assignStepIds(ctx: CheckContext, process: ProcessDecl): StepTable {
  const table: StepTable = { byId: new Map(), order: [] };
  const claimed = new Map<string, { span: Span; explicit: boolean }>();
  const counters = new Map<string, number>();
  const path = ctx.program.main.path;

  /** `step` is null for a branch id: it is claimed but has no results to look up. */
  const claim = (id: string, step: Step | null, span: Span, explicit: boolean): void => {
    const first = claimed.get(id);
    if (!first) {
      claimed.set(id, { span, explicit });
      if (step) {
        table.byId.set(id, { id, step, span });
        table.order.push(id);
      }
      return;
    }
    // Report on a written id, since only a written id can be renamed.
    const [at, other] = explicit ? [span, first] : [first.span, { span, explicit }];
    ctx.report.error(
      'CH3103',
      path,
      at,
      `step id \`${id}\` is already used in process \`${process.name.name}\``,
      {
        help: 'step ids are unique within a process: rename this one',
        related: [
          {
            message: other.explicit ? 'first used here' : 'an unnamed step gets this id automatically',
            file: path,
            span: other.span,
          },
        ],
      },
    );
  };

  const visitBranch = (branch: ParallelBranch): void => {
    if (branch.id) {
      claim(branch.id.name, null, branch.id.span, true);
      ctx.model.branchIds.set(branch, branch.id.name);
    }
    visitAll(branch.steps);
    const single = branch.steps[0];
    if (!branch.id && single) ctx.model.branchIds.set(branch, ctx.model.stepIds.get(single) ?? '');
  };

  const visit = (step: Step): void => {
    const id = explicitId(step);
    if (id) {
      ctx.model.stepIds.set(step, id.name);
      claim(id.name, step, id.span, true);
    } else {
      const n = (counters.get(step.kind) ?? 0) + 1;
      counters.set(step.kind, n);
      ctx.model.stepIds.set(step, `${step.kind}_${n}`);
      claim(`${step.kind}_${n}`, step, headSpan(step), false);
    }
    if (step.kind === 'if') {
      for (const branch of step.branches) visitAll(branch.steps);
      if (step.otherwise) visitAll(step.otherwise.steps);
    } else if (step.kind === 'parallel') {
      step.branches.forEach(visitBranch);
    }
  };
  const visitAll = (steps: readonly Step[]): void => steps.forEach(visit);

  visitAll(process.steps);
  return table;
}
