import fc from 'fast-check';
import { afterEach, expect, test, vi } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, nextBackoffDelay } from './backoff';

afterEach(() => {
  vi.useRealTimers();
});

test('delays double from 1 s up to the 5 min cap, scaled by full jitter', () => {
  const top = () => 0.999_999;
  expect(nextBackoffDelay(0, top)).toBe(999);
  expect(nextBackoffDelay(1, top)).toBe(1_999);
  expect(nextBackoffDelay(5, top)).toBe(31_999);
  expect(nextBackoffDelay(9, top)).toBe(BACKOFF_CAP_MS - 1);
  expect(nextBackoffDelay(50, top)).toBe(BACKOFF_CAP_MS - 1);
  expect(nextBackoffDelay(3, () => 0)).toBe(0);
  expect(nextBackoffDelay(3, () => 0.5)).toBe(4_000);
});

test('property: every delay is within [0, min(cap, base × 2^attempt))', () => {
  fc.assert(
    fc.property(fc.nat(100), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
      const delay = nextBackoffDelay(attempt, () => r);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
    }),
  );
});

test('a retry loop driven by fake timers fires at the computed delays', async () => {
  vi.useFakeTimers();
  const fired: number[] = [];
  const start = Date.now();
  let attempt = 0;
  const schedule = () => {
    setTimeout(
      () => {
        fired.push(Date.now() - start);
        if (attempt < 5) schedule();
      },
      nextBackoffDelay(attempt++, () => 0.5),
    );
  };
  schedule();
  await vi.advanceTimersByTimeAsync(60_000);
  // 500, +1000, +2000, +4000, +8000
  expect(fired).toEqual([500, 1_500, 3_500, 7_500, 15_500]);
});
