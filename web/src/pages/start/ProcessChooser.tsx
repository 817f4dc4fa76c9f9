// Step 1 of starting a request: the processes of every policy in effect today, grouped by policy,
// with a filter for PMOs that publish many. A policy whose first version takes effect later is
// listed apart, so nobody wonders where it went.
import { useId, useState } from 'react';
import { Link } from '../../app/router.js';
import { useLive } from '../../app/live.js';
import { Empty, Loaded } from '../../components/states.js';
import { fieldLabel } from './form-values.js';
import { type PolicyChoice, policyChoices, utcDay } from './policies-in-effect.js';
import { dayText, readPublishedVersions } from './read-policies.js';

const startPath = (policy: string, version: number, process: string): string =>
  `/start/${encodeURIComponent(policy)}/${version}/${encodeURIComponent(process)}`;

const matches = (choice: PolicyChoice, process: string, words: string): boolean =>
  words === '' ||
  `${choice.name} ${process} ${fieldLabel(process)}`.toLowerCase().includes(words.trim().toLowerCase());

function PolicyCard({ choice, filter }: { choice: PolicyChoice; filter: string }) {
  const current = choice.inEffect;
  if (current === null) return null;
  const processes = current.processes.filter((p) => matches(choice, p, filter));
  if (processes.length === 0) return null;
  const headingId = `policy-${current.name.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
  return (
    <li className="card policy-card">
      <h2 id={headingId}>{choice.name}</h2>
      <p className="policy-meta">
        Version {current.version}, in effect since {dayText(current.effective)}
        {current.owner ? <> · owned by {current.owner}</> : null}
      </p>
      {choice.upcoming ? (
        <p className="field-help">
          Version {choice.upcoming.version} takes effect on {dayText(choice.upcoming.effective)}.
        </p>
      ) : null}
      <ul className="process-links">
        {processes.map((p) => (
          <li key={p}>
            <Link to={startPath(current.name, current.version, p)} className="button process-link">
              <span className="process-name">{fieldLabel(p)}</span>
              <span className="process-id">{p}</span>
            </Link>
          </li>
        ))}
      </ul>
    </li>
  );
}

export function ProcessChooser() {
  const filterId = useId();
  const [filter, setFilter] = useState('');
  const read = useLive('published-policies', readPublishedVersions);
  return (
    <Loaded read={read} what="the published policies">
      {(versions) => {
        const choices = policyChoices(versions, utcDay(new Date()));
        const startable = choices.filter((c) => c.inEffect !== null);
        const waiting = choices.filter((c) => c.inEffect === null);
        if (startable.length === 0) {
          return (
            <Empty title="No policy is in effect yet, so there is nothing to start">
              <p>
                Policy authors of your PMO publish policies (with <code>charter publish</code> or the API);
                the processes of each appear here on the day it takes effect.
                {waiting.length > 0
                  ? ` ${waiting.map((w) => `${w.name} takes effect on ${dayText(w.upcoming?.effective ?? '')}`).join('; ')}.`
                  : ' None is published yet.'}
              </p>
            </Empty>
          );
        }
        const shown = startable.filter((c) =>
          (c.inEffect?.processes ?? []).some((p) => matches(c, p, filter)),
        );
        return (
          <>
            <div className="field chooser-filter">
              <label htmlFor={filterId}>Find a process</label>
              <input
                id={filterId}
                type="search"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                aria-describedby={`${filterId}-help`}
              />
              <p className="field-help" id={`${filterId}-help`}>
                By policy or process name. {startable.length} {startable.length === 1 ? 'policy' : 'policies'}{' '}
                in effect.
              </p>
            </div>
            {shown.length === 0 ? (
              <Empty title={`No process matches “${filter}”`}>
                <button type="button" className="button" onClick={() => setFilter('')}>
                  Show all processes
                </button>
              </Empty>
            ) : (
              <ul className="policy-list">
                {shown.map((c) => (
                  <PolicyCard key={c.name} choice={c} filter={filter} />
                ))}
              </ul>
            )}
            {waiting.length > 0 ? (
              <p className="field-help">
                Not in effect yet:{' '}
                {waiting.map((w) => `${w.name} (from ${dayText(w.upcoming?.effective ?? '')})`).join(', ')}.
              </p>
            ) : null}
          </>
        );
      }}
    </Loaded>
  );
}
