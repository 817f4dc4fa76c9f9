// The list of findings, newest first, a page at a time ("Load more"), narrowed by status, project,
// monitor and "only mine". The filters live in the URL (/findings?status=live&mine=true), so a
// filtered list survives a reload, can be shared, and the back button undoes a filter. Each row
// says what was found, for which project, how old it is and when it is due, in words.
import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, unwrap } from '../../api-client/client.js';
import { usePagedList } from '../../app/paged-list.js';
import { Link, navigate, useLocation } from '../../app/router.js';
import { FilterForm, FilterText, ListCount, ListRows } from '../../components/ListParts.js';
import { LoadMore } from '../../components/LoadMore.js';
import { Empty } from '../../components/states.js';
import { DueText, HealthText, StatusBadge } from './FindingParts.js';
import {
  ageOf,
  type Finding,
  filterOf,
  findingPath,
  LIST_STATUSES,
  type ListFilter,
  type ListStatus,
  projectPath,
  queryOf,
} from './finding-view.js';

const PAGE_SIZE = 25;

export function FindingsList() {
  const id = useId();
  const { query } = useLocation();
  const filter = filterOf(query);
  const search = queryOf(filter);
  // Project and monitor are typed: they apply on "Apply"; the menu and the box apply when changed.
  const [typed, setTyped] = useState({ project: filter.project, monitor: filter.monitor });
  useEffect(
    () => setTyped({ project: filter.project, monitor: filter.monitor }),
    [filter.project, filter.monitor],
  );

  const list = usePagedList<Finding>(
    `findings:${search}`,
    (cursor) =>
      unwrap(
        api.GET('/v1/findings', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(filter.status === '' ? {} : { status: filter.status as ListStatus }),
              ...(filter.project === '' ? {} : { project: filter.project }),
              ...(filter.monitor === '' ? {} : { monitor: filter.monitor }),
              ...(filter.policy === '' ? {} : { policy: filter.policy }),
              ...(filter.mine ? { mine: 'true' as const } : {}),
              ...(cursor === null ? {} : { cursor }),
            },
          },
        }),
      ),
    (f) => f.id,
  );
  const show = (next: ListFilter): void => navigate(`/findings${queryOf(next)}`);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    show({ ...filter, project: typed.project.trim().toUpperCase(), monitor: typed.monitor.trim() });
  };
  const problem = (key: string) => list.first.error?.problemsUnder(`query.${key}`)[0]?.message;
  const filtered = search !== '';

  return (
    <section aria-labelledby="findings-list-title" className="portfolio-section">
      <FilterForm label="Filter the findings" filtered={filtered} clearTo="/findings" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            value={filter.status}
            aria-invalid={problem('status') ? true : undefined}
            onChange={(e) => show({ ...filter, status: e.target.value })}
          >
            <option value="">Any status</option>
            {LIST_STATUSES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.text}
              </option>
            ))}
          </select>
        </div>
        <FilterText
          id={`${id}-project`}
          label="Project code"
          value={typed.project}
          problem={problem('project')}
          onChange={(project) => setTyped((t) => ({ ...t, project }))}
        />
        <FilterText
          id={`${id}-monitor`}
          label="Monitor"
          value={typed.monitor}
          problem={problem('monitor')}
          onChange={(monitor) => setTyped((t) => ({ ...t, monitor }))}
        />
        <div className="field check-line findings-mine">
          <input
            id={`${id}-mine`}
            type="checkbox"
            checked={filter.mine}
            onChange={(e) => show({ ...filter, mine: e.target.checked })}
          />
          <label htmlFor={`${id}-mine`}>Only mine (I own them or they were escalated to me)</label>
        </div>
      </FilterForm>

      <div className="portfolio-section-head">
        <h2 id="findings-list-title">{filtered ? 'Findings matching the filters' : 'All findings'}</h2>
        <ListCount list={list} one="finding" many="findings" />
      </div>
      <ListRows
        list={list}
        what="the findings"
        empty={
          <Empty title={filtered ? 'No finding matches these filters' : 'No findings yet'}>
            {filtered
              ? 'Choose another status, or clear the filters.'
              : 'Monitors of the policies in force open a finding for each project that fails them, when they run.'}
          </Empty>
        }
      >
        {(items) => <FindingsTable findings={items} />}
      </ListRows>
      <LoadMore list={list} what="findings" />
    </section>
  );
}

function FindingsTable({ findings }: { findings: readonly Finding[] }) {
  const now = Date.now();
  return (
    <div className="table-wrap">
      <table className="data stack-table findings-table">
        <caption className="visually-hidden">Findings, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Finding</th>
            <th scope="col">Project</th>
            <th scope="col">Status</th>
            <th scope="col">Health</th>
            <th scope="col">Age</th>
            <th scope="col">Due</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((f) => (
            <tr key={f.id}>
              <th scope="row" data-label="Finding">
                <Link to={findingPath(f.id)}>{f.message}</Link>
                <span className="findings-monitor">
                  monitor {f.monitor} of {f.policy.name}
                </span>
              </th>
              <td data-label="Project">
                <Link to={projectPath(f.project)} className="portfolio-code">
                  {f.project}
                </Link>
              </td>
              <td data-label="Status">
                <StatusBadge status={f.status} />
              </td>
              <td data-label="Health">
                <HealthText health={f.health} />
              </td>
              <td data-label="Age">{ageOf(f.openedAt, now)}</td>
              <td data-label="Due">
                <DueText finding={f} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
