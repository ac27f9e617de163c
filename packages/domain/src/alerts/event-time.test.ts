import { describe, expect, it } from 'vitest';
import { formatAlertTime } from './event-time';

describe('formatAlertTime', () => {
  it('writes the instant on the company clock, 24-hour', () => {
    expect(formatAlertTime('2026-11-24T14:00:00.000Z', 'America/New_York', '24h')).toBe('Tue 24 Nov, 09:00');
  });
  it('writes a 12-hour company its way', () => {
    expect(formatAlertTime('2026-11-24T19:30:00.000Z', 'America/New_York', '12h')).toBe('Tue Nov 24, 2:30 PM');
  });
  it('leaves a gap for a time it cannot read or a zone it does not know', () => {
    expect(formatAlertTime('not a time', 'UTC', '24h')).toBeUndefined();
    expect(formatAlertTime('2026-11-24T14:00:00.000Z', 'Mars/Olympus', '24h')).toBeUndefined();
  });
});
