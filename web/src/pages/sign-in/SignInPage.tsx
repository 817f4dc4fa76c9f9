// Sign-in: paste an API token (an admin issues them; the CLI uses the same ones), or, in the demo
// that `npm start` runs, pick one of its people. Either way the server answers with a session
// cookie; the token itself is not kept by the page.
import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, unwrap, asFailure } from '../../api-client/client.js';
import type { paths, ApiFailure } from '../../api-client/client.js';
import { ErrorNotice } from '../../components/states.js';
import { useSession } from '../../app/session.js';

type DemoPeople = paths['/v1/session/demo-people']['get']['responses']['200']['content']['application/json'];

export function SignInPage() {
  const { signIn } = useSession();
  const tokenId = useId();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [demo, setDemo] = useState<DemoPeople | null>(null);

  useEffect(() => {
    unwrap(api.GET('/v1/session/demo-people'))
      .then(setDemo)
      .catch(() => setDemo(null));
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
