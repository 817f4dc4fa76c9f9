// The PMO dashboards (issue 18): cycle time, SLA breaches, compliance, instances per project,
// approver load, waivers ending and people × weeks, each a card with its freshness, chart, table
// and CSV (ChartCard.tsx). The filter lives in the URL; each figure reads only the names its route
// accepts (filter.ts), and every figure takes the project. Someone whose roles the dashboards are
// not for (the menu's rule, NAV, which is the API's) gets one sentence saying so, not ten 403s.
import type { FieldProblem } from '../../api-client/failure.js';
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Link, navigate, useLocation } from '../../app/router.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { homeOf, NAV } from '../../app/shell.js';
import { Empty } from '../../components/states.js';
import { ChartCard } from './ChartCard.js';
import { DashboardsFilter } from './DashboardsFilter.js';
import { currentQuery, filterOf, queryOf, weeklyQuery } from './filter.js';
import {
  approversNote,
  breachApproverFigure,
  breachStepFigure,
  breachTrendFigure,
  cycleFigure,
  cycleTrendFigure,
} from './figures-ledger.js';
import { complianceFigure, instancesFigure, loadFigure, waiversFigure } from './figures-outcomes.js';
import { HeatmapCard } from './Heatmap.js';

const FOLD_HELP = "Figures appear after the ledger's next fold, every 10 minutes.";

/** Each problem once (several routes refuse the same filter value with the same words). */
const distinct = (problems: readonly FieldProblem[]): FieldProblem[] => [
  ...new Map(problems.map((p) => [`${p.path}\n${p.message}`, p])).values(),
];

/** `pmo, admin, auditor or author`. */
const orList = (items: readonly string[]): string =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;

export function DashboardsPage() {
  const who = useSignedIn();
  const roles = NAV.find((item) => item.to === '/dashboards')?.roles ?? [];
  if (!hasRole(who, ...roles)) {
    return (
      <section className="page dash-page" aria-labelledby="dash-title">
        <h1 id="dash-title">Dashboards</h1>
        <Empty title="The dashboards are not for your role">
          <p>
            They are for people with the {orList(roles)} role; you are signed in as {orList(who.roles)}. An
            admin can give you one of those roles if you need the figures.
          </p>
          <p>
            <Link to={homeOf(who)}>Go to your first screen</Link>
          </p>
        </Empty>
      </section>
    );
  }
  return <DashboardFigures />;
}

function DashboardFigures() {
  const { query } = useLocation();
  const filter = filterOf(query);
  const key = queryOf(filter);
  const weekly = { params: { query: weeklyQuery(filter) } };
  const cycle = useLive(`cycle?${key}`, () => unwrap(api.GET('/v1/dashboards/cycle-time', weekly)));
  const breaches = useLive(`sla?${key}`, () => unwrap(api.GET('/v1/dashboards/sla-breaches', weekly)));
  const checks = useLive(`checks?${key}`, () => unwrap(api.GET('/v1/dashboards/compliance', weekly)));
  const started = useLive(`instances?${key}`, () => unwrap(api.GET('/v1/dashboards/instances', weekly)));
  const current = { params: { query: currentQuery(filter) } };
  const load = useLive(`load?${key}`, () => unwrap(api.GET('/v1/dashboards/approver-load', current)));
  const waivers = useLive(`waivers?${key}`, () =>
    unwrap(api.GET('/v1/dashboards/waivers-expiring', current)),
  );
  // The filter's problems, next to its fields (the cards then only point there): from every read,
  // since the routes take different names.
  const problems = distinct(
    [cycle, breaches, checks, started, load, waivers].flatMap((r) =>
      r.error?.status === 422 ? r.error.problems : [],
    ),
  );
  const apply = (next: typeof filter): void => {
    const q = queryOf(next);
    navigate(`/dashboards${q === '' ? '' : `?${q}`}`, { replace: true });
  };

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
        />
        <ChartCard
          title="Cycle time per week (p50)"
          file="cycle-time-weekly"
          read={cycle}
          figure={cycle.data ? cycleTrendFigure(cycle.data) : null}
          empty={FOLD_HELP}
        />
        <ChartCard
          title="SLA breaches by step"
          file="sla-breaches-by-step"
          read={breaches}
          figure={breaches.data ? breachStepFigure(breaches.data) : null}
          empty={FOLD_HELP}
        />
        <ChartCard
          title="SLA breaches by approver"
          file="sla-breaches-by-approver"
          read={breaches}
          figure={breaches.data ? breachApproverFigure(breaches.data) : null}
          empty={FOLD_HELP}
          note={breaches.data ? approversNote(breaches.data) : undefined}
        />
        <ChartCard
          title="SLA breaches per week"
          file="sla-breaches-weekly"
          read={breaches}
          figure={breaches.data ? breachTrendFigure(breaches.data) : null}
          empty={FOLD_HELP}
        />
        <ChartCard
          title="Compliance per policy"
          file="compliance"
          read={checks}
          figure={checks.data ? complianceFigure(checks.data) : null}
          empty={FOLD_HELP}
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
