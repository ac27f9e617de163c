import { useRef, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { useScreenFocus } from '../router';
import { formatDateTime } from './format';
import { feedOf, notificationHref } from './notification-feed';
import { useAction } from './use-action';
import { useOrganization } from './use-organization';

/**
 * The signed-in person's notifications, newest first. A tap marks one read
 * (a change like any other: it works offline and syncs later) and opens its
 * job. Used by both apps; `device` picks the words of a failure.
 */
export function NotificationFeed({ device }: { device: 'phone' | 'computer' }) {
  const client = useFieldsync();
  const { db } = client;
  const clock = useOrganization();
  const userId = useSyncState().session?.user.id;
  const heading = useRef<HTMLHeadingElement>(null);
  useScreenFocus('notifications', heading);
  const rows = useLiveQuery(
    () => (userId ? db.notifications.where('userId').equals(userId).toArray() : []),
    [db, userId],
    undefined,
  );
  const action = useAction(device);
  const [marking, setMarking] = useState(false);
  const feed = rows && userId ? feedOf(rows, userId) : undefined;
  const unread = feed?.filter((row) => row.readAt === null) ?? [];

  const open = async (notification: LocalRow<'notifications'>) => {
    if (notification.readAt === null) {
      await action.run(() => client.mutate('notification.markRead', { id: notification.id }));
    }
    const href = notificationHref(notification);
    if (href) window.location.hash = href;
  };

  const markAllRead = async () => {
    setMarking(true);
    try {
      for (const notification of unread) {
        if (!(await action.run(() => client.mutate('notification.markRead', { id: notification.id })))) break;
      }
    } finally {
      setMarking(false);
    }
  };

  return (
    <section className="fs-feed" aria-labelledby="fs-feed-title">
      <div className="fs-feed__head">
        <h1 id="fs-feed-title" ref={heading} tabIndex={-1}>
          Notifications
        </h1>
        {unread.length > 0 ? (
          <button
            type="button"
            className="fs-button fs-button--secondary fs-button--small"
            onClick={() => void markAllRead()}
            disabled={marking}
            data-testid="notifications-mark-all-read"
          >
            Mark all read
          </button>
        ) : null}
      </div>
      {action.error ? (
        <p className="fs-error" role="alert">
          {action.error}
        </p>
      ) : null}
      {feed === undefined ? (
        <p className="fs-muted" aria-busy="true">
          Loading notifications…
        </p>
      ) : feed.length === 0 ? (
        <p className="fs-feed__empty" data-testid="notifications-empty">
          No notifications yet. When the office sets up alerts, they show up here.
        </p>
      ) : (
        <ul className="fs-feed__list" aria-label="Notifications, newest first">
          {feed.map((notification) => {
            const isUnread = notification.readAt === null;
            return (
              <li
                key={notification.id}
                className={`fs-feed__item${isUnread ? ' fs-feed__item--unread' : ''}`}
                data-testid="notification-item"
                data-read={isUnread ? 'false' : 'true'}
              >
                <button type="button" className="fs-feed__button" onClick={() => void open(notification)}>
                  <span className="fs-feed__title">
                    {isUnread ? (
                      <>
                        <span className="fs-feed__dot" aria-hidden="true" />
                        <span className="fs-sr-only">Unread: </span>
                      </>
                    ) : null}
                    {notification.title}
                  </span>
                  {notification.body ? <span className="fs-feed__body">{notification.body}</span> : null}
                  <span className="fs-feed__meta">
                    {formatDateTime(notification.createdAt, clock)}
                    {notification.jobId ? ' · Open the job' : ''}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
