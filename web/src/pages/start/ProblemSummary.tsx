// The list of what stops a request from starting, at the top of the form: each problem links to
// its field (the link moves focus there), and problems the server found elsewhere in the request
// (the policy, the process) are listed with the API's path. It takes focus when it appears, so a
// keyboard or screen-reader user hears at once why nothing happened.
import { forwardRef, type MouseEvent } from 'react';
import type { ApiFailure } from '../../api-client/client.js';
import { controlIdOf } from './FieldControl.js';
import { fieldLabel, type FormProblem } from './form-values.js';

/** `systems[2]` as people read it: "Systems, item 3". */
export function problemPlace(key: string): string {
  if (key === '') return 'The request';
  const [field = key, ...rows] = key.split(/\[(\d+)\]/).filter((p) => p !== '');
  return [fieldLabel(field), ...rows.map((r) => `item ${Number(r) + 1}`)].join(', ');
}

interface ProblemSummaryProps {
  problems: readonly FormProblem[];
  /** The server's refusal, when it was the server that refused. */
  failure: ApiFailure | null;
  /** Problems of the request outside its input (`body.policy`), with the API's path. */
  elsewhere: readonly { path: string; message: string }[];
}

export const ProblemSummary = forwardRef<HTMLDivElement, ProblemSummaryProps>(function ProblemSummary(
  { problems, failure, elsewhere },
  ref,
) {
  const count = problems.length + elsewhere.length;
  const go = (event: MouseEvent<HTMLAnchorElement>, key: string): void => {
    const target = document.getElementById(controlIdOf(key));
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.scrollIntoView({ block: 'center' });
  };
  return (
    <div className="notice notice-error problem-summary" role="alert" tabIndex={-1} ref={ref}>
      <p className="notice-title">
        {failure
          ? 'Charter did not start the request'
          : `Fix ${count === 1 ? 'this field' : `these ${count} fields`} to start the request`}
      </p>
      {failure ? (
        <p>
          {failure.message} <code className="code-tag">{failure.code}</code>
        </p>
      ) : null}
      {count > 0 ? (
        <ul className="problems">
          {problems.map((p) => (
            <li key={`${p.key}:${p.message}`}>
              {p.key === '' ? (
                problemPlace(p.key)
              ) : (
                <a href={`#${controlIdOf(p.key)}`} onClick={(e) => go(e, p.key)}>
                  {problemPlace(p.key)}
                </a>
              )}
              : {p.message}
            </li>
          ))}
          {elsewhere.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              <code>{p.path}</code>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
});
