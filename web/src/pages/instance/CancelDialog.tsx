// Withdrawing a running instance: a button for the requester who started it (or an admin) that
// opens a confirmation dialog asking for the reason the ledger will keep. The dialog is the
// browser's own modal <dialog>: focus stays inside, Escape closes it, and focus returns to the
// button. A refusal is shown with the API's sentence; a problem with the reason sits by the field.
import { type FormEvent, useId, useRef, useState } from 'react';
import type { ApiFailure } from '../../api-client/client.js';
import { api, idempotencyKey, unwrap, asFailure } from '../../api-client/client.js';
import { ErrorNotice } from '../../components/states.js';

export function CancelInstance({ instanceId, onCancelled }: { instanceId: string; onCancelled: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const reasonId = useId();
  const helpId = useId();
  const problemId = useId();
  const titleId = useId();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  // One key per confirmation: a retried click after a lost answer does not cancel twice.
  const key = useRef<string>(idempotencyKey());

  const open = (): void => {
    setFailure(null);
    key.current = idempotencyKey();
    dialog.current?.showModal();
  };
  const close = (): void => dialog.current?.close();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await unwrap(
        api.POST('/v1/instances/{id}/cancel', {
          params: { path: { id: instanceId }, header: { 'Idempotency-Key': key.current } },
          body: { reason },
        }),
      );
      close();
      setReason('');
      onCancelled();
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };

  const reasonProblem = failure?.problemsUnder('body.reason')[0]?.message ?? null;
  return (
    <>
      <button ref={opener} type="button" className="button button-danger" onClick={open}>
        Cancel this request
      </button>
      <dialog
        ref={dialog}
        className="cancel-dialog"
        aria-labelledby={titleId}
        onClose={() => opener.current?.focus()}
      >
        <form onSubmit={(e) => void submit(e)} noValidate>
          <h2 id={titleId}>Cancel this request?</h2>
          <p>
            The request stops for good: open tasks close and nobody can act on it any more. The reason is kept
            in the audit trail.
          </p>
          {failure && reasonProblem === null ? (
            <ErrorNotice failure={failure} title="The request was not cancelled" />
          ) : null}
          <div className="field">
            <label htmlFor={reasonId}>Reason</label>
            <textarea
              id={reasonId}
              name="reason"
              rows={3}
              required
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-describedby={reasonProblem ? `${helpId} ${problemId}` : helpId}
              aria-invalid={reasonProblem ? true : undefined}
            />
            <p id={helpId} className="field-help">
              For example: “bought elsewhere” or “the project was stopped”.
            </p>
            {reasonProblem ? (
              <p id={problemId} className="field-problem">
                {reasonProblem}
              </p>
            ) : null}
          </div>
          <div className="actions">
            <button type="submit" className="button button-danger" disabled={busy}>
              {busy ? 'Cancelling…' : 'Cancel the request'}
            </button>
            <button type="button" className="button" onClick={close} disabled={busy}>
              Keep it running
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
