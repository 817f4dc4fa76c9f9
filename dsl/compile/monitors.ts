// Monitors to IR. The schedule's days are spelled out (`mon-wed` is mon, tue, wed) and carry the
// time zone of the calendar they are read in, so that whoever creates the Temporal Schedule needs
// nothing but the monitor.
import type { MonitorDecl } from '../ast/types.js';
import type { MonitorIR, MonitorScheduleIR } from '../../engine/ir/types.js';
import { dayOrder } from '../check/calendars.js';
import type { Declared, SemanticModel } from '../check/index.js';
import { scheduleCalendarOf } from '../check/monitors.js';
import {
  CompileError,
  type Lowering,
  lowerDuration,
  lowerExpr,
  lowerOptionalDuration,
  lowerOptionalTemplate,
  sourceSpan,
} from './exprs.js';
import { lowerApprovers } from './steps.js';

export function lowerMonitor(model: SemanticModel, { decl, file }: Declared<MonitorDecl>): MonitorIR {
  const l: Lowering = { model, file };
  if (!decl.require || !decl.every) {
    throw new CompileError(
      `monitor \`${decl.name.name}\` has no \`require\` or \`every\` after an error-free check`,
    );
  }
  return {
    name: decl.name.name,
    schedule: schedule(model, decl),
    where: decl.where ? lowerExpr(l, decl.where.condition) : null,
    require: lowerExpr(l, decl.require.condition),
    message: lowerOptionalTemplate(l, decl.require.message),
    owner: lowerApprovers(l, decl.owner),
    due: decl.within ? lowerDuration(l, decl.within.duration) : null,
    remindEvery: lowerOptionalDuration(l, decl.remindEvery),
    escalations: decl.escalations.map((e) => ({
      after: lowerDuration(l, e.after),
      to: lowerApprovers(l, e.to),
      span: sourceSpan(l, e.span),
    })),
    waivers: lowerApprovers(l, decl.waivers),
    health: decl.health?.value ?? null,
    span: sourceSpan(l, decl.span),
  };
}

function schedule(model: SemanticModel, decl: MonitorDecl): MonitorScheduleIR {
  const every = decl.every;
  if (!every) throw new CompileError(`monitor \`${decl.name.name}\` has no schedule`);
  const wanted = new Set(
    every.days.flatMap((range) => {
      const from = dayOrder.indexOf(range.from);
      const to = range.to === null ? from : dayOrder.indexOf(range.to);
      return dayOrder.slice(from, to + 1);
    }),
  );
  const calendar = scheduleCalendarOf(model, decl);
  const timezone = calendar === null ? 'UTC' : (model.calendars.get(calendar)?.decl.timezone?.value ?? 'UTC');
  return { days: dayOrder.filter((d) => wanted.has(d)), time: every.time.value, calendar, timezone };
}
