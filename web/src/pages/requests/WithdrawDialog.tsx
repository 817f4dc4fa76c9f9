// "Withdraw and start again with changes": the engine has no resubmission, so the request is
// cancelled (POST /v1/instances/{id}/cancel, with a reason that goes into the audit trail) and its
// start form opens filled with what it was started with. Asked in a dialog first: withdrawing
// cannot be undone, and the approvers' votes so far are lost with it.
import { type FormEvent, useId, useRef, useState } from 'react';
import type { ApiFailure } from '../../api-client/client.js';
import { api, idempotencyKey, unwrap, asFailure } from '../../api-client/client.js';
import { Link, navigate } from '../../app/router.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/states.js';
import type { ChangesRequested } from './changes-requested.js';
import type { Instance } from './read-requests.js';

/** The start form of `instance`'s process, filled from it. */
export const startAgainPath = (instance: Instance): string =>
  `/start/${encodeURIComponent(instance.policy.name)}/${instance.policy.version}/${encodeURIComponent(
    instance.process,
  )}?from=${encodeURIComponent(instance.instanceId)}`;

interface WithdrawDialogProps {
  instance: Instance;
  changes: ChangesRequested[];
  onCancel: () => void;
}

export function WithdrawDialog({ instance, changes, onCancel }: WithdrawDialogProps) {
  const reasonId = useId();
  const first = changes[0];
  const [reason, setReason] = useState(
    first
      ? `Withdrawn to make the changes ${first.by} asked for at ${first.step}, and start again.`
      : 'Withdrawn to change the request and start again.',
  );
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const key = useRef(idempotencyKey());

  const confirm = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await unwrap(
        api.POST('/v1/instances/{id}/cancel', {
          params: { path: { id: instance.instanceId }, header: { 'Idempotency-Key': key.current } },
          body: { reason: reason.trim() },
        }),
      );
      navigate(startAgainPath(instance));
    } catch (error) {
      setFailure(asFailure(error));
      // A changed reason is a new request: the old key would be refused for it.
      key.current = idempotencyKey();
      setBusy(false);
    }
  };

  const reasonProblem = failure?.problemsUnder('body.reason')[0]?.message ?? null;
  return (
    <Dialog
      title="Withdraw this request and start again?"
      className="withdraw-dialog"
      onCancel={onCancel}
      description={
        <p>
          The request <code>{instance.instanceId}</code> is cancelled, and the approvals given so far are not
          carried over. Its form then opens with everything it was started with, for you to change and start
          again.
        </p>
      }
    >
      <form onSubmit={(e) => void confirm(e)} noValidate>
        <div className="field">
          <label htmlFor={reasonId}>Reason for withdrawing</label>
          <textarea
            id={reasonId}
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            aria-invalid={reasonProblem ? true : undefined}
            aria-describedby={reasonProblem ? `${reasonId}-problem` : `${reasonId}-help`}
          />
          {reasonProblem ? (
            <p className="field-problem" id={`${reasonId}-problem`}>
              {reasonProblem}
            </p>
          ) : (
            <p className="field-help" id={`${reasonId}-help`}>
              Kept with the request in its audit trail.
            </p>
          )}
        </div>
        {failure && !reasonProblem ? (
          <>
            <ErrorNotice failure={failure} title="The request was not withdrawn" />
            {failure.code === 'ended' ? (
              <p>
                <Link to={startAgainPath(instance)}>Start again from it anyway</Link>
              </p>
            ) : null}
          </>
        ) : null}
        <div className="actions">
          <button type="submit" className="button button-danger" disabled={busy || reason.trim() === ''}>
            {busy ? 'Withdrawing…' : 'Withdraw and start again'}
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Keep the request
          </button>
        </div>
      </form>
    </Dialog>
  );
}
