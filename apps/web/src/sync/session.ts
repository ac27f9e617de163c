import {
  describeOutcome,
  ERROR_CODES,
  type LoginResponse,
  loginResponseSchema,
  refreshResponseSchema,
  type SignupRequest,
} from '@fieldsync/protocol';
import { z } from 'zod';
import {
  type FieldsyncDatabase,
  readMeta,
  type SessionUser,
  type StoredSession,
  SYNCED_TABLE_NAMES,
  writeMeta,
} from './database';
import { AuthError, HttpError, NetworkError, PendingChangesError } from './errors';
import { type FetchLike, requestJson } from './transport';

/** The part of the Web Locks API the client uses (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: { ifAvailable?: boolean; mode?: 'exclusive' | 'shared' },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

/** The refresh token is dead; the person must sign in again. */
export class SignInRequired extends Error {
  constructor() {
    super('Please sign in again to send your changes.');
  }
}

/** The server switched this account off: stop syncing, keep the outbox. */
export class AccountDisabled extends Error {
  constructor() {
    super(describeOutcome({ code: ERROR_CODES.account_disabled, mutationName: 'sync' }));
  }
}

const isAccountDisabled = (error: unknown) => error instanceof HttpError && error.code === ERROR_CODES.account_disabled;

const AUTH_LOCK = 'fieldsync-auth';

/**
 * `GET /api/config`: what a signed-out screen needs to know of the server.
 * Unknown fields are ignored so that a newer server can add some.
 */
export const serverConfigSchema = z.object({ signupOpen: z.boolean() });
export type ServerConfig = z.infer<typeof serverConfigSchema>;

/** What a person reads when an account call failed for a reason of ours, not theirs. */
const SOMETHING_WENT_WRONG = 'Something went wrong on the server. Try again in a moment.';

const INVALID_INVITE =
  'This link was already used, replaced by a newer one, or has expired. Ask your office for a new link.';

/** Plain words for the codes the account calls (sign-up, invite, password) answer with. */
const ACCOUNT_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  [ERROR_CODES.email_taken]: 'An account with this email already exists. Sign in instead, or use another email.',
  [ERROR_CODES.signup_closed]: 'Starting a new company is turned off on this server. Ask your office for an invite.',
  [ERROR_CODES.invalid_invite]: INVALID_INVITE,
  [ERROR_CODES.rate_limited]: 'Too many attempts. Wait a few minutes and try again.',
  [ERROR_CODES.db_unavailable]: 'The server is having trouble right now. Try again in a few minutes.',
  [ERROR_CODES.client_outdated]: 'This app is out of date. Reload the page to update it, then try again.',
};

// DELETE: forgetting a push subscription on sign-out.
export type RequestMethod = 'GET' | 'POST' | 'DELETE';
export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * The signed-in person's tokens, kept in the `meta` table (shared by tabs).
 *
 * What a throw means:
 * - `request` throws `SignInRequired` when there is no usable session (the
 *   refresh token was refused; `needsSignIn` is stored), `AccountDisabled`
 *   when the server switched the account off (stored too; nothing will
 *   succeed until a new sign-in), `NetworkError` when offline and
 *   `HttpError` for any other non-2xx answer. A 401 is never thrown as such
 *   the first time: the tokens are refreshed once and the request repeated.
 * - `signIn` throws `AuthError` (plain words; `code: 'network'` offline) or
 *   `PendingChangesError` when another person's changes are still queued.
 * - `signUp`, `acceptInvite` and `changePassword` start a session exactly
 *   like `signIn` and throw the same way: `AuthError` in plain words (its
 *   `code` is the server's: `email_taken`, `invalid_invite`,
 *   `invalid_credentials` for a wrong current password, `rate_limited`,
 *   `signup_closed`, `invalid_body`, … or `network`) or
 *   `PendingChangesError`. For `acceptInvite` that last one comes after the
 *   server took the token: the password is set, the person can sign in once
 *   the other person's changes are sent or dropped.
 * - `fetchConfig` throws `NetworkError` offline and `HttpError` otherwise.
 * - `signOut` throws `PendingChangesError` unless forced; nothing is wiped then.
 */
