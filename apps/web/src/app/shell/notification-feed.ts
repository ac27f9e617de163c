/**
 * A person's notification feed, as the bell and the feed screen read it:
 * their own rows, newest first, and how many are unread. Pure; the rows
 * come from the local `notifications` table (a pull only brings a person
 * their own, but a device that changed hands may still hold another's
 * until the next pull, so rows are filtered by user anyway).
 */
export interface FeedNotification {
  id: string;
  userId: string;
  title: string;
  body: string;
  jobId: string | null;
  readAt: string | null;
  createdAt: string;
}

/** The person's notifications, newest first (ties by id, so the order never flickers). */
export function feedOf<T extends FeedNotification>(rows: readonly T[], userId: string): T[] {
  return rows
    .filter((row) => row.userId === userId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

/** How many of the person's notifications are unread. */
export function unreadCount(rows: readonly FeedNotification[], userId: string): number {
  return rows.reduce((count, row) => count + (row.userId === userId && row.readAt === null ? 1 : 0), 0);
}

/** What the bell shows: nothing at 0, the number up to 99, then "99+". */
export function unreadBadge(count: number): string {
  if (count <= 0) return '';
  return count > 99 ? '99+' : String(count);
}

/** The bell's accessible name, e.g. "Notifications, 3 unread". */
export function bellLabel(count: number): string {
  return count > 0 ? `Notifications, ${count} unread` : 'Notifications';
}

/** Where a notification's tap goes on either app: both route a job at `#/jobs/<id>`. */
export function notificationHref(notification: Pick<FeedNotification, 'jobId'>): string | null {
  return notification.jobId ? `#/jobs/${encodeURIComponent(notification.jobId)}` : null;
}
