// The console: the session decides between the sign-in screen and the signed-in frame; the path
// decides the screen. Screens beyond the inbox load on first use, so the inbox (what approvers open
// from a phone) downloads only its own code.
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { ErrorNotice, Loading } from '../components/states.js';
import { InboxPage } from '../pages/inbox/InboxPage.js';
import { SignInPage } from '../pages/sign-in/SignInPage.js';
import { match, navigate, useLocation } from './router.js';
import { SessionProvider, useSession } from './session.js';
import { homeOf, Shell } from './shell.js';

const StartPage = lazy(() => import('../pages/start/StartPage.js').then((m) => ({ default: m.StartPage })));
const InstancePage = lazy(() =>
  import('../pages/instance/InstancePage.js').then((m) => ({ default: m.InstancePage })),
);
const RequestsPage = lazy(() =>
  import('../pages/requests/RequestsPage.js').then((m) => ({ default: m.RequestsPage })),
);
const AuditPage = lazy(() => import('../pages/audit/AuditPage.js').then((m) => ({ default: m.AuditPage })));
const PeoplePage = lazy(() =>
  import('../pages/people/PeoplePage.js').then((m) => ({ default: m.PeoplePage })),
);
const NotificationsPage = lazy(() =>
  import('../pages/notifications/NotificationsPage.js').then((m) => ({ default: m.NotificationsPage })),
);
const SettingsPage = lazy(() =>
  import('../pages/settings/SettingsPage.js').then((m) => ({ default: m.SettingsPage })),
);
const PoliciesPage = lazy(() =>
  import('../pages/policies/PoliciesPage.js').then((m) => ({ default: m.PoliciesPage })),
);
const DeliveriesPage = lazy(() =>
  import('../pages/deliveries/DeliveriesPage.js').then((m) => ({ default: m.DeliveriesPage })),
);
const PortfolioPage = lazy(() =>
  import('../pages/portfolio/PortfolioPage.js').then((m) => ({ default: m.PortfolioPage })),
);
const FindingsPage = lazy(() =>
  import('../pages/findings/FindingsPage.js').then((m) => ({ default: m.FindingsPage })),
);
const MonitorsPage = lazy(() =>
  import('../pages/monitors/MonitorsPage.js').then((m) => ({ default: m.MonitorsPage })),
);
// The studio brings CodeMirror and the policy checker: its own chunk, loaded only by authors.
const StudioPage = lazy(() =>
  import('../pages/studio/StudioPage.js').then((m) => ({ default: m.StudioPage })),
);
// The dashboards bring ECharts: their own chunk, loaded only when the screen is opened.
const DashboardsPage = lazy(() =>
  import('../pages/dashboards/DashboardsPage.js').then((m) => ({ default: m.DashboardsPage })),
);
const QualificationsPage = lazy(() =>
  import('../pages/qualifications/QualificationsPage.js').then((m) => ({ default: m.QualificationsPage })),
);

export function App() {
  return (
    <SessionProvider>
      <Screens />
    </SessionProvider>
  );
}

function Screens() {
  const { who, error, retry } = useSession();
  const location = useLocation();
  useEffect(() => {
    if (who === null && location.path !== '/sign-in') {
      const back = `${location.path}${location.query.size > 0 ? `?${location.query.toString()}` : ''}`;
      navigate(`/sign-in${back === '/' ? '' : `?next=${encodeURIComponent(back)}`}`, { replace: true });
    }
    if (who && (location.path === '/' || location.path === '/sign-in')) {
      navigate(location.query.get('next') ?? homeOf(who), { replace: true });
    }
  }, [who, location]);

  if (error) return <ErrorNotice failure={error} title="Could not reach Charter" onRetry={retry} />;
  if (who === undefined) return <Loading what="your session" />;
  if (who === null) return <SignInPage />;
  return (
    <Shell who={who}>
      <Suspense fallback={<Loading what="the screen" />}>{screenFor(location.path)}</Suspense>
    </Shell>
  );
}

function screenFor(path: string): ReactNode {
  let params: Record<string, string> | null;
  if (path === '/inbox') return <InboxPage taskId={null} />;
  if ((params = match('/tasks/:id', path))) return <InboxPage taskId={params['id'] ?? null} />;
  if (path === '/start') return <StartPage choice={null} />;
  if ((params = match('/start/:policy/:version/:process', path))) {
    return (
      <StartPage
        choice={{
          policy: params['policy'] ?? '',
          version: Number(params['version']),
          process: params['process'] ?? '',
        }}
      />
    );
  }
  if ((params = match('/instances/:id', path))) return <InstancePage instanceId={params['id'] ?? ''} />;
  if (path === '/requests') return <RequestsPage />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/people') return <PeoplePage person={null} />;
  if ((params = match('/people/:id', path))) return <PeoplePage person={params['id'] ?? null} />;
  if (path === '/notifications') return <NotificationsPage />;
  if (path === '/settings/notifications') return <SettingsPage />;
  if (path === '/deliveries') return <DeliveriesPage />;
  if (path === '/portfolio' || path.startsWith('/portfolio/')) return <PortfolioPage path={path} />;
  if (path === '/qualifications') return <QualificationsPage id={null} />;
  if ((params = match('/qualifications/:id', path))) return <QualificationsPage id={params['id'] ?? null} />;
  if (path === '/policies') return <PoliciesPage />;
  if (path === '/findings') return <FindingsPage id={null} />;
  if ((params = match('/findings/:id', path))) return <FindingsPage id={params['id'] ?? null} />;
  if (path === '/monitors') return <MonitorsPage />;
  if (path === '/studio') return <StudioPage />;
  if (path === '/dashboards') return <DashboardsPage />;
  return <NotFound path={path} />;
}

function NotFound({ path }: { path: string }) {
  return (
    <section className="page">
      <h1>No such page</h1>
      <p>
        There is nothing at <code>{path}</code>. Pick a screen from the menu above.
      </p>
    </section>
  );
}
