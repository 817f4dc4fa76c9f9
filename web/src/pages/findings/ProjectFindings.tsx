// A project's live findings, on its page (/portfolio/<code>): each with its status, health, age and
// deadline, linked to the finding, and a link to all of the project's findings (ended ones too).
// Live, so a finding a run opens or someone resolves shows within seconds.
import { useId } from 'react';
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Link } from '../../app/router.js';
import { Empty, Loaded } from '../../components/states.js';
import { DueText, HealthText, StatusBadge } from './FindingParts.js';
import { ageOf, findingPath } from './finding-view.js';

const SHOWN = 20;

export function ProjectFindings({ code }: { code: string }) {
  const id = useId();
  const read = useLive(`project-findings:${code}`, () =>
    unwrap(api.GET('/v1/findings', { params: { query: { project: code, status: 'live', limit: SHOWN } } })),
  );
  const all = `/findings?project=${encodeURIComponent(code)}`;
  return (
    <section className="card findings" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Findings</h2>
      <Loaded read={read} what="the findings">
        {(page) => {
          const now = Date.now();
          if (page.items.length === 0) {
            return (
              <Empty title={`No live finding for ${code}`}>
                The monitors that looked at it found nothing open. <Link to={all}>Its past findings</Link>.
              </Empty>
            );
          }
          return (
            <>
              <ul className="findings-project-list">
                {page.items.map((f) => (
                  <li key={f.id}>
                    <Link to={findingPath(f.id)}>{f.message}</Link>
                    <span className="findings-project-meta">
                      <StatusBadge status={f.status} /> <HealthText health={f.health} />{' '}
                      <DueText finding={f} now={now} /> · monitor {f.monitor} · {ageOf(f.openedAt, now)}
                    </span>
                  </li>
                ))}
              </ul>
              <p>
                <Link to={all}>
                  All findings of {code}
                  {page.nextCursor === null ? '' : ' (there are more live ones)'}
                </Link>
              </p>
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
