// "Did you mean" with limits: a wrong suggestion is worse than none. Like TypeScript, a candidate
// counts only when its edit distance is at most 0.4 of the name's length (and at least 1 edit
// apart is allowed for very short names only when the candidate is not much longer). Swapping two
// neighbouring letters is one edit, not two: `wiat`, `fial` and `vaild` are the commonest typos of
// `wait`, `fail` and `valid`, and plain Levenshtein would put them out of reach.

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two neighbouring
 * characters as one edit each (optimal string alignment), with an early exit once `limit` is
 * exceeded (then it returns limit + 1).
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      const swapped =
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1);
      if (swapped) value = Math.min(value, (beforePrevious[j - 2] ?? 0) + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    // A row past the limit means the row before was at it at best (a row is at most one more than
    // the one above), so a swap reaching back two rows cannot come under the limit either.
    if (rowMin > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Every candidate close enough to `name`, the closest first: case-only differences, then by edit
 * distance; ties keep the candidates' order, so callers control it.
 */
export function closeMatches(name: string, candidates: Iterable<string>): string[] {
  const limit = Math.max(1, Math.floor(name.length * 0.4));
  const found: { candidate: string; distance: number }[] = [];
  for (const candidate of candidates) {
    if (candidate === name) continue;
    if (candidate.toLowerCase() === name.toLowerCase()) {
      found.push({ candidate, distance: -1 });
      continue;
    }
    // A one-letter name matches almost anything at distance 1: suggest only real near-misses.
    if (name.length < 3 && candidate.length > name.length + 1) continue;
    const distance = editDistance(name, candidate, limit);
    if (distance <= limit) found.push({ candidate, distance });
  }
  // Array.prototype.sort is stable: equal distances keep the candidates' order.
  return found.sort((x, y) => x.distance - y.distance).map((f) => f.candidate);
}

/** The closest candidate to `name`, or undefined when none is close enough. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  return closeMatches(name, candidates)[0];
}
