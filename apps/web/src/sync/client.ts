import type { MutationName } from '@fieldsync/protocol';
import { liveQuery, type Subscription } from 'dexie';
import { listenForSyncTriggers, requestBackgroundSync } from './browser-triggers';
import type { FieldsyncClient, FieldsyncClientOptions } from './client-api';
import { openFieldsyncDatabase, type SessionUser } from './database';
import { readStorageEstimate, type StorageManagerLike } from './device-storage';
import { PendingChangesError } from './errors';
import { createLiveUpdates } from './live-updates';
import { exportPending, type MutateArgs, queueMutation, rejectedChangeToResend } from './local-changes';
import { createSyncScheduler } from './scheduler';
import { createSession, type LockManagerLike } from './session';
import { createSyncPass, type SyncLogger } from './sync-pass';
import { createSyncStateStore, initialSyncState, patchFromStored, readStoredSyncState } from './sync-state';
import type { FetchLike } from './transport';
import { storeAttachment, storedBytes } from './uploads/add-attachment';
import { fetchAttachment, fetchFile } from './uploads/attachment-download';
import { createTusTransport } from './uploads/tus-transport';
import { createUploadAuth } from './uploads/upload-auth';
import { createUploadQueue } from './uploads/upload-queue';
import { uuidv7 } from './uuid';

export type { AttachmentVariant, FieldsyncClient, FieldsyncClientOptions, NewAttachment } from './client-api';

const browserNavigator = (): Navigator | undefined => (typeof navigator === 'undefined' ? undefined : navigator);
/** How long after asking for a Background Sync the next change asks again. */
const BACKGROUND_SYNC_REASK_MS = 30_000;
const pick = <T>(given: T | undefined, fallback: () => T): T => (given !== undefined ? given : fallback());

/**
 * Creates the offline store and sync engine. Nothing touches the network
 * until `signIn`, `syncNow` or `start` is called. This only wires the parts
 * together: `session.ts` (tokens), `scheduler.ts` (when to sync),
 * `sync-pass.ts` (one push and pull), `live-updates.ts` (the event stream),
 * `sync-state.ts` (what screens see) and `local-changes.ts` (the outbox).
 */
