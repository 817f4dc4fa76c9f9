// One qualification (/qualifications/<id>): what it is and how long a completion stays valid, its
// holders with where each stands today (valid until their last valid day, or expired on the day
// it ran out), and for the PMO and admins the forms that record completions, one at a time or
// from a CSV file. Holders are the PMO's, admins' and auditors' to see (the API's rule); everyone
// else reads the entry and their own standing under "My qualifications".
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { type PagedList, usePagedList } from '../../app/paged-list.js';
import { Link } from '../../app/router.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { LoadMore } from '../../components/LoadMore.js';
import { PersonId } from '../../components/PersonId.js';
import { Empty, ErrorNotice, Loaded, Loading } from '../../components/states.js';
import { ImportCompletions } from './ImportCompletions.js';
import { RecordCompletionForm } from './RecordCompletionForm.js';
import { Day, Evidence, type Holder, showDay, StandingText, validityText } from './show.js';

const PAGE_SIZE = 50;

export function QualificationView({ id }: { id: string }) {
  const who = useSignedIn();
  const path = { params: { path: { id } } };
  const entry = useLive(`qualification:${id}`, () => unwrap(api.GET('/v1/qualifications/{id}', path)));
  const seesHolders = hasRole(who, 'pmo', 'admin', 'auditor');
  const writer = hasRole(who, 'pmo', 'admin');
  const holders = usePagedList<Holder>(
    seesHolders ? `holders:${id}` : null,
    (cursor) =>
      unwrap(
        api.GET('/v1/qualifications/{id}/holders', {
          params: { path: { id }, query: { limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) } },
        }),
      ),
    (h) => h.person,
  );
  const changed = (): void => {
    void entry.reload();
    void holders.first.reload();
  };

  return (
    <section className="page people qualifications" aria-labelledby="qualification-title">
      <p className="people-back">
        <Link to="/qualifications">← All qualifications</Link>
      </p>
      {entry.data === null ? <h1 id="qualification-title">{id}</h1> : null}
      <Loaded read={entry} what={`the qualification ${id}`}>
        {(q) => (
          <>
            <h1 id="qualification-title">
              {q.name} <span className="people-id">{q.id}</span>
            </h1>
            <section className="card" aria-labelledby="qualification-facts-title">
              <h2 id="qualification-facts-title">About it</h2>
              <dl className="people-facts">
                <div>
                  <dt>Valid for</dt>
                  <dd>{validityText(q.validityMonths)}</dd>
                </div>
                <div>
                  <dt>Valid holders today</dt>
                  <dd>{q.validHolders}</dd>
                </div>
                <div>
                  <dt>What it is</dt>
                  <dd>{q.description ?? <span className="muted">no description</span>}</dd>
                </div>
                <div>
                  <dt>Last changed</dt>
                  <dd>
                    {showDay(q.updatedAt.slice(0, 10))} by <PersonId id={q.updatedBy} />
                  </dd>
                </div>
              </dl>
              <p className="field-help">
                A completion is valid from its day until the day before it expires: valid for 12 months from
                15 March 2027 means valid until 14 March 2028, expired on 15 March 2028. The latest completion
                decides, so a renewal extends it.
              </p>
            </section>
          </>
        )}
      </Loaded>
      {entry.data === null ? null : (
        <>
          {seesHolders ? (
            <Holders name={entry.data.name} list={holders} />
          ) : (
            <p className="notice">Who holds it is shown to the PMO, admins and auditors.</p>
          )}
          {writer ? (
            <>
              <RecordCompletionForm qualification={entry.data} onRecorded={changed} />
              <ImportCompletions onImported={changed} />
            </>
          ) : null}
        </>
      )}
    </section>
  );
}

function Holders({ name, list }: { name: string; list: PagedList<Holder> }) {
  const { first, items } = list;
  return (
    <section aria-labelledby="holders-title" className="people-section">
      <div className="people-section-head">
        <h2 id="holders-title">Holders</h2>
        <p role="status" aria-live="polite" className="people-count">
          {first.data === null
            ? ''
            : `${items.length} ${items.length === 1 ? 'person' : 'people'}${list.hasMore ? '; there are more' : ''}`}
        </p>
      </div>
      {first.data === null && first.error ? (
        <ErrorNotice
          failure={first.error}
          title="Could not load the holders"
          onRetry={() => void first.reload()}
        />
      ) : first.data === null ? (
        <Loading what="the holders" />
      ) : items.length === 0 ? (
        <Empty title={`Nobody has completed ${name} yet`}>
          Completions recorded here or imported from a file show up in this list.
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="data stack-table">
            <caption className="visually-hidden">Holders of {name} and where they stand today</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Today</th>
                <th scope="col">Completed</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {items.map((h) => (
                <tr key={h.person}>
                  <th scope="row" data-label="Person">
                    <PersonId id={h.person} />
                  </th>
                  <td data-label="Today">
                    <StandingText standing={h.standing} />
                  </td>
                  <td data-label="Completed">
                    <Day day={h.latest.completedOn} />
                  </td>
                  <td data-label="Evidence">
                    <Evidence text={h.latest.evidence} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore list={list} what="holders" />
    </section>
  );
}
