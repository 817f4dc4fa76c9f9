// The file level of the formatter's layout: header, uses, and each declaration (calendars, roles,
// rules, processes with their input block), in source order. Steps are in steps.ts.
import type {
  CalendarDecl,
  DateLit,
  DayRange,
  Declaration,
  InputField,
  PolicyFile,
  ProcessDecl,
  RuleDecl,
} from '../ast/types.js';
import { fill, ruleBreaker } from './break.js';
import { approvers, conditionLines, expr, quote, type } from './expr.js';
import {
  type Block,
  type Gap,
  type Item,
  type Line,
  line,
  rankedLines,
  segment,
  type Piece,
} from './layout.js';
import type { SourceText } from './source.js';
import { steps } from './steps.js';
import { monitor } from './monitor.js';

export function fileItems(file: PolicyFile, src: SourceText): Item[] {
  const items: Item[] = [];
  const h = file.header;
  if (h?.kind === 'policy') {
    const head = `policy ${quote(h.name.value)} version ${h.version.raw} effective ${h.effective.value}`;
    items.push(line('keep', [segment(head, h.span.offset, h.effective.span.end)]));
    if (h.owner) {
      const at = src.skipTrivia(h.effective.span.end);
      items.push(line('drop', [segment(`owner ${quote(h.owner.value)}`, at, h.owner.span.end)]));
    }
  } else if (h?.kind === 'library') {
    items.push(line('keep', [segment(`library ${quote(h.name.value)}`, h.span.offset, h.name.span.end)]));
  }
  // Uses sit together under the header, declarations each after an empty line.
  file.uses.forEach((use, index) => {
    const gap: Gap = index === 0 ? 'force' : 'keep';
    items.push(line(gap, [segment(`use ${quote(use.path.value)}`, use.span.offset, use.path.span.end)]));
  });
  file.declarations.forEach((decl, index) => {
    const previous = file.declarations[index - 1];
    items.push(declaration(decl, gapBefore(decl, previous, src), src));
  });
  return items;
}

/**
 * One empty line between declarations, except inside a run of roles that the author wrote as a
 * table (one per line, no empty line between them), as in LANGUAGE.md: one-line roles read best
 * side by side, and an empty line between them would separate what belongs together.
 */
function gapBefore(decl: Declaration, previous: Declaration | undefined, src: SourceText): Gap {
  if (decl.kind !== 'role' || previous?.kind !== 'role') return 'force';
  const between = src.text.slice(previous.span.end, decl.span.offset).replace(/\r\n?/g, '\n');
  return /\n[ \t]*\n/.test(between) ? 'force' : 'keep';
}

function declaration(decl: Declaration, gap: Gap, src: SourceText): Item {
  switch (decl.kind) {
    case 'calendar':
      return calendar(decl, gap, src);
    case 'role': {
      const text = `role ${decl.name.name} = ${approvers(decl.members, src)}`;
      return line(gap, [segment(text, decl.span.offset, decl.span.end)]);
    }
    case 'rule':
      return rule(decl, gap, src);
    case 'process':
      return process(decl, gap, src);
    case 'monitor':
      return monitor(decl, gap, src);
  }
}

/** `rule <name> = <condition>`, and its `because` always on the next row, under the rule. */
function rule(decl: RuleDecl, gap: Gap, src: SourceText): Line {
  const head = `rule ${decl.name.name} =`;
  const condition = expr(decl.condition, src);
  const end = decl.because ? src.afterParens(decl.condition.span.end) : decl.span.end;
  const first = segment(`${head} ${condition}`, decl.span.offset, end);
  first.broken = ruleBreaker(head, condition, conditionLines(decl.condition, src));
  if (!decl.because) return line(gap, [first]);
  const because = segment(`because ${quote(decl.because.value)}`, src.skipTrivia(end), decl.span.end);
  return line(gap, [first, because], 'always');
}

// ------------------------------------------------------------------------------------------------
// Calendars

const days = (d: DayRange): string => (d.to ? `${d.from}-${d.to}` : d.from);

/** Holidays written on several `holidays` lines stay on several lines (the AST merges them). */
function holidayLines(dates: readonly DateLit[], src: SourceText): DateLit[][] {
  const lines: DateLit[][] = [];
  dates.forEach((date, index) => {
    const previous = dates[index - 1];
    if (previous && src.text[src.skipTrivia(previous.span.end)] === ',') lines[lines.length - 1]!.push(date);
    else lines.push([date]);
  });
  return lines;
}

/** `timezone`, then `hours` lines, then `holidays` lines, whatever order the author chose. */
function calendar(decl: CalendarDecl, gap: Gap, src: SourceText): Block {
  const pieces: Piece[] = [];
  if (decl.timezone) {
    const z = decl.timezone;
    pieces.push({ rank: 0, first: z.span.offset, end: z.span.end, text: `timezone ${quote(z.value)}` });
  }
  for (const h of decl.hours) {
    const text = `hours ${h.days.map(days).join(', ')} ${h.from.value}-${h.to.value}`;
    pieces.push({ rank: 1, first: h.span.offset, end: h.to.span.end, text });
  }
  for (const dates of holidayLines(decl.holidays, src)) {
    const first = dates[0]!.span.offset;
    const end = dates[dates.length - 1]!.span.end;
    // Too long for one line, the dates fill rows after a comma, one indent under `holidays`.
    const chunks = dates.map((d, index) => (index === dates.length - 1 ? d.value : `${d.value},`));
    chunks[0] = `holidays ${chunks[0]!}`;
    pieces.push({ rank: 2, first, end, text: chunks.join(' '), broken: fill(chunks) });
  }
  const open = src.afterOpenBrace(decl.name.span.end);
  const body = rankedLines(pieces, open, src);
  const close = src.blockClose(decl.span.end);
  return {
    kind: 'block',
    parts: [{ head: segment(`calendar ${decl.name.name} {`, decl.span.offset, open), body }],
    close: segment('}', close, close + 1),
    gap,
  };
}

// ------------------------------------------------------------------------------------------------
// Processes

function field(f: InputField, src: SourceText): Item {
  // The grammar takes `optional` or a default, never both: a default already makes a field optional.
  const suffix = f.default ? ` = ${expr(f.default, src)}` : f.optional ? ' optional' : '';
  return line('drop', [segment(`${f.name.name}: ${type(f.type)}${suffix}`, f.name.span.offset, f.span.end)]);
}

/** `input { ... }`; the block has no span of its own, so its braces are found around its fields. */
function inputBlock(fields: readonly InputField[], src: SourceText): Block | null {
  const first = fields[0];
  const last = fields[fields.length - 1];
  if (!first || !last) return null;
  const open = src.codeEndBefore(first.span.offset);
  const keyword = src.codeEndBefore(open - 1) - 'input'.length;
  const close = src.closeBrace(last.span.end);
  return {
    kind: 'block',
    parts: [{ head: segment('input {', keyword, open), body: fields.map((f) => field(f, src)) }],
    close: segment('}', close, close + 1),
    gap: 'drop',
  };
}

function process(decl: ProcessDecl, gap: Gap, src: SourceText): Block {
  const open = src.afterOpenBrace(decl.name.span.end);
  const input = inputBlock(decl.input, src);
  const body: Item[] = [...(input ? [input] : []), ...steps(decl.steps, src)];
  const close = src.blockClose(decl.span.end);
  return {
    kind: 'block',
    parts: [{ head: segment(`process ${decl.name.name} {`, decl.span.offset, open), body }],
    close: segment('}', close, close + 1),
    gap,
  };
}
