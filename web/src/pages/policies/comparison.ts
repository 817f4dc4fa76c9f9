// The comparison of two policy versions as the Policies screen lays it out, kept pure so that it
// is tested without a browser: its address (/policies?compare=<name>&from=<v>&to=<v>, which can be
// bookmarked and sent to a colleague), the API's answer type, a process's changes grouped by
// step, and a source file's hunks with the unchanged lines between them counted, so the screen
// can collapse them into one row that says how many were left out.
import type { paths } from '../../api-client/client.js';

export type PolicyDiff =
  paths['/v1/policies/{name}/diff']['get']['responses']['200']['content']['application/json'];
export type ProcessDiff = PolicyDiff['processes'][number];
export type StepChange = ProcessDiff['changes'][number];
export type SourceDiff = PolicyDiff['sources'][number];
export type Hunk = SourceDiff['hunks'][number];

export interface Comparison {
  name: string;
  from: number;
  to: number;
}

/** The address of the comparison of `from` with `to` of policy `name`. */
export const compareHref = ({ name, from, to }: Comparison): string =>
  `/policies?${new URLSearchParams({ compare: name, from: String(from), to: String(to) }).toString()}`;

/**
 * The comparison an address asks for, or null. Numbers are not checked here: a bad one goes to
 * the API as it is, and its 422 names the field (`query.from`), which the screen shows.
 */
export function comparisonOf(query: URLSearchParams): Comparison | null {
  const name = query.get('compare');
  if (name === null || name === '') return null;
  return { name, from: Number(query.get('from')), to: Number(query.get('to')) };
}

/** Changes grouped by step, in the order the newer version has its steps. */
export function byStep(changes: readonly StepChange[]): [string, StepChange[]][] {
  const groups = new Map<string, StepChange[]>();
  for (const change of changes) groups.set(change.step, [...(groups.get(change.step) ?? []), change]);
  return [...groups.entries()];
}

export type SourcePart = { kind: 'gap'; lines: number; firstLine: number } | { kind: 'hunk'; hunk: Hunk };

/**
 * The hunks in order with the unchanged lines before, between and after them (counted in the
 * older version) as gaps; no gap of zero lines. A hunk without old lines starts after fromStart.
 */
export function sourceParts(source: SourceDiff): SourcePart[] {
  const parts: SourcePart[] = [];
  let nextOld = 1;
  const gapUpTo = (line: number): void => {
    if (line > nextOld) parts.push({ kind: 'gap', lines: line - nextOld, firstLine: nextOld });
  };
  for (const hunk of source.hunks) {
    const first = hunk.fromLines === 0 ? hunk.fromStart + 1 : hunk.fromStart;
    gapUpTo(first);
    parts.push({ kind: 'hunk', hunk });
    nextOld = first + hunk.fromLines;
  }
  gapUpTo(source.fromLineCount + 1);
  return parts;
}
