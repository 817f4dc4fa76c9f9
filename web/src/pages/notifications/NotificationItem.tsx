// One notification in the list: "New" (a word, not only bold) while unread, the subject as a link to
// the page it is about (a task, a request), what happened, why, when it is due, and when it
// happened. Opening it marks it read (POST /v1/notifications/read) and then goes there; the link
// never acts by itself, the person decides on the page it opens. A link opened in a new tab is
// marked read too, without waiting.
import type { MouseEvent } from 'react';
import { api, type paths, unwrap } from '../../api-client/client.js';
import { navigate } from '../../app/router.js';
import { notificationsChanged } from '../../components/NotificationBell.js';
import { agoText, instantText } from './when.js';

export type Notification =
  paths['/v1/notifications']['get']['responses']['200']['content']['application/json']['items'][number];

/** Marks the notifications read; the bell asks for its count again. */
export async function markRead(body: { ids: string[] } | { all: true }): Promise<number> {
  const answer = await unwrap(api.POST('/v1/notifications/read', { body }));
  notificationsChanged();
  return answer.marked;
}

export function NotificationItem({
  item,
  unread,
  now,
  onOpened,
}: {
  item: Notification;
  /** Unread as far as this page knows (the answer, or marked here since). */
  unread: boolean;
  now: number;
  onOpened: (id: string) => void;
}) {
  const open = async (event: MouseEvent<HTMLAnchorElement>): Promise<void> => {
    const plain = event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
    if (plain) event.preventDefault();
    if (!unread) {
      if (plain) navigate(item.path);
      return;
    }
    try {
      await markRead({ ids: [item.id] });
      onOpened(item.id);
    } catch {
      // Not marked (the server is away): the page it is about matters more; it stays unread.
    }
    if (plain) navigate(item.path);
  };
  return (
    <li className={`note${unread ? ' note-unread' : ''}`}>
      <div className="note-head">
        {unread ? <span className="badge badge-current note-new">New</span> : null}
        <h2 className="note-subject">
          <a href={item.path} onClick={(e) => void open(e)}>
            {item.subject}
          </a>
        </h2>
      </div>
      <p className="note-headline">{item.headline}</p>
      {item.why ? (
        <p className="note-why">
          <span className="note-label">Why:</span> {item.why}
        </p>
      ) : null}
      {item.due ? (
        <p className="note-due">
          <span className="note-label">Due:</span> {item.due}
        </p>
      ) : null}
      <p className="note-when">
        <time dateTime={item.at}>{agoText(item.at, now)}</time>
        <span aria-hidden="true"> · </span>
        <span className="visually-hidden">, </span>
        {instantText(item.at)}
      </p>
    </li>
  );
}
