// Business calendars: each declaration must describe real working time (a known time zone,
// at least one hours line, no inverted or overlapping hours), and every business duration must
// count on some calendar: the one it names, else (reminders and escalations) the one its
// approval's `within` names, else the policy's only calendar.
import type { CalendarDecl, DayName, DurationLit, HoursLine, Ident } from '../ast/types.js';
import { suggest } from '../diagnostics/suggest.js';
import { meant } from '../diagnostics/diagnostic.js';
import { quote as stringLiteral } from '../format/expr.js';
import { type CheckContext, fileOf, listNames, sourceText } from './context.js';
import type { Declared } from './model.js';
import { lookupCalendar } from './scope.js';

export const dayOrder: readonly DayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** `HH:MM` as minutes since midnight; `24:00` is 1440, the end of the day. */
export function minutes(time: string): number {
  const [hours, mins] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (mins ?? 0);
}

/** The days a line covers, in week order; a backwards range covers none (it is reported). */
export function daysOf(line: HoursLine): DayName[] {
  const days: DayName[] = [];
  for (const range of line.days) {
    const from = dayOrder.indexOf(range.from);
    const to = range.to === null ? from : dayOrder.indexOf(range.to);
    for (let i = from; i <= to; i++) days.push(dayOrder[i] ?? 'mon');
  }
  return days;
}

export function checkCalendars(ctx: CheckContext): void {
  for (const declared of ctx.model.calendars.values()) checkCalendar(ctx, declared);
}

function checkCalendar(ctx: CheckContext, { decl, file }: Declared<CalendarDecl>): void {
  const path = fileOf(ctx, file).path;
  const name = decl.name.name;
  if (decl.timezone === null) {
    ctx.report.error('CH5011', path, decl.name.span, `calendar \`${name}\` has no time zone`, {
      help: 'add `timezone "<IANA zone>"`, e.g. `timezone "Europe/Berlin"`',
    });
  } else if (!isTimeZone(decl.timezone.value)) {
    // The span is the string with its quotes, so the fix keeps them.
    const zone = suggest(decl.timezone.value, timeZoneNames());
    const suggestion = meant(zone, zone === undefined ? undefined : stringLiteral(zone));
    ctx.report.error('CH3208', path, decl.timezone.span, `unknown time zone \`${decl.timezone.value}\``, {
      fix: suggestion.fix,
      help: suggestion.help ?? 'use an IANA zone name such as `Europe/Berlin`, `America/New_York` or `UTC`',
    });
  }
  if (decl.hours.length === 0) {
    ctx.report.error('CH5010', path, decl.name.span, `calendar \`${name}\` has no working hours`, {
      help: 'add at least one line such as `hours mon-fri 09:00-17:00`',
    });
  }
  for (const line of decl.hours) checkHoursLine(ctx, path, line);
  checkOverlaps(ctx, path, decl.hours);
}

function checkHoursLine(ctx: CheckContext, path: string, line: HoursLine): void {
  for (const range of line.days) {
    if (range.to === null || dayOrder.indexOf(range.to) >= dayOrder.indexOf(range.from)) continue;
    ctx.report.error('CH5014', path, range.span, `day range \`${range.from}-${range.to}\` runs backwards`, {
      help: 'day ranges run from Monday to Sunday; list the days instead, e.g. `fri, sat, sun`',
    });
  }
  if (minutes(line.to.value) > minutes(line.from.value)) return;
  const span = {
    ...line.from.span,
    end: line.to.span.end,
    endLine: line.to.span.endLine,
    endCol: line.to.span.endCol,
  };
  ctx.report.error(
    'CH5012',
    path,
    span,
    `working hours \`${line.from.value}-${line.to.value}\` end before they start`,
    {
      help: 'hours cannot run past midnight: split them into two lines, ending the first at `24:00`',
    },
  );
}

/** Every pair of lines sharing working time on some day, reported once, on the later line. */
function checkOverlaps(ctx: CheckContext, path: string, lines: HoursLine[]): void {
  lines.forEach((line, i) => {
    for (const earlier of lines.slice(0, i)) {
      const shared = daysOf(line).find((day) => daysOf(earlier).includes(day));
      const overlaps =
        minutes(line.from.value) < minutes(earlier.to.value) &&
        minutes(earlier.from.value) < minutes(line.to.value);
      if (shared === undefined || !overlaps) continue;
      ctx.report.error('CH5013', path, line.span, `these hours overlap other hours on \`${shared}\``, {
        help: 'merge the lines or make their hours meet without overlapping',
        related: [{ message: 'the other hours are here', file: path, span: earlier.span }],
      });
      return;
    }
  });
}

