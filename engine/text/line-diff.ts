// Line diffs of policy sources, as reviewers read them: hunks of added and removed lines with a few
// unchanged lines of context around each, and line numbers on both sides. Myers' O(ND) algorithm
// in its linear-space form (the middle snake, divide and conquer, as in Myers 1986 section 4b and
// diff-match-patch's bisect): a plain edit graph with a trace per round would hold D² numbers,
// about 64 MB for two unrelated 2,000-line files, while this holds two arrays of N+M. Lines are
// compared as small integers (one id per distinct text), and the common head and tail are cut off
// before any search, so an edit in a long file costs little more than its own size. Pure.

export type LineKind = 'same' | 'added' | 'removed';

export interface DiffLine {
  kind: LineKind;
  text: string;
  /** 1-based line number in the old text; null for an added line. */
  from: number | null;
  /** 1-based line number in the new text; null for a removed line. */
  to: number | null;
}

/** A run of changes with its context; starts are 1-based (0 with a count of 0 for an empty side). */
export interface Hunk {
  fromStart: number;
  fromLines: number;
  toStart: number;
  toLines: number;
  lines: DiffLine[];
}

/** Unchanged lines shown before and after each change, as `diff -u` does. */
export const DEFAULT_CONTEXT = 3;

/**
 * The lines of a text: `\n` or `\r\n` ends a line, and a final line break does not start an
 * empty last line (`"a\nb\n"` has two lines, `""` none).
 */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

type Op = 0 | 1 | 2; // same, removed, added
const SAME: Op = 0;
const REMOVED: Op = 1;
const ADDED: Op = 2;

/** The edit script from `a` to `b`: per step, same (both advance), removed (a) or added (b). */
function editScript(a: Int32Array, b: Int32Array): Op[] {
  const ops: Op[] = [];
  const diff = (aLo: number, aHi: number, bLo: number, bHi: number): void => {
    let head = 0;
    while (aLo + head < aHi && bLo + head < bHi && a[aLo + head] === b[bLo + head]) head += 1;
    let tail = 0;
    while (aHi - tail > aLo + head && bHi - tail > bLo + head && a[aHi - tail - 1] === b[bHi - tail - 1])
      tail += 1;
    for (let i = 0; i < head; i += 1) ops.push(SAME);
    const [x0, x1, y0, y1] = [aLo + head, aHi - tail, bLo + head, bHi - tail];
    if (x0 === x1) for (let j = y0; j < y1; j += 1) ops.push(ADDED);
    else if (y0 === y1) for (let i = x0; i < x1; i += 1) ops.push(REMOVED);
    else {
      const split = middleSnake(a, x0, x1, b, y0, y1);
      if (split === null) {
        for (let i = x0; i < x1; i += 1) ops.push(REMOVED);
        for (let j = y0; j < y1; j += 1) ops.push(ADDED);
      } else {
        diff(x0, split[0], y0, split[1]);
        diff(split[0], x1, split[1], y1);
      }
    }
    for (let i = 0; i < tail; i += 1) ops.push(SAME);
  };
  diff(0, a.length, 0, b.length);
  return ops;
}

/**
 * Where a shortest edit path from (x0, y0) to (x1, y1) crosses the middle diagonal band, found by
 * searching forwards from the start and backwards from the end at once until the two meet; null
 * when the ranges have nothing in common. Both ranges are non-empty.
 */
function middleSnake(
  a: Int32Array,
  x0: number,
  x1: number,
  b: Int32Array,
  y0: number,
  y1: number,
): [number, number] | null {
  const n = x1 - x0;
  const m = y1 - y0;
  const maxD = Math.ceil((n + m) / 2);
  const offset = maxD;
  const size = 2 * maxD + 2;
  const forward = new Int32Array(size).fill(-1);
  const backward = new Int32Array(size).fill(-1);
  forward[offset + 1] = 0;
  backward[offset + 1] = 0;
  const delta = n - m;
  const oddDelta = delta % 2 !== 0;
  // Diagonals that ran off the edit graph's edges are not searched again.
  let fStart = 0;
  let fEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  for (let d = 0; d < maxD; d += 1) {
    for (let k = -d + fStart; k <= d - fEnd; k += 2) {
      const at = offset + k;
      let x =
        k === -d || (k !== d && forward[at - 1]! < forward[at + 1]!)
          ? forward[at + 1]!
          : forward[at - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x0 + x] === b[y0 + y]) {
        x += 1;
        y += 1;
      }
      forward[at] = x;
      if (x > n) fEnd += 2;
      else if (y > m) fStart += 2;
      else if (oddDelta) {
        const other = offset + delta - k;
        if (other >= 0 && other < size && backward[other] !== -1 && x >= n - backward[other]!) {
          return [x0 + x, y0 + y];
        }
      }
    }
    for (let k = -d + bStart; k <= d - bEnd; k += 2) {
      const at = offset + k;
      let x =
        k === -d || (k !== d && backward[at - 1]! < backward[at + 1]!)
          ? backward[at + 1]!
          : backward[at - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x1 - x - 1] === b[y1 - y - 1]) {
        x += 1;
        y += 1;
      }
      backward[at] = x;
      if (x > n) bEnd += 2;
      else if (y > m) bStart += 2;
      else if (!oddDelta) {
        const other = offset + delta - k;
        if (other >= 0 && other < size && forward[other] !== -1) {
          const fx = forward[other]!;
          const fy = offset + fx - other;
          if (fx >= n - x) return [x0 + fx, y0 + fy];
        }
      }
    }
  }
  return null;
}

