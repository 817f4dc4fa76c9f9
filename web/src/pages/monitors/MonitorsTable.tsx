// The monitors of the policies in force as a table: when each runs, whether its schedule is
// active, paused (with the note, who paused it and when) or not made yet, its next run, its last
// run and its live findings (a link to them). Admins get the actions in a last column: Pause
// (the page opens a dialog that asks why), Resume, Run now and Backfill (a dialog for the days).
// State is said in words, never by colour alone; on a phone each row stacks with its labels.
import { Link } from '../../app/router.js';
import { PersonId } from '../../components/PersonId.js';
import { instantText } from '../findings/finding-view.js';
import {
  findingsPath,
  lastRunDay,
  type Monitor,
  monitorLabel,
  nextRunText,
  runText,
  STATUS,
  whenText,
} from './monitor-view.js';

export type MonitorAction = 'pause' | 'resume' | 'run' | 'backfill';

interface MonitorsTableProps {
  items: readonly Monitor[];
  /** Admins operate schedules; everyone else reads. */
  canOperate: boolean;
  /** The action under way (its button is disabled), as `<scheduleId>:<action>`. */
  busy: string | null;
  onAction: (monitor: Monitor, action: MonitorAction) => void;
}

/** The name as the policy writes it, with a line break allowed after each `_` only. */
function MonitorName({ name }: { name: string }) {
  const parts = name.split('_');
  return (
    <span className="monitor-name">
      {parts.map((part, i) => (
        <span key={i}>
          {part}
          {i < parts.length - 1 ? (
            <>
              _<wbr />
            </>
          ) : null}
        </span>
      ))}
    </span>
  );
}

function StateCell({ m }: { m: Monitor }) {
  const status = STATUS[m.status];
  return (
    <>
      <span className={`badge ${status.badge}`}>{status.text}</span>
      {m.paused ? (
        <span className="monitor-paused">
          {m.paused.note ? <q>{m.paused.note}</q> : null}
          {m.paused.by ? (
            <>
              {' '}
              by <PersonId id={m.paused.by} />
            </>
          ) : null}
          {m.paused.at ? (
            <>
              {' '}
              on <time dateTime={m.paused.at}>{instantText(m.paused.at)}</time>
            </>
          ) : null}
        </span>
      ) : null}
      {m.status === 'not-scheduled' ? (
        <span className="muted monitor-paused">
          made at the next reconcile (publish, retire, worker start, 00:05 UTC)
        </span>
      ) : null}
    </>
  );
}

function LastRun({ m }: { m: Monitor }) {
  const day = lastRunDay(m);
  if (m.lastRun === null || day === null) return <span className="muted">no run yet</span>;
  return (
    <>
      <time dateTime={m.lastRun.at} title={instantText(m.lastRun.at)}>
        {day}
      </time>
      : {runText(m.lastRun)}
    </>
  );
}

function Actions({
  m,
  busy,
  onAction,
}: {
  m: Monitor;
  busy: string | null;
  onAction: MonitorsTableProps['onAction'];
}) {
  if (m.status === 'not-scheduled') return <span className="muted">once scheduled</span>;
  const label = monitorLabel(m);
  const button = (action: MonitorAction, text: string, className = 'button') => (
    <button
      type="button"
      className={className}
      disabled={busy === `${m.scheduleId}:${action}`}
      onClick={() => onAction(m, action)}
    >
      {text}
      <span className="visually-hidden"> {label}</span>
    </button>
  );
  return (
    <div className="monitor-actions">
      {m.status === 'paused' ? button('resume', 'Resume', 'button button-primary') : button('pause', 'Pause')}
      {button('run', 'Run now')}
      {button('backfill', 'Backfill')}
    </div>
  );
}

export function MonitorsTable({ items, canOperate, busy, onAction }: MonitorsTableProps) {
  return (
    <div className="table-wrap">
      <table className="data stack-table monitors-table">
        <caption className="visually-hidden">Monitors of the policies in force, by policy</caption>
        <thead>
          <tr>
            <th scope="col">Monitor</th>
            <th scope="col">When</th>
            <th scope="col">State</th>
            <th scope="col">Last run</th>
            <th scope="col">Live findings</th>
            {canOperate ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {items.map((m) => (
            <tr key={m.scheduleId}>
              <th scope="row" data-label="Monitor">
                <MonitorName name={m.monitor} />
                <span className="muted monitor-policy">
                  {m.policy.name} v{m.policy.version}
                </span>
              </th>
              <td data-label="When">
                {whenText(m.schedule)} <span className="muted">({m.schedule.timezone})</span>
                <span className="muted monitor-next">next: {nextRunText(m)}</span>
              </td>
              <td data-label="State">
                <StateCell m={m} />
              </td>
              <td data-label="Last run">
                <LastRun m={m} />
              </td>
              <td data-label="Live findings">
                <Link to={findingsPath(m)}>
                  {m.liveFindings} live<span className="visually-hidden"> findings of {monitorLabel(m)}</span>
                </Link>
              </td>
              {canOperate ? (
                <td data-label="Actions">
                  <Actions m={m} busy={busy} onAction={onAction} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
