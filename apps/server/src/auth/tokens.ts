import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@fieldsync/domain';
import { ROLES } from '@fieldsync/domain';
import { errors, jwtVerify, SignJWT } from 'jose';

/** Who is calling: everything a handler needs to scope its work. */
export interface AuthUser {
  userId: string;
  orgId: string;
  role: Role;
}

const ISSUER = 'fieldsync';

export async function signAccessToken(
  user: AuthUser,
  key: Uint8Array,
  ttlSeconds: number,
  nowSeconds: number,
  audience = 'api',
): Promise<string> {
  return new SignJWT({ org: user.orgId, role: user.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.userId)
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + ttlSeconds)
    .sign(key);
}

export type TokenCheck = { ok: true; user: AuthUser } | { ok: false; reason: 'expired' | 'invalid' };

/** Verifies an access token; `audience` separates API tokens from short-lived event-stream tokens. */
export async function verifyAccessToken(
  token: string,
  key: Uint8Array,
  nowSeconds: number,
  audience = 'api',
): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience,
      algorithms: ['HS256'],
      currentDate: new Date(nowSeconds * 1000),
    });
    const role = ROLES.find((candidate) => candidate === payload.role);
    if (!payload.sub || typeof payload.org !== 'string' || !role) return { ok: false, reason: 'invalid' };
    return { ok: true, user: { userId: payload.sub, orgId: payload.org, role } };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

/**
 * Refresh tokens are opaque: `<org id>.<random>`. The org prefix lets the
 * lookup stay scoped to one organisation; only the SHA-256 of the whole token
 * is stored.
 */
export function newRefreshToken(orgId: string): string {
  return `${orgId}.${randomBytes(32).toString('base64url')}`;
}

export function refreshTokenOrg(token: string): string | undefined {
  const [orgId, secret] = token.split('.');
  return orgId && secret && /^[0-9a-f-]{36}$/i.test(orgId) ? orgId : undefined;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
