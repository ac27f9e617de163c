import {
  type FieldsyncDatabase,
  type RejectedChange,
  readMeta,
  type SessionUser,
  type StoredSession,
} from './database';

/**
 * Files on this device whose bytes the server does not hold yet. `count`,
 * `totalBytes` and `sentBytes` cover the ones still to go (waiting or
 * uploading); `failed` counts the ones the server refused for good.
 */
export interface UploadSummary {
  count: number;
  /** How many of `count` are photos, so words can say "photos" rather than "files". */
  photos: number;
  totalBytes: number;
  sentBytes: number;
  failed: number;
}

export const NO_UPLOADS: UploadSummary = { count: 0, photos: 0, totalBytes: 0, sentBytes: 0, failed: 0 };

/** What screens show about sync. A new object whenever something changes (for `useSyncExternalStore`). */
export interface SyncState {
  online: boolean;
  syncing: boolean;
  pendingCount: number;
  lastSyncedAt: string | null;
  /** Plain words, or null. */
  lastError: string | null;
  /** The session ended: ask the person to sign in again (pending changes are kept). */
  needsSignIn: boolean;
  /** The server speaks a newer protocol: the app must update (pending changes are kept). */
  updateRequired: boolean;
  /** Another tab upgraded the local database: this tab must reload. */
  dbClosed: boolean;
  /**
   * The server said this account is switched off: syncing has stopped and
   * the pending changes are kept; offer `exportPending()` so the person can
   * hand them to the office. Cleared by a successful sign-in.
   */
  accountDisabled: boolean;
  session: { user: SessionUser } | null;
  /** Newest first. */
  rejected: RejectedChange[];
  storage?: { usage: number; quota: number; persisted: boolean };
  /** Attachment bytes still to upload; updated as they go (a few times a second at most). */
  uploads: UploadSummary;
}

/**
 * The one place `SyncState` changes. `patch` replaces the state object and
 * tells every listener synchronously; a listener that throws stops the
 * others from hearing about that change (listeners are React's
 * `useSyncExternalStore` callbacks, which do not throw).
 */
export interface SyncStateStore {
  getState(): SyncState;
  subscribe(listener: () => void): () => void;
  patch(patch: Partial<SyncState>): void;
  /** Forgets every listener (the client is closing). */
  clear(): void;
}

/** The state before anything was read from the device: signed out, nothing pending. */
export function initialSyncState(online: boolean): SyncState {
  return {
    online,
    syncing: false,
    pendingCount: 0,
    lastSyncedAt: null,
    lastError: null,
    needsSignIn: false,
    updateRequired: false,
    dbClosed: false,
    accountDisabled: false,
    session: null,
    rejected: [],
    uploads: NO_UPLOADS,
  };
}

export function createSyncStateStore(initial: SyncState): SyncStateStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    patch(patch) {
      state = { ...state, ...patch };
      for (const listener of listeners) listener();
    },
    clear: () => listeners.clear(),
  };
}

/** The part of `SyncState` kept in IndexedDB, so other tabs change it too. */
export interface StoredSyncState {
  pendingCount: number;
  rejected: RejectedChange[];
  lastSyncedAt: string | undefined;
  session: StoredSession | undefined;
}

/** Reads the stored part of the state (also inside a `liveQuery`). Throws when the database cannot be read. */
export async function readStoredSyncState(db: FieldsyncDatabase): Promise<StoredSyncState> {
  const [pendingCount, rejected, lastSyncedAt, session] = await Promise.all([
    db.outbox.count(),
    db.rejected.toArray(),
    readMeta(db, 'lastSyncedAt'),
    readMeta(db, 'session'),
  ]);
  return { pendingCount, rejected, lastSyncedAt, session };
}

/**
 * The patch that brings `current` in line with what is stored. Unchanged
 * `rejected` and `session` keep their identity, so screens that depend on
 * them do not re-render for nothing.
 */
export function patchFromStored(current: SyncState, stored: StoredSyncState): Partial<SyncState> {
  const rejected = [...stored.rejected].sort((a, b) => (b.id ?? 0) - (a.id ?? 0));
  const sessionUser = stored.session?.user;
  const session = sessionUser ? { user: sessionUser } : null;
  return {
    pendingCount: stored.pendingCount,
    rejected: sameRejected(current.rejected, rejected) ? current.rejected : rejected,
    lastSyncedAt: stored.lastSyncedAt ?? null,
    session:
      current.session?.user.id === session?.user.id && current.session?.user.role === session?.user.role
        ? current.session
        : session,
    needsSignIn: stored.session?.needsSignIn === true,
    accountDisabled: stored.session?.accountDisabled === true,
  };
}

function sameRejected(a: readonly RejectedChange[], b: readonly RejectedChange[]): boolean {
  return (
    a.length === b.length &&
    a.every((entry, index) => entry.id === b[index]?.id && entry.resentSeq === b[index]?.resentSeq)
  );
}
