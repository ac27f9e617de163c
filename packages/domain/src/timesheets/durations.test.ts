import { expect, test } from 'vitest';
import { formatMinutes, formatStopwatch } from './durations';

test('minutes read as hours and minutes', () => {
  expect([0, 5, 45, 60, 65, 450, 1500].map(formatMinutes)).toEqual([
    '0m',
    '5m',
    '45m',
    '1h',
    '1h 05m',
    '7h 30m',
    '25h',
  ]);
});

test('the running clock shows h:mm:ss and never runs backwards past zero', () => {
  expect(formatStopwatch(249_000)).toBe('0:04:09');
  expect(formatStopwatch(41_400_999)).toBe('11:30:00');
  expect(formatStopwatch(-5_000)).toBe('0:00:00');
});
