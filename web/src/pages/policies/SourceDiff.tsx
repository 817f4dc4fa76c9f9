// One source file of the comparison, line by line as reviewers read a unified diff: each hunk's
// lines with their numbers in the older and the newer version, removed lines marked "−" and
// added lines "+" (and said in words to screen readers, never by colour alone), unchanged context
// around them, and the unchanged lines between hunks collapsed to a row that says how many were
// left out. The lines scroll sideways inside their own box, so a long policy line never widens
// the page on a phone; the box takes focus so that keyboard users can scroll it too.
import { useId } from 'react';
import { type Hunk, type SourceDiff as Source, sourceParts } from './comparison.js';

const STATUS_WORDS: Record<Source['status'], string> = {
  added: 'new file',
  removed: 'file removed',
  changed: 'changed',
  same: 'unchanged',
};

function Collapsed({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <tr className="diff-gap">
      <td colSpan={4}>
        ⋯ {count} unchanged line{count === 1 ? '' : 's'} not shown
      </td>
    </tr>
  );
}

function HunkRows({ hunk }: { hunk: Hunk }) {
  return (
    <>
      {hunk.lines.map((line, i) => (
        <tr key={i} className={`diff-line diff-line-${line.kind}`}>
          <td className="diff-num">{line.from ?? ''}</td>
          <td className="diff-num">{line.to ?? ''}</td>
          <td className="diff-sign">
            {line.kind === 'added' ? (
              <>
                <span aria-hidden="true">+</span>
                <span className="visually-hidden">added</span>
              </>
            ) : line.kind === 'removed' ? (
              <>
                <span aria-hidden="true">−</span>
                <span className="visually-hidden">removed</span>
              </>
            ) : null}
          </td>
          <td className="diff-text">
            <code>{line.text === '' ? ' ' : line.text}</code>
          </td>
        </tr>
      ))}
    </>
  );
}

export function SourceDiff({ source }: { source: Source }) {
  const id = useId();
  const renamed = source.fromPath !== null && source.fromPath !== source.path;
  return (
    <section className="card diff-source" aria-labelledby={id}>
      <h3 id={id}>
        <code>{source.path}</code> <span className="diff-source-status">({STATUS_WORDS[source.status]})</span>
      </h3>
      {renamed ? (
        <p className="muted">
          Called <code>{source.fromPath}</code> in the older version.
        </p>
      ) : null}
      {source.hunks.length === 0 ? (
        <p className="muted">
          {source.status === 'same'
            ? `The text is the same in both versions (${source.toLineCount} lines).`
            : 'The file has no lines.'}
        </p>
      ) : (
        <div
          className="table-wrap diff-lines-wrap"
          tabIndex={0}
          role="region"
          aria-label={`Lines of ${source.path}`}
        >
          <table className="source-diff">
            <caption className="visually-hidden">
              Changes in {source.path}: line numbers before and after, then the line
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Line before</span>
                  <span aria-hidden="true">Old</span>
                </th>
                <th scope="col">
                  <span className="visually-hidden">Line after</span>
                  <span aria-hidden="true">New</span>
                </th>
                <th scope="col">
                  <span className="visually-hidden">Change</span>
                </th>
                <th scope="col">Text</th>
              </tr>
            </thead>
            <tbody>
              {sourceParts(source).map((part) =>
                part.kind === 'gap' ? (
                  <Collapsed key={`gap:${part.firstLine}`} count={part.lines} />
                ) : (
                  <HunkRows key={`hunk:${part.hunk.fromStart}:${part.hunk.toStart}`} hunk={part.hunk} />
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
