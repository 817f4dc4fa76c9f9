// One request (a process instance) for everyone allowed to see it: where it stands and what it
// waits for, the process drawn with each step's state, what happened and why (with the policy
// lines that decided), the caller's tasks on it, and cancelling for the requester who started it
// or an admin. Everything stays live: a decision made elsewhere shows within seconds. The API
// decides who sees what; its 404 is the same for "no such request" and "not yours to see".
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ApiFailure } from '../../api-client/client.js';
import { Link } from '../../app/router.js';
import { useLive } from '../../app/live.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { NAV } from '../../app/shell.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { CancelInstance } from './CancelDialog.js';
import { humanise } from './format.js';
import { InstanceFacts, WhereItStands } from './InstanceSummary.js';
import { InstanceTasks } from './InstanceTasks.js';
import { ProcessDiagram } from './ProcessDiagram.js';
import { type InstanceDetail, type InstanceGraph, readGraph, readInstance } from './reads.js';
import { PolicySourceProvider } from './SourceExcerpt.js';
import { Timeline } from './Timeline.js';

export function InstancePage({ instanceId }: { instanceId: string }) {
  const detail = useLive(`instance:${instanceId}`, () => readInstance(instanceId));
  const graph = useLive(`graph:${instanceId}`, () => readGraph(instanceId));

  if (detail.data === null) {
    if (detail.error?.status === 404) return <NotFound instanceId={instanceId} />;
    if (detail.error) {
      return (
        <section className="page">
          <h1>Request</h1>
          <ErrorNotice
            failure={detail.error}
            title="Could not load this request"
            onRetry={() => void detail.reload()}
          />
        </section>
      );
    }
    return (
      <section className="page">
        <Loading what="the request" />
      </section>
    );
  }
  const reload = (): void => {
    void detail.reload();
    void graph.reload();
  };
  return (
    <Instance
      detail={detail.data}
      stale={detail.error}
      graph={graph.data}
      graphError={graph.error}
      retryGraph={() => void graph.reload()}
      onCancelled={reload}
    />
  );
}

function Instance({
  detail,
  stale,
  graph,
  graphError,
  retryGraph,
  onCancelled,
}: {
  detail: InstanceDetail;
  stale: ApiFailure | null;
  graph: InstanceGraph | null;
  graphError: ApiFailure | null;
  retryGraph: () => void;
  onCancelled: () => void;
}) {
  const who = useSignedIn();
  const [cancelled, setCancelled] = useState(false);
  const cancelledNotice = useRef<HTMLParagraphElement>(null);
  // The cancel button goes away with the running status: focus moves to the news instead of the void.
  useEffect(() => {
    if (cancelled) cancelledNotice.current?.focus();
  }, [cancelled]);
  const policy = useMemo(
    () => ({ name: detail.policy.name, version: detail.policy.version, process: detail.process }),
    [detail.policy.name, detail.policy.version, detail.process],
  );
  const stepLines = useMemo(
    () => new Map((graph?.graph.nodes ?? []).map((n) => [n.id, n.line] as const)),
    [graph],
  );
  const mayCancel =
    detail.status === 'running' &&
    (hasRole(who, 'admin') || (hasRole(who, 'requester') && detail.startedBy === who.person));
  const acts = hasRole(who, 'approver', 'admin');

  return (
    <PolicySourceProvider policy={policy}>
      <article className="page instance">
        <header className="instance-head">
          <div className="instance-title">
            <h1>
              {humanise(detail.process)}{' '}
              <span className={`badge badge-${detail.status}`}>
                <span className="visually-hidden">status: </span>
                {detail.status}
              </span>
            </h1>
            <p className="instance-id">
              Request <code>{detail.instanceId}</code>
            </p>
          </div>
          {mayCancel ? (
            <div className="actions">
              <CancelInstance
                instanceId={detail.instanceId}
                onCancelled={() => {
                  setCancelled(true);
                  onCancelled();
                }}
              />
            </div>
          ) : null}
        </header>
        {cancelled ? (
          <p ref={cancelledNotice} tabIndex={-1} className="notice notice-ok" role="status">
            You cancelled this request. Its open tasks are closed and the reason is in the timeline.
          </p>
        ) : null}
        {stale ? (
          <p className="notice notice-warning" role="status">
            Could not refresh ({stale.message}); showing what was loaded before.
          </p>
        ) : null}

        <div className="instance-top">
          <section className="card" aria-labelledby="instance-facts">
            <h2 id="instance-facts">About this request</h2>
            <InstanceFacts detail={detail} />
          </section>
          <section className="card" aria-labelledby="instance-now">
            <h2 id="instance-now">{detail.status === 'running' ? 'Where it stands' : 'How it ended'}</h2>
            <WhereItStands detail={detail} now={Date.now()} />
          </section>
        </div>

        <div className="instance-grid">
          <section className="card" aria-labelledby="instance-diagram">
            <h2 id="instance-diagram">The process</h2>
            {graph ? (
              <ProcessDiagram graph={graph} />
            ) : graphError ? (
              <ErrorNotice failure={graphError} title="Could not draw the process" onRetry={retryGraph} />
            ) : (
              <Loading what="the process diagram" />
            )}
          </section>
          <section className="card" aria-labelledby="instance-timeline">
            <h2 id="instance-timeline">What happened</h2>
            <Timeline detail={detail} stepLines={stepLines} />
          </section>
        </div>

        {acts ? (
          <section className="card" aria-labelledby="instance-tasks">
            <h2 id="instance-tasks">Tasks and comments</h2>
            <InstanceTasks instanceId={detail.instanceId} />
          </section>
        ) : null}
      </article>
    </PolicySourceProvider>
  );
}

function NotFound({ instanceId }: { instanceId: string }) {
  const who = useSignedIn();
  const screens = NAV.filter((item) => hasRole(who, ...item.roles));
  return (
    <section className="page">
      <h1>Request not found</h1>
      <div className="state state-empty">
        <p className="state-title">There is no request {instanceId} that you can see.</p>
        <div className="state-help">
          <p>
            Either it does not exist, or it is not yours to see: requests are shown to the person who started
            them, the people asked to act on them, and the PMO, auditors and admins. Check the link, or ask
            whoever sent it.
          </p>
          <ul className="not-found-links">
            {screens.map((item) => (
              <li key={item.to}>
                <Link to={item.to}>{item.label}</Link>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
