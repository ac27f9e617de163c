import { roleSchema } from '@fieldsync/domain';
import {
  describeOutcome,
  ERROR_CODES,
  type MutationArgs,
  type MutationName,
  type UpdateMutationName,
} from '@fieldsync/protocol';
import { liveQuery, type Subscription } from 'dexie';
import { z } from 'zod';
import { applyContext, checkMutation, completeArgs, ownContractorIdOf, runApplier } from './apply-mutation';
import { nextBackoffDelay } from './backoff';
import {
  type FieldsyncDatabase,
  type IndexedDbDeps,
  openFieldsyncDatabase,
  type RejectedChange,
  readMeta,
  type SessionUser,
  type StoredSession,
  SYNCED_TABLE_NAMES,
  writeMeta,
} from './database';
import { AuthError, HttpError, MutationRefusedError, NetworkError, PendingChangesError } from './errors';
import { type EngineIo, pullAll, pushOutbox } from './sync-engine';
import { type FetchLike, requestJson } from './transport';
import { uuidv7 } from './uuid';

/** The part of the Web Locks API the engine uses (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: { ifAvailable?: boolean; mode?: 'exclusive' | 'shared' },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

/** The part of `EventSource` the engine uses. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: unknown) => void): void;
  close(): void;
}
export type EventSourceFactory = (url: string) => EventSourceLike;

/** The part of `navigator.storage` the engine uses. */
export interface StorageManagerLike {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}

export interface SyncLogger {
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export interface FieldsyncClientOptions {
  /** Server origin, '' for same-origin. */
  baseUrl: string;
  /** IndexedDB database name; one per app (tests: one per test). */
  dbName: string;
  fetch?: FetchLike;
  /** Milliseconds since the epoch (device clock). */
  now?: () => number;
  /** [0, 1) — used for retry jitter. */
  random?: () => number;
  /** Opens the live-update stream; null turns live updates off (Node). Default: `EventSource` when present. */
  eventSource?: EventSourceFactory | null;
  /** Web Locks, so one tab syncs at a time; null to sync without. Default: `navigator.locks` when present. */
  locks?: LockManagerLike | null;
  /** Initial online guess (`navigator.onLine`); a failed request is the real signal. */
  online?: () => boolean;
  storage?: StorageManagerLike | null;
  logger?: SyncLogger;
  /** fake-indexeddb in Node tests. */
  indexedDB?: IndexedDbDeps['indexedDB'];
  IDBKeyRange?: IndexedDbDeps['IDBKeyRange'];
  /** Debounce between a local change and the sync it triggers. */
  debounceMs?: number;
}

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
}

/**
 * `mutate` args: as in the catalogue, except that `from` of a status change
 * and `base` of an update may be left out (filled from the local row).
 */
export type MutateArgs<N extends MutationName> = N extends 'job.setStatus' | 'assignment.setStatus'
  ? Omit<MutationArgs<N>, 'from'> & { from?: MutationArgs<N>['from'] }
  : N extends UpdateMutationName
    ? Omit<MutationArgs<N>, 'base'> & { base?: MutationArgs<N>['base'] }
    : MutationArgs<N>;

export interface FieldsyncClient {
  readonly db: FieldsyncDatabase;
  /** The signed-in person, or null. */
  readonly session: { user: SessionUser } | null;
  signIn(email: string, password: string): Promise<SessionUser>;
  signOut(options?: { force?: boolean }): Promise<void>;
  /** Pending changes as a JSON string, for a person to download before a forced sign-out. */
  exportPending(): Promise<string>;
  mutate<N extends MutationName>(name: N, args: MutateArgs<N>): Promise<{ seq: number }>;
  syncNow(): Promise<void>;
  start(): void;
  stop(): void;
  subscribe(listener: () => void): () => void;
  getState(): SyncState;
  /** Deletes a rejected change for good (ask the person first: it is the only copy). */
  dismissRejected(id: number): Promise<void>;
  /**
   * Queues a rejected change again as a new change (through `mutate`, so the
   * same checks run), optionally on another job (`note.add`, `material.add`).
   * The rejected entry stays listed, marked as sent again, until deleted.
   * Throws `MutationRefusedError` when the change cannot be made now.
   */
  retryRejected(id: number, options?: { jobId?: string }): Promise<{ seq: number }>;
  close(): void;
}

const sessionResponseSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  user: z.looseObject({
    id: z.string(),
    orgId: z.string().optional(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
  }),
});

/** The refresh token is dead; the person must sign in again. */
class SignInRequired extends Error {
  constructor() {
    super('Please sign in again to send your changes.');
  }
}

/** The server switched this account off: stop syncing, keep the outbox. */
class AccountDisabled extends Error {
  constructor() {
    super(describeOutcome({ code: ERROR_CODES.account_disabled, mutationName: 'sync' }));
  }
}

const isAccountDisabled = (error: unknown) => error instanceof HttpError && error.code === ERROR_CODES.account_disabled;

/** Creates need a fresh id when queued again: the first one may already be known to the server. */
const CREATE_MUTATIONS: ReadonlySet<string> = new Set(['note.add', 'material.add', 'customer.create', 'job.create']);
/** Creates that make sense on another job ("add to another job"). */
const MOVABLE_MUTATIONS: ReadonlySet<string> = new Set(['note.add', 'material.add']);

const SYNC_LOCK = 'fieldsync-sync';
const AUTH_LOCK = 'fieldsync-auth';
const LOCK_BUSY_RETRY_MS = 2_000;
/** A server's Retry-After is honoured up to this long; past it, the ordinary backoff takes over again. */
const RETRY_AFTER_CAP_MS = 10 * 60_000;

const hasWindow = () => typeof window !== 'undefined' && typeof window.addEventListener === 'function';
const hasDocument = () => typeof document !== 'undefined' && typeof document.addEventListener === 'function';
const browserNavigator = (): Navigator | undefined => (typeof navigator === 'undefined' ? undefined : navigator);

function defaultFetch(): FetchLike {
  return (url, init) => globalThis.fetch(url, init);
}

function toSessionUser(user: z.infer<typeof sessionResponseSchema>['user']): SessionUser {
  // Extra fields the server sends (e.g. a time zone) are kept for screens.
  return { ...user };
}

/**
 * Creates the offline store and sync engine. Nothing touches the network
 * until `signIn`, `syncNow` or `start` is called.
 */
