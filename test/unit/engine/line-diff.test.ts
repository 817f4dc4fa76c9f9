// Line diffs of policy sources: hunks with context and line numbers on both sides, as `diff -u`
// numbers them. Small cases pin the exact output (empty, identical, all changed, edits at the top,
// in the middle and at the end, nearby changes merged into one hunk); random texts prove that
// every diff rebuilds both sides and is as short as the longest common subsequence allows; two
// 2,000-line files, unrelated or with scattered edits, diff in well under a second.
import {
  DEFAULT_CONTEXT,
  diffAllLines,
  diffLines,
  splitLines,
  type Hunk,
} from '../../../engine/text/line-diff.js';

const text = (...lines: string[]): string => lines.map((l) => `${l}\n`).join('');

/** A hunk as `diff -u` prints it: the header, then each line with its sign. */
function unified(hunks: readonly Hunk[]): string[] {
  return hunks.flatMap((h) => [
    `@@ -${h.fromStart},${h.fromLines} +${h.toStart},${h.toLines} @@`,
    ...h.lines.map((l) => `${l.kind === 'same' ? ' ' : l.kind === 'added' ? '+' : '-'}${l.text}`),
  ]);
}

/** The length of a longest common subsequence, by dynamic programming (small inputs only). */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  let row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const next = [0];
    for (let j = 0; j < b.length; j += 1)
      next.push(x === b[j] ? row[j]! + 1 : Math.max(row[j + 1]!, next[j]!));
    row = next;
  }
  return row[b.length]!;
}

/** A deterministic generator (the tests must not depend on luck). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('splitLines', () => {
  test('when a text ends with a line break, then no empty last line is added; \\r\\n ends a line too', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a')).toEqual(['a']);
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\r\nb')).toEqual(['a', 'b']);
    expect(splitLines('\n\n')).toEqual(['', '']);
  });
});

describe('diffLines of small texts', () => {
  test('when both texts are empty or identical, then there is no hunk', () => {
    expect(diffLines('', '')).toEqual([]);
    const same = text('policy "x" version 1', 'process p {', '}');
    expect(diffLines(same, same)).toEqual([]);
  });

  test('when a file is new or gone, then one hunk adds or removes every line from line 0', () => {
    expect(unified(diffLines('', text('a', 'b')))).toEqual(['@@ -0,0 +1,2 @@', '+a', '+b']);
    expect(unified(diffLines(text('a', 'b'), '')).join('|')).toBe('@@ -1,2 +0,0 @@|-a|-b');
  });

  test('when every line changed, then the removed lines come before the added ones', () => {
    expect(unified(diffLines(text('a', 'b', 'c'), text('x', 'y')))).toEqual([
      '@@ -1,3 +1,2 @@',
      '-a',
      '-b',
      '-c',
      '+x',
      '+y',
    ]);
  });

  test('when one line in the middle of a long file changes, then the hunk has 3 lines of context each side', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const after = before.map((l) => (l === 'line 10' ? 'line ten' : l));
    const hunks = diffLines(text(...before), text(...after));
    expect(unified(hunks)).toEqual([
      '@@ -7,7 +7,7 @@',
      ' line 7',
      ' line 8',
      ' line 9',
      '-line 10',
      '+line ten',
      ' line 11',
      ' line 12',
      ' line 13',
    ]);
    expect(hunks[0]!.lines.find((l) => l.kind === 'removed')).toEqual({
      kind: 'removed',
      text: 'line 10',
      from: 10,
      to: null,
    });
    expect(hunks[0]!.lines.find((l) => l.kind === 'added')).toEqual({
      kind: 'added',
      text: 'line ten',
      from: null,
      to: 10,
    });
  });

  test('when two changes are at most 6 unchanged lines apart, then they share a hunk; 7 apart, then they do not', () => {
    const base = Array.from({ length: 30 }, (_, i) => `l${i + 1}`);
    const edit = (at: number[]): string => text(...base.map((l, i) => (at.includes(i + 1) ? `${l}!` : l)));
    expect(diffLines(text(...base), edit([5, 12]))).toHaveLength(1);
    const apart = diffLines(text(...base), edit([5, 13]));
    expect(apart.map((h) => `${h.fromStart},${h.fromLines}`)).toEqual(['2,7', '10,7']);
  });

  test('when a line is inserted after earlier insertions with no context, then its hunk starts after the right line on each side', () => {
    const hunks = diffLines(
      text('a', 'b', 'c', 'd', 'e'),
      text('new', 'a', 'b', 'c', 'd', 'inserted', 'e'),
      0,
    );
    expect(unified(hunks)).toEqual(['@@ -0,0 +1,1 @@', '+new', '@@ -4,0 +6,1 @@', '+inserted']);
  });

  test('when the context is not a whole number ≥ 0, then it is refused', () => {
    expect(() => diffLines('a', 'b', -1)).toThrow(RangeError);
    expect(DEFAULT_CONTEXT).toBe(3);
  });
});

describe('diffAllLines on random texts', () => {
  test('when two random texts are diffed, then the diff rebuilds both and keeps a longest common subsequence', () => {
    const random = seeded(18);
    for (let round = 0; round < 300; round += 1) {
      const alphabet = 1 + Math.floor(random() * 6);
      const make = (): string[] =>
        Array.from({ length: Math.floor(random() * 25) }, () =>
          String.fromCharCode(97 + Math.floor(random() * alphabet)),
        );
      const [a, b] = [make(), make()];
      const lines = diffAllLines(text(...a), text(...b));
      expect(lines.filter((l) => l.kind !== 'added').map((l) => l.text)).toEqual(a);
      expect(lines.filter((l) => l.kind !== 'removed').map((l) => l.text)).toEqual(b);
      expect(lines.filter((l) => l.kind === 'same')).toHaveLength(lcsLength(a, b));
    }
  });
});

describe('diffLines of large files', () => {
  const big = (prefix: string): string[] =>
    Array.from({ length: 2_000 }, (_, i) => `${prefix} ${i} ${(i * 7919) % 101}`);

  test('when two unrelated 2,000-line files are diffed, then every line is removed and added, quickly', () => {
    const started = performance.now();
    const hunks = diffLines(text(...big('old')), text(...big('new')));
    const took = performance.now() - started;
    expect(hunks).toHaveLength(1);
    expect(hunks[0]!.fromLines).toBe(2_000);
    expect(hunks[0]!.toLines).toBe(2_000);
    expect(took).toBeLessThan(5_000); // generous: the machine is shared; typically ~100 ms
  });

  test('when a 2,000-line file has 40 scattered edits, then each edit is its own hunk, quickly', () => {
    const before = big('line');
    const after = before.map((l, i) => (i % 50 === 25 ? `${l} changed` : l));
    const started = performance.now();
    const hunks = diffLines(text(...before), text(...after));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(hunks).toHaveLength(40);
    expect(hunks.every((h) => h.fromLines === 7 && h.toLines === 7)).toBe(true);
  });
});
