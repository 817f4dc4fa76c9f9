// How long segments break. A segment prints on one line when it fits; otherwise its breaker gives
// the rows it spreads over (see layout.ts). Two shapes cover the language: a list of
// chunks filled into as few rows as fit (holidays, the durations after a waiver or an
// attestation), and a condition split before each `and`/`or` of its outer chain, one operand a
// row, so that each row reads as one requirement.
import { type Breaker, INDENT, MAX_WIDTH, type Row } from './layout.js';

/**
 * `chunks` joined by spaces, as many on each row as fit in the width; the first row takes the
 * first chunk whatever its length (a string is never split), later rows are one indent deeper.
 */
export const fill =
  (chunks: readonly string[]): Breaker =>
  (column) => {
    const rows: Row[] = [];
    let current: Row | undefined;
    for (const chunk of chunks) {
      const room = current ? MAX_WIDTH - column - INDENT.length * current.depth : 0;
      if (current && current.text.length + 1 + chunk.length <= room) current.text += ` ${chunk}`;
      else rows.push((current = { depth: current ? 1 : 0, text: chunk }));
    }
    return rows;
  };

/**
 * A condition's operands (from `conditionLines`) one per row: `prefix` before the first, `suffix`
 * after the last, every later operand `depth` indents deeper than the first row.
 */
export const chainRows = (lines: readonly string[], prefix: string, suffix: string, depth: number): Row[] =>
  lines.map((text, index) => ({
    depth: index === 0 ? 0 : depth,
    text: (index === 0 ? prefix : '') + text + (index === lines.length - 1 ? suffix : ''),
  }));

/** `prefix`, a condition and `suffix` that break before each `and`/`or`, `depth` indents deeper. */
export function chainBreaker(
  lines: readonly string[] | null,
  prefix: string,
  suffix: string,
  depth: number,
): Breaker | undefined {
  return lines ? () => chainRows(lines, prefix, suffix, depth) : undefined;
}

/**
 * `rule <name> = <condition>` too long for one line: the condition moves under `=`, one indent
 * deeper, and if it still does not fit there it also breaks before each `and`/`or`, one more indent
 * deeper, so its continuation rows stand out from the condition's first row.
 */
export const ruleBreaker =
  (head: string, condition: string, lines: readonly string[] | null): Breaker =>
  (column) => {
    const fits = column + INDENT.length + condition.length <= MAX_WIDTH;
    const rows = !fits && lines ? chainRows(lines, '', '', 1) : [{ depth: 0, text: condition }];
    return [{ depth: 0, text: head }, ...rows.map((row) => ({ depth: row.depth + 1, text: row.text }))];
  };
