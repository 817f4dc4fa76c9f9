// The dashboards' filter form: policy, project and a range of weeks. What is typed stays a draft
// until "Apply"; then it goes into the URL (replacing the entry). A field the API refused (a week
// that does not exist, `to` before `from`) shows the API's message right under it.
import { type FormEvent, useEffect, useId, useState } from 'react';
import type { FieldProblem } from '../../api-client/failure.js';
import { type DashFilter, type FilterKey, FILTER_KEYS, queryOf } from './filter.js';

const LABELS: Record<FilterKey, { label: string; help: string }> = {
  policy: { label: 'Policy', help: 'A policy name, e.g. change-mgmt.' },
  project: { label: 'Project', help: 'A project code, e.g. erp.' },
  from: { label: 'From week', help: 'An ISO week (2026-W19) or a day (2026-05-04).' },
  to: { label: 'To week', help: 'Included; a week or a day, not before From.' },
};

const draftOf = (f: DashFilter): Record<FilterKey, string> => ({
  policy: f.policy ?? '',
  project: f.project ?? '',
  from: f.from ?? '',
  to: f.to ?? '',
});

interface Props {
  filter: DashFilter;
  /** Problems the API found, by query name (`from`, `to`). */
  problems: readonly FieldProblem[];
  onApply: (filter: DashFilter) => void;
}

export function DashboardsFilter({ filter, problems, onApply }: Props) {
  const id = useId();
  const key = queryOf(filter);
  const [draft, setDraft] = useState(() => draftOf(filter));
  useEffect(() => {
    setDraft(draftOf(filter));
    // Only a new filter resets the draft: `filter` is a new object on every render.
  }, [key]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const next: DashFilter = {};
    for (const name of FILTER_KEYS) {
      const value = draft[name].trim();
      if (value) next[name] = value;
    }
    onApply(next);
  };

  return (
    <form className="card dash-filter" onSubmit={submit} aria-label="Filter the dashboards">
      {FILTER_KEYS.map((name) => {
        const controlId = `${id}-${name}`;
        const problem = problems
          .filter((p) => p.path.replace(/^query\./, '') === name)
          .map((p) => p.message)
          .join('; ');
        return (
          <div className="field" key={name}>
            <label htmlFor={controlId}>{LABELS[name].label}</label>
            <input
              id={controlId}
              name={name}
              type="text"
              autoComplete="off"
              spellCheck={false}
              value={draft[name]}
              onChange={(e) => setDraft((d) => ({ ...d, [name]: e.target.value }))}
              aria-invalid={problem ? true : undefined}
              aria-describedby={`${controlId}-help${problem ? ` ${controlId}-problem` : ''}`}
            />
            <p className="field-help" id={`${controlId}-help`}>
              {LABELS[name].help}
            </p>
            {problem ? (
              <p className="field-problem" id={`${controlId}-problem`}>
                {problem}
              </p>
            ) : null}
          </div>
        );
      })}
      <div className="actions">
        <button type="submit" className="button button-primary">
          Apply
        </button>
        {key !== '' ? (
          <button type="button" className="button button-quiet" onClick={() => onApply({})}>
            Clear
          </button>
        ) : null}
      </div>
    </form>
  );
}
