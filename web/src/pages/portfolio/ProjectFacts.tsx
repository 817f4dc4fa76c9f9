// How a project is shown wherever the portfolio screens show one: its health as a word with its
// colour (never the colour alone), and its fields as a list of facts: phase, people, budget, dates
// and tags. People link to their page for those who may open the directory.
import { Link } from '../../app/router.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { PersonId } from '../../components/PersonId.js';
import { dayText, HEALTH_CLASS, HEALTH_TEXT, instantText, moneyText, type Project } from './project-view.js';

/** Whether the signed-in person may change the portfolio (the API's writers: pmo, admin). */
export function useMayWrite(): boolean {
  return hasRole(useSignedIn(), 'pmo', 'admin');
}

/** A project's health: the word and its colour, with the reason when asked and given. */
export function HealthBadge({
  health,
  withReason = false,
}: {
  health: Project['health'];
  withReason?: boolean;
}) {
  return (
    <>
      <span className={`badge ${HEALTH_CLASS[health.status]}`}>{HEALTH_TEXT[health.status]}</span>
      {withReason && health.reason !== null ? (
        <span className="portfolio-reason"> {health.reason}</span>
      ) : null}
    </>
  );
}

/** A person of a project, linked to their page for the roles that open the directory's screen. */
export function ProjectPerson({ id }: { id: string | null }) {
  const who = useSignedIn();
  if (id === null) return <span className="muted">none</span>;
  if (!hasRole(who, 'pmo', 'admin', 'author')) return <PersonId id={id} />;
  return (
    <Link to={`/people/${encodeURIComponent(id)}`}>
      <PersonId id={id} />
    </Link>
  );
}

export function TagList({ tags }: { tags: readonly string[] }) {
  if (tags.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="portfolio-tags" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag}>
          <Link to={`/portfolio?tag=${encodeURIComponent(tag)}`} className="portfolio-tag">
            {tag}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Every field of a project, as facts. */
export function ProjectFacts({ project }: { project: Project }) {
  const p = project;
  return (
    <dl className="facts portfolio-facts">
      <div>
        <dt>Phase</dt>
        <dd>{p.phase}</dd>
      </div>
      <div>
        <dt>Health</dt>
        <dd>
          <HealthBadge health={p.health} withReason />
        </dd>
      </div>
      <div>
        <dt>Manager</dt>
        <dd>
          <ProjectPerson id={p.manager} />
        </dd>
      </div>
      <div>
        <dt>Sponsor</dt>
        <dd>
          <ProjectPerson id={p.sponsor} />
        </dd>
      </div>
      <div>
        <dt>Budget</dt>
        <dd>{moneyText(p.budget)}</dd>
      </div>
      <div>
        <dt>Start</dt>
        <dd>{dayText(p.start)}</dd>
      </div>
      <div>
        <dt>End</dt>
        <dd>{dayText(p.end)}</dd>
      </div>
      <div>
        <dt>Tags</dt>
        <dd>
          <TagList tags={p.tags} />
        </dd>
      </div>
      <div>
        <dt>Last changed</dt>
        <dd>
          {instantText(p.updatedAt)} by <PersonId id={p.updatedBy} /> (version {p.version})
        </dd>
      </div>
    </dl>
  );
}