export interface Session {
  request(method: RequestMethod, path: string, options?: RequestOptions): Promise<unknown>;
  /**
   * Replaces the tokens after `failedAccessToken` got a 401 (once across
   * tabs; nothing when another request already did). For requests that are
   * not JSON (uploads, downloads). Throws `SignInRequired` or `AccountDisabled`
   * when the session cannot go on.
   */
  refreshAfter(failedAccessToken: string): Promise<void>;
  signIn(email: string, password: string): Promise<SessionUser>;
  /** `POST /api/orgs`: a new company with the caller as its admin, signed in. */
  signUp(body: SignupRequest): Promise<SessionUser>;
  /** `POST /api/auth/accept-invite`: sets the password an invite or reset link asks for, signed in. */
  acceptInvite(token: string, password: string): Promise<SessionUser>;
  /** `POST /api/auth/password` as the signed-in person; the fresh session replaces the stored one. */
  changePassword(currentPassword: string, newPassword: string): Promise<SessionUser>;
  /** `GET /api/config`, no session needed. */
  fetchConfig(): Promise<ServerConfig>;
  signOut(options?: { force?: boolean }): Promise<void>;
}

export interface SessionDeps {
  db: FieldsyncDatabase;
  fetch: FetchLike;
  baseUrl: string;
  /** Serialises refreshes across tabs; null in Node (one tab). */
  locks: LockManagerLike | null;
  newId: () => string;
  /** Sign-in found no connection (the device is offline). */
  onOffline(): void;
  /** Sign-out is about to wipe the local data: stop anything that reads it. */
  onSigningOut(): void;
}

