// A project's timeline: each version, newest first, with who changed which field from what to
// what (GET /v1/projects/{code}/history, a page at a time). A change of phase is the step people
// look for, so it is marked in words ("Phase changed") as well as set apart by colour; version 1
// is the project's creation and lists what it was created with.
import { api, unwrap } from '../../api-client/client.js';
import { usePagedList } from '../../app/paged-list.js';
import { PagedSection } from '../../components/ListParts.js';
import { PersonId } from '../../components/PersonId.js';
import { Empty } from '../../components/states.js';
import { FIELD_TEXT, instantText, type ProjectChange, valueText } from './project-view.js';

const PAGE_SIZE = 20;

export function ProjectTimeline({ code }: { code: string }) {
  const list = usePagedList<ProjectChange>(
    `project-history:${code}`,
    (cursor) =>
      unwrap(
        api.GET('/v1/projects/{code}/history', {
          params: { path: { code }, query: { limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) } },
        }),
      ),
    (c) => String(c.version),
  );
  return (
    <PagedSection title="Changes" what="changes" list={list} empty={<Empty title="No changes recorded" />}>
      {(items) => (
        <ol className="portfolio-timeline">
          {items.map((change) => (
            <TimelineEntry key={change.version} change={change} />
          ))}
        </ol>
      )}
    </PagedSection>
  );
}

function TimelineEntry({ change }: { change: ProjectChange }) {
  const created = change.version === 1;
  const phase = change.changes.find((c) => c.field === 'phase');
  const phaseChanged = phase !== undefined && !created;
  return (
    <li className={phaseChanged ? 'portfolio-change portfolio-change-phase' : 'portfolio-change'}>
      <p className="portfolio-change-head">
        <strong>{created ? 'Created' : `Version ${change.version}`}</strong>
        {phaseChanged ? (
          <span className="badge badge-current">
            Phase changed: {valueText('phase', phase.from)} → {valueText('phase', phase.to)}
          </span>
        ) : null}
        <span className="portfolio-change-when">
          {instantText(change.at)} by <PersonId id={change.by} />
        </span>
      </p>
      <ul className="portfolio-change-fields">
        {change.changes.map((c) => (
          <li key={c.field}>
            <span className="portfolio-change-field">{FIELD_TEXT[c.field] ?? c.field}</span>:{' '}
            {created ? (
              valueText(c.field, c.to)
            ) : (
              <>
                {valueText(c.field, c.from)} → {valueText(c.field, c.to)}
              </>
            )}
          </li>
        ))}
      </ul>
    </li>
  );
}
