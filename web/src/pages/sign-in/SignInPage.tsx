// Sign-in: with the organisation's single sign-on when Charter has one (a link to the API, which
// sends the browser to the provider and back), by pasting an API token (an admin issues them; the
// CLI uses the same ones), or, in the demo that `npm start` runs, by picking one of its people.
// Either way the server answers with a session cookie; the token itself is not kept by the page.
// A single sign-on the API refused comes back here with `?sso-error=<code>` (api/oidc/sign-in.ts),
// said as a sentence.
import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, unwrap, asFailure } from '../../api-client/client.js';
import type { paths, ApiFailure } from '../../api-client/client.js';
import { ErrorNotice } from '../../components/states.js';
import { useSession } from '../../app/session.js';
import { useLocation } from '../../app/router.js';

type DemoPeople = paths['/v1/session/demo-people']['get']['responses']['200']['content']['application/json'];
type SingleSignOn =
  paths['/v1/session/single-sign-on']['get']['responses']['200']['content']['application/json'];

/** What each refusal of single sign-on means for the person who tried (codes of api/oidc/sign-in.ts). */
const SSO_REFUSALS: Record<string, string> = {
  state: 'The sign-in could not be matched to one started in this browser. Please start again.',
  expired: 'The sign-in took longer than ten minutes. Please start again.',
  denied: 'The sign-in was cancelled at your organisation’s sign-in page.',
  provider: 'Your organisation’s sign-in service did not answer as expected. Please try again later.',
  unverified: 'Your organisation’s sign-in service has not verified your e-mail address.',
  'unknown-person':
    'You signed in, but Charter’s directory has no active person with your e-mail address. Ask a Charter administrator to add you.',
  'no-roles':
    'You signed in, but you have no role in Charter: none of your groups gives one and none was granted to you. Ask a Charter administrator.',
};

export function SignInPage() {
  const { signIn } = useSession();
  const tokenId = useId();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [demo, setDemo] = useState<DemoPeople | null>(null);
  const [sso, setSso] = useState<SingleSignOn | null>(null);
  const { query } = useLocation();
  const ssoError = query.get('sso-error');
  // Only a console path goes on to the API, which refuses anything else with a JSON answer.
  const wanted = query.get('next');
  const next = wanted !== null && /^\/(?![/\\])/.test(wanted) ? wanted : null;

  useEffect(() => {
    unwrap(api.GET('/v1/session/demo-people'))
      .then(setDemo)
      .catch(() => setDemo(null));
    unwrap(api.GET('/v1/session/single-sign-on'))
      .then(setSso)
      .catch(() => setSso(null));
  }, []);

  const attempt = async (by: { token: string } | { person: string }): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      await signIn(by);
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void attempt({ token: token.trim() });
  };

  const tokenProblem =
    failure?.problemsUnder('body.token')[0]?.message ?? (failure?.status === 401 ? failure.message : null);
  return (
    <main id="main" className="sign-in">
      <h1>Sign in to Charter</h1>
      <p className="lead">Policies, approvals and their audit trail for the IT PMO.</p>
      {ssoError !== null ? (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">Single sign-on did not sign you in</p>
          <p>{SSO_REFUSALS[ssoError] ?? 'The sign-in failed. Please start again.'}</p>
        </div>
      ) : null}
      {sso?.enabled && sso.start !== null ? (
        <p className="sign-in-sso">
          <a
            className="button button-primary"
            href={`${sso.start}${next === null ? '' : `?next=${encodeURIComponent(next)}`}`}
          >
            Sign in with {sso.name}
          </a>
        </p>
      ) : null}
      <form onSubmit={submit} className="card" noValidate>
        <div className="field">
          <label htmlFor={tokenId}>API token</label>
          <input
            id={tokenId}
            name="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-invalid={tokenProblem ? true : undefined}
            aria-describedby={tokenProblem ? `${tokenId}-problem` : `${tokenId}-help`}
            required
          />
          {tokenProblem ? (
            <p className="field-problem" id={`${tokenId}-problem`}>
              {tokenProblem}
            </p>
          ) : (
            <p className="field-help" id={`${tokenId}-help`}>
              A token starts with <code>chr_</code>; your administrator issues it.
            </p>
          )}
        </div>
        <button type="submit" className="button button-primary" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {failure && !tokenProblem ? <ErrorNotice failure={failure} title="Could not sign in" /> : null}
      {demo?.enabled && demo.people.length > 0 ? (
        <section className="card demo" aria-labelledby="demo-title">
          <h2 id="demo-title">Demo people</h2>
          <p>This Charter runs the demo of `npm start`: sign in as one of its people.</p>
          <ul className="demo-people">
            {demo.people.map((p) => (
              <li key={p.person}>
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => void attempt({ person: p.person })}
                >
                  <span className="demo-name">{p.person}</span>
                  <span className="demo-why">
                    {p.why} · {p.roles.join(', ')}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}
