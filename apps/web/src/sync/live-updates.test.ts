import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createLiveUpdates, type EventSourceLike, type LiveUpdatesOptions } from './live-updates';
import { AccountDisabled, SignInRequired } from './session';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Streams opened so far, each with its listeners, so a test can fire `poke` or `error`. */
function fakeStreams() {
  const opened: Array<{ url: string; closed: boolean; fire(type: string): void }> = [];
  const open = (url: string): EventSourceLike => {
    const listeners = new Map<string, (event: unknown) => void>();
    const stream = { url, closed: false, fire: (type: string) => listeners.get(type)?.({}) };
    opened.push(stream);
    return {
      addEventListener: (type, listener) => listeners.set(type, listener),
      close: () => {
        stream.closed = true;
      },
    };
  };
  return { opened, open };
}

function setUp(request: LiveUpdatesOptions['request']) {
  const streams = fakeStreams();
  const seen: string[] = [];
  let running = true;
  const live = createLiveUpdates({
    open: streams.open,
    baseUrl: 'https://api.example',
    request,
    random: () => 0.5,
    isRunning: () => running,
    isBlocked: () => false,
    onNews: () => seen.push('news'),
    onSignInRequired: () => seen.push('sign in'),
    onAccountDisabled: () => seen.push('disabled'),
  });
  return { live, streams, seen, stopRunning: () => (running = false) };
}

const tokens = () => {
  let n = 0;
  return vi.fn(async () => ({ token: `t${++n}`, expiresIn: 60 }));
};

test('connects with a fresh token; poke and ready are news', async () => {
  const request = tokens();
  const { live, streams, seen } = setUp(request);
  live.connect();
  live.connect(); // already connecting: one stream
  await vi.waitFor(() => expect(streams.opened).toHaveLength(1));
  expect(streams.opened[0]?.url).toBe('https://api.example/api/sync/events?token=t1');
  streams.opened[0]?.fire('poke');
  streams.opened[0]?.fire('ready');
  expect(seen).toEqual(['news', 'news']);
  expect(request).toHaveBeenCalledTimes(1);
});

test('a dropped stream reconnects after a backoff with a new token', async () => {
  const request = tokens();
  const { live, streams } = setUp(request);
  live.connect();
  await vi.waitFor(() => expect(streams.opened).toHaveLength(1));
  streams.opened[0]?.fire('error');
  expect(streams.opened[0]?.closed).toBe(true);
  await vi.advanceTimersByTimeAsync(499); // random 0.5 × 1 s
  expect(streams.opened).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(1);
  await vi.waitFor(() => expect(streams.opened).toHaveLength(2));
  expect(streams.opened[1]?.url).toMatch(/token=t2$/);
});

test('a failed token request is retried; a session that ended is reported and not retried', async () => {
  let answer: () => Promise<unknown> = async () => {
    throw new Error('offline');
  };
  const { live, streams, seen } = setUp(() => answer());
  live.connect();
  answer = async () => {
    throw new SignInRequired();
  };
  await vi.advanceTimersByTimeAsync(500);
  await vi.waitFor(() => expect(seen).toEqual(['sign in']));
  await vi.advanceTimersByTimeAsync(60_000);
  expect(seen).toEqual(['sign in']);
  answer = async () => {
    throw new AccountDisabled();
  };
  live.connect();
  await vi.waitFor(() => expect(seen).toEqual(['sign in', 'disabled']));
  expect(streams.opened).toHaveLength(0);
});

test('disconnect closes the stream and cancels a pending reconnect', async () => {
  const { live, streams } = setUp(tokens());
  live.connect();
  await vi.waitFor(() => expect(streams.opened).toHaveLength(1));
  streams.opened[0]?.fire('error');
  live.disconnect();
  await vi.advanceTimersByTimeAsync(10_000);
  expect(streams.opened).toHaveLength(1);
  live.connect();
  await vi.waitFor(() => expect(streams.opened).toHaveLength(2));
  live.disconnect();
  expect(streams.opened[1]?.closed).toBe(true);
});

test('nothing connects while the client is not running', async () => {
  const request = tokens();
  const { live, stopRunning } = setUp(request);
  stopRunning();
  live.connect();
  await vi.advanceTimersByTimeAsync(1_000);
  expect(request).not.toHaveBeenCalled();
});
