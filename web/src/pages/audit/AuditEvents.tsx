// The events of a ledger search, oldest first as the ledger keeps them: when, which instance,
// what kind of fact, at which step, what happened in words, who acted (and for whom), and how it
// came out. A table on wide screens; on a phone each event becomes a block of labelled lines.
// Each event opens its inclusion proof under the newest signed head (ProofDialog).
import { useState } from 'react';
import type { paths } from '../../api-client/client.js';
import { Link } from '../../app/router.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { LoadMore } from '../../components/LoadMore.js';
import type { PagedList } from '../../app/paged-list.js';
import { PersonId } from '../../components/PersonId.js';
import { ProofDialog } from './ProofDialog.js';
import { type AuditFilter, instantParts } from './filter.js';

export type AuditEvent =
  paths['/v1/audit/events']['get']['responses']['200']['content']['application/json']['items'][number];

/** Outcomes with a status colour of their own; anything else (a refusal's code) is a warning. */
const OUTCOME_CLASSES: Record<string, string> = {
  approved: 'badge-approved',
  rejected: 'badge-rejected',
  cancelled: 'badge-cancelled',
};

export function OutcomeBadge({ outcome }: { outcome: string }) {
  return <span className={`badge ${OUTCOME_CLASSES[outcome] ?? 'badge-refused'}`}>{outcome}</span>;
}

/**
 * What an event is about, linked where the console has a page for it: an instance, a finding, or
 * (policy retirements, monitor runs) the list they belong to. Events of a policy's own chain carry
 * no instance id: they link to the policies page instead of to an empty instance link.
 */
function Subject({ event }: { event: AuditEvent }) {
  const kind = event.fact?.kind ?? '';
  const id = event.instanceId;
  if (kind.startsWith('finding'))
    return (
      <Link to={`/findings/${encodeURIComponent(id)}`} className="audit-instance">
        finding {id}
      </Link>
    );
  if (kind.startsWith('monitor'))
    return (
      <Link to="/monitors" className="audit-instance">
        {id === '' ? 'monitor' : id}
      </Link>
    );
  if (id === '')
    return (
      <Link to="/policies" className="audit-instance">
        policy {event.policy.name}
      </Link>
    );
  return (
    <Link to={`/instances/${encodeURIComponent(id)}`} className="audit-instance">
      {id}
    </Link>
  );
}

interface Props {
  list: PagedList<AuditEvent>;
  filter: AuditFilter;
  /** The filter has field problems (shown at the fields): no list to show. */
  refused: boolean;
  onWiden: () => void;
  onClear: () => void;
}

export function AuditEvents({ list, filter, refused, onWiden, onClear }: Props) {
  const { first, items } = list;
  const [proofOf, setProofOf] = useState<AuditEvent | null>(null);
  let body;
  if (first.data === null && first.error) {
    body = refused ? (
      <div className="notice notice-error" role="alert">
        <p className="notice-title">The search was refused</p>
        <p>
          {first.error.message} <code className="code-tag">{first.error.code}</code>. The fields to fix are
          marked in the search above.
        </p>
      </div>
    ) : (
      <ErrorNotice
        failure={first.error}
        title="Could not search the ledger"
        onRetry={() => void first.reload()}
      />
    );
  } else if (first.data === null) {
    body = <Loading what="the ledger's events" />;
  } else if (items.length === 0) {
    const period = filter.from !== undefined || filter.to !== undefined;
    body = (
      <Empty title="No events match">
        <p>
          {period
            ? 'Nothing was recorded in this period with these filters. Try a wider period.'
            : 'Nothing in the ledger matches these filters. Try fewer of them.'}
        </p>
        <div className="actions">
          {period ? (
            <button type="button" className="button" onClick={onWiden}>
              Search any time
            </button>
          ) : null}
          <button type="button" className="button" onClick={onClear}>
            Clear the filter
          </button>
        </div>
      </Empty>
    );
  } else {
    body = <EventTable events={items} onProof={setProofOf} />;
  }

  return (
    <section className="audit-events" aria-labelledby="audit-events-title">
      <div className="audit-events-head">
        <h2 id="audit-events-title">Events</h2>
        <p className="audit-count" role="status" aria-live="polite">
          {first.data === null
            ? ''
            : `Showing ${items.length} ${items.length === 1 ? 'event' : 'events'}${list.hasMore ? '; more match' : ''}`}
        </p>
      </div>
      {first.data !== null && first.error ? (
        <p className="notice notice-warning" role="status">
          Could not refresh ({first.error.message}); showing what was loaded before.
        </p>
      ) : null}
      {body}
      <LoadMore
        list={{ ...list, hasMore: list.hasMore && items.length > 0 }}
        what="events"
        className="actions audit-more"
      />
      {proofOf ? <ProofDialog event={proofOf} onClose={() => setProofOf(null)} /> : null}
    </section>
  );
}

function When({ at }: { at: string }) {
  const parts = instantParts(at);
  return (
    <time dateTime={at} className="audit-when">
      {parts === null ? (
        at
      ) : (
        <>
          <span>{parts.date}</span> <span>{parts.time}</span>
        </>
      )}
    </time>
  );
}

/** An empty cell that still reads as "none" to a screen reader. */
function None() {
  return (
    <>
      <span aria-hidden="true" className="muted">
        –
      </span>
      <span className="visually-hidden">none</span>
    </>
  );
}

function EventTable({ events, onProof }: { events: AuditEvent[]; onProof: (event: AuditEvent) => void }) {
  return (
    <div className="table-wrap">
      <table className="data stack-table audit-table">
        <caption className="visually-hidden">Ledger events, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Instance</th>
            <th scope="col">Type</th>
            <th scope="col">Step</th>
            <th scope="col">What happened</th>
            <th scope="col">Actor</th>
            <th scope="col">Outcome</th>
            <th scope="col" className="audit-nowrap">
              Ledger tree
            </th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td data-label="Time">
                <When at={e.at} />
              </td>
              <td data-label="Instance" className="audit-instance-cell">
                <Subject event={e} />
                <span className="audit-policy">
                  {e.policy.name} v{e.policy.version}
                  {e.project ? ` · ${e.project}` : ''}
                </span>
              </td>
              <td data-label="Type" className="audit-nowrap">
                {e.type}
              </td>
              <td data-label="Step" className="audit-nowrap">
                {e.step ?? <None />}
              </td>
              <td data-label="What happened" className="audit-text">
                {e.text}
              </td>
              <td data-label="Actor" className="audit-actor">
                {e.actor ? <PersonId id={e.actor} /> : <span className="muted">Charter</span>}
                {e.onBehalfOf ? (
                  <span className="audit-behalf">
                    on behalf of <PersonId id={e.onBehalfOf} />
                  </span>
                ) : null}
              </td>
              <td data-label="Outcome">{e.outcome ? <OutcomeBadge outcome={e.outcome} /> : <None />}</td>
              <td data-label="Ledger tree" className="audit-nowrap">
                <button type="button" className="button audit-proof" onClick={() => onProof(e)}>
                  Proof
                  <span className="visually-hidden">
                    {' '}
                    of event #{e.seq} of {e.chain}
                  </span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
