import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import {
  createSyncScheduler,
  LOCK_BUSY_RETRY_MS,
  RETRY_AFTER_CAP_MS,
  type SyncOutcome,
  type SyncSchedulerOptions,
  type Timers,
} from './scheduler';
import { fakeLockManager } from './testing/setup';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A pass whose outcome and duration the test decides; counts runs and how many overlap. */
function fakePass(outcomes: SyncOutcome[] = []) {
  const pass = {
    runs: 0,
    inFlight: 0,
    maxInFlight: 0,
    durationMs: 0,
    async run(): Promise<SyncOutcome> {
      pass.runs++;
      pass.inFlight++;
      pass.maxInFlight = Math.max(pass.maxInFlight, pass.inFlight);
      if (pass.durationMs > 0) await new Promise((resolve) => setTimeout(resolve, pass.durationMs));
      pass.inFlight--;
      return outcomes.shift() ?? { kind: 'synced' };
    },
  };
  return pass;
}

/** The real (faked) timers, remembering each delay asked for. */
function recordingTimers() {
  const delays: number[] = [];
  const timers: Timers = {
    set: (callback, ms) => {
      delays.push(ms);
      return setTimeout(callback, ms);
    },
    clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  return { delays, timers };
}

function scheduler(pass: ReturnType<typeof fakePass>, overrides: Partial<SyncSchedulerOptions> = {}) {
  return createSyncScheduler({ delegate: pass, locks: null, debounceMs: 300, random: () => 0.5, ...overrides });
}

test('syncSoon debounces: changes in quick succession make one pass, 300 ms after the last', async () => {
  const pass = fakePass();
  const loop = scheduler(pass);
  loop.start();
  loop.syncSoon();
  await vi.advanceTimersByTimeAsync(200);
  loop.syncSoon();
  await vi.advanceTimersByTimeAsync(200);
  loop.syncSoon();
  await vi.advanceTimersByTimeAsync(299);
  expect(pass.runs).toBe(0);
  await vi.advanceTimersByTimeAsync(1);
  expect(pass.runs).toBe(1);
});

test('syncSoon does nothing before start or after stop; syncNow works either way', async () => {
  const pass = fakePass();
  const loop = scheduler(pass);
  loop.syncSoon();
  await vi.advanceTimersByTimeAsync(1_000);
  expect(pass.runs).toBe(0);
  await loop.syncNow();
  expect(pass.runs).toBe(1);
  loop.start();
  loop.syncSoon();
  loop.stop();
  await vi.advanceTimersByTimeAsync(1_000);
  expect(pass.runs).toBe(1);
});

test('at most one pass in flight: calls during a pass join it and coalesce into one more pass', async () => {
  const pass = fakePass();
  pass.durationMs = 50;
  const loop = scheduler(pass);
  const first = loop.syncNow();
  const second = loop.syncNow();
  const third = loop.syncNow();
  expect(second).toBe(first);
  expect(third).toBe(first);
  await vi.advanceTimersByTimeAsync(200);
  await first;
  expect(pass.runs).toBe(2);
  expect(pass.maxInFlight).toBe(1);
  // Idle again: the next call starts a new pass.
  const fourth = loop.syncNow();
  expect(fourth).not.toBe(first);
  await vi.advanceTimersByTimeAsync(50);
  await fourth;
  expect(pass.runs).toBe(3);
});

test('a failed pass is retried with a backoff that grows, and resets after a pass that went through', async () => {
  const pass = fakePass([
    { kind: 'retry' },
    { kind: 'retry' },
    { kind: 'retry' },
    { kind: 'synced' },
    { kind: 'retry' },
  ]);
  const { delays, timers } = recordingTimers();
  const loop = scheduler(pass, { timers, random: () => 0.5 });
  loop.start();
  await loop.syncNow();
  expect(delays).toEqual([500]);
  await vi.advanceTimersByTimeAsync(500);
  expect(pass.runs).toBe(2);
  expect(delays).toEqual([500, 1_000]);
  await vi.advanceTimersByTimeAsync(999);
  expect(pass.runs).toBe(2);
  await vi.advanceTimersByTimeAsync(1);
  expect(pass.runs).toBe(3);
  expect(delays).toEqual([500, 1_000, 2_000]);
  await vi.advanceTimersByTimeAsync(2_000);
  expect(pass.runs).toBe(4); // synced: no timer, and the next failure starts from the first step again
  await loop.syncNow();
  expect(delays).toEqual([500, 1_000, 2_000, 500]);
  loop.stop();
});

test('a retry waits at least the server’s Retry-After, capped at ten minutes', async () => {
  const pass = fakePass([
    { kind: 'retry', retryAfterMs: 30_000 },
    { kind: 'retry', retryAfterMs: 60 * 60_000 },
    { kind: 'retry', retryAfterMs: 10 },
  ]);
  const { delays, timers } = recordingTimers();
  const loop = scheduler(pass, { timers });
  loop.start();
  await loop.syncNow();
  expect(delays).toEqual([30_000]);
  await vi.advanceTimersByTimeAsync(29_999);
  expect(pass.runs).toBe(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(pass.runs).toBe(2);
  expect(delays).toEqual([30_000, RETRY_AFTER_CAP_MS]);
  await vi.advanceTimersByTimeAsync(RETRY_AFTER_CAP_MS);
  // A Retry-After shorter than the backoff does not shorten it (third failure: 0.5 × 4 s).
  expect(delays).toEqual([30_000, RETRY_AFTER_CAP_MS, 2_000]);
  loop.stop();
});

test('an idle outcome (sign-in or update needed) sets no retry timer', async () => {
  const pass = fakePass([{ kind: 'idle' }]);
  const { delays, timers } = recordingTimers();
  const loop = scheduler(pass, { timers });
  loop.start();
  await loop.syncNow();
  expect(delays).toEqual([]);
});

test('another tab holds the sync lock: this tab skips the pass and looks again 2 s later', async () => {
  const locks = fakeLockManager();
  const other = fakePass();
  other.durationMs = 1_000;
  const mine = fakePass();
  const otherTab = scheduler(other, { locks });
  const thisTab = scheduler(mine, { locks });
  thisTab.start();
  const otherSync = otherTab.syncNow();
  await thisTab.syncNow();
  expect(mine.runs).toBe(0);
  await vi.advanceTimersByTimeAsync(1_000);
  await otherSync;
  await vi.advanceTimersByTimeAsync(LOCK_BUSY_RETRY_MS - 1_000);
  expect(mine.runs).toBe(1);
  thisTab.stop();
});

test('after close, syncNow resolves without a pass and start sets no timers', async () => {
  const pass = fakePass();
  const loop = scheduler(pass);
  loop.close();
  await loop.syncNow();
  loop.start();
  loop.syncSoon();
  await vi.advanceTimersByTimeAsync(1_000);
  expect(pass.runs).toBe(0);
});

test('afterRun comes once the retry timer is set, and not when the pass threw', async () => {
  const seen: string[] = [];
  const { timers } = recordingTimers();
  let fail = false;
  const loop = createSyncScheduler({
    delegate: {
      async run() {
        if (fail) throw new Error('database closed');
        return { kind: 'retry' };
      },
      async afterRun() {
        seen.push('afterRun');
      },
    },
    locks: null,
    debounceMs: 300,
    random: () => 0.5,
    timers: {
      set: (callback, ms) => {
        seen.push(`timer ${ms}`);
        return timers.set(callback, ms);
      },
      clear: timers.clear,
    },
  });
  loop.start();
  await loop.syncNow();
  expect(seen).toEqual(['timer 500', 'afterRun']);
  fail = true;
  await expect(loop.syncNow()).rejects.toThrow('database closed');
  expect(seen).toEqual(['timer 500', 'afterRun']);
  loop.stop();
});
