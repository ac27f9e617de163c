/** First retry waits up to this long. */
export const BACKOFF_BASE_MS = 1_000;
/** No retry waits longer than this. */
export const BACKOFF_CAP_MS = 5 * 60_000;

/**
 * Delay before retry number `attempt` (0 for the first retry): exponential
 * backoff with full jitter, `random() × min(cap, base × 2^attempt)`. Full
 * jitter spreads phones that lost signal together, so they do not all
 * come back at the same instant.
 */
export function nextBackoffDelay(
  attempt: number,
  random: () => number = Math.random,
  baseMs: number = BACKOFF_BASE_MS,
  capMs: number = BACKOFF_CAP_MS,
): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
