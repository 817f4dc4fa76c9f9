// The frame around every signed-in screen: a skip link, the header with the screens this person's
// roles open (nobody is shown a screen the API would refuse them), the notifications bell, who is
// signed in with their notification settings, sign-out, and the main landmark the screen renders
// into.
import type { ReactNode } from 'react';
import { NotificationBell } from '../components/NotificationBell.js';
import { Link, useLocation } from './router.js';
import { hasRole, type Role, type SignedIn, useSession } from './session.js';

interface NavItem {
  to: string;
  label: string;
  roles: Role[];
  /** Other paths that belong to the same screen (a task opens in the inbox). */
  also?: string;
}

const isCurrent = (item: NavItem, path: string): boolean =>
  path.startsWith(item.to) || (item.also !== undefined && path.startsWith(item.also));

export const NAV: NavItem[] = [
  { to: '/inbox', label: 'Inbox', roles: ['approver', 'admin'], also: '/tasks/' },
  { to: '/start', label: 'Start a request', roles: ['requester', 'admin'] },
  { to: '/requests', label: 'My requests', roles: ['requester', 'admin'] },
  { to: '/audit', label: 'Audit', roles: ['auditor', 'pmo', 'admin'] },
  { to: '/policies', label: 'Policies', roles: ['pmo', 'admin', 'auditor'] },
  { to: '/people', label: 'People', roles: ['pmo', 'admin', 'author'] },
  // After People, so that nobody's first screen changes; authors write policies here.
  { to: '/studio', label: 'Studio', roles: ['author', 'pmo', 'admin'] },
  // Everyone reads the portfolio. After a screen every role has, so it is nobody's first screen.
  {
    to: '/portfolio',
    label: 'Portfolio',
    roles: ['author', 'requester', 'approver', 'auditor', 'pmo', 'admin'],
  },
  // After Portfolio: nobody's first screen changes.
  { to: '/dashboards', label: 'Dashboards', roles: ['pmo', 'admin', 'auditor', 'author'] },
  { to: '/deliveries', label: 'Deliveries', roles: ['admin'] },
  // Everyone reads findings (they are about projects); after screens every role has.
  {
    to: '/findings',
    label: 'Findings',
    roles: ['author', 'requester', 'approver', 'auditor', 'pmo', 'admin'],
  },
  // Everyone reads when the monitors run (admins operate them); after screens every role has.
  {
    to: '/monitors',
    label: 'Monitors',
    roles: ['author', 'requester', 'approver', 'auditor', 'pmo', 'admin'],
  },
  // Everyone: "My qualifications" is on it. Last, so it is nobody's first screen.
  {
    to: '/qualifications',
    label: 'Qualifications',
    roles: ['author', 'requester', 'approver', 'auditor', 'pmo', 'admin'],
  },
];

/** Where a person lands after sign-in: the first screen their roles open. */
export function homeOf(who: SignedIn): string {
  return NAV.find((item) => hasRole(who, ...item.roles))?.to ?? '/requests';
}

const shortName = (person: string): string => person.split('@')[0] ?? person;

export function Shell({ who, children }: { who: SignedIn; children: ReactNode }) {
  const { signOut } = useSession();
  const { path } = useLocation();
  const items = NAV.filter((item) => hasRole(who, ...item.roles));
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to={homeOf(who)} className="brand" aria-label="Charter, home">
          Charter
        </Link>
        <nav aria-label="Screens" className="nav">
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={isCurrent(item, path) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <NotificationBell />
          <span title={`${who.person} (${who.roles.join(', ')})`}>
            <span className="who-name">{shortName(who.person)}</span>
            <span className="who-roles">{who.roles.join(', ')}</span>
          </span>
          <Link
            to="/settings/notifications"
            className="who-settings"
            title="Notification settings"
            aria-current={path.startsWith('/settings') ? 'page' : undefined}
          >
            Settings
          </Link>
          <button type="button" className="button button-quiet" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
