// The instances of a project: the ones started with its code as their `project` input, newest
// first (GET /v1/instances?project=<code>), each linked to its page. The list is the caller's own
// view of the instances (a requester sees the ones they started or act on, the PMO all), so the
// section says whose instances it shows. Instances started with another text (before the project
// existed, or a typo) are on the unlinked list, not here.
import { useId } from 'react';
import { api, type paths, unwrap } from '../../api-client/client.js';
import { usePagedList } from '../../app/paged-list.js';
import { Link } from '../../app/router.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { LoadMore } from '../../components/LoadMore.js';
import { PersonId } from '../../components/PersonId.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { instantText } from './project-view.js';

type Instance =
  paths['/v1/instances']['get']['responses']['200']['content']['application/json']['items'][number];

const PAGE_SIZE = 10;

const STATUS: Record<Instance['status'], { text: string; badge: string }> = {
  running: { text: 'In progress', badge: 'badge-running' },
  approved: { text: 'Approved', badge: 'badge-approved' },
  rejected: { text: 'Rejected', badge: 'badge-rejected' },
  cancelled: { text: 'Cancelled', badge: 'badge-cancelled' },
};

export function ProjectInstances({ code }: { code: string }) {
  const id = useId();
  const who = useSignedIn();
  const seesAll = hasRole(who, 'auditor', 'pmo', 'admin');
  const list = usePagedList<Instance>(
    `project-instances:${code}`,
    (cursor) =>
      unwrap(
        api.GET('/v1/instances', {
          params: { query: { project: code, limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) } },
        }),
      ),
    (i) => i.instanceId,
  );
  const { first, items } = list;
  let body;
  if (first.data === null && first.error) {
    body = (
      <ErrorNotice
        failure={first.error}
        title="Could not load the instances"
        onRetry={() => void first.reload()}
      />
    );
  } else if (first.data === null) {
    body = <Loading what="the instances" />;
  } else if (items.length === 0) {
    body = (
      <Empty title={seesAll ? `No instance names ${code}` : `No instance of ${code} that you may see`}>
        Instances belong here when they are started with <code>{code}</code> as their project.
      </Empty>
    );
  } else {
    body = (
      <ul className="portfolio-instances">
        {items.map((i) => (
          <li key={i.instanceId}>
            <Link to={`/instances/${encodeURIComponent(i.instanceId)}`}>{i.instanceId}</Link>{' '}
            <span className={`badge ${STATUS[i.status].badge}`}>{STATUS[i.status].text}</span>
            <span className="portfolio-instance-meta">
              {i.process} · started {instantText(i.startedAt)} by <PersonId id={i.startedBy} />
            </span>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Instances</h2>
      {seesAll ? null : <p className="field-help">The instances you started or were asked to act on.</p>}
      {body}
      <LoadMore list={list} what="instances" />
    </section>
  );
}
