// One project (/portfolio/<code>): its fields, live (a change saved elsewhere shows within
// seconds), with the health its live findings give it beside the health kept by hand; for the PMO
// and admins the form that changes them; its live findings (findings/ProjectFindings.tsx); the
// instances started for it; and the timeline of its changes with phase changes marked. An unknown
// code says so, as the API does.
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Link } from '../../app/router.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { ProjectFindings } from '../findings/ProjectFindings.js';
import { EditProject } from './EditProject.js';
import { HealthBadge, ProjectFacts, useMayWrite } from './ProjectFacts.js';
import { ProjectInstances } from './ProjectInstances.js';
import { ProjectAllocations } from './ProjectAllocations.js';
import { ProjectTimeline } from './ProjectTimeline.js';

export function ProjectPage({ code }: { code: string }) {
  const mayWrite = useMayWrite();
  const project = useLive(`project:${code}`, () =>
    unwrap(api.GET('/v1/projects/{code}', { params: { path: { code } } })),
  );
  const phases = useLive('portfolio:phases', () => unwrap(api.GET('/v1/portfolio/phases')), { live: false });
  const p = project.data;

  let head;
  if (p !== null) {
    head = (
      <>
        <h1 id="project-title">
          <span className="portfolio-code">{p.code}</span> {p.name}
        </h1>
        <p className="portfolio-health-line">
          Health: <HealthBadge health={p.health} withReason />
        </p>
        {p.findingsHealth === null ? null : (
          <p className="portfolio-health-line">
            From its findings: <HealthBadge health={p.findingsHealth} withReason />
          </p>
        )}
      </>
    );
  } else if (project.error?.status === 404) {
    head = (
      <>
        <h1 id="project-title">No project {code}</h1>
        <p className="notice notice-warning">
          There is no project with the code <code>{code}</code>. Codes are capitals, e.g. ERP-2027.{' '}
          <Link to="/portfolio">See all projects</Link>.
        </p>
      </>
    );
  } else {
    head = (
      <>
        <h1 id="project-title">{code}</h1>
        {project.error ? (
          <ErrorNotice
            failure={project.error}
            title={`Could not load ${code}`}
            onRetry={() => void project.reload()}
          />
        ) : (
          <Loading what={`project ${code}`} />
        )}
      </>
    );
  }

  return (
    <section className="page portfolio" aria-labelledby="project-title">
      <p className="portfolio-back">
        <Link to="/portfolio">← All projects</Link>
      </p>
      {head}
      {p === null ? null : (
        <>
          {project.error ? (
            <p className="notice notice-warning" role="status">
              Could not refresh ({project.error.message}); showing what was loaded before.
            </p>
          ) : null}
          <section className="card" aria-labelledby="project-facts-title">
            <h2 id="project-facts-title">About the project</h2>
            <ProjectFacts project={p} />
          </section>
          {mayWrite ? (
            <EditProject
              project={p}
              phases={phases.data?.phases ?? []}
              onSaved={() => void project.reload()}
            />
          ) : null}
          <ProjectFindings code={p.code} />
          <ProjectInstances code={p.code} />
          <ProjectAllocations code={p.code} />
          <ProjectTimeline code={p.code} />
        </>
      )}
    </section>
  );
}
