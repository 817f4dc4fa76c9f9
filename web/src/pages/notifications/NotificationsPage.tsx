// /notifications: what Charter told the signed-in person, newest first (GET /v1/notifications), a
// page at a time with "Load more", live while the tab is open. "Unread only" is in the URL
// (?unread=1), so it survives a reload and the back button. Opening one marks it read and goes to
// its page; "Mark all as read" clears the bell. At the foot, the way to the settings that decide
// what also comes by mail and chat.
import { useId, useState } from 'react';
import { type ApiFailure, api, asFailure, unwrap } from '../../api-client/client.js';
import { usePagedList } from '../../app/paged-list.js';
import { Link, navigate, useLocation } from '../../app/router.js';
import { LoadMore } from '../../components/LoadMore.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { markRead, type Notification, NotificationItem } from './NotificationItem.js';

const PAGE_SIZE = 20;

export function NotificationsPage() {
  const id = useId();
  const { query } = useLocation();
  const unreadOnly = query.get('unread') === '1';
  const list = usePagedList<Notification>(
    `notifications:${unreadOnly ? 'unread' : 'all'}`,
    (cursor) =>
      unwrap(
        api.GET('/v1/notifications', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(unreadOnly ? { unread: 'true' } : {}),
              ...(cursor === null ? {} : { cursor }),
            },
          },
        }),
      ),
    (n) => n.id,
  );
  const { first, items } = list;
  // Marked read here since the rows were read: pages after the first are not read again.
  const [readHere, setReadHere] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const isUnread = (n: Notification): boolean => n.readAt === null && !readHere.has(n.id);
  const unreadShown = items.filter(isUnread).length;
  const now = Date.now();

  const markedHere = (ids: readonly string[]): void => setReadHere((s) => new Set([...s, ...ids]));

  const markAll = async (): Promise<void> => {
    setBusy(true);
    setStatus(null);
    setFailure(null);
    const shown = items.map((n) => n.id);
    try {
      const marked = await markRead({ all: true });
      markedHere(shown);
      setStatus(marked === 1 ? '1 notification marked as read.' : `${marked} notifications marked as read.`);
      await first.reload();
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };

  const filter = (only: boolean): void =>
    navigate(only ? '/notifications?unread=1' : '/notifications', { replace: true });

  let body;
  if (first.data === null) {
    body = first.error ? (
      <ErrorNotice
        failure={first.error}
        title="Could not load your notifications"
        onRetry={() => void first.reload()}
      />
    ) : (
      <Loading what="your notifications" />
    );
  } else if (items.length === 0) {
    body = unreadOnly ? (
      <Empty title="Nothing unread">
        <p>
          You have read everything.{' '}
          <button type="button" className="button" onClick={() => filter(false)}>
            Show all notifications
          </button>
        </p>
      </Empty>
    ) : (
      <Empty title="Nothing yet.">
        You will be told here when a task waits for you, a request of yours is decided or ends, a check needs
        a waiver, or someone mentions you.
      </Empty>
    );
  } else {
    body = (
      <ul className="note-list" aria-labelledby={`${id}-title`}>
        {items.map((n) => (
          <NotificationItem
            key={n.id}
            item={n}
            unread={isUnread(n)}
            now={now}
            onOpened={(opened) => markedHere([opened])}
          />
        ))}
      </ul>
    );
  }

  return (
    <section className="page notifications" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Notifications</h1>
      <p className="lead">
        What Charter told you, newest first. Open one to go to the task or request it is about.
      </p>
      <div className="note-tools">
        <div className="check-line">
          <input
            type="checkbox"
            id={`${id}-unread`}
            checked={unreadOnly}
            onChange={(e) => filter(e.target.checked)}
          />
          <label htmlFor={`${id}-unread`}>Unread only</label>
        </div>
        <button
          type="button"
          className="button"
          disabled={busy || first.data === null}
          onClick={() => void markAll()}
        >
          {busy ? 'Marking…' : 'Mark all as read'}
        </button>
        <p className="note-count" role="status" aria-live="polite">
          {first.data === null
            ? ''
            : `Showing ${items.length} ${items.length === 1 ? 'notification' : 'notifications'}, ${unreadShown} unread${list.hasMore ? '; there are more' : ''}`}
        </p>
      </div>
      <div aria-live="polite">{status ? <p className="notice notice-ok">{status}</p> : null}</div>
      {failure ? <ErrorNotice failure={failure} title="Could not mark the notifications read" /> : null}
      {body}
      <LoadMore list={list} what="notifications" />
      <p className="note-settings">
        <Link to="/settings/notifications">Choose what also comes by e-mail and chat</Link>, and when.
      </p>
    </section>
  );
}
