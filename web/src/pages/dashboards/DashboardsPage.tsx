// The PMO dashboards (issue 18): cycle time, SLA breaches, compliance, instances per project,
// approver load, waivers ending and people × weeks, each a card with its freshness, chart, table
// and CSV (ChartCard.tsx). The filter lives in the URL; each figure reads only the names its route
// accepts (filter.ts). What a role sees is what the API answers it: a 403 shows on the card.
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { navigate, useLocation } from '../../app/router.js';
import { ChartCard } from './ChartCard.js';
import { DashboardsFilter } from './DashboardsFilter.js';
import { currentQuery, filterOf, instancesQuery, queryOf, weeklyQuery } from './filter.js';
import {
  breachApproverFigure,
  breachStepFigure,
  breachTrendFigure,
  cycleFigure,
  cycleTrendFigure,
} from './figures-ledger.js';
import { complianceFigure, instancesFigure, loadFigure, waiversFigure } from './figures-outcomes.js';
import { HeatmapCard } from './Heatmap.js';

const FOLD_HELP = "Figures appear after the ledger's next fold, every 10 minutes.";

export function DashboardsPage() {
  const { query } = useLocation();
  const filter = filterOf(query);
  const key = queryOf(filter);
  const weekly = { params: { query: weeklyQuery(filter) } };
  const cycle = useLive(`cycle?${key}`, () => unwrap(api.GET('/v1/dashboards/cycle-time', weekly)));
  const breaches = useLive(`sla?${key}`, () => unwrap(api.GET('/v1/dashboards/sla-breaches', weekly)));
  const checks = useLive(`checks?${key}`, () => unwrap(api.GET('/v1/dashboards/compliance', weekly)));
  const started = useLive(`instances?${key}`, () =>
    unwrap(api.GET('/v1/dashboards/instances', { params: { query: instancesQuery(filter) } })),
  );
  const current = { params: { query: currentQuery(filter) } };
  const load = useLive(`load?${key}`, () => unwrap(api.GET('/v1/dashboards/approver-load', current)));
  const waivers = useLive(`waivers?${key}`, () =>
    unwrap(api.GET('/v1/dashboards/waivers-expiring', current)),
  );
  // The filter's problems, next to its fields: the instances route takes every name.
  const problems = started.error?.problems ?? cycle.error?.problems ?? [];
  const apply = (next: typeof filter): void => {
    const q = queryOf(next);
    navigate(`/dashboards${q === '' ? '' : `?${q}`}`, { replace: true });
  };
  const notByProject =
    filter.project === undefined ? undefined : 'Not kept per project: this shows every project.';

  return (
    <section className="page dash-page" aria-labelledby="dash-title">
      <h1 id="dash-title">Dashboards</h1>
      <DashboardsFilter filter={filter} problems={problems} onApply={apply} />
      <div className="dash-grid">
        <ChartCard
          title="Cycle time per step"
          file="cycle-time"
          read={cycle}
          figure={cycle.data ? cycleFigure(cycle.data) : null}
          empty={FOLD_HELP}
          note={notByProject}
        />
        <ChartCard
          title="Cycle time per week (p50)"
          file="cycle-time-weekly"
          read={cycle}
          figure={cycle.data ? cycleTrendFigure(cycle.data) : null}
          empty={FOLD_HELP}
          note={notByProject}
        />
        <ChartCard
          title="SLA breaches by step"
          file="sla-breaches-by-step"
          read={breaches}
          figure={breaches.data ? breachStepFigure(breaches.data) : null}
          empty={FOLD_HELP}
          note={notByProject}
        />
        <ChartCard
          title="SLA breaches by approver"
          file="sla-breaches-by-approver"
          read={breaches}
          figure={breaches.data ? breachApproverFigure(breaches.data) : null}
          empty={FOLD_HELP}
          note={notByProject}
        />
        <ChartCard
          title="SLA breaches per week"
          file="sla-breaches-weekly"
          read={breaches}
          figure={breaches.data ? breachTrendFigure(breaches.data) : null}
          empty={FOLD_HELP}
          note={notByProject}
        />
        <ChartCard
          title="Compliance per policy"
          file="compliance"
          read={checks}
          figure={checks.data ? complianceFigure(checks.data) : null}
          empty={FOLD_HELP}
          note={notByProject}
        />
        <ChartCard
          title="Instances per project by outcome"
          file="instances"
          read={started}
          figure={started.data ? instancesFigure(started.data) : null}
          empty={FOLD_HELP}
        />
        <ChartCard
          title="Approver load: open tasks by age"
          file="approver-load"
          read={load}
          figure={load.data ? loadFigure(load.data) : null}
          empty="Nobody has an open task."
        />
        <ChartCard
          title="Waivers ending in the next 30 days"
          file="waivers-expiring"
          read={waivers}
          figure={waivers.data ? waiversFigure(waivers.data) : null}
          empty="No waiver ends in the next 30 days."
        />
        <HeatmapCard filter={filter} queryKey={key} />
      </div>
    </section>
  );
}
