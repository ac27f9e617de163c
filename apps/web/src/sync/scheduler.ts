import { nextBackoffDelay } from './backoff';
import type { LockManagerLike } from './session';

/** How one sync pass ended, as far as timing is concerned. */
export type SyncOutcome =
  /** Everything went through: the backoff starts again from the first step. */
  | { kind: 'synced' }
  /** Nothing to retry by itself (no session, sign-in needed, app update needed, account off). */
  | { kind: 'idle' }
  /** A failure worth retrying later; `retryAfterMs` is the server's floor for the wait (a 503's Retry-After). */
  | { kind: 'retry'; retryAfterMs?: number | undefined };

/**
 * What the scheduler runs: push, then pull, and what the screens are told.
 * It only reports how the pass ended; when to run again is the scheduler's
 * decision. A throw is not retried: it rejects the `syncNow()` that ran the
 * pass (a closed database, a bug) and the next trigger tries again.
 */
export interface SyncDelegate {
  run(): Promise<SyncOutcome>;
  /**
   * Called once the scheduler has acted on `run`'s outcome (a retry timer is
   * already set), before the pass counts as finished: where the screens hear
   * that the pass is over. Not called when `run` threw. Should not throw.
   */
  afterRun?(): Promise<void>;
}

/** `setTimeout`/`clearTimeout`, injectable for tests. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Looks the globals up at each call, so fake timers installed after creation still apply. */
export const globalTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SyncSchedulerOptions {
  delegate: SyncDelegate;
  /** Web Locks: one tab syncs at a time. null syncs without (Node, one tab). */
  locks: LockManagerLike | null;
  /** Quiet time after `syncSoon()` before the pass runs; more calls meanwhile restart it. */
  debounceMs: number;
  /** [0, 1): the backoff's jitter. */
  random: () => number;
  timers?: Timers;
}

/**
 * When sync runs — the connection-loop role (Replicache's
 * `connection-loop.ts`): at most one pass in flight in this tab and, through
 * a Web Lock, across tabs; calls during a pass coalesce into one more pass;
 * `syncSoon()` debounces; a failed pass is retried with exponential backoff
 * and full jitter, never sooner than a server's Retry-After (capped), and
 * the backoff resets after a pass that went through. Timers only run
 * between `start()` and `stop()`; `syncNow()` works without them.
 *
 * `syncNow()` rejects only when the delegate throws (see `SyncDelegate`).
 */
export interface SyncScheduler {
  /** Runs a pass now, or joins the one in flight (which then runs once more to catch this call's change). */
  syncNow(): Promise<void>;
  /** Runs a pass after `debounceMs` of quiet (a local change was just made). */
  syncSoon(): void;
  start(): void;
  /** Cancels every timer; a pass in flight finishes. */
  stop(): void;
  /** Stops for good: `syncNow()` resolves at once from now on. */
  close(): void;
}

export const SYNC_LOCK = 'fieldsync-sync';
/** Another tab holds the sync lock: look again this much later. */
export const LOCK_BUSY_RETRY_MS = 2_000;
/** A server's Retry-After is honoured up to this long; past it, the ordinary backoff takes over again. */
export const RETRY_AFTER_CAP_MS = 10 * 60_000;

export function createSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const { delegate, locks, debounceMs, random } = options;
  const timers = options.timers ?? globalTimers;
  let started = false;
  let closed = false;
  let running: Promise<void> | null = null;
  let rerun = false;
  let retryAttempt = 0;
  let retryTimer: unknown;
  let debounceTimer: unknown;
  let lockBusyTimer: unknown;

  function syncNow(): Promise<void> {
    if (closed) return Promise.resolve();
    if (running) {
      rerun = true;
      return running;
    }
    running = (async () => {
      do {
        rerun = false;
        await runWithLock();
      } while (rerun && !closed);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  async function runWithLock(): Promise<void> {
    if (!locks) return runOnce();
    await locks.request(SYNC_LOCK, { ifAvailable: true }, async (lock) => {
      if (!lock) {
        // Another tab is syncing; look again shortly in case it started before our change or poke.
        if (started && lockBusyTimer === undefined) {
          lockBusyTimer = timers.set(() => {
            lockBusyTimer = undefined;
            void syncNow();
          }, LOCK_BUSY_RETRY_MS);
        }
        return;
      }
      await runOnce();
    });
  }

  async function runOnce(): Promise<void> {
    const outcome = await delegate.run();
    if (outcome.kind === 'synced') {
      retryAttempt = 0;
      cancel(retryTimer);
      retryTimer = undefined;
    } else if (outcome.kind === 'retry') {
      scheduleRetry(outcome.retryAfterMs);
    }
    await delegate.afterRun?.();
  }

  function scheduleRetry(atLeastMs: number | undefined) {
    if (!started || closed) return;
    cancel(retryTimer);
    const delay = Math.max(nextBackoffDelay(retryAttempt++, random), Math.min(atLeastMs ?? 0, RETRY_AFTER_CAP_MS));
    retryTimer = timers.set(() => {
      retryTimer = undefined;
      void syncNow();
    }, delay);
  }

  function syncSoon() {
    if (!started || closed) return;
    cancel(debounceTimer);
    debounceTimer = timers.set(() => {
      debounceTimer = undefined;
      void syncNow();
    }, debounceMs);
  }

  function cancel(handle: unknown) {
    if (handle !== undefined) timers.clear(handle);
  }

  function stop() {
    started = false;
    cancel(retryTimer);
    cancel(debounceTimer);
    cancel(lockBusyTimer);
    retryTimer = debounceTimer = lockBusyTimer = undefined;
  }

  return {
    syncNow,
    syncSoon,
    start() {
      if (!closed) started = true;
    },
    stop,
    close() {
      stop();
      closed = true;
    },
  };
}
