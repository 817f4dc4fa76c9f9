// What a run of the scenario did, as `charter simulate` prints it but for reading on a screen: the
// final status, each timeline entry with its local time (the zone said once), the open tasks and
// who they wait for, what the instance is blocked on, the acts the policy refused, and who was
// notified. "Add to tests" keeps it as a regression test expecting the status it ended in.
import type { ScenarioRun } from './scenario-run.js';

const KIND_WORD: Record<string, string> = {
  decision: 'Decision',
  task: 'Task',
  action: 'Action',
  refused: 'Refused',
};

const STATUS_BADGE: Record<string, string> = {
  running: 'badge badge-running',
  approved: 'badge badge-approved',
  rejected: 'badge badge-rejected',
  cancelled: 'badge badge-cancelled',
};

interface ScenarioTimelineProps {
  run: Extract<ScenarioRun, { kind: 'ran' }>;
  /** The form changed since this run. */
  outdated: boolean;
  onAddToTests: () => void;
  /** What "Add to tests" last said, or null. */
  added: { kind: 'ok' | 'error'; text: string } | null;
}

export function ScenarioTimeline({ run, outdated, onAddToTests, added }: ScenarioTimelineProps) {
  const { text } = run;
  return (
    <section className="scenario-result" aria-label="Scenario run">
      {outdated ? (
        <p className="notice notice-warning">
          The scenario or the policy changed since this run: run it again.
        </p>
      ) : null}
      <p className="scenario-status" role="status">
        Final status: <span className={STATUS_BADGE[text.status] ?? 'badge'}>{text.status}</span>
        {text.message ? <span className="scenario-status-message"> {text.message}</span> : null}
      </p>
      <h3>Timeline</h3>
      <p className="field-help">Times in {run.timezone}.</p>
      <ol className="scenario-timeline">
        {text.rows.map((row, i) => (
          <li key={i} className={`scenario-entry scenario-entry-${row.kind}`}>
            <time className="scenario-when">{row.when}</time>{' '}
            <span className="scenario-kind">
              <span aria-hidden="true">{row.mark.trim() ? `${row.mark} ` : ''}</span>
              {KIND_WORD[row.kind] ?? row.kind}
            </span>
            {row.step !== null ? <code className="scenario-step">{row.step}</code> : null}{' '}
            <span className="scenario-text">{row.text}</span>
          </li>
        ))}
      </ol>
      {text.blockedOn.length > 0 ? (
        <>
          <h3>Waiting for</h3>
          <ul className="scenario-list">
            {text.blockedOn.map((b, i) => (
              <li key={i}>{b}</li>
            ))}
          </ul>
        </>
      ) : null}
      {text.openTasks.length > 0 ? (
        <>
          <h3>Open tasks</h3>
          <ul className="scenario-list scenario-open-tasks">
            {text.openTasks.map((t) => (
              <li key={t.step}>
                {t.title}: waits for {t.assignees.length > 0 ? t.assignees.join(', ') : 'nobody'}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {run.refusals.length > 0 ? (
        <>
          <h3>Refused</h3>
          <ul className="scenario-list scenario-refusals">
            {run.refusals.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>Notifications</h3>
      {text.notifications.length === 0 ? (
        <p className="scenario-none">Nobody was notified.</p>
      ) : (
        <ul className="scenario-list scenario-notifications">
          {text.notifications.map((n, i) => (
            <li key={i}>
              <time className="scenario-when">{n.when}</time> to {n.recipients.join(', ') || 'nobody'}:{' '}
              {n.message}
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={onAddToTests} disabled={outdated}>
          Add to tests
        </button>
      </div>
      {added ? (
        <p className={`notice notice-${added.kind}`} role={added.kind === 'error' ? 'alert' : 'status'}>
          {added.text}
        </p>
      ) : null}
    </section>
  );
}
