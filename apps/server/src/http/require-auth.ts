import { createMiddleware } from 'hono/factory';
import { verifyAccessToken } from '../auth/tokens';
import { ApiError } from './api-error';
import type { AppEnv, ServerDeps } from './context';

/** Puts the authenticated user on the context, or answers 401 `unauthorized`. */
export function requireAuth(deps: Pick<ServerDeps, 'signingKey' | 'now'>) {
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
    c.set('user', check.user);
    await next();
  });
}
