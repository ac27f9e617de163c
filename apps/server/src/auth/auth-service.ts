import { randomUUID } from 'node:crypto';
import type { Role } from '@fieldsync/domain';
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { type Db, registerChangeWriter } from '../db/database';
import { loginFailures, organizations, refreshTokens, users } from '../db/schema';
import { toIsoTimestamp } from '../db/timestamps';
import { ApiError } from '../http/api-error';
import { decoyPasswordHash, verifyPassword } from './passwords';
import { type AuthUser, hashToken, newRefreshToken, refreshTokenOrg, signAccessToken } from './tokens';

export interface AuthSettings {
  signingKey: Uint8Array;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  loginMaxFailures: number;
  loginWindowMinutes: number;
}

/** The signed-in user as the API shows it (never the password hash). */
export interface PublicUser {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: Role;
  /** The organisation's IANA time zone: days and times on screens are shown in it. */
  timeZone: string;
  organizationName: string;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: PublicUser;
}

const ADDRESS_LIMIT_FACTOR = 20;
/** How long after a rotation the old refresh token may be presented again (a lost answer, retried). */
const REFRESH_REUSE_GRACE_MS = 30_000;
const GENERIC_LOGIN_FAILURE = 'Email or password is incorrect.';

export function createAuthService(db: Db, settings: AuthSettings, now: () => Date) {
  async function issueSession(user: PublicUser, family: string, replacing?: string): Promise<Session> {
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

  async function toPublicUser(user: typeof users.$inferSelect): Promise<PublicUser> {
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

  /** True when the email, or the address it comes from, has failed too often lately. */
  async function overLimit(emailKey: string, addressKey: string): Promise<boolean> {
    const since = new Date(now().getTime() - settings.loginWindowMinutes * 60_000).toISOString();
    const rows = await db
      .select({ key: loginFailures.key, count: sql<number>`count(*)::int` })
      .from(loginFailures)
      .where(and(inArray(loginFailures.key, [emailKey, addressKey]), gt(loginFailures.failedAt, since)))
      .groupBy(loginFailures.key);
    const count = (key: string) => Number(rows.find((row) => row.key === key)?.count ?? 0);
    // An address may be an office behind one NAT: it gets more room than a single email.
    return (
      count(emailKey) >= settings.loginMaxFailures ||
      count(addressKey) >= settings.loginMaxFailures * ADDRESS_LIMIT_FACTOR
    );
  }

  return {
    /** Checks credentials; repeated failures per email or per address are refused with 429. */
    async login(email: string, password: string, clientAddress: string): Promise<Session> {
      const normalizedEmail = email.trim().toLowerCase();
      const limitKeys = [`email:${normalizedEmail}`, `ip:${clientAddress}`] as const;
      if (await overLimit(...limitKeys)) {
        throw new ApiError('rate_limited', 'Too many failed sign-in attempts. Wait a few minutes and try again.');
      }

      // Sign-in happens before the organisation is known: the one lookup by email alone.
      const [user] = await db
        .select()
        .from(users)
        .where(and(sql`lower(${users.email}) = ${normalizedEmail}`, isNull(users.deletedAt)));
      const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
      if (!user || !passwordOk || !user.isActive) {
        await db.insert(loginFailures).values(limitKeys.map((key) => ({ key, failedAt: now().toISOString() })));
        throw new ApiError('invalid_credentials', GENERIC_LOGIN_FAILURE);
      }

      await db.delete(loginFailures).where(eq(loginFailures.key, `email:${normalizedEmail}`));
      await db.transaction(async (tx) => {
        await registerChangeWriter(tx);
        await tx
          .update(users)
          .set({ lastLoginAt: now().toISOString() })
          .where(and(eq(users.orgId, user.orgId), eq(users.id, user.id)));
      });
      return issueSession(await toPublicUser(user), randomUUID());
    },

    /**
     * Rotates a refresh token. Presenting a token that was already rotated
     * means it leaked: the whole family is revoked and everyone holding it
     * must sign in again.
     */
    async refresh(refreshToken: string): Promise<Session> {
      const orgId = refreshTokenOrg(refreshToken);
      if (!orgId) throw new ApiError('unauthorized', 'Your session has ended. Please sign in again.');
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
        if (known?.revokedAt && known.replacedBy && (await withinReuseGrace(orgId, known.family, known.revokedAt))) {
          // The same device retrying a refresh whose answer it never got: a new token in
          // the same family, not a theft. Past the grace period a reuse ends the family.
          const [user] = await db
            .select()
            .from(users)
            .where(and(eq(users.orgId, orgId), eq(users.id, known.userId), isNull(users.deletedAt)));
          if (user?.isActive) return issueSession(await toPublicUser(user), known.family);
        }
        if (known?.revokedAt) {
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
        throw new ApiError('unauthorized', 'Your session has ended. Please sign in again.');
      }

      const [user] = await db
        .select()
        .from(users)
        .where(and(eq(users.orgId, orgId), eq(users.id, rotated.userId), isNull(users.deletedAt)));
      if (!user?.isActive) throw new ApiError('unauthorized', 'Your session has ended. Please sign in again.');
      return issueSession(await toPublicUser(user), rotated.family, rotated.id);
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
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
export type { AuthUser };
