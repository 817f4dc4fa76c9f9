// The instances of a project: the ones started with its code as their `project` input, newest
// first (GET /v1/instances?project=<code>), each linked to its page. The list is the caller's own
// view of the instances (a requester sees the ones they started or act on, the PMO all), so the
// section says whose instances it shows. Instances started with another text (before the project
// existed, or a typo) are on the unlinked list, not here.
import { api, type paths, unwrap } from '../../api-client/client.js';
import { usePagedList } from '../../app/paged-list.js';
import { Link } from '../../app/router.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { PagedSection } from '../../components/ListParts.js';
import { PersonId } from '../../components/PersonId.js';
import { Empty } from '../../components/states.js';
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
  return (
    <PagedSection
      title="Instances"
      what="instances"
      list={list}
      intro={
        seesAll ? null : <p className="field-help">The instances you started or were asked to act on.</p>
      }
      empty={
        <Empty title={seesAll ? `No instance names ${code}` : `No instance of ${code} that you may see`}>
          Instances belong here when they are started with <code>{code}</code> as their project.
        </Empty>
      }
    >
      {(items) => (
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
      )}
    </PagedSection>
  );
}
