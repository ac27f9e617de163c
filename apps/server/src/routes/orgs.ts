import { signupRequestSchema } from '@fieldsync/protocol';
import { Hono } from 'hono';
import { signUpCompany } from '../company/sign-up';
import { clientAddress } from '../http/client-address';
import type { AppEnv, ServerDeps } from '../http/context';
import { parseJsonBody } from '../http/parse-body';

/** Public sign-up: `POST /api/orgs` creates a company and signs its admin in. */
export function orgRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>().post('/', async (c) => {
    const request = await parseJsonBody(c, signupRequestSchema);
    const session = await signUpCompany(
      { db: deps.database.db, auth: deps.auth, signupOpen: deps.signupOpen, now: deps.now },
      request,
      clientAddress(c, deps.trustedProxies ?? 0),
    );
    return c.json(session, 201);
  });
}