export function createSession(deps: SessionDeps): Session {
  const { db, baseUrl, locks } = deps;
  let refreshing: Promise<void> | null = null;

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
        raw = await requestJson(deps.fetch, baseUrl, 'POST', '/api/auth/refresh', {
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
      const fresh = refreshResponseSchema.parse(raw);
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

  async function request(method: RequestMethod, path: string, options: RequestOptions = {}): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const session = await readMeta(db, 'session');
      if (!session || session.needsSignIn) throw new SignInRequired();
      if (session.accountDisabled) throw new AccountDisabled();
      try {
        return await requestJson(deps.fetch, baseUrl, method, path, { ...options, accessToken: session.accessToken });
      } catch (error) {
        if (!(error instanceof HttpError) || error.status !== 401) throw error;
        // A wrong password typed into a signed-in form (changing it): the token itself is fine.
        if (error.code === ERROR_CODES.invalid_credentials) throw error;
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

  function allLocalTables() {
    return [...SYNCED_TABLE_NAMES.map((name) => db.table(name)), db.shadows, db.rejected, db.attachmentFiles];
  }

  /** Clears everything but the tables' shape. Call inside a transaction over all tables. */
  async function wipeLocalData() {
    for (const table of allLocalTables()) await table.clear();
    await db.outbox.clear();
    await db.meta.clear();
  }

  /** Best effort: the server forgets the refresh token; offline, it simply expires. */
  function forgetRefreshToken(refreshToken: string): Promise<unknown> {
    return requestJson(deps.fetch, baseUrl, 'POST', '/api/auth/logout', { body: { refreshToken } }).catch(
      () => undefined,
    );
  }

  /** Plain words for a failed account call; `NetworkError` also marks the device offline. */
  function accountError(error: unknown, wrongPassword: string): unknown {
    if (error instanceof NetworkError) {
      deps.onOffline();
      return new AuthError('network', 'No connection to the server. Try again when you are online.');
    }
    if (error instanceof SignInRequired) {
      return new AuthError(ERROR_CODES.unauthorized, 'Your session has ended. Sign in again, then try once more.');
    }
    if (error instanceof AccountDisabled) return new AuthError(ERROR_CODES.account_disabled, error.message);
    if (!(error instanceof HttpError)) return error;
    if (error.code === ERROR_CODES.invalid_credentials || error.code === ERROR_CODES.unauthorized) {
      return new AuthError(error.code, wrongPassword);
    }
    const known = ACCOUNT_ERROR_MESSAGES[error.code];
    if (known) return new AuthError(error.code, known);
    // A 400 names the field that was refused ("timeZone must be an IANA time zone …").
    if (error.code === ERROR_CODES.invalid_body && error.message) return new AuthError(error.code, error.message);
    if (error.status >= 500) return new AuthError(error.code, SOMETHING_WENT_WRONG);
    return new AuthError(error.code, describeOutcome({ code: error.code, mutationName: 'session' }));
  }

  /**
   * Stores the session a login-shaped answer carries, as the owner of the
   * local data. Refuses (and lets go of the new refresh token) when the data
   * on this device belongs to someone else whose changes are still queued;
   * otherwise another person's data is wiped first.
   */
  async function storeSession(raw: unknown): Promise<SessionUser> {
    const parsed: LoginResponse = loginResponseSchema.parse(raw);
    const user: SessionUser = parsed.user;
    const session: StoredSession = { user, accessToken: parsed.accessToken, refreshToken: parsed.refreshToken };
    const refusedFor = await db.transaction('rw', [db.meta, db.outbox, ...allLocalTables()], async () => {
      const owner = await readMeta(db, 'ownerUserId');
      if (owner && owner !== user.id) {
        const pending = await db.outbox.count();
        if (pending > 0) return pending;
        await wipeLocalData();
      }
      if (!(await readMeta(db, 'clientId'))) {
        await writeMeta(db, 'clientId', deps.newId());
        await writeMeta(db, 'nextSeq', 1);
      }
      await writeMeta(db, 'ownerUserId', user.id);
      await writeMeta(db, 'session', session);
      return 0;
    });
    if (refusedFor > 0) {
      void forgetRefreshToken(parsed.refreshToken);
      throw new PendingChangesError(refusedFor);
    }
    return user;
  }

  /** A public (no session) call whose answer is a login body. */
  async function startSession(path: string, body: unknown, wrongPassword: string): Promise<SessionUser> {
    let raw: unknown;
    try {
      raw = await requestJson(deps.fetch, baseUrl, 'POST', path, { body });
    } catch (error) {
      throw accountError(error, wrongPassword);
    }
    return storeSession(raw);
  }

  async function signIn(email: string, password: string): Promise<SessionUser> {
    let raw: unknown;
    try {
      raw = await requestJson(deps.fetch, baseUrl, 'POST', '/api/auth/login', { body: { email, password } });
    } catch (error) {
      if (error instanceof NetworkError) {
        deps.onOffline();
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
    return storeSession(raw);
  }

  function signUp(body: SignupRequest): Promise<SessionUser> {
    return startSession('/api/orgs', body, 'Email or password is incorrect.');
  }

  function acceptInvite(token: string, password: string): Promise<SessionUser> {
    return startSession('/api/auth/accept-invite', { token, password }, INVALID_INVITE);
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<SessionUser> {
    let raw: unknown;
    try {
      raw = await request('POST', '/api/auth/password', { body: { currentPassword, newPassword } });
    } catch (error) {
      throw accountError(error, 'Your current password is not right.');
    }
    // Under the auth lock: a refresh already under way with the old (now revoked) token must not
    // write its failure over the fresh session, and one starting later sees the new token.
    return withAuthLock(() => storeSession(raw));
  }

  async function fetchConfig(): Promise<ServerConfig> {
    return serverConfigSchema.parse(await requestJson(deps.fetch, baseUrl, 'GET', '/api/config'));
  }

  async function signOut(options: { force?: boolean } = {}): Promise<void> {
    const pending = await db.outbox.count();
    if (pending > 0 && !options.force) throw new PendingChangesError(pending);
    const session = await readMeta(db, 'session');
    deps.onSigningOut();
    await db.transaction('rw', [db.meta, db.outbox, ...allLocalTables()], wipeLocalData);
    if (session) await forgetRefreshToken(session.refreshToken);
  }

  return { request, refreshAfter, signIn, signUp, acceptInvite, changePassword, fetchConfig, signOut };
}
