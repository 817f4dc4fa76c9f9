// Backfilling a monitor, for admins: its scheduled runs of past days, from and to included, in the
// monitor's time zone, are made up oldest first, each judging its own day (after a pause, or an
// outage longer than the day Temporal makes up by itself). The server checks the days (the order,
// at most 366 days, not after today); each refusal is shown next to its field.
import { type FormEvent, useId, useRef, useState } from 'react';
import { type ApiFailure, api, asFailure, idempotencyKey, unwrap } from '../../api-client/client.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/states.js';
import { type Monitor, monitorLabel, whenText } from './monitor-view.js';

export interface Backfilled {
  from: string | null;
  to: string | null;
}

interface BackfillDialogProps {
  monitor: Monitor;
  onRequested: (answer: Backfilled) => void;
  onCancel: () => void;
}

/** A date field with its problem from the server under it. */
function DayField(props: {
  label: string;
  value: string;
  problem: string | null;
  onChange: (value: string) => void;
}) {
  const id = useId();
  const problemId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="date"
        value={props.value}
        required
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.problem ? true : undefined}
        aria-describedby={props.problem ? problemId : undefined}
      />
      {props.problem ? (
        <p id={problemId} className="field-problem">
          {props.problem}
        </p>
      ) : null}
    </div>
  );
}

export function BackfillDialog({ monitor, onRequested, onCancel }: BackfillDialogProps) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const key = useRef(idempotencyKey());

  const confirm = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const answer = await unwrap(
        api.POST('/v1/monitors/{policy}/{monitor}/backfill', {
          params: {
            path: { policy: monitor.policy.name, monitor: monitor.monitor },
            header: { 'Idempotency-Key': key.current },
          },
          body: { from, to },
        }),
      );
      onRequested(answer);
    } catch (error) {
      setFailure(asFailure(error));
      key.current = idempotencyKey();
      setBusy(false);
    }
  };

  const fromProblem = failure?.problemsUnder('body.from')[0]?.message ?? null;
  const toProblem = failure?.problemsUnder('body.to')[0]?.message ?? null;
  return (
    <Dialog
      title={`Backfill ${monitor.monitor}`}
      className="monitor-dialog"
      onCancel={onCancel}
      description={
        <p>
          Makes up the runs of {monitorLabel(monitor)} ({whenText(monitor.schedule)},{' '}
          {monitor.schedule.timezone}) on the days from the first to the last, both included, oldest first.
          Each run judges the projects as of its own day.
        </p>
      }
    >
      <form onSubmit={(e) => void confirm(e)} noValidate>
        {failure && fromProblem === null && toProblem === null ? (
          <ErrorNotice failure={failure} title={`Not backfilled: ${monitorLabel(monitor)}`} />
        ) : null}
        <DayField label="First day" value={from} problem={fromProblem} onChange={setFrom} />
        <DayField label="Last day" value={to} problem={toProblem} onChange={setTo} />
        <div className="actions dialog-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Asking…' : 'Make up these runs'}
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
