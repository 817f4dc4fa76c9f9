// Approving many alike tasks at once: the bar appears when rows are ticked, offers "Approve N
// selected" only when they are all of one step (one policy name and step id, as the API insists),
// confirms with one reason for all, sends POST /v1/tasks/decide (in batches of the API's maximum),
// and then lists each task that was refused with the engine's code and sentence.
import { useId, useRef, useState } from 'react';
import type { ApiFailure } from '../../api-client/client.js';
import { api, idempotencyKey, type paths, unwrap, asFailure } from '../../api-client/client.js';
import { Link } from '../../app/router.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/states.js';
import { stepKeyOf, type Task, taskPath } from './inbox-data.js';

type BulkResult =
  paths['/v1/tasks/decide']['post']['responses']['200']['content']['application/json']['results'][number];

/** The API's MAX_BULK_TASKS: larger selections go in several requests. */
const BATCH = 100;
const LISTED_IN_DIALOG = 5;

export interface BulkOutcome {
  approved: string[];
  refused: { task: Task | undefined; id: string; code: string; message: string }[];
}

async function approveAll(tasks: readonly Task[], reason: string): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (let i = 0; i < tasks.length; i += BATCH) {
    const batch = tasks.slice(i, i + BATCH).map((t) => t.id);
    const answer = await unwrap(
      api.POST('/v1/tasks/decide', {
        params: { header: { 'Idempotency-Key': idempotencyKey() } },
        body:
          reason.trim() === ''
            ? { tasks: batch, decision: 'approve' }
            : { tasks: batch, decision: 'approve', reason: reason.trim() },
      }),
    );
    results.push(...answer.results);
  }
  return results;
}

interface BulkBarProps {
  selected: readonly Task[];
  onClear: () => void;
  onDone: (outcome: BulkOutcome) => void;
}

export function BulkBar({ selected, onClear, onDone }: BulkBarProps) {
  const [confirming, setConfirming] = useState(false);
  const steps = new Set(selected.map(stepKeyOf));
  const oneStep = steps.size === 1 && selected.every((t) => t.kind === 'approval');
  const first = selected[0];
  return (
    <section className="inbox-bulk" aria-label="Selected tasks">
      <p className="inbox-bulk-count">
        <strong>{selected.length} selected</strong>
        {oneStep && first ? (
          <span>
            {' '}
            · all <code>{first.step}</code> of {first.policy.name}
          </span>
        ) : null}
      </p>
      {oneStep ? (
        <button type="button" className="button button-primary" onClick={() => setConfirming(true)}>
          Approve {selected.length} selected
        </button>
      ) : (
        <p className="inbox-bulk-why">
          Approving together needs approval tasks of one step of one policy; these are of {steps.size}{' '}
          {steps.size === 1 ? 'step' : 'steps'}
          {selected.some((t) => t.kind !== 'approval') ? ' and include waivers or attestations' : ''}. Filter
          by policy or untick some.
        </p>
      )}
      <button type="button" className="button button-quiet" onClick={onClear}>
        Clear selection
      </button>
      {confirming ? (
        <BulkConfirm
          tasks={selected}
          onCancel={() => setConfirming(false)}
          onDone={(outcome) => {
            setConfirming(false);
            onDone(outcome);
          }}
        />
      ) : null}
    </section>
  );
}

function BulkConfirm({
  tasks,
  onCancel,
  onDone,
}: {
  tasks: readonly Task[];
  onCancel: () => void;
  onDone: (outcome: BulkOutcome) => void;
}) {
  const id = useId();
  const confirm = useRef<HTMLButtonElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const submit = async (): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      const results = await approveAll(tasks, reason);
      const byId = new Map(tasks.map((t) => [t.id, t]));
      onDone({
        approved: results.filter((r) => r.ok).map((r) => r.task),
        refused: results.flatMap((r) =>
          r.ok ? [] : [{ id: r.task, task: byId.get(r.task), code: r.error.code, message: r.error.message }],
        ),
      });
    } catch (error) {
      setFailure(asFailure(error));
      setBusy(false);
    }
  };

  const reasonProblem = failure?.problems.find((p) => p.path === 'body.reason')?.message ?? null;
  return (
    <Dialog
      title={`Approve ${tasks.length} selected?`}
      description={
        <ul className="dialog-list">
          {tasks.slice(0, LISTED_IN_DIALOG).map((t) => (
            <li key={t.id}>
              {t.title} · {t.instanceId}
              {t.project ? ` · ${t.project}` : ''}
              {t.onBehalfOf ? ` · on behalf of ${t.onBehalfOf}` : ''}
            </li>
          ))}
          {tasks.length > LISTED_IN_DIALOG ? <li>and {tasks.length - LISTED_IN_DIALOG} more</li> : null}
        </ul>
      }
      onCancel={onCancel}
      initialFocus={confirm}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        noValidate
      >
        <div className="field">
          <label htmlFor={`${id}-reason`}>Reason (optional, recorded with each approval)</label>
          <textarea
            id={`${id}-reason`}
            rows={2}
            value={reason}
            aria-invalid={reasonProblem ? true : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          {reasonProblem ? <p className="field-problem">{reasonProblem}</p> : null}
        </div>
        {failure && !reasonProblem ? (
          <ErrorNotice failure={failure} title="Could not approve the selection" />
        ) : null}
        <div className="actions dialog-actions">
          <button ref={confirm} type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Approving…' : `Approve ${tasks.length}`}
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** What a bulk approval did: how many went through, and each refusal with its code and sentence. */
export function BulkResults({ outcome, onDismiss }: { outcome: BulkOutcome; onDismiss: () => void }) {
  const refused = outcome.refused.length;
  return (
    <div
      className={`notice ${refused > 0 ? 'notice-warning' : 'notice-ok'} inbox-bulk-results`}
      role="status"
    >
      <p className="notice-title">
        Approved {outcome.approved.length} of {outcome.approved.length + refused}
        {refused > 0 ? `; ${refused} refused:` : '.'}
      </p>
      {refused > 0 ? (
        <ul>
          {outcome.refused.map((r) => (
            <li key={r.id}>
              <Link to={taskPath(r.id)}>{r.task ? `${r.task.title} · ${r.task.instanceId}` : r.id}</Link>
              {r.task?.onBehalfOf ? ` (on behalf of ${r.task.onBehalfOf})` : ''}: {r.message}{' '}
              <code className="code-tag">{r.code}</code>
            </li>
          ))}
        </ul>
      ) : null}
      <button type="button" className="button button-quiet" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
