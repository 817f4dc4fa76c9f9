// My requests: the instances I started, newest first, each with its status, where it stands and
// what it waits on; the ones where an approver asked for changes are counted at the top and show
// the way to act on them. Filtered by status, paged with "Load more", live while the tab is open.
import { useState } from 'react';
import { Link } from '../../app/router.js';
import { useSignedIn } from '../../app/session.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { RequestCard, STATUS_TEXT } from './RequestCard.js';
import { STATUSES, type Status, useMyRequests, useRunningDetails } from './read-requests.js';

function StatusFilter({ status, onChange }: { status: Status | null; onChange: (s: Status | null) => void }) {
  const options: (Status | null)[] = [null, ...STATUSES];
  return (
    <div className="status-filter" role="group" aria-label="Show requests">
      {options.map((s) => (
        <button
          key={s ?? 'all'}
          type="button"
          className="button"
          aria-pressed={s === status}
          onClick={() => onChange(s)}
        >
          {s === null ? 'All' : STATUS_TEXT[s]}
        </button>
      ))}
    </div>
  );
}

export function RequestsPage() {
  const { person } = useSignedIn();
  const [status, setStatus] = useState<Status | null>(null);
  const [pages, setPages] = useState(1);
  const read = useMyRequests(person, status, pages);
  const items = read.data?.items ?? [];
  const details = useRunningDetails(items);
  const now = Date.now();
  const needChanges = items.filter(
    (i) => i.status === 'running' && (details.get(i.instanceId)?.changes.length ?? 0) > 0,
  );

  const choose = (next: Status | null): void => {
    setStatus(next);
    setPages(1);
  };

  let body;
  if (read.data === null) {
    body = read.error ? (
      <ErrorNotice
        failure={read.error}
        title="Could not load your requests"
        onRetry={() => void read.reload()}
      />
    ) : (
      <Loading what="your requests" />
    );
  } else if (items.length === 0) {
    body =
      status === null ? (
        <Empty title="You have not started any request">
          <p>
            <Link to="/start">Start a request</Link>: pick a process and fill in its form.
          </p>
        </Empty>
      ) : (
        <Empty title={`None of your requests is ${STATUS_TEXT[status].toLowerCase()}`}>
          <button type="button" className="button" onClick={() => choose(null)}>
            Show all requests
          </button>
        </Empty>
      );
  } else {
    body = (
      <>
        {read.error ? (
          <p className="notice notice-warning" role="status">
            Could not refresh ({read.error.message}); showing what was loaded before.
          </p>
        ) : null}
        <ul className="request-list" aria-label="Requests">
          {items.map((instance) => (
            <RequestCard
              key={instance.instanceId}
              instance={instance}
              changes={details.get(instance.instanceId)?.changes ?? []}
              now={now}
            />
          ))}
        </ul>
        {read.data.more ? (
          <div className="actions load-more">
            <button
              type="button"
              className="button"
              onClick={() => setPages((p) => p + 1)}
              disabled={read.loading}
            >
              {read.loading ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
      </>
    );
  }

  return (
    <section className="page requests-page" aria-labelledby="requests-title">
      <div className="requests-top">
        <h1 id="requests-title">My requests</h1>
        <Link to="/start" className="button button-primary">
          Start a request
        </Link>
      </div>
      {needChanges.length > 0 ? (
        <p className="notice notice-warning" role="status">
          {needChanges.length === 1
            ? 'An approver asked you for changes to 1 request.'
            : `Approvers asked you for changes to ${needChanges.length} requests.`}{' '}
          Look for “Changes requested” below.
        </p>
      ) : null}
      {status === null && read.data !== null && items.length === 0 ? null : (
        <StatusFilter status={status} onChange={choose} />
      )}
      {body}
    </section>
  );
}
