// One finding (/findings/<id>): what the monitor found and why, for which project, who owns it and
// who it was escalated to, its deadline, what happened to it so far, and what the signed-in person
// may do about it. Live: an action taken elsewhere (or a run that sees or closes it) shows within
// seconds. An unknown id says so, as the API does.
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Link } from '../../app/router.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { FindingActions } from './FindingActions.js';
import { DueText, FindingTimeline, HealthText, People, StatusBadge } from './FindingParts.js';
import { ageOf, type Finding, instantText, projectPath } from './finding-view.js';

export function FindingView({ id }: { id: string }) {
  const read = useLive(`finding:${id}`, () =>
    unwrap(api.GET('/v1/findings/{id}', { params: { path: { id } } })),
  );
  const f = read.data;

  let body;
  if (f !== null) {
    body = <FindingBody finding={f} stale={read.error !== null} onChanged={() => void read.reload()} />;
  } else if (read.error?.status === 404) {
    body = (
      <>
        <h1 id="finding-title">No such finding</h1>
        <p className="notice notice-warning">
          There is no finding <code>{id}</code>. <Link to="/findings">See all findings</Link>.
        </p>
      </>
    );
  } else {
    body = (
      <>
        <h1 id="finding-title">Finding</h1>
        {read.error ? (
          <ErrorNotice
            failure={read.error}
            title="Could not load the finding"
            onRetry={() => void read.reload()}
          />
        ) : (
          <Loading what="the finding" />
        )}
      </>
    );
  }
  return (
    <section className="page portfolio findings" aria-labelledby="finding-title">
      <p className="portfolio-back">
        <Link to="/findings">← All findings</Link>
      </p>
      {body}
    </section>
  );
}

function FindingBody({
  finding: f,
  stale,
  onChanged,
}: {
  finding: Finding;
  stale: boolean;
  onChanged: () => void;
}) {
  const now = Date.now();
  return (
    <>
      <h1 id="finding-title">{f.message}</h1>
      <p className="findings-status-line">
        <StatusBadge status={f.status} /> <DueText finding={f} now={now} /> · {ageOf(f.openedAt, now)}
      </p>
      {stale ? (
        <p className="notice notice-warning" role="status">
          Could not refresh; showing what was loaded before.
        </p>
      ) : null}
      <div className="findings-columns">
        <section className="card" aria-labelledby="finding-facts-title">
          <h2 id="finding-facts-title">About the finding</h2>
          <dl className="facts">
            <div>
              <dt>Why</dt>
              <dd className="findings-why">{f.why}</dd>
            </div>
            <div>
              <dt>Project</dt>
              <dd>
                <Link to={projectPath(f.project)}>{f.project}</Link>
              </dd>
            </div>
            <div>
              <dt>Monitor</dt>
              <dd>
                {f.monitor} of {f.policy.name} (version {f.policy.version})
              </dd>
            </div>
            <div>
              <dt>Health it gives the project</dt>
              <dd>
                <HealthText health={f.health} />
              </dd>
            </div>
            <div>
              <dt>Owners</dt>
              <dd>
                <People ids={f.owners} none="nobody (the PMO acts on it)" />
              </dd>
            </div>
            <div>
              <dt>Escalated to</dt>
              <dd>
                <People ids={f.added} none="nobody yet" />
              </dd>
            </div>
            <div>
              <dt>May waive besides the PMO</dt>
              <dd>
                <People ids={f.waivers} none="nobody" />
              </dd>
            </div>
            <div>
              <dt>Due</dt>
              <dd>{f.dueAt === null ? 'no deadline' : instantText(f.dueAt)}</dd>
            </div>
          </dl>
        </section>
        <FindingActions finding={f} onChanged={onChanged} />
      </div>
      <section className="card" aria-labelledby="finding-timeline-title">
        <h2 id="finding-timeline-title">What happened</h2>
        <FindingTimeline finding={f} />
      </section>
    </>
  );
}
