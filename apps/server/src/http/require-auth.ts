import { createMiddleware } from 'hono/factory';
import { ACCOUNT_DISABLED_MESSAGE } from '../auth/account-status';
import { type AuthUser, verifyAccessToken } from '../auth/tokens';
import { ApiError } from '../errors';
import type { AppEnv, ServerDeps } from './context';

/**
 * Puts the authenticated user on the context, or answers 401: `unauthorized` for a
 * missing, bad or expired token, `account_disabled` once the account was turned off
 * or deleted (an access token outlives that by up to its TTL; the status check does not).
 */
export function requireAuth(deps: Pick<ServerDeps, 'signingKey' | 'now' | 'auth'>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const token = header?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (!token) throw new ApiError('unauthorized', 'Sign in to continue.');
    const check = await verifyAccessToken(token, deps.signingKey, Math.floor(deps.now().getTime() / 1000));
    if (!check.ok) {
      throw new ApiError(
        'unauthorized',
        check.reason === 'expired' ? 'Your session has expired.' : 'Your sign-in is not valid.',
      );
    }
    await requireActiveAccount(deps, check.user);
    c.set('user', check.user);
    await next();
  });
}

/** Answers 401 `account_disabled` when the person behind a valid token was turned off or deleted. */
export async function requireActiveAccount(deps: Pick<ServerDeps, 'auth'>, user: AuthUser) {
  if (!(await deps.auth.isAccountActive(user))) throw new ApiError('account_disabled', ACCOUNT_DISABLED_MESSAGE);
}
