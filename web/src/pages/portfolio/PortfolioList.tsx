// The portfolio list: every project by code, a page at a time ("Load more"), narrowed by phase,
// health, manager and tag. The filters live in the URL (/portfolio?phase=build&tag=erp), so a
// filtered list survives a reload, can be shared, and the back button undoes a filter. The CSV
// export link downloads exactly the projects the filters show.
import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { usePagedList } from '../../app/paged-list.js';
import { Link, navigate, useLocation } from '../../app/router.js';
import { FilterForm, FilterText, ListCount, ListRows } from '../../components/ListParts.js';
import { LoadMore } from '../../components/LoadMore.js';
import { Empty } from '../../components/states.js';
import { HealthBadge, ProjectPerson, TagList, useMayWrite } from './ProjectFacts.js';
import {
  dayText,
  filterOf,
  HEALTH_TEXT,
  HEALTHS,
  type ListFilter,
  type Project,
  projectPath,
  queryOf,
} from './project-view.js';

const PAGE_SIZE = 25;

export function PortfolioList() {
  const id = useId();
  const mayWrite = useMayWrite();
  const { query } = useLocation();
  const filter = filterOf(query);
  const search = queryOf(filter);
  // Manager and tag are typed: they apply on "Apply"; the menus apply when chosen.
  const [typed, setTyped] = useState({ manager: filter.manager, tag: filter.tag });
  useEffect(() => setTyped({ manager: filter.manager, tag: filter.tag }), [filter.manager, filter.tag]);
  const phases = useLive('portfolio:phases', () => unwrap(api.GET('/v1/portfolio/phases')), { live: false });

  const list = usePagedList<Project>(
    `projects:${search}`,
    (cursor) =>
      unwrap(
        api.GET('/v1/projects', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(filter.phase === '' ? {} : { phase: filter.phase }),
              ...(filter.health === '' ? {} : { health: filter.health as Project['health']['status'] }),
              ...(filter.manager === '' ? {} : { manager: filter.manager }),
              ...(filter.tag === '' ? {} : { tag: filter.tag }),
              ...(cursor === null ? {} : { cursor }),
            },
          },
        }),
      ),
    (p) => p.code,
  );
  const show = (next: ListFilter): void => navigate(`/portfolio${queryOf(next)}`, { replace: false });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    show({ ...filter, manager: typed.manager.trim(), tag: typed.tag.trim() });
  };
  const problem = (key: keyof ListFilter) => list.first.error?.problemsUnder(`query.${key}`)[0]?.message;
  const filtered = search !== '';

  return (
    <>
      <FilterForm label="Filter the projects" filtered={filtered} clearTo="/portfolio" onSubmit={submit}>
        <FilterSelect
          id={`${id}-phase`}
          label="Phase"
          value={filter.phase}
          any="Any phase"
          options={(phases.data?.phases ?? []).map((phase) => ({ value: phase, text: phase }))}
          problem={problem('phase')}
          onChange={(phase) => show({ ...filter, phase })}
        />
        <FilterSelect
          id={`${id}-health`}
          label="Health"
          value={filter.health}
          any="Any health"
          options={HEALTHS.map((h) => ({ value: h, text: `${HEALTH_TEXT[h]} (${h})` }))}
          problem={problem('health')}
          onChange={(health) => show({ ...filter, health })}
        />
        <FilterText
          id={`${id}-manager`}
          label="Manager (e-mail)"
          value={typed.manager}
          problem={problem('manager')}
          onChange={(manager) => setTyped((t) => ({ ...t, manager }))}
        />
        <FilterText
          id={`${id}-tag`}
          label="Tag"
          value={typed.tag}
          problem={problem('tag')}
          onChange={(tag) => setTyped((t) => ({ ...t, tag }))}
        />
      </FilterForm>

      <section aria-labelledby="portfolio-list-title" className="portfolio-section">
        <div className="portfolio-section-head">
          <h2 id="portfolio-list-title">{filtered ? 'Projects matching the filters' : 'All projects'}</h2>
          <p className="portfolio-tools">
            <a className="button" href={`/v1/projects/export${search}`} download>
              Export {filtered ? 'these projects' : 'all projects'} (CSV)
            </a>
            {mayWrite ? (
              <Link className="button button-primary" to="/portfolio/new">
                New project
              </Link>
            ) : null}
          </p>
        </div>
        <ListCount list={list} one="project" many="projects" />
        <ListRows
          list={list}
          what="the projects"
          empty={
            <Empty title={filtered ? 'No project matches these filters' : 'The portfolio is empty'}>
              {filtered
                ? 'Choose another phase or health, or clear the filters.'
                : mayWrite
                  ? 'Create a project, import a CSV file, or start from the project names instances already carry.'
                  : 'The PMO adds projects here.'}
            </Empty>
          }
        >
          {(items) => <ProjectsTable projects={items} />}
        </ListRows>
        <LoadMore list={list} what="projects" />
      </section>
    </>
  );
}

/** A menu of the filter's values; a value the URL gave that is not among them is shown as given. */
function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  any: string;
  options: readonly { value: string; text: string }[];
  problem: string | undefined;
  onChange: (value: string) => void;
}) {
  const { id, label, value, any, problem, onChange } = props;
  const known = value === '' || props.options.some((o) => o.value === value);
  const options = known ? props.options : [...props.options, { value, text: value }];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
      {problem ? (
        <p className="field-problem" id={`${id}-problem`}>
          {problem}
        </p>
      ) : null}
    </div>
  );
}

function ProjectsTable({ projects }: { projects: readonly Project[] }) {
  return (
    <div className="table-wrap">
      <table className="data stack-table portfolio-table">
        <caption className="visually-hidden">Projects of the portfolio</caption>
        <thead>
          <tr>
            <th scope="col">Project</th>
            <th scope="col">Phase</th>
            <th scope="col">Health</th>
            <th scope="col">Manager</th>
            <th scope="col">Ends</th>
            <th scope="col">Tags</th>
          </tr>
        </thead>
        <tbody>
          {projects.map((p) => (
            <tr key={p.code}>
              <th scope="row" data-label="Project">
                <Link to={projectPath(p.code)}>{p.code}</Link>
                <span className="portfolio-name">{p.name}</span>
              </th>
              <td data-label="Phase">{p.phase}</td>
              <td data-label="Health">
                <HealthBadge health={p.health} withReason />
              </td>
              <td data-label="Manager">
                <ProjectPerson id={p.manager} />
              </td>
              <td data-label="Ends">{dayText(p.end)}</td>
              <td data-label="Tags">
                <TagList tags={p.tags} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
