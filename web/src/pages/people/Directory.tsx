// The directory for admins and the PMO: everyone, a page at a time, or the people a search finds
// (by name or e-mail, as typed: the search is in the URL, so it survives a reload and can be
// shared). Each row shows the manager, the groups, whether the person is active and whether they
// are away; the list answer carries only the first two, so each row reads its person once.
// Admins also find the CSV import here (ImportPeople.tsx).
import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, type paths, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Link, navigate, useLocation } from '../../app/router.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { LoadMore } from '../../components/LoadMore.js';
import { PersonId } from '../../components/PersonId.js';
import { phaseOf, showInstant } from './show.js';
import { AllDelegations } from './Delegations.js';
import { usePagedList } from '../../app/paged-list.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { ImportPeople } from './ImportPeople.js';

type PersonSummary =
  paths['/v1/directory/people']['get']['responses']['200']['content']['application/json']['items'][number];
export type Person =
  paths['/v1/directory/people/{id}']['get']['responses']['200']['content']['application/json'];

const PAGE_SIZE = 25;
const SEARCH_DELAY_MS = 250;

export const personPath = (id: string): string => `/people/${encodeURIComponent(id)}`;

export function Directory() {
  const id = useId();
  const who = useSignedIn();
  const { query } = useLocation();
  const q = query.get('q')?.trim() ?? '';
  const [typed, setTyped] = useState(q);
  // A search set elsewhere (a link, the back button) replaces the field, unless it is what is typed.
  useEffect(() => setTyped((t) => (t.trim() === q ? t : q)), [q]);

  const search = (text: string): void => {
    const t = text.trim();
    navigate(t === '' ? '/people' : `/people?q=${encodeURIComponent(t)}`, { replace: true });
  };
  useEffect(() => {
    if (typed.trim() === q) return undefined;
    const timer = window.setTimeout(() => search(typed), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [typed, q]);

  const list = usePagedList<PersonSummary>(
    `people:${q}`,
    (cursor) =>
      unwrap(
        api.GET('/v1/directory/people', {
          params: {
            query: { limit: PAGE_SIZE, ...(q === '' ? {} : { q }), ...(cursor === null ? {} : { cursor }) },
          },
        }),
      ),
    (p) => p.id,
  );
  const { first, items } = list;
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    search(typed);
  };
  const searchProblem = first.error?.problemsUnder('query.q')[0]?.message;

  return (
    <section className="page people" aria-labelledby="people-title">
      <h1 id="people-title">People</h1>
      <p className="lead">
        Who reports to whom, who is in which group, who is away, and who decides for whom.
      </p>
      <form className="card people-search" role="search" aria-label="Search the directory" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-q`}>Search people</label>
          <div className="people-search-row">
            <input
              id={`${id}-q`}
              type="search"
              autoComplete="off"
              spellCheck={false}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              aria-invalid={searchProblem ? true : undefined}
              aria-describedby={`${id}-q-help${searchProblem ? ` ${id}-q-problem` : ''}`}
            />
            <button type="submit" className="button">
              Search
            </button>
          </div>
          <p className="field-help" id={`${id}-q-help`}>
            The start of a name, a word of it, or an e-mail address. A search finds active people only.
          </p>
          {searchProblem ? (
            <p className="field-problem" id={`${id}-q-problem`}>
              {searchProblem}
            </p>
          ) : null}
        </div>
      </form>

      <section aria-labelledby="people-list-title" className="people-section">
        <div className="people-section-head">
          <h2 id="people-list-title">{q === '' ? 'Directory' : `People matching “${q}”`}</h2>
          <p role="status" aria-live="polite" className="people-count">
            {first.data === null
              ? ''
              : `Showing ${items.length} ${items.length === 1 ? 'person' : 'people'}${list.hasMore ? '; there are more' : ''}`}
          </p>
        </div>
        {first.data === null && first.error ? (
          <ErrorNotice
            failure={first.error}
            title="Could not load the directory"
            onRetry={() => void first.reload()}
          />
        ) : first.data === null ? (
          <Loading what="the directory" />
        ) : items.length === 0 ? (
          <Empty title={q === '' ? 'The directory is empty' : `Nobody active matches “${q}”`}>
            {q === ''
              ? 'People arrive from the organisation file or when an admin adds them.'
              : 'Try fewer letters, another word of the name, or the e-mail address.'}
          </Empty>
        ) : (
          <PeopleTable people={items} />
        )}
        <LoadMore list={list} what="people" />
      </section>

      <AllDelegations />

      {hasRole(who, 'admin') ? <ImportPeople onImported={() => void first.reload()} /> : null}
    </section>
  );
}

function PeopleTable({ people }: { people: PersonSummary[] }) {
  return (
    <div className="table-wrap">
      <table className="data stack-table people-table">
        <caption className="visually-hidden">People of the directory</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Manager</th>
            <th scope="col">Groups</th>
            <th scope="col">Status</th>
            <th scope="col">Out of office</th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <PersonRow key={p.id} person={p} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PersonRow({ person }: { person: PersonSummary }) {
  // Groups and absence come with the person alone; read once, not polled, for a long list.
  const details = useLive(
    `person:${person.id}`,
    () => unwrap(api.GET('/v1/directory/people/{id}', { params: { path: { id: person.id } } })),
    { live: false },
  );
  const more = details.data;
  const unknown = more === null ? (details.error ? 'could not be read' : 'loading…') : null;
  return (
    <tr>
      <th scope="row" data-label="Name">
        <Link to={personPath(person.id)}>{person.name ?? <PersonId id={person.id} />}</Link>
        {person.name ? (
          <span className="people-id">
            <PersonId id={person.id} />
          </span>
        ) : null}
      </th>
      <td data-label="Manager">
        {person.manager ? (
          <Link to={personPath(person.manager)}>
            <PersonId id={person.manager} />
          </Link>
        ) : (
          <span className="muted">none</span>
        )}
      </td>
      <td data-label="Groups">
        {unknown ??
          (more && more.groups.length > 0 ? more.groups.join(', ') : <span className="muted">none</span>)}
      </td>
      <td data-label="Status">
        <ActiveBadge active={person.active} />
      </td>
      <td data-label="Out of office">{unknown ?? <AbsenceText absence={more?.outOfOffice ?? null} />}</td>
    </tr>
  );
}

export function ActiveBadge({ active }: { active: boolean }) {
  return active ? (
    <span className="badge badge-approved">Active</span>
  ) : (
    <span className="badge badge-cancelled">Inactive</span>
  );
}

/** An absence in words: away now or planned (with the stand-in), or none. */
export function AbsenceText({ absence }: { absence: Person['outOfOffice'] }) {
  if (absence === null) return <span className="muted">not away</span>;
  const phase = phaseOf({ start: absence.from, end: absence.to });
  if (phase === 'over')
    return <span className="muted">not away (last absence ended {showInstant(absence.to)})</span>;
  const standIn = absence.delegate ? `; ${absence.delegate} decides meanwhile` : '';
  return (
    <span>
      <strong>{phase === 'now' ? 'Away' : 'Planned'}</strong> from {showInstant(absence.from)} until{' '}
      {showInstant(absence.to)}
      {standIn}
    </span>
  );
}
