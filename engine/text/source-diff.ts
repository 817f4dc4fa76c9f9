// Two versions' source files compared, file by file: the policy file with the policy file (the
// first source, even when the newer version renamed it), the libraries by path, in the newer
// order, then the libraries the newer version dropped. Shared by the API's version diff and the
// studio's publish confirmation, so both pair and count files the same way.
import { diffLines, type Hunk, splitLines } from './line-diff.js';

export interface SourceFile {
  path: string;
  text: string;
}

export interface SourceDiff {
  path: string;
  /** The file's path in the older version (the policy file may have been renamed); null when added. */
  fromPath: string | null;
  status: 'added' | 'removed' | 'changed' | 'same';
  fromLineCount: number;
  toLineCount: number;
  hunks: Hunk[];
}

export function sourceDiff(before: SourceFile | undefined, after: SourceFile | undefined): SourceDiff {
  const [a, b] = [before?.text ?? '', after?.text ?? ''];
  const status =
    before === undefined ? 'added' : after === undefined ? 'removed' : a === b ? 'same' : 'changed';
  return {
    path: after?.path ?? before?.path ?? '',
    fromPath: before?.path ?? null,
    status,
    fromLineCount: splitLines(a).length,
    toLineCount: splitLines(b).length,
    hunks: status === 'same' ? [] : diffLines(a, b),
  };
}

export function sourceDiffs(from: readonly SourceFile[], to: readonly SourceFile[]): SourceDiff[] {
  const [entryFrom, ...libsFrom] = from;
  const [entryTo, ...libsTo] = to;
  const byPath = new Map(libsFrom.map((s) => [s.path, s]));
  const kept = new Set(libsTo.map((s) => s.path));
  return [
    sourceDiff(entryFrom, entryTo),
    ...libsTo.map((s) => sourceDiff(byPath.get(s.path), s)),
    ...libsFrom.filter((s) => !kept.has(s.path)).map((s) => sourceDiff(s, undefined)),
  ];
}
