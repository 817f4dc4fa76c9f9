// The small pieces every findings screen shows the same way: the status as a badge, the health a
// finding gives its project (a word on its colour, or a plain "none"), the deadline in words with
// the exact instant on hover, a list of people, and the timeline of what happened to a finding.
import { PersonId } from '../../components/PersonId.js';
import {
  dayText,
  dueOf,
  type Finding,
  type FindingStatus,
  healthOf,
  instantText,
  STATUS,
} from './finding-view.js';

export function StatusBadge({ status }: { status: FindingStatus }) {
  return <span className={`badge ${STATUS[status].badge}`}>{STATUS[status].text}</span>;
}

export function HealthText({ health }: { health: Finding['health'] }) {
  const shown = healthOf(health);
  if (shown === null) return <span className="muted">leaves health alone</span>;
  return <span className={`badge ${shown.badge}`}>{shown.text}</span>;
}

export function DueText({ finding, now }: { finding: Pick<Finding, 'status' | 'dueAt'>; now: number }) {
  const due = dueOf(finding, now);
  const title = finding.dueAt === null ? undefined : instantText(finding.dueAt);
  if (due.state === 'overdue') {
    return (
      <span className="badge badge-overdue" title={title}>
        {due.text}
      </span>
    );
  }
  return due.state === 'none' ? (
    <span className="muted">{due.text}</span>
  ) : (
    <span title={title}>{due.text}</span>
  );
}

export function People({ ids, none }: { ids: readonly string[]; none: string }) {
  if (ids.length === 0) return <span className="muted">{none}</span>;
  return (
    <ul className="findings-people">
      {ids.map((id) => (
        <li key={id}>
          <PersonId id={id} />
        </li>
      ))}
    </ul>
  );
}

interface Moment {
  at: string;
  what: string;
  who: string | null;
  /** The note, evidence or reason that came with it. */
  text: string | null;
}

/** What happened to a finding, oldest first: opened, seen again, escalated, acted on, ended. */
export function momentsOf(f: Finding): Moment[] {
  const moments: Moment[] = [{ at: f.openedAt, what: 'Opened by a monitor run', who: null, text: null }];
  if (f.lastSeenAt !== f.openedAt) {
    moments.push({ at: f.lastSeenAt, what: 'Still failing at the latest run', who: null, text: null });
  }
  if (f.addedAt !== null && f.added.length > 0) {
    moments.push({ at: f.addedAt, what: `Escalated to ${f.added.join(', ')}`, who: null, text: null });
  }
  if (f.acknowledged) {
    const { at, by, note } = f.acknowledged;
    moments.push({ at, what: 'Acknowledged', who: by, text: note });
  }
  if (f.resolved)
    moments.push({ at: f.resolved.at, what: 'Resolved', who: f.resolved.by, text: f.resolved.evidence });
  if (f.waived) {
    const { at, by, until, reason } = f.waived;
    moments.push({ at, what: `Waived until ${dayText(until)}`, who: by, text: reason });
  }
  if (f.closed)
    moments.push({ at: f.closed.at, what: 'Closed: a run found the project passing', who: null, text: null });
  return moments.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export function FindingTimeline({ finding }: { finding: Finding }) {
  return (
    <ol className="timeline">
      {momentsOf(finding).map((m) => (
        <li key={`${m.what}:${m.at}`} className={`event${m.who === null ? '' : ' event-action'}`}>
          <p>
            <strong>{m.what}</strong>
            {m.who === null ? null : (
              <>
                {' '}
                by <PersonId id={m.who} />
              </>
            )}
            , <time dateTime={m.at}>{instantText(m.at)}</time>
          </p>
          {m.text === null ? null : <p className="findings-moment-text">{m.text}</p>}
        </li>
      ))}
    </ol>
  );
}
