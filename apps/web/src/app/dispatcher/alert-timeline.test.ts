import { expect, test } from 'vitest';
import { alertStatusText, groupAlertDeliveries, type TimelineDelivery } from './alert-timeline';

const delivery = (id: string, fields: Partial<TimelineDelivery>): TimelineDelivery => ({
  id,
  ruleId: 'r1',
  title: 'Job SF-1 is now On hold',
  channel: 'dashboard',
  status: 'sent',
  createdAt: '2026-11-21T09:00:00.000Z',
  ...fields,
});

test('one alert sent to three people on two channels shows once, newest alert first', () => {
  const alerts = groupAlertDeliveries([
    delivery('1', {}),
    delivery('2', {}),
    delivery('3', { channel: 'push', status: 'failed' }),
    delivery('4', { ruleId: 'r2', title: 'Urgent', createdAt: '2026-11-21T10:00:00.000Z', status: 'throttled' }),
    delivery('5', { createdAt: '2026-11-21T08:00:00.000Z' }),
  ]);
  expect(alerts.map((alert) => alert.key)).toEqual([
    'r2@2026-11-21T10:00:00.000Z',
    'r1@2026-11-21T09:00:00.000Z',
    'r1@2026-11-21T08:00:00.000Z',
  ]);
  expect(alerts[1]).toMatchObject({
    title: 'Job SF-1 is now On hold',
    channels: ['dashboard', 'push'],
    statusCounts: { sent: 2, failed: 1 },
    recipients: 3,
  });
});

test('statuses read as one word when all agree, otherwise counted', () => {
  expect(alertStatusText({ sent: 3 })).toBe('sent');
  expect(alertStatusText({ throttled: 1 })).toBe('held back (throttled)');
  expect(alertStatusText({ sent: 2, failed: 1 })).toBe('2 sent, 1 failed');
});
