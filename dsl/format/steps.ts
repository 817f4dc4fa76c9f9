// Steps and approval clauses as lines and blocks, in canonical order and spelling. Each piece of
// output keeps the source range it was printed from (see layout.ts); ranges start at the
// keyword that opens the piece, found by skipping trivia after the previous piece's last node.
import type {
  ApproveStep,
  CheckStep,
  Expr,
  IfStep,
  ParallelStep,
  ReallocateStep,
  Span,
  Step,
} from '../ast/types.js';
import {
  approvers,
  clauseDuration,
  conditionLines,
  durationEnd,
  expr,
  names,
  quote,
  template,
} from './expr.js';
import {
  type Block,
  type Item,
  type Line,
  line,
  type Piece,
  rankedLines,
  type Segment,
  segment,
} from './layout.js';
import { chainBreaker, fill } from './break.js';
import type { SourceText } from './source.js';

/** `prefix` and a condition, breaking before each `and`/`or` one indent deeper when too long. */
function conditionSegment(
  prefix: string,
  condition: Expr,
  at: number,
  end: number,
  src: SourceText,
): Segment {
  const piece = segment(prefix + expr(condition, src), at, end);
  const broken = chainBreaker(conditionLines(condition, src), prefix, '', 1);
  if (broken) piece.broken = broken;
  return piece;
}

/** A segment that fills `chunks` into rows when its one-line form (all of them) is too long. */
function filled(chunks: readonly string[], at: number, end: number): Segment {
  const piece = segment(chunks.join(' '), at, end);
  if (chunks.length > 1) piece.broken = fill(chunks);
  return piece;
}

/** The steps of one body; the author's empty lines between steps survive (at most one). */
export const steps = (list: readonly Step[], src: SourceText): Item[] => list.map((s) => step(s, src));

function step(s: Step, src: SourceText): Item {
  const label = (id: { name: string } | null): string => (id ? `${id.name}: ` : '');
  const whole = (text: string): Line => line('keep', [segment(text, s.span.offset, s.span.end)]);
  switch (s.kind) {
    case 'approve':
      return approve(s, src);
    case 'check':
      return check(s, src);
    case 'reallocate':
      return reallocate(s, src);
    case 'notify': {
      // Too long for one line, the message goes under its recipients: `notify a, b:` then "...".
      const colon = src.codeEndBefore(s.message.span.offset);
      return line('keep', [
        segment(`notify ${label(s.id)}${approvers(s.recipients, src)}:`, s.span.offset, colon),
        segment(template(s.message, src), s.message.span.offset, s.span.end),
      ]);
    }
    case 'wait':
      return whole(
        s.wait.kind === 'for'
          ? `wait ${label(s.id)}${clauseDuration(s.wait.duration, src)}`
          : `wait ${label(s.id)}until ${expr(s.wait.date, src)}`,
      );
    case 'if':
      return ifChain(s, src);
    case 'parallel':
      return parallel(s, src);
    case 'end':
      return whole(`end ${s.outcome}${s.message ? ` ${template(s.message, src)}` : ''}`);
  }
}

// ------------------------------------------------------------------------------------------------
// Lines that may break: checks and reallocations

/**
 * `check <id>: <kind> [else ...] [on fail ...]`: on one line when it fits, else `check <id>:` alone
 * and each part on a row of its own under it, each part breaking further if still too long.
 */
function check(s: CheckStep, src: SourceText): Line {
  const c = s.check;
  const colon = src.afterWords(s.id.span.end, [':']);
  const pieces: Segment[] = [segment(`check ${s.id.name}:`, s.span.offset, colon)];
  const at = src.skipTrivia(colon);
  let end: number;
  switch (c.kind) {
    case 'require':
      end = src.afterParens(c.condition.span.end);
      pieces.push(conditionSegment('require ', c.condition, at, end, src));
      if (c.message) {
        pieces.push(segment(`else ${template(c.message, src)}`, src.skipTrivia(end), c.message.span.end));
        end = c.message.span.end;
      }
      break;
    case 'external': {
      const chunks = [`external ${quote(c.service.value)}`];
      end = c.service.span.end;
      if (c.timeout) {
        chunks.push(`timeout ${clauseDuration(c.timeout, src)}`);
        end = durationEnd(c.timeout);
      }
      if (c.retry) {
        chunks.push(`retry ${c.retry.raw}`);
        end = c.retry.span.end;
      }
      pieces.push(filled(chunks, at, end));
      break;
    }
    case 'attest': {
      const chunks = [`attest by ${approvers(c.by, src)} ${quote(c.statement.value)}`];
      end = c.statement.span.end;
      if (c.evidence) {
        chunks.push('with evidence');
        end = src.afterWords(end, ['with', 'evidence']);
      }
      if (c.grants) {
        chunks.push(
          `grants qualification ${quote(c.grants.qualification.value)} to ${expr(c.grants.to, src)}`,
        );
        end = c.grants.to.span.end;
      }
      if (c.within) {
        chunks.push(`within ${clauseDuration(c.within, src)}`);
        end = durationEnd(c.within);
      }
      pieces.push(filled(chunks, at, end));
      break;
    }
  }
  if (s.onFail) pieces.push(filled(onFail(s.onFail, src), src.skipTrivia(end), s.onFail.span.end));
  // The step's own span ends the last piece, so a `)` or keyword the pieces do not cover is in it.
  pieces[pieces.length - 1]!.end = s.span.end;
  return line('keep', pieces);
}

