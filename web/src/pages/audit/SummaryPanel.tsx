// The compliance summary (GET /v1/audit/summary) of the instances started in the search's period,
// for its policy and project: how many ended which way, how many compliantly, and the failed
// checks, waivers and SLA breaches behind the rest, in totals and per policy and project. Read
// once per search and on "Refresh", not every few seconds like the events: the API folds every
// event of the period's instances to answer, which is too much work to repeat on a timer.
import { useId } from 'react';
import { api, type paths, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Loaded } from '../../components/states.js';
import { type AuditFilter, queryOf, showInstant, summaryQuery } from './filter.js';

type Summary = paths['/v1/audit/summary']['get']['responses']['200']['content']['application/json'];
type Counts = Summary['totals'];

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function windowText(window: Summary['window']): string {
  if (window.from && window.to) return `from ${showInstant(window.from)} until ${showInstant(window.to)}`;
  if (window.from) return `since ${showInstant(window.from)}`;
  if (window.to) return `before ${showInstant(window.to)}`;
  return 'at any time';
}

export function SummaryPanel({ filter }: { filter: AuditFilter }) {
  const id = useId();
  const query = summaryQuery(filter);
  const read = useLive(
    `summary:${queryOf(query)}`,
    () => unwrap(api.GET('/v1/audit/summary', { params: { query } })),
    { live: false },
  );
  const scope = [
    filter.policy ? `policy ${filter.policy}` : null,
    filter.project ? `project ${filter.project}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <section className="card audit-summary" aria-labelledby={`${id}-title`}>
      <div className="audit-summary-head">
        <h2 id={`${id}-title`}>Compliance summary</h2>
        <button type="button" className="button button-quiet" onClick={() => void read.reload()}>
          Refresh
        </button>
      </div>
      {read.data === null && read.error?.status === 422 ? (
        <p>No summary for a search the API refused: fix the marked fields above.</p>
      ) : (
        <Loaded read={read} what="the compliance summary">
          {(summary) => (
            <>
              <p className="field-help">
                Instances started {windowText(summary.window)}
                {scope ? ` (${scope})` : ''}. The search&apos;s other filters do not apply here.
              </p>
              {summary.totals.instances === 0 ? (
                <p className="state-title">No instances were started in this period.</p>
              ) : (
                <>
                  <Totals counts={summary.totals} />
                  {summary.groups.length > 1 || scope === '' ? <Groups groups={summary.groups} /> : null}
                </>
              )}
            </>
          )}
        </Loaded>
      )}
    </section>
  );
}

function Totals({ counts }: { counts: Counts }) {
  const tiles: [number, string][] = [
    [counts.instances, 'started'],
    [counts.running, 'still running'],
    [counts.ended.approved, 'approved'],
    [counts.ended.rejected, 'rejected'],
    [counts.ended.cancelled, 'cancelled'],
    [counts.compliant, 'compliant'],
    [counts.failedChecks, 'failed checks'],
    [counts.waivers, 'waivers'],
    [counts.slaBreaches, 'SLA breaches'],
  ];
  const t = counts.timeoutOutcomes;
  return (
    <>
      <dl className="audit-tiles">
        {tiles.map(([n, label]) => (
          <div key={label} className="audit-tile">
            <dt>{label}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      <p className="audit-note">
        Compliant: approved, with every failed check waived afterwards ({counts.compliant} of{' '}
        {plural(counts.ended.approved, 'approved instance')}).
      </p>
      <p className="audit-note">
        When approvals timed out: {t.approvedByTimeout} approved, {t.rejectedByTimeout} rejected, {t.failed}{' '}
        failed, {t.escalated} escalated.
      </p>
    </>
  );
}

function Groups({ groups }: { groups: Summary['groups'] }) {
  return (
    <>
      <h3>By policy and project</h3>
      <ul className="audit-groups">
        {groups.map((g) => (
          <li key={`${g.policy}\u0000${g.project ?? ''}`}>
            <strong>{g.policy}</strong> · {g.project ?? 'no project'}: {plural(g.instances, 'instance')}{' '}
            started, {g.compliant} compliant, {g.running} running; {plural(g.failedChecks, 'failed check')},{' '}
            {plural(g.waivers, 'waiver')}, {plural(g.slaBreaches, 'SLA breach', 'SLA breaches')}
          </li>
        ))}
      </ul>
    </>
  );
}
