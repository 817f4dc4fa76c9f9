// The bell in the header: a link to /notifications that shows how many notifications are unread
// (GET /v1/notifications/unread-count, polled like every live read, so an unchanged count costs a
// bodiless 304). The number is the badge's text and the link's name says it in words
// ("Notifications, 3 unread"), so nothing depends on colour. Screens that mark notifications read
// call `notificationsChanged()`, and the bell asks again at once instead of at the next poll.
import { useEffect } from 'react';
import { api, unwrap } from '../api-client/client.js';
import { useLive } from '../app/live.js';
import { Link, useLocation } from '../app/router.js';

const CHANGED = 'charter:notifications-changed';

/** The bell is on every screen: it asks less often than the screen it sits on. */
const BELL_INTERVAL_MS = 5_000;

/** Tells the bell that notifications were marked read here. */
export function notificationsChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/** "Notifications, 3 unread"; just "Notifications" while the count is unknown. */
export function bellLabel(unread: number | null): string {
  if (unread === null) return 'Notifications';
  return `Notifications, ${unread === 0 ? 'none' : unread} unread`;
}

export function NotificationBell() {
  const { path } = useLocation();
  const count = useLive('notifications:unread', () => unwrap(api.GET('/v1/notifications/unread-count')), {
    intervalMs: BELL_INTERVAL_MS,
  });
  const { reload } = count;
  useEffect(() => {
    const again = (): void => void reload();
    window.addEventListener(CHANGED, again);
    return () => window.removeEventListener(CHANGED, again);
  }, [reload]);

  const unread = count.data?.unread ?? null;
  const label = bellLabel(unread);
  return (
    <Link
      to="/notifications"
      className="bell"
      aria-label={label}
      title={label}
      aria-current={path === '/notifications' ? 'page' : undefined}
    >
      <svg
        className="bell-icon"
        viewBox="0 0 24 24"
        width="22"
        height="22"
        aria-hidden="true"
        focusable="false"
      >
        <path
          d="M12 3a6 6 0 0 0-6 6v3.6L4.3 16a1 1 0 0 0 .9 1.5h13.6a1 1 0 0 0 .9-1.5L18 12.6V9a6 6 0 0 0-6-6Zm0 18a2.5 2.5 0 0 0 2.4-2h-4.8A2.5 2.5 0 0 0 12 21Z"
          fill="currentColor"
        />
      </svg>
      {unread !== null && unread > 0 ? (
        <span className="bell-count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </Link>
  );
}
