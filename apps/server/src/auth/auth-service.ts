import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Role } from '@fieldsync/domain';
import type { LoginResponse, RefreshResponse, SessionUser } from '@fieldsync/protocol';
import { and, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { type Db, type DbOrTx, registerChangeWriter, type Tx } from '../db/database';
import { loginFailures, organizations, refreshTokens, users } from '../db/schema';
import { toIsoTimestamp } from '../db/timestamps';
import { ApiError } from '../errors';
import { ACCOUNT_DISABLED_MESSAGE, createAccountStatus } from './account-status';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { revokeSessionsOf } from './revocations';
import { type AuthUser, hashToken, newRefreshToken, refreshTokenOrg, signAccessToken } from './tokens';

export interface AuthSettings {
  signingKey: Uint8Array;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  loginMaxFailures: number;
  loginWindowMinutes: number;
  /** How long an instance trusts its last look at an account's status; see `ACCOUNT_STATUS_TTL_MS`. */
  accountStatusTtlMs?: number;
}

const ADDRESS_LIMIT_FACTOR = 20;
/** How long after a rotation the old refresh token may be presented again (a lost answer, retried). */
const REFRESH_REUSE_GRACE_MS = 30_000;
const GENERIC_LOGIN_FAILURE = 'Email or password is incorrect.';
/**
 * How long a sign-in waits for other checks of the same email or address to finish before it is
 * refused. Generous: a check is a deliberately slow argon2 hash, and on a busy machine a handful
 * of them queued behind each other take seconds; a burst of guesses only waits longer to be refused.
 */
const RESERVATION_WAIT_MS = 30_000;
const RESERVATION_POLL_MS = 25;
const SESSION_ENDED = 'Your session has ended. Please sign in again.';
const TOO_MANY_SIGN_INS = 'Too many failed sign-in attempts. Wait a few minutes and try again.';
/**
 * How stale `lastSeenAt` may get before a refresh moves it. Every change is a new
 * `users` row version that every office device pulls, so a refresh every 15 minutes
 * per device must not write it each time.
 */
export const LAST_SEEN_RESOLUTION_MS = 3_600_000;
/** A sign-in attempt whose password is still being checked; it counts against the limit like a failure. */
const pending = (key: string) => `pending:${key}`;

/** Which sign-in counters one attempt touches. */
interface LimitKeys {
  email: string;
  address: string;
}

/** Per-address counters besides sign-in: company sign-ups, and invite links that did not work. */
export type AddressCounter = 'signup' | 'invite';

/** The outcome of `changePassword`: refused when the current password is wrong. */
export type PasswordChange = { ok: true; session: LoginResponse } | { ok: false };

function limitKeys(email: string, clientAddress: string): LimitKeys {
  return { email: `email:${email.trim().toLowerCase()}`, address: `ip:${clientAddress}` };
}

export function createAuthService(db: Db, settings: AuthSettings, now: () => Date) {
  const accounts = createAccountStatus(db, now, settings.accountStatusTtlMs);
  const windowStart = () => new Date(now().getTime() - settings.loginWindowMinutes * 60_000).toISOString();

  async function issueSession(user: SessionUser, family: string, replacing?: string): Promise<LoginResponse> {
    const issuedAt = now();
    const refreshToken = newRefreshToken(user.orgId);
    const tokenId = randomUUID();
    if (replacing) {
      await db
        .update(refreshTokens)
        .set({ replacedBy: tokenId })
        .where(and(eq(refreshTokens.orgId, user.orgId), eq(refreshTokens.id, replacing)));
    }
    await db.insert(refreshTokens).values({
      orgId: user.orgId,
      id: tokenId,
      tokenHash: hashToken(refreshToken),
      userId: user.id,
      family,
      expiresAt: new Date(issuedAt.getTime() + settings.refreshTokenTtlDays * 86_400_000).toISOString(),
    });
    const accessToken = await signAccessToken(
      { userId: user.id, orgId: user.orgId, role: user.role },
      settings.signingKey,
      settings.accessTokenTtlSeconds,
      Math.floor(issuedAt.getTime() / 1000),
    );
    return { accessToken, refreshToken, expiresIn: settings.accessTokenTtlSeconds, user };
  }

  /** A reused token is forgiven only briefly after its rotation, and only while its session is alive. */
  async function withinReuseGrace(orgId: string, family: string, revokedAt: string): Promise<boolean> {
    if (now().getTime() - Date.parse(toIsoTimestamp(revokedAt)) > REFRESH_REUSE_GRACE_MS) return false;
    const [alive] = await db
      .select({ id: refreshTokens.id })
      .from(refreshTokens)
      .where(and(eq(refreshTokens.orgId, orgId), eq(refreshTokens.family, family), isNull(refreshTokens.revokedAt)))
      .limit(1);
    return Boolean(alive);
  }

  /** The signed-in user as the API shows it (never the password hash). */
  async function toSessionUser(user: typeof users.$inferSelect): Promise<SessionUser> {
    const [org] = await db
      .select({ name: organizations.name, timeZone: organizations.timeZone })
      .from(organizations)
      .where(eq(organizations.id, user.orgId));
    return {
      id: user.id,
      orgId: user.orgId,
      email: user.email,
      name: user.name,
      role: user.role as Role,
      timeZone: org?.timeZone ?? 'UTC',
      organizationName: org?.name ?? '',
    };
  }

  /**
   * Serialises work on these sign-in counters until the transaction ends. Sorted, so two
   * attempts sharing a key cannot deadlock. The one-bigint lock form on purpose: two-int
   * advisory locks are read by `fieldsync_safe_version` as writers in flight.
   */
  async function lockCounters(tx: Tx, keys: LimitKeys) {
    for (const key of [keys.email, keys.address].sort()) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:${key}`}))`);
    }
  }

  /**
   * Reserves one password check. `limited` when the email, or the address it comes from,
   * has failed too often lately; `busy` when only checks still in flight fill the limit.
   * Counting and reserving happen under one lock, so simultaneous attempts never get more
   * checks than the limit. A reservation carries the failures already settled for the
   * email, which a success may forgive.
   */
  async function reserveAttempt(
    keys: LimitKeys,
    since: string,
  ): Promise<{ outcome: 'reserved'; settledFailures: number } | { outcome: 'limited' | 'busy' }> {
    const counted = [keys.email, pending(keys.email), keys.address, pending(keys.address)];
    return db.transaction(async (tx) => {
      await lockCounters(tx, keys);
      await tx
        .delete(loginFailures)
        .where(and(inArray(loginFailures.key, counted), lte(loginFailures.failedAt, since)));
      const rows = await tx
        .select({ key: loginFailures.key, count: sql<number>`count(*)::int` })
        .from(loginFailures)
        .where(and(inArray(loginFailures.key, counted), gt(loginFailures.failedAt, since)))
        .groupBy(loginFailures.key);
      const count = (key: string) => Number(rows.find((row) => row.key === key)?.count ?? 0);
      // An address may be an office behind one NAT: it gets more room than a single email.
      const limits = [
        { key: keys.email, limit: settings.loginMaxFailures },
        { key: keys.address, limit: settings.loginMaxFailures * ADDRESS_LIMIT_FACTOR },
      ];
      if (limits.some(({ key, limit }) => count(key) >= limit)) return { outcome: 'limited' };
      if (limits.some(({ key, limit }) => count(key) + count(pending(key)) >= limit)) return { outcome: 'busy' };
      const failedAt = now().toISOString();
      await tx.insert(loginFailures).values([
        { key: pending(keys.email), failedAt },
        { key: pending(keys.address), failedAt },
      ]);
      return { outcome: 'reserved', settledFailures: count(keys.email) };
    });
  }

  /**
   * Reserves a check, waiting while only checks in flight fill the limit: a person signing in
   * on two devices at once is not refused, and a burst of guesses waits to be refused.
   */
  async function reserveWhenFree(keys: LimitKeys, since: string) {
    const giveUpAt = performance.now() + RESERVATION_WAIT_MS;
    for (;;) {
      const reservation = await reserveAttempt(keys, since);
      if (reservation.outcome !== 'busy' || performance.now() >= giveUpAt) return reservation;
      await delay(RESERVATION_POLL_MS);
    }
  }

  /** Rows are interchangeable per key: this picks any `limit` of them, oldest first. */
  function someRows(key: string, limit: number, since?: string) {
    const recent = since ? sql` and ${loginFailures.failedAt} > ${since}` : sql``;
    return sql`select ctid from ${loginFailures} where ${loginFailures.key} = ${key}${recent}
      order by ${loginFailures.failedAt} limit ${limit}`;
  }

  /** The password was wrong (or the account unusable): the reservation becomes a failure. */
  async function settleFailure(keys: LimitKeys) {
    await db.transaction(async (tx) => {
      await lockCounters(tx, keys);
      for (const key of [keys.email, keys.address]) {
        await tx.execute(sql`update ${loginFailures} set key = ${key} where ctid in (${someRows(pending(key), 1)})`);
      }
    });
  }

  /**
   * The password was right: the reservation is dropped, and the email's failures that had
   * settled before this attempt began are forgiven. Attempts still in flight then stay
   * counted, so one good sign-in inside a burst of guesses does not open the door to more.
   */
  async function settleSuccess(keys: LimitKeys, settledFailures: number, since: string) {
    await db.transaction(async (tx) => {
      await lockCounters(tx, keys);
      for (const key of [keys.email, keys.address]) {
        await tx.execute(sql`delete from ${loginFailures} where ctid in (${someRows(pending(key), 1)})`);
      }
      if (settledFailures > 0) {
        await tx.execute(
          sql`delete from ${loginFailures} where ctid in (${someRows(keys.email, settledFailures, since)})`,
        );
      }
    });
  }

  /** The user behind a session, or undefined when deactivated, soft-deleted or gone. */
  async function activeUser(orgId: string, userId: string) {
    const [user] = await db
      .select()
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.id, userId), isNull(users.deletedAt)));
    return user?.active ? user : undefined;
  }

  /** Moves `lastSeenAt` to now when it is older than `LAST_SEEN_RESOLUTION_MS`. */
  async function noteSeen(user: typeof users.$inferSelect) {
    const seenAt = now();
    const cutoff = new Date(seenAt.getTime() - LAST_SEEN_RESOLUTION_MS).toISOString();
    if (user.lastSeenAt && Date.parse(toIsoTimestamp(user.lastSeenAt)) > Date.parse(cutoff)) return;
    await db.transaction(async (tx) => {
      await registerChangeWriter(tx);
      // Checked again in SQL: two devices refreshing together write one version, not two.
      await tx
        .update(users)
        .set({ lastSeenAt: seenAt.toISOString() })
        .where(
          and(
            eq(users.orgId, user.orgId),
            eq(users.id, user.id),
            or(isNull(users.lastSeenAt), lte(users.lastSeenAt, cutoff)),
          ),
        );
    });
  }

  /** Ends every session of the user: their refresh tokens stop working at once. */
  async function revokeSessions(orgId: string, userId: string, executor: DbOrTx = db): Promise<void> {
    await revokeSessionsOf(executor, { orgId, userId }, now().toISOString());
  }

  /** Refuses a refresh for an account that may no longer sign in, ending its other sessions too. */
  async function refuseDisabled(orgId: string, userId: string): Promise<never> {
    await revokeSessions(orgId, userId);
    throw new ApiError('account_disabled', ACCOUNT_DISABLED_MESSAGE);
  }

  return {
    /** Checks credentials; repeated failures per email or per address are refused with 429. */
    async login(email: string, password: string, clientAddress: string): Promise<LoginResponse> {
      const normalizedEmail = email.trim().toLowerCase();
      const keys = limitKeys(normalizedEmail, clientAddress);
      const since = windowStart();
      const reservation = await reserveWhenFree(keys, since);
      if (reservation.outcome !== 'reserved') throw new ApiError('rate_limited', TOO_MANY_SIGN_INS);

      // Sign-in happens before the organisation is known: the one lookup by email alone.
      const [user] = await db
        .select()
        .from(users)
        .where(and(sql`lower(${users.email}) = ${normalizedEmail}`, isNull(users.deletedAt)));
      // An open invite (no password yet) is checked against the decoy too: the timing does not tell it apart.
      const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
      if (!user?.passwordHash || !passwordOk || !user.active) {
        await settleFailure(keys);
        throw new ApiError('invalid_credentials', GENERIC_LOGIN_FAILURE);
      }

      await settleSuccess(keys, reservation.settledFailures, since);
      await db.transaction(async (tx) => {
        await registerChangeWriter(tx);
        await tx
          .update(users)
          .set({ lastLoginAt: now().toISOString(), lastSeenAt: now().toISOString() })
          .where(and(eq(users.orgId, user.orgId), eq(users.id, user.id)));
      });
      return issueSession(await toSessionUser(user), randomUUID());
    },

    /**
     * Rotates a refresh token. Presenting a token that was already rotated
     * means it leaked: the whole family is revoked and everyone holding it
     * must sign in again.
     */
    async refresh(refreshToken: string): Promise<RefreshResponse> {
      const orgId = refreshTokenOrg(refreshToken);
      if (!orgId) throw new ApiError('unauthorized', SESSION_ENDED);
      const tokenHash = hashToken(refreshToken);
      const nowIso = now().toISOString();

      const [rotated] = await db
        .update(refreshTokens)
        .set({ revokedAt: nowIso })
        .where(
          and(
            eq(refreshTokens.orgId, orgId),
            eq(refreshTokens.tokenHash, tokenHash),
            isNull(refreshTokens.revokedAt),
            gt(refreshTokens.expiresAt, nowIso),
          ),
        )
        .returning();
      if (!rotated) {
        const [known] = await db
          .select()
          .from(refreshTokens)
          .where(and(eq(refreshTokens.orgId, orgId), eq(refreshTokens.tokenHash, tokenHash)));
        if (!known) throw new ApiError('unauthorized', SESSION_ENDED);
        // Said before anything else, so the phone stops trying and tells its owner why.
        const user = await activeUser(orgId, known.userId);
        if (!user) return refuseDisabled(orgId, known.userId);
        if (known.revokedAt && known.replacedBy && (await withinReuseGrace(orgId, known.family, known.revokedAt))) {
          // The same device retrying a refresh whose answer it never got: a new token in
          // the same family, not a theft. Past the grace period a reuse ends the family.
          return issueSession(await toSessionUser(user), known.family);
        }
        if (known.revokedAt) {
          await db
            .update(refreshTokens)
            .set({ revokedAt: nowIso })
            .where(
              and(
                eq(refreshTokens.orgId, orgId),
                eq(refreshTokens.family, known.family),
                isNull(refreshTokens.revokedAt),
              ),
            );
        }
        throw new ApiError('unauthorized', SESSION_ENDED);
      }

      const user = await activeUser(orgId, rotated.userId);
      if (!user) return refuseDisabled(orgId, rotated.userId);
      await noteSeen(user);
      return issueSession(await toSessionUser(user), rotated.family, rotated.id);
    },

    /** Ends the session the refresh token belongs to (its whole family). Unknown tokens are ignored. */
    async logout(refreshToken: string): Promise<void> {
      const orgId = refreshTokenOrg(refreshToken);
      if (!orgId) return;
      const [known] = await db
        .select({ family: refreshTokens.family })
        .from(refreshTokens)
        .where(and(eq(refreshTokens.orgId, orgId), eq(refreshTokens.tokenHash, hashToken(refreshToken))));
      if (!known) return;
      await db
        .update(refreshTokens)
        .set({ revokedAt: now().toISOString() })
        .where(
          and(eq(refreshTokens.orgId, orgId), eq(refreshTokens.family, known.family), isNull(refreshTokens.revokedAt)),
        );
    },

    /**
     * Whether the user behind a valid access token may still use the API: false once
     * deactivated, soft-deleted or gone. Up to `accountStatusTtlMs` old on this instance.
     */
    isAccountActive: accounts.isActive,

    /** Drops this instance's remembered status of an account whose row just changed (e.g. deactivated by a push). */
    forgetAccount: accounts.forget,

    /**
     * Ends every session of the user (all refresh tokens); their access tokens run out on their own.
     * Pass `executor` to make it part of a wider transaction.
     */
    async revokeSessions(user: Pick<AuthUser, 'orgId' | 'userId'>, executor: DbOrTx = db): Promise<void> {
      await revokeSessions(user.orgId, user.userId, executor);
    },

    /**
     * A new session (new refresh-token family) for a user whose identity was proven
     * another way than `login`: a new company's admin, or an accepted invite.
     */
    async startSession(user: typeof users.$inferSelect): Promise<LoginResponse> {
      return issueSession(await toSessionUser(user), randomUUID());
    },

    /**
     * Counts one attempt (`record`) against the address, or only looks: false once the
     * address reached `loginMaxFailures` of this kind within the login window. Sign-ups
     * count every attempt; invite links only the ones that did not work.
     */
    async admitAddress(kind: AddressCounter, clientAddress: string, record: boolean): Promise<boolean> {
      const key = `${kind}:ip:${clientAddress}`;
      const since = windowStart();
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:${key}`}))`);
        await tx.delete(loginFailures).where(and(eq(loginFailures.key, key), lte(loginFailures.failedAt, since)));
        const [row] = await tx
          .select({ count: sql<number>`count(*)::int` })
          .from(loginFailures)
          .where(eq(loginFailures.key, key));
        if (Number(row?.count ?? 0) >= settings.loginMaxFailures) return false;
        if (record) await tx.insert(loginFailures).values({ key, failedAt: now().toISOString() });
        return true;
      });
    },

    /** Counts a failure of this kind against the address (see `admitAddress`). */
    async recordAddressFailure(kind: AddressCounter, clientAddress: string): Promise<void> {
      await db.insert(loginFailures).values({ key: `${kind}:ip:${clientAddress}`, failedAt: now().toISOString() });
    },

    /**
     * A signed-in person changes their password. The current one is checked under the
     * sign-in limits of their email and address, so a stolen access token cannot be used
     * to guess it; `rate_limited` past them. On success every session of the person ends
     * and a fresh one is returned: other devices must sign in with the new password.
     */
    async changePassword(
      caller: Pick<AuthUser, 'orgId' | 'userId'>,
      currentPassword: string,
      newPassword: string,
      clientAddress: string,
    ): Promise<PasswordChange> {
      const user = await activeUser(caller.orgId, caller.userId);
      if (!user) throw new ApiError('account_disabled', ACCOUNT_DISABLED_MESSAGE);
      const keys = limitKeys(user.email, clientAddress);
      const since = windowStart();
      const reservation = await reserveWhenFree(keys, since);
      if (reservation.outcome !== 'reserved') throw new ApiError('rate_limited', TOO_MANY_SIGN_INS);
      const passwordOk = await verifyPassword(user.passwordHash ?? (await decoyPasswordHash()), currentPassword);
      if (!user.passwordHash || !passwordOk) {
        await settleFailure(keys);
        return { ok: false };
      }
      await settleSuccess(keys, reservation.settledFailures, since);
      const passwordHash = await hashPassword(newPassword);
      await db.transaction(async (tx) => {
        await registerChangeWriter(tx);
        await tx
          .update(users)
          .set({ passwordHash, lastSeenAt: now().toISOString() })
          .where(and(eq(users.orgId, user.orgId), eq(users.id, user.id)));
        await revokeSessions(user.orgId, user.id, tx);
      });
      return { ok: true, session: await issueSession(await toSessionUser(user), randomUUID()) };
    },

    /**
     * Turns an account off, for the office's user administration: sign-in, refresh and
     * every authenticated request are refused from now on, at once on this instance and
     * within `accountStatusTtlMs` on the others; open event streams close.
     */
    async deactivateUser(user: Pick<AuthUser, 'orgId' | 'userId'>): Promise<void> {
      await db.transaction(async (tx) => {
        await registerChangeWriter(tx);
        await tx
          .update(users)
          .set({ active: false })
          .where(and(eq(users.orgId, user.orgId), eq(users.id, user.userId)));
        await revokeSessions(user.orgId, user.userId, tx);
      });
      accounts.forget(user);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
export type { AuthUser };
