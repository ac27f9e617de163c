import { eventsTokenResponseSchema } from '@fieldsync/protocol';
import { nextBackoffDelay } from './backoff';
import { globalTimers, type Timers } from './scheduler';
import { AccountDisabled, type Session, SignInRequired } from './session';

/** The part of `EventSource` the client uses. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: unknown) => void): void;
  close(): void;
}
export type EventSourceFactory = (url: string) => EventSourceLike;

export interface LiveUpdatesOptions {
  /** null: live updates are off (Node); `connect` does nothing. */
  open: EventSourceFactory | null;
  baseUrl: string;
  /** Fetches the short-lived stream token. */
  request: Session['request'];
  random: () => number;
  /** Whether the client is started; checked before every (re)connect. */
  isRunning(): boolean;
  /** Whether the session rules out a stream (sign-in needed, account switched off). */
  isBlocked(): boolean;
  /** The server has news (`poke`), or the stream came back (`ready`): sync. */
  onNews(): void;
  /** The token request said the session is over. */
  onSignInRequired(): void;
  onAccountDisabled(): void;
  timers?: Timers;
}

/**
 * The server's event stream (SSE), which tells this device when to pull.
 * Each connection takes a fresh token from `/api/sync/events/token`; a
 * dropped stream or a failed token request reconnects with backoff and
 * jitter. Nothing here throws: a `SignInRequired` or `AccountDisabled` from
 * the token request is reported through its callback and ends reconnecting;
 * any other failure is retried.
 */
export interface LiveUpdates {
  connect(): void;
  /** Closes the stream and cancels a pending reconnect. */
  disconnect(): void;
}

export function createLiveUpdates(options: LiveUpdatesOptions): LiveUpdates {
  const timers = options.timers ?? globalTimers;
  let source: EventSourceLike | null = null;
  let attempt = 0;
  let reconnectTimer: unknown;
  let connecting = false;

  function connect() {
    const open = options.open;
    if (!open || !options.isRunning() || source || connecting || options.isBlocked()) return;
    connecting = true;
    void (async () => {
      try {
        const { token } = eventsTokenResponseSchema.parse(await options.request('POST', '/api/sync/events/token'));
        if (!options.isRunning()) return;
        const opened = open(`${options.baseUrl}/api/sync/events?token=${encodeURIComponent(token)}`);
        source = opened;
        opened.addEventListener('ready', () => {
          attempt = 0;
          options.onNews();
        });
        opened.addEventListener('poke', () => options.onNews());
        opened.addEventListener('error', () => {
          // The browser would reconnect with the same (short-lived) token; take a fresh one instead.
          opened.close();
          if (source === opened) source = null;
          scheduleReconnect();
        });
      } catch (error) {
        if (error instanceof SignInRequired) options.onSignInRequired();
        else if (error instanceof AccountDisabled) options.onAccountDisabled();
        else scheduleReconnect();
      } finally {
        connecting = false;
      }
    })();
  }

  function scheduleReconnect() {
    if (!options.isRunning() || reconnectTimer !== undefined || options.isBlocked()) return;
    reconnectTimer = timers.set(
      () => {
        reconnectTimer = undefined;
        connect();
      },
      nextBackoffDelay(attempt++, options.random),
    );
  }

  function disconnect() {
    if (reconnectTimer !== undefined) timers.clear(reconnectTimer);
    reconnectTimer = undefined;
    source?.close();
    source = null;
  }

  return { connect, disconnect };
}