/** Each line as the id of its text, shared between the two sides. */
function lineIds(a: readonly string[], b: readonly string[]): [Int32Array, Int32Array] {
  const ids = new Map<string, number>();
  const idOf = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  return [Int32Array.from(a, idOf), Int32Array.from(b, idOf)];
}

/**
 * Every line of both texts in order, each once: unchanged lines with both numbers, and in each
 * run of changes the removed lines before the added ones, as reviewers expect to read them.
 */
export function diffAllLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  const [ia, ib] = lineIds(a, b);
  const out: DiffLine[] = [];
  let removed: DiffLine[] = [];
  let added: DiffLine[] = [];
  const flush = (): void => {
    out.push(...removed, ...added);
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  for (const op of editScript(ia, ib)) {
    if (op === SAME) {
      flush();
      out.push({ kind: 'same', text: a[i]!, from: i + 1, to: j + 1 });
      i += 1;
      j += 1;
    } else if (op === REMOVED) {
      removed.push({ kind: 'removed', text: a[i]!, from: i + 1, to: null });
      i += 1;
    } else {
      added.push({ kind: 'added', text: b[j]!, from: null, to: j + 1 });
      j += 1;
    }
  }
  flush();
  return out;
}

/**
 * The changes from `before` to `after` as hunks with `context` unchanged lines around each
 * change; changes closer than twice the context share one hunk. Identical texts give no hunk.
 */
export function diffLines(before: string, after: string, context: number = DEFAULT_CONTEXT): Hunk[] {
  if (!Number.isInteger(context) || context < 0) throw new RangeError('context must be a whole number ≥ 0');
  const lines = diffAllLines(before, after);
  const hunks: Hunk[] = [];
  // Lines of each side before `counted`: where a hunk with an empty side starts.
  let counted = 0;
  let fromSeen = 0;
  let toSeen = 0;
  let k = 0;
  while (k < lines.length) {
    if (lines[k]!.kind === 'same') {
      k += 1;
      continue;
    }
    // A change at k: its hunk starts `context` lines earlier and runs while changes keep coming
    // within 2 * context unchanged lines of each other.
    const start = Math.max(0, k - context);
    let end = k;
    let sameRun = 0;
    while (end < lines.length && sameRun <= 2 * context) {
      sameRun = lines[end]!.kind === 'same' ? sameRun + 1 : 0;
      end += 1;
    }
    // `end` is past the last line taken; keep only `context` unchanged lines after the last change.
    const stop = end - sameRun + Math.min(sameRun, context);
    for (; counted < start; counted += 1) {
      if (lines[counted]!.from !== null) fromSeen += 1;
      if (lines[counted]!.to !== null) toSeen += 1;
    }
    hunks.push(hunkOf(lines.slice(start, stop), fromSeen, toSeen));
    k = stop;
  }
  return hunks;
}

/** A hunk of `lines`, which follow `fromBefore` old and `toBefore` new lines. */
function hunkOf(lines: DiffLine[], fromBefore: number, toBefore: number): Hunk {
  const fromLines = lines.filter((l) => l.from !== null).length;
  const toLines = lines.filter((l) => l.to !== null).length;
  // A side without lines starts at the line before the hunk (0 at the top), as `diff -u` says it.
  return {
    fromStart: fromLines === 0 ? fromBefore : fromBefore + 1,
    fromLines,
    toStart: toLines === 0 ? toBefore : toBefore + 1,
    toLines,
    lines,
  };
}
