// The report under the list (GET /v1/reports/findings): live findings per project by how long ago
// they were opened (under 7 days, 7 to 30, over 30) and by monitor, and the mean time from a
// finding's opening to its end (resolved, waived, or closed by a passing run). A table, so a
// screen reader reads each number with its project and column; it stacks into labelled rows on a
// phone like the other tables.
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Link } from '../../app/router.js';
import { Empty, Loaded } from '../../components/states.js';
import type { FindingsReport as Report } from './finding-view.js';

/** Hours as people read a duration: "36 h", "4.5 days". */
function durationText(hours: number): string {
  if (hours < 48) return `${hours} h`;
  return `${Math.round((hours / 24) * 10) / 10} days`;
}

export function FindingsReport() {
  // Aggregated over every finding: read once a minute, not every few seconds.
  const read = useLive('findings-report', () => unwrap(api.GET('/v1/reports/findings')), {
    intervalMs: 60_000,
  });
  return (
    <section className="card findings-report" aria-labelledby="findings-report-title">
      <h2 id="findings-report-title">Open findings by project and age</h2>
      <Loaded read={read} what="the report">
        {(report) => <ReportBody report={report} />}
      </Loaded>
    </section>
  );
}

function ReportBody({ report }: { report: Report }) {
  const { totals, timeToResolve: ttr } = report;
  return (
    <>
      <p className="findings-mttr">
        {ttr.meanHours === null
          ? 'No finding has ended yet, so there is no mean time to resolve.'
          : `Mean time to resolve: ${durationText(ttr.meanHours)}, over ${ttr.over} ended ${ttr.over === 1 ? 'finding' : 'findings'} (resolved, waived or closed by a passing run).`}
      </p>
      {report.projects.length === 0 ? (
        <Empty title="No open findings">Every project passes the monitors that looked at it.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="data stack-table findings-report-table">
            <caption className="visually-hidden">
              Open findings by project and by how long ago they were opened
            </caption>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Open</th>
                <th scope="col">Under 7 days</th>
                <th scope="col">7 to 30 days</th>
                <th scope="col">Over 30 days</th>
                <th scope="col">By monitor</th>
              </tr>
            </thead>
            <tbody>
              {report.projects.map((p) => (
                <tr key={p.project}>
                  <th scope="row" data-label="Project">
                    <Link
                      to={`/findings?status=live&project=${encodeURIComponent(p.project)}`}
                      aria-label={`${p.project}: its live findings`}
                    >
                      {p.project}
                    </Link>
                  </th>
                  <td data-label="Open">{p.open}</td>
                  <td data-label="Under 7 days">{p.byAge.under7}</td>
                  <td data-label="7 to 30 days">{p.byAge.from7to30}</td>
                  <td data-label="Over 30 days">{p.byAge.over30}</td>
                  <td data-label="By monitor">
                    {p.byMonitor.map((m) => `${m.monitor} (${m.open})`).join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" data-label="Project">
                  All projects
                </th>
                <td data-label="Open">{totals.open}</td>
                <td data-label="Under 7 days">{totals.byAge.under7}</td>
                <td data-label="7 to 30 days">{totals.byAge.from7to30}</td>
                <td data-label="Over 30 days">{totals.byAge.over30}</td>
                <td data-label="By monitor" />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </>
  );
}
