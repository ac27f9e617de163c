import { loginRequestSchema, refreshRequestSchema } from '@fieldsync/protocol';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../http/context';
import { parseJsonBody } from '../http/parse-body';

export function authRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .post('/login', async (c) => {
      const { email, password } = await parseJsonBody(c, loginRequestSchema);
      const session = await deps.auth.login(email, password, clientAddress(c));
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
    });
}

/** The caller's address for rate limiting; `unknown` when not served by Node (tests via app.request). */
function clientAddress(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
