// Delegations as people read them: who decides for whom, from when until when, and whether that is
// now, still to come, or over. The directory lists them all (admins, auditors and the PMO see
// every one); a person's page shows those they gave and those they received.
import type { paths } from '../../api-client/client.js';
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Link } from '../../app/router.js';
import { Empty, ErrorNotice, Loaded, Loading } from '../../components/states.js';
import { LoadMore } from '../../components/LoadMore.js';
import { PersonId } from '../../components/PersonId.js';
import { phaseOf, showInstant } from './show.js';
import { usePagedList } from '../../app/paged-list.js';

export type Delegation =
  paths['/v1/directory/delegations']['get']['responses']['200']['content']['application/json']['items'][number];

const PHASES = { now: 'In force', planned: 'Planned', over: 'Over' } as const;
const PHASE_BADGES = { now: 'badge-current', planned: 'badge-pending', over: 'badge-cancelled' } as const;

const personLink = (id: string) => (
  <Link to={`/people/${encodeURIComponent(id)}`}>
    <PersonId id={id} />
  </Link>
);

export function DelegationTable({ delegations, caption }: { delegations: Delegation[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="data stack-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">Decides for them</th>
            <th scope="col">Starts</th>
            <th scope="col">Ends</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {delegations.map((d) => {
            const phase = phaseOf(d);
            return (
              <tr key={d.id}>
                <td data-label="From">{personLink(d.from)}</td>
                <td data-label="Decides for them">{personLink(d.to)}</td>
                <td data-label="Starts">{showInstant(d.start)}</td>
                <td data-label="Ends">{showInstant(d.end)}</td>
                <td data-label="Status">
                  <span className={`badge ${PHASE_BADGES[phase]}`}>{PHASES[phase]}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const readPage = (cursor: string | null, limit: number) =>
  unwrap(
    api.GET('/v1/directory/delegations', {
      params: { query: { limit, ...(cursor === null ? {} : { cursor }) } },
    }),
  );

/** Every delegation, a page at a time (the directory screen). */
export function AllDelegations() {
  const list = usePagedList<Delegation>(
    'delegations',
    (cursor) => readPage(cursor, 25),
    (d) => d.id,
  );
  const { first, items } = list;
  return (
    <section aria-labelledby="delegations-title" className="people-section">
      <h2 id="delegations-title">Delegations</h2>
      {first.data === null && first.error ? (
        <ErrorNotice
          failure={first.error}
          title="Could not load the delegations"
          onRetry={() => void first.reload()}
        />
      ) : first.data === null ? (
        <Loading what="the delegations" />
      ) : items.length === 0 ? (
        <Empty title="Nobody has delegated their decisions">
          People delegate from their own page or the command line; absences name their stand-in there too.
        </Empty>
      ) : (
        <DelegationTable delegations={items} caption="Delegations, oldest first" />
      )}
      <LoadMore list={list} what="delegations" />
    </section>
  );
}

/** Pages read for one person's delegations: the list has no filter by person yet. */
const MAX_PAGES = 4;
const PAGE = 500;

async function delegationsOf(
  person: string,
): Promise<{ given: Delegation[]; received: Delegation[]; partial: boolean }> {
  const all: Delegation[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await readPage(cursor, PAGE);
    all.push(...answer.items);
    cursor = answer.nextCursor;
    if (cursor === null) break;
  }
  return {
    given: all.filter((d) => d.from === person),
    received: all.filter((d) => d.to === person),
    partial: cursor !== null,
  };
}

/** The delegations a person gave and received (their page). */
export function PersonDelegations({ person }: { person: string }) {
  const read = useLive(`delegations:${person}`, () => delegationsOf(person));
  return (
    <section aria-labelledby="person-delegations-title" className="card">
      <h2 id="person-delegations-title">Delegations</h2>
      <Loaded read={read} what="the delegations">
        {({ given, received, partial }) => (
          <>
            {partial ? (
              <p className="notice notice-warning">
                Only the first {MAX_PAGES * PAGE} delegations of the directory were searched.
              </p>
            ) : null}
            <h3>Given: others decide for {person}</h3>
            {given.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <DelegationTable delegations={given} caption={`Delegations given by ${person}`} />
            )}
            <h3>Received: {person} decides for others</h3>
            {received.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <DelegationTable delegations={received} caption={`Delegations received by ${person}`} />
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}
