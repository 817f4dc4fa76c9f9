// The people screens, for admins and the PMO: /people is the directory (with its search and the
// delegations, Directory.tsx), /people/<id> one person's page: who they are in the directory
// (manager, groups, active, away), their absence (which they or an admin may record), their weeks
// (capacity, what is booked on which project, and, for planners, booking more) and the
// delegations they gave and received. Admins also edit how the person is reached (the settings
// page's delivery form, on /v1/directory/people/{id}/delivery), and the person's API tokens, which
// admins and the person themself see, issue and revoke (Tokens.tsx); the roles admins grant
// (Roles.tsx).
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Link, navigate, useLocation } from '../../app/router.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { Loaded } from '../../components/states.js';
import { DeliveryForm } from '../settings/DeliveryForm.js';
import { AllocateForm } from './AllocateForm.js';
import { Capacity, type WeekRange } from './Capacity.js';
import { PersonDelegations } from './Delegations.js';
import { AbsenceText, ActiveBadge, Directory, personPath } from './Directory.js';
import { OutOfOfficeForm } from './OutOfOfficeForm.js';
import { PersonRoles } from './Roles.js';
import { PersonTokens } from './Tokens.js';
import { isoWeekOf, weekPlus } from './weeks.js';

/** Weeks shown by default: this one and the next eleven, as the API does. */
const DEFAULT_WEEKS = 12;

function rangeOf(query: URLSearchParams): WeekRange {
  const from = query.get('from') ?? isoWeekOf(new Date());
  return { from, to: query.get('to') ?? weekPlus(from, DEFAULT_WEEKS - 1) };
}

export function PeoplePage({ person }: { person: string | null }) {
  return person === null ? <Directory /> : <PersonView key={person} person={person} />;
}

function PersonView({ person }: { person: string }) {
  const who = useSignedIn();
  const { query } = useLocation();
  const range = rangeOf(query);
  const details = useLive(`person:${person}`, () =>
    unwrap(api.GET('/v1/directory/people/{id}', { params: { path: { id: person } } })),
  );
  const weeks = useLive(`weeks:${person}:${range.from}:${range.to}`, () =>
    unwrap(
      api.GET('/v1/resources/people/{person}', {
        params: { path: { person }, query: { from: range.from, to: range.to } },
      }),
    ),
  );
  const showRange = (next: WeekRange): void =>
    navigate(
      `${personPath(person)}?from=${encodeURIComponent(next.from)}&to=${encodeURIComponent(next.to)}`,
      {
        replace: true,
      },
    );
  const mayRecordAbsence = who.person === person || hasRole(who, 'admin');
  const mayAllocate = hasRole(who, 'admin', 'pmo', 'author');

  return (
    <section className="page people" aria-labelledby="person-title">
      <p className="people-back">
        <Link to="/people">← All people</Link>
      </p>
      {details.data === null ? <h1 id="person-title">{person}</h1> : null}
      <Loaded read={details} what={`${person} from the directory`}>
        {(p) => (
          <>
            <h1 id="person-title">
              {p.name ?? p.id} {p.name ? <span className="people-id">{p.id}</span> : null}
            </h1>
            <section className="card" aria-labelledby="person-details-title">
              <h2 id="person-details-title">In the directory</h2>
              <dl className="people-facts">
                <div>
                  <dt>E-mail</dt>
                  <dd>{p.id}</dd>
                </div>
                <div>
                  <dt>Manager</dt>
                  <dd>{p.manager ? <Link to={personPath(p.manager)}>{p.manager}</Link> : 'none'}</dd>
                </div>
                <div>
                  <dt>Groups</dt>
                  <dd>{p.groups.length > 0 ? p.groups.join(', ') : 'none'}</dd>
                </div>
                <div>
                  <dt>Status</dt>
                  <dd>
                    <ActiveBadge active={p.active} />
                  </dd>
                </div>
                <div>
                  <dt>Out of office</dt>
                  <dd>
                    <AbsenceText absence={p.outOfOffice} />
                  </dd>
                </div>
              </dl>
              {mayRecordAbsence ? (
                <OutOfOfficeForm
                  person={p.id}
                  absence={p.outOfOffice}
                  onSaved={() => void details.reload()}
                />
              ) : null}
            </section>
          </>
        )}
      </Loaded>
      {details.data === null ? null : (
        <>
          {hasRole(who, 'admin') && details.data.active ? (
            <PersonDelivery person={person} name={details.data.name ?? person} />
          ) : null}
          <Capacity person={person} range={range} read={weeks} onRange={showRange} />
          {mayAllocate && details.data.active ? (
            <AllocateForm person={person} week={range.from} onBooked={() => void weeks.reload()} />
          ) : null}
          {mayAllocate && !details.data.active ? (
            <p className="notice notice-warning">
              {person} is no longer active: nothing can be allocated to them.
            </p>
          ) : null}
          <PersonDelegations person={person} />
          {hasRole(who, 'admin') ? <PersonRoles person={person} /> : null}
          {hasRole(who, 'admin') || who.person === person ? <PersonTokens person={person} /> : null}
        </>
      )}
    </section>
  );
}

/** An admin's form for how `person` is reached: the settings page's form on the person's routes. */
function PersonDelivery({ person, name }: { person: string; name: string }) {
  const path = { params: { path: { id: person } } };
  return (
    <DeliveryForm
      title={`Edit how to reach ${name}`}
      readKey={`delivery:${person}`}
      read={() => unwrap(api.GET('/v1/directory/people/{id}/delivery', path))}
      save={(body) => unwrap(api.PUT('/v1/directory/people/{id}/delivery', { ...path, body }))}
      suggestBrowserZone={false}
      saveLabel={`Save how to reach ${name}`}
      savedText={`Saved. Charter reaches ${name} this way from now on.`}
    />
  );
}
