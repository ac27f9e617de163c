import { expect, test } from 'vitest';
import { activityDetailsText, activityDetailValue } from './format';

const denver = { timeZone: 'America/Denver', timeFormat: '12h' } as const;

test('a moved booking reads as two time ranges on the company clock, not as raw instants', () => {
  const details = {
    from: { start: '2026-11-30T17:00:00.000Z', end: '2026-11-30T18:00:00.000Z' },
    to: { start: '2026-11-30T18:30:00.000Z', end: '2026-11-30T19:30:00.000Z' },
  };
  expect(activityDetailsText(details, (value) => activityDetailValue(value, denver))).toBe(
    'From: Nov 30, 10:00 AM–11:00 AM · To: Nov 30, 11:30 AM–12:30 PM',
  );
});

test('single instants use the clock; other values are left to the plain formatter', () => {
  expect(activityDetailValue('2026-11-30T17:00:00.000Z', { timeZone: 'Europe/Berlin', timeFormat: '24h' })).toBe(
    'Nov 30, 18:00',
  );
  expect(activityDetailValue(4, denver)).toBe('4');
});
