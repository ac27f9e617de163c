import { expect, test } from 'vitest';
import { throttleOutcome } from './throttle';

const NOW = '2026-11-21T10:00:00.000Z';

test('no earlier delivery: send', () => {
  expect(throttleOutcome({ lastDeliveredAt: null, now: NOW, throttleMinutes: 60 })).toBe('send');
});

test('within the window: throttled; at its end and after: send', () => {
  expect(throttleOutcome({ lastDeliveredAt: '2026-11-21T09:00:00.001Z', now: NOW, throttleMinutes: 60 })).toBe(
    'throttled',
  );
  expect(throttleOutcome({ lastDeliveredAt: '2026-11-21T09:00:00.000Z', now: NOW, throttleMinutes: 60 })).toBe('send');
  expect(throttleOutcome({ lastDeliveredAt: '2026-11-21T08:00:00.000Z', now: NOW, throttleMinutes: 60 })).toBe('send');
  expect(throttleOutcome({ lastDeliveredAt: NOW, now: NOW, throttleMinutes: 1 })).toBe('throttled');
});

test('zero minutes never throttles', () => {
  expect(throttleOutcome({ lastDeliveredAt: NOW, now: NOW, throttleMinutes: 0 })).toBe('send');
});

test('dates and offsets are read as instants', () => {
  expect(
    throttleOutcome({
      lastDeliveredAt: new Date('2026-11-21T10:30:00+01:00'),
      now: new Date(NOW),
      throttleMinutes: 60,
    }),
  ).toBe('throttled');
});

test('a delivery stamped after now (clock skew) counts as just sent', () => {
  expect(throttleOutcome({ lastDeliveredAt: '2026-11-21T10:05:00Z', now: NOW, throttleMinutes: 60 })).toBe('throttled');
});

test('unreadable input never holds a match back', () => {
  expect(throttleOutcome({ lastDeliveredAt: 'yesterday', now: NOW, throttleMinutes: 60 })).toBe('send');
  expect(throttleOutcome({ lastDeliveredAt: NOW, now: 'soon', throttleMinutes: 60 })).toBe('send');
  expect(throttleOutcome({ lastDeliveredAt: NOW, now: NOW, throttleMinutes: -5 })).toBe('send');
  expect(throttleOutcome({ lastDeliveredAt: NOW, now: NOW, throttleMinutes: Number.NaN })).toBe('send');
});
