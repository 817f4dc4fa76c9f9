// API tokens on a person's page (GET/POST /v1/tokens, DELETE /v1/tokens/{id}): admins see and
// revoke anyone's and issue them with any roles; a person on their own page issues tokens for the
// CLI or an integration with roles they hold. The new token's text is shown once, in a read-only
// field to copy, with the warning that it will not be shown again (the API keeps only its hash).
// Revoking asks first, in a dialog: the token stops working at once for whoever holds it.
import { type FormEvent, useId, useState } from 'react';
import type { ApiFailure, paths } from '../../api-client/client.js';
import { api, asFailure, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { Dialog } from '../../components/Dialog.js';
import { Empty, ErrorNotice, Loaded } from '../../components/states.js';
import { showInstant } from './show.js';

type Token = paths['/v1/tokens']['get']['responses']['200']['content']['application/json']['items'][number];
type Role = Token['roles'][number];

const ROLES: readonly Role[] = ['author', 'requester', 'approver', 'auditor', 'pmo', 'admin'];
const STATUS_BADGES = {
  live: 'badge-current',
  expired: 'badge-cancelled',
  revoked: 'badge-cancelled',
} as const;

export function PersonTokens({ person }: { person: string }) {
  const who = useSignedIn();
  const admin = hasRole(who, 'admin');
  const tokens = useLive(`tokens:${person}`, () =>
    unwrap(api.GET('/v1/tokens', { params: { query: { person, limit: 100 } } })),
  );
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const revoke = async (token: Token): Promise<void> => {
    setFailure(null);
    try {
      await unwrap(api.DELETE('/v1/tokens/{id}', { params: { path: { id: token.id } } }));
      await tokens.reload();
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setRevoking(null);
    }
  };

  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="field-help">
        For the <code>charter</code> command line and integrations. Each works until it expires or is revoked.
      </p>
      <Loaded read={tokens} what="the tokens">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title="No tokens">Issue one below to use the command line or an integration.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="data stack-table">
                <caption className="visually-hidden">API tokens of {person}</caption>
                <thead>
                  <tr>
                    <th scope="col">Label</th>
                    <th scope="col">Roles</th>
                    <th scope="col">Status</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Issued by</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((t) => (
                    <tr key={t.id}>
                      <td data-label="Label">
                        {t.label} <code className="code-tag">{t.id}</code>
                      </td>
                      <td data-label="Roles">{t.roles.join(', ')}</td>
                      <td data-label="Status">
                        <span className={`badge ${STATUS_BADGES[t.status]}`}>{t.status}</span>
                      </td>
                      <td data-label="Expires">{t.expiresAt ? showInstant(t.expiresAt) : 'never'}</td>
                      <td data-label="Issued by">{t.createdBy ?? 'Charter (first start)'}</td>
                      <td data-label="Actions">
                        {t.status === 'live' ? (
                          <button type="button" className="button" onClick={() => setRevoking(t)}>
                            Revoke <span className="visually-hidden">{t.label}</span>
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      {revoking ? (
        <Dialog
          title={`Revoke "${revoking.label}"?`}
          description={<p>It stops working at once, for whoever holds it. This cannot be undone.</p>}
          onCancel={() => setRevoking(null)}
        >
          <p className="actions">
            <button type="button" className="button button-danger" onClick={() => void revoke(revoking)}>
              Revoke the token
            </button>
            <button type="button" className="button" onClick={() => setRevoking(null)}>
              Keep it
            </button>
          </p>
        </Dialog>
      ) : null}
      <div aria-live="polite">
        {failure ? <ErrorNotice failure={failure} title="Could not revoke the token" /> : null}
      </div>
      <IssueTokenForm
        person={person}
        offered={admin ? ROLES : ROLES.filter((r) => who.roles.includes(r))}
        neverAllowed={admin}
        onIssued={() => void tokens.reload()}
      />
    </section>
  );
}

function IssueTokenForm({
  person,
  offered,
  neverAllowed,
  onIssued,
}: {
  person: string;
  offered: readonly Role[];
  neverAllowed: boolean;
  onIssued: () => void;
}) {
  const id = useId();
  const [label, setLabel] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [days, setDays] = useState('90');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [issued, setIssued] = useState<{ label: string; text: string } | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    setIssued(null);
    try {
      const expiresInDays = days === 'never' ? null : Number(days);
      const answer = await unwrap(api.POST('/v1/tokens', { body: { person, roles, label, expiresInDays } }));
      setIssued({ label: answer.label, text: answer.token });
      setLabel('');
      setRoles([]);
      onIssued();
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };
  const problem = (name: string): string | undefined =>
    failure?.problemsUnder(`body.${name}`)[0]?.message ?? undefined;
  const shown = ['label', 'roles', 'expiresInDays', 'person'].some((n) => problem(n) !== undefined);
  const toggle = (role: Role, on: boolean): void =>
    setRoles((now) => (on ? [...now, role] : now.filter((r) => r !== role)));

  return (
    <form
      className="people-absence"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={`${id}-title`}
    >
      <h3 id={`${id}-title`}>Issue a token</h3>
      <div className="people-absence-fields">
        <div className="field">
          <label htmlFor={`${id}-label`}>What it is for</label>
          <input
            id={`${id}-label`}
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            aria-describedby={problem('label') ? `${id}-label-problem` : `${id}-label-help`}
            aria-invalid={problem('label') ? true : undefined}
          />
          <p className="field-help" id={`${id}-label-help`}>
            For example "laptop CLI" or "CI pipeline"
          </p>
          {problem('label') ? (
            <p className="field-problem" id={`${id}-label-problem`}>
              {problem('label')}
            </p>
          ) : null}
        </div>
        <fieldset className="field" aria-describedby={problem('roles') ? `${id}-roles-problem` : undefined}>
          <legend>Roles</legend>
          <div className="settings-options settings-day-list">
            {offered.map((role) => (
              <div className="check-line" key={role}>
                <input
                  type="checkbox"
                  id={`${id}-role-${role}`}
                  checked={roles.includes(role)}
                  aria-invalid={problem('roles') ? true : undefined}
                  onChange={(e) => toggle(role, e.target.checked)}
                />
                <label htmlFor={`${id}-role-${role}`}>{role}</label>
              </div>
            ))}
          </div>
          {problem('roles') ? (
            <p className="field-problem" id={`${id}-roles-problem`}>
              {problem('roles')}
            </p>
          ) : null}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-days`}>Expires after</label>
          <select id={`${id}-days`} value={days} onChange={(e) => setDays(e.target.value)}>
            <option value="7">7 days</option>
            <option value="30">30 days</option>
            <option value="90">90 days</option>
            <option value="365">a year</option>
            {neverAllowed ? <option value="never">never</option> : null}
          </select>
        </div>
      </div>
      <p className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Issuing…' : 'Issue the token'}
        </button>
      </p>
      <div aria-live="polite">
        {issued ? (
          <div className="notice notice-ok">
            <p className="notice-title">Token "{issued.label}" issued</p>
            <label htmlFor={`${id}-text`}>Copy it now: it is not shown again</label>
            <input id={`${id}-text`} readOnly value={issued.text} onFocus={(e) => e.target.select()} />
          </div>
        ) : null}
        {failure && !shown ? <ErrorNotice failure={failure} title="Could not issue the token" /> : null}
      </div>
    </form>
  );
}
