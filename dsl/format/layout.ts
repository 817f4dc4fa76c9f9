// The formatter's intermediate form and its last two stages. The AST is first turned into a tree
// of lines and blocks in output order (build.ts); every piece of a line remembers the range
// of source it came from. Comments are then given to those pieces by position in the source
// (placeComments), which is what lets a clause move to its canonical place with its comments, and
// finally the tree is printed (render).
import type { Comment } from '../ast/types.js';
import type { SourceText } from './source.js';

export const INDENT = '  ';
/** A line longer than this is broken where its construct allows (strings are never split). */
export const MAX_WIDTH = 100;

/** One output line of a broken segment, `depth` indents deeper than the segment's first line. */
export interface Row {
  depth: number;
  text: string;
}

/**
 * How a segment breaks when its one-line text does not fit at `column` (break.ts): a
 * function, because how much fits on each row depends on where the segment starts.
 */
export type Breaker = (column: number) => Row[];

export interface PlacedComment {
  comment: Comment;
  /** The author left an empty line just before the comment. */
  blank: boolean;
}

/** A piece of output text and the source range `[at, end)` it was printed from. */
export interface Segment {
  text: string;
  at: number;
  end: number;
  /** Comments printed on their own lines before this piece. */
  leading: PlacedComment[];
  /** A comment printed at the end of this piece's line. */
  trailing: Comment | null;
  /** The author left an empty line just before this piece (after its leading comments). */
  blank: boolean;
  /** The same text over several rows (a condition split at `and`), for when it is too long. */
  broken?: Breaker;
}

/** How an item treats empty lines before it. */
export type Gap = 'force' | 'keep' | 'drop';

/**
 * When a line of several segments puts each after the first on a row of its own, one indent
 * deeper: `long` when they do not fit on one line (or a comment is pinned between them), `always`
 * for a rule's `because`, which reads as a note under its rule however short both are.
 */
export type Split = 'long' | 'always';

/** One statement: its segments on one line, or one per line; each segment may break further. */
export interface Line {
  kind: 'line';
  segments: Segment[];
  split: Split;
  gap: Gap;
}

/** `head {` body `}`; an if-chain has several heads (`} else if ... {`), one per body. */
export interface Block {
  kind: 'block';
  parts: { head: Segment; body: Item[] }[];
  close: Segment;
  gap: Gap;
}

export type Item = Line | Block;

export function segment(text: string, at: number, end: number): Segment {
  return { text, at, end, leading: [], trailing: null, blank: false };
}

export const line = (gap: Gap, segments: Segment[], split: Split = 'long'): Line => ({
  kind: 'line',
  segments,
  split,
  gap,
});

export interface Piece {
  rank: number;
  first: number;
  end: number;
  text: string;
  broken?: Breaker;
}

/**
 * Lines of a block body printed in `rank` order (approval clauses, calendar lines). Each starts,
 * for comment placement, where the previous one ended in the source, not in the output.
 */
export function rankedLines(pieces: readonly Piece[], open: number, src: SourceText): Item[] {
  let end = open;
  const placed = [...pieces]
    .sort((a, b) => a.first - b.first)
    .map((p) => {
      const at = src.skipTrivia(end);
      end = Math.max(end, p.end);
      return { ...p, at };
    });
  return placed
    .sort((a, b) => a.rank - b.rank || a.first - b.first)
    .map((p) => {
      const piece = segment(p.text, p.at, p.end);
      if (p.broken) piece.broken = p.broken;
      return line('drop', [piece]);
    });
}

// ------------------------------------------------------------------------------------------------
// Comment placement

function segmentsOf(items: readonly Item[], out: Segment[]): Segment[] {
  for (const item of items) {
    if (item.kind === 'line') {
      out.push(...item.segments);
    } else {
      for (const part of item.parts) {
        out.push(part.head);
        segmentsOf(part.body, out);
      }
      out.push(item.close);
    }
  }
  return out;
}

/**
 * Gives every comment to exactly one segment, sweeping the source in order: a comment alone on its
 * line leads the next segment; a comment after code on the same line trails that segment; a
 * comment inside a segment's range (say, in the middle of an expression) cannot stay there and
 * leads that segment. `end` is a final segment that collects the comments at the end of the file.
 */
export function placeComments(
  items: readonly Item[],
  end: Segment,
  comments: readonly Comment[],
  src: SourceText,
) {
  const anchors = segmentsOf(items, []).sort((a, b) => a.at - b.at);
  anchors.push(end);
  const sorted = [...comments].sort((a, b) => a.span.offset - b.span.offset);
  let next = 0;
  let previous: Segment | undefined;
  for (const anchor of anchors) {
    const first = sorted[next];
    if (previous && first && first.span.offset < anchor.at && src.sameLine(previous.end, first.span.offset)) {
      previous.trailing = first;
      next++;
    }
    while (next < sorted.length && sorted[next]!.span.offset < anchor.end) {
      const comment = sorted[next++]!;
      const inside = comment.span.offset >= anchor.at;
      anchor.leading.push({ comment, blank: !inside && src.blankBefore(comment.span.offset) });
    }
    anchor.blank = src.blankBefore(anchor.at);
    previous = anchor;
  }
  if (next < sorted.length) throw new Error('formatter: a comment was not placed');
}

