/**
 * One live-update stream: `ready` once, then `poke` whenever a change in the
 * user's scope commits, and a comment line as heartbeat when nothing happened
 * for a while (so proxies keep the connection open).
 */

/** What the stream writes to: Hono's SSE stream, or a fake in tests. */
export interface EventSink {
  writeSSE(message: { event: string; data: string }): Promise<void>;
  write(text: string): Promise<unknown>;
  readonly aborted: boolean;
  readonly closed: boolean;
  onAbort(listener: () => void): void;
}

/** Asks every `recheckMs` whether the stream's account may still listen. */
export interface StreamAccess {
  /** False ends the stream. A throw (the database away) keeps it open until the next check. */
  stillAllowed(): Promise<boolean>;
  recheckMs: number;
}

/**
 * Runs the stream until the client goes away, or `access` says the account
 * was turned off (then it just ends: the app's reconnect is refused with the
 * reason). `subscribe` registers the poke callback and returns the
 * unsubscribe function, called however the stream ends.
 */
export async function streamChanges(
  sink: EventSink,
  subscribe: (poke: () => void) => () => void,
  heartbeatMs: number,
  access?: StreamAccess,
): Promise<void> {
  let poked = false;
  let stopped = false;
  let wake: (() => void) | undefined;
  let recheckTimer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = subscribe(() => {
    poked = true;
    wake?.();
  });
  sink.onAbort(() => {
    unsubscribe();
    wake?.();
  });
  // `stopped`: the account was turned off, or the stream is over and a pending re-check must not reschedule.
  const ended = () => stopped || sink.aborted || sink.closed;
  function scheduleRecheck(check: StreamAccess) {
    recheckTimer = setTimeout(async () => {
      const allowed = await check.stillAllowed().catch(() => true);
      if (!allowed) {
        stopped = true;
        wake?.();
      } else if (!ended()) {
        scheduleRecheck(check);
      }
    }, check.recheckMs);
  }
  if (access) scheduleRecheck(access);
  try {
    await sink.writeSSE({ event: 'ready', data: '' });
    while (!ended()) {
      // A poke that came while the last event was being written must not wait for the heartbeat.
      if (!poked) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, heartbeatMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      if (ended()) break;
      if (poked) {
        poked = false;
        await sink.writeSSE({ event: 'poke', data: '' });
      } else {
        await sink.write(': heartbeat\n\n');
      }
    }
  } finally {
    stopped = true;
    clearTimeout(recheckTimer);
    unsubscribe();
  }
}