/**
 * What a duration's `on <calendar>` names: the calendar, `false` when no such calendar exists
 * (reported, so nothing that depends on it is reported again), or undefined when not written.
 */
export type Named = string | false | undefined;

/** The calendar named by `on <name>`; reports an unknown name (CH3202). */
export function namedCalendar(ctx: CheckContext, file: number, ident: Ident | null): Named {
  if (ident === null) return undefined;
  return lookupCalendar(ctx, file, ident) ? ident.name : false;
}

export interface DurationUse {
  /** For reminders and escalations: the calendar their approval's `within` counts on. */
  inherited: Named;
  /** False while typing a rule no process uses: its calendars are not needed by the policy. */
  markUsed: boolean;
  /** Inside an expression, where `on <calendar>` cannot be written. */
  inExpression: boolean;
}

/**
 * Records the calendar a business duration counts on, and returns it for the durations that
 * inherit it (`false` when its `on` names an unknown calendar). It counts on its own
 * `on <calendar>`, else the one it inherits, else the policy's only calendar; with none of these
 * it is reported (CH5008). Plain durations count clock time: they have no calendar to pass on.
 */
export function useDuration(ctx: CheckContext, file: number, duration: DurationLit, use: DurationUse): Named {
  const named = namedCalendar(ctx, file, duration.calendar);
  if (!duration.business) {
    ctx.model.durationCalendars.set(duration, null);
    if (named && duration.calendar) warnPlain(ctx, file, duration.calendar);
    return undefined;
  }
  const own = named ?? use.inherited;
  if (own === false) return false;
  const calendars = [...ctx.model.calendars.keys()];
  const calendar = own ?? (calendars.length === 1 ? calendars[0] : undefined);
  if (calendar !== undefined) {
    ctx.model.durationCalendars.set(duration, calendar);
    if (use.markUsed) ctx.model.used.calendars.add(calendar);
    return calendar;
  }
  const text = sourceText(ctx, file, duration.span);
  const declared =
    calendars.length === 0
      ? 'the policy declares no calendar'
      : `the policy declares ${calendars.length} (${listNames(calendars)})`;
  const help = use.inExpression
    ? "inside an expression business time counts on the policy's only calendar: declare exactly one, or use a plain duration"
    : calendars.length === 0
      ? 'declare a calendar and add `on <calendar>` right after the duration, or use a plain duration'
      : `add \`on <calendar>\` right after the duration, naming ${listNames(calendars, 'or')}, e.g. \`${text} on ${calendars[0] ?? ''}\``;
  ctx.report.error(
    'CH5008',
    fileOf(ctx, file).path,
    duration.span,
    `\`${text}\` needs a calendar, but ${declared}`,
    { help },
  );
  return undefined;
}

/** `48h on office`: the calendar changes nothing (CH5009). */
function warnPlain(ctx: CheckContext, file: number, calendar: Ident): void {
  const name = calendar.name;
  ctx.report.warning(
    'CH5009',
    fileOf(ctx, file).path,
    calendar.span,
    `calendar \`${name}\` does not change a plain duration`,
    {
      help: `write business time, e.g. \`2 business days on ${name}\`, to count working hours only`,
    },
  );
}

// ---------------------------------------------------------------------------------------------
// IANA time zone names, derived from the runtime's ICU data through Intl (pure: no I/O, no clock).
// Node's list holds canonical names only, some of them the older spellings (`Asia/Calcutta`,
// `Europe/Kiev`), so a zone outside the list still counts when Intl accepts it as an
// `Area/Location` name: that admits current aliases (`Asia/Kolkata`, `Europe/Kyiv`) while still
// refusing abbreviations such as `CET` or `EST` that the engine's calendar cannot rely on.

let canonical: ReadonlySet<string> | undefined;

/** Canonical zone names plus `UTC`, for validation and suggestions. */
export function timeZoneNames(): ReadonlySet<string> {
  canonical ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  return canonical;
}

const areaLocation = /^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/;

export function isTimeZone(name: string): boolean {
  if (timeZoneNames().has(name)) return true;
  if (!areaLocation.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
