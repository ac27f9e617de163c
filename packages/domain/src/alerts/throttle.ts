/** What to do with a match: deliver it, or record it as `throttled` and send nothing. */
export type ThrottleOutcome = 'send' | 'throttled';

/**
 * Whether a rule's match on an entity may be delivered. `lastDeliveredAt` is
 * when the last delivery (not a throttled one) for the same rule and entity
 * was created, or null for none. A match is throttled while less than
 * `throttleMinutes` have passed since then; at exactly `throttleMinutes` it
 * is sent again. `throttleMinutes` 0 never throttles.
 *
 * A `lastDeliveredAt` after `now` (another server's clock ahead of ours)
 * counts as just delivered: throttled. A time that cannot be read (or a
 * negative or non-numeric `throttleMinutes`) never holds a match back.
 */
export function throttleOutcome(input: {
  lastDeliveredAt: Date | string | null | undefined;
  now: Date | string;
  throttleMinutes: number;
}): ThrottleOutcome {
  const { lastDeliveredAt, now, throttleMinutes } = input;
  if (lastDeliveredAt === null || lastDeliveredAt === undefined) return 'send';
  if (typeof throttleMinutes !== 'number' || !(throttleMinutes > 0)) return 'send';
  const last = timeMs(lastDeliveredAt);
  const current = timeMs(now);
  if (last === undefined || current === undefined) return 'send';
  return current - last < throttleMinutes * 60_000 ? 'throttled' : 'send';
}

function timeMs(value: Date | string): number | undefined {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}