/** The `on fail` clause as chunks: a waiver's durations may go to the next row. */
function onFail(f: NonNullable<CheckStep['onFail']>, src: SourceText): string[] {
  switch (f.kind) {
    case 'stop':
      return [`on fail stop ${f.outcome}${f.message ? ` ${template(f.message, src)}` : ''}`];
    case 'continue':
      return ['on fail continue flagged'];
    case 'waiver': {
      const chunks = [`on fail require waiver by ${approvers(f.by, src)}`];
      chunks.push(`within ${clauseDuration(f.within, src)}`);
      if (f.validFor) chunks.push(`valid for ${clauseDuration(f.validFor, src)}`);
      return chunks;
    }
  }
}

/** Too long for one line, a reallocation breaks before `to project` and before `for`. */
function reallocate(s: ReallocateStep, src: SourceText): Line {
  const id = s.id ? `${s.id.name}: ` : '';
  const first = `reallocate ${id}${s.hours.raw} hours of skill ${quote(s.skill.value)} from pool ${quote(s.pool.value)}`;
  const project = src.afterParens(s.project.span.end);
  const priority = s.priority ? ` priority ${s.priority.value}` : '';
  return line('keep', [
    segment(first, s.span.offset, s.pool.span.end),
    segment(`to project ${expr(s.project, src)}`, src.skipTrivia(s.pool.span.end), project),
    segment(`for ${clauseDuration(s.period, src)}${priority}`, src.skipTrivia(project), s.span.end),
  ]);
}

// ------------------------------------------------------------------------------------------------
// Blocks

/** A block whose head ends with the `{` found after `headEnd`, and whose `}` ends `span`. */
function simpleBlock(text: string, span: Span, headEnd: number, body: Item[], src: SourceText): Block {
  const open = src.afterOpenBrace(headEnd);
  const close = src.blockClose(span.end);
  return {
    kind: 'block',
    parts: [{ head: segment(`${text} {`, span.offset, open), body }],
    close: segment('}', close, close + 1),
    gap: 'keep',
  };
}

/** The source end of the last piece of `items` in source order, or undefined when empty. */
function lastEnd(items: readonly Item[]): number | undefined {
  let end: number | undefined;
  for (const item of items) {
    const last = item.kind === 'line' ? item.segments[item.segments.length - 1]?.end : item.close.end;
    if (last !== undefined && (end === undefined || last > end)) end = last;
  }
  return end;
}

function ifChain(s: IfStep, src: SourceText): Block {
  const parts: Block['parts'] = [];
  let bodyEnd = s.span.offset;
  s.branches.forEach((branch, index) => {
    const at = index === 0 ? s.span.offset : src.closeBrace(bodyEnd);
    const open = src.afterOpenBrace(branch.condition.span.end);
    const prefix = `${index === 0 ? '' : '} else '}if `;
    const head = segment(`${prefix}${expr(branch.condition, src)} {`, at, open);
    // A long condition breaks before each `and`/`or`, two indents deeper: clear of the body.
    const broken = chainBreaker(conditionLines(branch.condition, src), prefix, ' {', 2);
    if (broken) head.broken = broken;
    const body = steps(branch.steps, src);
    parts.push({ head, body });
    bodyEnd = lastEnd(body) ?? open;
  });
  if (s.otherwise) {
    const at = src.closeBrace(bodyEnd);
    const open = src.afterOpenBrace(at + 1);
    const body = steps(s.otherwise.steps, src);
    parts.push({ head: segment('} else {', at, open), body });
    bodyEnd = lastEnd(body) ?? open;
  }
  const close = src.blockClose(s.span.end);
  return { kind: 'block', parts, close: segment('}', close, close + 1), gap: 'keep' };
}

