import { expect, test } from 'vitest';
import { type EventSink, streamChanges } from './event-stream';

const HOUR_MS = 3_600_000;

/** An in-memory sink that records what is written and can act in the middle of a write. */
function recordingSink(duringWrite: (event: string) => void = () => {}) {
  const written: string[] = [];
  const abortListeners: Array<() => void> = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const sink: EventSink & { aborted: boolean; closed: boolean } = {
    aborted: false,
    closed: false,
    async writeSSE({ event }) {
      duringWrite(event);
      written.push(event);
      for (const waiter of waiters.filter((w) => written.length >= w.count)) waiter.resolve();
    },
    async write(text) {
      written.push(text.trim());
    },
    onAbort(listener) {
      abortListeners.push(listener);
    },
  };
  return {
    sink,
    written,
    /** Resolves once `count` events have been written. */
    writtenAtLeast: (count: number) =>
      new Promise<void>((resolve) => {
        if (written.length >= count) resolve();
        else waiters.push({ count, resolve });
      }),
    abort() {
      sink.aborted = true;
      for (const listener of abortListeners) listener();
    },
  };
}

test('a poke that arrives while another event is being written goes out at once, not at the next heartbeat', async () => {
  let poke: () => void = () => {};
  let unsubscribed = false;
  const stream = recordingSink((event) => {
    if (event === 'ready') poke();
  });
  const running = streamChanges(
    stream.sink,
    (onPoke) => {
      poke = onPoke;
      return () => {
        unsubscribed = true;
      };
    },
    HOUR_MS,
  );

  await stream.writtenAtLeast(2);
  expect(stream.written).toEqual(['ready', 'poke']);
  stream.abort();
  await running;
  expect(unsubscribed).toBe(true);
});

test('pokes that arrive while the stream waits are written as one poke each time it wakes', async () => {
  let poke: () => void = () => {};
  const stream = recordingSink();
  const running = streamChanges(
    stream.sink,
    (onPoke) => {
      poke = onPoke;
      return () => {};
    },
    HOUR_MS,
  );
  await stream.writtenAtLeast(1);
  poke();
  poke();
  await stream.writtenAtLeast(2);
  poke();
  await stream.writtenAtLeast(3);
  expect(stream.written).toEqual(['ready', 'poke', 'poke']);
  stream.abort();
  await running;
});

test('the stream ends by itself once its account may no longer listen, and stops asking', async () => {
  let unsubscribed = false;
  const answers = [true, true, false];
  let asked = 0;
  const stream = recordingSink();
  await streamChanges(
    stream.sink,
    () => () => {
      unsubscribed = true;
    },
    HOUR_MS,
    { stillAllowed: async () => answers[asked++] ?? false, recheckMs: 1 },
  );
  // Resolving at all is the point: with an hour-long heartbeat, only the re-check can end it.
  expect(stream.written).toEqual(['ready']);
  expect(asked).toBe(3);
  expect(unsubscribed).toBe(true);
});

test('a re-check that fails (database away) keeps the stream open until an answer says otherwise', async () => {
  let asked = 0;
  const stream = recordingSink();
  await streamChanges(stream.sink, () => () => {}, HOUR_MS, {
    stillAllowed: async () => {
      asked++;
      if (asked < 3) throw new Error('connection refused');
      return false;
    },
    recheckMs: 1,
  });
  expect(asked).toBe(3);
});
