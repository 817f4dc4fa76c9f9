// The problems under the editor, as a list a keyboard or screen-reader user can work through:
// each one says where it is, its code and sentence and its help, and is a button that puts the
// cursor on it in the editor; a "did you mean" has a second button that applies it. The count
// above it is a polite live region, so a check that comes back clean is heard.
import { errorCount, headline, type Problem } from './problems.js';

interface ProblemListProps {
  problems: readonly Problem[];
  /** The entry's path: problems elsewhere name their file. */
  entry: string;
  /** Whether the checker has answered for the text shown. */
  checked: boolean;
  onGoTo: (problem: Problem) => void;
  onFix: (problem: Problem) => void;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function summary(problems: readonly Problem[], checked: boolean): string {
  if (!checked) return 'Checking…';
  const errors = errorCount(problems);
  const warnings = problems.length - errors;
  if (problems.length === 0) return 'No problems: the checker accepts this policy.';
  return `${plural(errors, 'error', 'errors')}, ${plural(warnings, 'warning', 'warnings')}`;
}

export function ProblemList({ problems, entry, checked, onGoTo, onFix }: ProblemListProps) {
  const clean = checked && problems.length === 0;
  return (
    <section className="studio-problems" aria-labelledby="studio-problems-title">
      <h2 id="studio-problems-title">Problems</h2>
      <p
        className={`studio-problem-count ${clean ? 'notice notice-ok' : ''}`}
        role="status"
        aria-live="polite"
      >
        {summary(problems, checked)}
      </p>
      {problems.length > 0 ? (
        <ol className="studio-problem-list">
          {problems.map((problem) => (
            <li
              key={`${problem.source}:${problem.file}:${problem.from}:${problem.to}:${problem.code}:${problem.message}`}
              className={`studio-problem studio-problem-${problem.severity}`}
            >
              <button type="button" className="studio-problem-go" onClick={() => onGoTo(problem)}>
                <span className={`badge badge-${problem.severity === 'error' ? 'rejected' : 'pending'}`}>
                  {problem.severity}
                </span>{' '}
                <span className="studio-problem-where">
                  {problem.file === entry ? '' : `${problem.file} `}line {problem.line}, column {problem.col}
                  {problem.source === 'server' ? ' (from the server)' : ''}
                </span>
                <span className="studio-problem-text">{headline(problem)}</span>
              </button>
              {problem.help ? <p className="field-help">help: {problem.help}</p> : null}
              {problem.fix !== null ? (
                <button type="button" className="button button-quiet" onClick={() => onFix(problem)}>
                  Change to <code>{problem.fix}</code>
                </button>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
