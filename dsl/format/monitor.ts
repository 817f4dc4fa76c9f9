// `monitor <name> { ... }` with one clause per line in canonical order (when it runs, which
// projects, what they must satisfy, then who owns a finding and how it is chased); comments move
// with their clauses, as in `approve`.
import type { DayRange, MonitorDecl, Span } from '../ast/types.js';
import { chainRows } from './break.js';
import { approvers, clauseDuration, conditionLines, durationEnd, expr, template } from './expr.js';
import { type Block, type Gap, type Piece, rankedLines, segment } from './layout.js';
import type { SourceText } from './source.js';
import { commaGroups } from './steps.js';

const days = (d: DayRange): string => (d.to ? `${d.from}-${d.to}` : d.from);

function clauses(m: MonitorDecl, src: SourceText): Piece[] {
  const out: Piece[] = [];
  const add = (
    rank: number,
    span: { offset: number; end: number },
    text: string,
    piece: Partial<Piece> = {},
  ) => out.push({ rank, first: span.offset, end: span.end, text, ...piece });
  const range = (group: readonly { span: Span }[]) => ({
    offset: group[0]!.span.offset,
    end: group[group.length - 1]!.span.end,
  });
  if (m.every) {
    const on = m.every.calendar ? ` on ${m.every.calendar.name}` : '';
    add(0, m.every.span, `every ${m.every.days.map(days).join(', ')} ${m.every.time.value}${on}`);
  }
  if (m.where) {
    const lines = conditionLines(m.where.condition, src);
    add(1, m.where.span, `where ${expr(m.where.condition, src)}`, {
      ...(lines ? { broken: () => chainRows(lines, 'where ', '', 1) } : {}),
    });
  }
  if (m.require) add(2, m.require.span, '', requirePiece(m.require, src));
  for (const group of commaGroups(m.owner, src)) add(3, range(group), `owner ${approvers(group, src)}`);
  if (m.within) add(4, m.within.span, `within ${clauseDuration(m.within.duration, src)}`);
  const remind = m.remindEvery;
  if (remind)
    add(
      5,
      { offset: remind.span.offset, end: durationEnd(remind) },
      `remind every ${clauseDuration(remind, src)}`,
    );
  for (const e of m.escalations) {
    add(6, e.span, `escalate after ${clauseDuration(e.after, src)} to ${approvers(e.to, src)}`);
  }
  for (const group of commaGroups(m.waivers, src)) add(7, range(group), `waive by ${approvers(group, src)}`);
  if (m.health) add(8, m.health.span, `health ${m.health.value}`);
  return out;
}

/**
 * `require <condition> [else "<message>"]`; too long for a line, the condition breaks before each
 * `and`/`or` and the message goes on its own row, one indent deeper, as in a `check`.
 */
function requirePiece(r: NonNullable<MonitorDecl['require']>, src: SourceText): Partial<Piece> {
  const condition = `require ${expr(r.condition, src)}`;
  const message = r.message ? `else ${template(r.message, src)}` : null;
  const lines = conditionLines(r.condition, src);
  const rows = lines ? chainRows(lines, 'require ', '', 1) : [{ depth: 0, text: condition }];
  return {
    text: message ? `${condition} ${message}` : condition,
    end: r.message ? r.message.span.end : src.afterParens(r.condition.span.end),
    ...(message || lines ? { broken: () => (message ? [...rows, { depth: 1, text: message }] : rows) } : {}),
  };
}

export function monitor(m: MonitorDecl, gap: Gap, src: SourceText): Block {
  const open = src.afterOpenBrace(m.name.span.end);
  const body = rankedLines(clauses(m, src), open, src);
  const close = src.blockClose(m.span.end);
  return {
    kind: 'block',
    parts: [{ head: segment(`monitor ${m.name.name} {`, m.span.offset, open), body }],
    close: segment('}', close, close + 1),
    gap,
  };
}