// ------------------------------------------------------------------------------------------------
// Rendering

/** A comment as printed: its text exactly, but for trailing whitespace, which no line keeps. */
const commentText = (comment: Comment): string => `#${comment.text}`.trimEnd();

class Output {
  readonly lines: string[] = [];
  /** True right after `{` or at the start of the file: no empty line may follow. */
  private fresh = true;

  blank(): void {
    if (!this.fresh && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }

  push(indent: string, text: string, trailing: Comment | null = null): void {
    this.lines.push(indent + text + (trailing ? ` ${commentText(trailing)}` : ''));
    this.fresh = text.endsWith('{');
  }

  /** Own-line comments; `gap` decides whether the author's empty lines before them survive. */
  comments(indent: string, placed: readonly PlacedComment[], gap: Gap): void {
    for (const { comment, blank } of placed) {
      if (blank && gap !== 'drop') this.blank();
      this.lines.push(indent + commentText(comment));
      this.fresh = false;
    }
  }
}

/** What comes before an item's first line: an empty line if due, and its own-line comments. */
function lead(out: Output, first: Segment, gap: Gap, indent: string): void {
  if (gap === 'force') out.blank();
  out.comments(indent, first.leading, gap);
  if (first.blank && gap !== 'drop') out.blank();
}

function renderLine(out: Output, line: Line, indent: string): void {
  const [first, ...rest] = line.segments;
  if (!first) return;
  lead(out, first, line.gap, indent);
  const last = line.segments[line.segments.length - 1]!;
  const joined = line.segments.map((s) => s.text).join(' ');
  // Joining would move a comment away from its line: one that trails an inner piece, or that
  // stands between two pieces. Those keep the line broken, so they stay where they were.
  const pinned =
    rest.some((s) => s.leading.length > 0) || line.segments.slice(0, -1).some((s) => s.trailing !== null);
  const fits = indent.length + joined.length <= MAX_WIDTH;
  if (rest.length > 0 && line.split === 'long' && fits && !pinned) {
    out.push(indent, joined, last.trailing);
    return;
  }
  pushSegment(out, first, indent);
  for (const piece of rest) {
    out.comments(indent + INDENT, piece.leading, 'drop');
    pushSegment(out, piece, indent + INDENT);
  }
}

/**
 * One segment on a line of its own, with `suffix` after it (the `}` of an empty block); a segment
 * too long for the width takes its broken form, if it has one. Trailing comments do not count
 * towards the width: moving one would not make its line any shorter to read.
 */
function pushSegment(
  out: Output,
  piece: Segment,
  indent: string,
  suffix = '',
  trailing: Comment | null = piece.trailing,
): void {
  const text = piece.text + suffix;
  const rows = piece.broken && indent.length + text.length > MAX_WIDTH ? piece.broken(indent.length) : [];
  if (rows.length === 0) {
    out.push(indent, text, trailing);
    return;
  }
  rows.forEach((row, index) => {
    const final = index === rows.length - 1;
    out.push(
      indent + INDENT.repeat(row.depth),
      final ? row.text + suffix : row.text,
      final ? trailing : null,
    );
  });
}

function renderBlock(out: Output, block: Block, indent: string): void {
  const inner = indent + INDENT;
  const [first, ...more] = block.parts;
  if (!first) return;
  lead(out, first.head, block.gap, indent);
  const empty = more.length === 0 && first.body.length === 0 && block.close.leading.length === 0;
  if (empty && !first.head.trailing) {
    // Nothing to keep inside: the block opens and closes on one line, `parallel {}`.
    pushSegment(out, first.head, indent, '}', block.close.trailing);
    return;
  }
  pushSegment(out, first.head, indent);
  renderItems(out, first.body, inner);
  for (const { head, body } of more) {
    // `} else if ... {`: comments before it belong to the end of the previous body.
    out.comments(inner, head.leading, 'drop');
    pushSegment(out, head, indent);
    renderItems(out, body, inner);
  }
  out.comments(inner, block.close.leading, 'keep');
  out.push(indent, block.close.text, block.close.trailing);
}

function renderItems(out: Output, items: readonly Item[], indent: string): void {
  for (const item of items) {
    if (item.kind === 'line') renderLine(out, item, indent);
    else renderBlock(out, item, indent);
  }
}

/** The whole file: its items, then the comments after the last one. */
export function render(items: readonly Item[], end: Segment): string {
  const out = new Output();
  renderItems(out, items, '');
  out.comments('', end.leading, 'keep');
  return out.lines.length === 0 ? '' : `${out.lines.join('\n')}\n`;
}
