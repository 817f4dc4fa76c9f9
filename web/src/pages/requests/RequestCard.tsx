// One request in My requests: what it is, its status in words (the badge's colour only repeats
// them), where it stands and what it waits on with the deadline, or how it ended. When an approver
// asked for changes, that comes first, with the reason and the way to act on it.
import { useState } from 'react';
import { Link } from '../../app/router.js';
import { fieldLabel } from '../start/form-values.js';
import type { ChangesRequested } from './changes-requested.js';
import type { Instance, Status } from './read-requests.js';
import { dueText, instantText } from './when.js';
import { startAgainPath, WithdrawDialog } from './WithdrawDialog.js';

export const STATUS_TEXT: Record<Status, string> = {
  running: 'In progress',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

function ChangesPanel({ instance, changes }: { instance: Instance; changes: ChangesRequested[] }) {
  const [asking, setAsking] = useState(false);
  return (
    <div className="changes-requested" role="group" aria-label="Changes requested">
      <p className="changes-title">
        <span aria-hidden="true">✎ </span>Changes requested
      </p>
      {changes.map((c) => (
        <div key={`${c.step}:${c.by}`} className="changes-item">
          <p>
            <strong>{c.by}</strong>
            {c.actor !== c.by ? ` (through ${c.actor})` : ''} asked for changes at step <code>{c.step}</code>,{' '}
            <time dateTime={c.at}>{instantText(c.at)}</time>
            {c.reason ? ':' : '.'}
          </p>
          {c.reason ? <blockquote className="changes-reason">{c.reason}</blockquote> : null}
        </div>
      ))}
      <div className="actions">
        <button type="button" className="button button-primary" onClick={() => setAsking(true)}>
          Withdraw and start again with changes
        </button>
      </div>
      {asking ? (
        <WithdrawDialog instance={instance} changes={changes} onCancel={() => setAsking(false)} />
      ) : null}
    </div>
  );
}

const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function Waiting({ instance, now }: { instance: Instance; now: number }) {
  if (instance.blockedOn.length === 0) {
    return instance.currentSteps.length > 0 ? (
      <p className="request-waiting">
        At {instance.currentSteps.length === 1 ? 'step' : 'steps'}{' '}
        {instance.currentSteps.map((s, i) => (
          <span key={s}>
            {i > 0 ? ', ' : ''}
            <code>{s}</code>
          </span>
        ))}
        .
      </p>
    ) : (
      <p className="request-waiting">Starting: its first step opens in a moment.</p>
    );
  }
  return (
    <div className="request-waiting">
      <p className="waiting-title">Waiting on</p>
      <ul className="waiting-list">
        {instance.blockedOn.map((b) => {
          const due = b.dueAt === null ? null : dueText(b.dueAt, now);
          return (
            <li key={`${b.step}:${b.kind}:${b.text}`}>
              <code>{b.step}</code>: {b.text}
              {due && b.dueAt ? (
                <span className={due.overdue ? 'due due-overdue' : 'due'}>
                  {due.overdue ? <strong>{capital(due.text)}</strong> : capital(due.text)} ·{' '}
                  <time dateTime={b.dueAt}>{instantText(b.dueAt)}</time>
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

interface RequestCardProps {
  instance: Instance;
  changes: ChangesRequested[];
  now: number;
}

export function RequestCard({ instance, changes, now }: RequestCardProps) {
  const running = instance.status === 'running';
  const titleId = `request-${instance.instanceId.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
  return (
    <li className="card request-card">
      <article aria-labelledby={titleId}>
        <div className="request-head">
          <h2 className="request-title" id={titleId}>
            <Link to={`/instances/${encodeURIComponent(instance.instanceId)}`}>
              {fieldLabel(instance.process)}
            </Link>
          </h2>
          <span className={`badge badge-${instance.status}`}>{STATUS_TEXT[instance.status]}</span>
        </div>
        <p className="request-meta">
          {instance.policy.name}, version {instance.policy.version}
          {instance.project ? <> · project {instance.project}</> : null} · started{' '}
          <time dateTime={instance.startedAt}>{instantText(instance.startedAt)}</time>
          <br />
          <code className="request-id">{instance.instanceId}</code>
        </p>
        {running && changes.length > 0 ? <ChangesPanel instance={instance} changes={changes} /> : null}
        {running ? (
          <Waiting instance={instance} now={now} />
        ) : (
          <>
            <p className="request-ended">
              {instance.message ?? STATUS_TEXT[instance.status]}
              {instance.endedAt ? (
                <>
                  {' '}
                  · ended <time dateTime={instance.endedAt}>{instantText(instance.endedAt)}</time>
                </>
              ) : null}
            </p>
            {instance.status === 'approved' ? null : (
              <p className="request-again">
                <Link to={startAgainPath(instance)}>Start a new request from this one</Link>
              </p>
            )}
          </>
        )}
      </article>
    </li>
  );
}
