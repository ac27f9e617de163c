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

/**
 * Runs the stream until the client goes away. `subscribe` registers the poke
 * callback and returns the unsubscribe function, called however the stream ends.
 */
export async function streamChanges(
  sink: EventSink,
  subscribe: (poke: () => void) => () => void,
  heartbeatMs: number,
): Promise<void> {
  let poked = false;
  let wake: (() => void) | undefined;
  const unsubscribe = subscribe(() => {
    poked = true;
    wake?.();
  });
  sink.onAbort(() => {
    unsubscribe();
    wake?.();
  });
  try {
    await sink.writeSSE({ event: 'ready', data: '' });
    while (!sink.aborted && !sink.closed) {
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
      if (sink.aborted || sink.closed) break;
      if (poked) {
        poked = false;
        await sink.writeSSE({ event: 'poke', data: '' });
      } else {
        await sink.write(': heartbeat\n\n');
      }
    }
  } finally {
    unsubscribe();
  }
}
