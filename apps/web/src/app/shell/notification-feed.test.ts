import { expect, test } from 'vitest';
import { bellLabel, feedOf, notificationHref, unreadBadge, unreadCount } from './notification-feed';

const ME = 'u-me';
const row = (
  id: string,
  createdAt: string,
  fields: Partial<{ userId: string; readAt: string | null; jobId: string | null }> = {},
) => ({
  id,
  userId: ME,
  title: `T ${id}`,
  body: '',
  jobId: null,
  readAt: null,
  createdAt,
  ...fields,
});

test('the feed is the person’s own notifications, newest first, ties broken by id', () => {
  const rows = [
    row('a', '2026-11-21T08:00:00.000Z'),
    row('b', '2026-11-21T10:00:00.000Z'),
    row('c', '2026-11-21T10:00:00.000Z'),
    row('d', '2026-11-21T11:00:00.000Z', { userId: 'someone-else' }),
  ];
  expect(feedOf(rows, ME).map((n) => n.id)).toEqual(['c', 'b', 'a']);
});

test('unread counts only the person’s rows without a read time', () => {
  const rows = [
    row('a', '2026-11-21T08:00:00.000Z'),
    row('b', '2026-11-21T09:00:00.000Z', { readAt: '2026-11-21T09:05:00.000Z' }),
    row('c', '2026-11-21T10:00:00.000Z'),
    row('d', '2026-11-21T11:00:00.000Z', { userId: 'someone-else' }),
  ];
  expect(unreadCount(rows, ME)).toBe(2);
  expect(unreadCount([], ME)).toBe(0);
});

test('the badge hides at zero and caps at 99+, and the bell says the count in words', () => {
  expect(unreadBadge(0)).toBe('');
  expect(unreadBadge(7)).toBe('7');
  expect(unreadBadge(140)).toBe('99+');
  expect(bellLabel(0)).toBe('Notifications');
  expect(bellLabel(3)).toBe('Notifications, 3 unread');
});

test('a notification about a job opens the job on either app; one without a job opens nothing', () => {
  expect(notificationHref({ jobId: 'job 1' })).toBe('#/jobs/job%201');
  expect(notificationHref({ jobId: null })).toBeNull();
});