export function createFieldsyncClient(options: FieldsyncClientOptions): FieldsyncClient {
  const fetchFn = options.fetch ?? defaultFetch();
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const logger: SyncLogger = options.logger ?? console;
  const nav = browserNavigator();
  const locks: LockManagerLike | null =
    options.locks !== undefined ? options.locks : ((nav?.locks as unknown as LockManagerLike | undefined) ?? null);
  const eventSourceFactory: EventSourceFactory | null =
    options.eventSource !== undefined
      ? options.eventSource
      : typeof EventSource === 'undefined'
        ? null
        : (url) => new EventSource(url);
  const storage: StorageManagerLike | null =
    options.storage !== undefined ? options.storage : ((nav?.storage as StorageManagerLike | undefined) ?? null);
  const debounceMs = options.debounceMs ?? 300;
  const newId = () => uuidv7(now());

  const deps: IndexedDbDeps = {};
  if (options.indexedDB) deps.indexedDB = options.indexedDB;
  if (options.IDBKeyRange) deps.IDBKeyRange = options.IDBKeyRange;
  const db = openFieldsyncDatabase(options.dbName, deps);

  let state: SyncState = {
    online: options.online ? options.online() : (nav?.onLine ?? true),
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
  };
  const listeners = new Set<() => void>();
  function setState(patch: Partial<SyncState>) {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  }

  let started = false;
  let closed = false;
  let running: Promise<void> | null = null;
  let rerun = false;
  let retryAttempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let debounceTimer: ReturnType<typeof setTimeout> | undefined;
  let lockBusyTimer: ReturnType<typeof setTimeout> | undefined;
  let events: EventSourceLike | null = null;
  let eventsAttempt = 0;
  let eventsTimer: ReturnType<typeof setTimeout> | undefined;
  let eventsConnecting = false;
  let stateSubscription: Subscription | undefined;
  const removers: Array<() => void> = [];
  let refreshing: Promise<void> | null = null;

  db.on('versionchange', () => {
    // A newer build in another tab wants to upgrade: step aside so it can, and tell the person to reload.
    db.close({ disableAutoOpen: true });
    stop();
    setState({ dbClosed: true, lastError: 'The app was updated in another tab. Reload this page.' });
    return false;
  });
  db.on('blocked', () => {
    setState({ lastError: 'Close the other tabs of this app so it can finish updating.' });
  });

  async function refreshState(): Promise<void> {
    if (closed || state.dbClosed) return;
    const [pendingCount, rejected, lastSyncedAt, session] = await Promise.all([
      db.outbox.count(),
      db.rejected.toArray(),
      readMeta(db, 'lastSyncedAt'),
      readMeta(db, 'session'),
    ]);
    applyStoredState({ pendingCount, rejected, lastSyncedAt, session });
  }

  function applyStoredState(stored: {
    pendingCount: number;
    rejected: RejectedChange[];
    lastSyncedAt: string | undefined;
    session: StoredSession | undefined;
  }) {
    const rejected = [...stored.rejected].sort((a, b) => (b.id ?? 0) - (a.id ?? 0));
    const sessionUser = stored.session?.user;
    const session = sessionUser ? { user: sessionUser } : null;
    setState({
      pendingCount: stored.pendingCount,
      rejected: sameRejected(state.rejected, rejected) ? state.rejected : rejected,
      lastSyncedAt: stored.lastSyncedAt ?? null,
      session:
        state.session?.user.id === session?.user.id && state.session?.user.role === session?.user.role
          ? state.session
          : session,
      needsSignIn: stored.session?.needsSignIn === true,
      accountDisabled: stored.session?.accountDisabled === true,
    });
  }

  // ── auth ─────────────────────────────────────────────────────────────

  /** Runs `fn` with the auth lock held (across tabs when Web Locks exist), so a refresh token is spent once. */
  async function withAuthLock<T>(fn: () => Promise<T>): Promise<T> {
    if (locks) return locks.request(AUTH_LOCK, { mode: 'exclusive' }, () => fn());
    return fn();
  }

  /** Replaces tokens after a 401. If another tab already did, its new token is used. */
  async function refreshAfter(failedAccessToken: string): Promise<void> {
    if (refreshing) return refreshing;
    refreshing = withAuthLock(async () => {
      const session = await readMeta(db, 'session');
      if (!session || session.needsSignIn) throw new SignInRequired();
      if (session.accessToken !== failedAccessToken) return;
      let raw: unknown;
      try {
        raw = await requestJson(fetchFn, options.baseUrl, 'POST', '/api/auth/refresh', {
          body: { refreshToken: session.refreshToken },
        });
      } catch (error) {
        if (isAccountDisabled(error)) {
          await writeMeta(db, 'session', { ...session, accountDisabled: true });
          throw new AccountDisabled();
        }
        if (error instanceof HttpError && error.status >= 400 && error.status < 500 && error.status !== 429) {
          await writeMeta(db, 'session', { ...session, needsSignIn: true });
          throw new SignInRequired();
        }
        throw error;
      }
      const fresh = sessionResponseSchema.parse(raw);
      await writeMeta(db, 'session', {
        user: session.user,
        accessToken: fresh.accessToken,
        refreshToken: fresh.refreshToken,
      });
    }).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  /** An authorised request; a 401 refreshes the token once and retries. */
  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const session = await readMeta(db, 'session');
      if (!session || session.needsSignIn) throw new SignInRequired();
      if (session.accountDisabled) throw new AccountDisabled();
      try {
        return await requestJson(fetchFn, options.baseUrl, method, path, {
          accessToken: session.accessToken,
          ...(body === undefined ? {} : { body }),
        });
      } catch (error) {
        if (!(error instanceof HttpError) || error.status !== 401) throw error;
        if (isAccountDisabled(error)) {
          await writeMeta(db, 'session', { ...session, accountDisabled: true });
          throw new AccountDisabled();
        }
        if (attempt >= 1) {
          await writeMeta(db, 'session', { ...session, needsSignIn: true });
          throw new SignInRequired();
        }
        await refreshAfter(session.accessToken);
      }
    }
  }

  async function signIn(email: string, password: string): Promise<SessionUser> {
    let raw: unknown;
    try {
      raw = await requestJson(fetchFn, options.baseUrl, 'POST', '/api/auth/login', { body: { email, password } });
    } catch (error) {
      if (error instanceof NetworkError) {
        setState({ online: false });
        throw new AuthError('network', 'No connection to the server. Try again when you are online.');
      }
      if (error instanceof HttpError) {
        const message =
          error.code === 'invalid_credentials' || error.code === 'unauthorized'
            ? 'Email or password is incorrect.'
            : error.code === 'rate_limited'
              ? error.message || 'Too many attempts. Wait a few minutes and try again.'
              : describeOutcome({ code: error.code, mutationName: 'session' });
        throw new AuthError(error.code, message);
      }
      throw error;
    }
    const parsed = sessionResponseSchema.parse(raw);
    const user = toSessionUser(parsed.user);
    const session: StoredSession = { user, accessToken: parsed.accessToken, refreshToken: parsed.refreshToken };
    const refusedFor = await db.transaction('rw', [db.meta, db.outbox, ...allLocalTables()], async () => {
      const owner = await readMeta(db, 'ownerUserId');
      if (owner && owner !== user.id) {
        const pending = await db.outbox.count();
        if (pending > 0) return pending;
        await wipeLocalData();
      }
      if (!(await readMeta(db, 'clientId'))) {
        await writeMeta(db, 'clientId', newId());
        await writeMeta(db, 'nextSeq', 1);
      }
      await writeMeta(db, 'ownerUserId', user.id);
      await writeMeta(db, 'session', session);
      return 0;
    });
    if (refusedFor > 0) {
      void requestJson(fetchFn, options.baseUrl, 'POST', '/api/auth/logout', {
        body: { refreshToken: parsed.refreshToken },
      }).catch(() => undefined);
      throw new PendingChangesError(refusedFor);
    }
    setState({ online: true, needsSignIn: false, accountDisabled: false, lastError: null });
    await refreshState();
    void updateStorage(true);
    if (started) {
      connectEvents();
      void syncNow();
    }
    return user;
  }

  function allLocalTables() {
    return [...SYNCED_TABLE_NAMES.map((name) => db.table(name)), db.shadows, db.rejected];
  }

  /** Clears everything but the tables' shape. Call inside a transaction over all tables. */
  async function wipeLocalData() {
    for (const table of allLocalTables()) await table.clear();
    await db.outbox.clear();
    await db.meta.clear();
  }

  async function signOut(signOutOptions: { force?: boolean } = {}): Promise<void> {
    const pending = await db.outbox.count();
    if (pending > 0 && !signOutOptions.force) throw new PendingChangesError(pending);
    const session = await readMeta(db, 'session');
    stopEvents();
    await db.transaction('rw', [db.meta, db.outbox, ...allLocalTables()], wipeLocalData);
    if (session) {
      // Best effort: the server forgets the refresh token; offline, it simply expires.
      await requestJson(fetchFn, options.baseUrl, 'POST', '/api/auth/logout', {
        body: { refreshToken: session.refreshToken },
      }).catch(() => undefined);
    }
    setState({ needsSignIn: false, accountDisabled: false, lastError: null, updateRequired: false });
    await refreshState();
  }

  async function exportPending(): Promise<string> {
    const [entries, clientId, session] = await Promise.all([
      db.outbox.orderBy('seq').toArray(),
      readMeta(db, 'clientId'),
      readMeta(db, 'session'),
    ]);
    return JSON.stringify(
      {
        exportedAt: new Date(now()).toISOString(),
        clientId: clientId ?? null,
        user: session?.user ?? null,
        mutations: entries.map(({ seq, name, args, occurredAt }) => ({ seq, name, occurredAt, args })),
      },
      null,
      2,
    );
  }

  async function updateStorage(askPersist: boolean) {
    if (!storage) return;
    try {
      const persisted =
        askPersist && storage.persist ? await storage.persist() : ((await storage.persisted?.()) ?? false);
      const estimate = (await storage.estimate?.()) ?? {};
      setState({ storage: { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted } });
    } catch (error) {
      logger.warn('fieldsync: storage estimate failed', error);
    }
  }

  // ── local changes ────────────────────────────────────────────────────

  async function mutate<N extends MutationName>(name: N, args: MutateArgs<N>): Promise<{ seq: number }> {
    const session = await readMeta(db, 'session');
    if (!session) throw new MutationRefusedError('unauthorized', 'Sign in to make changes.');
    const user = session.user;
    const tables = [...SYNCED_TABLE_NAMES.map((table) => db.table(table)), db.shadows, db.outbox, db.meta];
    const seq = await db.transaction('rw', tables, async () => {
      const completed = await completeArgs(db, name, args);
      const parsed = checkMutation(name, completed, user);
      const clientId = await readMeta(db, 'clientId');
      if (!clientId) throw new MutationRefusedError('unauthorized', 'Sign in to make changes.');
      const nextSeq = (await readMeta(db, 'nextSeq')) ?? 1;
      const offset = (await readMeta(db, 'clockOffsetMs')) ?? 0;
      const entry = { seq: nextSeq, occurredAt: new Date(now() + offset).toISOString() };
      const localIds: string[] = [];
      const ownContractorId = await ownContractorIdOf(db, user);
      const ctx = applyContext({ db, entry, clientId, user, ownContractorId, replay: false, localIds, newId });
      await runApplier(ctx, parsed);
      await db.outbox.add({
        ...entry,
        name: parsed.name,
        args: parsed.args,
        attempts: 0,
        lastError: null,
        ...(localIds.length > 0 ? { localIds } : {}),
      });
      await writeMeta(db, 'nextSeq', nextSeq + 1);
      return nextSeq;
    });
    await refreshState();
    scheduleDebouncedSync();
    requestBackgroundSync();
    return { seq };
  }

  async function dismissRejected(id: number): Promise<void> {
    await db.rejected.delete(id);
    await refreshState();
  }

  async function retryRejected(id: number, retryOptions: { jobId?: string } = {}): Promise<{ seq: number }> {
    const change = await db.rejected.get(id);
    if (!change) throw new MutationRefusedError('not_found', 'This change is no longer on this device.');
    const args: Record<string, unknown> =
      typeof change.args === 'object' && change.args !== null ? { ...(change.args as Record<string, unknown>) } : {};
    if (CREATE_MUTATIONS.has(change.name)) args.id = newId();
    if (retryOptions.jobId !== undefined) {
      if (!MOVABLE_MUTATIONS.has(change.name)) {
        throw new MutationRefusedError('invalid_args', 'Only a note or a material can be added to another job.');
      }
      args.jobId = retryOptions.jobId;
    }
    // What the device saw then is stale now: `mutate` fills both from the rows as they are today.
    delete args.from;
    delete args.base;
    const result = await mutate(change.name as MutationName, args as never);
    await db.rejected.update(id, { resentAt: new Date(now()).toISOString(), resentSeq: result.seq });
    await refreshState();
    return result;
  }

  // ── the sync loop ────────────────────────────────────────────────────

  function syncNow(): Promise<void> {
    if (closed || state.dbClosed) return Promise.resolve();
    if (running) {
      rerun = true;
      return running;
    }
    running = (async () => {
      do {
        rerun = false;
        await syncWithLock();
      } while (rerun && !closed);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  async function syncWithLock(): Promise<void> {
    if (!locks) return syncOnce();
    await locks.request(SYNC_LOCK, { ifAvailable: true }, async (lock) => {
      if (!lock) {
        // Another tab is syncing; look again shortly in case it started before our change or poke.
        if (started && !lockBusyTimer) {
          lockBusyTimer = setTimeout(() => {
            lockBusyTimer = undefined;
            void syncNow();
          }, LOCK_BUSY_RETRY_MS);
        }
        return;
      }
      await syncOnce();
    });
  }

  async function syncOnce(): Promise<void> {
    const session = await readMeta(db, 'session');
    if (!session) return;
    if (session.needsSignIn) {
      setState({ needsSignIn: true });
      return;
    }
    if (session.accountDisabled) {
      setState({ accountDisabled: true, lastError: new AccountDisabled().message });
      return;
    }
    setState({ syncing: true });
    const io: EngineIo = { db, call, now, newId, user: session.user };
    try {
      await pushOutbox(io);
      await pullAll(io);
      retryAttempt = 0;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      setState({ online: true, lastError: null, updateRequired: false });
    } catch (error) {
      handleSyncFailure(error);
    } finally {
      setState({ syncing: false });
      await refreshState().catch((error: unknown) => logger.warn('fieldsync: state refresh failed', error));
    }
  }

  function handleSyncFailure(error: unknown) {
    if (error instanceof SignInRequired) {
      stopEvents();
      setState({ needsSignIn: true, lastError: error.message });
      return;
    }
    if (error instanceof AccountDisabled) {
      // No retry: nothing the app can do will switch the account back on. The outbox stays.
      stopEvents();
      setState({ online: true, accountDisabled: true, lastError: error.message });
      return;
    }
    if (error instanceof NetworkError) {
      setState({ online: false, lastError: 'Offline. Your changes are saved on this device and will be sent later.' });
      scheduleRetry();
      return;
    }
    if (error instanceof HttpError) {
      if (error.status === 426 || error.code === 'client_outdated') {
        setState({
          online: true,
          updateRequired: true,
          lastError: describeOutcome({ code: 'client_outdated', mutationName: 'sync' }),
        });
        return;
      }
      setState({ online: true, lastError: describeOutcome({ code: error.code, mutationName: 'sync' }) });
      // A 503 says when to come back; asking sooner only adds load to a server that is already down.
      scheduleRetry(error.status === 503 ? error.retryAfterMs : undefined);
      return;
    }
    logger.error('fieldsync: sync failed', error);
    setState({ lastError: 'Sync failed; the app will try again.' });
    scheduleRetry();
  }

  function scheduleRetry(atLeastMs?: number) {
    if (!started || closed) return;
    clearTimeout(retryTimer);
    const delay = Math.max(nextBackoffDelay(retryAttempt++, random), Math.min(atLeastMs ?? 0, RETRY_AFTER_CAP_MS));
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void syncNow();
    }, delay);
  }

  function scheduleDebouncedSync() {
    if (!started || closed) return;
    clearTimeout(debounceTimer);
    debounceTimer = setTimeout(() => {
      debounceTimer = undefined;
      void syncNow();
    }, debounceMs);
  }

  function requestBackgroundSync() {
    // One more trigger where the browser has it (Chromium): the service worker nudges us when back online.
    const container = nav?.serviceWorker;
    if (!started || !container) return;
    void container.ready
      .then((registration) => {
        const sync = (registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
          .sync;
        return sync?.register('fieldsync-sync');
      })
      .catch(() => undefined);
  }

  // ── live updates (SSE) ───────────────────────────────────────────────

  function connectEvents() {
    if (!eventSourceFactory || !started || closed || events || eventsConnecting || state.needsSignIn) return;
    if (state.accountDisabled) return;
    eventsConnecting = true;
    void (async () => {
      try {
        const raw = (await call('POST', '/api/sync/events/token')) as { token?: unknown };
        if (typeof raw?.token !== 'string') throw new Error('No events token in the answer.');
        if (!started || closed) return;
        const source = eventSourceFactory(`${options.baseUrl}/api/sync/events?token=${encodeURIComponent(raw.token)}`);
        events = source;
        source.addEventListener('ready', () => {
          eventsAttempt = 0;
          void syncNow();
        });
        source.addEventListener('poke', () => {
          void syncNow();
        });
        source.addEventListener('error', () => {
          // The browser would reconnect with the same (short-lived) token; take a fresh one instead.
          source.close();
          if (events === source) events = null;
          scheduleEventsReconnect();
        });
      } catch (error) {
        if (error instanceof SignInRequired) setState({ needsSignIn: true });
        else if (error instanceof AccountDisabled) setState({ accountDisabled: true });
        else scheduleEventsReconnect();
      } finally {
        eventsConnecting = false;
      }
    })();
  }

  function scheduleEventsReconnect() {
    if (!started || closed || eventsTimer || state.needsSignIn) return;
    const delay = nextBackoffDelay(eventsAttempt++, random);
    eventsTimer = setTimeout(() => {
      eventsTimer = undefined;
      connectEvents();
    }, delay);
  }

  function stopEvents() {
    clearTimeout(eventsTimer);
    eventsTimer = undefined;
    events?.close();
    events = null;
  }

  // ── lifecycle ────────────────────────────────────────────────────────

  function listen(target: EventTarget, type: string, handler: (event: Event) => void) {
    target.addEventListener(type, handler);
    removers.push(() => target.removeEventListener(type, handler));
  }

  function start() {
    if (started || closed) return;
    started = true;
    if (hasWindow()) {
      listen(window, 'online', () => {
        setState({ online: true });
        connectEvents();
        void syncNow();
      });
      listen(window, 'offline', () => setState({ online: false }));
    }
    if (hasDocument()) {
      listen(document, 'visibilitychange', () => {
        if (document.visibilityState === 'visible') void syncNow();
      });
    }
    if (nav?.serviceWorker && typeof nav.serviceWorker.addEventListener === 'function') {
      listen(nav.serviceWorker, 'message', (event) => {
        const data = (event as MessageEvent).data as { type?: unknown } | null;
        if (data?.type === 'fieldsync-sync') void syncNow();
      });
    }
    // Other tabs change the outbox and meta too; keep this tab's badge right.
    stateSubscription = liveQuery(async () => {
      const [pendingCount, rejected, lastSyncedAt, session] = await Promise.all([
        db.outbox.count(),
        db.rejected.toArray(),
        readMeta(db, 'lastSyncedAt'),
        readMeta(db, 'session'),
      ]);
      return { pendingCount, rejected, lastSyncedAt, session };
    }).subscribe({
      next: (stored) => applyStoredState(stored),
      error: (error: unknown) => logger.warn('fieldsync: state subscription failed', error),
    });
    void updateStorage(false);
    connectEvents();
    void syncNow();
  }

  function stop() {
    started = false;
    for (const remove of removers.splice(0)) remove();
    clearTimeout(retryTimer);
    clearTimeout(debounceTimer);
    clearTimeout(lockBusyTimer);
    retryTimer = debounceTimer = lockBusyTimer = undefined;
    stateSubscription?.unsubscribe();
    stateSubscription = undefined;
    stopEvents();
  }

  function close() {
    stop();
    closed = true;
    listeners.clear();
    db.close();
  }

  void refreshState().catch((error: unknown) => logger.warn('fieldsync: could not read local state', error));

  return {
    db,
    get session() {
      return state.session;
    },
    signIn,
    signOut,
    exportPending,
    mutate,
    syncNow,
    start,
    stop,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getState: () => state,
    dismissRejected,
    retryRejected,
    close,
  };
}

function sameRejected(a: readonly RejectedChange[], b: readonly RejectedChange[]): boolean {
  return (
    a.length === b.length &&
    a.every((entry, index) => entry.id === b[index]?.id && entry.resentSeq === b[index]?.resentSeq)
  );
}
