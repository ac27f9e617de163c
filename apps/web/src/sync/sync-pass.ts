import { describeOutcome } from '@fieldsync/protocol';
import { type FieldsyncDatabase, readMeta } from './database';
import { HttpError, NetworkError } from './errors';
import type { SyncDelegate, SyncOutcome } from './scheduler';
import { AccountDisabled, type Session, SignInRequired } from './session';
import { pullAll, pushOutbox } from './sync-engine';
import type { SyncStateStore } from './sync-state';

/** Where warnings about sync go (default `console`). */
export interface SyncLogger {
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export interface SyncPassDeps {
  db: FieldsyncDatabase;
  session: Session;
  store: SyncStateStore;
  now: () => number;
  newId: () => string;
  logger: SyncLogger;
  /** Re-reads the stored part of the state after the pass. */
  refreshState(): Promise<void>;
  /** The session ended (sign-in needed, account switched off): stop the live stream. */
  onSessionEnded(): void;
}

/**
 * The scheduler's delegate: one pass of push, then pull (`sync-engine.ts`),
 * and what the screens are told about it. Failures never escape as throws:
 * each is turned into state (`online`, `lastError`, `needsSignIn`,
 * `updateRequired`, `accountDisabled`) and an outcome saying whether the
 * scheduler should retry. It throws only when the session cannot be read at
 * all (a closed database).
 */
export function createSyncPass(deps: SyncPassDeps): SyncDelegate {
  const { db, store } = deps;
  /** Whether the last pass reached the network, so `afterRun` has something to wrap up. */
  let wentOut = false;

  async function run(): Promise<SyncOutcome> {
    wentOut = false;
    const session = await readMeta(db, 'session');
    if (!session) return { kind: 'idle' };
    if (session.needsSignIn) {
      store.patch({ needsSignIn: true });
      return { kind: 'idle' };
    }
    if (session.accountDisabled) {
      store.patch({ accountDisabled: true, lastError: new AccountDisabled().message });
      return { kind: 'idle' };
    }
    wentOut = true;
    store.patch({ syncing: true });
    const io = {
      db,
      call: (method: 'GET' | 'POST', path: string, body?: unknown) =>
        deps.session.request(method, path, body === undefined ? {} : { body }),
      now: deps.now,
      newId: deps.newId,
      user: session.user,
    };
    try {
      await pushOutbox(io);
      await pullAll(io);
      store.patch({ online: true, lastError: null, updateRequired: false });
      return { kind: 'synced' };
    } catch (error) {
      return outcomeOfFailure(error);
    }
  }

  async function afterRun(): Promise<void> {
    if (!wentOut) return;
    store.patch({ syncing: false });
    await deps.refreshState().catch((error: unknown) => deps.logger.warn('fieldsync: state refresh failed', error));
  }

  function outcomeOfFailure(error: unknown): SyncOutcome {
    if (error instanceof SignInRequired) {
      deps.onSessionEnded();
      store.patch({ needsSignIn: true, lastError: error.message });
      return { kind: 'idle' };
    }
    if (error instanceof AccountDisabled) {
      // No retry: nothing the app can do will switch the account back on. The outbox stays.
      deps.onSessionEnded();
      store.patch({ online: true, accountDisabled: true, lastError: error.message });
      return { kind: 'idle' };
    }
    if (error instanceof NetworkError) {
      store.patch({
        online: false,
        lastError: 'Offline. Your changes are saved on this device and will be sent later.',
      });
      return { kind: 'retry' };
    }
    if (error instanceof HttpError) {
      if (error.status === 426 || error.code === 'client_outdated') {
        store.patch({
          online: true,
          updateRequired: true,
          lastError: describeOutcome({ code: 'client_outdated', mutationName: 'sync' }),
        });
        return { kind: 'idle' };
      }
      store.patch({ online: true, lastError: describeOutcome({ code: error.code, mutationName: 'sync' }) });
      // A 503 says when to come back; asking sooner only adds load to a server that is already down.
      return { kind: 'retry', retryAfterMs: error.status === 503 ? error.retryAfterMs : undefined };
    }
    deps.logger.error('fieldsync: sync failed', error);
    store.patch({ lastError: 'Sync failed; the app will try again.' });
    return { kind: 'retry' };
  }

  return { run, afterRun };
}
