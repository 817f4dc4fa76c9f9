// The capacity a project received: every allocation made for it (GET
// /v1/resources/projects/:code/allocations), oldest first, with the pool, skill, hours and the
// weeks they cover. Requesters do not read capacity (the API refuses them), so the section is
// shown only to those who may; everyone else sees nothing rather than an error.
import { api, type paths, unwrap } from '../../api-client/client.js';
import { usePagedList } from '../../app/paged-list.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { PagedSection } from '../../components/ListParts.js';
import { Empty } from '../../components/states.js';
import { instantText } from './project-view.js';

type Allocation =
  paths['/v1/resources/projects/{project}/allocations']['get']['responses']['200']['content']['application/json']['items'][number];

const PAGE_SIZE = 10;

/** `2027-W05 to 2027-W12` (ISO weeks the hours fall in), or the one week. */
function weeksText(perWeek: Record<string, number>): string {
  const weeks = Object.keys(perWeek).sort();
  if (weeks.length === 0) return 'no weeks';
  return weeks.length === 1 ? weeks[0]! : `${weeks[0]!} to ${weeks[weeks.length - 1]!}`;
}

export function ProjectAllocations({ code }: { code: string }) {
  const who = useSignedIn();
  if (!hasRole(who, 'author', 'approver', 'auditor', 'pmo', 'admin')) return null;
  return <Allocations code={code} />;
}

function Allocations({ code }: { code: string }) {
  const list = usePagedList<Allocation>(
    `project-allocations:${code}`,
    (cursor) =>
      unwrap(
        api.GET('/v1/resources/projects/{project}/allocations', {
          params: {
            path: { project: code },
            query: { limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) },
          },
        }),
      ),
    (a) => a.request,
  );
  return (
    <PagedSection
      title="Allocations"
      what="allocations"
      list={list}
      empty={
        <Empty title={`No capacity allocated to ${code}`}>
          A policy&apos;s <code>reallocate</code> step for this project adds its hours here.
        </Empty>
      }
    >
      {(items) => (
        <ul className="portfolio-instances">
          {items.map((a) => (
            <li key={a.request}>
              <strong>
                {a.hours} hours of {a.skill}
              </strong>{' '}
              from {a.pool}
              <span className="portfolio-instance-meta">
                {weeksText(a.perWeek)} · priority {a.priority} · {instantText(a.at)}
                {a.detail ? ` · ${a.detail}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </PagedSection>
  );
}
