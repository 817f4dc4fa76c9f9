// A monitor by itself: it must say when it runs, what each project must satisfy and who owns a
// finding (CH5019); its schedule is read in one calendar's time zone (CH5020); its conditions
// are typed against projects, `today` and process histories (monitor-paths.ts); its durations
// count on calendars as an approval's do (reminders and escalations on the deadline's calendar).
import type { Expr, MonitorDecl } from '../ast/types.js';
import { checkApprovers } from './approvers.js';
import { namedCalendar, useDuration } from './calendars.js';
import { type CheckContext, fileOf, listNames } from './context.js';
import type { ExprEnv, InputEnv } from './expr-env.js';
import { checkTemplate, expectBoolean } from './exprs.js';
import type { Declared, SemanticModel } from './model.js';
import { toTypeIR, type Ty } from './types.js';

export interface MonitorResult {
  monitor: Declared<MonitorDecl>;
  input: InputEnv & { kind: 'monitor' };
  /** Rules the monitor reads directly, in the order first read. */
  rules: Set<string>;
}

export function checkMonitor(ctx: CheckContext, monitor: Declared<MonitorDecl>): MonitorResult {
  const { decl, file } = monitor;
  const rules = new Set<string>();
  const types = new Map<Expr, Ty>();
  const input = {
    kind: 'monitor',
    monitor: decl.name.name,
    monitorSpan: decl.name.span,
    viaRule: null,
  } as const;
  const env: ExprEnv = {
    ctx,
    file,
    types,
    input,
    steps: null,
    useRule: (name) => rules.add(name),
    useDuration: (d) =>
      useDuration(ctx, file, d, { inherited: undefined, markUsed: true, inExpression: true }),
  };
  reportMissing(ctx, monitor);
  checkSchedule(ctx, monitor);
  if (decl.where) expectBoolean(env, decl.where.condition, `the \`where\` of monitor \`${decl.name.name}\``);
  if (decl.require) {
    expectBoolean(env, decl.require.condition, `the \`require\` of monitor \`${decl.name.name}\``);
    if (decl.require.message) checkTemplate(env, decl.require.message);
  }
  checkApprovers(env, decl.owner);
  checkApprovers(env, decl.waivers);
  for (const escalation of decl.escalations) checkApprovers(env, escalation.to);
  const own = { inherited: undefined, markUsed: true, inExpression: false };
  const inherited = decl.within ? useDuration(ctx, file, decl.within.duration, own) : undefined;
  if (decl.remindEvery) useDuration(ctx, file, decl.remindEvery, { ...own, inherited });
  for (const escalation of decl.escalations) useDuration(ctx, file, escalation.after, { ...own, inherited });
  for (const [expr, type] of types) ctx.model.types.set(expr, toTypeIR(type));
  return { monitor, input, rules };
}

function reportMissing(ctx: CheckContext, { decl, file }: Declared<MonitorDecl>): void {
  const missing: { clause: string; help: string }[] = [];
  if (!decl.every)
    missing.push({ clause: 'every', help: 'say when it runs, e.g. `every mon 08:00 on office`' });
  if (!decl.require)
    missing.push({
      clause: 'require',
      help: 'say what each project must satisfy, e.g. `require project.health != "red"`',
    });
  if (decl.owner.length === 0)
    missing.push({ clause: 'owner', help: 'say who owns a finding, e.g. `owner project.manager`' });
  for (const { clause, help } of missing) {
    ctx.report.error(
      'CH5019',
      fileOf(ctx, file).path,
      decl.name.span,
      `monitor \`${decl.name.name}\` has no \`${clause}\` clause`,
      {
        help,
      },
    );
  }
}

/**
 * The calendar whose zone the schedule's time is read in: the one named, else the policy's only
 * calendar, else UTC when there is none; with several and none named the time is ambiguous.
 */
export function scheduleCalendar(ctx: CheckContext, decl: MonitorDecl, file: number): string | null | false {
  const every = decl.every;
  if (!every) return false;
  const named = namedCalendar(ctx, file, every.calendar);
  if (named !== undefined) return named;
  const calendars = [...ctx.model.calendars.keys()];
  if (calendars.length <= 1) return calendars[0] ?? null;
  return false;
}

/** For the compiler, after an error-free check: the calendar named, the only one, or none (UTC). */
export function scheduleCalendarOf(model: SemanticModel, decl: MonitorDecl): string | null {
  return decl.every?.calendar?.name ?? (model.calendars.size === 1 ? [...model.calendars.keys()][0]! : null);
}

function checkSchedule(ctx: CheckContext, { decl, file }: Declared<MonitorDecl>): void {
  const every = decl.every;
  if (!every) return;
  const calendar = scheduleCalendar(ctx, decl, file);
  if (typeof calendar === 'string') {
    ctx.model.used.calendars.add(calendar);
    return;
  }
  if (calendar === null || every.calendar !== null) return;
  const calendars = [...ctx.model.calendars.keys()];
  ctx.report.error(
    'CH5020',
    fileOf(ctx, file).path,
    every.time.span,
    `\`${every.time.value}\` needs a time zone, but the policy declares ${calendars.length} calendars (${listNames(calendars)})`,
    { help: `add \`on <calendar>\` after the time, naming ${listNames(calendars, 'or')}` },
  );
}
