// Retiring a policy version, or a whole policy, after a confirmation that asks why. Retiring is
// final: no new request starts under what is retired (the newest effective version not retired
// takes over), while requests already running finish on their version. The reason goes to the
// people who would have started a request and into the audit ledger, so it is required; the
// server decides what is a reason, and its refusal is shown next to the field. Other refusals
// (a role, a policy that is gone) are shown above the field with the API's words.
import { type FormEvent, useId, useRef, useState } from 'react';
import { type ApiFailure, api, asFailure, idempotencyKey, unwrap } from '../../api-client/client.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/states.js';

/** What to retire: one version, or with `version` null the whole policy. */
export interface RetireTarget {
  name: string;
  version: number | null;
  /** For a version: the version new requests start under once it is retired (null: none). */
  inForceAfter: number | null;
}

export interface Retired {
  status: 'retired' | 'unchanged';
  retirement: { name: string; version: number | null; reason: string; by: string; at: string };
}

interface RetireDialogProps {
  target: RetireTarget;
  onRetired: (answer: Retired) => void;
  onCancel: () => void;
  /** Where focus goes when the button that opened the dialog is gone (it was retired). */
  returnFocus: () => void;
}

function retire(target: RetireTarget, reason: string, key: string): Promise<Retired> {
  const header = { 'Idempotency-Key': key };
  return target.version === null
    ? unwrap(
        api.POST('/v1/policies/{name}/retire', {
          params: { path: { name: target.name }, header },
          body: { reason },
        }),
      )
    : unwrap(
        api.POST('/v1/policies/{name}/versions/{version}/retire', {
          params: { path: { name: target.name, version: target.version }, header },
          body: { reason },
        }),
      );
}

/** What happens to new requests once `target` is retired, in one sentence. */
function consequence(target: RetireTarget): string {
  if (target.version === null) {
    return 'No new request starts under any of its versions, now or later.';
  }
  return target.inForceAfter === null
    ? `No new request starts under it, and no version of ${target.name} is in force after it.`
    : `No new request starts under it; new requests start under version ${target.inForceAfter}.`;
}

export function RetireDialog({ target, onRetired, onCancel, returnFocus }: RetireDialogProps) {
  const reasonId = useId();
  const helpId = useId();
  const problemId = useId();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  // One key per reason sent: a retried click after a lost answer does not retire twice.
  const key = useRef(idempotencyKey());
  const what =
    target.version === null ? `the policy ${target.name}` : `version ${target.version} of ${target.name}`;

  const confirm = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      onRetired(await retire(target, reason, key.current));
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
      title={
        target.version === null ? `Retire the policy ${target.name}?` : `Retire version ${target.version}?`
      }
      className="retire-dialog"
      onCancel={onCancel}
      returnFocus={returnFocus}
      description={
        <p>
          {consequence(target)} Requests already running finish on their version. A retirement cannot be
          undone.
        </p>
      }
    >
      <form onSubmit={(e) => void confirm(e)} noValidate>
        {failure && reasonProblem === null ? (
          <ErrorNotice failure={failure} title={`Not retired: ${what}`} />
        ) : null}
        <div className="field">
          <label htmlFor={reasonId}>Why is it retired?</label>
          <textarea
            id={reasonId}
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            aria-describedby={reasonProblem ? `${helpId} ${problemId}` : helpId}
            aria-invalid={reasonProblem ? true : undefined}
          />
          <p id={helpId} className="field-help">
            Shown to people who try to start a request under it, and kept in the audit ledger. For example:
            “replaced by version 4” or “the approver group no longer exists”.
          </p>
          {reasonProblem ? (
            <p id={problemId} className="field-problem">
              {reasonProblem}
            </p>
          ) : null}
        </div>
        <div className="actions dialog-actions">
          <button type="submit" className="button button-danger" disabled={busy}>
            {busy
              ? 'Retiring…'
              : target.version === null
                ? 'Retire the policy'
                : `Retire version ${target.version}`}
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Keep it
          </button>
        </div>
      </form>
    </Dialog>
  );
}