function parallel(s: ParallelStep, src: SourceText): Block {
  const policy = s.onFailure ? ` on failure ${s.onFailure.value} others` : '';
  const branches = s.branches.map((b): Item => {
    const only = b.steps[0];
    if (b.id === null && only && b.steps.length === 1) return step(only, src);
    const id = b.id ? ` ${b.id.name}` : '';
    return simpleBlock(`branch${id}`, b.span, b.id?.span.end ?? b.span.offset, steps(b.steps, src), src);
  });
  return simpleBlock(`parallel${policy}`, s.span, s.span.offset, branches, src);
}

// ------------------------------------------------------------------------------------------------
// Approval clauses

/** Consecutive items joined by commas in the source: one clause, even if the AST merged several. */
export function commaGroups<T extends { span: Span }>(items: readonly T[], src: SourceText): T[][] {
  const groups: T[][] = [];
  items.forEach((item, index) => {
    const previous = items[index - 1];
    const joined = previous && src.text[src.skipTrivia(previous.span.end)] === ',';
    if (joined) groups[groups.length - 1]!.push(item);
    else groups.push([item]);
  });
  return groups;
}

function quorumText(q: NonNullable<ApproveStep['quorum']>): string {
  switch (q.kind) {
    case 'any':
    case 'all':
    case 'majority':
      return q.kind;
    case 'atLeast':
      return `at least ${q.count.raw}${q.of ? ` of ${q.of.raw}` : ''}`;
    case 'percent':
      return `at least ${q.percent.raw}%`;
  }
}

function clauses(s: ApproveStep, src: SourceText): Piece[] {
  const out: Piece[] = [];
  const add = (rank: number, span: { offset: number; end: number }, text: string) =>
    out.push({ rank, first: span.offset, end: span.end, text });
  const range = (group: readonly { span: Span }[]) => ({
    offset: group[0]!.span.offset,
    end: group[group.length - 1]!.span.end,
  });
  for (const group of commaGroups(s.by, src)) add(0, range(group), `by ${approvers(group, src)}`);
  if (s.quorum) add(1, s.quorum.span, quorumText(s.quorum));
  if (s.veto) add(2, s.veto, 'any reject rejects');
  for (const group of commaGroups(s.exclude, src)) add(3, range(group), `not ${approvers(group, src)}`);
  for (const group of commaGroups(s.distinctFrom, src)) add(4, range(group), `distinct from ${names(group)}`);
  if (s.within) add(5, s.within.span, `within ${clauseDuration(s.within.duration, src)}`);
  const remind = s.remindEvery;
  if (remind) {
    const span = { offset: remind.span.offset, end: durationEnd(remind) };
    add(6, span, `remind every ${clauseDuration(remind, src)}`);
  }
  // Ladder levels keep their source order, `escalate after` and `hand over after` alike.
  for (const e of s.escalations) {
    const verb = e.handover ? 'hand over' : 'escalate';
    add(7, e.span, `${verb} after ${clauseDuration(e.after, src)} to ${approvers(e.to, src)}`);
  }
  const t = s.onTimeout;
  if (t) {
    const action =
      t.kind === 'escalate'
        ? `${t.handover ? 'hand over' : 'escalate'} to ${approvers(t.to, src)}`
        : `${t.kind}${t.message ? ` ${template(t.message, src)}` : ''}`;
    add(8, t.span, `on timeout ${action}`);
  }
  for (const q of s.qualifications) add(9, q.span, `require qualification ${quote(q.id.value)}`);
  if (s.allowDelegation) add(9, s.allowDelegation, 'allow delegation');
  if (s.allowChanges) add(10, s.allowChanges, 'allow changes');
  return out;
}

/** `approve id { ... }` with one clause per line in canonical order; comments move with them. */
function approve(s: ApproveStep, src: SourceText): Block {
  const open = src.afterOpenBrace(s.id.span.end);
  const body = rankedLines(clauses(s, src), open, src);
  const close = src.blockClose(s.span.end);
  return {
    kind: 'block',
    parts: [{ head: segment(`approve ${s.id.name} {`, s.span.offset, open), body }],
    close: segment('}', close, close + 1),
    gap: 'keep',
  };
}
