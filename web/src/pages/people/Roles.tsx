// The roles an admin granted a person (GET/PUT /v1/directory/people/{id}/roles), on the person's
// page, for admins only: a checkbox per role and a save button. Single sign-on gives the person
// these roles with those of their groups. Taking a role away takes effect at once (the API ends
// their browser sessions and revokes their tokens carrying it), so the form says so beside the
// button, and after saving says what it ended. A problem with the roles shows beside the field.
import { type FormEvent, useEffect, useId, useState } from 'react';
import type { ApiFailure, paths } from '../../api-client/client.js';
import { api, asFailure, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { ErrorNotice, Loaded } from '../../components/states.js';
import { showInstant } from './show.js';

type Grant =
  paths['/v1/directory/people/{id}/roles']['get']['responses']['200']['content']['application/json'];
type Change =
  paths['/v1/directory/people/{id}/roles']['put']['responses']['200']['content']['application/json'];
type Role = Grant['roles'][number];

const ROLES: readonly Role[] = ['author', 'requester', 'approver', 'auditor', 'pmo', 'admin'];

export function PersonRoles({ person }: { person: string }) {
  const grant = useLive(`roles:${person}`, () =>
    unwrap(api.GET('/v1/directory/people/{id}/roles', { params: { path: { id: person } } })),
  );
  return (
    <section className="card" aria-labelledby="roles-title">
      <h2 id="roles-title">Roles</h2>
      <p className="field-help">
        What single sign-on gives {person} besides the roles of their groups. Tokens keep the roles they were
        issued with.
      </p>
      <Loaded read={grant} what="the roles">
        {(current) => <RolesForm person={person} current={current} onSaved={() => void grant.reload()} />}
      </Loaded>
    </section>
  );
}

function RolesForm({ person, current, onSaved }: { person: string; current: Grant; onSaved: () => void }) {
  const id = useId();
  const [roles, setRoles] = useState<Role[]>(current.roles);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saved, setSaved] = useState<Change | null>(null);
  // A change of the stored roles (another admin's, read by the page's polling) replaces the form's boxes.
  const stored = current.roles.join(',');
  useEffect(() => setRoles(stored === '' ? [] : (stored.split(',') as Role[])), [stored]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    setSaved(null);
    try {
      const answer = await unwrap(
        api.PUT('/v1/directory/people/{id}/roles', { params: { path: { id: person } }, body: { roles } }),
      );
      setSaved(answer);
      onSaved();
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };
  const problem =
    failure?.problemsUnder('body.roles')[0]?.message ?? failure?.problemsUnder('params.id')[0]?.message;
  const removing = current.roles.filter((r) => !roles.includes(r));
  const toggle = (role: Role, on: boolean): void =>
    setRoles((now) => (on ? [...now, role] : now.filter((r) => r !== role)));

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="roles-title">
      <fieldset className="field" aria-describedby={problem ? `${id}-problem` : `${id}-help`}>
        <legend>Granted roles</legend>
        <div className="settings-options settings-day-list">
          {ROLES.map((role) => (
            <div className="check-line" key={role}>
              <input
                type="checkbox"
                id={`${id}-${role}`}
                checked={roles.includes(role)}
                aria-invalid={problem ? true : undefined}
                onChange={(e) => toggle(role, e.target.checked)}
              />
              <label htmlFor={`${id}-${role}`}>{role}</label>
            </div>
          ))}
        </div>
        {problem ? (
          <p className="field-problem" id={`${id}-problem`}>
            {problem}
          </p>
        ) : (
          <p className="field-help" id={`${id}-help`}>
            {current.updatedBy === null || current.updatedAt === null
              ? 'No role has been granted yet.'
              : `Last changed by ${current.updatedBy}, ${showInstant(current.updatedAt)}.`}
          </p>
        )}
      </fieldset>
      {removing.length > 0 ? (
        <p className="notice notice-warning">
          Taking away {removing.join(', ')} signs {person} out everywhere and revokes their tokens that carry{' '}
          {removing.length === 1 ? 'it' : 'them'}.
        </p>
      ) : null}
      <p className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save roles'}
        </button>
      </p>
      <div aria-live="polite">
        {saved ? <p className="notice notice-ok">{savedText(saved)}</p> : null}
        {failure && !problem ? <ErrorNotice failure={failure} title="Could not save the roles" /> : null}
      </div>
    </form>
  );
}

function savedText(change: Change): string {
  if (!change.changed) return 'Nothing to save: these are the roles already granted.';
  const roles = change.roles.length === 0 ? 'no roles' : change.roles.join(', ');
  const ended = [
    ...(change.sessionsEnded > 0
      ? [`${change.sessionsEnded} browser session${change.sessionsEnded === 1 ? '' : 's'} ended`]
      : []),
    ...(change.tokensRevoked.length > 0
      ? [`${change.tokensRevoked.length} token${change.tokensRevoked.length === 1 ? '' : 's'} revoked`]
      : []),
  ];
  return `Saved: ${change.person} now has ${roles}${ended.length > 0 ? `; ${ended.join(', ')}` : ''}.`;
}
