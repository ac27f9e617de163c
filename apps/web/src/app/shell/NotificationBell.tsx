import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { Icon } from './Icon';
import { bellLabel, unreadBadge } from './notification-feed';

/** The feed's address on both apps (each routes `#/notifications` to its feed screen). */
export const NOTIFICATIONS_HREF = '#/notifications';

/**
 * The header's bell: a link to the person's notification feed with the
 * number of unread ones, live from the local copy (so it counts offline too).
 */
export function NotificationBell() {
  const { db } = useFieldsync();
  const userId = useSyncState().session?.user.id;
  const unread = useLiveQuery(
    () =>
      userId
        ? db.notifications
            .where('userId')
            .equals(userId)
            .filter((row) => row.readAt === null)
            .count()
        : 0,
    [db, userId],
    0,
  );
  const badge = unreadBadge(unread);
  return (
    <a className="fs-bell" href={NOTIFICATIONS_HREF} aria-label={bellLabel(unread)} data-testid="notification-bell">
      <Icon name="bell" size={22} />
      {badge ? (
        <span className="fs-bell__count" data-testid="notification-unread-count" aria-hidden="true">
          {badge}
        </span>
      ) : null}
    </a>
  );
}