export function createFieldsyncClient(options: FieldsyncClientOptions): FieldsyncClient {
  const nav = browserNavigator();
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const logger: SyncLogger = options.logger ?? console;
  const locks = pick(options.locks, () => (nav?.locks as unknown as LockManagerLike | undefined) ?? null);
  const openEvents = pick(options.eventSource, () =>
    typeof EventSource === 'undefined' ? null : (url: string) => new EventSource(url),
  );
  const storage = pick(options.storage, () => (nav?.storage as StorageManagerLike | undefined) ?? null);
  const newId = () => uuidv7(now());

  const db = openFieldsyncDatabase(options.dbName, {
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  });
  const store = createSyncStateStore(initialSyncState(options.online ? options.online() : (nav?.onLine ?? true)));
  let started = false;
  let closed = false;
  /** Uploads pause between `stop()` and `start()` (and for good after `close()`); before `start()` they follow syncs. */
  let uploadsPaused = false;
  let stopListening: (() => void) | undefined;
  let storedState: Subscription | undefined;
  let storedFiles: Subscription | undefined;

  async function refreshState(): Promise<void> {
    if (closed || store.getState().dbClosed) return;
    const stored = await readStoredSyncState(db);
    store.patch(patchFromStored(store.getState(), stored));
  }
  async function updateStorage(askPersist: boolean) {
    if (!storage) return;
    try {
      store.patch({ storage: await readStorageEstimate(storage, askPersist) });
    } catch (error) {
      logger.warn('fieldsync: storage estimate failed', error);
    }
  }

  const session = createSession({
    db,
    fetch: fetchFn,
    baseUrl: options.baseUrl,
    locks,
    newId,
    onOffline: () => store.patch({ online: false }),
    onSigningOut: () => {
      live.disconnect();
      uploads.stop();
    },
  });
  const uploadAuth = createUploadAuth(db, session);
  const uploads = createUploadQueue({
    db,
    store,
    transport: options.uploadTransport ?? createTusTransport(options.baseUrl),
    auth: uploadAuth,
    now,
    random,
    logger,
    locks,
    isRunning: () => {
      const state = store.getState();
      return !closed && !uploadsPaused && !state.dbClosed && !state.needsSignIn && !state.accountDisabled;
    },
    onUploaded: () => scheduler.syncSoon(),
    onSignInRequired: () => {
      live.disconnect();
      store.patch({ needsSignIn: true });
    },
    onAccountDisabled: () => {
      live.disconnect();
      store.patch({ accountDisabled: true });
    },
  });
  const live = createLiveUpdates({
    open: openEvents,
    baseUrl: options.baseUrl,
    request: session.request,
    random,
    isRunning: () => started && !closed,
    isBlocked: () => store.getState().needsSignIn || store.getState().accountDisabled,
    onNews: () => void scheduler.syncNow(),
    onSignInRequired: () => store.patch({ needsSignIn: true }),
    onAccountDisabled: () => store.patch({ accountDisabled: true }),
  });
  const syncPass = createSyncPass({
    db,
    session,
    store,
    now,
    newId,
    logger,
    refreshState,
    onSessionEnded: () => live.disconnect(),
  });
  const scheduler = createSyncScheduler({
    delegate: {
      run: () => syncPass.run(),
      // After every pass: the pull may have applied `attachment.add`s (their bytes may go now) or
      // brought `uploadedAt`s; old full-size copies are dropped.
      async afterRun() {
        await syncPass.afterRun?.();
        await uploads.afterSync();
      },
    },
    locks,
    debounceMs: options.debounceMs ?? 300,
    random,
  });

  db.on('versionchange', () => {
    // A newer build in another tab wants to upgrade: step aside so it can, and tell the person to reload.
    db.close({ disableAutoOpen: true });
    stop();
    scheduler.close();
    store.patch({ dbClosed: true, lastError: 'The app was updated in another tab. Reload this page.' });
    return false;
  });
  db.on('blocked', () => store.patch({ lastError: 'Close the other tabs of this app so it can finish updating.' }));

  /** After a change was queued: screens hear of it and a sync follows soon. */
  async function queued() {
    await refreshState();
    afterQueued();
  }
  /** When Background Sync was last asked for: once in a while is enough, not on every change of a busy offline day. */
  let backgroundSyncAskedAt = Number.NEGATIVE_INFINITY;
  function afterQueued() {
    scheduler.syncSoon();
    if (started && now() - backgroundSyncAskedAt >= BACKGROUND_SYNC_REASK_MS) {
      backgroundSyncAskedAt = now();
      requestBackgroundSync(nav);
    }
  }

  async function mutate<N extends MutationName>(name: N, args: MutateArgs<N>): Promise<{ seq: number }> {
    const { seq, pendingCount } = await queueMutation({ db, now, newId }, name, args);
    // The count came from the change's own transaction: no re-read, which would queue behind the
    // screens' reads of the rows this change touched (a board re-reading every job).
    if (!closed && !store.getState().dbClosed) store.patch({ pendingCount });
    afterQueued();
    return { seq };
  }

  function start() {
    if (started || closed) return;
    started = true;
    uploadsPaused = false;
    scheduler.start();
    stopListening = listenForSyncTriggers(nav, {
      online: () => {
        store.patch({ online: true });
        live.connect();
        void scheduler.syncNow();
        void uploads.kick();
      },
      offline: () => store.patch({ online: false }),
      visible: () => void scheduler.syncNow(),
      backgroundSync: () => void scheduler.syncNow(),
    });
    // Other tabs change the outbox and meta too; keep this tab's badge right.
    storedState = liveQuery(() => readStoredSyncState(db)).subscribe({
      next: (stored) => store.patch(patchFromStored(store.getState(), stored)),
      error: (error: unknown) => logger.warn('fieldsync: state subscription failed', error),
    });
    // Another tab's uploads (and this tab's acknowledged chunks) change the files' rows: recount.
    storedFiles = liveQuery(() =>
      db.attachmentFiles.where('uploadState').anyOf('waiting', 'uploading', 'failed').toArray(),
    ).subscribe({
      next: () => void uploads.refreshSummary(),
      error: (error: unknown) => logger.warn('fieldsync: upload subscription failed', error),
    });
    void updateStorage(false);
    live.connect();
    void scheduler.syncNow();
  }

  function stop() {
    started = false;
    uploadsPaused = true;
    uploads.stop();
    stopListening?.();
    stopListening = undefined;
    scheduler.stop();
    storedState?.unsubscribe();
    storedState = undefined;
    storedFiles?.unsubscribe();
    storedFiles = undefined;
    live.disconnect();
  }

  /** After a session was stored (sign-in, sign-up, invite, new password): clear the old flags and sync. */
  async function startedSession(signingIn: Promise<SessionUser>): Promise<SessionUser> {
    const user = await signingIn;
    store.patch({ online: true, needsSignIn: false, accountDisabled: false, lastError: null });
    await refreshState();
    void updateStorage(true);
    if (started) {
      live.connect();
      void scheduler.syncNow();
    }
    return user;
  }

  void refreshState().catch((error: unknown) => logger.warn('fieldsync: could not read local state', error));
  void uploads.refreshSummary();

  return {
    db,
    get session() {
      return store.getState().session;
    },
    signIn: (email, password) => startedSession(session.signIn(email, password)),
    signUp: (body) => startedSession(session.signUp(body)),
    acceptInvite: (token, password) => startedSession(session.acceptInvite(token, password)),
    changePassword: (currentPassword, newPassword) =>
      startedSession(session.changePassword(currentPassword, newPassword)),
    fetchConfig: () => session.fetchConfig(),
    async signOut(signOutOptions) {
      // Files whose bytes are not on the server yet count as changes not sent: this is their only copy.
      const unsent = await db.attachmentFiles.where('uploadState').anyOf('waiting', 'uploading').count();
      if (unsent > 0 && !signOutOptions?.force) throw new PendingChangesError(unsent + (await db.outbox.count()));
      await session.signOut(signOutOptions);
      await db.attachmentFiles.clear();
      store.patch({ needsSignIn: false, accountDisabled: false, lastError: null, updateRequired: false });
      await refreshState();
      await uploads.refreshSummary();
    },
    request: session.request,
    exportPending: () => exportPending({ db, now }),
    mutate,
    async addAttachment(input) {
      const result = await storeAttachment({ db, now, newId }, input);
      await queued();
      await uploads.refreshSummary();
      return result;
    },
    async storageUsage() {
      return storedBytes(await db.attachmentFiles.toArray());
    },
    fetchAttachment: (id, variant) =>
      fetchAttachment({ fetch: fetchFn, baseUrl: options.baseUrl, auth: uploadAuth }, id, variant),
    fetchFile: (path) => fetchFile({ fetch: fetchFn, baseUrl: options.baseUrl, auth: uploadAuth }, path),
    syncNow: () => scheduler.syncNow(),
    start,
    stop,
    subscribe: store.subscribe,
    getState: store.getState,
    async dismissRejected(id) {
      await db.rejected.delete(id);
      await refreshState();
    },
    async retryRejected(id, retryOptions = {}) {
      const change = await rejectedChangeToResend({ db, newId }, id, retryOptions);
      const result = await mutate(change.name, change.args as never);
      await db.rejected.update(id, { resentAt: new Date(now()).toISOString(), resentSeq: result.seq });
      await refreshState();
      return result;
    },
    close() {
      stop();
      scheduler.close();
      closed = true;
      store.clear();
      db.close();
    },
  };
}
