// Pausing a monitor's schedule, for admins, after a dialog that asks why. Runs missed while it is
// paused are not made up (an admin backfills the days that matter), so the reason is required: it
// is kept with the schedule, shown on the monitors screen and written to the audit ledger. The
// server decides what is a reason; its refusal is shown next to the field, other refusals (a role,
// a monitor no longer in force) above it with the API's words.
import { type FormEvent, useId, useRef, useState } from 'react';
import { type ApiFailure, api, asFailure, idempotencyKey, unwrap } from '../../api-client/client.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/states.js';
import { type Monitor, monitorLabel } from './monitor-view.js';

interface PauseDialogProps {
  monitor: Monitor;
  onPaused: (answer: Monitor) => void;
  onCancel: () => void;
  /** Where focus goes when the button that opened the dialog is gone (it became Resume). */
  returnFocus: () => void;
}

export function PauseDialog({ monitor, onPaused, onCancel, returnFocus }: PauseDialogProps) {
  const noteId = useId();
  const helpId = useId();
  const problemId = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  // One key per note sent: a retried click after a lost answer does not pause twice.
  const key = useRef(idempotencyKey());

  const confirm = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const answer = await unwrap(
        api.POST('/v1/monitors/{policy}/{monitor}/pause', {
          params: {
            path: { policy: monitor.policy.name, monitor: monitor.monitor },
            header: { 'Idempotency-Key': key.current },
          },
          body: { note },
        }),
      );
      onPaused(answer);
    } catch (error) {
      setFailure(asFailure(error));
      // A changed note is a new request: the old key would be refused for it.
      key.current = idempotencyKey();
      setBusy(false);
    }
  };

  const noteProblem = failure?.problemsUnder('body.note')[0]?.message ?? null;
  return (
    <Dialog
      title={`Pause ${monitor.monitor}?`}
      className="monitor-dialog"
      onCancel={onCancel}
      returnFocus={returnFocus}
      description={
        <p>
          The monitor {monitorLabel(monitor)} stops running until an admin resumes it. Runs it misses while
          paused are not made up; backfill the days that should still be judged.
        </p>
      }
    >
      <form onSubmit={(e) => void confirm(e)} noValidate>
        {failure && noteProblem === null ? (
          <ErrorNotice failure={failure} title={`Not paused: ${monitorLabel(monitor)}`} />
        ) : null}
        <div className="field">
          <label htmlFor={noteId}>Why is it paused?</label>
          <textarea
            id={noteId}
            rows={3}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            required
            aria-describedby={noteProblem ? `${helpId} ${problemId}` : helpId}
            aria-invalid={noteProblem ? true : undefined}
          />
          <p id={helpId} className="field-help">
            Shown on this screen while it is paused, and kept in the audit ledger. For example: “quarter-end
            freeze until 5 January”.
          </p>
          {noteProblem ? (
            <p id={problemId} className="field-problem">
              {noteProblem}
            </p>
          ) : null}
        </div>
        <div className="actions dialog-actions">
          <button type="submit" className="button button-danger" disabled={busy}>
            {busy ? 'Pausing…' : 'Pause the monitor'}
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Keep it running
          </button>
        </div>
      </form>
    </Dialog>
  );
}
