import {
  acceptInviteRequestSchema,
  changePasswordRequestSchema,
  type ErrorBody,
  loginRequestSchema,
  refreshRequestSchema,
} from '@fieldsync/protocol';
import { Hono } from 'hono';
import { clientAddress } from '../http/client-address';
import type { AppEnv, ServerDeps } from '../http/context';
import { parseJsonBody } from '../http/parse-body';
import { requireAuth } from '../http/require-auth';

export function authRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .post('/login', async (c) => {
      const { email, password } = await parseJsonBody(c, loginRequestSchema);
      const session = await deps.auth.login(email, password, clientAddress(c, deps.trustedProxies ?? 0));
      return c.json(session);
    })
    .post('/refresh', async (c) => {
      const { refreshToken } = await parseJsonBody(c, refreshRequestSchema);
      return c.json(await deps.auth.refresh(refreshToken));
    })
    .post('/logout', async (c) => {
      const { refreshToken } = await parseJsonBody(c, refreshRequestSchema);
      await deps.auth.logout(refreshToken);
      return c.body(null, 204);
    })
    .post('/accept-invite', async (c) => {
      const { token, password } = await parseJsonBody(c, acceptInviteRequestSchema);
      return c.json(await deps.invites.accept(token, password, clientAddress(c, deps.trustedProxies ?? 0)));
    })
    .post('/password', requireAuth(deps), async (c) => {
      const { currentPassword, newPassword } = await parseJsonBody(c, changePasswordRequestSchema);
      const change = await deps.auth.changePassword(
        c.get('user'),
        currentPassword,
        newPassword,
        clientAddress(c, deps.trustedProxies ?? 0),
      );
      if (change.ok) return c.json(change.session);
      // 400, not the 401 that `invalid_credentials` gets at sign-in: to a signed-in app a 401 means
      // "your session is gone", and it would refresh, retry and then sign the person out.
      const body: ErrorBody = {
        error: { code: 'invalid_credentials', message: 'Your current password is not right.' },
      };
      return c.json(body, 400);
    });
}
