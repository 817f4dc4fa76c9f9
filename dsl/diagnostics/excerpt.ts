// The source excerpt under a diagnostic: the span's line and a row of `~` under the spanned text.
// Both are laid out in terminal columns, not string indexes: a tab runs to the next tab stop, a
// wide character (CJK, most emoji) takes two columns, a combining mark or other zero-width
// character none, and a control character shows as one `\uFFFD`. So the underline sits under the
// text whatever the line holds. A line wider than MAX_COLUMNS is shown as a window around the span
// with `...` on each cut side, so one diagnostic on a 100,000-character line stays one screen line.

/** Columns of source shown at most; the cut markers come on top. */
export const MAX_COLUMNS = 120;
const TAB_WIDTH = 4;
/** Columns of context kept beside a span on a cut line. */
const LEAD_FOR_LONG_SPANS = 10;
const CUT = '...';

/** One character of the line as shown: `index` into the line (UTF-16), its text, its columns. */
interface Cell {
  index: number;
  text: string;
  column: number;
  width: number;
}

export interface Excerpt {
  /** The source line as shown (a window of it when it is too wide). */
  source: string;
  /** Spaces, then `~` under the span; ` ...` when the span goes on to later lines. */
  marks: string;
}

/**
 * The excerpt of `line` for a span from `start` to `end` (UTF-16 indexes into the line, end
 * exclusive). `continues` says the span runs on past the end of this line.
 */
export function excerpt(line: string, start: number, end: number, continues: boolean): Excerpt {
  const cells = layout(line);
  const total = cells.length === 0 ? 0 : columnAfter(cells[cells.length - 1] as Cell);
  const startColumn = columnAt(cells, start, total);
  const endColumn = Math.max(columnAt(cells, end, total), startColumn + 1);
  const [from, to] = window(total, startColumn, endColumn);

  const shown = visibleCells(cells, from, to);
  const first = shown[0];
  const last = shown[shown.length - 1];
  const shownFrom = first ? first.column : Math.min(from, total);
  const shownTo = last ? columnAfter(last) : shownFrom;
  const before = shownFrom > 0 ? CUT : '';
  const after = shownTo < total ? CUT : '';

  const pad = before.length + Math.max(0, startColumn - shownFrom);
  // A span reaching past the window (or the line's end, for an empty span) keeps at least one `~`.
  const underline = Math.max(1, Math.min(endColumn, Math.max(shownTo, startColumn + 1)) - startColumn);
  return {
    source: before + shown.map((c) => c.text).join('') + after,
    marks: ' '.repeat(pad) + '~'.repeat(underline) + (continues ? ' ...' : ''),
  };
}

/** The columns [from, to) to show: the whole line if it fits, else a window around the span. */
function window(total: number, startColumn: number, endColumn: number): [number, number] {
  if (total <= MAX_COLUMNS) return [0, total];
  // The start of a line says what it is (`check deep: require ...`): keep it while the span fits.
  if (endColumn <= MAX_COLUMNS - LEAD_FOR_LONG_SPANS) return [0, MAX_COLUMNS];
  const spanWidth = endColumn - startColumn;
  // A span that fits is centred in the window, so that what comes before and after both show.
  const wanted =
    spanWidth <= MAX_COLUMNS - 2 * LEAD_FOR_LONG_SPANS
      ? startColumn - Math.floor((MAX_COLUMNS - spanWidth) / 2)
      : startColumn - LEAD_FOR_LONG_SPANS;
  const from = Math.max(0, Math.min(wanted, total - MAX_COLUMNS));
  return [from, from + MAX_COLUMNS];
}

/** Cells wholly inside [from, to); a zero-width cell goes with the character it marks. */
function visibleCells(cells: readonly Cell[], from: number, to: number): Cell[] {
  const shown: Cell[] = [];
  let previousShown = false;
  for (const cell of cells) {
    const inside: boolean = cell.width === 0 ? previousShown : cell.column >= from && columnAfter(cell) <= to;
    if (inside) shown.push(cell);
    previousShown = inside;
  }
  return shown;
}

const columnAfter = (cell: Cell): number => cell.column + cell.width;

/** The column where the character at `index` starts (the line's width at or past its end). */
function columnAt(cells: readonly Cell[], index: number, total: number): number {
  for (const cell of cells) if (cell.index >= index) return cell.column;
  return total;
}

function layout(line: string): Cell[] {
  const cells: Cell[] = [];
  let column = 0;
  let index = 0;
  for (const char of line) {
    const code = char.codePointAt(0) ?? 0;
    let text = char;
    let width: number;
    if (char === '\t') {
      width = TAB_WIDTH - (column % TAB_WIDTH);
      text = ' '.repeat(width);
    } else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
      text = '\uFFFD';
      width = 1;
    } else {
      width = ZERO_WIDTH.test(char) ? 0 : isWide(code) ? 2 : 1;
    }
    cells.push({ index, text, column, width });
    column += width;
    index += char.length;
  }
  return cells;
}

/** Combining marks and format characters (zero-width joiner, byte-order mark, ...). */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

/** East Asian wide and full-width characters and emoji: two columns in a terminal. */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}
