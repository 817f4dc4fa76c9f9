// Re-checks the ledger's hash chains (GET /v1/audit/verify): one instance's (its own chain and the
// chain of refused attempts on it) or the whole ledger's. On request only, never on a timer: a
// whole-ledger check reads every event. The answer says plainly whether the chains are intact,
// and if not, which event is the first bad one and what is wrong with it.
import { type FormEvent, useEffect, useId, useState } from 'react';
import type { ApiFailure } from '../../api-client/client.js';
import { api, type paths, unwrap, asFailure } from '../../api-client/client.js';
import { ErrorNotice } from '../../components/states.js';
import { showInstant } from './filter.js';

type Verified = paths['/v1/audit/verify']['get']['responses']['200']['content']['application/json'];
type Problem = NonNullable<Verified['firstProblem']>['problem'];

/** What each problem means for an auditor, in words. */
const MEANING: Record<Problem, string> = {
  'hash mismatch':
    "the event's contents no longer give the hash recorded for it: it was changed after it was written",
  'broken link':
    'the event does not point at the hash of the event before it: an event before it was replaced, or the order changed',
  'missing event': 'the event is not in the ledger: it was deleted, or never stored',
  unparseable: 'the stored event is not a ledger event any more: its document was altered',
};

interface Outcome {
  scope: string | null;
  at: string;
  answer: Verified;
}

/** The instance a chain belongs to (`<instance>` or `<instance>/refused`). */
const instanceOfChain = (chain: string): string => chain.replace(/\/refused$/, '');

export function VerifyPanel({
  instance,
  onShowInstance,
}: {
  instance: string;
  onShowInstance: (id: string) => void;
}) {
  const id = useId();
  const [scope, setScope] = useState(instance);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  useEffect(() => {
    setScope(instance);
    setOutcome(null);
    setFailure(null);
  }, [instance]);

  const verify = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const asked = scope.trim() === '' ? null : scope.trim();
    setBusy(true);
    setFailure(null);
    setOutcome(null);
    try {
      const answer = await unwrap(
        api.GET('/v1/audit/verify', { params: { query: asked === null ? {} : { instance: asked } } }),
      );
      setOutcome({ scope: asked, at: new Date().toISOString(), answer });
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };

  const problem = failure?.problemsUnder('query.instance')[0]?.message;
  return (
    <section className="card audit-verify" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Verify the hash chains</h2>
      <form onSubmit={(e) => void verify(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-instance`}>Instance</label>
          <input
            id={`${id}-instance`}
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={scope}
            onChange={(e) => setScope(e.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={`${id}-help${problem ? ` ${id}-problem` : ''}`}
          />
          <p className="field-help" id={`${id}-help`}>
            Leave empty to verify the whole ledger.
          </p>
          {problem ? (
            <p className="field-problem" id={`${id}-problem`}>
              {problem}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Verifying…' : scope.trim() === '' ? 'Verify the whole ledger' : 'Verify this instance'}
        </button>
      </form>
      <div aria-live="polite" className="audit-verify-result">
        {outcome ? <VerifyAnswer outcome={outcome} onShowInstance={onShowInstance} /> : null}
        {failure && !problem ? <ErrorNotice failure={failure} title="Could not verify" /> : null}
      </div>
    </section>
  );
}

function VerifyAnswer({
  outcome,
  onShowInstance,
}: {
  outcome: Outcome;
  onShowInstance: (id: string) => void;
}) {
  const { answer, scope } = outcome;
  const what = scope === null ? 'the whole ledger' : `instance ${scope}`;
  const counted = `${answer.events} ${answer.events === 1 ? 'event' : 'events'} in ${answer.chains} ${answer.chains === 1 ? 'chain' : 'chains'}`;
  const when = `Checked ${what} at ${showInstant(outcome.at)}.`;
  if (answer.ok) {
    return (
      <div className="notice notice-ok">
        <p className="notice-title">Intact: {counted}</p>
        <p>{when}</p>
      </div>
    );
  }
  const first = answer.firstProblem;
  return (
    <div className="notice notice-error">
      <p className="notice-title">Broken: the chains do not verify</p>
      {first ? (
        <>
          <p>
            First bad event: <strong>#{first.seq}</strong> of chain <code>{first.chain}</code>
            {first.id ? (
              <>
                {' '}
                (<code>{first.id}</code>)
              </>
            ) : null}
            .
          </p>
          <p>
            <strong>{first.problem}</strong>: {MEANING[first.problem]}.
          </p>
          <p>
            <button
              type="button"
              className="button"
              onClick={() => onShowInstance(instanceOfChain(first.chain))}
            >
              Show the events of {instanceOfChain(first.chain)}
            </button>
          </p>
        </>
      ) : null}
      <p>
        {counted} read. {when}
      </p>
    </div>
  );
}
