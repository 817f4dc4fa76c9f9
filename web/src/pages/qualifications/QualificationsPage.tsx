// The qualifications screens, for everyone: /qualifications holds "My qualifications" and the
// PMO's registry (each qualification with how long a completion stays valid and how many people
// hold it validly today), and for the PMO and admins the form that adds one; /qualifications/<id>
// is one qualification (QualificationView.tsx). The tables use the people screens' styles: they
// stack into labelled rows on a phone.
//
// "My qualifications" (GET /v1/me/qualifications) lists each qualification the person completed,
// where they stand today and their latest completion with its evidence. It is a section of this
// screen rather than of Settings, which holds what a person sets, not what the PMO records.
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Link, navigate } from '../../app/router.js';
import { usePagedList } from '../../app/paged-list.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { LoadMore } from '../../components/LoadMore.js';
import { Empty, ErrorNotice, Loaded, Loading } from '../../components/states.js';
import { NewQualificationForm } from './NewQualificationForm.js';
import { QualificationView } from './QualificationView.js';
import {
  Day,
  Evidence,
  type MyQualification,
  qualificationPath,
  type QualificationEntry,
  StandingText,
  validityText,
} from './show.js';

const PAGE_SIZE = 50;

export function QualificationsPage({ id }: { id: string | null }) {
  return id === null ? <Registry /> : <QualificationView key={id} id={id} />;
}

function Registry() {
  const who = useSignedIn();
  const writer = hasRole(who, 'pmo', 'admin');
  const list = usePagedList<QualificationEntry>(
    'qualifications',
    (cursor) =>
      unwrap(
        api.GET('/v1/qualifications', {
          params: { query: { limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) } },
        }),
      ),
    (q) => q.id,
  );
  const { first, items } = list;

  return (
    <section className="page people qualifications" aria-labelledby="qualifications-title">
      <h1 id="qualifications-title">Qualifications</h1>
      <p className="lead">
        What the PMO asks people to have completed, how long a completion stays valid, and who holds each.
      </p>
      <MyQualifications person={who.person} />

      <section aria-labelledby="registry-title" className="people-section">
        <div className="people-section-head">
          <h2 id="registry-title">The registry</h2>
          <p role="status" aria-live="polite" className="people-count">
            {first.data === null
              ? ''
              : `${items.length} ${items.length === 1 ? 'qualification' : 'qualifications'}${list.hasMore ? '; there are more' : ''}`}
          </p>
        </div>
        {first.data === null && first.error ? (
          <ErrorNotice
            failure={first.error}
            title="Could not load the registry"
            onRetry={() => void first.reload()}
          />
        ) : first.data === null ? (
          <Loading what="the registry" />
        ) : items.length === 0 ? (
          <Empty title="The registry is empty">
            {writer
              ? 'Add the first qualification below: a name and how many months a completion stays valid.'
              : 'The PMO has not listed any qualification yet.'}
          </Empty>
        ) : (
          <RegistryTable entries={items} />
        )}
        <LoadMore list={list} what="qualifications" />
      </section>

      {writer ? <NewQualificationForm onCreated={(id) => navigate(qualificationPath(id))} /> : null}
    </section>
  );
}

function RegistryTable({ entries }: { entries: QualificationEntry[] }) {
  return (
    <div className="table-wrap">
      <table className="data stack-table">
        <caption className="visually-hidden">The qualifications of the registry</caption>
        <thead>
          <tr>
            <th scope="col">Qualification</th>
            <th scope="col">Valid for</th>
            <th scope="col">Valid holders today</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((q) => (
            <tr key={q.id}>
              <th scope="row" data-label="Qualification">
                <Link to={qualificationPath(q.id)}>{q.name}</Link>
                <span className="people-id">{q.id}</span>
              </th>
              <td data-label="Valid for">{validityText(q.validityMonths)}</td>
              <td data-label="Valid holders today">{q.validHolders}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MyQualifications({ person }: { person: string }) {
  const mine = useLive(`my-qualifications:${person}`, () => unwrap(api.GET('/v1/me/qualifications')));
  return (
    <section className="card" aria-labelledby="my-qualifications-title">
      <h2 id="my-qualifications-title">My qualifications</h2>
      <Loaded read={mine} what="your qualifications">
        {(answer) =>
          answer.items.length === 0 ? (
            <Empty title="No qualification is recorded for you">
              The PMO records a completion when you finish a course or pass an exam; it shows here with how
              long it stays valid.
            </Empty>
          ) : (
            <MineTable items={answer.items} />
          )
        }
      </Loaded>
    </section>
  );
}

function MineTable({ items }: { items: MyQualification[] }) {
  return (
    <div className="table-wrap">
      <table className="data stack-table">
        <caption className="visually-hidden">Your qualifications and where you stand today</caption>
        <thead>
          <tr>
            <th scope="col">Qualification</th>
            <th scope="col">Today</th>
            <th scope="col">Completed</th>
            <th scope="col">Evidence</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const latest = item.completions[0];
            return (
              <tr key={item.qualification.id}>
                <th scope="row" data-label="Qualification">
                  <Link to={qualificationPath(item.qualification.id)}>{item.qualification.name}</Link>
                </th>
                <td data-label="Today">
                  <StandingText standing={item.standing} />
                </td>
                <td data-label="Completed">
                  {latest ? <Day day={latest.completedOn} /> : null}
                  {item.completions.length > 1 ? (
                    <span className="muted"> ({item.completions.length} completions in all)</span>
                  ) : null}
                </td>
                <td data-label="Evidence">
                  <Evidence text={latest?.evidence ?? null} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
